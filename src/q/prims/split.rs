//! Row-parallel work for grouping and aggregation on the secondary threads (`-s N` / `\s N`).
//!
//! A query that may use threads says so for its duration (`with_threads`); the kernels below it
//! (group ids, per-group sums and extremes) then cut their rows into contiguous parts, one per
//! thread, and merge the parts' results in row order, or (`groupparts`) split by ranges of
//! groups, each group's rows visited in row order by one thread. Only work whose result is the
//! same to the bit as one pass gives is split: float sums, whose rounding depends on the order
//! of additions, only by groups.
//!
//! Each part runs under the evaluation that split it (`eval::stop`), so its long loops stop
//! with that evaluation.

use std::cell::Cell;
use std::ops::Range;

use crate::q::eval::stop;

thread_local! {
    /// The threads the running query may use (0: none).
    static THREADS: Cell<usize> = const { Cell::new(0) };
}

/// Rows below which a part is not worth a thread's wake-up.
pub const MIN_PART: usize = 1 << 16;

/// Runs `f` with `n` secondary threads available to the kernels it calls.
pub fn with_threads<R>(n: usize, f: impl FnOnce() -> R) -> R {
    struct Restore(usize);
    impl Drop for Restore {
        fn drop(&mut self) {
            THREADS.with(|t| t.set(self.0));
        }
    }
    let _restore = Restore(THREADS.with(|t| t.replace(n)));
    f()
}

/// How many parts `rows` rows are split into here (1: run in one pass on this thread).
pub fn parts(rows: usize) -> usize {
    let t = THREADS.with(Cell::get);
    if t < 2 {
        return 1;
    }
    t.min(rows / MIN_PART).max(1)
}

/// `f` over `parts` contiguous ranges covering 0..n, each on its own thread; the results in
/// range order.
pub fn map_ranges<T: Send>(n: usize, parts: usize, f: impl Fn(Range<usize>) -> T + Sync) -> Vec<T> {
    let per = n.div_ceil(parts.max(1)).max(1);
    let ranges: Vec<Range<usize>> = (0..n).step_by(per).map(|s| s..(s + per).min(n)).collect();
    if ranges.len() < 2 {
        return ranges.into_iter().map(&f).collect();
    }
    let mut out: Vec<Option<T>> = ranges.iter().map(|_| None).collect();
    let (f, w) = (&f, stop::current());
    let jobs: Vec<Box<dyn FnOnce() + Send + '_>> = ranges
        .into_iter()
        .zip(out.iter_mut())
        .map(|(r, slot)| {
            Box::new(move || *slot = Some(stop::within(w, || f(r))))
                as Box<dyn FnOnce() + Send + '_>
        })
        .collect();
    let threads = jobs.len();
    crate::sys::pool::run_all(jobs, threads);
    // A job that panicked left its slot empty: that part runs again here, where the panic
    // reaches the caller's own handling.
    let per_range = |k: usize| k * per..((k + 1) * per).min(n);
    out.into_iter()
        .enumerate()
        .map(|(k, r)| r.unwrap_or_else(|| f(per_range(k))))
        .collect()
}

/// `f` over the items 0..count on up to `threads` threads (each thread takes the next item
/// not yet taken, so uneven items balance); the results in item order.
pub fn map_items<T: Send>(count: usize, threads: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    if threads < 2 || count < 2 {
        return (0..count).map(&f).collect();
    }
    let mut out: Vec<Option<T>> = (0..count).map(|_| None).collect();
    let (f, w) = (&f, stop::current());
    let jobs: Vec<Box<dyn FnOnce() + Send + '_>> = out
        .iter_mut()
        .enumerate()
        .map(|(k, slot)| {
            Box::new(move || *slot = Some(stop::within(w, || f(k))))
                as Box<dyn FnOnce() + Send + '_>
        })
        .collect();
    crate::sys::pool::run_all(jobs, threads.min(count));
    // A job that panicked left its slot empty: it runs again here, where the panic reaches the
    // caller's own handling.
    out.into_iter()
        .enumerate()
        .map(|(k, r)| r.unwrap_or_else(|| f(k)))
        .collect()
}

/// The CPUs this process may run on (its affinity mask and cgroup quota), looked up once.
pub fn cpus() -> usize {
    static CPUS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CPUS.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// The secondary threads the running query may use (0 or 1: none).
pub fn threads() -> usize {
    THREADS.with(Cell::get)
}

/// Fills `out` (one item per row) by `f` over contiguous parts of it on the threads; `f` gets
/// each part's first row and its slice of `out`.
pub fn fill<T: Send>(out: &mut [T], parts: usize, f: impl Fn(usize, &mut [T]) + Sync) {
    let n = out.len();
    let per = n.div_ceil(parts.max(1)).max(1);
    if parts < 2 || n <= per {
        f(0, out);
        return;
    }
    let (f, w) = (&f, stop::current());
    let jobs: Vec<Box<dyn FnOnce() + Send + '_>> = out
        .chunks_mut(per)
        .enumerate()
        .map(|(k, part)| {
            Box::new(move || stop::within(w, || f(k * per, part))) as Box<dyn FnOnce() + Send + '_>
        })
        .collect();
    let threads = jobs.len();
    crate::sys::pool::run_all(jobs, threads);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_rows_in_order_on_threads() {
        let sums = map_ranges(1_000_003, 3, |r| r.map(|i| i as u64).sum::<u64>());
        assert_eq!(sums.len(), 3);
        assert_eq!(sums.iter().sum::<u64>(), (0..1_000_003u64).sum());
        let mut v = vec![0usize; 300_001];
        fill(&mut v, 2, |first, part| {
            part.iter_mut()
                .enumerate()
                .for_each(|(i, x)| *x = first + i)
        });
        assert!(v.iter().enumerate().all(|(i, &x)| i == x));
        assert_eq!(with_threads(4, || parts(1 << 20)), 4);
        assert_eq!(parts(1 << 20), 1);
    }
}
