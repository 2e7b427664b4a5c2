//! Strings and symbols: `lower upper trim ltrim rtrim like ss ssr vs sv`.

use super::kit::{int_list, items_of, unify};
use super::num::column;
use crate::obj::{Error, Result, Sym, K, *};
use crate::q::eval::stop;

/// Applies `f` to every string (char vector or char atom) and symbol found in x, through
/// general lists, dicts and tables.
fn each_text(x: K, f: &dyn Fn(&[u8]) -> Vec<u8>) -> Result<K> {
    crate::q::eval::stack::guard();
    match x.t() {
        KC => Ok(K::string(f(x.as_slice::<u8>()))),
        t if t == -KC => Ok(K::char(f(&[x.g()]).first().copied().unwrap_or(b' '))),
        t if t == -KS => Ok(K::sym(Sym::new(f(x.s().as_bytes())))),
        KS => {
            let v: Vec<Sym> = x
                .as_slice::<Sym>()
                .iter()
                .map(|s| Sym::new(f(s.as_bytes())))
                .collect();
            Ok(K::from_slice(KS, &v))
        }
        0 => Ok(K::list(
            x.items()
                .iter()
                .map(|k| each_text(k.clone(), f))
                .collect::<Result<_>>()?,
        )),
        XD => {
            let [k, v] = x.items() else { unreachable!() };
            Ok(K::dict(k.clone(), each_text(v.clone(), f)?))
        }
        XT => super::kit::map_columns(&x, |c| each_text(c, f)),
        _ => Err(Error::type_()),
    }
}

pub fn lower(x: K) -> Result<K> {
    each_text(x, &|s| s.to_ascii_lowercase())
}

pub fn upper(x: K) -> Result<K> {
    each_text(x, &|s| s.to_ascii_uppercase())
}

/// Trims strings of blanks; other lists of their nulls (`trim 0N 1 0N` is `,1`).
fn trim_with(x: K, left: bool, right: bool) -> Result<K> {
    crate::q::eval::stack::guard();
    match x.t() {
        KC => {
            let s = x.as_slice::<u8>();
            let a = if left {
                s.iter().position(|&c| c != b' ').unwrap_or(s.len())
            } else {
                0
            };
            let b = if right {
                s.iter().rposition(|&c| c != b' ').map_or(a, |p| p + 1)
            } else {
                s.len()
            };
            Ok(K::string(&s[a..b.max(a)]))
        }
        0 => Ok(K::list(
            x.items()
                .iter()
                .map(|k| trim_with(k.clone(), left, right))
                .collect::<Result<_>>()?,
        )),
        XD => {
            let [k, v] = x.items() else { unreachable!() };
            Ok(K::dict(k.clone(), trim_with(v.clone(), left, right)?))
        }
        XT => super::kit::map_columns(&x, |c| trim_with(c, left, right)),
        t if t > 0 && t < XT => {
            let nulls = super::compare::null(x.clone())?;
            let m = nulls.as_slice::<u8>();
            let a = if left {
                m.iter().position(|&c| c == 0).unwrap_or(m.len())
            } else {
                0
            };
            let b = if right {
                m.iter().rposition(|&c| c == 0).map_or(a, |p| p + 1)
            } else {
                m.len()
            };
            Ok(super::kit::gather(
                &x,
                &(a as i64..b.max(a) as i64).collect::<Vec<_>>(),
            ))
        }
        _ => Ok(x),
    }
}

pub fn trim(x: K) -> Result<K> {
    trim_with(x, true, true)
}
pub fn ltrim(x: K) -> Result<K> {
    trim_with(x, true, false)
}
pub fn rtrim(x: K) -> Result<K> {
    trim_with(x, false, true)
}

// ---- patterns ------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Pat {
    Char(u8),
    AnyOne,
    AnyRun,
    Set { chars: Vec<u8>, negated: bool },
}

