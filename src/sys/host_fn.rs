//! Calling a host's C function `K f(K, ...)` through a raw address: the one place a pointer to
//! foreign code becomes a call. What the function takes and returns (K objects) is the
//! caller's business; here they are opaque pointers.

use std::ffi::c_void;

/// kdb+'s limit on the rank of a function.
pub const MAX_RANK: usize = 8;

/// Calls the C function at `f` with `args` (1 to `MAX_RANK` of them) and returns its result.
///
/// # Safety
/// `f` must be the address of a C function taking exactly `args.len()` pointer arguments and
/// returning a pointer, safe to call with these arguments on this thread.
pub unsafe fn call(f: usize, args: &[*mut c_void]) -> *mut c_void {
    type P = *mut c_void;
    macro_rules! call_with {
        ($($i:literal),+) => {{
            // SAFETY: the caller's contract: `f` takes exactly this many pointers.
            let f: extern "C" fn($(call_with!(@p $i)),+) -> P = unsafe { std::mem::transmute(f) };
            f($(args[$i]),+)
        }};
        (@p $i:literal) => { P };
    }
    match args.len() {
        1 => call_with!(0),
        2 => call_with!(0, 1),
        3 => call_with!(0, 1, 2),
        4 => call_with!(0, 1, 2, 3),
        5 => call_with!(0, 1, 2, 3, 4),
        6 => call_with!(0, 1, 2, 3, 4, 5),
        7 => call_with!(0, 1, 2, 3, 4, 5, 6),
        8 => call_with!(0, 1, 2, 3, 4, 5, 6, 7),
        n => panic!("host function of rank {n}"),
    }
}
