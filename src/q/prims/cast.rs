//! Value conversion between numeric types, the core of `$` with a numeric target and of every
//! primitive whose result type differs from its computation type.
//!
//! Floats round to the nearest integer (halves away from zero), nulls stay null, float
//! infinities become the target's infinities, and integers wrap when they do not fit.

use super::kernel::unary;
use super::num::{column, Num};
use crate::obj::{K, *};

fn is_float(t: i8) -> bool {
    matches!(t.wrapping_abs(), KE | KF | KZ)
}

/// A float as an integer of type `T`, as `$` casts it.
#[inline(always)]
fn round_to<T: Num>(v: f64, max: i64) -> T {
    if v.is_nan() {
        T::NULL
    } else if v >= max as f64 {
        T::from_i64(max)
    } else if v <= -(max as f64) {
        T::from_i64(-max)
    } else {
        T::from_i64(v.round() as i64)
    }
}

/// v limited to [-max, max].
#[inline(always)]
fn clamp(v: i64, max: i64) -> i64 {
    v.clamp(-max, max)
}

/// `x` (numeric or temporal, atom or vector) converted to numeric type `out` by value.
pub fn convert(x: &K, out: i8) -> K {
    let out = out.wrapping_abs();
    if x.t().wrapping_abs() == out {
        return x.clone();
    }
    let fl = is_float(x.t());
    match out {
        KB => {
            if fl {
                unary::<f64, u8>(x, KB, |v| (v != 0.0) as u8)
            } else {
                unary::<i64, u8>(x, KB, |v| (v != 0) as u8)
            }
        }
        // Narrowing keeps nulls and clamps to the target's infinities; bytes and chars take
        // the low 8 bits of the value clamped to the int range (`"x"$0Wi+1` is 0xff).
        KG | KC => {
            if fl {
                unary::<f64, u8>(x, out, |v| round_to::<i64>(v, WJ) as u8)
            } else {
                unary::<i64, u8>(x, out, |v| clamp(v, WI as i64) as u8)
            }
        }
        KH => {
            if fl {
                unary::<f64, i16>(x, KH, |v| round_to::<i16>(v, WH as i64))
            } else {
                unary::<i64, i16>(x, KH, |v| {
                    if v == NJ {
                        NH
                    } else {
                        clamp(v, WH as i64) as i16
                    }
                })
            }
        }
        KI | KM | KD | KU | KV | KT => {
            if fl {
                unary::<f64, i32>(x, out, |v| round_to::<i32>(v, WI as i64))
            } else {
                unary::<i64, i32>(x, out, |v| {
                    if v == NJ {
                        NI
                    } else {
                        clamp(v, WI as i64) as i32
                    }
                })
            }
        }
        KJ | KP | KN => {
            if fl {
                unary::<f64, i64>(x, out, |v| round_to::<i64>(v, WJ))
            } else {
                let c = column::<i64>(x);
                if x.t() < 0 {
                    K::atom_i64(-out, c[0])
                } else {
                    K::from_slice(out, &c)
                }
            }
        }
        KE => unary::<f64, f32>(x, KE, |v| v as f32),
        _ => unary::<f64, f64>(x, out, |v| v),
    }
}

// ---- `$` ----------------------------------------------------------------------------------

use super::kit::{atomic1, count, item, unify};
use crate::obj::temporal::{civil, ymd};
use crate::obj::{Error, Result, Sym};

/// Type letters by type number, as `.Q.t`.
const LETTERS: &[u8; 20] = b" bg xhijefcspmdznuvt";

/// Type names by type number, as `` `long$ `` spells them.
pub const NAMES: [&str; 20] = [
    "",
    "boolean",
    "guid",
    "",
    "byte",
    "short",
    "int",
    "long",
    "real",
    "float",
    "char",
    "symbol",
    "timestamp",
    "month",
    "date",
    "datetime",
    "timespan",
    "minute",
    "second",
    "time",
];

/// Calendar and clock fields `` `year$d `` and `d.year` take.
const FIELDS: [&str; 6] = ["year", "mm", "dd", "hh", "uu", "ss"];

/// Whether `` `name$ `` is a cast (a type's name or a field), not an enumeration.
pub fn is_cast_name(name: &[u8]) -> bool {
    NAMES.iter().any(|n| !n.is_empty() && n.as_bytes() == name)
        || FIELDS.iter().any(|n| n.as_bytes() == name)
}

