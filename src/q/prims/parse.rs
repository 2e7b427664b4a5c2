//! Text to values: the core of `"J"$"42"` (a string parsed as a type), also used for q's
//! literal syntax (`2000.01.01`, `12:30`, `0D01:00`). Text that does not parse gives the
//! type's null, as kdb+ does.

use crate::obj::temporal::ymd;
use crate::obj::{Guid, Sym, K, *};

fn digits(s: &[u8]) -> Option<i64> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut v: i64 = 0;
    for &c in s {
        v = v.checked_mul(10)?.checked_add((c - b'0') as i64)?;
    }
    Some(v)
}

/// A signed integer, or None.
pub fn int(s: &[u8]) -> Option<i64> {
    match s.split_first() {
        Some((b'-', rest)) => digits(rest).map(|v| -v),
        _ => digits(s),
    }
}

/// A float (digits, point, exponent, `0n`/`0w`), or None.
pub fn float(s: &[u8]) -> Option<f64> {
    let t = std::str::from_utf8(s).ok()?;
    match t {
        "0n" | "0N" => return Some(f64::NAN),
        "0w" | "0W" => return Some(f64::INFINITY),
        "-0w" | "-0W" => return Some(f64::NEG_INFINITY),
        _ => {}
    }
    if t.is_empty()
        || !t
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'e' | b'E' | b'+'))
    {
        return None;
    }
    t.parse::<f64>().ok()
}

/// Days from 2000.01.01 for `yyyy.mm.dd` (also `yyyymmdd`).
pub fn date(s: &[u8]) -> Option<i32> {
    let (y, m, d) = if s.len() == 10 && s[4] == b'.' && s[7] == b'.' {
        (digits(&s[..4])?, digits(&s[5..7])?, digits(&s[8..])?)
    } else if s.len() == 8 {
        (digits(&s[..4])?, digits(&s[4..6])?, digits(&s[6..])?)
    } else {
        return None;
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let days = ymd(y as i32, m as i32, d as i32);
    // Reject days past the month's end (2001.02.30).
    (crate::obj::temporal::civil(days) == (y as i32, m as i32, d as i32)).then_some(days)
}

/// Months from 2000.01 for `yyyy.mm`.
pub fn month(s: &[u8]) -> Option<i32> {
    if s.len() != 7 || s[4] != b'.' {
        return None;
    }
    let (y, m) = (digits(&s[..4])?, digits(&s[5..])?);
    if !(1..=12).contains(&m) {
        return None;
    }
    Some(((y - 2000) * 12 + m - 1) as i32)
}

/// Nanoseconds for `hh:mm[:ss[.fffffffff]]` (hours may exceed 23), with a sign.
pub fn clock_ns(s: &[u8]) -> Option<i64> {
    let (neg, s) = match s.split_first() {
        Some((b'-', r)) => (true, r),
        _ => (false, s),
    };
    let (main, frac) = match s.iter().position(|&c| c == b'.') {
        Some(p) => (&s[..p], &s[p + 1..]),
        None => (s, &b""[..]),
    };
    let parts: Vec<&[u8]> = main.split(|&c| c == b':').collect();
    let (h, m, sec) = match parts.as_slice() {
        [h, m] => (digits(h)?, digits(m)?, 0),
        [h, m, sec] => (digits(h)?, digits(m)?, digits(sec)?),
        [hms] if hms.len() == 6 || hms.len() == 4 => (
            digits(&hms[..2])?,
            digits(&hms[2..4])?,
            if hms.len() == 6 {
                digits(&hms[4..])?
            } else {
                0
            },
        ),
        _ => return None,
    };
    if m > 59 || sec > 59 || frac.len() > 9 || !frac.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut f = 0i64;
    for i in 0..9 {
        f = f * 10 + frac.get(i).map_or(0, |&c| (c - b'0') as i64);
    }
    let v = h
        .checked_mul(3600)?
        .checked_add(m * 60 + sec)?
        .checked_mul(1_000_000_000)?
        .checked_add(f)?;
    Some(if neg { -v } else { v })
}

/// Nanoseconds for a timespan `[d]Dhh:mm:ss.fffffffff` or a clock.
pub fn timespan(s: &[u8]) -> Option<i64> {
    if let Some(p) = s.iter().position(|&c| c == b'D') {
        let (neg, days) = match &s[..p] {
            [b'-', r @ ..] => (true, digits(r)?),
            d => (false, digits(d)?),
        };
        let rest = &s[p + 1..];
        let c = if rest.is_empty() { 0 } else { clock_ns(rest)? };
        let v = days.checked_mul(86_400_000_000_000)?.checked_add(c)?;
        return Some(if neg { -v } else { v });
    }
    clock_ns(s)
}

/// Nanoseconds from 2000.01.01D00:00 for `yyyy.mm.ddDhh:mm:ss.fffffffff` (or just a date).
pub fn timestamp(s: &[u8]) -> Option<i64> {
    let split = s.iter().position(|&c| c == b'D' || c == b'T').or_else(|| {
        (s.len() > 8 && s[8] == b'-' && s[..8].iter().all(u8::is_ascii_digit)).then_some(8)
    });
    let (d, rest) = match split {
        Some(p) => (&s[..p], &s[p + 1..]),
        None => (s, &b""[..]),
    };
    let days = date(d)? as i64;
    let c = if rest.is_empty() { 0 } else { clock_ns(rest)? };
    i64::try_from(days as i128 * 86_400_000_000_000 + c as i128).ok()
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|v| v as u8)
}