fn compile(p: &[u8]) -> Vec<Pat> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            b'*' => out.push(Pat::AnyRun),
            b'?' => out.push(Pat::AnyOne),
            b'[' if p[i + 1..].contains(&b']') => {
                let end = i
                    + 1
                    + p[i + 1..]
                        .iter()
                        .skip(1)
                        .position(|&c| c == b']')
                        .map_or(0, |e| e + 1);
                let body = &p[i + 1..end];
                let (negated, body) = match body.split_first() {
                    Some((b'^', rest)) if !rest.is_empty() => (true, rest),
                    _ => (false, body),
                };
                let mut chars = Vec::new();
                let mut j = 0;
                while j < body.len() {
                    if j + 2 < body.len() && body[j + 1] == b'-' {
                        chars.extend(body[j]..=body[j + 2]);
                        j += 3;
                    } else {
                        chars.push(body[j]);
                        j += 1;
                    }
                }
                out.push(Pat::Set { chars, negated });
                i = end;
            }
            c => out.push(Pat::Char(c)),
        }
        i += 1;
    }
    out
}

fn one(p: &Pat, c: u8) -> bool {
    match p {
        Pat::Char(x) => *x == c,
        Pat::AnyOne => true,
        Pat::Set { chars, negated } => chars.contains(&c) != *negated,
        Pat::AnyRun => unreachable!("runs are matched by the caller"),
    }
}

/// Whether `s` matches the whole pattern.
fn matches_all(p: &[Pat], s: &[u8]) -> bool {
    crate::q::eval::stack::guard();
    match p.split_first() {
        None => s.is_empty(),
        Some((Pat::AnyRun, rest)) => (0..=s.len()).any(|k| matches_all(rest, &s[k..])),
        Some((e, rest)) => !s.is_empty() && one(e, s[0]) && matches_all(rest, &s[1..]),
    }
}

/// `x like pattern`: strings or symbols matched against `*` `?` `[set]` `[^set]`.
pub fn like(x: K, y: K) -> Result<K> {
    if y.t() == KC && stars_beyond_ends(y.as_slice::<u8>()) {
        return Err(Error::nyi());
    }
    let pat = match y.t() {
        KC => compile(y.as_slice::<u8>()),
        t if t == -KC => compile(&[y.g()]),
        _ => return Err(Error::type_()),
    };
    like_with(x, &pat)
}

/// kdb+ matches `*` inside a pattern only when it is the only one: `"*the*"` and `"br*wn"`
/// work, `"*the*the"` and `"*the*the*"` are 'nyi in kdb+ itself (basics/regex.md, "Some
/// patterns with `*` are too difficult to match. They produce a `nyi` error"), so this 'nyi
/// is kdb+'s answer, kept on purpose. (Stars inside `[...]` are literal.)
fn stars_beyond_ends(p: &[u8]) -> bool {
    let mut stars = Vec::new();
    let mut in_set = false;
    for (i, &c) in p.iter().enumerate() {
        match c {
            b'[' if !in_set => in_set = true,
            b']' if in_set => in_set = false,
            b'*' if !in_set && (i == 0 || p[i - 1] != b'\\') => stars.push(i),
            _ => {}
        }
    }
    stars.len() > 1 && stars.iter().any(|&i| i != 0 && i != p.len() - 1)
}

fn like_with(x: K, pat: &[Pat]) -> Result<K> {
    crate::q::eval::stack::guard();
    match x.t() {
        KC => Ok(K::bool(matches_all(pat, x.as_slice::<u8>()))),
        t if t == -KC => Ok(K::bool(matches_all(pat, &[x.g()]))),
        t if t == -KS => Ok(K::bool(matches_all(pat, x.s().as_bytes()))),
        KS => {
            let v = stop::map(x.as_slice::<Sym>(), |s| {
                matches_all(pat, s.as_bytes()) as u8
            })?;
            Ok(K::from_slice(KB, &v))
        }
        0 => {
            // A general list must be a list of strings (`(`a;`b`c) like ...` is a type error).
            if x.items().iter().any(|k| k.t() != KC && k.t() != -KC) {
                return Err(Error::type_());
            }
            Ok(unify(stop::try_map(x.items(), |k| {
                like_with(k.clone(), pat)
            })?))
        }
        XD => {
            let [k, v] = x.items() else { unreachable!() };
            Ok(K::dict(k.clone(), like_with(v.clone(), pat)?))
        }
        _ => Err(Error::type_()),
    }
}