/// What the left side of `$` asks for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Target {
    /// Convert to this type by value.
    Type(i8),
    /// Parse text as this type (uppercase letters, negative type numbers, `` ` ``).
    Parse(i8),
    /// A calendar or clock field, by its index in FIELDS.
    Field(usize),
    /// Pad a string to this width (negative: on the left).
    Pad(i64),
    /// `"*"$x` and `0h$x`: x itself.
    Same,
}

fn target(x: &K) -> Result<Target> {
    match x.t() {
        t if t == -KC => {
            let c = x.g();
            if c == b'*' {
                return Ok(Target::Same);
            }
            let lower = c.to_ascii_lowercase();
            let t = LETTERS
                .iter()
                .position(|&l| l == lower)
                .filter(|&p| p > 0)
                .ok_or_else(Error::domain)? as i8;
            Ok(if c.is_ascii_uppercase() {
                Target::Parse(t)
            } else {
                Target::Type(t)
            })
        }
        t if t == -KS => {
            let name = x.s();
            if name.is_empty() {
                return Ok(Target::Parse(KS));
            }
            if let Some(t) = NAMES
                .iter()
                .position(|&n| !n.is_empty() && n.as_bytes() == name.as_bytes())
            {
                return Ok(Target::Type(t as i8));
            }
            if let Some(f) = FIELDS.iter().position(|&n| n.as_bytes() == name.as_bytes()) {
                return Ok(Target::Field(f));
            }
            // `` `sym$`a `` enumerates against a global, the evaluator's job; a name that is
            // no type and reaches here has no symbol list to enumerate against.
            Err(Error::type_())
        }
        t if t == -KH => match x.h() {
            0 => Ok(Target::Same),
            h if h > 0 && h < 20 => Ok(Target::Type(h as i8)),
            h if h < 0 && h > -20 => Ok(Target::Parse(-h as i8)),
            _ => Err(Error::domain()),
        },
        t if t == -KI || t == -KJ => Ok(Target::Pad(super::kit::int_atom(x)?)),
        _ => Err(Error::type_()),
    }
}

/// Is `x` a cast to a numeric type (`"i"`, `` `long ``, `6h`)?
pub fn is_numeric_target(x: &K) -> bool {
    matches!(
        target(x),
        Ok(Target::Type(KB | KG | KH | KI | KJ | KE | KF))
    )
}

/// `x$y`: cast, parse, field or pad, atomic over y (and over x when x is a list of targets).
pub fn cast(x: K, y: K) -> Result<K> {
    crate::q::eval::stack::guard();
    if super::matrix::is_mmu(&x, &y) {
        return super::matrix::mmu(x, y);
    }
    // Type letters cast a list item by item, and an atom to each type in turn (`"dt"$.z.p` is
    // the date and the time: file-text.md).
    let is_target_list =
        x.t() == 0 || x.t() == KH || x.t() == KS || (x.t() == KC && (y.t() == 0 || y.t() < 0));
    if x.t() > 0 && is_target_list || x.t() == 0 {
        let xs = super::kit::items_of(&x);
        let n = xs.len();
        if y.t() >= 0 && count(&y) != n {
            return Err(Error::length());
        }
        let out: Result<Vec<K>> = xs
            .into_iter()
            .enumerate()
            .map(|(i, t)| cast(t, if y.t() < 0 { y.clone() } else { item(&y, i) }))
            .collect();
        return Ok(unify(out?));
    }
    match target(&x)? {
        // An empty general list becomes an empty vector of the type (`1h$()` is `0#0b`).
        Target::Type(t) if y.t() == 0 && y.n() == 0 => Ok(K::vector(t, 0)),
        Target::Type(t) => atomic1(y, &|v| to_type(t, v)),
        Target::Parse(t) => parse_text(t, y),
        Target::Field(f) => atomic1(y, &|v| field(f, &v)),
        Target::Pad(w) => pad(w, y),
        Target::Same => Ok(y),
    }
}

pub fn is_time_point(t: i8) -> bool {
    matches!(t, KP | KM | KD | KZ)
}
pub fn is_duration(t: i8) -> bool {
    matches!(t, KN | KU | KV | KT)
}

const DAY_NS: i64 = 86_400_000_000_000;

