//! Text files and `0:`: writing lines (`` `:f 0: strings ``), preparing delimited text
//! (`"," 0: t`), parsing delimited text (`("SJF";",") 0: x`, with a header when the delimiter
//! is enlisted), fixed-width records (`("SJ";4 8) 0: x`), key-value pairs (`"S=;" 0: s`), and
//! `read0`.
//!
//! Parsing follows q's casts (`"J"$"12"`): an empty or unparsable field is null; a space in
//! the types skips a column, `*` keeps it as a string. Quoted fields lose their quotes (a
//! doubled quote is one); with a third item `1` they may span lines.

use std::borrow::Cow;

use crate::obj::*;
use crate::q::eval::atoms::*;
use crate::q::eval::stop;
use crate::q::eval::values::{collapse, items_of};
use crate::sys::file;

use super::path;

// ---- sources ---------------------------------------------------------------------------------

/// The bytes a text source stands for: a file (or `(file;offset;length)`), a string, or a list
/// of strings (lines).
fn source_bytes(x: &K) -> Result<Vec<u8>> {
    if let Some(p) = path::of(x) {
        return super::datafile::read_bytes(&p);
    }
    match x.t() {
        KC => Ok(x.bytes().to_vec()),
        A_KC => Ok(vec![x.g()]),
        0 if (2..=3).contains(&x.n()) && path::is_file_sym(&x.items()[0]) => range(x),
        0 => {
            let mut out = Vec::new();
            let mut t = stop::Ticker::default();
            for line in x.items() {
                t.tick()?;
                match line.t() {
                    KC => out.extend_from_slice(line.bytes()),
                    A_KC => out.push(line.g()),
                    _ => return Err(Error::type_()),
                }
                out.push(b'\n');
            }
            Ok(out)
        }
        _ => Err(Error::type_()),
    }
}

/// `(file;offset;length)` (or `(file;offset)`, to the end): those bytes of the file.
pub fn range(x: &K) -> Result<Vec<u8>> {
    let p = path::required(&x.items()[0])?;
    let num = |k: &K| crate::q::eval::values::as_long(k).ok_or_else(Error::type_);
    let offset = num(&x.items()[1])?;
    let len = match x.items().get(2) {
        Some(l) => num(l)?,
        None => i64::MAX,
    };
    if offset < 0 || len < 0 {
        return Err(Error::domain());
    }
    let head = path::io(&p, file::read_at(&path::os(&p), 0, 8))?;
    if super::compress::is_compressed(&head) {
        let all = super::datafile::read_bytes(&p)?;
        let from = (offset as usize).min(all.len());
        let to = from.saturating_add(len as usize).min(all.len());
        return Ok(all[from..to].to_vec());
    }
    path::io(
        &p,
        file::read_at(&path::os(&p), offset as u64, len as usize),
    )
}

/// Lines of text: split at `\n`, a `\r` before it dropped, no empty last line.
fn lines(bytes: &[u8]) -> Result<Vec<&[u8]>> {
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    if bytes.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let mut t = stop::Ticker::default();
    for l in body.split(|&c| c == b'\n') {
        t.tick()?;
        out.push(l.strip_suffix(b"\r").unwrap_or(l));
    }
    Ok(out)
}

/// `read0`: a file's (or a range's) lines.
pub fn read0(x: &K) -> Result<K> {
    let bytes = source_bytes(x)?;
    Ok(K::list(stop::map(&lines(&bytes)?, K::string)?))
}

/// `` `:f 0: lines ``: each string and a newline, replacing the file.
pub fn write_lines(p: &[u8], x: &K) -> Result<()> {
    let mut out = Vec::new();
    let items = match x.t() {
        KC => vec![x.clone()],
        0 => x.items().to_vec(),
        _ => return Err(Error::type_()),
    };
    let mut t = stop::Ticker::default();
    for l in &items {
        t.tick()?;
        match l.t() {
            KC => out.extend_from_slice(l.bytes()),
            A_KC => out.push(l.g()),
            _ => return Err(Error::type_()),
        }
        out.push(b'\n');
    }
    path::io(p, file::write_whole(&path::os(p), &[&out]))
}

