//! `'stop` inside one long primitive: `0:` on a large text, `n#x` of a huge count, a sort...
//! The evaluator checks at every step (`call::Call::stopped`), but a single primitive call
//! can run for minutes without a step. The evaluation running on this thread says so here
//! (`Call::enter` installs it, dropping the `Call` puts back the one it was nested in), and a
//! long loop checks it every `CHUNK` items: one thread-local read, one relaxed atomic load
//! and, with a deadline, one read of the clock per chunk (a loop not over a range counts its
//! items: `Ticker`). Kernels that return no `Result` (hash lookups, group ids, comparison
//! sorts, `gather`) stop by unwinding, as `'wsfull` and `'stack` do (`check_unwinding`).
//!
//! A primitive that stops returns `'stop` before it writes anything outside its own result:
//! the loops checked here build new values, and the writers check before they touch a file.
//!
//! The cost is on every evaluation's entry and exit: two thread-local writes (about 110
//! instructions on a host's `k(0,"1",(K)0)`, 1,247 -> 1,360, callgrind).

use std::cell::Cell;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use crate::obj::{Error, Result};

/// Items between two checks: small enough that a check comes within milliseconds, large
/// enough that it costs nothing measurable.
pub const CHUNK: usize = 1 << 16;

/// What a long loop compares against: the engine's interrupt count (leaked with the engine so
/// that a copy of this may sit in a thread-local or go to another thread) and the running
/// evaluation's start and deadline.
#[derive(Clone, Copy)]
pub struct Watch {
    pub interrupts: &'static AtomicU64,
    pub start: u64,
    pub deadline: Option<Instant>,
}

impl Watch {
    /// Whether the evaluation must stop: an interrupt came since it started, or its time is up.
    pub fn stopped(&self) -> bool {
        self.interrupts.load(Ordering::Relaxed) != self.start
            || self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    fn same(&self, other: &Watch) -> bool {
        std::ptr::eq(self.interrupts, other.interrupts)
            && self.start == other.start
            && self.deadline == other.deadline
    }
}

thread_local! {
    /// The evaluation running on this thread, if any.
    static RUNNING: Cell<Option<Watch>> = const { Cell::new(None) };
}

/// Makes `w` this thread's running evaluation; the one it replaces, to put back (`leave`).
#[inline]
pub fn enter(w: Watch) -> Option<Watch> {
    RUNNING.with(|r| r.replace(Some(w)))
}

/// Puts back the evaluation `enter` replaced.
#[inline]
pub fn leave(outer: Option<Watch>) {
    RUNNING.with(|r| r.set(outer));
}

/// Replaces `old` by `new` if `old` is this thread's running evaluation (the debugger
/// resuming it after an interrupt).
pub fn renew(old: &Watch, new: Watch) {
    RUNNING.with(|r| {
        if r.get().is_some_and(|w| w.same(old)) {
            r.set(Some(new));
        }
    });
}

/// This thread's running evaluation, for work it hands to other threads (`within`).
pub fn current() -> Option<Watch> {
    RUNNING.with(Cell::get)
}

/// Runs `f` (on a worker thread) checked against `w`, the evaluation that handed it the work.
pub fn within<R>(w: Option<Watch>, f: impl FnOnce() -> R) -> R {
    struct Back(Option<Watch>);
    impl Drop for Back {
        fn drop(&mut self) {
            leave(self.0);
        }
    }
    let _back = Back(RUNNING.with(|r| r.replace(w)));
    f()
}

/// `'stop` when the running evaluation must stop (none running: never).
#[inline]
pub fn check() -> Result<()> {
    match current() {
        Some(w) if w.stopped() => Err(stop()),
        _ => Ok(()),
    }
}

/// As `check`, for kernels deep below any `Result` (`gather`): unwinds with `'stop`, as
/// `'wsfull` and `'stack` do, and the evaluation's boundary turns it back into the error.
#[inline]
pub fn check_unwinding() {
    if let Err(e) = check() {
        e.raise()
    }
}

#[cold]
fn stop() -> Error {
    Error::new("stop")
}

/// `f` over consecutive ranges of at most `CHUNK` covering `0..n`, checking before each.
#[inline]
pub fn chunked(n: usize, mut f: impl FnMut(Range<usize>)) -> Result<()> {
    let mut s = 0;
    while s < n {
        check()?;
        let e = n.min(s.saturating_add(CHUNK));
        f(s..e);
        s = e;
    }
    Ok(())
}

/// As `chunked`, for kernels below any `Result` (`check_unwinding`).
#[inline]
pub fn chunked_unwinding(n: usize, mut f: impl FnMut(Range<usize>)) {
    let mut s = 0;
    while s < n {
        check_unwinding();
        let e = n.min(s.saturating_add(CHUNK));
        f(s..e);
        s = e;
    }
}

/// `f` of each item of `items`, in order, checking every `CHUNK` items.
#[inline]
pub fn map<'a, A, T>(items: &'a [A], mut f: impl FnMut(&'a A) -> T) -> Result<Vec<T>> {
    let mut out = Vec::with_capacity(items.len());
    for part in items.chunks(CHUNK) {
        check()?;
        out.extend(part.iter().map(&mut f));
    }
    Ok(out)
}

/// `f(i)` for each `i` in `0..n`, in order, checking every `CHUNK` items.
#[inline]
pub fn collect<T>(n: usize, mut f: impl FnMut(usize) -> T) -> Result<Vec<T>> {
    let mut out = Vec::with_capacity(n);
    chunked(n, |r| out.extend(r.map(&mut f)))?;
    Ok(out)
}

/// `f` over consecutive parts of at most `CHUNK` items of `out` (each with the index of its
/// first), checking before each.
#[inline]
pub fn fill<T>(out: &mut [T], mut f: impl FnMut(usize, &mut [T])) -> Result<()> {
    for (k, part) in out.chunks_mut(CHUNK).enumerate() {
        check()?;
        f(k * CHUNK, part);
    }
    Ok(())
}

/// `f` of each item of `items`, in order, checking every `CHUNK` items; the first error.
#[inline]
pub fn try_map<'a, A, T>(items: &'a [A], mut f: impl FnMut(&'a A) -> Result<T>) -> Result<Vec<T>> {
    let mut out = Vec::with_capacity(items.len());
    for part in items.chunks(CHUNK) {
        check()?;
        for a in part {
            out.push(f(a)?);
        }
    }
    Ok(out)
}

/// A count for loops not over a range (records of a text, items of a list): `tick` each
/// time round, which checks every `CHUNK`th time.
#[derive(Default)]
pub struct Ticker(usize);

impl Ticker {
    #[inline(always)]
    pub fn tick(&mut self) -> Result<()> {
        self.0 = self.0.wrapping_add(1);
        if self.0 & (CHUNK - 1) == 0 {
            check()
        } else {
            Ok(())
        }
    }

