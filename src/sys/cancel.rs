//! Thread cancellation held off: `deferred(f)` runs `f` with this thread's cancellation
//! disabled. A host that cancels (`pthread_cancel`) a thread inside the library, at a
//! cancellation point the library reaches (a read, a wait, a child process) or at any
//! instruction (asynchronous cancellation), would unwind it through frames that cannot be
//! unwound that way (the process aborts) or free the stack a waiting call lives on. Deferred,
//! the cancellation happens at the thread's next cancellation point in the host's own code,
//! after the call has returned.
//!
//! A thread that called in with asynchronous cancellation (POSIX allows no library call
//! then) leaves with deferred cancellation: turning asynchronous cancellation back on would
//! act on a pending request at once, inside the library.

// <pthread.h> (glibc, musl): not in the libc crate.
const PTHREAD_CANCEL_ENABLE: libc::c_int = 0;
const PTHREAD_CANCEL_DISABLE: libc::c_int = 1;
const PTHREAD_CANCEL_DEFERRED: libc::c_int = 0;

extern "C" {
    fn pthread_setcancelstate(state: libc::c_int, old: *mut libc::c_int) -> libc::c_int;
    fn pthread_setcanceltype(kind: libc::c_int, old: *mut libc::c_int) -> libc::c_int;
}

/// Runs `f` with cancellation disabled on this thread.
pub fn deferred<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(libc::c_int);
    impl Drop for Restore {
        fn drop(&mut self) {
            // SAFETY: puts back a state pthread_setcancelstate gave us. With the type
            // deferred (below) this is not a cancellation point.
            unsafe { pthread_setcancelstate(self.0, std::ptr::null_mut()) };
        }
    }
    let mut old_state = PTHREAD_CANCEL_ENABLE;
    let mut old_type = PTHREAD_CANCEL_DEFERRED;
    // SAFETY: valid states and out-pointers. Disabled first: nothing acts in between.
    unsafe {
        pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &mut old_state);
        pthread_setcanceltype(PTHREAD_CANCEL_DEFERRED, &mut old_type);
    }
    let _restore = Restore(old_state);
    f()
}