// ---- preparing text --------------------------------------------------------------------------

/// A cell as delimited text: strings as they are, symbols by name, temporals in ISO 8601
/// (`2022-03-14`), other atoms as `string` gives them.
fn cell(v: &K) -> Result<Vec<u8>> {
    Ok(match v.t() {
        KC => v.bytes().to_vec(),
        A_KC => vec![v.g()],
        A_KS => v.s().as_bytes().to_vec(),
        t if t < 0 => {
            let s = crate::q::fmt::string(v.clone())?;
            let mut b = s.bytes().to_vec();
            if matches!(-t, KP | KM | KD | KZ) {
                // The date part's dots become dashes.
                let end = b
                    .iter()
                    .position(|&c| c == b'D' || c == b'T')
                    .unwrap_or(b.len());
                for c in &mut b[..end] {
                    if *c == b'.' {
                        *c = b'-';
                    }
                }
            }
            b
        }
        _ => return Err(Error::type_()),
    })
}

/// A cell quoted (its quotes doubled) when it holds the delimiter or a newline.
fn quoted(mut c: Vec<u8>, delim: u8) -> Vec<u8> {
    if c.iter().any(|&b| b == delim || b == b'\n') {
        let mut q = vec![b'"'];
        for b in c {
            if b == b'"' {
                q.push(b'"');
            }
            q.push(b);
        }
        q.push(b'"');
        c = q;
    }
    c
}

/// The cells of a column: a vector's items, or a list whose items are all strings (or atoms).
fn column_cells(c: &K, delim: u8) -> Result<Vec<Vec<u8>>> {
    let items = items_of(c);
    if c.t() == 0 && items.iter().any(|i| i.t() >= 0 && i.t() != KC) {
        return Err(Error::type_());
    }
    let mut t = stop::Ticker::default();
    items
        .iter()
        .map(|i| {
            t.tick()?;
            Ok(quoted(cell(i)?, delim))
        })
        .collect()
}

/// `d 0: t`: a table's lines (a header of its column names first), or a list of columns'
/// rows without a header.
pub fn prepare(delim: &K, x: &K) -> Result<K> {
    let d = match delim.t() {
        A_KC => delim.g(),
        KC if delim.n() == 1 => delim.bytes()[0],
        _ => return Err(Error::type_()),
    };
    let (header, cols) = if x.t() == XT {
        let dict = x.table_dict().items();
        let names = crate::q::eval::values::syms(&dict[0]).ok_or_else(Error::type_)?;
        (Some(names), items_of(&dict[1]))
    } else if x.t() == 0 {
        (None, x.items().to_vec())
    } else {
        return Err(Error::type_());
    };
    let cells: Vec<Vec<Vec<u8>>> = cols
        .iter()
        .map(|c| column_cells(c, d))
        .collect::<Result<_>>()?;
    let n = cells.first().map_or(0, Vec::len);
    if cells.iter().any(|c| c.len() != n) {
        return Err(Error::length());
    }
    let mut out = Vec::with_capacity(n + 1);
    if let Some(names) = header {
        let h: Vec<&[u8]> = names.iter().map(|s| s.as_bytes()).collect();
        out.push(K::string(h.join(&d)));
    }
    stop::chunked(n, |rows| {
        for r in rows {
            let row: Vec<&[u8]> = cells.iter().map(|c| c[r].as_slice()).collect();
            out.push(K::string(row.join(&d)));
        }
    })?;
    Ok(K::list(out))
}

// ---- parsing ---------------------------------------------------------------------------------

