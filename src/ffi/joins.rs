//! `ja js jk jv`: appending to a list through the host's `K*`, in amortised constant time,
//! with libe.so's ownership: `jk` takes `y`, `jv` and `ja` leave theirs with the host (`ja`
//! of a general list stores `*y` with a reference of its own). A shared list is copied first,
//! so other holders never see it change (libe.so writes into it in place when it has room).
//! Where libe.so would write past an atom or put items of another size into a list (a type
//! mismatch) these are `'type`. After an append a list keeps `s#` only while it stays in
//! order; other attributes are dropped.

use super::boundary::{borrow, guard, set_error, take, update_in_place};
use super::types::{K, S, V};
use crate::obj::{self, layout::*, Error, Sym};

/// Appends the raw value at `y` (an item of `*x`'s type; for a general list a `K`, which gains a
/// reference) to `*x`. A null `y` leaves `*x` as it is.
#[no_mangle]
pub extern "C" fn ja(x: *mut K, y: *mut V) -> K {
    guard(|| {
        if y.is_null() && !x.is_null() {
            // SAFETY: x points at the host's K (k.h contract).
            let k = unsafe { *x };
            if !k.is_null() {
                return k;
            }
        }
        // SAFETY: x points at the host's K; y at one item of its type (k.h contract).
        unsafe {
            update_in_place(x, |k| {
                let t = k.t();
                if t == 0 {
                    let Some(item) = borrow(*(y as *const K)) else {
                        return Err(Error::type_());
                    };
                    k.push_k(obj::K::clone(&item));
                    k.set_attr(ATTR_NONE);
                    return Ok(());
                }
                let size = plain_item_size(t);
                if size == 0 || t < 0 {
                    return Err(Error::type_());
                }
                if t == KS && (*(y as *const *const std::ffi::c_char)).is_null() {
                    return Err(Error::type_());
                }
                let n = k.n();
                // SAFETY: the host passes one item of the list's type at y.
                k.push_item_bytes(std::slice::from_raw_parts(y as *const u8, size));
                keep_order(k, n);
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
                if k.t() != KS || s.is_null() {
                    return Err(Error::type_());
                }
                let n = k.n();
                let sym: Sym = super::boundary::c_sym(s);
                k.push(sym);
                keep_order(k, n);
                Ok(())
            })
        }
    })
}

/// Appends the object `y` (taken, even on error) to the general list `*x`.
#[no_mangle]
pub extern "C" fn jk(x: *mut K, y: K) -> K {
    guard(|| {
        // SAFETY: k.h: jk takes ownership of y.
        let Some(y) = (unsafe { take(y) }) else {
            set_error(Error::type_());
            return std::ptr::null_mut();
        };
        // SAFETY: x points at the host's K (k.h contract).
        unsafe {
            update_in_place(x, |k| {
                if k.t() != 0 {
                    return Err(Error::type_());
                }
                k.push_k(y);
                k.set_attr(ATTR_NONE);
                Ok(())
            })
        }
    })
}

/// Appends the items of the list `y` (which stays the host's) to `*x`: the same type, or
/// simple vectors whose items have the same size.
#[no_mangle]
pub extern "C" fn jv(x: *mut K, y: K) -> K {
    guard(|| {
        // SAFETY: y is null or a live object the host keeps (libe.so does not take it).
        let Some(y) = (unsafe { borrow(y) }) else {
            set_error(Error::type_());
            return std::ptr::null_mut();
        };
        if !x.is_null() && y.t() == 0 && y.has_holes() {
            set_error(Error::type_());
            return std::ptr::null_mut();
        }
        // SAFETY: x points at the host's K (k.h contract).
        let same = !x.is_null() && unsafe { *x } == y.as_ptr();
        // Joining a list to itself: the items come from a copy, as the list may move.
        let y = if same {
            y.shallow_copy()
        } else {
            obj::K::clone(&y)
        };
        // SAFETY: x points at the host's K (k.h contract).
        unsafe {
            update_in_place(x, |k| {
                let (t, yt) = (k.t(), y.t());
                // An empty vector appends nothing to any list (libe.so copies no bytes).
                let vector = |t: i8| (0..=ENUM_LAST).contains(&t) && t != 3;
                if vector(t) && vector(yt) && y.n() == 0 {
                    return Ok(());
                }
                let same_type = t == yt && (t == 0 || plain_item_size(t) != 0 && t > 0);
                let same_size = t > 0
                    && yt > 0
                    && t != KS
                    && yt != KS
                    && plain_item_size(t) != 0
                    && plain_item_size(t) == plain_item_size(yt);
                if !same_type && !same_size {
                    return Err(Error::type_());
                }
                let n = k.n();
                if t == yt {
                    k.append(&y);
                } else {
                    k.append_bytes(y.bytes());
                }
                keep_order(k, n);
                Ok(())
            })
        }
    })
}

/// After items were appended from position `from`: `s#` stays while the list is in order,
/// other attributes go.
fn keep_order(k: &mut obj::K, from: usize) {
    match k.attr() {
        ATTR_NONE => {}
        ATTR_SORTED if k.is_sorted_from(from.saturating_sub(1)) => {}
        _ => k.set_attr(ATTR_NONE),
    }
}
