//! Atom and string constructors: `ka kb kg kh ki kj ke kf kc ks kd kz kt ktj ku kp kpn`.
//! They cannot fail except on a type `ka`/`ktj` does not know.

use super::boundary::{c_bytes, c_sym, guard, set_error};
use super::types::{E, F, I, J, K, S, U};
use crate::obj::{self, layout::*, Error};

/// An atom of type `t` with a zero value (any type; `ka(101)` is the identity `::`).
#[no_mangle]
pub extern "C" fn ka(t: I) -> K {
    guard(|| match i8::try_from(t) {
        Ok(t) if t < 0 || matches!(t, UNARY | BINARY | TERNARY) => {
            obj::K::atom_word(t, 0).into_raw()
        }
        _ => {
            set_error(Error::type_());
            std::ptr::null_mut()
        }
    })
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

/// A symbol atom; the string is interned (a null pointer gives the null symbol).
#[no_mangle]
pub extern "C" fn ks(x: S) -> K {
    // SAFETY: x is null or a NUL-terminated string (k.h contract).
    guard(|| obj::K::sym(unsafe { c_sym(x) }).into_raw())
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

/// A timestamp (`-KP`) or timespan (`-KN`) from nanoseconds.
#[no_mangle]
pub extern "C" fn ktj(t: I, x: J) -> K {
    guard(|| match t {
        t if t == -(KP as I) || t == -(KN as I) || t == -(KJ as I) => {
            obj::K::atom_i64(t as i8, x).into_raw()
        }
        _ => {
            set_error(Error::type_());
            std::ptr::null_mut()
        }
    })
}

/// A guid atom.
#[no_mangle]
pub extern "C" fn ku(x: U) -> K {
    guard(|| obj::K::guid_atom(x).into_raw())
}

/// A char vector from a NUL-terminated string.
#[no_mangle]
pub extern "C" fn kp(x: S) -> K {
    // SAFETY: x is null or a NUL-terminated string (k.h contract).
    guard(|| obj::K::string(unsafe { c_bytes(x) }).into_raw())
}

/// A char vector of exactly `n` bytes (NULs included).
#[no_mangle]
pub extern "C" fn kpn(x: S, n: J) -> K {
    guard(|| {
        let Ok(n) = usize::try_from(n) else {
            set_error(Error::length());
            return std::ptr::null_mut();
        };
        if x.is_null() && n > 0 {
            set_error(Error::type_());
            return std::ptr::null_mut();
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
