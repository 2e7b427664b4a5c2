//! Arithmetic: `+ - * %`, `& |` as lesser/greater, `div mod xexp xlog`, and the atomic unary
//! maths (`neg abs signum sqrt exp log reciprocal floor ceiling` and trigonometry).
//! All extend atomically over lists, dicts and tables (see `kit::atomic2`).

use super::kernel::{binary, binary_same, unary, unary_same};
use super::kit::{atomic1, atomic2};
use super::num::{is_numeric, Num};
use super::promote::{self, Arith, Dom, Promo};
use crate::obj::{Error, Result, K, *};

macro_rules! by_dom {
    ($p:expr, $x:expr, $y:expr, $f:expr) => {
        match $p.dom {
            Dom::H => binary_same::<i16>($x, $y, &$p, $f),
            Dom::I => binary_same::<i32>($x, $y, &$p, $f),
            Dom::J => binary_same::<i64>($x, $y, &$p, $f),
            Dom::E => binary_same::<f32>($x, $y, &$p, $f),
            Dom::F => binary_same::<f64>($x, $y, &$p, $f),
        }
    };
}

fn promo(op: Arith, x: &K, y: &K) -> Result<Promo> {
    promote::arith(op, x.t(), y.t()).ok_or_else(Error::type_)
}

/// A duration as a float number of days, for arithmetic with datetimes (which count days).
fn as_days(d: &K) -> K {
    let ns = match d.t().wrapping_abs() {
        KT => 1e6,
        KU => 6e10,
        KV => 1e9,
        _ => 1.0,
    };
    binary::<f64, f64>(
        d,
        &K::float(0.0),
        &Promo {
            dom: Dom::F,
            out: KF,
            scale_x: 1,
            scale_y: 1,
        },
        KF,
        |a, _| a * ns / 86_400e9,
    )
}

/// Datetime with a duration: the duration in days (`2010.05.13T12:30:59.999+23:59:59.999`).
fn datetime_operands(x: K, y: K) -> (K, K) {
    let dur = |t: i8| matches!(t.wrapping_abs(), KT | KU | KV | KN);
    let real = |t: i8| matches!(t.wrapping_abs(), KE | KF);
    match (x.t().wrapping_abs(), y.t().wrapping_abs()) {
        (KZ, t) if dur(t) => {
            let d = as_days(&y);
            (x, d)
        }
        (t, KZ) if dur(t) => (as_days(&x), y),
        // A date with a fraction of days is a datetime (`2000.01.02+0.5`).
        (KD, t) if real(t) => (super::cast::convert(&x, KZ), y),
        (t, KD) if real(t) => (x, super::cast::convert(&y, KZ)),
        _ => (x, y),
    }
}

pub fn add(x: K, y: K) -> Result<K> {
    atomic2(x, y, &|x, y| {
        let (x, y) = datetime_operands(x, y);
        let p = promo(Arith::Add, &x, &y)?;
        Ok(by_dom!(p, x, y, Num::add))
    })
}

pub fn sub(x: K, y: K) -> Result<K> {
    if x.t() == XD && y.t() == XD && !super::compare::matches(&x.items()[0], &y.items()[0]) {
        // Keys found only in y come out negated, as kdb+ computes x+neg y.
        return add(x, neg(y)?);
    }
    atomic2(x, y, &|x, y| {
        let (x, y) = datetime_operands(x, y);
        let p = promo(Arith::Sub, &x, &y)?;
        Ok(by_dom!(p, x, y, Num::sub))
    })
}

pub fn mul(x: K, y: K) -> Result<K> {
    atomic2(x, y, &|x, y| {
        let p = promo(Arith::Mul, &x, &y)?;
        Ok(by_dom!(p, x, y, Num::mul))
    })
}

#[inline(always)]
fn lesser<T: Num>(a: T, b: T) -> T {
    if b.lt(a) {
        b
    } else {
        a
    }
}
#[inline(always)]
fn greater<T: Num>(a: T, b: T) -> T {
    if a.lt(b) {
        b
    } else {
        a
    }
}

