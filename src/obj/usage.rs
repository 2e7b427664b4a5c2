//! Object memory this thread has taken and given back, and the most it held at once since a
//! mark: what `\ts` reports. Counted per thread (no shared cache line on the allocation path);
//! an object freed on another thread counts there, so figures describe work done on one thread.
//! The counts live in `counts`, updated by the allocator.

use super::counts;

/// Starts a measurement: the peak restarts from what is held now, which is returned.
pub fn mark() -> i64 {
    counts::with(|c| {
        c.peak = c.now;
        c.now
    })
}

/// The most bytes held at once since `mark` returned `base`, above `base`.
pub fn peak_since(base: i64) -> i64 {
    counts::with(|c| (c.peak - base).max(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_counts_the_most_held_at_once() {
        let base = mark();
        counts::taken(100);
        counts::taken(50);
        counts::given_back(150);
        counts::taken(20);
        assert_eq!(peak_since(base), 150);
        counts::given_back(20);
    }
}
