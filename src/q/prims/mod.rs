//! Primitive verbs and keywords over data, one file per family, reached through one table.
//!
//! The evaluator looks a glyph or keyword up here and applies the entry for the number of
//! arguments it has. Arguments are owned, so a primitive may reuse a uniquely held argument's
//! memory for its result. Every entry returns a value or a q error for any input (see
//! `robust.rs`); none panics.
//!
//! - `lookup(name)`: a glyph (`+`, `<>`, `?`), a glyph's unary form (`+:`), or a keyword
//!   (`til`, `xbar`, `aj`). Glyph entries carry both forms (`+` is flip and add); `?` also has
//!   its triad, the vector conditional.
//! - `code_of(name)`, `lookup_code(t, code)`: kdb+'s function codes, so a primitive atom (type
//!   101 unary, 102 binary, 103 ternary) made from `code_of` serializes and prints as kdb+'s,
//!   and an atom from the wire maps back to its entry. Keywords kdb+ defines in q (`til`,
//!   `sums`, ...) have no code; the evaluator represents them its own way.
//! - Data indexing for `x[i]`, `x@i`, `x . i` is the `@` and `.` dyads here (`index.rs`).
//!
//! Families: `arith` (+ - * % & | div mod xexp xlog xbar and unary maths), `agg` (aggregates,
//! running aggregates, statistics), `window` (moving windows, ema), `compare` (= <> < > <= >= ~
//! not null differ any all), `lists`, `take` (# _ ! cut sublist rotate), `join` (, ^ fills prev
//! next), `sets` (distinct group ? in within union inter except bin), `sort`, `index`, `cast`
//! ($ and type), `parse` (text to values), `strings`, `tables` (xkey xcol lj ij uj aj asof ej pj
//! meta xgroup ungroup ...), `matrix` (mmu inv lsq), `random` (roll, deal), `md5`. Shared
//! machinery: `num` (machine types), `promote` (type promotion as data), `kernel` (the loops),
//! `kit` (items, gathers, atomic extension), `hash` (item keys), `radix` (sorting).
//! Tests: `testdata/*.q` (`expression -> expected` lines) run by `testkit.rs`; `robust.rs`
//! (no panics); `bench.rs` (kernels against plain loops, ignored, release).

mod agg;
mod arith;
pub mod cast;
pub mod compare;
pub mod grouped;
pub mod groupedmany;
pub mod groupid;
pub mod groupid_direct;
pub mod groupid_radix;
mod groupkeys;
pub mod groupparts;
pub mod hash;
pub mod idtable;
mod index;
pub mod join;
mod kernel;
mod keymatch;
pub mod kit;
mod lists;
mod matrix;
pub mod md5;
pub mod num;
mod parse;
mod promote;
mod radix;
pub mod random;
mod sets;
pub mod sha1;
mod sort;
pub mod split;
pub mod strings;
mod tables;
mod take;
mod window;

#[cfg(test)]
mod bench;
#[cfg(test)]
mod robust;
#[cfg(test)]
mod testkit;

use crate::obj::{Result, K};

pub type Monad = fn(K) -> Result<K>;
pub type Dyad = fn(K, K) -> Result<K>;
pub type Triad = fn(K, K, K) -> Result<K>;

/// One primitive: its name as q spells it, and its forms by rank.
pub struct Prim {
    pub name: &'static str,
    pub monad: Option<Monad>,
    pub dyad: Option<Dyad>,
    pub triad: Option<Triad>,
}

/// kdb+'s unary primitive codes (type 101): index = code. `::` is 0.
pub const UNARY_CODES: [&str; 45] = [
    "::", "+:", "-:", "*:", "%:", "&:", "|:", "^:", "=:", "<:", ">:", "$:", ",:", "#:", "_:", "~:",
    "!:", "?:", "@:", ".:", "0::", "1::", "2::", "avg", "last", "sum", "prd", "min", "max", "exit",
    "getenv", "abs", "sqrt", "log", "exp", "sin", "asin", "cos", "acos", "tan", "atan", "enlist",
    "var", "dev", "hopen",
];

/// kdb+'s binary primitive codes (type 102): index = code.
pub const BINARY_CODES: [&str; 34] = [
    ":", "+", "-", "*", "%", "&", "|", "^", "=", "<", ">", "$", ",", "#", "_", "~", "!", "?", "@",
    ".", "0:", "1:", "2:", "in", "within", "like", "bin", "ss", "insert", "wsum", "wavg", "div",
    "xexp", "setenv",
];