fn min_max(x: K, y: K, max: bool) -> Result<K> {
    atomic2(x, y, &|x, y| {
        let p = promo(Arith::MinMax, &x, &y)?;
        if matches!(p.out, KB | KG | KC) {
            let f = |a: i32, b: i32| (if max { greater(a, b) } else { lesser(a, b) }) as u8;
            return Ok(binary::<i32, u8>(&x, &y, &p, p.out, f));
        }
        Ok(if max {
            by_dom!(p, x, y, greater)
        } else {
            by_dom!(p, x, y, lesser)
        })
    })
}

/// `&` and `and`: the lesser.
pub fn and(x: K, y: K) -> Result<K> {
    min_max(x, y, false)
}

/// `|` and `or`: the greater.
pub fn or(x: K, y: K) -> Result<K> {
    min_max(x, y, true)
}

fn float_pair(x: &K, y: &K) -> Result<Promo> {
    if !is_numeric(x.t()) || !is_numeric(y.t()) {
        return Err(Error::type_());
    }
    let out = if x.t().wrapping_abs() == KE && y.t().wrapping_abs() == KE {
        KE
    } else {
        KF
    };
    Ok(Promo {
        dom: promote::dom_of(out),
        out,
        scale_x: 1,
        scale_y: 1,
    })
}

/// `%`: division, always floating point (reals stay reals).
pub fn divide(x: K, y: K) -> Result<K> {
    atomic2(x, y, &|x, y| {
        let p = float_pair(&x, &y)?;
        Ok(match p.dom {
            Dom::E => binary::<f32, f32>(&x, &y, &p, KE, |a, b| a / b),
            _ => binary::<f64, f64>(&x, &y, &p, KF, |a, b| a / b),
        })
    })
}

fn is_float(t: i8) -> bool {
    matches!(t.wrapping_abs(), KE | KF | KZ)
}

/// Floor division of integers; a null or zero divisor gives null.
#[inline(always)]
fn floor_div(a: i64, b: i64) -> i64 {
    if b == 0 || a == NJ || b == NJ {
        return NJ;
    }
    let q = a.wrapping_div(b);
    if a.wrapping_rem(b) != 0 && ((a < 0) != (b < 0)) {
        q - 1
    } else {
        q
    }
}

/// `div`: integer division rounding down; the result keeps x's type (small integers become int).
pub fn idiv(x: K, y: K) -> Result<K> {
    atomic2(x, y, &|x, y| {
        let (tx, ty) = (x.t().wrapping_abs(), y.t().wrapping_abs());
        if !is_numeric(tx) || !is_numeric(ty) {
            return Err(Error::type_());
        }
        let out = match tx {
            KB | KG | KH | KC | KI => KI,
            t => t,
        };
        let p = Promo {
            dom: Dom::J,
            out,
            scale_x: 1,
            scale_y: 1,
        };
        let r = if is_float(tx) || is_float(ty) {
            binary::<f64, f64>(&x, &y, &p, KF, |a, b| (a / b).floor())
        } else {
            binary::<i64, i64>(&x, &y, &p, KJ, floor_div)
        };
        Ok(super::cast::convert(&r, out))
    })
}

/// `mod`: the remainder taking the divisor's sign, `x - y * x div y`.
pub fn modulo(x: K, y: K) -> Result<K> {
    atomic2(x, y, &|x, y| {
        let p = promo(Arith::Mod, &x, &y)?;
        if is_float(p.out) {
            let f = |a: f64, b: f64| a - b * (a / b).floor();
            let r = binary::<f64, f64>(&x, &y, &p, KF, f);
            return Ok(super::cast::convert(&r, p.out));
        }
        let f = |a: i64, b: i64| {
            if b == 0 || a == NJ || b == NJ {
                return NJ;
            }
            let r = a.wrapping_rem(b);
            if r != 0 && ((r < 0) != (b < 0)) {
                r + b
            } else {
                r
            }
        };
        let r = binary::<i64, i64>(&x, &y, &p, KJ, f);
        Ok(super::cast::convert(&r, p.out))
    })
}

fn float_dyad(x: K, y: K, f: fn(f64, f64) -> f64) -> Result<K> {
    atomic2(x, y, &|x, y| {
        if !is_numeric(x.t()) || !is_numeric(y.t()) {
            return Err(Error::type_());
        }
        let p = Promo {
            dom: Dom::F,
            out: KF,
            scale_x: 1,
            scale_y: 1,
        };
        Ok(binary::<f64, f64>(&x, &y, &p, KF, f))
    })
}

