//! Ctrl-C for the console: SIGINT sets a flag the evaluator checks between steps (`'stop`),
//! and does nothing else, so the session never dies of it. The handler only stores to an
//! atomic, which is async-signal-safe.

use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};

/// The flag SIGINT sets; null until `install`.
static FLAG: AtomicPtr<AtomicBool> = AtomicPtr::new(std::ptr::null_mut());

extern "C" fn on_sigint(_: libc::c_int) {
    let p = FLAG.load(Ordering::Relaxed);
    if !p.is_null() {
        // SAFETY: p came from a &'static AtomicBool in install.
        unsafe { (*p).store(true, Ordering::Relaxed) };
    }
}

/// From now on SIGINT sets `flag` (and interrupts nothing else: system calls restart).
pub fn install(flag: &'static AtomicBool) {
    FLAG.store(
        flag as *const AtomicBool as *mut AtomicBool,
        Ordering::Relaxed,
    );
    // SAFETY: sigaction is plain data; all-zero is a valid empty action to fill in.
    let mut act: libc::sigaction = unsafe { std::mem::zeroed() };
    act.sa_sigaction = on_sigint as *const () as libc::sighandler_t;
    act.sa_flags = libc::SA_RESTART;
    // SAFETY: act.sa_mask is a valid sigset_t to clear.
    unsafe { libc::sigemptyset(&mut act.sa_mask) };
    // SAFETY: act is a fully initialised action whose handler is async-signal-safe.
    let rc = unsafe { libc::sigaction(libc::SIGINT, &act, std::ptr::null_mut()) };
    debug_assert_eq!(rc, 0, "sigaction(SIGINT)");
}
