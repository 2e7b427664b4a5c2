//! A reader of q data literals, for tests only: it turns the corpus's inputs such as
//! `` ([]a:1 2;b:`x`y) `` or `(1;"a";2 3f)` into K values, so a test can state a value the
//! way the documentation does. Not the interpreter's parser: no verbs beyond `!` and `enlist`.

use crate::obj::temporal::ymd;
use crate::obj::*;

pub fn q(src: &str) -> K {
    let mut r = Reader {
        s: src.as_bytes(),
        i: 0,
    };
    let k = r.expr().unwrap_or_else(|e| panic!("{src}: {e} at {}", r.i));
    r.ws();
    assert!(r.i == r.s.len(), "{src}: trailing text at {}", r.i);
    k
}

/// Like `q`, but `None` when the text is not a plain literal.
pub fn try_q(src: &str) -> Option<K> {
    let mut r = Reader {
        s: src.as_bytes(),
        i: 0,
    };
    let k = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| r.expr()))
        .ok()?
        .ok()?;
    r.ws();
    (r.i == r.s.len()).then_some(k)
}

struct Reader<'a> {
    s: &'a [u8],
    i: usize,
}

type R<T> = std::result::Result<T, String>;

impl Reader<'_> {
    fn peek(&self) -> u8 {
        self.s.get(self.i).copied().unwrap_or(0)
    }
    fn ws(&mut self) {
        while self.peek() == b' ' {
            self.i += 1;
        }
    }
    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        if self.peek() == c {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn rest(&self) -> &[u8] {
        &self.s[self.i..]
    }

    fn expr(&mut self) -> R<K> {
        let x = self.term()?;
        if self.eat(b'!') {
            let v = self.expr()?;
            if x.is_atom() {
                return Err("n!x is not a literal".into());
            }
            return Ok(K::dict(x, v));
        }
        Ok(x)
    }

    fn term(&mut self) -> R<K> {
        self.ws();
        if self.rest().starts_with(b"enlist ") {
            self.i += 7;
            let x = self.expr()?;
            return Ok(enlist(x));
        }
        if self.rest().starts_with(b"0Ng") {
            self.i += 3;
            return Ok(K::guid_atom(Guid([0; 16])));
        }
        if self.rest().starts_with(b"`s#")
            || self.rest().starts_with(b"`u#")
            || self.rest().starts_with(b"`p#")
            || self.rest().starts_with(b"`g#")
        {
            let a = match self.s[self.i + 1] {
                b's' => ATTR_SORTED,
                b'u' => ATTR_UNIQUE,
                b'p' => ATTR_PARTED,
                _ => ATTR_GROUPED,
            };
            self.i += 3;
            let mut x = self.term()?;
            x.set_attr(a);
            return Ok(x);
        }
        match self.peek() {
            b'(' if self.s.get(self.i + 1) == Some(&b'[') => self.table(),
            b'(' => {
                self.i += 1;
                let mut items = vec![];
                if self.eat(b')') {
                    return Ok(K::list(items));
                }
                loop {
                    items.push(self.expr()?);
                    if self.eat(b')') {
                        break;
                    }
                    if !self.eat(b';') {
                        return Err("expected ;".into());
                    }
                }
                Ok(if items.len() == 1 {
                    items.pop().unwrap()
                } else {
                    K::list(items)
                })
            }
            b',' => {
                self.i += 1;
                let x = self.term()?;
                Ok(enlist(x))
            }
            b'"' => self.string(),
            b'`' => self.symbols(),
            b'{' => self.lambda(),
            _ => self.numbers(),
        }
    }

    fn lambda(&mut self) -> R<K> {
        let start = self.i;
        let mut depth = 0;
        loop {
            match self.peek() {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        self.i += 1;
                        break;
                    }
                }
                0 => return Err("open lambda".into()),
                _ => {}
            }
            self.i += 1;
        }
        Ok(K::list_of_type(
            LAMBDA,
            vec![K::string(&self.s[start..self.i]), K::sym(Sym::empty())],
        ))
    }

    fn table(&mut self) -> R<K> {
        self.i += 2;
        let mut keys = vec![];
        while !self.eat(b']') {
            keys.push(self.column()?);
            self.eat(b';');
        }
        let mut cols = vec![];
        while !self.eat(b')') {
            cols.push(self.column()?);
            self.eat(b';');
        }
        let make = |cs: Vec<(Sym, K)>| {
            let names: Vec<Sym> = cs.iter().map(|c| c.0).collect();
            let n = cs
                .iter()
                .map(|c| if c.1.is_atom() { 1 } else { c.1.n() })
                .max()
                .unwrap_or(0);
            let cols = cs
                .into_iter()
                .map(|(_, v)| if v.is_atom() { repeat(&v, n) } else { v })
                .collect();
            K::table(K::dict(K::from_slice(KS, &names), K::list(cols)))
        };
        let nkeys = keys.len();
        let t = make(keys.into_iter().chain(cols).collect());
        Ok(if nkeys > 0 {
            key_first(nkeys as i64, t)
        } else {
            t
        })
    }

    fn column(&mut self) -> R<(Sym, K)> {
        self.ws();
        let start = self.i;
        while self.peek().is_ascii_alphanumeric() {
            self.i += 1;
        }
        let name = Sym::new(&self.s[start..self.i]);
        if !self.eat(b':') {
            return Err("expected column:".into());
        }
        Ok((name, self.expr()?))
    }

    fn string(&mut self) -> R<K> {
        self.i += 1;
        let mut out = vec![];
        loop {
            match self.peek() {
                b'"' => break,
                b'\\' => {
                    self.i += 1;
                    let c = self.peek();
                    out.push(match c {
                        b'n' => b'\n',
                        b't' => b'\t',
                        b'r' => b'\r',
                        b'0'..=b'7' => {
                            let v = u8::from_str_radix(
                                std::str::from_utf8(&self.s[self.i..self.i + 3]).unwrap(),
                                8,
                            )
                            .unwrap();
                            self.i += 2;
                            v
                        }
                        _ => c,
                    });
                }
                0 => return Err("open string".into()),
                c => out.push(c),
            }
            self.i += 1;
        }
        self.i += 1;
        Ok(if out.len() == 1 {
            K::char(out[0])
        } else {
            K::string(out)
        })
    }

    fn symbols(&mut self) -> R<K> {
        let mut syms = vec![];
        while self.peek() == b'`' {
            self.i += 1;
            let start = self.i;
            while matches!(self.peek(), b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'_' | b':' | b'/')
            {
                self.i += 1;
            }
            syms.push(Sym::new(&self.s[start..self.i]));
            if syms.len() == 1 && self.rest().starts_with(b"$()") {
                self.i += 3;
                let t = match &*syms[0].as_str() {
                    "boolean" => KB,
                    "guid" => UU,
                    "byte" => KG,
                    "short" => KH,
                    "int" => KI,
                    "long" => KJ,
                    "real" => KE,
                    "float" => KF,
                    "char" => KC,
                    "symbol" => KS,
                    "timestamp" => KP,
                    "month" => KM,
                    "date" => KD,
                    "datetime" => KZ,
                    "timespan" => KN,
                    "minute" => KU,
                    "second" => KV,
                    "time" => KT,
                    _ => return Err("unknown type".into()),
                };
                return Ok(K::vector(t, 0));
            }
        }
        Ok(if syms.len() == 1 {
            K::sym(syms[0])
        } else {
            K::from_slice(KS, &syms)
        })
    }

    fn numbers(&mut self) -> R<K> {
        let mut toks: Vec<&[u8]> = vec![];
        loop {
            let save = self.i;
            self.ws();
            let start = self.i;
            let after_space = self.i == 0
                || matches!(self.s[self.i - 1], b' ' | b'(' | b';' | b'!' | b'[' | b':');
            let neg = after_space
                && self.peek() == b'-'
                && self.s.get(self.i + 1).is_some_and(u8::is_ascii_digit);
            if neg {
                self.i += 1;
            }
            if !self.peek().is_ascii_digit() {
                self.i = save;
                break;
            }
            while matches!(self.peek(), b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'.' | b':')
                || (self.peek() == b'-' || self.peek() == b'+') && self.s[self.i - 1] == b'e'
            {
                self.i += 1;
            }
            toks.push(&self.s[start..self.i]);
        }
        if matches!(
            self.peek(),
            b'-' | b'+'
                | b'*'
                | b'%'
                | b'#'
                | b'_'
                | b'$'
                | b'?'
                | b'@'
                | b'.'
                | b','
                | b'^'
                | b'&'
                | b'|'
                | b'='
                | b'<'
                | b'>'
                | b'~'
                | b'\''
                | b'/'
        ) {
            return Err("a verb follows".into());
        }
        if toks.is_empty() {
            return Err("expected a literal".into());
        }
        atoms_to_vector(&toks)
    }
}

