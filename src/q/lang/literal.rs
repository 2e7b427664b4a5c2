//! Numeric, temporal, boolean and byte literals: the text of one token to a value, and a run
//! of space-separated tokens to one vector (`1 2 3`, `1 2.5`, `2024.01.01 2024.01.02`).

use crate::obj::temporal::ymd;
use crate::obj::*;

/// One scalar literal: its atom type (positive code), its raw word, and whether its type was
/// spelled out by a suffix or a null/infinity form (which decides a mixed run's type).
#[derive(Clone, Copy, Debug)]
pub struct Lit {
    pub t: i8,
    pub word: u64,
    pub explicit: bool,
}

/// What a token's text denotes.
pub enum Parsed {
    Scalar(Lit),
    /// Forms that are vectors by themselves: `101b`, `0x0a0b`.
    Vector(K),
}

fn lit(t: i8, word: u64, explicit: bool) -> Parsed {
    Parsed::Scalar(Lit { t, word, explicit })
}

fn null_word(t: i8) -> u64 {
    match t {
        KH => NH as u16 as u64,
        KI | KM | KD | KU | KV | KT => NI as u32 as u64,
        KE => NE.to_bits() as u64,
        KF | KZ => NF.to_bits(),
        KC => b' ' as u64,
        KS => 0,
        _ => NJ as u64,
    }
}

fn inf_word(t: i8, neg: bool) -> u64 {
    match t {
        KH => (if neg { -WH } else { WH }) as u16 as u64,
        KI | KM | KD | KU | KV | KT => (if neg { -WI } else { WI }) as u32 as u64,
        KE => (if neg { -WE } else { WE }).to_bits() as u64,
        KF | KZ => (if neg { -WF } else { WF }).to_bits(),
        _ => (if neg { -WJ } else { WJ }) as u64,
    }
}

fn suffix_type(c: u8) -> Option<i8> {
    Some(match c {
        b'b' => KB,
        b'h' => KH,
        b'i' => KI,
        b'j' => KJ,
        b'e' => KE,
        b'f' => KF,
        b'c' => KC,
        b'p' => KP,
        b'm' => KM,
        b'd' => KD,
        b'z' => KZ,
        b'n' => KN,
        b'u' => KU,
        b'v' => KV,
        b't' => KT,
        b'g' => UU,
        _ => return None,
    })
}