/// Nanoseconds: since 2000.01.01 for points, of the span for durations (null stays NJ).
fn to_ns(t: i8, x: &K) -> Vec<i64> {
    // Out of the timestamp range saturates to the infinities, never to the null.
    let unit = |u: i64| {
        column::<i64>(x)
            .iter()
            .map(|&v| {
                if v == NJ {
                    NJ
                } else {
                    v.saturating_mul(u).max(-WJ)
                }
            })
            .collect()
    };
    match t {
        KP | KN => column::<i64>(x).into_owned(),
        KD => unit(DAY_NS),
        KT => unit(1_000_000),
        KU => unit(60_000_000_000),
        KV => unit(1_000_000_000),
        KM => column::<i64>(x)
            .iter()
            .map(|&m| {
                if m == NJ {
                    NJ
                } else {
                    ymd(
                        2000 + m.div_euclid(12) as i32,
                        m.rem_euclid(12) as i32 + 1,
                        1,
                    ) as i64
                        * DAY_NS
                }
            })
            .collect(),
        _ => column::<f64>(x)
            .iter()
            .map(|&f| {
                if f.is_nan() {
                    NJ
                } else {
                    (f * DAY_NS as f64).round() as i64
                }
            })
            .collect(),
    }
}

fn from_ns(out: i8, ns: &[i64], atom: bool) -> K {
    let map32 = |f: &dyn Fn(i64) -> i32| -> Vec<i32> {
        ns.iter()
            .map(|&v| if v == NJ { NI } else { f(v) })
            .collect()
    };
    let k = match out {
        KP | KN => K::from_slice(out, ns),
        KD => K::from_slice(KD, &map32(&|v| v.div_euclid(DAY_NS) as i32)),
        KM => K::from_slice(
            KM,
            &map32(&|v| {
                let (y, m, _) = civil(v.div_euclid(DAY_NS) as i32);
                (y - 2000) * 12 + m - 1
            }),
        ),
        KT => K::from_slice(KT, &map32(&|v| v.div_euclid(1_000_000) as i32)),
        KU => K::from_slice(KU, &map32(&|v| v.div_euclid(60_000_000_000) as i32)),
        KV => K::from_slice(KV, &map32(&|v| v.div_euclid(1_000_000_000) as i32)),
        _ => {
            let f: Vec<f64> = ns
                .iter()
                .map(|&v| {
                    if v == NJ {
                        f64::NAN
                    } else {
                        v as f64 / DAY_NS as f64
                    }
                })
                .collect();
            K::from_slice(KZ, &f)
        }
    };
    if atom {
        item(&k, 0)
    } else {
        k
    }
}

/// One atom or simple vector converted to type `out` by value.
pub fn to_type(out: i8, y: K) -> Result<K> {
    let ts = y.t().wrapping_abs();
    if ts == out {
        return Ok(y);
    }
    let atom = y.t() < 0;
    if out == KS {
        return match ts {
            KC => Ok(if atom {
                K::sym(Sym::new([y.g()]))
            } else {
                K::sym(Sym::new(y.as_slice::<u8>()))
            }),
            _ => Err(Error::type_()),
        };
    }
    if !super::num::is_numeric(ts) || !super::num::is_numeric(out) {
        return Err(Error::type_());
    }
    if out == KZ && matches!(ts, KD | KM) {
        // Datetimes count days, so dates convert without passing through nanoseconds.
        let days = if ts == KD {
            y.clone()
        } else {
            from_ns(KD, &to_ns(KM, &y), atom)
        };
        return Ok(convert(&days, KZ));
    }
    if is_time_point(ts) && is_time_point(out) || is_duration(ts) && is_duration(out) {
        return Ok(from_ns(out, &to_ns(ts, &y), atom));
    }
    if is_time_point(ts) && is_duration(out) {
        let tod: Vec<i64> = to_ns(ts, &y)
            .iter()
            .map(|&v| if v == NJ { NJ } else { v.rem_euclid(DAY_NS) })
            .collect();
        return Ok(from_ns(out, &tod, atom));
    }
    if is_duration(ts) && is_time_point(out) {
        return Err(Error::type_());
    }
    Ok(convert(&y, out))
}