/// Starts of non-overlapping matches of a fixed-width pattern in s.
fn find_all(s: &[u8], p: &[Pat]) -> Result<Vec<usize>> {
    let w = p.len();
    let mut out = Vec::new();
    let mut i = 0;
    while w > 0 && i + w <= s.len() {
        // A chunk of starting positions between two checks for 'stop.
        stop::check()?;
        let end = (i + stop::CHUNK).min(s.len() + 1 - w);
        while i < end {
            if p.iter().zip(&s[i..i + w]).all(|(e, &c)| one(e, c)) {
                out.push(i);
                i += w;
            } else {
                i += 1;
            }
        }
    }
    Ok(out)
}

fn text(x: &K) -> Result<Vec<u8>> {
    match x.t() {
        KC => Ok(x.as_slice::<u8>().to_vec()),
        t if t == -KC => Ok(vec![x.g()]),
        t if t == -KS => Ok(x.s().as_bytes().to_vec()),
        _ => Err(Error::type_()),
    }
}

/// A pattern for ss and ssr: it matches a fixed width, so neither empty nor with `*`.
fn fixed_pattern(y: &K) -> Result<Vec<Pat>> {
    let p = compile(&text(y)?);
    if p.is_empty() || p.iter().any(|e| matches!(e, Pat::AnyRun)) {
        return Err(Error::length());
    }
    Ok(p)
}

/// `x ss y`: where pattern y (with `?` and `[set]`) occurs in string x.
pub fn ss(x: K, y: K) -> Result<K> {
    let p = fixed_pattern(&y)?;
    let v: Vec<i64> = find_all(&text(&x)?, &p)?
        .into_iter()
        .map(|i| i as i64)
        .collect();
    Ok(K::from_slice(KJ, &v))
}

/// `ssr[x;y;z]`: string x with matches of pattern y replaced by string z.
pub fn ssr(x: K, y: K, z: K) -> Result<K> {
    let r = text(&z)?;
    ssr_with(x, y, &mut |_| Ok(K::string(r.clone())))
}

/// `ssr[s;p;f]`: each match replaced by what `replace` makes of it (a string).
pub fn ssr_with(x: K, y: K, replace: &mut dyn FnMut(K) -> Result<K>) -> Result<K> {
    // The string searched must be a string, not a char.
    if x.t() == -KC {
        return Err(Error::type_());
    }
    let s = text(&x)?;
    let p = fixed_pattern(&y)?;
    let mut out = Vec::with_capacity(s.len());
    let mut last = 0;
    for i in find_all(&s, &p)? {
        out.extend_from_slice(&s[last..i]);
        let r = replace(K::string(&s[i..i + p.len()]))?;
        out.extend_from_slice(&text(&r)?);
        last = i + p.len();
    }
    out.extend_from_slice(&s[last..]);
    Ok(K::string(out))
}

