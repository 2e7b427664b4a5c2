//! The family test harness: a small reader for q literals and right-to-left application of
//! primitives, enough to write tests as `expression -> expected` lines in `testdata/*.q`.
//!
//! Not the interpreter (that is the evaluator's job): no lambdas, no variables, no iterators.
//! Expected values are read the same way and compared by type and value, floats to 7
//! significant digits (what the console shows). An expected `'name` is an error.

use super::kit::unify;
use super::parse;
use super::{lookup, Prim};
use crate::obj::table::table_from_dict;
use crate::obj::{Error, Result, Sym, K, *};

#[derive(Clone)]
enum Tok {
    Noun(K),
    Verb(&'static Prim),
    Open,
    Close,
    LBrack,
    RBrack,
    Semi,
    /// `name:` inside a table literal.
    Col(Sym),
}

const GLYPHS: &[&str] = &[
    "<>", "<=", ">=", "+", "-", "*", "%", "&", "|", "^", "=", "<", ">", ",", "#", "_", "~", "!",
    "?", "@", ".", "$",
];

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'.'
}

/// One numeric or temporal literal word (no spaces) as an atom, with the suffix's type.
fn literal(w: &str) -> Option<K> {
    let b = w.as_bytes();
    if let Some(hex) = w.strip_prefix("0x") {
        let hex = &if hex.len() % 2 == 1 {
            format!("0{hex}")
        } else {
            hex.to_string()
        };
        let v: Option<Vec<u8>> = (0..hex.len() / 2)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
            .collect();
        let v = v?;
        return Some(if v.len() == 1 {
            K::byte(v[0])
        } else {
            K::from_slice(KG, &v)
        });
    }
    if w.len() >= 2
        && (w.starts_with("0N")
            || w.starts_with("0W")
            || w.starts_with("-0W")
            || w.starts_with("0n")
            || w.starts_with("0w")
            || w.starts_with("-0w"))
    {
        let neg = w.starts_with('-');
        let body = w.trim_start_matches('-');
        let t = match body.as_bytes().get(2) {
            None if body.as_bytes()[1].is_ascii_lowercase() => KF,
            None => KJ,
            Some(&c) => type_of_char(c)?,
        };
        let null = body.as_bytes()[1] == b'N' || body.as_bytes()[1] == b'n';
        if null {
            return Some(super::kit::null_atom(t));
        }
        let inf = match t {
            KF => K::float(if neg { -WF } else { WF }),
            KE => K::real(if neg { -WE } else { WE }),
            KH => K::short(if neg { -WH } else { WH }),
            KI => K::int(if neg { -WI } else { WI }),
            t if item_size(t) == 4 => K::atom_i32(-t, if neg { -WI } else { WI }),
            t => K::atom_i64(-t, if neg { -WJ } else { WJ }),
        };
        return Some(inf);
    }
    let last = *b.last()?;
    if b.len() >= 10 && b[4] == b'.' && b[7] == b'.' {
        return match b.get(10) {
            None => Some(parse::atom(KD, b)),
            Some(b'D') => Some(parse::atom(KP, b)),
            Some(b'T') => Some(parse::atom(KZ, b)),
            _ => None,
        };
    }
    if b.len() == 8 && b[4] == b'.' && last == b'm' {
        return Some(parse::atom(KM, &b[..7]));
    }
    if b.contains(&b'D') {
        return Some(parse::atom(KN, b));
    }
    if b.contains(&b':') {
        let colons = b.iter().filter(|&&c| c == b':').count();
        let frac = b
            .iter()
            .position(|&c| c == b'.')
            .map_or(0, |p| b.len() - p - 1);
        let (body, sfx) = match last {
            b'u' | b'v' | b't' | b'n' => (&b[..b.len() - 1], Some(last)),
            _ => (b, None),
        };
        if let Some(s) = sfx {
            return Some(parse::atom(type_of_char(s)?, body));
        }
        return Some(match (colons, b.contains(&b'.')) {
            _ if frac > 3 => parse::atom(KN, b),
            (1, _) => parse::atom(KU, b),
            (2, false) => parse::atom(KV, b),
            _ => parse::atom(KT, b),
        });
    }
    let (body, t) = match last {
        b'h' | b'i' | b'j' | b'e' | b'f' | b'b' if !b.starts_with(b"0x") => {
            (&w[..w.len() - 1], type_of_char(last)?)
        }
        _ if w.contains('.') || w.contains('e') => (w, KF),
        _ => (w, KJ),
    };
    if t == KB {
        let v: Vec<u8> = body.bytes().map(|c| (c == b'1') as u8).collect();
        return Some(if v.len() == 1 {
            K::bool(v[0] != 0)
        } else {
            K::from_slice(KB, &v)
        });
    }
    let k = parse::atom(t, body.as_bytes());
    (!super::compare::matches(&k, &super::kit::null_atom(t)) || body == "0N").then_some(k)
}

