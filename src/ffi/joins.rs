//! `ja js jk jv`: appending to a list through the host's `K*`, in amortised constant time.
//! A shared list is copied first, so other holders never see it change.

use super::boundary::{c_sym, guard, set_error, take, update_in_place};
use super::types::{K, S, V};
use crate::obj::{self, layout::*, Error, Sym};

/// Appends the raw value at `y` (an item of `*x`'s type) to `*x`.
#[no_mangle]
pub extern "C" fn ja(x: *mut K, y: *mut V) -> K {
    guard(|| {
        // SAFETY: x points at the host's K; y at one item of its type (k.h contract).
        unsafe {
            update_in_place(x, |k| {
                if y.is_null() {
                    return Err(Error::type_());
                }
                if k.t() == 0 {
                    k.push_k(take(*(y as *mut K)).unwrap_or_else(obj::K::identity));
                    return Ok(());
                }
                let size = plain_item_size(k.t());
                if size == 0 || k.t() < 0 {
                    return Err(Error::type_());
                }
                // SAFETY: the host passes one item of the list's type at y.
                k.push_item_bytes(std::slice::from_raw_parts(y as *const u8, size));
                Ok(())
            })
        }
    })
}

/// Appends a symbol (interned if it is not already) to the symbol list `*x`.
#[no_mangle]
pub extern "C" fn js(x: *mut K, s: S) -> K {
    guard(|| {
        // SAFETY: x points at the host's K; s is a NUL-terminated string.
        unsafe {
            update_in_place(x, |k| {
                if k.t() != KS {
                    return Err(Error::type_());
                }
                let sym: Sym = c_sym(s);
                k.push(sym);
                Ok(())
            })
        }
    })
}

/// Appends the object `y` (taken) to the general list `*x`.
#[no_mangle]
pub extern "C" fn jk(x: *mut K, y: K) -> K {
    join_taking(x, y, |k, y| {
        if k.t() != 0 {
            return Err(Error::type_());
        }
        k.push_k(y);
        Ok(())
    })
}

/// Appends the items of the list `y` (taken) to `*x`, which must have the same type.
#[no_mangle]
pub extern "C" fn jv(x: *mut K, y: K) -> K {
    join_taking(x, y, |k, y| {
        if k.t() != y.t() || !has_count(k.t()) || k.t() == XD || k.t() < 0 {
            return Err(Error::type_());
        }
        k.append(&y);
        Ok(())
    })
}

/// The shape of `jk` and `jv`: take `y` (released even when the join fails), then change the
/// host's `*x` in place.
fn join_taking(x: *mut K, y: K, join: impl FnOnce(&mut obj::K, obj::K) -> obj::Result<()>) -> K {
    guard(|| {
        // SAFETY: k.h: jk and jv take ownership of y.
        let Some(y) = (unsafe { take(y) }) else {
            set_error(Error::type_());
            return std::ptr::null_mut();
        };
        // SAFETY: x points at the host's K (k.h contract).
        unsafe { update_in_place(x, |k| join(k, y)) }
    })
}