fn enlist(x: K) -> K {
    if x.is_atom() && x.t() != -UU && x.t() > -20 {
        let v = repeat(&x, 1);
        return v;
    }
    K::list(vec![x])
}

/// `n` copies of atom `a` as a vector.
fn repeat(a: &K, n: usize) -> K {
    let t = -a.t();
    let mut v = K::vector(t, 0);
    for _ in 0..n {
        match item_size(t) {
            1 => v.push(a.g()),
            2 => v.push(a.h()),
            4 => v.push(a.i()),
            _ if t == KS => v.push(a.s()),
            _ => v.push(a.j()),
        }
    }
    v
}

fn key_first(n: i64, t: K) -> K {
    crate::obj::table::key_first(n, t).expect("keyable table")
}

/// Parses one token to (type, raw 8 bytes).
fn token(tok: &[u8], hint: Option<u8>) -> R<(i8, u64)> {
    let s = std::str::from_utf8(tok).unwrap();
    if let Some(hex) = s.strip_prefix("0x") {
        return Ok((
            KG,
            u8::from_str_radix(hex, 16).map_err(|e| e.to_string())? as u64,
        ));
    }
    let (body, suffix) = match s.as_bytes().last() {
        _ if matches!(s, "0n" | "0w" | "-0w" | "0N" | "0W" | "-0W") => (s, None),
        Some(c) if c.is_ascii_alphabetic() => (&s[..s.len() - 1], Some(*c)),
        _ => (s, None),
    };
    let suffix = suffix.or(hint);
    let t = match suffix {
        Some(b'h') => KH,
        Some(b'i') => KI,
        Some(b'j') => KJ,
        Some(b'e') => KE,
        Some(b'f') => KF,
        Some(b'b') => KB,
        Some(b'p') => KP,
        Some(b'm') => KM,
        Some(b'd') => KD,
        Some(b'z') => KZ,
        Some(b'n') => KN,
        Some(b'u') => KU,
        Some(b'v') => KV,
        Some(b't') => KT,
        _ => infer(body),
    };
    let null = body == "0N" || body == "0n";
    let inf = match body {
        "0W" | "0w" => 1,
        "-0W" | "-0w" => -1,
        _ => 0,
    };
    let word = match t {
        KE | KF | KZ => {
            let f = if null {
                f64::NAN
            } else if inf != 0 {
                inf as f64 * f64::INFINITY
            } else if t == KZ && body.contains('T') {
                let (d, tm) = body.split_once('T').unwrap();
                date(d) as f64 + clock(tm, 3) as f64 / 86_400_000.0
            } else {
                body.parse::<f64>().map_err(|e| format!("{body}: {e}"))?
            };
            if t == KE {
                (f as f32).to_bits() as u64
            } else {
                f.to_bits()
            }
        }
        _ => {
            let (nv, wv) = match t {
                KH => (NH as i64, WH as i64),
                KI | KM | KD | KU | KV | KT => (NI as i64, WI as i64),
                _ => (NJ, WJ),
            };
            let v: i64 = if null {
                nv
            } else if inf != 0 {
                inf * wv
            } else {
                match t {
                    KB => (body == "1") as i64,
                    KM => {
                        let (y, m) = body.split_once('.').unwrap();
                        (y.parse::<i64>().unwrap() - 2000) * 12 + m.parse::<i64>().unwrap() - 1
                    }
                    KD => date(body) as i64,
                    KP => {
                        let (d, tm) = body.split_once('D').unwrap();
                        date(d) as i64 * 86_400_000_000_000 + clock(tm, 9)
                    }
                    KN => {
                        let (neg, b) = body.strip_prefix('-').map_or((false, body), |b| (true, b));
                        let v = if let Some((d, tm)) = b.split_once('D') {
                            d.parse::<i64>().unwrap() * 86_400_000_000_000 + clock(tm, 9)
                        } else {
                            b.parse().unwrap()
                        };
                        if neg {
                            -v
                        } else {
                            v
                        }
                    }
                    KU => clock(body, 0) / 60,
                    KV => clock(body, 0),
                    KT => clock(body, 3),
                    _ => body
                        .parse::<f64>()
                        .map(|f| f as i64)
                        .or_else(|_| body.parse::<i64>())
                        .map_err(|e| format!("{body}: {e}"))?,
                }
            };
            match t {
                KH => v as i16 as u16 as u64,
                KI | KM | KD | KU | KV | KT => v as i32 as u32 as u64,
                _ => v as u64,
            }
        }
    };
    Ok((t, word))
}

