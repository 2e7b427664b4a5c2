//! The owner thread: owner identity, futex slots, trampolines, the dedicated owner thread and
//! shutdown.
//!
//! Every owner-bound entry point (`qinit`, `k(0,...)`, `dot`, `sd1`, ...) runs its body through
//! `owner_bound`, which runs it inline on the owner thread and trampolines it from any other.
//!
//! - `gate`: the inline check on entry and exit, over the engine lock's write side (owner word
//!   and presence, `sys::engine_lock`).
//! - `lifecycle`: who the owner is, the mode (default or dedicated), shutdown.
//! - `registry`: a slot per calling thread (`crate::sys::slot`) and the pending bitmap.
//! - `doorbell`: how callers wake the owner (futex word, or eventfd while it polls sockets).
//! - `trampoline`: the caller's path; `serve`: the owner's path; `dedicated`: the owner thread
//!   of dedicated mode; `fork`: what a fork does to all of these.
//!
//! # When calls are served, and where they run
//!
//! The owner runs its own calls inline. Another thread's call runs where it is cheapest:
//! - on the calling thread while the engine is free: the owner is not inside it (away from
//!   the library, or in a serving loop between passes: `kx_serve`, a socket wait, the
//!   dedicated owner thread parked or lingering) and no other caller holds it. The caller takes
//!   the engine lock's exclusive side (`sys::engine_lock`) without waiting and runs its call
//!   with full semantics, on its own stack: the evaluator's `'stack` check uses that thread's
//!   real bounds (`sys::stack`), so a deep recursion that fits the dedicated owner thread's
//!   16 MB stack may signal `'stack` on a host thread with a smaller one. (While the owner
//!   serves, a caller with less than 1 MB of stack left hands its call over instead.) The owner coming in
//!   waits for that call to end (and stops new ones), then runs.
//! - on the owner, trampolined, while the engine is busy: the owner is inside (it serves the
//!   calls handed to it on entry to each of its own calls and on its way out), or another
//!   caller holds the engine and the owner serves (then it takes the engine in turn, waiting
//!   for the holder, and runs every call queued meanwhile in one pass: under contention the
//!   owner combines them). With no serving owner and the owner away, a caller that finds
//!   another holding the engine waits for its turn on the lock.
//!
//! So no call waits on an owner that is away, and the owner's own inline path stays a plain
//! load and compare on entry and on exit (`gate`). In read-parallel mode the same holds, except
//! that `k(0,...)` and `dot` from other threads take the shared side: they evaluate at the
//! same time on their own threads, read-only (`'noupdate` on a global write). In dedicated
//! mode the library's thread owns the engine and serves all the time. While the owner serves
//! (that thread, or `kx_serve`) only `k(0,...)` and `dot` run as above (on the caller while the
//! engine is free): `qinit`, `sd1`, `sd0x` and `kx_owner_apply`, and the owner's loop itself
//! (`.z.ts`, `sd1` callbacks, the server), run on the serving thread. A host that needs every call on one thread of its own (q calling
//! thread-affine C code) asks for `kx_notify_fd` and serves from its loop: callers then always
//! hand their calls over.
//!
//! If a default-mode owner thread exits, ownership is released and its waiting callers are
//! answered "refused" and route again: the first of them becomes the new owner.

mod dedicated;
mod doorbell;
mod event_loop;
mod fork;
mod gate;
mod lifecycle;
mod registry;
mod serve;
mod trampoline;
mod watch;

pub use watch::Callback as WatchCallback;

pub use lifecycle::Mode;
pub use registry::MAX_SLOTS;
pub use trampoline::Access;

use crate::obj::Result;

/// Runs `f` with the engine held, with full rights, and returns its result: inline on the
/// owner (and on the first caller, which becomes the owner); on the calling thread while the
/// engine is free, else on the owner thread (see above). Errors: `'shutdown` after `shutdown_thread`, `'threads` if more than `MAX_SLOTS`
/// threads wait at once, `'thread` if the dedicated owner thread could not be started.
#[inline(always)]
pub fn owner_bound<R: Send>(f: impl FnOnce() -> R + Send) -> Result<R> {
    owner_bound_as(Access::Write, f)
}

/// As `owner_bound`, for a call that needs only `access` of the engine when it does not run
/// on the owner (`k(0,...)`, `dot`: `Access::Read`, read-only in read-parallel mode; the
/// server's multithreaded input mode: `Access::ReadOnly`, read-only everywhere but on the
/// owner, beside other such calls).
#[inline(always)]
pub fn owner_bound_as<R: Send>(access: Access, f: impl FnOnce() -> R + Send) -> Result<R> {
    if gate::enter() {
        let _leave = gate::Leave;
        return Ok(f());
    }
    trampoline::call(f, access)
}

/// The owner's inline path for a C function (`kx_owner_apply`): if this thread is the owner
/// and nothing waits, runs `f(arg)` between the entry and exit checks; else None (take the
/// routed path). `f` is C: it does not unwind.
#[inline(always)]
pub fn apply_inline<A, R>(f: extern "C" fn(A) -> R, arg: A) -> Option<R> {
    if !gate::enter() {
        return None;
    }
    Some(gate::leave_with(f(arg)))
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
/// waits for it at most `SHUTDOWN_GRACE`, and not at all on the owner thread itself).
pub fn shutdown() {
    dedicated::stop(Some(SHUTDOWN_GRACE));
}

/// How long `shutdown` waits for the dedicated owner thread's current call to end.
pub const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

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