fn type_of_char(c: u8) -> Option<i8> {
    let s = b" bg xhijefcspmdznuvt";
    s.iter()
        .position(|&x| x == c)
        .map(|p| p as i8)
        .filter(|&p| p > 0)
}

fn lex(src: &str) -> Result<Vec<Tok>> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let noun_before =
        |out: &Vec<Tok>| matches!(out.last(), Some(Tok::Noun(_) | Tok::Close | Tok::RBrack));
    while i < b.len() {
        let c = b[i];
        if c == b' ' {
            i += 1;
            continue;
        }
        let prev_space = i > 0 && b[i - 1] == b' ';
        let digit_at = |j: usize| b.get(j).is_some_and(|d| d.is_ascii_digit());
        let starts_number = c.is_ascii_digit()
            || c == b'.' && digit_at(i + 1)
            || (c == b'-'
                && (digit_at(i + 1) || b.get(i + 1) == Some(&b'.') && digit_at(i + 2))
                && (!noun_before(&out)
                    || prev_space && !matches!(out.last(), Some(Tok::Close | Tok::RBrack))));
        if starts_number {
            // A run of literal words separated by single spaces is one vector.
            let mut words: Vec<&str> = Vec::new();
            loop {
                let s = i;
                i += 1;
                while i < b.len()
                    && (b[i].is_ascii_alphanumeric()
                        || matches!(b[i], b'.' | b':')
                        || b[i] == b'-'
                            && b[i - 1] == b'e'
                            && b[s].is_ascii_digit()
                            && !src[s..i].contains(':'))
                {
                    i += 1;
                }
                words.push(&src[s..i]);
                let next_is_num = i + 1 < b.len()
                    && b[i] == b' '
                    && (digit_at(i + 1)
                        || b[i + 1] == b'.' && digit_at(i + 2)
                        || b[i + 1] == b'-' && (digit_at(i + 2) || b.get(i + 2) == Some(&b'.')));
                if !next_is_num {
                    break;
                }
                i += 1;
            }
            out.push(Tok::Noun(vector_literal(&words)?));
            continue;
        }
        match c {
            b'`' => {
                let mut syms = Vec::new();
                while i < b.len() && b[i] == b'`' {
                    let s = i + 1;
                    i += 1;
                    while i < b.len() && (is_name_char(b[i]) || b[i] == b':') {
                        i += 1;
                    }
                    syms.push(Sym::new(&src[s..i]));
                }
                out.push(Tok::Noun(if syms.len() == 1 {
                    K::sym(syms[0])
                } else {
                    K::from_slice(KS, &syms)
                }));
            }
            b'"' => {
                let mut s = Vec::new();
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                        if b[i].is_ascii_digit() && i + 2 < b.len() {
                            s.push(
                                u8::from_str_radix(&src[i..i + 3], 8)
                                    .map_err(|_| Error::new("lex escape"))?,
                            );
                            i += 3;
                            continue;
                        }
                        s.push(match b[i] {
                            b'n' => b'\n',
                            b't' => b'\t',
                            b'r' => b'\r',
                            c => c,
                        });
                    } else {
                        s.push(b[i]);
                    }
                    i += 1;
                }
                i += 1;
                out.push(Tok::Noun(if s.len() == 1 {
                    K::char(s[0])
                } else {
                    K::string(s)
                }));
            }
            b'(' => {
                out.push(Tok::Open);
                i += 1;
            }
            b')' => {
                out.push(Tok::Close);
                i += 1;
            }
            b'[' => {
                out.push(Tok::LBrack);
                i += 1;
            }
            b']' => {
                out.push(Tok::RBrack);
                i += 1;
            }
            b';' => {
                out.push(Tok::Semi);
                i += 1;
            }
            _ if c.is_ascii_alphabetic() => {
                let s = i;
                while i < b.len() && is_name_char(b[i]) {
                    i += 1;
                }
                let name = &src[s..i];
                if b.get(i) == Some(&b':') {
                    i += 1;
                    out.push(Tok::Col(Sym::new(name)));
                    continue;
                }
                out.push(Tok::Verb(
                    lookup(name).ok_or_else(|| Error::new(format!("unknown {name}")))?,
                ));
            }
            _ => {
                let g = GLYPHS
                    .iter()
                    .find(|g| src[i..].starts_with(**g))
                    .ok_or_else(|| Error::new(format!("lex at {}", &src[i..])))?;
                i += g.len();
                let name = if b.get(i) == Some(&b':') {
                    i += 1;
                    format!("{g}:")
                } else {
                    g.to_string()
                };
                out.push(Tok::Verb(
                    lookup(&name).ok_or_else(|| Error::new(format!("unknown {name}")))?,
                ));
            }
        }
    }
    Ok(out)
}

