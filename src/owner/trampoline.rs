//! The caller's side: routing an owner-bound call made off the owner thread. In default mode
//! the first caller with no owner claims ownership and runs inline; otherwise the call goes
//! through this thread's slot and waits there. A refused call (the owner exited or shut down)
//! is routed again, so it either finds a new owner or reports `'shutdown`.
//!
//! The pending error (`krr`) travels with the call: it runs with the caller's pending error and
//! hands back what it left, so the caller sees exactly what an inline call would have left, and
//! the owner's own pending error is untouched.

use super::lifecycle::{self, Mode};
use super::{dedicated, doorbell, registry, serve};
use crate::obj::pending::Carried;
use crate::obj::Result;
use crate::sys::slot::Outcome;

/// Runs `f` on the owner and returns its result, with the pending error carried both ways;
/// a panic in `f` resumes here.
#[cold]
#[inline(never)]
pub fn call<R: Send, F: FnOnce() -> R + Send>(f: F) -> Result<R> {
    let error_in = Carried::take();
    let routed = route(move || {
        let mine = Carried::take();
        error_in.set();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        let error_out = Carried::take();
        mine.set();
        (result, error_out)
    });
    let (result, error_out) = routed.inspect_err(|_| error_in.set())?;
    error_out.set();
    match result {
        Ok(r) => Ok(r),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Runs `f` inline if this thread is (or becomes) the owner, else through this thread's slot,
/// routing it again when the owner refuses it.
fn route<R: Send, F: FnOnce() -> R + Send>(mut f: F) -> Result<R> {
    loop {
        if lifecycle::is_owner() {
            return Ok(run_inline(f));
        }
        if lifecycle::is_shut() {
            return Err(lifecycle::shutdown_error());
        }
        match lifecycle::mode() {
            Mode::Default => {
                if lifecycle::owner_absent() && lifecycle::claim() {
                    return Ok(run_inline(f));
                }
            }
            Mode::Dedicated => dedicated::ensure_started()?,
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

/// On the owner: serves what is pending (one pass), then runs `f`.
fn run_inline<R>(f: impl FnOnce() -> R) -> R {
    if doorbell::is_rung() {
        serve::on_entry();
    }
    f()
}