/// kdb+'s ternary primitive codes (type 103), the iterators.
pub const TERNARY_CODES: [&str; 3] = ["'", "/", "\\"];

/// Keywords that kdb+ spells as a unary glyph (`count` is `#:`), with that glyph's code.
pub const KEYWORD_UNARY: &[(&str, u8)] = &[
    ("flip", 1),
    ("neg", 2),
    ("first", 3),
    ("reciprocal", 4),
    ("where", 5),
    ("reverse", 6),
    ("null", 7),
    ("group", 8),
    // kdb+'s `<:` and `>:` are hopen and hclose on a handle's name or number, and grade a
    // list; iasc and idesc are q functions that refuse atoms (funsql.md).
    ("hopen", 9),
    ("hclose", 10),
    ("string", 11),
    ("count", 13),
    ("floor", 14),
    ("not", 15),
    ("key", 16),
    ("distinct", 17),
    ("type", 18),
    ("value", 19),
    ("get", 19),
    ("read0", 20),
    ("read1", 21),
];

/// Keywords that kdb+ spells as a binary glyph (`and` is `&`).
pub const KEYWORD_BINARY: &[(&str, u8)] = &[("and", 5), ("or", 6), ("fill", 7)];

macro_rules! prims {
    ($( $name:literal => $m:expr, $d:expr, $t:expr; )*) => {
        static PRIMS: &[Prim] = &[ $( Prim { name: $name, monad: $m, dyad: $d, triad: $t }, )* ];
    };
}

