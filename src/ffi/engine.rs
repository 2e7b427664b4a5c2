//! The owner-bound entry points: `k(0,...)` (through `kx_k_array`), `dot`, `qinit`, the
//! callback registrations `sd0 sd0x sd1`, `dl`, and `shutdown_thread`.
//!
//! Until the interpreter and the owner thread land, each answers `'nyi` by its own
//! convention (an error object for `k` and `dot`, 0 or -1 with the error pending otherwise),
//! releasing what it was given, and never crashes.

use super::boundary::{guard, set_error, take};
use super::types::{I, J, K, S, V};
use crate::obj::{self, Error};

/// Releases `n` host-owned arguments.
///
/// # Safety
/// `args` must be valid for `n` reads, each null or an object whose reference is given up.
unsafe fn release_args(n: I, args: *mut K) {
    if args.is_null() {
        return;
    }
    for i in 0..n.max(0) as usize {
        // SAFETY: the caller's contract.
        drop(unsafe { take(*args.add(i)) });
    }
}

/// Takes over `n` host-owned arguments.
///
/// # Safety
/// As `release_args`.
unsafe fn take_args(n: I, args: *mut K) -> Vec<obj::K> {
    if args.is_null() {
        return Vec::new();
    }
    // SAFETY: the caller's contract; null slots are skipped.
    (0..n.max(0) as usize).filter_map(|i| unsafe { take(*args.add(i)) }).collect()
}

/// `k` with its arguments in an array: what `k(h, s, a, b, (K)0)` does, for hosts that cannot
/// call C-variadic functions (cgo). Takes the arguments.
#[no_mangle]
pub extern "C" fn kx_k_array(h: I, s: *const std::ffi::c_char, n: I, args: *mut K) -> K {
    guard(|| {
        if h != 0 {
            // SAFETY: the shim passes n valid slots whose references k takes.
            let args = unsafe { take_args(n, args) };
            return super::net::k_remote(h, s, args);
        }
        // SAFETY: k.h: k releases its arguments; the shim passes n valid slots.
        unsafe { release_args(n, args) };
        obj::K::error(Error::nyi().msg()).into_raw()
    })
}

/// `.[f;args]`. Takes neither argument, as k.h documents for `dot`.
#[no_mangle]
pub extern "C" fn dot(f: K, args: K) -> K {
    guard(|| {
        let _ = (f, args);
        obj::K::error(Error::nyi().msg()).into_raw()
    })
}

/// Starts the embedded engine: `qinit(argc, argv, qhome, qlic, qqq)`.
#[no_mangle]
pub extern "C" fn qinit(argc: I, argv: *mut S, qhome: S, qlic: S, qqq: S) -> I {
    let _ = (argc, argv, qhome, qlic, qqq);
    set_error(Error::nyi());
    -1
}

/// Registers `f` to be called when socket `d` is readable.
#[no_mangle]
pub extern "C" fn sd1(d: I, f: Option<extern "C" fn(I) -> K>) -> K {
    let _ = (d, f);
    set_error(Error::nyi());
    std::ptr::null_mut()
}

/// Removes the callback on `d` and closes it.
#[no_mangle]
pub extern "C" fn sd0(d: I) {
    sd0x(d, 1)
}

/// Removes the callback on `d`, closing it when `f` is 1.
#[no_mangle]
pub extern "C" fn sd0x(d: I, f: I) {
    let _ = (d, f);
    set_error(Error::nyi());
}

/// A q function of rank `n` that calls the C function `f`.
#[no_mangle]
pub extern "C" fn dl(f: *mut V, n: J) -> K {
    let _ = (f, n);
    set_error(Error::nyi());
    std::ptr::null_mut()
}
