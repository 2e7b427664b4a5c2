//! The `.j` namespace: JSON text from any value (`.j.j`, `.j.jd`) and values from JSON text
//! (`.j.k`), by kdb+'s rules.
//!
//! Writing: booleans are `true`/`false`; numbers are written as `string` writes them (at the
//! console's `\P` precision), nulls as `null`, float infinities as `inf`/`-inf` (or `null`
//! with the `null0w` option); symbols, chars, guids, bytes and temporals are JSON strings,
//! dates and timestamps in ISO 8601 form; dictionaries are objects keyed by the keys' text;
//! tables (keyed ones unkeyed) are arrays of row objects, one row a line.
//!
//! Reading: every number is a float, `null` a float null, strings char vectors, objects
//! symbol-keyed dictionaries, and an array of objects that share their keys a table.

use crate::obj::*;
use crate::q::eval::atoms::*;
use crate::q::eval::values::*;
use crate::q::eval::Ctx;

/// Settings for one serialisation.
struct Writer {
    precision: usize,
    /// `null0w`: infinities written as `null`.
    null_infinity: bool,
}

pub fn call(cx: &mut Ctx, name: &str, args: &[K]) -> Option<Result<K>> {
    let precision = cx.eng.settings.lock().precision;
    Some(match (name, args) {
        (".j.j", [x]) => serialise(
            x,
            &Writer {
                precision,
                null_infinity: false,
            },
        ),
        (".j.jd", [x]) => (|| {
            let (v, opts) = match x.t() {
                0 if x.n() == 2 => (&x.items()[0], &x.items()[1]),
                _ => return Err(Error::type_()),
            };
            let null_infinity = option(opts, "null0w")?;
            serialise(
                v,
                &Writer {
                    precision,
                    null_infinity,
                },
            )
        })(),
        (".j.k", [x]) => match x.t() {
            KC => parse(x.bytes()),
            A_KC => parse(&[x.g()]),
            _ => Err(Error::type_()),
        },
        _ => return None,
    })
}

/// A boolean option of `.j.jd`'s dictionary (false when absent).
fn option(opts: &K, name: &str) -> Result<bool> {
    // `([null0w:1b])` reads as a keyed table with that key column: its first row counts.
    if opts.t() == XD && opts.items()[0].t() == XT {
        let d = opts.items()[0].table_dict();
        let firsts: Vec<K> = items_of(&d.items()[1])
            .iter()
            .map(|c| {
                if count(c) > 0 {
                    item(c, 0)
                } else {
                    K::bool(false)
                }
            })
            .collect();
        return option(&K::dict(d.items()[0].clone(), K::list(firsts)), name);
    }
    if opts.t() != XD {
        return Err(Error::type_());
    }
    let keys = &opts.items()[0];
    let Some(keys) = syms(keys) else {
        return Ok(false);
    };
    match keys.iter().position(|k| k.as_bytes() == name.as_bytes()) {
        Some(i) => truthy(&item(&opts.items()[1], i)),
        None => Ok(false),
    }
}

fn serialise(x: &K, w: &Writer) -> Result<K> {
    let mut out = Vec::new();
    write(x, w, &mut out)?;
    Ok(K::string(out))
}

fn write(x: &K, w: &Writer, out: &mut Vec<u8>) -> Result<()> {
    crate::q::eval::stack::guard();
    if let Some(v) = crate::q::keywords::enums::unenumerate(x) {
        return write(&v, w, out);
    }
    let t = x.t();
    match t {
        KC => quote(x.bytes(), out),
        A_KC => quote(&[x.g()], out),
        XT => {
            out.push(b'[');
            for i in 0..count(x) {
                if i > 0 {
                    out.extend_from_slice(b",\n ");
                }
                write(&table_row(x, i), w, out)?;
            }
            out.push(b']');
        }
        XD if x.items()[0].t() == XT => write(&table::unkey(x.clone())?, w, out)?,
        XD => {
            let (keys, vals) = (&x.items()[0], &x.items()[1]);
            out.push(b'{');
            for i in 0..count(keys) {
                if i > 0 {
                    out.push(b',');
                }
                quote(&key_text(&item(keys, i), w)?, out);
                out.push(b':');
                write(&item(vals, i), w, out)?;
            }
            out.push(b'}');
        }
        _ if (0..LAMBDA).contains(&t) => {
            out.push(b'[');
            for i in 0..count(x) {
                if i > 0 {
                    out.push(b',');
                }
                write(&item(x, i), w, out)?;
            }
            out.push(b']');
        }
        _ if t < 0 => atom(x, w, out)?,
        UNARY if x.g() == 0 => out.extend_from_slice(b"null"),
        _ => quote(crate::q::fmt::text1(x).as_bytes(), out),
    }
    Ok(())
}

