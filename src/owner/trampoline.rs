//! The caller's side: routing an owner-bound call made off the owner thread. In default mode
//! the first caller with no owner claims ownership and runs inline; otherwise the call goes
//! through this thread's slot and waits there. A refused call (the owner exited or shut down)
//! is routed again, so it either finds a new owner or reports `'shutdown`.

use super::lifecycle::{self, Mode};
use super::{dedicated, doorbell, registry, serve};
use crate::ffi::slot::Outcome;
use crate::obj::Result;

#[cold]
#[inline(never)]
pub fn call<R: Send, F: FnOnce() -> R + Send>(mut f: F) -> Result<R> {
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
