//! Value conversion between numeric types, the core of `$` with a numeric target and of every
//! primitive whose result type differs from its computation type.
//!
//! Floats round to the nearest integer (halves away from zero), nulls stay null, float
//! infinities become the target's infinities, and integers wrap when they do not fit.

use super::kernel::unary;
use super::num::{column, Num};
use crate::obj::{K, *};

fn is_float(t: i8) -> bool {
    matches!(t.abs(), KE | KF | KZ)
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

/// `x` (numeric or temporal, atom or vector) converted to numeric type `out` by value.
pub fn convert(x: &K, out: i8) -> K {
    let out = out.abs();
    if x.t().abs() == out {
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
        KG | KC => {
            if fl {
                unary::<f64, u8>(x, out, |v| round_to::<i64>(v, WJ) as u8)
            } else {
                unary::<i64, u8>(x, out, |v| v as u8)
            }
        }
        KH => {
            if fl {
                unary::<f64, i16>(x, KH, |v| round_to::<i16>(v, WH as i64))
            } else {
                unary::<i64, i16>(x, KH, i16::from_i64)
            }
        }
        KI | KM | KD | KU | KV | KT => {
            if fl {
                unary::<f64, i32>(x, out, |v| round_to::<i32>(v, WI as i64))
            } else {
                unary::<i64, i32>(x, out, i32::from_i64)
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