/// The fields of delimited text, column by column (`width` columns; a record's extra fields
/// are dropped, missing ones empty). Fields borrow the text unless a quoted field holds a
/// doubled quote; a quoted field may hold the delimiter, and with `multiline` newlines.
fn fields(
    bytes: &[u8],
    delim: u8,
    multiline: bool,
    width: usize,
) -> Result<Vec<Vec<Cow<'_, [u8]>>>> {
    let mut cols: Vec<Vec<Cow<[u8]>>> = (0..width).map(|_| Vec::new()).collect();
    let n = bytes.len();
    let mut i = 0;
    let mut records = stop::Ticker::default();
    while i < n {
        records.tick()?;
        let mut j = 0;
        loop {
            // One field from i.
            let (field, end): (Cow<[u8]>, usize) = if bytes[i..].first() == Some(&b'"') {
                let mut k = i + 1;
                let mut owned: Option<Vec<u8>> = None;
                let mut start = k;
                loop {
                    match bytes.get(k) {
                        None => break,
                        Some(b'"') if bytes.get(k + 1) == Some(&b'"') => {
                            let o = owned.get_or_insert_with(Vec::new);
                            o.extend_from_slice(&bytes[start..=k]);
                            k += 2;
                            start = k;
                        }
                        Some(b'"') => break,
                        Some(b'\n') if !multiline => break,
                        Some(_) => k += 1,
                    }
                }
                let f = match owned {
                    Some(mut o) => {
                        o.extend_from_slice(&bytes[start..k.min(n)]);
                        Cow::Owned(o)
                    }
                    None => Cow::Borrowed(&bytes[start..k.min(n)]),
                };
                // Past the closing quote, to the delimiter or the end of the record.
                let mut e = (k + 1).min(n);
                while e < n && bytes[e] != delim && bytes[e] != b'\n' {
                    e += 1;
                }
                (f, e)
            } else {
                let e = bytes[i..]
                    .iter()
                    .position(|&c| c == delim || c == b'\n')
                    .map_or(n, |p| i + p);
                let f = &bytes[i..e];
                (Cow::Borrowed(f.strip_suffix(b"\r").unwrap_or(f)), e)
            };
            if j < width {
                cols[j].push(field);
            }
            j += 1;
            i = end;
            if i < n && bytes[i] == delim {
                i += 1;
                continue;
            }
            i += 1;
            break;
        }
        for c in cols.iter_mut().skip(j) {
            c.push(Cow::Borrowed(&[]));
        }
    }
    Ok(cols)
}

/// A column of cells parsed as type letter `t` (upper case; `*` strings).
fn parse_column(t: u8, cells: &[&[u8]]) -> Result<K> {
    let trim = trim_ref;
    Ok(match t {
        b'*' => K::list(stop::map(cells, K::string)?),
        b'S' => {
            // Columns repeat their names: intern each distinct one once.
            let mut seen: std::collections::HashMap<&[u8], Sym, crate::q::prims::hash::Build> =
                Default::default();
            let syms = stop::map(cells, |c| {
                let c = trim_ref(c);
                *seen.entry(c).or_insert_with(|| Sym::new(c))
            })?;
            K::from_slice(KS, &syms)
        }
        b'D' => {
            let days = stop::map(cells, |c| match c.is_empty() {
                true => Some(NI),
                false => parse_date(c),
            })?;
            match days.iter().copied().collect::<Option<Vec<i32>>>() {
                Some(days) => {
                    let mut v = K::from_slice(KI, &days);
                    v.retype(KD);
                    v
                }
                None => by_cast(t, cells)?,
            }
        }
        b'C' => K::from_slice(
            KC,
            &stop::map(cells, |c| c.first().copied().unwrap_or(b' '))?,
        ),
        b'J' => K::from_slice(KJ, &stop::map(cells, |c| parse_long(trim(c)))?),
        b'I' => K::from_slice(
            KI,
            &stop::map(cells, |c| {
                let j = parse_long(trim(c));
                if j == NJ || j > i32::MAX as i64 || j < -(i32::MAX as i64) {
                    NI
                } else {
                    j as i32
                }
            })?,
        ),
        b'F' => K::from_slice(KF, &stop::map(cells, |c| parse_float(trim(c)))?),
        _ => by_cast(t, cells)?,
    })
}

/// A column parsed as `t$` parses its cells, spaces trimmed.
fn by_cast(t: u8, cells: &[&[u8]]) -> Result<K> {
    let strings = K::list(stop::map(cells, |c| K::string(trim_ref(c)))?);
    crate::q::prims::cast::cast(K::char(t), strings)
}