/// The type letter a word ends with, when it is a suffix (not part of a date or hex).
fn suffix(w: &str) -> Option<u8> {
    let last = *w.as_bytes().last()?;
    if matches!(w.trim_start_matches('-'), "0n" | "0N" | "0w" | "0W") {
        return None;
    }
    let date_like = w.len() >= 10 && w.as_bytes()[4] == b'.' && w.as_bytes()[7] == b'.';
    (!w.starts_with("0x")
        && !date_like
        && b"bhijefgpmdznuvt".contains(&last)
        && w.len() > 1
        && (w.as_bytes()[w.len() - 2].is_ascii_digit()
            || w.as_bytes()[w.len() - 2] == b'.'
            || w.as_bytes()[w.len() - 2] == b'N'
            || w.as_bytes()[w.len() - 2] == b'W'
            || w.as_bytes()[w.len() - 2] == b'n'
            || w.as_bytes()[w.len() - 2] == b'w'))
        .then_some(last)
}

fn vector_literal(words: &[&str]) -> Result<K> {
    let lex_err = |w: &str| Error::new(format!("lex {w}"));
    let one = |w: &str| literal(w).ok_or_else(|| lex_err(w));
    if words.len() == 1 {
        return one(words[0]);
    }
    // A suffix on the last word types the whole vector (`1 2 3i`, `2012.05 2012.06m`, `0n 1 2i`).
    if let Some(sfx) = words.last().and_then(|w| suffix(w)) {
        let typed: Vec<K> = words
            .iter()
            .map(|w| {
                if suffix(w).is_some() {
                    return one(w);
                }
                let w = match *w {
                    "0n" | "0N" => "0N".to_string(),
                    "0w" | "0W" => "0W".to_string(),
                    "-0w" | "-0W" => "-0W".to_string(),
                    w => w.to_string(),
                };
                one(&format!("{w}{}", sfx as char))
            })
            .collect::<Result<_>>()?;
        return Ok(unify(typed));
    }
    let ks: Vec<K> = words.iter().map(|w| one(w)).collect::<Result<_>>()?;
    if ks.iter().any(|w| w.t() > 0) {
        return Ok(K::list(ks));
    }
    // Mixed int/float words make a float vector, as q reads `1 2.5`.
    if ks.iter().any(|w| w.t() == -KF) && ks.iter().all(|w| w.t() == -KF || w.t() == -KJ) {
        return Ok(K::from_slice(
            KF,
            &ks.iter().map(super::num::scalar::<f64>).collect::<Vec<_>>(),
        ));
    }
    Ok(unify(ks))
}

