//! Where the two sides of a hand-off (callers and the thread that serves them, `slot`) run, so
//! that a thread waiting for the other side spends its wait well: it spins only while the other
//! side runs on another CPU, and gives its CPU away (sched_yield) while they share one, where a
//! spin would only keep the other side from running. Each side publishes the CPU it last ran
//! on (a relaxed store, only when it changed; glibc reads the CPU from the thread's rseq area,
//! a few nanoseconds). A stale CPU costs time, never correctness: every wait is bounded and
//! ends in a futex sleep.
//!
//! Measured on 2 loaded cores (a bare two-thread ping-pong, one round trip per call): both
//! sides sleeping on a futex 0.2-0.6M round trips/s; yielding on a shared CPU about 0.45M;
//! spinning on two CPUs 0.8-1.4M; spinning on a shared CPU (what a CPU-blind spin does after a
//! futex wake-up puts the woken thread beside its waker) 100 round trips/s or fewer.

use std::sync::atomic::{AtomicU32, Ordering::Relaxed};

/// No CPU known.
const UNKNOWN: u32 = u32::MAX;

/// The CPU the serving thread last ran on.
static SERVER_CPU: AtomicU32 = AtomicU32::new(UNKNOWN);
/// The CPU the caller that posted last ran on.
static CALLER_CPU: AtomicU32 = AtomicU32::new(UNKNOWN);

/// The CPU the calling thread runs on now (UNKNOWN if the system cannot say).
#[inline]
fn current() -> u32 {
    // SAFETY: sched_getcpu has no preconditions; it returns -1 on failure.
    let cpu = unsafe { libc::sched_getcpu() };
    u32::try_from(cpu).unwrap_or(UNKNOWN)
}

#[inline]
fn publish(word: &AtomicU32) -> u32 {
    let cpu = current();
    if word.load(Relaxed) != cpu {
        word.store(cpu, Relaxed);
    }
    cpu
}

/// Which side of the hand-off the calling thread is.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Side {
    /// The thread that serves calls (the engine's owner).
    Server,
    /// A thread whose call waits to be served.
    Caller,
}

/// Publishes where the calling thread (on `side`) runs, and returns that CPU (for
/// `beside_on`).
#[inline]
pub fn note(side: Side) -> u32 {
    publish(match side {
        Side::Server => &SERVER_CPU,
        Side::Caller => &CALLER_CPU,
    })
}

/// Whether the other side was last seen on `cpu` (what `note` returned for this thread, which
/// has not been scheduled since): as `shares_cpu`, without looking the CPU up again.
#[inline]
pub fn beside_on(side: Side, cpu: u32) -> bool {
    let theirs = match side {
        Side::Server => &CALLER_CPU,
        Side::Caller => &SERVER_CPU,
    };
    cpu != UNKNOWN && theirs.load(Relaxed) == cpu
}

/// Publishes where the calling thread (on `side`) runs, and says whether the other side was
/// last seen on the same CPU: then the other side is not running now (this thread is), and a
/// spin would only keep it from running.
#[inline]
pub fn shares_cpu(side: Side) -> bool {
    let (mine, theirs) = match side {
        Side::Server => (&SERVER_CPU, &CALLER_CPU),
        Side::Caller => (&CALLER_CPU, &SERVER_CPU),
    };
    let cpu = publish(mine);
    cpu != UNKNOWN && theirs.load(Relaxed) == cpu
}

/// One step of a wait for the other side: a short spin if it runs elsewhere, else this CPU is
/// given away (to the other side, when it is runnable here).
#[inline]
pub fn step(side: Side) {
    if shares_cpu(side) {
        yield_cpu();
    } else {
        for _ in 0..8 {
            std::hint::spin_loop();
        }
    }
}

/// Gives the CPU to another runnable thread, if any.
#[inline]
pub fn yield_cpu() {
    // SAFETY: sched_yield has no preconditions.
    unsafe { libc::sched_yield() };
}