/// `x vs y`: split a string at a separator, a symbol at dots, or encode numbers in a base
/// (`10 vs 1995`), bits (`0b vs`) or bytes (`0x0 vs`).
pub fn vs(x: K, y: K) -> Result<K> {
    match (x.t(), y.t()) {
        (t, yt)
            if (t.wrapping_abs() == KC || t.wrapping_abs() == KG && (t == KG || x.g() != 0))
                && (yt == KC || yt == KG) =>
        {
            // The pieces take the separator's type (`" " vs "x"$"a b"` gives strings).
            let sep = if t < 0 {
                vec![x.g()]
            } else {
                x.as_slice::<u8>().to_vec()
            };
            let s = y.as_slice::<u8>();
            let piece_t = t.wrapping_abs();
            Ok(K::list(stop::map(&split(s, &sep)?, |p| {
                K::from_slice(piece_t, p)
            })?))
        }
        (t, yt) if t == -KS && x.s().is_empty() && (yt == KC || yt == KG) => {
            let s = y.as_slice::<u8>();
            let s = s.strip_suffix(b"\n").unwrap_or(s);
            let lines = split(s, b"\n")?;
            Ok(K::list(stop::map(&lines, |l| {
                K::string(l.strip_suffix(b"\r").unwrap_or(l))
            })?))
        }
        (t, yt) if t == -KS && x.s().is_empty() && yt == -KS => {
            // A file handle splits into its directory and file (`:/a/b.dat -> `:/a`b.dat).
            let name = y.s().as_bytes();
            let slash = name.iter().rposition(|&c| c == b'/');
            if let (Some(b':'), Some(cut)) = (name.first(), slash) {
                let (dir, file) = (&name[..cut], &name[cut + 1..]);
                return Ok(K::from_slice(KS, &[Sym::new(dir), Sym::new(file)]));
            }
            let parts: Vec<Sym> = split(y.s().as_bytes(), b".")?
                .into_iter()
                .map(Sym::new)
                .collect();
            Ok(K::from_slice(KS, &parts))
        }
        (t, _) if t == -KB => bits_of(&y),
        (t, _) if t == -KG && x.g() == 0 => bytes_of(&y),
        (t, _) if (t == -KJ || t == -KI || t == KJ || t == KI) && y.t() < 0 => {
            encode(&int_list(&x)?, super::kit::int_atom(&y)?)
        }
        (t, yt)
            if (t == -KJ || t == -KI || t == KJ || t == KI)
                && matches!(yt, 0 | KB | KG | KH | KI | KJ) =>
        {
            encode_many(&int_list(&x)?, &y)
        }
        _ => Err(Error::type_()),
    }
}

/// The pieces of `s` between occurrences of `sep` (checking for `'stop` as it goes).
fn split<'a>(s: &'a [u8], sep: &[u8]) -> Result<Vec<&'a [u8]>> {
    if sep.is_empty() {
        return Ok(vec![s]);
    }
    let mut out = Vec::new();
    let mut last = 0;
    let mut i = 0;
    while i + sep.len() <= s.len() {
        // A chunk of positions between two checks for 'stop.
        stop::check()?;
        let end = (i + stop::CHUNK).min(s.len() + 1 - sep.len());
        while i < end {
            if &s[i..i + sep.len()] == sep {
                out.push(&s[last..i]);
                i += sep.len();
                last = i;
            } else {
                i += 1;
            }
        }
    }
    out.push(&s[last..]);
    Ok(out)
}

/// Digits of v in a mixed radix (a single base gives as many digits as v needs).
fn encode(base: &[i64], v: i64) -> Result<K> {
    if base.len() == 1 {
        let b = base[0];
        if b <= 1 || v < 0 && b < 2 {
            return Err(Error::domain());
        }
        let mut digits = Vec::new();
        let mut n = v;
        // Negative numbers end in a run of -1 quotients (two's complement style); 64 digits
        // cover any long in any base.
        loop {
            digits.push(n.rem_euclid(b));
            n = n.div_euclid(b);
            if n == 0 || n == -1 && v < 0 || digits.len() >= 64 {
                break;
            }
        }
        digits.reverse();
        return Ok(K::from_slice(KJ, &digits));
    }
    let mut out = vec![0i64; base.len()];
    let mut n = v;
    for (o, &b) in out.iter_mut().zip(base).rev() {
        if b == 0 {
            *o = n;
            n = 0;
        } else {
            *o = n.rem_euclid(b);
            n = n.div_euclid(b);
        }
    }
    Ok(K::from_slice(KJ, &out))
}