/// A field without its surrounding spaces.
fn trim_ref(c: &[u8]) -> &[u8] {
    let s = c.iter().position(|b| *b != b' ').unwrap_or(c.len());
    let e = c.iter().rposition(|b| *b != b' ').map_or(s, |e| e + 1);
    &c[s..e]
}

/// `"D"$` on `YYYY.MM.DD`, `YYYY-MM-DD` or `YYYYMMDD`, fast; None for anything else.
fn parse_date(c: &[u8]) -> Option<i32> {
    let d = |r: std::ops::Range<usize>| -> Option<i32> {
        let b = c.get(r)?;
        b.iter()
            .all(u8::is_ascii_digit)
            .then(|| b.iter().fold(0i32, |a, x| a * 10 + (x - b'0') as i32))
    };
    let (y, m, day) = match c.len() {
        10 if c[4] == c[7] && matches!(c[4], b'.' | b'-' | b'/') => (d(0..4)?, d(5..7)?, d(8..10)?),
        8 => (d(0..4)?, d(4..6)?, d(6..8)?),
        _ => return None,
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return None;
    }
    let days = crate::obj::temporal::ymd(y, m, day);
    // A day past the month's end is not a date ("D"$ gives null there too).
    (crate::obj::temporal::civil(days) == (y, m, day)).then_some(days)
}

/// `"J"$` on a field, fast: digits with an optional sign; anything else null.
fn parse_long(c: &[u8]) -> i64 {
    let (neg, digits) = match c.first() {
        Some(b'-') => (true, &c[1..]),
        _ => (false, c),
    };
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return NJ;
    }
    let mut v: i64 = 0;
    for d in digits {
        v = match v
            .checked_mul(10)
            .and_then(|v| v.checked_add((d - b'0') as i64))
        {
            Some(v) => v,
            None => return NJ,
        };
    }
    if neg {
        -v
    } else {
        v
    }
}

/// `"F"$` on a field: a decimal number (with exponent), `0n`/`0w`; anything else null.
fn parse_float(c: &[u8]) -> f64 {
    match c {
        b"0w" | b"0W" => f64::INFINITY,
        b"-0w" | b"-0W" => f64::NEG_INFINITY,
        _ => std::str::from_utf8(c)
            .ok()
            .filter(|s| {
                !s.is_empty()
                    && s.bytes().all(|b| {
                        b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E')
                    })
            })
            .and_then(|s| s.parse::<f64>().ok())
            .unwrap_or(NF),
    }
}

/// The types of a parse spec, upper-cased (`*` and space kept).
fn type_letters(t: &K) -> Result<Vec<u8>> {
    match t.t() {
        KC => Ok(t.bytes().iter().map(u8::to_ascii_uppercase).collect()),
        A_KC => Ok(vec![t.g().to_ascii_uppercase()]),
        _ => Err(Error::type_()),
    }
}

/// Columns from columns of fields, one per type letter (spaces skipped).
fn columns(types: &[u8], fields: &[Vec<Cow<[u8]>>]) -> Result<Vec<K>> {
    let mut cols = Vec::new();
    for (j, &t) in types.iter().enumerate() {
        if t == b' ' {
            continue;
        }
        let cells = stop::map(&fields[j], |c| c.as_ref())?;
        cols.push(parse_column(t, &cells)?);
    }
    Ok(cols)
}