    /// As `tick`, for kernels below any `Result` (`check_unwinding`).
    #[inline(always)]
    pub fn tick_unwinding(&mut self) {
        self.0 = self.0.wrapping_add(1);
        if self.0 & (CHUNK - 1) == 0 {
            check_unwinding()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaked() -> &'static AtomicU64 {
        Box::leak(Box::new(AtomicU64::new(0)))
    }

    #[test]
    fn loops_stop_once_the_running_evaluation_is_interrupted() {
        let n = leaked();
        let outer = enter(Watch {
            interrupts: n,
            start: 0,
            deadline: None,
        });
        let mut seen = 0;
        assert!(chunked(3 * CHUNK + 1, |r| seen += r.len()).is_ok());
        assert_eq!(seen, 3 * CHUNK + 1);
        n.fetch_add(1, Ordering::Relaxed);
        let mut runs = 0;
        let r = chunked(3 * CHUNK, |_| runs += 1);
        assert_eq!(r.unwrap_err().msg().as_str(), "stop");
        assert_eq!(runs, 0);
        assert!(map(&[1, 2, 3], |x| x * 2).is_err());
        let mut t = Ticker::default();
        assert!((0..CHUNK - 1).all(|_| t.tick().is_ok()));
        assert!(t.tick().is_err());
        leave(outer);
        assert!(check().is_ok());
    }

    #[test]
    fn work_on_another_thread_stops_with_the_evaluation_that_handed_it() {
        let n = leaked();
        let w = Some(Watch {
            interrupts: n,
            start: 0,
            deadline: Some(Instant::now()),
        });
        let r = std::thread::spawn(move || within(w, check)).join().unwrap();
        assert!(r.is_err());
        assert!(check().is_ok());
    }
}
