//! The C boundary: the panic guard every export runs inside, the thread's pending error under
//! the names the exports use (`krr`'s pointer, kept in `crate::obj::pending`), and the
//! conversions between raw pointers and the safe `K` handle. Preconditions for the unsafe
//! conversions are written here once.

use std::ffi::c_char;
use std::mem::ManuallyDrop;
use std::panic::{catch_unwind, AssertUnwindSafe};

use super::types::{I, K};
use crate::obj::{self, Error, Sym};

/// The pending error: set from an `Error`, set to a host pointer, taken (null: none).
pub use crate::obj::pending::{set as set_error, set_ptr as set_error_ptr, take_ptr as take_error};

/// What an export returns when it fails: a null K (with the error pending), 0, or nothing.
pub trait Fallback {
    fn fallback() -> Self;
}
impl Fallback for K {
    fn fallback() -> K {
        std::ptr::null_mut()
    }
}
impl Fallback for I {
    fn fallback() -> I {
        0
    }
}
impl Fallback for i64 {
    fn fallback() -> i64 {
        0
    }
}
impl Fallback for () {
    fn fallback() {}
}
impl Fallback for *mut c_char {
    fn fallback() -> *mut c_char {
        std::ptr::null_mut()
    }
}

/// Runs an export's body; a panic becomes the pending error `'panic` and the fallback value,
/// so no unwinding ever reaches the host.
#[inline]
pub fn guard<R: Fallback>(body: impl FnOnce() -> R) -> R {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(r) => r,
        Err(payload) => {
            set_error(Error::from_panic(payload));
            R::fallback()
        }
    }
}

/// Maps a safe result to the C convention: the object, or null with the error pending.
pub fn k_result(r: obj::Result<obj::K>) -> K {
    match r {
        Ok(k) => k.into_raw(),
        Err(e) => {
            set_error(e);
            std::ptr::null_mut()
        }
    }
}

/// Takes over the reference a host passes in.
///
/// # Safety
/// `x` must be null or a live K object made by this library, whose reference the host gives up.
pub unsafe fn take(x: K) -> Option<obj::K> {
    // SAFETY: the caller's contract is exactly from_raw's.
    unsafe { obj::K::from_raw(x) }
}

/// Borrows an object the host keeps.
///
/// # Safety
/// `x` must be null or a live K object made by this library, alive for the whole call.
pub unsafe fn borrow(x: K) -> Option<ManuallyDrop<obj::K>> {
    // SAFETY: the caller's contract is exactly borrow_raw's.
    unsafe { obj::K::borrow_raw(x) }
}

/// A host's C string as bytes (null reads as empty).
///
/// # Safety
/// `s` must be null or point at a NUL-terminated string that lives for the call.
pub unsafe fn c_bytes<'a>(s: *const c_char) -> &'a [u8] {
    if s.is_null() {
        return b"";
    }
    // SAFETY: the caller promises a NUL-terminated string.
    unsafe { std::ffi::CStr::from_ptr(s) }.to_bytes()
}

/// `n` bytes of a host's buffer (stopping early at a NUL, as `sn` does).
///
/// # Safety
/// `s` must be null or valid for reads of `n` bytes.
pub unsafe fn c_bytes_n<'a>(s: *const c_char, n: usize) -> &'a [u8] {
    if s.is_null() || n == 0 {
        return b"";
    }
    // SAFETY: the caller promises n readable bytes.
    let all = unsafe { std::slice::from_raw_parts(s.cast::<u8>(), n) };
    all.iter()
        .position(|&b| b == 0)
        .map_or(all, |nul| &all[..nul])
}

/// A host's symbol pointer as an interned symbol.
///
/// # Safety
/// As `c_bytes`.
pub unsafe fn c_sym(s: *const c_char) -> Sym {
    // SAFETY: as c_bytes.
    unsafe { Sym::from_c_str(s) }
}

/// Reads and replaces the object behind a host's `K*` (the join functions' first argument).
///
/// # Safety
/// `x` must be a valid pointer to a live K object owned by the host.
pub unsafe fn update_in_place(x: *mut K, f: impl FnOnce(&mut obj::K) -> obj::Result<()>) -> K {
    if x.is_null() {
        set_error(Error::type_());
        return std::ptr::null_mut();
    }
    // SAFETY: the host passes a pointer to its own K variable holding a live object.
    let Some(mut k) = (unsafe { take(*x) }) else {
        set_error(Error::type_());
        return std::ptr::null_mut();
    };
    let r = f(&mut k);
    let raw = k.into_raw();
    // SAFETY: as above; the object may have moved, so the host's variable is updated.
    unsafe { *x = raw };
    match r {
        Ok(()) => raw,
        Err(e) => {
            set_error(e);
            std::ptr::null_mut()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_the_fallback_and_a_pending_error() {
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let k: K = guard(|| panic!("boom"));
        let i: I = guard(|| panic!("boom"));
        std::panic::set_hook(prev);
        assert!(k.is_null());
        assert_eq!(i, 0);
        // SAFETY: pending errors are NUL-terminated.
        assert_eq!(unsafe { c_bytes(take_error()) }, b"panic");
        assert!(take_error().is_null());
    }
}