/// `(types;delim) 0: x`, `(types;widths) 0: x`, `(types;delim;multiline) 0: x`.
pub fn parse(spec: &K, x: &K) -> Result<K> {
    if spec.t() == KC || spec.t() == A_KC {
        return key_values(spec, x);
    }
    if spec.t() != 0 || !(2..=3).contains(&spec.n()) {
        return Err(Error::type_());
    }
    let types = type_letters(&spec.items()[0])?;
    let how = &spec.items()[1];
    let bytes = source_bytes(x)?;
    // Fixed width: widths per field.
    if let Some(widths) = crate::q::eval::values::as_longs(how).filter(|_| how.t() != KC) {
        if widths.len() != types.len() {
            return Err(Error::length());
        }
        let mut fields: Vec<Vec<Cow<[u8]>>> = widths.iter().map(|_| Vec::new()).collect();
        let mut t = stop::Ticker::default();
        for l in lines(&bytes)? {
            t.tick()?;
            let mut at = 0usize;
            for (j, &w) in widths.iter().enumerate() {
                let from = at.min(l.len());
                at = at.saturating_add(w.max(0) as usize);
                fields[j].push(Cow::Borrowed(&l[from..at.min(l.len())]));
            }
        }
        return Ok(K::list(columns(&types, &fields)?));
    }
    let (delim, header) = match how.t() {
        A_KC => (how.g(), false),
        KC if how.n() == 1 => (how.bytes()[0], true),
        _ => return Err(Error::type_()),
    };
    let multiline = spec.n() == 3;
    // The header is the first line's fields.
    let (names, body) = if header {
        let end = bytes
            .iter()
            .position(|&c| c == b'\n')
            .map_or(bytes.len(), |e| e + 1);
        let h = fields(&bytes[..end], delim, false, types.len())?;
        let names: Vec<Vec<u8>> = h
            .iter()
            .map(|c| c.first().map_or(Vec::new(), |f| f.to_vec()))
            .collect();
        (Some(names), &bytes[end..])
    } else {
        (None, &bytes[..])
    };
    let cols = columns(&types, &fields(body, delim, multiline, types.len())?)?;
    match names {
        None => Ok(K::list(cols)),
        Some(h) => {
            let names: Vec<Sym> = types
                .iter()
                .enumerate()
                .filter(|(_, t)| **t != b' ')
                .map(|(j, _)| Sym::new(trim_ref(h.get(j).map_or(&b""[..], |v| v.as_slice()))))
                .collect();
            crate::obj::table::table_from_dict(K::dict(K::from_slice(KS, &names), K::list(cols)))
        }
    }
}

/// `"S=;" 0: "a=1;b=2"`: keys of the first type, and the values as strings. A `*` before the
/// pair separator lets values be quoted.
fn key_values(spec: &K, x: &K) -> Result<K> {
    let s = match spec.t() {
        KC => spec.bytes().to_vec(),
        _ => return Err(Error::type_()),
    };
    let (kt, sep, quotes, pair) = match s.as_slice() {
        [k, sep, b'*', pair] => (*k, *sep, true, *pair),
        [k, sep, pair] => (*k, *sep, false, *pair),
        _ => return Err(Error::length()),
    };
    let text = source_bytes(x)?;
    let text = text.strip_suffix(b"\n").unwrap_or(&text);
    let mut keys: Vec<&[u8]> = Vec::new();
    let mut vals: Vec<K> = Vec::new();
    let mut i = 0;
    let mut t = stop::Ticker::default();
    while i < text.len() {
        t.tick()?;
        let k_end = text[i..]
            .iter()
            .position(|&c| c == sep)
            .map_or(text.len(), |e| i + e);
        let key = &text[i..k_end];
        i = (k_end + 1).min(text.len());
        let mut v = Vec::new();
        if quotes && text.get(i) == Some(&b'"') {
            i += 1;
            while i < text.len() && text[i] != b'"' {
                v.push(text[i]);
                i += 1;
            }
            i += 1;
            while i < text.len() && text[i] != pair {
                i += 1;
            }
        } else {
            while i < text.len() && text[i] != pair {
                v.push(text[i]);
                i += 1;
            }
        }
        i += 1;
        keys.push(key);
        vals.push(K::string(v));
    }
    let keys = parse_column(kt.to_ascii_uppercase(), &keys)?;
    Ok(K::list(vec![keys, collapse_strings(vals)]))
}

/// A list of strings stays a list (even of one-char strings).
fn collapse_strings(v: Vec<K>) -> K {
    if v.is_empty() {
        return collapse(v);
    }
    K::list(v)
}
