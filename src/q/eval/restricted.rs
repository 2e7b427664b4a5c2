//! Restricted evaluation, `reval` (`-24!`): kdb+ evaluates as if the command-line options
//! `-b` and `-u 1` were set (ref/eval.md#reval): a global write signals `'noupdate`, a system
//! command that changes state and `exit` signal `'access`, a file symbol outside the current
//! directory is `'access: path` (`q::disk::path::reachable`), and nothing is written to the
//! file system (`'access: path` too, as `hopen` of a file there).
//!
//! A client of a q started with `-u 1` (or `-u file`) is confined the same way but for the
//! writes (basics/cmdline.md `-u`): system commands from it that change state, `exit`, files
//! outside the current directory, `hopen` of a file or fifo and `hdel` are `'access`; it may
//! write files here (`confined`).
//!
//! The state is this thread's (the engine lock's read-only state and `sys::file`'s refusal),
//! set for the call and put back when it ends (by an error too); `peach`'s secondary threads
//! inherit it for their part of the work, and another thread's call that the owner runs
//! meanwhile does not (`engine_lock::with_full_rights`).

use crate::obj::{Error, Result};
use crate::sys::file::{self, Rights};

/// Whether this thread evaluates restricted now (`reval` or a `-u 1` client): `sys::file`'s
/// rights are that state.
pub fn active() -> bool {
    file::rights() != Rights::Full
}

/// This thread's restriction, for a thread that works for it (`peach`) to take on.
pub fn level() -> Rights {
    file::rights()
}

/// Runs `f` restricted as `level` says (`level()` of the thread it works for).
pub fn run_as<R>(level: Rights, f: impl FnOnce() -> R) -> R {
    match level {
        Rights::Full => f(),
        Rights::Confined => file::with_rights(level, f),
        Rights::NoWrites => restricted(f),
    }
}

/// Runs `f` as a `-u 1` client's message evaluates (basics/cmdline.md `-u`): confined to the
/// current directory, without state-changing system commands, `exit`, `hopen` of a file or
/// `hdel`; globals and files here stay writable (`-b` is another option). Already stricter
/// (`reval` inside), it stays so.
pub fn confined<R>(f: impl FnOnce() -> R) -> R {
    if active() {
        return f();
    }
    file::with_rights(Rights::Confined, f)
}

/// Runs `f` restricted as `reval` is: global writes refused by the engine lock's read-only
/// state, file writes by `sys::file`'s.
pub fn restricted<R>(f: impl FnOnce() -> R) -> R {
    crate::sys::engine_lock::with_read_only(|| file::refusing_writes(f))
}

/// `'access` where this thread evaluates restricted: for what `-u 1` refuses a client
/// (a system command that changes state, `exit`).
pub fn refuse() -> Result<()> {
    if active() {
        return Err(Error::new("access"));
    }
    Ok(())
}

/// `'access: p` where this thread evaluates restricted: `hopen` of a file or fifo and `hdel`,
/// which `-u 1` refuses a client wherever the file is (basics/cmdline.md `-u`).
pub fn refuse_file(p: &[u8]) -> Result<()> {
    if active() {
        return Err(Error::new([b"access: ", p].concat()));
    }
    Ok(())
}