fn infer(body: &str) -> i8 {
    let dots = body.matches('.').count();
    if body.contains('D') {
        if dots >= 2 {
            KP
        } else {
            KN
        }
    } else if body.contains('T') {
        KZ
    } else if dots == 2 && !body.contains(':') {
        KD
    } else if body.contains(':') {
        match (body.matches(':').count(), body.contains('.')) {
            (1, _) => KU,
            (2, false) => KV,
            _ => KT,
        }
    } else if body.contains('.')
        || body.contains('e')
        || body == "0n"
        || body == "0w"
        || body == "-0w"
    {
        KF
    } else {
        KJ
    }
}

fn date(s: &str) -> i32 {
    let p: Vec<i32> = s.split('.').map(|x| x.parse().unwrap()).collect();
    ymd(p[0], p[1], p[2])
}

/// `hh:mm[:ss[.fff]]` in units of 10^-digits seconds.
fn clock(s: &str, digits: u32) -> i64 {
    let (hms, frac) = s.split_once('.').unwrap_or((s, ""));
    let p: Vec<i64> = hms.split(':').map(|x| x.parse().unwrap()).collect();
    let secs = p[0] * 3600 + p.get(1).copied().unwrap_or(0) * 60 + p.get(2).copied().unwrap_or(0);
    let mut f = frac.to_string();
    while f.len() < digits as usize {
        f.push('0');
    }
    secs * 10i64.pow(digits) + f[..digits as usize].parse::<i64>().unwrap_or(0)
}

