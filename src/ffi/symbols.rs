//! `ss`, `sn`, `setm`: the symbol table seen from C.

use std::sync::atomic::{AtomicI32, Ordering};

use super::boundary::{c_bytes, c_bytes_n, guard};
use super::types::{I, S};
use crate::obj::Sym;

/// Interns a NUL-terminated string; the result is stable for the life of the process.
#[no_mangle]
pub extern "C" fn ss(s: S) -> S {
    // SAFETY: s is null or NUL-terminated (k.h contract).
    guard(|| Sym::new(unsafe { c_bytes(s) }).as_ptr())
}

/// Interns the first `n` bytes of `s` (stopping at a NUL).
#[no_mangle]
pub extern "C" fn sn(s: S, n: I) -> S {
    // SAFETY: s is null or valid for n bytes (k.h contract).
    guard(|| Sym::new(unsafe { c_bytes_n(s, n.max(0) as usize) }).as_ptr())
}

static SYMBOL_LOCK_MODE: AtomicI32 = AtomicI32::new(0);

/// Accepted for compatibility: our symbol table is always safe to use from any thread.
/// Returns the previous setting.
#[no_mangle]
pub extern "C" fn setm(m: I) -> I {
    SYMBOL_LOCK_MODE.swap(m, Ordering::Relaxed)
}