struct Reader {
    toks: Vec<Tok>,
    pos: usize,
}

impl Reader {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    /// expression := item* evaluated right to left.
    fn expr(&mut self) -> Result<K> {
        let mut items: Vec<Tok> = Vec::new();
        while let Some(t) = self.peek() {
            match t {
                Tok::Close | Tok::RBrack | Tok::Semi => break,
                _ => {}
            }
            let item = self.item()?;
            items.push(item);
        }
        eval(&items)
    }

    /// One noun or verb, with any bracket application after it.
    fn item(&mut self) -> Result<Tok> {
        let t = self.toks[self.pos].clone();
        self.pos += 1;
        let mut item = match t {
            Tok::Open => Tok::Noun(self.paren()?),
            Tok::Noun(_) | Tok::Verb(_) => t,
            _ => return Err(Error::new("syntax")),
        };
        while let (Some(Tok::LBrack), Tok::Verb(p)) = (self.peek(), &item) {
            let p = *p;
            self.pos += 1;
            let args = self.args()?;
            item = Tok::Noun(apply(p, args)?);
        }
        Ok(item)
    }

    fn args(&mut self) -> Result<Vec<K>> {
        let mut args = Vec::new();
        loop {
            args.push(self.expr()?);
            match self.toks.get(self.pos) {
                Some(Tok::Semi) => self.pos += 1,
                Some(Tok::RBrack | Tok::Close) => {
                    self.pos += 1;
                    return Ok(args);
                }
                _ => return Err(Error::new("syntax")),
            }
        }
    }

    /// After `(`: `()`, `(x)`, `(a;b;...)`, or a table `([k:..] c:..;...)`.
    fn paren(&mut self) -> Result<K> {
        if let Some(Tok::Close) = self.peek() {
            self.pos += 1;
            return Ok(K::list(vec![]));
        }
        if let Some(Tok::LBrack) = self.peek() {
            self.pos += 1;
            let keys = self.columns(true)?;
            let vals = self.columns(false)?;
            let table = |cols: Vec<(Sym, K)>| -> Result<K> {
                let names: Vec<Sym> = cols.iter().map(|c| c.0).collect();
                let n = cols
                    .iter()
                    .filter(|c| c.1.t() >= 0)
                    .map(|c| super::kit::count(&c.1))
                    .max()
                    .unwrap_or(1);
                let vals: Vec<K> = cols
                    .into_iter()
                    .map(|c| {
                        if c.1.t() < 0 {
                            super::lists::stretch(&c.1, n)
                        } else {
                            c.1
                        }
                    })
                    .collect();
                table_from_dict(K::dict(K::from_slice(KS, &names), K::list(vals)))
            };
            return if keys.is_empty() {
                table(vals)
            } else {
                Ok(K::dict(table(keys)?, table(vals)?))
            };
        }
        let items = self.args()?;
        Ok(if items.len() == 1 {
            items.into_iter().next().unwrap()
        } else {
            unify(items)
        })
    }

    /// `name:expr;...` up to `]` (keys) or `)` (values).
    fn columns(&mut self, keys: bool) -> Result<Vec<(Sym, K)>> {
        let mut cols = Vec::new();
        loop {
            match self.peek() {
                Some(Tok::RBrack) if keys => {
                    self.pos += 1;
                    return Ok(cols);
                }
                Some(Tok::Close) if !keys => {
                    self.pos += 1;
                    return Ok(cols);
                }
                Some(Tok::Semi) => self.pos += 1,
                Some(Tok::Col(s)) => {
                    let s = *s;
                    self.pos += 1;
                    cols.push((s, self.expr()?));
                }
                _ => return Err(Error::new("syntax")),
            }
        }
    }
}

