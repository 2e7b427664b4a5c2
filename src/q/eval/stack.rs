//! How much native stack this thread has left. The evaluator checks its budget per call
//! (`Ctx::check_stack`); primitives that recurse over nested data (atomic extension, match,
//! hashing, `string`) call `guard`, which raises `'stack` by unwinding when the thread is close
//! to its end, so a value nested a hundred thousand levels deep gives an error instead of
//! killing the host. Every boundary (the C API, `k(0,...)`, the console) turns the unwinding
//! back into the error.

use crate::obj::Error;

/// Stack kept free below the floor for the frames between two checks and for error handling.
pub const MARGIN: usize = 256 << 10;

/// The current thread's lowest stack address (looked up once per thread), or 0 if unknown.
#[inline]
pub fn thread_low() -> usize {
    crate::sys::stack::thread_low()
}

/// An address in the caller's frame.
#[inline(always)]
pub fn here() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

/// Raises `'stack` (by unwinding) when less than `MARGIN` of the thread's stack is left.
#[inline]
pub fn guard() {
    let low = thread_low();
    if low != 0 && here() < low + MARGIN {
        Error::new("stack").raise()
    }
}
