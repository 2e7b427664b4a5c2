//! Restricted evaluation, `reval` (`-24!`): kdb+ evaluates as if the command-line options
//! `-b` and `-u 1` were set (ref/eval.md#reval): a global write signals `'noupdate`, a system
//! command that changes state and `exit` signal `'access`, a file symbol outside the current
//! directory is `'access: path` (`q::disk::path::reachable`), and nothing is written to the
//! file system (`'access: path` too, as `hopen` of a file there).
//!
//! The state is this thread's (the engine lock's read-only state and `sys::file`'s refusal),
//! set for the call and put back when it ends (by an error too); `peach`'s secondary threads
//! inherit it for their part of the work, and another thread's call that the owner runs
//! meanwhile does not (`engine_lock::with_full_rights`).

use crate::obj::{Error, Result};

/// Whether this thread evaluates restricted now: only restricted evaluation refuses file
/// writes, so that state is this one.
pub fn active() -> bool {
    crate::sys::file::writes_refused()
}

/// Runs `f` restricted when `on` (else as it is): global writes refused by the engine lock's
/// read-only state, file writes by `sys::file`'s.
pub fn run_if<R>(on: bool, f: impl FnOnce() -> R) -> R {
    if !on {
        return f();
    }
    crate::sys::engine_lock::with_read_only(|| crate::sys::file::refusing_writes(f))
}

/// `'access` where this thread evaluates restricted: for what `-u 1` refuses a client
/// (a system command that changes state, `exit`).
pub fn refuse() -> Result<()> {
    if active() {
        return Err(Error::new("access"));
    }
    Ok(())
}