/// Text parsed as type `t`: a string gives an atom, a list of strings a vector.
fn parse_text(t: i8, y: K) -> Result<K> {
    crate::q::eval::stack::guard();
    match y.t() {
        KC => Ok(parse_one(t, y.as_slice::<u8>())),
        x if x == -KC => Ok(parse_one(t, &[y.g()])),
        0 => {
            let out = crate::q::eval::stop::try_map(y.items(), |s| parse_text(t, s.clone()))?;
            Ok(unify(out))
        }
        XD => {
            let [k, v] = y.items() else { unreachable!() };
            Ok(K::dict(k.clone(), parse_text(t, v.clone())?))
        }
        x if x == KS && t == KS => Ok(y),
        _ => Err(Error::type_()),
    }
}

fn parse_one(t: i8, s: &[u8]) -> K {
    let s = s.trim_ascii();
    // A date in another spelling, a blank, then the time (`04 Jun 2013 07:00:13`).
    if matches!(t, KZ | KP) {
        if let Some((date, time)) = s
            .iter()
            .rposition(|&c| c == b' ')
            .and_then(|at| Some((normal_date(&s[..at])?, &s[at + 1..])))
        {
            let sep: &[u8] = if t == KZ { b"T" } else { b"D" };
            return super::parse::atom(t, &[date.as_slice(), sep, time].concat());
        }
    }
    // A time with a plus sign (`+0900`, as in a date's zone).
    if matches!(t, KT | KN | KU | KV) && s.first() == Some(&b'+') {
        return parse_one(t, &s[1..]);
    }
    match t {
        KS => K::sym(Sym::new(s)),
        KD => {
            normal_date(s).map_or_else(|| super::parse::atom(KD, s), |d| super::parse::atom(KD, &d))
        }
        KT | KN if s.len() > 6 && s.iter().all(u8::is_ascii_digit) => {
            // hhmmss then the fraction: `"T"$"123456789"` is 12:34:56.789.
            let f = [&s[..2], b":", &s[2..4], b":", &s[4..6], b".", &s[6..]].concat();
            let f = if t == KT && f.len() > 12 {
                f[..12].to_vec()
            } else {
                f
            };
            super::parse::atom(t, &f)
        }
        KP if !s.is_empty()
            && s.iter().all(|c| c.is_ascii_digit() || *c == b'.')
            && !s.contains(&b'.')
            || s.len() > 11 && s[..11].iter().all(u8::is_ascii_digit) && s[11] == b'.' =>
        {
            // Seconds since 1970 (unix time), with an optional fraction.
            let (sec, frac) = s.split_at(s.iter().position(|&c| c == b'.').unwrap_or(s.len()));
            let secs = super::parse::int(sec).unwrap_or(NJ);
            let mut ns = 0i64;
            for i in 0..9 {
                ns = ns * 10 + frac.get(i + 1).map_or(0, |&c| (c - b'0') as i64);
            }
            if secs == NJ {
                return super::kit::null_atom(KP);
            }
            K::atom_i64(-KP, (secs - 946_684_800) * 1_000_000_000 + ns)
        }
        KI if s.iter().filter(|&&c| c == b'.').count() == 3 => {
            // An IPv4 address as an int.
            let parts: Option<Vec<i64>> = s.split(|&c| c == b'.').map(super::parse::int).collect();
            match parts {
                Some(p) if p.iter().all(|v| (0..256).contains(v)) => {
                    K::int(p.iter().fold(0u32, |a, &v| a << 8 | v as u32) as i32)
                }
                _ => super::kit::null_atom(KI),
            }
        }
        KP => {
            let mut v = s.to_vec();
            if v.len() >= 10 && v[4] == b'-' && v[7] == b'-' {
                v[4] = b'.';
                v[7] = b'.';
            }
            super::parse::atom(KP, &v)
        }
        _ => super::parse::atom(t, s),
    }
}