fn apply(p: &Prim, mut args: Vec<K>) -> Result<K> {
    match args.len() {
        1 => (p.monad.ok_or_else(Error::rank)?)(args.pop().unwrap()),
        2 => {
            let y = args.pop().unwrap();
            (p.dyad.ok_or_else(Error::rank)?)(args.pop().unwrap(), y)
        }
        3 => {
            let z = args.pop().unwrap();
            let y = args.pop().unwrap();
            (p.triad.ok_or_else(Error::rank)?)(args.pop().unwrap(), y, z)
        }
        _ if p.name == "enlist" => Ok(unify(args)),
        _ => Err(Error::rank()),
    }
}

fn eval(items: &[Tok]) -> Result<K> {
    match items {
        [] => Ok(K::identity()),
        [Tok::Noun(x)] => Ok(x.clone()),
        [Tok::Verb(p), rest @ ..] if !rest.is_empty() => apply(p, vec![eval(rest)?]),
        [Tok::Noun(x), Tok::Verb(p), rest @ ..] if !rest.is_empty() => {
            apply(p, vec![x.clone(), eval(rest)?])
        }
        _ => Err(Error::new("syntax")),
    }
}

/// Evaluates one test expression.
pub fn run(src: &str) -> Result<K> {
    let mut r = Reader {
        toks: lex(src)?,
        pos: 0,
    };
    let v = r.expr()?;
    if r.pos != r.toks.len() {
        return Err(Error::new("syntax"));
    }
    Ok(v)
}

/// Same type and value; floats equal to 7 significant digits.
pub fn same(a: &K, b: &K) -> bool {
    if a.t() != b.t() {
        return false;
    }
    let close = |x: f64, y: f64| {
        x == y || x.is_nan() && y.is_nan() || (x - y).abs() <= 1e-6 * x.abs().max(y.abs())
    };
    match a.t() {
        XT => same(a.table_dict(), b.table_dict()),
        t if owns_items(t) => {
            a.n() == b.n() && a.items().iter().zip(b.items()).all(|(x, y)| same(x, y))
        }
        KF | KZ | KE => {
            let (x, y) = (super::num::column::<f64>(a), super::num::column::<f64>(b));
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(&x, &y)| close(x, y))
        }
        t if t == -KF || t == -KE || t == -KZ => {
            close(super::num::scalar::<f64>(a), super::num::scalar::<f64>(b))
        }
        _ => super::compare::matches(a, b),
    }
}