/// `xexp`: x to the power y, as a float.
pub fn xexp(x: K, y: K) -> Result<K> {
    // exp(y*log x), as kdb+ computes it (so `2 xexp 3` is 7.9999999999999982).
    float_dyad(x, y, power)
}

/// One `xexp`: a negative base takes an integral power (odd ones keep the sign); with any
/// other power it has no real result (`0n`).
fn power(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        return 1.0;
    }
    if a < 0.0 {
        if b.fract() != 0.0 || !b.is_finite() {
            return f64::NAN;
        }
        let m = (b * (-a).ln()).exp();
        return if b % 2.0 == 0.0 { m } else { -m };
    }
    (b * a.ln()).exp()
}

/// `xlog`: the base-x logarithm of y.
pub fn xlog(x: K, y: K) -> Result<K> {
    float_dyad(x, y, |a, b| b.ln() / a.ln())
}

// ---- unary ---------------------------------------------------------------------------------

/// Unary arithmetic keeps the type, except that bools and bytes become ints.
fn signed_out(t: i8) -> Result<i8> {
    match t.wrapping_abs() {
        KB | KG => Ok(KI),
        KC | KS | UU => Err(Error::type_()),
        t if is_numeric(t) => Ok(t),
        _ => Err(Error::type_()),
    }
}

fn same_type_unary(
    x: K,
    f16: fn(i16) -> i16,
    f32_: fn(i32) -> i32,
    f64_: fn(i64) -> i64,
    fe: fn(f32) -> f32,
    ff: fn(f64) -> f64,
) -> Result<K> {
    atomic1(x, &|x| {
        let out = signed_out(x.t())?;
        if out != x.t().wrapping_abs() {
            return Ok(unary::<i32, i32>(&x, out, f32_));
        }
        Ok(match promote::dom_of(out) {
            Dom::H => unary_same::<i16>(x, f16),
            Dom::I => unary_same::<i32>(x, f32_),
            Dom::J => unary_same::<i64>(x, f64_),
            Dom::E => unary_same::<f32>(x, fe),
            Dom::F => unary_same::<f64>(x, ff),
        })
    })
}

/// `neg` (`-:`).
pub fn neg(x: K) -> Result<K> {
    same_type_unary(
        x,
        i16::wrapping_neg,
        i32::wrapping_neg,
        i64::wrapping_neg,
        |v| -v,
        |v| -v,
    )
}

/// `abs`.
pub fn abs(x: K) -> Result<K> {
    same_type_unary(
        x,
        i16::wrapping_abs,
        i32::wrapping_abs,
        i64::wrapping_abs,
        f32::abs,
        f64::abs,
    )
}

/// `signum`: -1, 0 or 1 as ints (a null integer is negative).
pub fn signum(x: K) -> Result<K> {
    atomic1(x, &|x| {
        signed_out(x.t())?;
        Ok(if is_float(x.t()) {
            unary::<f64, i32>(&x, KI, |v| {
                if v.is_nan() {
                    -1
                } else {
                    (v > 0.0) as i32 - (v < 0.0) as i32
                }
            })
        } else {
            unary::<i64, i32>(&x, KI, |v| (v > 0) as i32 - (v < 0) as i32)
        })
    })
}

fn float_unary(x: K, f: fn(f64) -> f64) -> Result<K> {
    atomic1(x, &|x| {
        if !is_numeric(x.t()) {
            return Err(Error::type_());
        }
        Ok(unary::<f64, f64>(&x, KF, f))
    })
}

pub fn sqrt(x: K) -> Result<K> {
    float_unary(x, f64::sqrt)
}
pub fn exp(x: K) -> Result<K> {
    float_unary(x, f64::exp)
}
pub fn log(x: K) -> Result<K> {
    float_unary(x, f64::ln)
}
pub fn reciprocal(x: K) -> Result<K> {
    float_unary(x, |v| 1.0 / v)
}
pub fn sin(x: K) -> Result<K> {
    float_unary(x, f64::sin)
}
pub fn cos(x: K) -> Result<K> {
    float_unary(x, f64::cos)
}
pub fn tan(x: K) -> Result<K> {
    float_unary(x, f64::tan)
}
pub fn asin(x: K) -> Result<K> {
    float_unary(x, f64::asin)
}
pub fn acos(x: K) -> Result<K> {
    float_unary(x, f64::acos)
}
pub fn atan(x: K) -> Result<K> {
    float_unary(x, f64::atan)
}

