//! The process's object heap as a whole and its limit, kdb+'s `-w` (`\w n`): an object that
//! would take the heap past the limit is `'wsfull` instead (the evaluation that asked for it
//! stops; the process goes on serving).
//!
//! The heap is the bytes of live K objects, all threads together. Each thread keeps its own
//! running difference and adds it to the shared total once it passes `BATCH` bytes either way,
//! so the allocation path touches no shared cache line; the total is exact to within `BATCH`
//! per thread (the difference lives in `counts`, with the thread's other counts). The limit is
//! checked only while one is set.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use super::counts::{self, Counts};

/// A thread's unshared difference, in bytes, before it joins the total.
const BATCH: i64 = 1 << 20;

/// Bytes held by live objects, all threads (short by what threads have not shared yet).
static HELD: AtomicI64 = AtomicI64::new(0);
/// The limit in bytes; 0: none.
static LIMIT: AtomicU64 = AtomicU64::new(0);

/// Adds the thread's difference (`counts::Counts::unshared`) to the total once it passes
/// `BATCH` either way.
#[inline]
pub fn settle(c: &mut Counts) {
    if c.unshared.abs() >= BATCH {
        HELD.fetch_add(c.unshared, Ordering::Relaxed);
        c.unshared = 0;
    }
}

/// Whether `bytes` more fit under the limit (always, when none is set).
#[inline]
pub fn admits(bytes: usize) -> bool {
    let limit = LIMIT.load(Ordering::Relaxed);
    limit == 0 || admits_under(limit, bytes)
}

#[cold]
fn admits_under(limit: u64, bytes: usize) -> bool {
    fits(held(), limit, bytes)
}

/// Whether `bytes` more on top of `held` stay within `limit`.
fn fits(held: i64, limit: u64, bytes: usize) -> bool {
    (held.max(0) as u64).saturating_add(bytes as u64) <= limit
}

/// Bytes held by live objects, all threads.
pub fn held() -> i64 {
    (HELD.load(Ordering::Relaxed) + counts::with(|c| c.unshared)).max(0)
}

/// The limit in bytes (0: none).
pub fn limit() -> u64 {
    LIMIT.load(Ordering::Relaxed)
}

/// Sets the limit in bytes (0: none).
pub fn set_limit(bytes: u64) {
    LIMIT.store(bytes, Ordering::Relaxed);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_admits_what_fits() {
        assert!(fits(10 << 20, 64 << 20, 54 << 20));
        assert!(!fits(10 << 20, 64 << 20, (54 << 20) + 1));
        assert!(!fits(0, 64 << 20, usize::MAX));
        // A thread's negative difference (it freed what others made) counts as nothing held.
        assert!(fits(-5, 10, 10));
    }
}
