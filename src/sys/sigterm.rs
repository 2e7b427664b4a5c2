//! SIGTERM for the q process, as kdb+ takes it (ChangesIn2.6.md, "SIGTERM"): "the same effect
//! as `exit 0` at the command line, processed when the current task has completed". The
//! handler only makes an eventfd readable (write(2) is async-signal-safe, and errno is kept);
//! the owner's loop watches that descriptor and exits between tasks, `.z.exit` first.
//!
//! Only the q console installs it (in both of its modes: its own thread owns the engine, or
//! the dedicated owner thread does and watches the bell). An embedding host keeps its SIGTERM
//! as it was, its own handler or the default action (the process ends, without `.z.exit`):
//! the engine there has no loop of its own between tasks, so a deferred exit could wait
//! forever on a host that never calls back in, and a library must not make a process that a
//! service manager stops with SIGTERM unstoppable.

use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::OnceLock;

use super::event_fd::EventFd;

/// The doorbell SIGTERM rings; -1 until `install`.
static FD: AtomicI32 = AtomicI32::new(-1);
static BELL: OnceLock<EventFd> = OnceLock::new();

extern "C" fn on_sigterm(_: libc::c_int) {
    let fd = FD.load(Ordering::Relaxed);
    if fd < 0 {
        return;
    }
    // SAFETY: __errno_location gives this thread's errno, saved and restored around the write
    // so the interrupted code never sees it change.
    let errno = unsafe { *libc::__errno_location() };
    let one: u64 = 1;
    // SAFETY: writes 8 bytes from a live u64 to the eventfd; a full counter (EAGAIN) means
    // the bell is already ringing.
    unsafe { libc::write(fd, (&one as *const u64).cast(), 8) };
    // SAFETY: as above.
    unsafe { *libc::__errno_location() = errno };
}

/// From now on SIGTERM makes the returned descriptor readable instead of ending the process;
/// None if the eventfd cannot be made.
pub fn install() -> Option<i32> {
    let bell = BELL.get_or_init(|| EventFd::new().expect("eventfd for SIGTERM"));
    FD.store(bell.fd(), Ordering::Relaxed);
    // SAFETY: sigaction is plain data; all-zero is a valid empty action to fill in.
    let mut act: libc::sigaction = unsafe { std::mem::zeroed() };
    act.sa_sigaction = on_sigterm as *const () as libc::sighandler_t;
    act.sa_flags = libc::SA_RESTART;
    // SAFETY: act.sa_mask is a valid sigset_t to clear.
    unsafe { libc::sigemptyset(&mut act.sa_mask) };
    // SAFETY: act is a fully initialised action whose handler is async-signal-safe.
    let rc = unsafe { libc::sigaction(libc::SIGTERM, &act, std::ptr::null_mut()) };
    (rc == 0).then(|| bell.fd())
}

/// Takes the ring (the loop's callback calls it before exiting).
pub fn drain() {
    if let Some(bell) = BELL.get() {
        bell.drain();
    }
}