/// An object key: a symbol's name, a string itself, anything else its `string`.
fn key_text(k: &K, w: &Writer) -> Result<Vec<u8>> {
    Ok(match k.t() {
        A_KS => k.s().as_bytes().to_vec(),
        KC => k.bytes().to_vec(),
        _ => text_of(k, w)?,
    })
}

/// `string x` at the writer's precision.
fn text_of(x: &K, w: &Writer) -> Result<Vec<u8>> {
    let opts = crate::q::fmt::Options {
        precision: w.precision,
        ..Default::default()
    };
    Ok(crate::q::fmt::string_with(x.clone(), &opts)?
        .bytes()
        .to_vec())
}

fn atom(x: &K, w: &Writer, out: &mut Vec<u8>) -> Result<()> {
    let t = -x.t();
    let null = is_null_atom(x);
    match t {
        KB => out.extend_from_slice(if x.g() != 0 { &b"true"[..] } else { b"false" }),
        KH | KI | KJ if null => out.extend_from_slice(b"null"),
        KH | KI | KJ => out.extend_from_slice(&text_of(x, w)?),
        KE | KF => {
            let f = if t == KE { x.e() as f64 } else { x.f() };
            if f.is_nan() || f.is_infinite() && w.null_infinity {
                out.extend_from_slice(b"null");
            } else if f.is_infinite() {
                out.extend_from_slice(if f > 0.0 { &b"inf"[..] } else { b"-inf" });
            } else {
                out.extend_from_slice(&text_of(x, w)?);
            }
        }
        KS => quote(x.s().as_bytes(), out),
        _ if null && t != UU && t != KG => out.extend_from_slice(b"null"),
        KP | KD | KM | KZ => {
            // ISO 8601: dashes in the date, `T` before the time.
            let mut s = text_of(x, w)?;
            for c in s.iter_mut().take(10) {
                if *c == b'.' {
                    *c = b'-';
                }
            }
            if let Some(d) = s.iter().position(|c| *c == b'D') {
                s[d] = b'T';
            }
            quote(&s, out);
        }
        _ => quote(&text_of(x, w)?, out),
    }
    Ok(())
}

fn is_null_atom(x: &K) -> bool {
    match -x.t() {
        KH => x.h() == NH,
        KI | KM | KD | KU | KV | KT => x.i() == NI,
        KJ | KP | KN => x.j() == NJ,
        KE => x.e().is_nan(),
        KF | KZ => x.f().is_nan(),
        _ => false,
    }
}

/// A JSON string: quotes, backslashes and control characters escaped.
fn quote(bytes: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    for &c in bytes {
        match c {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            8 => out.extend_from_slice(b"\\b"),
            12 => out.extend_from_slice(b"\\f"),
            c if c < 0x20 => out.extend_from_slice(format!("\\u{c:04x}").as_bytes()),
            c => out.push(c),
        }
    }
    out.push(b'"');
}

// ---- reading ---------------------------------------------------------------------------------

/// Nesting deeper than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 512;

struct Reader<'a> {
    s: &'a [u8],
    i: usize,
}

fn bad() -> Error {
    Error::new("illegal")
}

/// `.j.k`: the value of a JSON text.
pub fn parse(s: &[u8]) -> Result<K> {
    let mut r = Reader { s, i: 0 };
    let v = r.value(0)?;
    r.ws();
    if r.i < s.len() {
        return Err(bad());
    }
    Ok(v)
}

