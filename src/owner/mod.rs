//! The owner thread: owner identity, futex slots, trampolines, the dedicated owner thread and
//! shutdown.
//!
//! Every owner-bound entry point (`qinit`, `k(0,...)`, `dot`, `sd1`, ...) runs its body through
//! `owner_bound`, which runs it inline on the owner thread and trampolines it from any other.
//!
//! - `gate`: the owner word, which the inline check reads (owner's thread pointer and an
//!   attention bit).
//! - `lifecycle`: who the owner is, the mode (default or dedicated), shutdown.
//! - `registry`: a slot per calling thread (`crate::sys::slot`) and the pending bitmap.
//! - `doorbell`: how callers wake the owner (futex word, or eventfd while it polls sockets).
//! - `trampoline`: the caller's path; `serve`: the owner's path; `dedicated`: the owner thread
//!   of dedicated mode.
//!
//! # When calls are served
//!
//! In default mode the owner serves trampolined calls only while it is inside the library: on
//! entry to each of its own owner-bound calls (one pass over the pending slots, before its own
//! call runs; nested calls included), while it
//! waits on a socket (`wait_fd`), and in `kx_serve`. A host whose owner thread stays outside
//! the library (blocked in its own code) leaves trampolined callers waiting, as clients of a
//! q process wait while its main loop is busy; such a host calls `kx_serve` from its loop
//! (polling `kx_notify_fd` to know when), or uses dedicated mode. In dedicated mode the owner
//! thread serves all the time.
//!
//! If a default-mode owner thread exits, ownership is released and its waiting callers are
//! answered "refused" and route again: the first of them becomes the new owner.

mod dedicated;
mod doorbell;
mod event_loop;
mod gate;
mod lifecycle;
mod registry;
mod serve;
mod trampoline;
mod watch;

pub use watch::Callback as WatchCallback;

pub use lifecycle::Mode;
pub use registry::MAX_SLOTS;

use crate::obj::Result;

/// Runs `f` on the owner thread and returns its result. Inline on the owner (and on the first
/// caller, which becomes the owner); other threads wait in their slot. Errors: `'shutdown`
/// after `shutdown_thread`, `'threads` if more than `MAX_SLOTS` threads call at once,
/// `'thread` if the dedicated owner thread could not be started.
#[inline(always)]
pub fn owner_bound<R: Send>(f: impl FnOnce() -> R + Send) -> Result<R> {
    if gate::inline_ready() {
        return Ok(f());
    }
    trampoline::call(f)
}

/// Whether an owner-bound call made now on this thread would run inline at once (it is the
/// owner and no trampolined call is waiting): the exports' inline path.
#[inline(always)]
pub fn inline_ready() -> bool {
    gate::inline_ready()
}

/// Whether the calling thread is the owner.
pub fn is_owner() -> bool {
    lifecycle::is_owner()
}

/// `kx_serve`: the owner serves trampolined calls for up to `timeout` (None: until shutdown).
/// A thread becomes the owner here if there is none (default mode). Returns the calls served,
/// or an error if another thread is the owner or the library was shut down.
pub fn serve(timeout: Option<std::time::Duration>) -> Result<usize> {
    if !lifecycle::is_owner() {
        if lifecycle::is_shut() {
            return Err(lifecycle::shutdown_error());
        }
        if lifecycle::mode() == Mode::Dedicated
            || !(lifecycle::owner_absent() && lifecycle::claim())
        {
            return Err(crate::obj::Error::new("owner"));
        }
    }
    Ok(serve::serve_for(timeout))
}

/// For the network layer's blocking waits: blocks until `fd` is ready for `events` (POLLIN,
/// POLLOUT) or `timeout` passes, serving trampolined calls meanwhile when called on the owner.
/// Returns whether `fd` is ready.
pub fn wait_fd(fd: i32, events: i16, timeout: Option<std::time::Duration>) -> bool {
    serve::wait_fd(fd, events, timeout)
}

/// The network layer's wait hook (`net::wait::WaitHook`): waits until `fd` is readable or
/// `timeout_ms` passes (-1: no limit), serving trampolined calls meanwhile on the owner.
pub fn net_wait(fd: std::os::fd::RawFd, timeout_ms: i32) -> std::io::Result<bool> {
    let timeout = (timeout_ms >= 0).then(|| std::time::Duration::from_millis(timeout_ms as u64));
    Ok(serve::wait_fd(fd, libc::POLLIN, timeout))
}

/// `kx_notify_fd`: a descriptor that becomes readable when calls are pending.
pub fn notify_fd() -> Option<i32> {
    doorbell::notify_fd()
}

/// `kx_threading`: chooses default or dedicated mode before first use.
pub fn choose_mode(mode: Mode) -> Result<Mode> {
    lifecycle::choose_mode(mode)
}

/// `shutdown_thread`: ends serving for good. Pending and later trampolined calls fail with
/// `'shutdown`; in dedicated mode the owner thread finishes its current call and exits (this
/// waits for it, unless called on the owner thread itself).
pub fn shutdown() {
    dedicated::stop(None);
}

/// `sd1` (on the owner): calls `callback` with `fd` whenever `fd` is readable while the owner
/// serves (`kx_serve`, or the dedicated owner thread).
pub fn watch_fd(fd: i32, callback: WatchCallback) {
    watch::add(fd, callback);
}

/// `sd0x` (on the owner): stops watching `fd`; whether it was watched.
pub fn unwatch_fd(fd: i32) -> bool {
    watch::remove(fd)
}

/// The server's stand-in hands work to the owner here (`net::server::OwnerHooks::run`): the
/// job runs on the owner through the trampoline; false once the library is shut down.
fn run_for_network(job: Box<dyn FnOnce() + Send>) -> bool {
    owner_bound(job).is_ok()
}

/// A stand-in that became the owner (there was none) runs the owner's loop from then on.
fn loop_if_owner() -> bool {
    if !lifecycle::is_owner() {
        return false;
    }
    serve::serve_for(None);
    true
}