/// `10 vs 5 1995` and `10 vs (1995;1996 1997)`: every number takes as many digits as the
/// longest (a single base), so the digits line up as rows.
fn encode_many(base: &[i64], y: &K) -> Result<K> {
    let width = match base {
        [b] => all_ints(y)?
            .iter()
            .map(|&v| encode(&[*b], v).map(|d| d.n()))
            .try_fold(1, |w, n| n.map(|n| w.max(n)))?,
        _ => base.len(),
    };
    let digits: Vec<i64> = if let [b] = base {
        vec![*b; width]
    } else {
        base.to_vec()
    };
    if y.t() != 0 {
        let cols: Vec<K> = column::<i64>(y)
            .iter()
            .map(|&v| encode(&digits, v))
            .collect::<Result<_>>()?;
        return super::lists::flip(K::list(cols));
    }
    // A general list: each item gives its own rows; row i gathers every item's row i.
    let per_item: Vec<Vec<K>> = items_of(y)
        .iter()
        .map(|it| {
            if it.t() < 0 {
                encode(&digits, super::kit::int_atom(it)?)
            } else {
                encode_many(&digits, it)
            }
            .map(|e| items_of(&e))
        })
        .collect::<Result<_>>()?;
    if per_item.iter().any(|r| r.len() != width) {
        return Err(Error::length());
    }
    let rows: Vec<K> = (0..width)
        .map(|i| unify(per_item.iter().map(|r| r[i].clone()).collect()))
        .collect();
    Ok(K::list(rows))
}

/// The integers of an integer atom, vector or general list of them.
fn all_ints(y: &K) -> Result<Vec<i64>> {
    if y.t() == 0 {
        return Ok(items_of(y)
            .iter()
            .map(all_ints)
            .collect::<Result<Vec<_>>>()?
            .concat());
    }
    if y.t() < 0 {
        return Ok(vec![super::kit::int_atom(y)?]);
    }
    Ok(column::<i64>(y).to_vec())
}

fn raw_bytes(y: &K) -> Result<Vec<u8>> {
    let size = match y.t() {
        t if t < 0 && matches!(t.wrapping_neg(), KH | KI | KJ | KE | KF | KG | KB | KC) => {
            item_size(t.wrapping_neg())
        }
        _ => return Err(Error::type_()),
    };
    let w = super::kit::raw_word(&unify(vec![y.clone()]), 0);
    Ok(w.to_be_bytes()[8 - size..].to_vec())
}

fn bytes_of(y: &K) -> Result<K> {
    Ok(K::from_slice(KG, &raw_bytes(y)?))
}

fn bits_of(y: &K) -> Result<K> {
    let bits: Vec<u8> = raw_bytes(y)?
        .iter()
        .flat_map(|b| (0..8).rev().map(move |i| (b >> i) & 1))
        .collect();
    Ok(K::from_slice(KB, &bits))
}

