//! List, dictionary and table constructors: `ktn xD xT ktd knt`. The checks live in
//! `obj::table`, shared with the interpreter.

use super::boundary::{guard, k_result, set_error, take};
use super::types::{I, J, K};
use crate::obj::{self, layout::*, table, Error};

/// A list of `n` items of type `t`: general lists come filled with `::` and symbol lists with
/// the null symbol; other vectors are zeroed.
#[no_mangle]
pub extern "C" fn ktn(t: I, n: J) -> K {
    guard(|| {
        let Ok(n) = usize::try_from(n) else {
            set_error(Error::length());
            return std::ptr::null_mut();
        };
        match i8::try_from(t) {
            Ok(t)
                if t >= 0
                    && item_size(t) != 0
                    && !matches!(t, XD | LAMBDA | PROJECTION..=FOREIGN) =>
            {
                obj::K::vector(t, n).into_raw()
            }
            _ => {
                set_error(Error::type_());
                std::ptr::null_mut()
            }
        }
    })
}

/// A dictionary from keys and values; takes both. If either is null (a failed constructor),
/// the other is released and 0 returned with that failure's error still pending.
#[no_mangle]
pub extern "C" fn xD(keys: K, values: K) -> K {
    guard(|| {
        // SAFETY: k.h: xD takes ownership of both arguments.
        let (k, v) = unsafe { (take(keys), take(values)) };
        match (k, v) {
            (Some(k), Some(v)) => k_result(table::dict(k, v)),
            _ => null_with_error(),
        }
    })
}

/// A table from a dictionary of symbol keys to equal-length columns; takes the dictionary.
#[no_mangle]
pub extern "C" fn xT(dict: K) -> K {
    // SAFETY: k.h: xT takes ownership of its argument.
    guard(|| match unsafe { take(dict) } {
        Some(d) => k_result(table::table_from_dict(d)),
        None => null_with_error(),
    })
}

/// A simple table from a keyed one (a simple table passes through); takes the argument.
#[no_mangle]
pub extern "C" fn ktd(x: K) -> K {
    // SAFETY: k.h: ktd takes ownership of its argument.
    guard(|| match unsafe { take(x) } {
        Some(x) => k_result(table::unkey(x)),
        None => null_with_error(),
    })
}

/// The table `x` keyed on its first `n` columns; takes `x`.
#[no_mangle]
pub extern "C" fn knt(n: J, x: K) -> K {
    // SAFETY: k.h: knt takes ownership of its argument.
    guard(|| match unsafe { take(x) } {
        Some(x) => k_result(table::key_first(n, x)),
        None => null_with_error(),
    })
}

/// Returns 0, keeping an error already pending (from the constructor that failed) or setting
/// `'type`.
fn null_with_error() -> K {
    let pending = super::boundary::take_error();
    if pending.is_null() {
        set_error(Error::type_());
    } else {
        super::boundary::set_error_ptr(pending);
    }
    std::ptr::null_mut()
}
