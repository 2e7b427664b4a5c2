//! `Num`: the five machine types q computes in (i16 i32 i64 f32 f64), and the conversions that
//! bring any numeric or temporal vector into one of them.
//!
//! A conversion keeps nulls null (an int `0Ni` widened to long is `0N`, to float `0n`) but does
//! not map infinities, as kdb+ does (`0Wi+5` is `2147483652`). Integer arithmetic wraps.

use std::borrow::Cow;

use crate::obj::{Item, K, *};

/// A machine type that q arithmetic is carried out in.
pub trait Num: Item + PartialOrd + Default + std::fmt::Debug {
    const NULL: Self;
    const FLOAT: bool;
    const ZERO: Self;
    fn from_i64(v: i64) -> Self;
    fn from_f64(v: f64) -> Self;
    fn to_f64(self) -> f64;
    fn to_i64(self) -> i64;
    fn is_null(self) -> bool;
    /// The value as an atom's 8-byte union word.
    fn bits(self) -> u64;
    fn add(self, b: Self) -> Self;
    fn sub(self, b: Self) -> Self;
    fn mul(self, b: Self) -> Self;
    /// q's order: null below everything (floats too), tolerant for floats.
    fn lt(self, b: Self) -> bool;
    fn eq(self, b: Self) -> bool;
}

macro_rules! int_num {
    ($t:ty, $null:expr) => {
        impl Num for $t {
            const NULL: Self = $null;
            const FLOAT: bool = false;
            const ZERO: Self = 0;
            #[inline(always)]
            fn from_i64(v: i64) -> Self {
                if v == NJ {
                    $null
                } else {
                    v as $t
                }
            }
            #[inline(always)]
            fn from_f64(v: f64) -> Self {
                if v.is_nan() {
                    $null
                } else {
                    v as $t
                }
            }
            #[inline(always)]
            fn to_f64(self) -> f64 {
                if self == $null {
                    f64::NAN
                } else {
                    self as f64
                }
            }
            #[inline(always)]
            fn to_i64(self) -> i64 {
                if self == $null {
                    NJ
                } else {
                    self as i64
                }
            }
            #[inline(always)]
            fn is_null(self) -> bool {
                self == $null
            }
            #[inline(always)]
            fn bits(self) -> u64 {
                self as u64 & (u64::MAX >> (64 - 8 * std::mem::size_of::<$t>()))
            }
            // A null operand gives null; otherwise integers wrap.
            #[inline(always)]
            fn add(self, b: Self) -> Self {
                let r = self.wrapping_add(b);
                if self == $null || b == $null {
                    $null
                } else {
                    r
                }
            }
            #[inline(always)]
            fn sub(self, b: Self) -> Self {
                let r = self.wrapping_sub(b);
                if self == $null || b == $null {
                    $null
                } else {
                    r
                }
            }
            #[inline(always)]
            fn mul(self, b: Self) -> Self {
                let r = self.wrapping_mul(b);
                if self == $null || b == $null {
                    $null
                } else {
                    r
                }
            }
            #[inline(always)]
            fn lt(self, b: Self) -> bool {
                self < b
            }
            #[inline(always)]
            fn eq(self, b: Self) -> bool {
                self == b
            }
        }
    };
}
int_num!(i16, NH);
int_num!(i32, NI);
int_num!(i64, NJ);

/// kdb+'s comparison tolerance, 2^-43.
const TOLERANCE: f64 = 1.0 / 8_796_093_022_208.0;

/// Within kdb+'s tolerance of each other: |a-b| <= 2^-43 * max(|a|,|b|), finite values only
/// (an infinity is never near a number). Written with non-short-circuit operators so loops
/// over it vectorise.
#[inline(always)]
fn near(a: f64, b: f64) -> bool {
    let d = (a - b).abs();
    let (x, y) = (a.abs(), b.abs());
    let m = if x > y { x } else { y };
    // Capping the scale keeps an infinite difference from counting as near.
    let m = if m < f64::MAX { m } else { f64::MAX };
    d <= TOLERANCE * m
}

/// Tolerant float equality as q's `=`: equal, near, or both null.
#[inline(always)]
pub fn feq(a: f64, b: f64) -> bool {
    (a == b) | near(a, b) | (a.is_nan() & b.is_nan())
}

/// q's `<` on floats: null below everything, near values not less.
#[inline(always)]
pub fn flt(a: f64, b: f64) -> bool {
    ((a < b) & !near(a, b)) | (a.is_nan() & !b.is_nan())
}

