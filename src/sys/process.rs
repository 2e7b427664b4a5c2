//! The process around the library: work to run when it exits.

/// Runs `f` at process exit (atexit).
pub fn at_exit(f: extern "C" fn()) {
    // SAFETY: f is a plain function with no arguments; atexit only stores its address.
    let r = unsafe { libc::atexit(f) };
    debug_assert_eq!(r, 0, "atexit failed");
}