/// A float rounded by `f` as a long: null stays null, infinities become `0W`/`-0W`.
#[inline(always)]
pub fn float_to_long(v: f64) -> i64 {
    if v.is_nan() {
        NJ
    } else {
        (v as i64).max(-WJ)
    }
}

fn round_unary(x: K, f: fn(f64) -> f64) -> Result<K> {
    atomic1(x, &|x| match x.t().wrapping_abs() {
        KF => Ok(unary::<f64, i64>(&x, KJ, |v| float_to_long(f(v)))),
        KE => Ok(unary::<f64, i32>(&x, KI, |v| {
            if v.is_nan() {
                NI
            } else {
                (f(v) as i32).max(-WI)
            }
        })),
        KB | KG => Ok(super::cast::convert(&x, KI)),
        KH | KI | KJ => Ok(x),
        _ => Err(Error::type_()),
    })
}

/// Floor within kdb+'s comparison tolerance: a value a hair below an integer is that integer.
/// The relative tolerance `floor` and `ceiling` round with: 2^-44, half the comparison
/// tolerance (`floor 2-1e-13` is 2, yet `floor 1-1e-13` is 0 since V3.0).
const ROUND_TOLERANCE: f64 = 1.0 / 17_592_186_044_416.0;

fn within_rounding(v: f64, n: f64) -> bool {
    (v - n).abs() <= ROUND_TOLERANCE * n.abs().max(v.abs())
}

fn tolerant_floor(v: f64) -> f64 {
    let f = v.floor();
    if within_rounding(v, f + 1.0) {
        f + 1.0
    } else {
        f
    }
}

fn tolerant_ceil(v: f64) -> f64 {
    let c = v.ceil();
    if within_rounding(v, c - 1.0) {
        c - 1.0
    } else {
        c
    }
}

/// `floor`: the greatest integer not above x (floats to longs, reals to ints).
pub fn floor(x: K) -> Result<K> {
    round_unary(x, tolerant_floor)
}

/// `ceiling`.
pub fn ceiling(x: K) -> Result<K> {
    round_unary(x, tolerant_ceil)
}

/// `x xbar y`: y rounded down to a multiple of x, keeping y's type (a duration x is first
/// brought to y's unit: `0D00:05 xbar` a timestamp, `00:05 xbar` a time).
pub fn xbar(x: K, y: K) -> Result<K> {
    atomic2(x, y, &|x, y| {
        let (tx, ty) = (x.t().wrapping_abs(), y.t().wrapping_abs());
        if !is_numeric(tx) || !is_numeric(ty) {
            return Err(Error::type_());
        }
        if is_float(tx) || is_float(ty) {
            let p = Promo {
                dom: Dom::F,
                out: KF,
                scale_x: 1,
                scale_y: 1,
            };
            let r = binary::<f64, f64>(&x, &y, &p, KF, |a, b| a * tolerant_floor(b / a));
            return Ok(if is_float(ty) {
                super::cast::convert(&r, ty)
            } else {
                r
            });
        }
        let x = match (tx, ty) {
            (KN | KU | KV | KT, KP) => {
                super::cast::convert(&super::cast::cast(K::short(KN as i16), x)?, KJ)
            }
            (KU | KV | KN, KT) => {
                super::cast::convert(&super::cast::cast(K::short(KT as i16), x)?, KJ)
            }
            (KU | KV, KV) => super::cast::convert(&super::cast::cast(K::short(KV as i16), x)?, KJ),
            _ => x,
        };
        let p = Promo {
            dom: Dom::J,
            out: KJ,
            scale_x: 1,
            scale_y: 1,
        };
        let r = binary::<i64, i64>(&x, &y, &p, KJ, |a, b| {
            let q = floor_div(b, a);
            if q == NJ {
                NJ
            } else {
                q.wrapping_mul(a)
            }
        });
        Ok(super::cast::convert(&r, ty))
    })
}