macro_rules! float_num {
    ($t:ty) => {
        impl Num for $t {
            const NULL: Self = <$t>::NAN;
            const FLOAT: bool = true;
            const ZERO: Self = 0.0;
            #[inline(always)]
            fn from_i64(v: i64) -> Self {
                if v == NJ {
                    <$t>::NAN
                } else {
                    v as $t
                }
            }
            #[inline(always)]
            fn from_f64(v: f64) -> Self {
                v as $t
            }
            #[inline(always)]
            fn to_f64(self) -> f64 {
                self as f64
            }
            #[inline(always)]
            fn to_i64(self) -> i64 {
                if self.is_nan() {
                    NJ
                } else {
                    self as i64
                }
            }
            #[inline(always)]
            fn is_null(self) -> bool {
                self.is_nan()
            }
            #[inline(always)]
            fn bits(self) -> u64 {
                self.to_bits() as u64
            }
            #[inline(always)]
            fn add(self, b: Self) -> Self {
                self + b
            }
            #[inline(always)]
            fn sub(self, b: Self) -> Self {
                self - b
            }
            #[inline(always)]
            fn mul(self, b: Self) -> Self {
                self * b
            }
            #[inline(always)]
            fn lt(self, b: Self) -> bool {
                flt(self as f64, b as f64)
            }
            #[inline(always)]
            fn eq(self, b: Self) -> bool {
                feq(self as f64, b as f64)
            }
        }
    };
}
float_num!(f32);
float_num!(f64);

/// True when vectors of type `t` hold `T` bit for bit (so no conversion is needed).
pub fn is_native<T: Num>(t: i8) -> bool {
    let t = t.wrapping_abs();
    let float = matches!(t, KE | KF | KZ);
    let int = matches!(t, KH | KI | KJ | KM | KD | KN | KU | KV | KT | KP);
    (float && T::FLOAT || int && !T::FLOAT) && item_size(t) == std::mem::size_of::<T>()
}

/// True for the types whose items are numbers q may compute with (bool to float, temporal).
pub fn is_numeric(t: i8) -> bool {
    matches!(
        t.wrapping_abs(),
        KB | KG | KH | KI | KJ | KE | KF | KC | KP | KM | KD | KZ | KN | KU | KV | KT
    )
}

/// The items of a simple numeric/temporal vector (or the atom, as one item) converted to `T`.
pub fn column<T: Num>(x: &K) -> Cow<'_, [T]> {
    let t = x.t();
    if t < 0 {
        return Cow::Owned(vec![scalar::<T>(x)]);
    }
    if is_native::<T>(t) {
        return Cow::Borrowed(x.as_slice::<T>());
    }
    Cow::Owned(match t {
        KB | KG | KC => x
            .as_slice::<u8>()
            .iter()
            .map(|&v| T::from_i64(v as i64))
            .collect(),
        KH => x
            .as_slice::<i16>()
            .iter()
            .map(|&v| T::from_i64(v.to_i64()))
            .collect(),
        KI | KM | KD | KU | KV | KT => x
            .as_slice::<i32>()
            .iter()
            .map(|&v| T::from_i64(v.to_i64()))
            .collect(),
        KJ | KP | KN => x
            .as_slice::<i64>()
            .iter()
            .map(|&v| T::from_i64(v))
            .collect(),
        KE => x
            .as_slice::<f32>()
            .iter()
            .map(|&v| T::from_f64(v as f64))
            .collect(),
        KF | KZ => x
            .as_slice::<f64>()
            .iter()
            .map(|&v| T::from_f64(v))
            .collect(),
        // Callers check types first; anything else reads as nulls rather than failing.
        _ => vec![T::NULL; super::kit::count(x)],
    })
}

/// A numeric or temporal atom converted to `T`.
pub fn scalar<T: Num>(x: &K) -> T {
    match x.t().wrapping_neg() {
        KB | KG | KC => T::from_i64(x.g() as i64),
        KH => T::from_i64(x.h().to_i64()),
        KI | KM | KD | KU | KV | KT => T::from_i64(x.i().to_i64()),
        KJ | KP | KN => T::from_i64(x.j()),
        KE => T::from_f64(x.e() as f64),
        KF | KZ => T::from_f64(x.f()),
        _ => T::NULL,
    }
}

/// An atom of type `t` (either sign) holding `v`.
pub fn atom_of<T: Num>(t: i8, v: T) -> K {
    K::atom_word(-t.wrapping_abs(), v.bits())
}
