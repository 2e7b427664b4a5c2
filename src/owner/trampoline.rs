//! The caller's side: routing an owner-bound call made off the inline path.
//!
//! - The owner (a hint bit made its fast check fail) runs it inline after the slow entry.
//! - A thread that already holds the engine (a nested call in a visitor or a reader) runs it
//!   inline under that hold.
//! - Default and read-parallel modes with no owner: the caller claims ownership.
//! - With the engine free (the owner not inside: away, or between the passes of a serving
//!   loop, dedicated mode's included), the caller takes it without waiting
//!   (`engine_lock::try_acquire`: exclusive, or shared and read-only for a read in
//!   read-parallel mode) and runs the call on its own thread and stack.
//! - With the engine busy, through this thread's slot: the owner inside answers on its way out
//!   (or at its next entry); a serving owner, woken by the bell, takes the engine in turn from
//!   the caller holding it and runs every call queued meanwhile. With no serving owner and the
//!   owner away, nobody would answer: the caller waits for its turn on the lock instead.
//! - Through the slot to a serving owner (dedicated mode, `kx_serve`): `qinit`, `sd1`, `sd0x`
//!   and `kx_owner_apply` (they belong on the owner's loop). Always through the slot: every
//!   call once a host loop asked for `kx_notify_fd`
//!   (it wants every call on its thread), and everything where the system lacks the barrier
//!   the engine lock needs.
//!
//! A refused or withdrawn call (the owner left, exited or shut down meanwhile) is routed again.
//! The pending error (`krr`) travels with a call that runs elsewhere: it runs with the
//! caller's pending error and hands back what it left, so the caller sees exactly what an
//! inline call would have left, and the owner's own pending error is untouched.

use super::lifecycle::{self, Mode};
use super::{dedicated, doorbell, event_loop, gate, registry, serve};
use crate::obj::pending::Carried;
use crate::obj::Result;
use crate::sys::engine_lock::{self as lock, Side};
use crate::sys::slot::Outcome;
use crate::sys::thread_pointer;

/// What a call needs of the engine when it does not run on the owner.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Access {
    /// Full rights: it may write (qinit, sd1, kx_owner_apply; everything outside
    /// read-parallel mode).
    Write,
    /// `k(0,...)` and `dot`: read-only in read-parallel mode, else as `Write`.
    Read,
    /// Read-only in every mode (the server's multithreaded input mode: a connection thread's
    /// query). Other such calls run beside it; a global write signals `'noupdate`.
    ReadOnly,
}

/// Runs `f` as the owner would and returns its result, with the pending error carried both
/// ways; a panic in `f` resumes here. The host cannot cancel the thread meanwhile
/// (`sys::cancel`): a cancellation waits for the call to return.
#[cold]
#[inline(never)]
pub fn call<R: Send, F: FnOnce() -> R + Send>(f: F, access: Access) -> Result<R> {
    crate::sys::cancel::deferred(move || call_here(f, access))
}