/// Runs every `expr -> expected` line of a test file; returns the number of cases.
pub fn run_file(name: &str, text: &str) -> usize {
    let mut failures = Vec::new();
    let mut n = 0;
    for (lineno, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('/') {
            continue;
        }
        let Some((expr, expected)) = line.split_once(" -> ") else {
            failures.push(format!("{name}:{}: no ' -> '", lineno + 1));
            continue;
        };
        n += 1;
        let got = run(expr.trim());
        let expected = expected.trim();
        let ok = match (&got, expected.strip_prefix('\'')) {
            (Err(e), Some(msg)) => e.msg().as_str() == msg,
            (Ok(v), None) => match run(expected) {
                Ok(want) => same(v, &want),
                Err(e) => {
                    failures.push(format!(
                        "{name}:{}: expected value does not read: {e}",
                        lineno + 1
                    ));
                    continue;
                }
            },
            _ => false,
        };
        if !ok {
            let shown = match &got {
                Ok(v) => describe(v),
                Err(e) => format!("{e}"),
            };
            failures.push(format!(
                "{name}:{}: {expr} -> {expected}, got {shown}",
                lineno + 1
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {n} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    n
}

/// A rough rendering for failure messages (the real one is the formatter's).
pub fn describe(k: &K) -> String {
    let t = k.t();
    match t {
        ERROR => format!("'{}", k.s().as_str()),
        UNARY | BINARY | TERNARY => format!("<{t}:{}>", k.g()),
        XT => format!("table {}", describe(k.table_dict())),
        XD => format!(
            "({})!({})",
            describe(&k.items()[0]),
            describe(&k.items()[1])
        ),
        0 => format!(
            "({})",
            k.items().iter().map(describe).collect::<Vec<_>>().join(";")
        ),
        KS => format!(
            "`{}",
            k.as_slice::<Sym>()
                .iter()
                .map(|s| s.as_str().into_owned())
                .collect::<Vec<_>>()
                .join("`")
        ),
        KC => format!("{:?}", String::from_utf8_lossy(k.as_slice::<u8>())),
        t if t > 0 && t < XT => {
            let items: Vec<String> = super::kit::items_of(k).iter().map(describe).collect();
            format!("{}:{}", t, items.join(" "))
        }
        t if t == -KS => format!("`{}", k.s().as_str()),
        t if t == -KF || t == -KZ => format!("{}f", k.f()),
        t if t == -KE => format!("{}e", k.e()),
        t if t == -KC => format!("\"{}\"", k.g() as char),
        t if t < 0 && item_size(-t) == 8 => format!("{}({})", k.j(), t),
        t if t < 0 && item_size(-t) == 4 => format!("{}({})", k.i(), t),
        t if t < 0 && item_size(-t) == 2 => format!("{}({})", k.h(), t),
        t if t < 0 => format!("{}({})", k.g(), t),
        _ => format!("<{t}>"),
    }
}

/// One #[test] per family file.
#[cfg(test)]
mod families {
    macro_rules! family {
        ($test:ident, $file:literal) => {
            #[test]
            fn $test() {
                let n = super::run_file($file, include_str!(concat!("testdata/", $file)));
                assert!(n > 0);
            }
        };
    }
    family!(arith, "arith.q");
    family!(compare, "compare.q");
    family!(lists, "lists.q");
    family!(cast, "cast.q");
    family!(strings, "strings.q");
    family!(tables, "tables.q");
    family!(regress, "regress.q");
}

/// Runs the single-line cases of the KX docs corpus that this reader understands and
/// prints the mismatches (input readable, expected readable as a literal). A survey tool:
/// `CORPUS=/tmp/corpus_cases.tsv cargo test --lib q::prims::testkit::corpus -- --ignored --nocapture`.
#[test]
#[ignore]
fn corpus() {
    let Ok(path) = std::env::var("CORPUS") else {
        return;
    };
    let text = std::fs::read_to_string(path).expect("corpus file");
    let (mut pass, mut fail) = (0, 0);
    for line in text.lines() {
        let mut f = line.split('\t');
        let (Some(input), Some(expected), Some(id)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        let got = std::panic::catch_unwind(|| {
            run(input)
                .map(|k| describe(&k))
                .map_err(|e| e.msg().as_str().into_owned())
        });
        let got = match got {
            Ok(g) => g,
            Err(_) => {
                println!("PANIC {id}: {input}");
                fail += 1;
                continue;
            }
        };
        if matches!(&got, Err(e) if e.starts_with("unknown") || e.starts_with("lex") || e == "syntax")
        {
            continue;
        }
        let ok = match (&got, expected.strip_prefix('\'')) {
            (Err(e), Some(m)) => e == m,
            (Ok(_), None) => match run(expected) {
                Ok(want) => run(input).is_ok_and(|v| same(&v, &want)),
                Err(_) => continue,
            },
            _ => false,
        };
        if ok {
            pass += 1;
        } else {
            fail += 1;
            println!("FAIL {id}: {input}  =>  want {expected}  got {got:?}");
        }
    }
    println!("corpus: {pass} pass, {fail} fail");
}