fn digits(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Nanoseconds in a fraction written after a decimal point (`123` -> 123_000_000).
fn frac_nanos(s: &str) -> Option<i64> {
    if s.is_empty() {
        return Some(0);
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut t: String = s.chars().take(9).collect();
    while t.len() < 9 {
        t.push('0');
    }
    t.parse().ok()
}

/// `hh[:mm[:ss[.fff]]]` as nanoseconds, and how many parts it had.
fn clock_nanos(s: &str) -> Option<(i64, usize, usize)> {
    let (hms, frac) = match s.find('.') {
        Some(p) => (&s[..p], &s[p + 1..]),
        None => (s, ""),
    };
    let parts: Vec<&str> = hms.split(':').collect();
    if parts.len() > 3 {
        return None;
    }
    let mut v = [0i64; 3];
    for (i, p) in parts.iter().enumerate() {
        v[i] = digits(p)?;
    }
    let ns = (v[0] * 3600 + v[1] * 60 + v[2]) * 1_000_000_000 + frac_nanos(frac)?;
    Some((ns, parts.len(), frac.len()))
}

/// `yyyy.mm.dd` as days from 2000.01.01.
fn date_days(s: &str) -> Option<i32> {
    let p: Vec<&str> = s.split('.').collect();
    if p.len() != 3 || p[0].len() != 4 || p[1].len() != 2 || p[2].len() != 2 {
        return None;
    }
    let (y, m, d) = (
        digits(p[0])? as i32,
        digits(p[1])? as i32,
        digits(p[2])? as i32,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(ymd(y, m, d))
}

/// `[-]dDhh:mm:ss.nnnnnnnnn` (the day count and the clock are both optional).
fn timespan_nanos(s: &str) -> Option<i64> {
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let (d, clock) = match s.find('D') {
        Some(p) => (if p == 0 { 0 } else { digits(&s[..p])? }, &s[p + 1..]),
        None => (0, s),
    };
    let c = if clock.is_empty() {
        0
    } else {
        clock_nanos(clock)?.0
    };
    let v = d * 86_400_000_000_000 + c;
    Some(if neg { -v } else { v })
}

/// Classifies one token's text (a leading `-` included).
pub fn parse(text: &str) -> Option<Parsed> {
    let b = text.as_bytes();
    let neg = b.first() == Some(&b'-');
    let body = if neg { &text[1..] } else { text };
    let bb = body.as_bytes();
    if bb.is_empty() {
        return None;
    }
    // Null and infinity forms.
    if bb.len() <= 3 && bb[0] == b'0' && bb.len() >= 2 && matches!(bb[1], b'N' | b'n' | b'W' | b'w')
    {
        let t = match (bb[1], bb.get(2)) {
            (b'n' | b'w', None) => KF,
            (b'n' | b'w', Some(b'e')) => KE,
            (b'n' | b'w', Some(b'f')) => KF,
            (b'N' | b'W', None) => KJ,
            (b'N' | b'W', Some(&c)) => suffix_type(c)?,
            _ => return None,
        };
        if matches!(bb[1], b'N' | b'n') {
            if neg {
                return None;
            }
            if t == UU {
                return Some(Parsed::Vector(K::guid_atom(Guid([0; 16]))));
            }
            return Some(lit(t, null_word(t), true));
        }
        if t == KB || t == KC || t == UU {
            return None;
        }
        return Some(lit(t, inf_word(t, neg), true));
    }
    // Bytes.
    if let Some(hex) = body.strip_prefix("0x") {
        if neg || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let padded = if hex.len() % 2 == 1 {
            format!("0{hex}")
        } else {
            hex.to_string()
        };
        let bytes: Vec<u8> = (0..padded.len() / 2)
            .map(|i| u8::from_str_radix(&padded[2 * i..2 * i + 2], 16).unwrap())
            .collect();
        if bytes.len() == 1 {
            return Some(lit(KG, bytes[0] as u64, true));
        }
        return Some(Parsed::Vector(K::from_slice(KG, &bytes)));
    }
    // Booleans.
    if bb.len() >= 2
        && bb[bb.len() - 1] == b'b'
        && bb[..bb.len() - 1].iter().all(|c| *c == b'0' || *c == b'1')
    {
        if neg {
            return None;
        }
        let bits: Vec<u8> = bb[..bb.len() - 1].iter().map(|c| c - b'0').collect();
        if bits.len() == 1 {
            return Some(lit(KB, bits[0] as u64, true));
        }
        return Some(Parsed::Vector(K::from_slice(KB, &bits)));
    }
    // Temporal forms.
    if let Some(p) = body.find('D') {
        let before = &body[..p];
        if before.contains('.') {
            let days = date_days(before)? as i64;
            let mut rest = &body[p + 1..];
            rest = rest.strip_suffix('p').unwrap_or(rest);
            let c = if rest.is_empty() {
                0
            } else {
                clock_nanos(rest)?.0
            };
            let v = days * 86_400_000_000_000 + c;
            return Some(lit(KP, (if neg { -v } else { v }) as u64, true));
        }
        let t = body.strip_suffix('n').unwrap_or(body);
        let v = timespan_nanos(t)?;
        return Some(lit(KN, (if neg { -v } else { v }) as u64, true));
    }
    if let Some(p) = body.find('T') {
        let days = date_days(&body[..p])? as f64;
        let rest = body[p + 1..].strip_suffix('z').unwrap_or(&body[p + 1..]);
        let c = if rest.is_empty() {
            0
        } else {
            clock_nanos(rest)?.0
        };
        let v = days + (c / 1_000_000) as f64 / 86_400_000.0;
        return Some(lit(KZ, (if neg { -v } else { v }).to_bits(), true));
    }
    if body.contains(':') {
        let last = *bb.last()?;
        let (clock, suffix) = if last.is_ascii_alphabetic() {
            (&body[..body.len() - 1], Some(last))
        } else {
            (body, None)
        };
        let (ns, parts, frac) = clock_nanos(clock)?;
        let sign = if neg { -1 } else { 1 };
        let t = match suffix {
            Some(c) => suffix_type(c)?,
            None if frac > 3 => KN,
            None if frac > 0 => KT,
            None if parts == 3 => KV,
            None => KU,
        };
        let w = match t {
            KN => (sign * ns) as u64,
            KT => (sign * (ns / 1_000_000)) as i32 as u32 as u64,
            KV => (sign * (ns / 1_000_000_000)) as i32 as u32 as u64,
            KU => (sign * (ns / 60_000_000_000)) as i32 as u32 as u64,
            KP => (sign * ns) as u64,
            _ => return None,
        };
        return Some(lit(t, w, suffix.is_some()));
    }
    let dots = body.bytes().filter(|c| *c == b'.').count();
    if dots == 2 {
        let (d, suffix) = match bb[bb.len() - 1] {
            c if c.is_ascii_alphabetic() => (&body[..body.len() - 1], Some(c)),
            _ => (body, None),
        };
        let days = date_days(d)?;
        return match suffix {
            None | Some(b'd') => Some(lit(KD, days as u32 as u64, true)),
            Some(b'p') => Some(lit(KP, (days as i64 * 86_400_000_000_000) as u64, true)),
            Some(b'z') => Some(lit(KZ, (days as f64).to_bits(), true)),
            _ => None,
        };
    }
    if bb[bb.len() - 1] == b'm' && dots == 1 {
        let p: Vec<&str> = body[..body.len() - 1].split('.').collect();
        if p.len() == 2 && p[0].len() == 4 && p[1].len() == 2 {
            let (y, m) = (digits(p[0])?, digits(p[1])?);
            if !(1..=12).contains(&m) {
                return None;
            }
            return Some(lit(
                KM,
                ((y - 2000) * 12 + m - 1) as i32 as u32 as u64,
                true,
            ));
        }
        return None;
    }
    // Plain numbers with an optional type suffix.
    let last = bb[bb.len() - 1];
    let (num, t, explicit) = if last.is_ascii_alphabetic() {
        (&body[..body.len() - 1], suffix_type(last)?, true)
    } else {
        let float = body.contains('.') || body.contains('e') || body.contains('E');
        (body, if float { KF } else { KJ }, false)
    };
    if num.is_empty() || !num.bytes().next()?.is_ascii_digit() && !num.starts_with('.') {
        return None;
    }
    let is_int = num.bytes().all(|c| c.is_ascii_digit());
    let sign = if neg { -1.0 } else { 1.0 };
    match t {
        KF | KE | KZ => {
            let v: f64 = num.parse().ok()?;
            let v = sign * v;
            Some(if t == KE {
                lit(KE, (v as f32).to_bits() as u64, true)
            } else {
                lit(t, v.to_bits(), explicit)
            })
        }
        _ if !is_int => {
            // `1.5j` and friends are not literals.
            None
        }
        KB => {
            let v: i64 = num.parse().ok()?;
            if v > 1 || neg {
                return None;
            }
            Some(lit(KB, v as u64, true))
        }
        KH | KI | KJ | KG => {
            let v: i128 = num.parse().ok()?;
            let v = if neg { -v } else { v };
            let w = match t {
                KH => i16::try_from(v).ok()? as u16 as u64,
                KI => i32::try_from(v).ok()? as u32 as u64,
                KG => u8::try_from(v).ok()? as u64,
                _ => match i64::try_from(v) {
                    Ok(j) => j as u64,
                    Err(_) => return Some(lit(KF, (v as f64).to_bits(), false)),
                },
            };
            Some(lit(t, w, explicit))
        }
        KM | KD | KU | KV | KT => {
            let v: i64 = num.parse().ok()?;
            let v = if neg { -v } else { v };
            let w = match t {
                // `2000m`-style are rare; a bare count of units otherwise.
                KU if num.len() > 2 => (v / 100 * 60 + v % 100) as i32,
                KV if num.len() > 4 => (v / 10000 * 3600 + v / 100 % 100 * 60 + v % 100) as i32,
                _ => v as i32,
            };
            Some(lit(t, w as u32 as u64, true))
        }
        KP | KN => {
            let v: i64 = num.parse().ok()?;
            Some(lit(t, (if neg { -v } else { v }) as u64, true))
        }
        _ => None,
    }
}

/// The atom for one scalar literal.
pub fn atom(l: Lit) -> K {
    K::atom_word(-l.t, l.word)
}

/// Converts a literal's value to another numeric type of a mixed run (long or float only).
fn widen(l: Lit, t: i8) -> u64 {
    if l.t == t {
        return l.word;
    }
    match (l.t, t) {
        (KJ, KF) => {
            let j = l.word as i64;
            (if j == NJ {
                NF
            } else if j == WJ {
                WF
            } else if j == -WJ {
                -WF
            } else {
                j as f64
            })
            .to_bits()
        }
        _ => l.word,
    }
}

/// One value for a run of scalar literals written side by side.
pub fn run(lits: &[Lit]) -> Option<K> {
    if lits.len() == 1 {
        return Some(atom(lits[0]));
    }
    // An explicit suffix on the last item types the whole run (`1 2 3h`).
    let last = lits[lits.len() - 1];
    let mut t = lits[0].t;
    let mut same = true;
    for l in lits {
        if l.t != t {
            same = false;
        }
    }
    if !same {
        let all_num = lits.iter().all(|l| matches!(l.t, KJ | KF));
        if all_num {
            t = KF;
        } else if last.explicit
            && lits[..lits.len() - 1]
                .iter()
                .all(|l| l.t == KJ || l.t == KF && !f64::from_bits(l.word).is_finite())
        {
            t = last.t;
            return Some(retyped_run(lits, t));
        } else if let Some(t) = typed_around_bare_nulls(lits) {
            // `2000.01.01 0N 2000.01.03`, `12:00 0W`: a bare long null or infinity anywhere
            // in a run of one other type is that type's (q code written against kdb+ relies
            // on it, e.g. embedR's tests of date and timestamp vectors).
            let typed = lits.iter().map(|l| {
                if l.t != KJ {
                    *l
                } else {
                    let j = l.word as i64;
                    let word = if j == NJ {
                        null_word(t)
                    } else {
                        inf_word(t, j < 0)
                    };
                    Lit {
                        t,
                        word,
                        explicit: true,
                    }
                }
            });
            return run(&typed.collect::<Vec<_>>());
        } else {
            // Mixed temporal types: kdb+ gives a general list.
            return Some(K::list(lits.iter().map(|l| atom(*l)).collect()));
        }
    }
    let mut v = K::vector(t, lits.len());
    let size = item_size(t);
    for (i, l) in lits.iter().enumerate() {
        let w = widen(*l, t);
        match size {
            1 => v.as_mut_slice::<u8>()[i] = w as u8,
            2 => v.as_mut_slice::<i16>()[i] = w as i16,
            4 => v.as_mut_slice::<i32>()[i] = w as u32 as i32,
            _ => v.as_mut_slice::<i64>()[i] = w as i64,
        }
    }
    Some(v)
}

/// The one type of a run's items other than its bare long nulls and infinities (`0N`, `0W`,
/// `-0W`), where every long of the run is one of those.
fn typed_around_bare_nulls(lits: &[Lit]) -> Option<i8> {
    let mut others = lits.iter().filter(|l| l.t != KJ).map(|l| l.t);
    let t = others.next()?;
    let longs_special = lits
        .iter()
        .filter(|l| l.t == KJ)
        .all(|l| matches!(l.word as i64, NJ | WJ) || l.word as i64 == -WJ);
    (longs_special && others.all(|o| o == t)).then_some(t)
}

/// `1 2 3h`: the leading unsuffixed longs take the last item's type.
fn retyped_run(lits: &[Lit], t: i8) -> K {
    let text: Vec<String> = lits[..lits.len() - 1]
        .iter()
        .map(|l| (l.word as i64).to_string())
        .collect();
    let mut out = Vec::with_capacity(lits.len());
    let suffix = match t {
        KH => "h",
        KI => "i",
        KE => "e",
        KF => "f",
        KB => "b",
        KG => "",
        _ => "",
    };
    for (s, l) in text.into_iter().zip(lits) {
        let j = l.word as i64;
        // `0n 2 3i`, `0w 1h`: a float null or infinity takes the run's type as well.
        let special = (l.t == KF).then(|| f64::from_bits(l.word));
        let w = if let Some(f) = special {
            if f.is_nan() {
                null_word(t)
            } else {
                inf_word(t, f < 0.0)
            }
        } else if l_is_null(&s) {
            null_word(t)
        } else if j == WJ || j == -WJ {
            inf_word(t, j < 0)
        } else if let Some(Parsed::Scalar(l)) = parse(&format!("{s}{suffix}")) {
            l.word
        } else {
            0
        };
        out.push(Lit {
            t,
            word: w,
            explicit: true,
        });
    }
    out.push(lits[lits.len() - 1]);
    run(&out).unwrap_or_else(K::identity)
}

fn l_is_null(s: &str) -> bool {
    s == i64::MIN.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> K {
        match parse(s).unwrap() {
            Parsed::Scalar(l) => atom(l),
            Parsed::Vector(k) => k,
        }
    }

    #[test]
    fn scalars() {
        assert_eq!(one("42").j(), 42);
        assert_eq!(one("-7i").i(), -7);
        assert_eq!(one("1.5").f(), 1.5);
        assert_eq!(one("0N").j(), NJ);
        assert_eq!(one("-0W").j(), -WJ);
        assert!(one("0n").f().is_nan());
        assert_eq!(one("2000.01.02").i(), 1);
        assert_eq!(one("2000.02m").i(), 1);
        assert_eq!(one("12:34").i(), 754);
        assert_eq!(one("00:00:01.5").i(), 1500);
        assert_eq!(one("0D00:00:01").j(), 1_000_000_000);
        assert_eq!(one("2000.01.01D00:00:00.000000001").j(), 1);
        assert_eq!(one("0x0a").g(), 10);
        assert_eq!(one("101b").n(), 3);
    }
}