impl Reader<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn word(&mut self, w: &[u8]) -> Result<()> {
        if self.s[self.i..].starts_with(w) {
            self.i += w.len();
            Ok(())
        } else {
            Err(bad())
        }
    }

    fn value(&mut self, depth: usize) -> Result<K> {
        if depth > MAX_DEPTH {
            return Err(Error::new("stack"));
        }
        self.ws();
        match self.peek().ok_or_else(bad)? {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => Ok(K::string(self.string()?)),
            b't' => self.word(b"true").map(|_| K::bool(true)),
            b'f' => self.word(b"false").map(|_| K::bool(false)),
            b'n' => self.word(b"null").map(|_| K::float(NF)),
            _ => self.number(),
        }
    }

    fn number(&mut self) -> Result<K> {
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric() || b"+-.".contains(&self.s[self.i]))
        {
            self.i += 1;
        }
        let text = std::str::from_utf8(&self.s[start..self.i]).map_err(|_| bad())?;
        let f = match text {
            "inf" => f64::INFINITY,
            "-inf" => f64::NEG_INFINITY,
            _ if text.starts_with(|c: char| c.is_ascii_digit() || c == '-') => {
                text.parse::<f64>().map_err(|_| bad())?
            }
            _ => return Err(bad()),
        };
        Ok(K::float(f))
    }

    fn string(&mut self) -> Result<Vec<u8>> {
        self.i += 1;
        let mut out = Vec::new();
        loop {
            let c = self.peek().ok_or_else(bad)?;
            self.i += 1;
            match c {
                b'"' => return Ok(out),
                b'\\' => {
                    let e = self.peek().ok_or_else(bad)?;
                    self.i += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'u' => self.unicode(&mut out)?,
                        other => out.push(other),
                    }
                }
                c => out.push(c),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32> {
        let h = self.s.get(self.i..self.i + 4).ok_or_else(bad)?;
        let v = u32::from_str_radix(std::str::from_utf8(h).map_err(|_| bad())?, 16)
            .map_err(|_| bad())?;
        self.i += 4;
        Ok(v)
    }

    /// `\uXXXX` (a surrogate pair when two follow) as UTF-8.
    fn unicode(&mut self, out: &mut Vec<u8>) -> Result<()> {
        let mut cp = self.hex4()?;
        if (0xD800..0xDC00).contains(&cp) && self.s[self.i..].starts_with(b"\\u") {
            self.i += 2;
            let lo = self.hex4()?;
            if (0xDC00..0xE000).contains(&lo) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
        }
        let ch = char::from_u32(cp).unwrap_or('\u{FFFD}');
        let mut buf = [0u8; 4];
        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
        Ok(())
    }

    fn array(&mut self, depth: usize) -> Result<K> {
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(K::list(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    break;
                }
                _ => return Err(bad()),
            }
        }
        if let Some(t) = records(&items)? {
            return Ok(t);
        }
        Ok(collapse(items))
    }

    fn object(&mut self, depth: usize) -> Result<K> {
        self.i += 1;
        let mut keys = Vec::new();
        let mut vals = Vec::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(K::dict(K::list(Vec::new()), K::list(Vec::new())));
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(bad());
            }
            keys.push(Sym::new(self.string()?));
            self.ws();
            if self.peek() != Some(b':') {
                return Err(bad());
            }
            self.i += 1;
            vals.push(self.value(depth + 1)?);
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    break;
                }
                _ => return Err(bad()),
            }
        }
        Ok(K::dict(K::from_slice(KS, &keys), collapse(vals)))
    }
}

/// Objects that all share one set of keys, as a table.
fn records(items: &[K]) -> Result<Option<K>> {
    let Some(first) = items.first() else {
        return Ok(None);
    };
    if first.t() != XD || first.items()[0].t() != KS || first.items()[0].n() == 0 {
        return Ok(None);
    }
    let keys = &first.items()[0];
    if !items
        .iter()
        .all(|d| d.t() == XD && identical(&d.items()[0], keys))
    {
        return Ok(None);
    }
    let cols: Vec<K> = (0..keys.n())
        .map(|c| collapse(items.iter().map(|d| item(&d.items()[1], c)).collect()))
        .collect();
    table::table_from_dict(K::dict(keys.clone(), K::list(cols))).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(x: &K) -> String {
        let out = serialise(
            x,
            &Writer {
                precision: 7,
                null_infinity: false,
            },
        )
        .unwrap();
        String::from_utf8(out.bytes().to_vec()).unwrap()
    }

    #[test]
    fn writes_and_reads_back() {
        assert_eq!(
            json(&K::from_slice(KF, &[f64::NEG_INFINITY, 0.0, 1.5, NF])),
            "[-inf,0,1.5,null]"
        );
        assert_eq!(json(&K::string("a\"b\n")), "\"a\\\"b\\n\"");
        assert_eq!(
            json(&K::atom_i32(A_KD, crate::obj::temporal::ymd(2020, 1, 2))),
            "\"2020-01-02\""
        );
        let v = parse(br#"{"a":[0,1],"b":["x","yz"],"c":null}"#).unwrap();
        assert_eq!(v.t(), XD);
        assert_eq!(v.items()[1].items()[0].t(), KF);
        assert!(parse(b"[1,").is_err());
        assert!(parse(b"{\"a\":1} x").is_err());
    }
}
