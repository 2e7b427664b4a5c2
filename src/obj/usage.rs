//! Object memory this thread has taken and given back, and the most it held at once since a
//! mark: what `\ts` reports. Counted per thread (no shared cache line on the allocation path);
//! an object freed on another thread counts there, so figures describe work done on one thread.

use std::cell::Cell;

thread_local! {
    /// (bytes held now, most bytes held since the last mark)
    static USAGE: Cell<(i64, i64)> = const { Cell::new((0, 0)) };
}

/// `bytes` more are held.
#[inline]
pub fn taken(bytes: usize) {
    USAGE.with(|u| {
        let (now, peak) = u.get();
        let now = now + bytes as i64;
        u.set((now, peak.max(now)));
    });
}

/// `bytes` fewer are held.
#[inline]
pub fn given_back(bytes: usize) {
    USAGE.with(|u| {
        let (now, peak) = u.get();
        u.set((now - bytes as i64, peak));
    });
}

/// Starts a measurement: the peak restarts from what is held now, which is returned.
pub fn mark() -> i64 {
    USAGE.with(|u| {
        let (now, _) = u.get();
        u.set((now, now));
        now
    })
}

/// The most bytes held at once since `mark` returned `base`, above `base`.
pub fn peak_since(base: i64) -> i64 {
    USAGE.with(|u| (u.get().1 - base).max(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_counts_the_most_held_at_once() {
        let base = mark();
        taken(100);
        taken(50);
        given_back(150);
        taken(20);
        assert_eq!(peak_since(base), 150);
        given_back(20);
    }
}