/// `x sv y`: join strings with a separator, symbols with dots, or decode digits from a base,
/// bits (`0b sv`) or bytes (`0x0 sv`).
pub fn sv(x: K, y: K) -> Result<K> {
    match x.t() {
        t if t == KC || t == -KC => Ok(K::string(joined(&y, &text(&x)?, false)?)),
        t if (t == KG || t == -KG && x.g() != 0) && y.t() == 0 => {
            let sep = if t < 0 {
                vec![x.g()]
            } else {
                x.as_slice::<u8>().to_vec()
            };
            let parts: Vec<Vec<u8>> = y
                .items()
                .iter()
                .map(|p| match p.t() {
                    KG => Ok(p.as_slice::<u8>().to_vec()),
                    t if t == -KG => Ok(vec![p.g()]),
                    _ => Err(Error::type_()),
                })
                .collect::<Result<_>>()?;
            Ok(K::from_slice(KG, &parts.join(&sep[..])))
        }
        t if t == -KS && x.s().is_empty() => match y.t() {
            KS => {
                let parts: Vec<&[u8]> = y.as_slice::<Sym>().iter().map(|s| s.as_bytes()).collect();
                // A file handle first (`` ` sv `:db`t ``) joins a path: `:db/t.
                let sep: &[u8] = if parts.first().is_some_and(|p| p.starts_with(b":")) {
                    b"/"
                } else {
                    b"."
                };
                Ok(K::sym(Sym::new(parts.join(sep))))
            }
            0 => Ok(K::string(joined(&y, b"\n", true)?)),
            _ => Err(Error::type_()),
        },
        t if t == -KB && y.t() == KB => from_bits(y.as_slice::<u8>()),
        t if t == -KG && x.g() == 0 && y.t() == KG => from_bytes(y.as_slice::<u8>()),
        t if matches!(t.wrapping_abs(), KB | KG | KH | KI | KJ) => {
            let base = int_list(&x)?;
            let digits = int_list(&y)?;
            if base.len() != 1 && base.len() != digits.len() {
                return Err(Error::length());
            }
            let mut v: i64 = 0;
            for (i, &d) in digits.iter().enumerate() {
                let b = if base.len() == 1 { base[0] } else { base[i] };
                v = v.wrapping_mul(b).wrapping_add(d);
            }
            Ok(K::long(v))
        }
        _ => Err(Error::type_()),
    }
}

/// The strings (chars, symbols) of `y` joined with `sep` between them, and after the last
/// with `trailing` (`` ` sv `` lines).
fn joined(y: &K, sep: &[u8], trailing: bool) -> Result<Vec<u8>> {
    let owned;
    let items = if y.t() == 0 {
        y.items()
    } else {
        owned = items_of(y);
        &owned
    };
    let mut out = Vec::new();
    let mut t = stop::Ticker::default();
    for (i, p) in items.iter().enumerate() {
        t.tick()?;
        if i > 0 {
            out.extend_from_slice(sep);
        }
        match p.t() {
            KC => out.extend_from_slice(p.as_slice::<u8>()),
            tp if tp == -KC => out.push(p.g()),
            tp if tp == -KS => out.extend_from_slice(p.s().as_bytes()),
            _ => return Err(Error::type_()),
        }
    }
    if trailing && !items.is_empty() {
        out.extend_from_slice(sep);
    }
    Ok(out)
}

fn from_bytes(b: &[u8]) -> Result<K> {
    let mut w = 0u64;
    for &c in b {
        w = w << 8 | c as u64;
    }
    Ok(match b.len() {
        1 => K::byte(w as u8),
        2 => K::short(w as u16 as i16),
        4 => K::int(w as u32 as i32),
        8 => K::long(w as i64),
        16 => K::guid_atom(crate::obj::Guid(b.try_into().map_err(|_| Error::length())?)),
        _ => return Err(Error::length()),
    })
}

fn from_bits(bits: &[u8]) -> Result<K> {
    if !bits.len().is_multiple_of(8) {
        return Err(Error::length());
    }
    let bytes: Vec<u8> = bits
        .chunks(8)
        .map(|c| c.iter().fold(0u8, |a, &b| a << 1 | (b & 1)))
        .collect();
    from_bytes(&bytes)
}

/// `hsym`: a symbol made a file handle (`` `:name ``).
pub fn hsym(x: K) -> Result<K> {
    let colon = |s: &Sym| {
        if s.as_bytes().first() == Some(&b':') {
            *s
        } else {
            Sym::new([b":", s.as_bytes()].concat())
        }
    };
    match x.t() {
        t if t == -KS => Ok(K::sym(colon(&x.s()))),
        KS => Ok(K::from_slice(
            KS,
            &x.as_slice::<Sym>().iter().map(colon).collect::<Vec<_>>(),
        )),
        _ => Err(Error::type_()),
    }
}