prims! {
    // glyphs: monad (the `x:` form), dyad
    "+" => Some(lists::flip), Some(arith::add), None;
    "-" => Some(arith::neg), Some(arith::sub), None;
    "*" => Some(lists::first), Some(arith::mul), None;
    "%" => Some(arith::reciprocal), Some(arith::divide), None;
    "&" => Some(lists::where_), Some(arith::and), None;
    "|" => Some(lists::reverse), Some(arith::or), None;
    "^" => Some(compare::null), Some(join::fill), None;
    "=" => Some(sets::group), Some(compare::eq), None;
    "<" => Some(sort::iasc), Some(compare::lt), None;
    ">" => Some(sort::idesc), Some(compare::gt), None;
    "<>" => None, Some(compare::ne), None;
    "<=" => None, Some(compare::le), None;
    ">=" => None, Some(compare::ge), None;
    "," => Some(lists::enlist), Some(join::join), None;
    "$" => None, Some(cast::cast), None;
    "@" => Some(cast::type_), Some(index::at), None;
    "." => Some(lists::value), Some(index::dot), None;
    "#" => Some(lists::count_), Some(take::take), None;
    "_" => Some(arith::floor), Some(take::drop), None;
    "~" => Some(compare::not), Some(compare::match_), None;
    "!" => Some(lists::key), Some(take::bang), None;
    "?" => Some(sets::distinct), Some(sets::find), Some(sets::vector_cond);
    // arithmetic keywords
    "neg" => Some(arith::neg), None, None;
    "abs" => Some(arith::abs), None, None;
    "signum" => Some(arith::signum), None, None;
    "sqrt" => Some(arith::sqrt), None, None;
    "exp" => Some(arith::exp), None, None;
    "log" => Some(arith::log), None, None;
    "sin" => Some(arith::sin), None, None;
    "cos" => Some(arith::cos), None, None;
    "tan" => Some(arith::tan), None, None;
    "asin" => Some(arith::asin), None, None;
    "acos" => Some(arith::acos), None, None;
    "atan" => Some(arith::atan), None, None;
    "reciprocal" => Some(arith::reciprocal), None, None;
    "floor" => Some(arith::floor), None, None;
    "ceiling" => Some(arith::ceiling), None, None;
    "div" => None, Some(arith::idiv), None;
    "mod" => None, Some(arith::modulo), None;
    "xexp" => None, Some(arith::xexp), None;
    "xlog" => None, Some(arith::xlog), None;
    "xbar" => None, Some(arith::xbar), None;
    "and" => None, Some(arith::and), None;
    "or" => None, Some(arith::or), None;
    "sum" => Some(agg::sum), None, None;
    "prd" => Some(agg::prd), None, None;
    "min" => Some(agg::min), None, None;
    "max" => Some(agg::max), None, None;
    "avg" => Some(agg::avg), None, None;
    "sums" => Some(agg::sums), None, None;
    "prds" => Some(agg::prds), None, None;
    "mins" => Some(agg::mins), None, None;
    "maxs" => Some(agg::maxs), None, None;
    "avgs" => Some(agg::avgs), None, None;
    "deltas" => Some(agg::deltas), Some(agg::deltas_from), None;
    "ratios" => Some(agg::ratios), None, None;
    "wsum" => None, Some(agg::wsum), None;
    "wavg" => None, Some(agg::wavg), None;
    "var" => Some(agg::var), None, None;
    "svar" => Some(agg::svar), None, None;
    "dev" => Some(agg::dev), None, None;
    "sdev" => Some(agg::sdev), None, None;
    "med" => Some(agg::med), None, None;
    "cor" => None, Some(agg::cor), None;
    "cov" => None, Some(agg::cov), None;
    "scov" => None, Some(agg::scov), None;
    "mavg" => None, Some(window::mavg), None;
    "msum" => None, Some(window::msum), None;
    "mcount" => None, Some(window::mcount), None;
    "mdev" => None, Some(window::mdev), None;
    "mmax" => None, Some(window::mmax), None;
    "mmin" => None, Some(window::mmin), None;
    "ema" => None, Some(window::ema), None;
    "mmu" => None, Some(matrix::mmu), None;
    "inv" => Some(matrix::inv), None, None;
    "lsq" => None, Some(matrix::lsq), None;
    // comparison and logic
    "not" => Some(compare::not), None, None;
    "null" => Some(compare::null), None, None;
    "differ" => Some(compare::differ), None, None;
    "any" => Some(compare::any), None, None;
    "all" => Some(compare::all), None, None;
    // lists
    "til" => Some(lists::til), None, None;
    "count" => Some(lists::count_), None, None;
    "first" => Some(lists::first), None, None;
    "last" => Some(lists::last), None, None;
    "reverse" => Some(lists::reverse), None, None;
    "where" => Some(lists::where_), None, None;
    "enlist" => Some(lists::enlist), None, None;
    "raze" => Some(lists::raze), None, None;
    "flip" => Some(lists::flip), None, None;
    "key" => Some(lists::key), None, None;
    "value" => Some(lists::value), None, None;
    "fill" => None, Some(join::fill), None;
    "fills" => Some(join::fills), None, None;
    "prev" => Some(join::prev), None, None;
    "next" => Some(join::next), None, None;
    "xprev" => None, Some(join::xprev), None;
    "cut" => None, Some(take::cut), None;
    "sublist" => None, Some(take::sublist), None;
    "rotate" => None, Some(take::rotate), None;
    "cols" => Some(take::cols), None, None;
    "type" => Some(cast::type_), None, None;
    "distinct" => Some(sets::distinct), None, None;
    "group" => Some(sets::group), None, None;
    "in" => None, Some(sets::in_), None;
    "within" => None, Some(sets::within), None;
    "union" => None, Some(sets::union), None;
    "inter" => None, Some(sets::inter), None;
    "except" => None, Some(sets::except), None;
    "bin" => None, Some(sets::bin), None;
    "binr" => None, Some(sets::binr), None;
    "asc" => Some(sort::asc), None, None;
    "desc" => Some(sort::desc), None, None;
    "iasc" => Some(sort::iasc), None, None;
    "idesc" => Some(sort::idesc), None, None;
    "rank" => Some(sort::rank), None, None;
    "xrank" => None, Some(sort::xrank), None;
    // tables
    "keys" => Some(tables::keys), None, None;
    "xkey" => None, Some(tables::xkey), None;
    "xcol" => None, Some(tables::xcol), None;
    "xcols" => None, Some(tables::xcols), None;
    "xasc" => None, Some(tables::xasc), None;
    "xdesc" => None, Some(tables::xdesc), None;
    "cross" => None, Some(tables::cross), None;
    "meta" => Some(tables::meta), None, None;
    "attr" => Some(tables::attr), None, None;
    "lj" => None, Some(tables::lj), None;
    "ij" => None, Some(tables::ij), None;
    "uj" => None, Some(tables::uj), None;
    "aj" => None, None, Some(tables::aj);
    "ej" => None, None, Some(tables::ej);
    "pj" => None, Some(tables::pj), None;
    "upsert" => None, Some(join::join), None;
    "aj0" => None, None, Some(tables::aj0);
    "ajf" => None, None, Some(tables::ajf);
    "ajf0" => None, None, Some(tables::ajf0);
    "asof" => None, Some(tables::asof), None;
    "ungroup" => Some(tables::ungroup), None, None;
    "xgroup" => None, Some(tables::xgroup), None;
    // strings
    "lower" => Some(strings::lower), None, None;
    "upper" => Some(strings::upper), None, None;
    "trim" => Some(strings::trim), None, None;
    "ltrim" => Some(strings::ltrim), None, None;
    "rtrim" => Some(strings::rtrim), None, None;
    "like" => None, Some(strings::like), None;
    "ss" => None, Some(strings::ss), None;
    "ssr" => None, None, Some(strings::ssr);
    "vs" => None, Some(strings::vs), None;
    "sv" => None, Some(strings::sv), None;
    "hsym" => Some(strings::hsym), None, None;
    "md5" => Some(md5::md5), None, None;
}

