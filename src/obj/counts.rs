//! This thread's counts of object memory, kept in one thread-local record for both of their
//! readers, so making or freeing an object updates them with one access:
//! - `usage`: bytes held now and the most held since a mark (what `\ts` reports);
//! - `workspace`: the thread's difference not yet added to the process's total (`-w`).

use std::cell::Cell;

#[derive(Clone, Copy)]
pub struct Counts {
    /// Bytes this thread's objects hold now (taken less given back here).
    pub now: i64,
    /// The most `now` reached since the last mark.
    pub peak: i64,
    /// Bytes taken less given back since the last addition to the process's total.
    pub unshared: i64,
}

thread_local! {
    static COUNTS: Cell<Counts> = const {
        Cell::new(Counts {
            now: 0,
            peak: 0,
            unshared: 0,
        })
    };
}

/// Reads and updates this thread's counts.
#[inline]
pub fn with<R>(f: impl FnOnce(&mut Counts) -> R) -> R {
    COUNTS.with(|c| {
        let mut v = c.get();
        let r = f(&mut v);
        c.set(v);
        r
    })
}

/// `bytes` more are held (an object was made or grown).
#[inline]
pub fn taken(bytes: usize) {
    let b = bytes as i64;
    with(|c| {
        c.now += b;
        c.peak = c.peak.max(c.now);
        c.unshared += b;
        super::workspace::settle(c);
    });
}

/// `bytes` fewer are held (an object was freed).
#[inline]
pub fn given_back(bytes: usize) {
    let b = bytes as i64;
    with(|c| {
        c.now -= b;
        c.unshared -= b;
        super::workspace::settle(c);
    });
}
