//! Atom and string constructors: `ka kb kg kh ki kj ke kf kc ks kd kz kt ktj ku kp kpn`.
//!
//! As in libe.so, `ka(t)` and `ktj(t, j)` take any type byte (the low byte of `t`) and `ktj`
//! stores `j` as the atom's 8-byte value. Where libe.so would return an object with no valid
//! value or count (a vector type with a count but no items, a table with no dictionary, a
//! symbol or error pointer made from a number, a type kdb+ has no objects of) these return 0
//! with `'type`, and a null string pointer is `'type` where libe.so crashes.

use super::boundary::{c_bytes, c_sym, guard, set_error};
use super::types::{E, F, I, J, K, S, U};
use crate::obj::{self, layout::*, sym, Error};

/// An atom of type `t` with a zero value, or for a vector type an empty vector (any type
/// kdb+ has; `ka(101)` is the identity `::`).
#[no_mangle]
pub extern "C" fn ka(t: I) -> K {
    guard(|| typed(t as i8, 0))
}

#[no_mangle]
pub extern "C" fn kb(x: I) -> K {
    guard(|| obj::K::bool(x != 0).into_raw())
}

#[no_mangle]
pub extern "C" fn kg(x: I) -> K {
    guard(|| obj::K::byte(x as u8).into_raw())
}

#[no_mangle]
pub extern "C" fn kh(x: I) -> K {
    guard(|| obj::K::short(x as i16).into_raw())
}

#[no_mangle]
pub extern "C" fn ki(x: I) -> K {
    guard(|| obj::K::int(x).into_raw())
}

#[no_mangle]
pub extern "C" fn kj(x: J) -> K {
    guard(|| obj::K::long(x).into_raw())
}

#[no_mangle]
pub extern "C" fn ke(x: F) -> K {
    guard(|| obj::K::real(x as E).into_raw())
}

#[no_mangle]
pub extern "C" fn kf(x: F) -> K {
    guard(|| obj::K::float(x).into_raw())
}

#[no_mangle]
pub extern "C" fn kc(x: I) -> K {
    guard(|| obj::K::char(x as u8).into_raw())
}

/// A symbol atom; the string is interned. Null with `'type` for a null pointer.
#[no_mangle]
pub extern "C" fn ks(x: S) -> K {
    guard(|| {
        if x.is_null() {
            return type_error();
        }
        // SAFETY: x is a NUL-terminated string (k.h contract).
        obj::K::sym(unsafe { c_sym(x) }).into_raw()
    })
}

/// A date: days from 2000.01.01.
#[no_mangle]
pub extern "C" fn kd(x: I) -> K {
    guard(|| obj::K::atom_i32(-KD, x).into_raw())
}

/// A datetime: fractional days from 2000.01.01.
#[no_mangle]
pub extern "C" fn kz(x: F) -> K {
    guard(|| obj::K::atom_word(-KZ, x.to_bits()).into_raw())
}

/// A time: milliseconds from midnight.
#[no_mangle]
pub extern "C" fn kt(x: I) -> K {
    guard(|| obj::K::atom_i32(-KT, x).into_raw())
}

/// An atom of type `t` whose 8-byte value is `x`: `ktj(-KP, ns)` a timestamp, `ktj(-KN, ns)`
/// a timespan, and as in libe.so any other atom type (`ktj(-KD, j)` a date from the low 32
/// bits); with `x` 0, what `ka(t)` gives.
#[no_mangle]
pub extern "C" fn ktj(t: I, x: J) -> K {
    guard(|| typed(t as i8, x))
}

/// `ka`/`ktj`/`ktn` for a type byte `t` and a value (an atom's 8 bytes, or a count that must be
/// 0 for the vectors `ka` makes).
pub(super) fn typed(t: i8, value: J) -> K {
    match t {
        t if t == -UU && value != 0 => type_error(),
        t if t == -KS && value != 0 => match sym::from_table_pointer(value as usize) {
            Some(s) => obj::K::sym(s).into_raw(),
            None => type_error(),
        },
        ERROR if value != 0 => type_error(),
        t if t < 0 || matches!(t, UNARY | BINARY | TERNARY) => {
            obj::K::atom_word(t, value as u64).into_raw()
        }
        t if is_vector_type(t) && value == 0 => obj::K::vector(t, 0).into_raw(),
        _ => type_error(),
    }
}

/// The vector types kdb+ has: general lists, simple vectors, enumerations.
pub(super) fn is_vector_type(t: i8) -> bool {
    (0..=KT).contains(&t) && t != 3 || (ENUM_FIRST..=ENUM_LAST).contains(&t)
}

fn type_error() -> K {
    set_error(Error::type_());
    std::ptr::null_mut()
}

/// A guid atom.
#[no_mangle]
pub extern "C" fn ku(x: U) -> K {
    guard(|| obj::K::guid_atom(x).into_raw())
}

/// A char vector from a NUL-terminated string (`'type` for a null pointer).
#[no_mangle]
pub extern "C" fn kp(x: S) -> K {
    guard(|| {
        if x.is_null() {
            return type_error();
        }
        // SAFETY: x is a NUL-terminated string (k.h contract).
        obj::K::string(unsafe { c_bytes(x) }).into_raw()
    })
}

/// A char vector of exactly `n` bytes (NULs included). A negative `n` is `'length`.
#[no_mangle]
pub extern "C" fn kpn(x: S, n: J) -> K {
    guard(|| {
        let Ok(n) = usize::try_from(n) else {
            set_error(Error::length());
            return std::ptr::null_mut();
        };
        if x.is_null() && n > 0 {
            return type_error();
        }
        // SAFETY: the host promises n readable bytes at x (k.h contract).
        let bytes = if n == 0 {
            &[][..]
        } else {
            unsafe { std::slice::from_raw_parts(x as *const u8, n) }
        };
        obj::K::string(bytes).into_raw()
    })
}