/// An IPv4 address (`192.0.2.1`) as its four bytes.
fn ipv4(s: &[u8]) -> Option<[u8; 4]> {
    let parts: Vec<&[u8]> = s.split(|&c| c == b'.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut out = [0u8; 4];
    for (o, p) in out.iter_mut().zip(parts) {
        *o = u8::try_from(digits(p)?).ok()?;
    }
    Some(out)
}

/// An IP address as a guid: IPv6 (with `::` and a trailing IPv4 part) or IPv4 mapped into
/// `::ffff:a.b.c.d`, as kdb+'s `"G"$` reads them.
fn ip_guid(s: &[u8]) -> Option<Guid> {
    if let Some(v4) = ipv4(s) {
        let mut g = [0u8; 16];
        g[10] = 0xff;
        g[11] = 0xff;
        g[12..].copy_from_slice(&v4);
        return Some(Guid(g));
    }
    if !s.contains(&b':') {
        return None;
    }
    // Groups of 16 bits; the last may be an IPv4 address worth two groups.
    let group = |p: &[u8]| -> Option<Vec<u16>> {
        if p.is_empty() {
            return Some(vec![]);
        }
        let mut out = Vec::new();
        for g in p.split(|&c| c == b':') {
            if let Some(v4) = ipv4(g) {
                out.push(u16::from_be_bytes([v4[0], v4[1]]));
                out.push(u16::from_be_bytes([v4[2], v4[3]]));
            } else {
                if g.is_empty() || g.len() > 4 {
                    return None;
                }
                out.push(u16::from_str_radix(std::str::from_utf8(g).ok()?, 16).ok()?);
            }
        }
        Some(out)
    };
    let groups: Vec<u16> = match s.windows(2).position(|w| w == b"::") {
        Some(p) => {
            let (head, tail) = (group(&s[..p])?, group(&s[p + 2..])?);
            if head.len() + tail.len() > 7 {
                return None;
            }
            let mut v = head;
            v.resize(8 - tail.len(), 0);
            v.extend(tail);
            v
        }
        None => group(s)?,
    };
    if groups.len() != 8 {
        return None;
    }
    let mut g = [0u8; 16];
    for (i, w) in groups.iter().enumerate() {
        g[2 * i..2 * i + 2].copy_from_slice(&w.to_be_bytes());
    }
    Some(Guid(g))
}

/// A guid `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (or 32 hex digits, or an IP address).
pub fn guid(s: &[u8]) -> Option<Guid> {
    if s.contains(&b'.') || s.contains(&b':') {
        return ip_guid(s);
    }
    let h: Vec<u8> = s.iter().copied().filter(|&c| c != b'-').collect();
    if h.len() != 32 {
        return None;
    }
    let mut g = [0u8; 16];
    for i in 0..16 {
        g[i] = hex(h[2 * i])? << 4 | hex(h[2 * i + 1])?;
    }
    Some(Guid(g))
}

/// `s` parsed as an atom of vector type `t` (the type's null when it does not parse).
pub fn atom(t: i8, s: &[u8]) -> K {
    let s = s.trim_ascii();
    let null = || super::kit::null_atom(t);
    let ms = |ns: i64| (ns / 1_000_000) as i32;
    match t {
        KB => K::bool(
            matches!(s, [b'1' | b't' | b'T' | b'y' | b'Y' | b'x' | b'X'])
                || s.len() > 1 && matches!(s.first(), Some(b'1' | b't' | b'T' | b'y' | b'Y')),
        ),
        KG => match s {
            [a, b] => hex(*a)
                .zip(hex(*b))
                .map_or_else(null, |(a, b)| K::byte(a << 4 | b)),
            [a] => hex(*a).map_or_else(null, K::byte),
            _ => null(),
        },
        KH => int(s)
            .filter(|v| v.unsigned_abs() <= WH as u64)
            .map_or_else(null, |v| K::short(v as i16)),
        KI => int(s)
            .filter(|v| v.unsigned_abs() <= WI as u64)
            .map_or_else(null, |v| K::int(v as i32)),
        KJ => int(s).map_or_else(null, K::long),
        KE => float(s).map_or_else(null, |v| K::real(v as f32)),
        KF => float(s).map_or_else(null, K::float),
        KC => K::char(s.first().copied().unwrap_or(b' ')),
        KS => K::sym(Sym::new(s)),
        UU => guid(s).map_or_else(null, K::guid_atom),
        KP => timestamp(s)
            .or_else(|| int(s))
            .map_or_else(null, |v| K::atom_i64(-KP, v)),
        KM => month(s)
            .or_else(|| month(s.get(..7).unwrap_or(s)))
            .map_or_else(null, |v| K::atom_i32(-KM, v)),
        KD => date(s)
            .or_else(|| timestamp(s).map(|ns| ns.div_euclid(86_400_000_000_000) as i32))
            .map_or_else(null, |v| K::atom_i32(-KD, v)),
        KZ => timestamp(s).map_or_else(null, |ns| {
            K::atom_word(-KZ, (ns as f64 / 86_400_000_000_000.0).to_bits())
        }),
        KN => timespan(s).map_or_else(null, |v| K::atom_i64(-KN, v)),
        KU => clock_ns(s).map_or_else(null, |v| K::atom_i32(-KU, (v / 60_000_000_000) as i32)),
        KV => clock_ns(s).map_or_else(null, |v| K::atom_i32(-KV, (v / 1_000_000_000) as i32)),
        KT => clock_ns(s).map_or_else(null, |v| K::atom_i32(-KT, ms(v))),
        _ => null(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals() {
        assert_eq!(date(b"2000.01.01"), Some(0));
        assert_eq!(date(b"2001.02.30"), None);
        assert_eq!(month(b"2001.01"), Some(12));
        assert_eq!(clock_ns(b"12:01"), Some(721 * 60_000_000_000));
        assert_eq!(timespan(b"0D05:36:57.600"), Some(20_217_600_000_000));
        assert_eq!(atom(KT, b"12:04:59.123").i(), 43_499_123);
        assert_eq!(atom(KJ, b"42x").j(), NJ);
        assert_eq!(
            guid(b"8c680a01-5a49-5aab-5a65-d4bfddb6a661").unwrap().0[0],
            0x8c
        );
    }
}