/// The core of `x.year`, `x.minute`, ... on temporal values (what `` `year$x `` gives):
/// `year mm dd hh uu ss` as ints, and `date month minute second time timestamp timespan ...`
/// as casts. None when `name` is not such a field, so the evaluator can look further.
pub fn temporal_field(name: &str, x: K) -> Option<Result<K>> {
    let known = ["year", "mm", "dd", "hh", "uu", "ss"].contains(&name)
        || cast::NAMES.contains(&name) && !name.is_empty();
    known.then(|| cast::cast(K::sym(crate::obj::Sym::new(name)), x))
}

/// The primitive spelled `name` (a glyph such as `+` or `?`, or a keyword such as `til`).
/// A glyph followed by `:` (`+:`, `#:`) is its unary form only.
pub fn lookup(name: &str) -> Option<&'static Prim> {
    // By a hash of the name: every call of a primitive by name comes through here.
    type Index = std::collections::HashMap<&'static str, &'static Prim, hash::Build>;
    static INDEX: std::sync::OnceLock<Index> = std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut m = Index::default();
        for p in PRIMS.iter() {
            m.entry(p.name).or_insert(p);
        }
        m
    });
    // The names come mostly from symbols (whose text never moves): the last primitive found
    // at each address is tried first, and taken only when its name is this very text.
    thread_local! {
        static RECENT: [std::cell::Cell<Option<&'static Prim>>; 32] =
            const { [const { std::cell::Cell::new(None) }; 32] };
    }
    let at = name.as_ptr() as usize;
    let slot = (at ^ (at >> 6)) % 32;
    if let Some(p) = RECENT.with(|r| r[slot].get()).filter(|p| p.name == name) {
        return Some(p);
    }
    if let Some(p) = index.get(name) {
        RECENT.with(|r| r[slot].set(Some(p)));
        return Some(p);
    }
    let glyph = name.strip_suffix(':')?;
    let p = PRIMS.iter().find(|p| p.name == glyph)?;
    p.monad?;
    UNARY_FORMS
        .iter()
        .find(|u| u.name == p.name)
        .map(|u| &u.prim)
}

struct UnaryForm {
    name: &'static str,
    prim: Prim,
}

macro_rules! unary_forms {
    ($($g:literal $n:literal => $m:expr;)*) => {
        static UNARY_FORMS: &[UnaryForm] = &[ $( UnaryForm { name: $g, prim: Prim { name: $n, monad: Some($m), dyad: None, triad: None } }, )* ];
    };
}

unary_forms! {
    "+" "+:" => lists::flip;
    "-" "-:" => arith::neg;
    "*" "*:" => lists::first;
    "%" "%:" => arith::reciprocal;
    "&" "&:" => lists::where_;
    "|" "|:" => lists::reverse;
    "^" "^:" => compare::null;
    "," ",:" => lists::enlist;
    "#" "#:" => lists::count_;
    "_" "_:" => arith::floor;
    "~" "~:" => compare::not;
    "!" "!:" => lists::key;
    "?" "?:" => sets::distinct;
    "=" "=:" => sets::group;
    "<" "<:" => sort::iasc;
    ">" ">:" => sort::idesc;
    "@" "@:" => cast::type_;
    "." ".:" => lists::value;
}

