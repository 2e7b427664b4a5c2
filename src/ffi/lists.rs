//! List, dictionary and table constructors: `ktn xD xT ktd knt`, with libe.so's ownership and
//! checks (the differential test compares them):
//!
//! - `ktn(t, n)`: general lists come with null items for the host to fill (a dictionary with
//!   `ktn(XD,2)` too); other vectors are zeroed; a negative type gives the atom whose value is
//!   `n`, as `ktj`. A negative count, or a type that makes no valid object, is an error where
//!   libe.so returns a broken one.
//! - `xD(k, v)` takes both and checks nothing (a null key is kept, to be filled); with a null
//!   `v` it releases `k` and returns 0, leaving the pending error as it was.
//! - `xT(d)` takes `d`; only the keys are checked (`'nyi` unless symbols).
//! - `ktd(x)` takes `x`; `knt(n, t)` leaves `t` with the host and shares its columns.

use super::atoms::{is_vector_type, typed};
use super::boundary::{guard, k_result, set_error, take};
use super::types::{I, J, K};
use crate::obj::{self, layout::*, table, Error};

/// A list of `n` items of type `t`: general lists (and `ktn(XD,2)`) come with null items for
/// the host to fill; other vectors are zeroed. A negative `t` gives that atom with value `n`.
#[no_mangle]
pub extern "C" fn ktn(t: I, n: J) -> K {
    guard(|| {
        let t = t as i8;
        if t < 0 {
            return typed(t, n);
        }
        let Ok(count) = usize::try_from(n) else {
            return null_with(Error::length());
        };
        match t {
            0 => obj::K::raw_list_with_holes(0, count),
            XD if count == 2 => obj::K::raw_list_with_holes(XD, 2),
            t if is_vector_type(t) => obj::K::vector(t, count).into_raw(),
            _ => null_with(Error::type_()),
        }
    })
}

/// A dictionary from keys and values; takes both and checks neither, as libe.so. A null key is
/// kept (the host fills it in); with null values the keys are released and 0 returned, the
/// pending error left as it was (the failed constructor's).
#[no_mangle]
pub extern "C" fn xD(keys: K, values: K) -> K {
    guard(|| {
        // SAFETY: k.h: xD takes ownership of both arguments.
        let (k, v) = unsafe { (take(keys), take(values)) };
        match (k, v) {
            (k, Some(v)) => {
                let d = obj::K::raw_list_with_holes(XD, 2);
                // SAFETY: d is a fresh dictionary with two null slots; each takes over the
                // reference its argument held.
                unsafe {
                    let items = d.cast::<u8>().add(DATA_OFFSET).cast::<K>();
                    *items = k.map_or(std::ptr::null_mut(), obj::K::into_raw);
                    *items.add(1) = v.into_raw();
                }
                d
            }
            (Some(_), None) => std::ptr::null_mut(),
            (None, None) => keep_or(Error::type_()),
        }
    })
}

/// A table from a dictionary whose keys are symbols; takes the dictionary (released on error:
/// `'nyi` for other keys, `'type` for what is no dictionary).
#[no_mangle]
pub extern "C" fn xT(dict: K) -> K {
    // SAFETY: k.h: xT takes ownership of its argument.
    guard(|| match unsafe { take(dict) } {
        Some(d) => k_result(table_of(d)),
        None => std::ptr::null_mut(),
    })
}

fn table_of(d: obj::K) -> obj::Result<obj::K> {
    // libe.so reads the keys as item 0 of whatever it is given: a general list's first item.
    let first = match d.t() {
        0 | XD if d.n() > 0 => first_item(&d),
        _ => None,
    };
    match first {
        Some(KS) if d.t() == XD && d.items()[0].n() == 0 => Err(Error::rank()),
        Some(KS) if d.t() == XD => Ok(obj::K::table(d)),
        Some(KS) => Err(Error::type_()),
        // KX's libe.so itself answers 'nyi here (c-tests/test_objects.c, the differential
        // test against libe.so).
        Some(_) => Err(Error::nyi()),
        None => Err(Error::type_()),
    }
}

/// The type of item 0 of a list-shaped object; None for a hole.
fn first_item(x: &obj::K) -> Option<i8> {
    // SAFETY: x is a list-shaped object with at least one slot (callers check n > 0); the slot
    // may be null (a host's hole), which is read as a pointer, not as a K.
    let p = unsafe { *x.as_ptr().cast::<u8>().add(DATA_OFFSET).cast::<K>() };
    // SAFETY: a non-null slot holds a live object.
    (!p.is_null()).then(|| unsafe { (*p).t })
}

/// A simple table from a keyed one (a simple table passes through); takes the argument.
#[no_mangle]
pub extern "C" fn ktd(x: K) -> K {
    // SAFETY: k.h: ktd takes ownership of its argument.
    guard(|| match unsafe { take(x) } {
        Some(x) if x.has_holes() => null_with(Error::type_()),
        Some(x) => k_result(table::unkey_unchecked(x)),
        None => null_with(Error::type_()),
    })
}

/// The table `x` keyed on its first `n` columns (1 up to one fewer than its columns, else
/// `'length`); `x` stays the host's, its columns are shared.
#[no_mangle]
pub extern "C" fn knt(n: J, x: K) -> K {
    // SAFETY: k.h (libe.so): knt borrows its argument.
    guard(|| match unsafe { super::boundary::borrow(x) } {
        Some(t) if t.t() != XT || t.has_holes() || !table::well_formed(&t) => {
            null_with(Error::type_())
        }
        Some(t) => {
            let ncols = table::columns(&t).n();
            if n <= 0 || n as u64 >= ncols as u64 {
                return null_with(Error::length());
            }
            k_result(table::key_first(n, obj::K::clone(&t)))
        }
        None => null_with(Error::type_()),
    })
}

fn null_with(e: Error) -> K {
    set_error(e);
    std::ptr::null_mut()
}

/// Returns 0, keeping an error already pending (from the constructor that failed) or setting
/// `e`.
fn keep_or(e: Error) -> K {
    let pending = super::boundary::take_error();
    if pending.is_null() {
        set_error(e);
    } else {
        super::boundary::set_error_ptr(pending);
    }
    std::ptr::null_mut()
}