fn call_here<R: Send, F: FnOnce() -> R + Send>(f: F, access: Access) -> Result<R> {
    let error_in = Carried::take();
    let caller = thread_pointer::current();
    let read_only = match access {
        Access::Write => false,
        Access::Read => lifecycle::mode() == Mode::ReadParallel,
        Access::ReadOnly => true,
    };
    let routed = route(
        move || {
            let mine = Carried::take();
            error_in.set();
            // A reader's call that the owner runs for it is read-only there too; another
            // call has its full rights there, whatever the owner itself was evaluating.
            let elsewhere = thread_pointer::current() != caller;
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                if elsewhere && read_only {
                    lock::with_read_only(f)
                } else if elsewhere {
                    lock::with_full_rights(f)
                } else {
                    f()
                }
            }));
            let error_out = Carried::take();
            mine.set();
            (result, error_out)
        },
        if read_only {
            Side::Shared
        } else {
            Side::Exclusive
        },
        access,
    );
    let (result, error_out) = routed.inspect_err(|_| error_in.set())?;
    error_out.set();
    match result {
        Ok(r) => Ok(r),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Runs `f` inline if this thread is (or becomes) the owner or holds the engine, on this
/// thread under `side` of the engine lock if the owner is away, else through this thread's
/// slot, routing it again when it comes back refused.
fn route<R: Send, F: FnOnce() -> R + Send>(mut f: F, side: Side, access: Access) -> Result<R> {
    loop {
        if lock::poisoned() {
            // A forked child whose parent had another thread inside the engine.
            return Err(crate::obj::Error::new("fork"));
        }
        if lifecycle::is_owner() {
            return Ok(run_inline(f));
        }
        if lock::held_here().is_some() {
            return Ok(f());
        }
        if lifecycle::is_shut() {
            return Err(lifecycle::shutdown_error());
        }
        let mode = lifecycle::mode();
        match mode {
            Mode::Default | Mode::ReadParallel => {
                if lifecycle::owner_absent() && lifecycle::claim() {
                    continue;
                }
            }
            Mode::Dedicated => dedicated::ensure_started()?,
        }
        if runs_here(mode, access) {
            // The engine is free (the owner away, or waiting between passes of its serving
            // loop): take it without waiting. A serving owner needs to hear of sources this
            // call gave its loop (`\p`, `\t`, `sd1` on a loop parked on its bell).
            let sources = event_loop::has_sources();
            if let Some(_held) = lock::try_acquire(side) {
                let r = f();
                if !sources && event_loop::has_sources() && serve::looping() {
                    doorbell::ring();
                }
                return Ok(r);
            }
            // Busy: another non-owner holds it, or the owner came in. A serving owner takes
            // the engine in turn and runs every call queued meanwhile: hand it over. With no
            // serving owner and the owner still away, nobody would run it: wait for our turn.
            if mode != Mode::Dedicated && !serve::looping() && !lock::owner_maybe_inside() {
                if let Some(_held) = lock::acquire(side) {
                    return Ok(f());
                }
            }
        }
        let outcome = registry::with_my_slot(|i| {
            registry::slot(i).call(f, || {
                registry::mark_pending(i);
                doorbell::ring();
                lifecycle::accepting()
            })
        })?;
        match outcome {
            Outcome::Ran(Ok(r)) => return Ok(r),
            Outcome::Ran(Err(panic)) => std::panic::resume_unwind(panic),
            Outcome::Refused(back) => {
                f = back;
                std::thread::yield_now();
            }
            // A call made while this thread's own call waits (a signal handler): it cannot wait
            // in the same slot.
            Outcome::Busy(_) => return Err(crate::obj::Error::new("reentrant")),
        }
    }
}

/// Whether a call that needs `access` may try to take the engine on this thread: the system has
/// the barrier the lock needs, the owner did not seem inside a moment ago (inside, it runs the
/// call on its way out: handing over is cheaper than waiting), and no host loop asked for every
/// call on its thread (`kx_notify_fd`). While the owner serves (dedicated mode, `kx_serve`)
/// only `k(0,...)` and `dot` run on their callers: the calls that change the owner's loop
/// (`qinit`, `sd1`, `sd0x`) and `kx_owner_apply` run on the serving thread, and so does a call
/// whose caller has less than `CALLER_STACK` left (a small-stack host thread: musl's default
/// is 128 KB; the dedicated owner thread has 16 MB).
fn runs_here(mode: Mode, access: Access) -> bool {
    lock::non_owners_can_hold()
        && !lock::owner_maybe_inside()
        && !doorbell::host_loop()
        && (!(mode == Mode::Dedicated || serve::looping())
            || (access != Access::Write && crate::sys::stack::left() >= CALLER_STACK))
}

/// The stack a caller must have left to run its call while a serving owner could run it
/// instead: the evaluator's `'stack` margin (256 KB) and room to evaluate.
const CALLER_STACK: usize = 1 << 20;

/// On the owner, off the fast path: the slow entry (waits for non-owner holders, serves what
/// is pending), then `f`, then the exit.
fn run_inline<R>(f: impl FnOnce() -> R) -> R {
    gate::enter_owner();
    let _leave = gate::Leave;
    f()
}
