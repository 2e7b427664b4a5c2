//! `ss`, `sn`, `setm`: the symbol table seen from C.

use std::sync::atomic::{AtomicI32, Ordering};

use super::boundary::{c_bytes, guard, set_error};
use super::types::{I, S};
use crate::obj::{Error, Sym};

/// Interns a NUL-terminated string; the result is stable for the life of the process. Null
/// with `'type` for a null pointer.
#[no_mangle]
pub extern "C" fn ss(s: S) -> S {
    guard(|| {
        if s.is_null() {
            set_error(Error::type_());
            return std::ptr::null_mut();
        }
        // SAFETY: s is NUL-terminated (k.h contract).
        Sym::new(unsafe { c_bytes(s) }).as_ptr()
    })
}

/// Interns exactly the first `n` bytes of `s`, NULs included, as libe.so does: `sn("ab\0",3)`
/// is a symbol of its own that reads as `"ab"`. Null with `'type` for a null pointer (with `n`
/// 0, the empty symbol) and with `'length` for a negative `n`.
#[no_mangle]
pub extern "C" fn sn(s: S, n: I) -> S {
    guard(|| {
        let Ok(n) = usize::try_from(n) else {
            set_error(Error::length());
            return std::ptr::null_mut();
        };
        if s.is_null() {
            if n == 0 {
                return Sym::empty().as_ptr();
            }
            set_error(Error::type_());
            return std::ptr::null_mut();
        }
        // SAFETY: the host promises n readable bytes at s (k.h contract).
        Sym::new_exact(unsafe { std::slice::from_raw_parts(s.cast::<u8>(), n) }).as_ptr()
    })
}

static SYMBOL_LOCK_MODE: AtomicI32 = AtomicI32::new(0);

/// Accepted for compatibility: our symbol table is always safe to use from any thread.
/// Returns the previous setting.
#[no_mangle]
pub extern "C" fn setm(m: I) -> I {
    SYMBOL_LOCK_MODE.swap(m, Ordering::Relaxed)
}
