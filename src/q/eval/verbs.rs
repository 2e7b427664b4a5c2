//! Primitive function values: glyphs and keywords as atoms of type 101/102/103 with a code in
//! `g`, and back from a code to the name that `q::prims` or the evaluator implements.
//!
//! Glyph codes follow kdb+'s order (`:+-*%&|^=<>$,#_~!?@.` then `0: 1: 2:`), so `(+)` is
//! 102 with code 1 and `(-:)`, the unary form of `-`, is 101 with code 2; `(::)` is 101 code 0.
//! Keywords take codes after the glyphs, in the order of `KEYWORDS`.

use crate::obj::*;
use crate::q::prims::{BINARY_CODES, KEYWORD_BINARY, KEYWORD_UNARY, UNARY_CODES};

pub const GLYPHS: [&str; 23] = [
    ":", "+", "-", "*", "%", "&", "|", "^", "=", "<", ">", "$", ",", "#", "_", "~", "!", "?", "@",
    ".", "0:", "1:", "2:",
];

/// Codes from here on are keywords kdb+ defines in q itself; they index `KEYWORDS`.
const EXTRA_BASE: usize = 100;

/// Every keyword that is a function value, with its rank (its largest valence).
pub const KEYWORDS: &[(&str, u8)] = &[
    ("<>", 2),
    ("<=", 2),
    (">=", 2),
    (".Q.dd", 2),
    (".Q.gc", 1),
    ("aj", 3),
    ("aj0", 3),
    ("ajf", 3),
    ("ajf0", 3),
    ("all", 1),
    ("any", 1),
    ("asc", 1),
    ("asof", 2),
    ("attr", 1),
    ("avgs", 1),
    ("binr", 2),
    ("ceiling", 1),
    ("cols", 1),
    ("cor", 2),
    ("cov", 2),
    ("cross", 2),
    ("csv", 1),
    ("cut", 2),
    ("deltas", 1),
    ("desc", 1),
    ("differ", 1),
    ("dsave", 2),
    ("each", 2),
    ("ej", 3),
    ("ema", 2),
    ("eval", 1),
    ("except", 2),
    ("fby", 2),
    ("fills", 1),
    ("fkeys", 1),
    ("gtime", 1),
    ("hcount", 1),
    ("hdel", 1),
    ("hsym", 1),
    ("ij", 2),
    ("ijf", 2),
    ("inter", 2),
    ("inv", 1),
    ("keys", 1),
    ("lj", 2),
    ("ljf", 2),
    ("load", 1),
    ("lower", 1),
    ("lsq", 2),
    ("ltime", 1),
    ("ltrim", 1),
    ("mavg", 2),
    ("maxs", 1),
    ("mcount", 2),
    ("md5", 1),
    ("mdev", 2),
    ("med", 1),
    ("meta", 1),
    ("mins", 1),
    ("mmax", 2),
    ("mmin", 2),
    ("mmu", 2),
    ("mod", 2),
    ("msum", 2),
    ("next", 1),
    ("over", 2),
    ("parse", 1),
    ("peach", 2),
    ("pj", 2),
    ("prds", 1),
    ("prev", 1),
    ("prior", 2),
    ("rand", 1),
    ("rank", 1),
    ("ratios", 1),
    ("raze", 1),
    ("reval", 1),
    ("rload", 1),
    ("rotate", 2),
    ("rsave", 1),
    ("rtrim", 1),
    ("save", 1),
    ("scan", 2),
    ("scov", 2),
    ("sdev", 1),
    ("set", 2),
    ("show", 1),
    ("signum", 1),
    ("ssr", 3),
    ("sublist", 2),
    ("sums", 1),
    ("sv", 2),
    ("svar", 1),
    ("system", 1),
    ("tables", 1),
    ("til", 1),
    ("trim", 1),
    ("uj", 2),
    ("ujf", 2),
    ("ungroup", 1),
    ("union", 2),
    ("upper", 1),
    ("upsert", 2),
    ("view", 1),
    ("views", 1),
    ("vs", 2),
    ("wj", 4),
    ("wj1", 4),
    ("xasc", 2),
    ("xbar", 2),
    ("xcol", 2),
    ("xcols", 2),
    ("xdesc", 2),
    ("xgroup", 2),
    ("xkey", 2),
    ("xlog", 2),
    ("xprev", 2),
    ("xrank", 2),
    (".Q.s", 1),
    (".Q.s1", 1),
    (".Q.id", 1),
    (".Q.fmt", 3),
    (".Q.f", 2),
    (".Q.addmonths", 2),
    (".Q.x10", 1),
    (".Q.j10", 1),
    (".Q.x12", 1),
    (".Q.j12", 1),
    (".Q.ty", 1),
    (".Q.btoa", 1),
    (".Q.atob", 1),
    (".Q.addr", 1),
    (".j.j", 1),
    (".j.k", 1),
    (".j.jd", 1),
    (".h.xs", 1),
    (".h.hu", 1),
    (".h.uh", 1),
    (".Q.opt", 1),
    (".Q.def", 3),
    (".Q.ff", 2),
    (".Q.fc", 2),
    (".Q.trp", 3),
    (".Q.trpd", 3),
    (".Q.sha1", 1),
    (".h.iso8601", 1),
    (".Q.pad", 2),
    (".Q.sbt", 1),
    (".Q.bt", 1),
    (".Q.fk", 1),
    (".Q.lo", 3),
    (".Q.ld", 1),
    // Natives of `.h` and `.Q` (the constants `.Q.t .Q.a ...` are values, not keywords).
    (".Q.host", 1),
    (".Q.ts", 2),
    (".Q.hg", 1),
    (".Q.hp", 3),
    (".Q.gz", 1),
    (".h.cd", 1),
    (".h.td", 1),
    (".h.xd", 1),
    (".h.ed", 1),
    (".h.edsn", 1),
    (".h.http", 1),
    ("iasc", 1),
    ("idesc", 1),
];