/// Other date spellings kdb+ reads: `yyyy-mm-dd`, `mm/dd/yyyy`.
///
/// ref/tok.md lists `yyyymmdd`, `ddMMMyyyy`, `yyyy/[mm|MMM]/dd` and `[mm|MMM]/dd/yyyy` (`\z 0`;
/// `\z 1` reads day first, the caller swapping them); file-text.md reads `04 Jun 2013`, so
/// blanks may part a `ddMMMyyyy`. Two-digit years (`[yy]yy`) are not read: which century
/// kdb+ gives them is not documented.
fn normal_date(s: &[u8]) -> Option<Vec<u8>> {
    if s.len() == 10 && s[4] == b'-' && s[7] == b'-' {
        let mut v = s.to_vec();
        v[4] = b'.';
        v[7] = b'.';
        return Some(v);
    }
    let ymd = |y: &[u8], m: &[u8], d: &[u8]| -> Option<Vec<u8>> {
        (y.len() == 4 && y.iter().all(u8::is_ascii_digit) && d.len() == 2).then_some(())?;
        let m = month_number(m)?;
        Some([y, b".", m.as_slice(), b".", d].concat())
    };
    let parts: Vec<&[u8]> = s.split(|&c| c == b'/').collect();
    if let [a, b, c] = parts.as_slice() {
        return if a.len() == 4 {
            ymd(a, b, c)
        } else {
            ymd(c, a, b)
        };
    }
    // ddMMMyyyy, blanks allowed between the parts.
    let compact: Vec<u8> = s.iter().copied().filter(|&c| c != b' ').collect();
    if compact.len() == 9 && compact[2].is_ascii_alphabetic() {
        return ymd(&compact[5..], &compact[2..5], &compact[..2]);
    }
    None
}

/// A month as two digits, from `mm` or its English name's first three letters.
fn month_number(m: &[u8]) -> Option<Vec<u8>> {
    const NAMES: [&[u8; 3]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
        b"dec",
    ];
    if m.len() == 2 && m.iter().all(u8::is_ascii_digit) {
        return Some(m.to_vec());
    }
    let lower = m.to_ascii_lowercase();
    let i = NAMES
        .iter()
        .position(|n| n.as_slice() == lower.as_slice())?;
    Some(format!("{:02}", i + 1).into_bytes())
}

/// `` `year$x `` and friends: a calendar or clock field as ints.
pub fn field(f: usize, y: &K) -> Result<K> {
    let ts = y.t().wrapping_abs();
    if !is_time_point(ts) && !is_duration(ts) {
        return Err(Error::type_());
    }
    let ns = to_ns(ts, y);
    let v: Vec<i32> = ns
        .iter()
        .map(|&v| {
            if v == NJ {
                return NI;
            }
            let (yy, mm, dd) = civil(v.div_euclid(DAY_NS) as i32);
            let tod = if is_duration(ts) {
                v
            } else {
                v.rem_euclid(DAY_NS)
            };
            match f {
                0 => yy,
                1 => mm,
                2 => dd,
                3 => (tod / 3_600_000_000_000) as i32,
                4 => (tod / 60_000_000_000 % 60) as i32,
                _ => (tod / 1_000_000_000 % 60) as i32,
            }
        })
        .collect();
    Ok(if y.t() < 0 {
        K::int(v[0])
    } else {
        K::from_slice(KI, &v)
    })
}

/// `n$"text"`: pad with blanks (or truncate) to n characters; negative n pads on the left.
fn pad(w: i64, y: K) -> Result<K> {
    crate::q::eval::stack::guard();
    match y.t() {
        KC => {
            let s = y.as_slice::<u8>();
            let n = super::kit::alloc_len(w.unsigned_abs())?;
            let out: Vec<u8> = if w >= 0 {
                (0..n).map(|i| s.get(i).copied().unwrap_or(b' ')).collect()
            } else {
                let skip = s.len().saturating_sub(n);
                let lead = n.saturating_sub(s.len());
                std::iter::repeat_n(b' ', lead)
                    .chain(s[skip..].iter().copied())
                    .collect()
            };
            Ok(K::string(out))
        }
        x if x == -KC => pad(w, unify(vec![y])),
        0 => Ok(K::list(
            y.items()
                .iter()
                .map(|s| pad(w, s.clone()))
                .collect::<Result<_>>()?,
        )),
        XD => {
            let [k, v] = y.items() else { unreachable!() };
            Ok(K::dict(k.clone(), pad(w, v.clone())?))
        }
        XT => super::kit::map_columns(&y, |c| pad(w, c)),
        _ => Err(Error::type_()),
    }
}

/// `type x`: the type number as a short.
pub fn type_(x: K) -> Result<K> {
    Ok(K::short(type_number(&x)))
}

/// q's type number of x: every enumeration is type 20, whatever its domain (the domain
/// only picks the internal type).
pub fn type_number(x: &K) -> i16 {
    let t = x.t();
    if (ENUM_FIRST..=ENUM_LAST).contains(&t.wrapping_abs()) {
        return if t < 0 {
            -(ENUM_FIRST as i16)
        } else {
            ENUM_FIRST as i16
        };
    }
    t as i16
}