/// kdb+'s (type, code) for a glyph (binary), a glyph with `:` (unary), or a keyword that kdb+
/// implements as a primitive.
pub fn code_of(name: &str) -> Option<(i8, u8)> {
    if let Some(i) = BINARY_CODES.iter().position(|&g| g == name) {
        return Some((crate::obj::BINARY, i as u8));
    }
    if let Some(i) = UNARY_CODES.iter().position(|&g| g == name) {
        return Some((crate::obj::UNARY, i as u8));
    }
    if let Some(&(_, c)) = KEYWORD_UNARY.iter().find(|(n, _)| *n == name) {
        return Some((crate::obj::UNARY, c));
    }
    if let Some(&(_, c)) = KEYWORD_BINARY.iter().find(|(n, _)| *n == name) {
        return Some((crate::obj::BINARY, c));
    }
    TERNARY_CODES
        .iter()
        .position(|&g| g == name)
        .map(|i| (crate::obj::TERNARY, i as u8))
}

/// The name kdb+ prints for a primitive atom of type `t` (101-103) and code `code`, and its
/// entry here when it has one (`+:` gives flip's entry, `+` the glyph's).
pub fn lookup_code(t: i8, code: u8) -> Option<(&'static str, Option<&'static Prim>)> {
    let name = match t {
        crate::obj::UNARY => *UNARY_CODES.get(code as usize)?,
        crate::obj::BINARY => *BINARY_CODES.get(code as usize)?,
        crate::obj::TERNARY => *TERNARY_CODES.get(code as usize)?,
        _ => return None,
    };
    Some((name, lookup(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        assert_eq!(code_of("+"), Some((102, 1)));
        assert_eq!(code_of("+:"), Some((101, 1)));
        assert_eq!(code_of("count"), Some((101, 13)));
        assert_eq!(code_of("not"), Some((101, 15)));
        assert_eq!(code_of("and"), Some((102, 5)));
        assert_eq!(code_of("insert"), Some((102, 28)));
        assert_eq!(code_of("max"), Some((101, 28)));
        assert_eq!(code_of("$"), Some((102, 11)));
        assert_eq!(code_of("/"), Some((103, 1)));
        let (name, p) = lookup_code(101, 13).unwrap();
        assert_eq!(name, "#:");
        assert_eq!(p.unwrap().name, "#:");
        assert!(lookup("+").unwrap().dyad.is_some());
        assert!(lookup("til").unwrap().monad.is_some());
        assert!(lookup("nosuch").is_none());
    }

    #[test]
    fn coded_primitives_over_data_resolve() {
        // Names in kdb+'s code tables that are pure functions of data must be in this table;
        // the rest (I/O, system, console) belong to the evaluator or formatter.
        let elsewhere = [
            "::", "$:", "0::", "1::", "2::", "exit", "getenv", "hopen", ":", "0:", "1:", "2:",
            "insert", "setenv",
        ];
        for name in UNARY_CODES.iter().chain(BINARY_CODES.iter()) {
            if !elsewhere.contains(name) {
                assert!(
                    lookup(name).is_some(),
                    "{name} has a kdb+ code but no entry"
                );
            }
        }
        for (name, _) in KEYWORD_UNARY.iter().chain(KEYWORD_BINARY.iter()) {
            if !["string", "get", "read0", "read1", "hopen", "hclose"].contains(name) {
                assert!(
                    lookup(name).is_some(),
                    "{name} is a coded keyword but has no entry"
                );
            }
        }
        for c in 1..20u8 {
            if !["$:"].contains(&UNARY_CODES[c as usize]) {
                assert!(
                    lookup_code(101, c)
                        .and_then(|(_, p)| p)
                        .and_then(|p| p.monad)
                        .is_some(),
                    "unary code {c}"
                );
            }
        }
    }

    #[test]
    fn every_entry_has_a_form_and_a_unique_name() {
        for (i, p) in PRIMS.iter().enumerate() {
            assert!(
                p.monad.is_some() || p.dyad.is_some() || p.triad.is_some(),
                "{}",
                p.name
            );
            assert!(
                PRIMS[..i].iter().all(|q| q.name != p.name),
                "duplicate {}",
                p.name
            );
        }
    }
}

#[cfg(test)]
mod field_tests {
    use super::temporal_field;
    use crate::obj::{K, *};

    #[test]
    fn fields_of_a_date() {
        let d = K::atom_i32(-KD, crate::obj::temporal::ymd(2015, 10, 28));
        assert_eq!(
            temporal_field("year", d.clone()).unwrap().unwrap().i(),
            2015
        );
        assert_eq!(temporal_field("mm", d.clone()).unwrap().unwrap().i(), 10);
        assert_eq!(
            temporal_field("month", d.clone()).unwrap().unwrap().t(),
            -KM
        );
        assert!(temporal_field("nosuch", d).is_none());
    }
}