/// The type and code of keyword `name`'s function value.
pub fn keyword_code(name: &str) -> Option<(i8, u8)> {
    if let Some((_, c)) = KEYWORD_UNARY.iter().find(|(n, _)| *n == name) {
        return Some((UNARY, *c));
    }
    if let Some((_, c)) = KEYWORD_BINARY.iter().find(|(n, _)| *n == name) {
        return Some((BINARY, *c));
    }
    if let Some(c) = UNARY_CODES.iter().skip(23).position(|n| *n == name) {
        return Some((UNARY, (c + 23) as u8));
    }
    if let Some(c) = BINARY_CODES.iter().skip(23).position(|n| *n == name) {
        return Some((BINARY, (c + 23) as u8));
    }
    let rank = KEYWORDS.iter().find(|(n, _)| *n == name)?.1;
    let t = function_type(rank);
    let i = of_type(t).iter().position(|(n, _)| *n == name)?;
    debug_assert!(EXTRA_BASE + i < 255);
    Some((t, (EXTRA_BASE + i) as u8))
}

/// The function type a keyword of this rank has.
fn function_type(rank: u8) -> i8 {
    match rank {
        1 => UNARY,
        2 => BINARY,
        _ => TERNARY,
    }
}

/// The `KEYWORDS` of one function type, in order: each type numbers its own from
/// `EXTRA_BASE`, so the three share no code space.
fn of_type(t: i8) -> &'static [(&'static str, u8)] {
    type ByType = [Vec<(&'static str, u8)>; 3];
    static BY_TYPE: std::sync::OnceLock<ByType> = std::sync::OnceLock::new();
    let all = BY_TYPE.get_or_init(|| {
        let pick = |t: i8| {
            KEYWORDS
                .iter()
                .copied()
                .filter(|(_, r)| function_type(*r) == t)
                .collect::<Vec<_>>()
        };
        [pick(UNARY), pick(BINARY), pick(TERNARY)]
    });
    match t {
        UNARY => &all[0],
        BINARY => &all[1],
        _ => &all[2],
    }
}

fn keyword_rank(name: &str) -> u8 {
    KEYWORDS.iter().find(|(n, _)| *n == name).map_or(1, |k| k.1)
}

/// True when `name` is a q keyword (reserved, and not a column name in qSQL).
pub fn is_keyword(name: &str) -> bool {
    keyword_code(name).is_some()
        || matches!(
            name,
            "select"
                | "exec"
                | "update"
                | "delete"
                | "from"
                | "by"
                | "where"
                | "do"
                | "if"
                | "while"
        )
}

/// Every keyword name with a function value, in kdb+'s `.q` order where known.
pub fn keyword_names() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for (n, _) in KEYWORD_UNARY.iter().chain(KEYWORD_BINARY) {
        out.push(n);
    }
    for n in UNARY_CODES
        .iter()
        .skip(23)
        .chain(BINARY_CODES.iter().skip(23))
    {
        out.push(n);
    }
    for (n, _) in KEYWORDS {
        if !n.starts_with('.') && n.chars().all(|c| c.is_ascii_alphanumeric()) {
            out.push(n);
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|n| seen.insert(*n));
    out
}

/// The function value of keyword `name`.
pub fn keyword_value(name: &str) -> Option<K> {
    let (t, code) = keyword_code(name)?;
    Some(K::atom_word(t, code as u64))
}

/// Entries in each thread's cache of `reserved`'s answers.
const RESERVED_SLOTS: usize = 512;

/// One entry: a symbol's address (0: empty) and whether it is a keyword (and which).
type ReservedEntry = std::cell::Cell<(usize, Option<(i8, u8)>)>;

/// The keyword a plain name (no dots) is, if it is one: what the evaluator reads for a name
/// before any variable, as reserved words cannot be globals (`count:1` is `'assign`). Every
/// name the evaluator reads passes here, so each thread keeps the answers in a small table
/// indexed by the symbol's address: one load and one compare, no lock, no hashing, and a
/// bounded size (a name pushed out is only looked up again).
pub fn reserved(name: Sym) -> Option<K> {
    thread_local! {
        static CACHE: [ReservedEntry; RESERVED_SLOTS] =
            const { [const { std::cell::Cell::new((0, None)) }; RESERVED_SLOTS] };
    }
    let at = name.as_ptr() as usize;
    let slot = (at ^ (at >> 9)) % RESERVED_SLOTS;
    let code = CACHE.with(|cache| {
        let (p, c) = cache[slot].get();
        if p == at {
            return c;
        }
        let s = name.as_str();
        // `csv` reads as data (the comma `csv 0: t` uses), not as a function.
        let c = if s.contains('.') || &*s == "csv" {
            None
        } else {
            keyword_code(&s)
        };
        cache[slot].set((at, c));
        c
    });
    code.map(|(t, c)| K::atom_word(t, c as u64))
}

/// The binary primitive value of a glyph (`+` -> 102 code 1).
pub fn glyph_value(g: &str) -> Option<K> {
    let i = GLYPHS.iter().position(|x| *x == g)?;
    Some(K::atom_word(BINARY, i as u64))
}

/// The unary form of a glyph (`-:` -> 101 code 2).
pub fn unary_glyph_value(g: &str) -> Option<K> {
    let i = GLYPHS.iter().position(|x| *x == g)?;
    Some(K::atom_word(UNARY, i as u64))
}

/// What a primitive function value is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum PrimRef {
    /// `::`
    Identity,
    /// The elided argument of a projection.
    Elided,
    /// A glyph used with its unary form (`-:`).
    UnaryGlyph(&'static str),
    /// A glyph (binary primitive, ambivalent).
    Glyph(&'static str),
    Keyword(&'static str, u8),
}

/// Decodes a 101/102/103 atom.
pub fn decode(f: &K) -> Option<PrimRef> {
    let t = f.t();
    let code = f.g() as usize;
    if code >= EXTRA_BASE {
        if t == UNARY && code == 255 {
            return Some(PrimRef::Elided);
        }
        let (name, rank) = of_type(t).get(code - EXTRA_BASE)?;
        return Some(PrimRef::Keyword(name, *rank));
    }
    match t {
        UNARY if code == 0 => Some(PrimRef::Identity),
        UNARY if code < 23 => Some(PrimRef::UnaryGlyph(GLYPHS[code])),
        UNARY => {
            // Each unary keyword's rank, found once (every application decodes its function).
            static RANKS: std::sync::LazyLock<Vec<u8>> =
                std::sync::LazyLock::new(|| UNARY_CODES.iter().map(|n| keyword_rank(n)).collect());
            let n = UNARY_CODES.get(code)?;
            Some(PrimRef::Keyword(n, RANKS[code]))
        }
        BINARY if code < 23 => Some(PrimRef::Glyph(GLYPHS[code])),
        BINARY => BINARY_CODES.get(code).map(|n| PrimRef::Keyword(n, 2)),
        _ => None,
    }
}

/// The elided-argument marker inside projections.
pub fn elided() -> K {
    K::atom_word(UNARY, 255)
}

pub fn is_elided(x: &K) -> bool {
    x.t() == UNARY && x.g() == 255
}

pub fn is_identity(x: &K) -> bool {
    x.t() == UNARY && x.g() == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_keyword_has_a_code_and_decodes_back() {
        for (name, _) in KEYWORDS {
            let v = keyword_value(name).unwrap();
            match decode(&v) {
                Some(PrimRef::Keyword(n, _)) => assert_eq!(n, *name),
                _ => panic!("{name} does not decode"),
            }
        }
        assert!(matches!(
            decode(&keyword_value("count").unwrap()),
            Some(PrimRef::UnaryGlyph("#"))
        ));
        assert!(matches!(
            decode(&glyph_value("+").unwrap()),
            Some(PrimRef::Glyph("+"))
        ));
    }
}
