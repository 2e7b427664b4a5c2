//! What an evaluation checks at every step to know it must stop with `'stop`
//! (`Ctx::check_stack`).
//!
//! - Interrupts (Ctrl-C, `kx_interrupt`, `shutdown_thread`) bump the engine's interrupt count
//!   (`Engine::interrupt`: one atomic add, safe in a signal handler). An evaluation remembers
//!   the count when it starts and stops when the count differs: every evaluation running when
//!   the interrupt came stops, one started after it does not, and nothing has to be reset.
//!   Each step costs one load and one compare.
//! - A timeout (`\T n` for a host's call, `eval::Ctx::for_call`, and for a client's request,
//!   `server::context::limited`) is the evaluation's own: a deadline, read against the clock
//!   every `CLOCK_EVERY` steps, so others running beside it (read-parallel mode) go on.
//!
//! An evaluation nested in another (a host function calling `k(0,...)`, `\t`) has its own
//! start: an interrupt that came before it began stops the outer one once it returns.
//!
//! While it lives, a `Call` is its thread's running evaluation for long primitives, which
//! check it every so many items without a step of the evaluator (`eval::stop`).

use std::cell::Cell;
use std::time::{Duration, Instant};

use super::stop::Watch;
use crate::q::session::engine::Engine;

/// How many steps pass between two reads of the clock when a deadline is set.
const CLOCK_EVERY: u32 = 1024;

/// What work run for an evaluation on other threads (`peach`, a query's partitions) takes
/// from it: the same interrupt start and the same deadline, so `\T` and Ctrl-C stop it too.
#[derive(Clone, Copy)]
pub struct Limit {
    start: u64,
    deadline: Option<Instant>,
}

pub struct Call {
    /// The engine's interrupt count, the count when it started, and when it must stop, if it
    /// has a limit: what long primitives check too (`eval::stop`).
    watch: Watch,
    /// Steps since the clock was last read (with a deadline only).
    steps: Cell<u32>,
    /// The running evaluation this one is nested in, put back when it ends.
    outer: Option<Watch>,
}

impl Drop for Call {
    #[inline(always)]
    fn drop(&mut self) {
        super::stop::leave(self.outer);
    }
}

impl Call {
    /// An evaluation starting now, limited to `timeout` (zero: no limit) and to the limit of
    /// the client request this thread is answering, if any (`server::context::limited`).
    #[inline(always)]
    pub fn enter(eng: &Engine, timeout: Duration) -> Call {
        let mut deadline = crate::q::server::context::deadline();
        if !timeout.is_zero() {
            let own = Instant::now() + timeout;
            deadline = Some(deadline.map_or(own, |d| d.min(own)));
        }
        Call::running(eng.interrupts(), eng.interrupt_count(), deadline)
    }

    /// An evaluation doing work for another one, under its limit.
    pub fn within(eng: &Engine, limit: Limit) -> Call {
        Call::running(eng.interrupts(), limit.start, limit.deadline)
    }

    /// The call, made this thread's running evaluation.
    #[inline(always)]
    fn running(
        interrupts: &'static std::sync::atomic::AtomicU64,
        start: u64,
        deadline: Option<Instant>,
    ) -> Call {
        let watch = Watch {
            interrupts,
            start,
            deadline,
        };
        Call {
            watch,
            steps: Cell::new(0),
            outer: super::stop::enter(watch),
        }
    }

    /// This evaluation's limit, for work it hands to other threads.
    pub fn limit(&self) -> Limit {
        Limit {
            start: self.watch.start,
            deadline: self.watch.deadline,
        }
    }

    /// An interrupt that came before now no longer stops this evaluation.
    pub fn resume(&mut self, eng: &Engine) {
        let old = self.watch;
        self.watch.start = eng.interrupt_count();
        super::stop::renew(&old, self.watch);
    }

    /// Whether the evaluation must stop: an interrupt came since it started, or its time is up.
    #[inline(always)]
    pub fn stopped(&self, eng: &Engine) -> bool {
        eng.interrupt_count() != self.watch.start || self.watch.deadline.is_some() && self.tick()
    }

    /// Counts a step inline; only every `CLOCK_EVERY`th reads the clock, out of line.
    #[inline(always)]
    fn tick(&self) -> bool {
        let n = self.steps.get().wrapping_add(1);
        self.steps.set(n);
        n.is_multiple_of(CLOCK_EVERY) && self.expired()
    }

    #[cold]
    #[inline(never)]
    fn expired(&self) -> bool {
        self.watch.deadline.is_some_and(|d| Instant::now() >= d)
    }
}