fn atoms_to_vector(toks: &[&[u8]]) -> R<K> {
    let last = toks.last().unwrap();
    // Bits and bytes are single tokens.
    if toks.len() == 1
        && last.len() > 2
        && last.ends_with(b"b")
        && last[..last.len() - 1]
            .iter()
            .all(|c| *c == b'0' || *c == b'1')
    {
        let bits: Vec<u8> = last[..last.len() - 1].iter().map(|c| c - b'0').collect();
        return Ok(if bits.len() == 1 {
            K::bool(bits[0] == 1)
        } else {
            K::from_slice(KB, &bits)
        });
    }
    if toks.len() == 1 && last.starts_with(b"0x") && last.len() > 4 {
        let bytes: Vec<u8> = last[2..]
            .chunks(2)
            .map(|c| u8::from_str_radix(std::str::from_utf8(c).unwrap(), 16).unwrap())
            .collect();
        return Ok(K::from_slice(KG, &bytes));
    }
    let (t_last, _) = token(last, None)?;
    let hint = match t_last {
        KH => Some(b'h'),
        KI => Some(b'i'),
        KE => Some(b'e'),
        KM => Some(b'm'),
        KB => Some(b'b'),
        KF => Some(b'f'),
        KD => Some(b'd'),
        KP => Some(b'p'),
        KN => Some(b'n'),
        KU => Some(b'u'),
        KV => Some(b'v'),
        KT => Some(b't'),
        KZ => Some(b'z'),
        _ => None,
    };
    let parsed: Vec<(i8, u64)> = toks.iter().map(|t| token(t, hint)).collect::<R<_>>()?;
    // A float anywhere makes the whole vector float.
    let t = if t_last == KJ && parsed.iter().any(|p| p.0 == KF) {
        KF
    } else {
        t_last
    };
    let parsed: Vec<(i8, u64)> = if t == KF && t_last == KJ {
        toks.iter()
            .map(|x| token(x, Some(b'f')))
            .collect::<R<_>>()?
    } else {
        parsed
    };
    if toks.len() == 1 {
        return Ok(K::atom_word(-t, parsed[0].1));
    }
    let mut v = K::vector(t, 0);
    for (_, w) in parsed {
        match item_size(t) {
            1 => v.push(w as u8),
            2 => v.push(w as u16 as i16),
            4 => v.push(w as u32 as i32),
            _ => v.push(w as i64),
        }
    }
    Ok(v)
}
