//! A slot: one calling thread's mailbox to another thread (the engine's owner). The caller posts a closure that
//! lives on its own stack, and blocks until the owner has run it (or refused it); the owner
//! runs it and wakes the caller only if the caller went to sleep. No allocation per call.
//!
//! # State word
//!
//! | bits | name       | meaning                                                 | set by |
//! |------|------------|---------------------------------------------------------|--------|
//! | 0-2  | `IDLE` 0   | free                                                    | caller |
//! |      | `CLAIMED` 5| the caller is writing a job (CAS from `IDLE`: one call at a time) | caller |
//! |      | `POSTED` 1 | a job is written; the owner may take it                 | caller |
//! |      | `TAKEN` 2  | the owner is running the job                            | owner  |
//! |      | `DONE` 3   | the job ran; its result is written                      | owner  |
//! |      | `REFUSED` 4| the job was not run and never will be (shutdown, owner gone) | owner or caller |
//! | 3    | `SLEEPING` | the caller sleeps (or is about to) in FUTEX_WAIT on `WAKE_GEN` | caller |
//!
//! Sleeping callers wait on one shared word, `WAKE_GEN` (a counter), so the owner can wake
//! every caller it answered in a pass with one FUTEX_WAKE instead of one per caller.
//!
//! # Protocol
//!
//! Caller (`call`): claim the slot (CAS `IDLE` -> `CLAIMED`; a slot already in use refuses
//! the call, so even misuse cannot race on the job), write the job, store `POSTED` (Release),
//! `announce` (the owner module
//! marks the slot pending and rings the doorbell, then says whether an owner will ever look),
//! spin briefly (or yield, `handoff`) until the phase is `DONE`/`REFUSED`, then set
//! `SLEEPING`, and loop: read
//! `WAKE_GEN`, re-read the phase, FUTEX_WAIT on `WAKE_GEN` with the value read, until the
//! phase is `DONE`/`REFUSED`. If nobody will look, the caller withdraws (CAS `POSTED` ->
//! `IDLE`); if that CAS fails the owner has already taken the job and the caller waits as
//! usual. After reading the result it stores `IDLE`.
//!
//! Owner (`serve`, `refuse`): CAS `POSTED` -> `TAKEN` (Acquire, keeping `SLEEPING`), run the
//! job, then swap in `DONE`; report whether the old word had `SLEEPING`. After its pass, if
//! any answered caller sleeps, the owner calls `wake_sleepers`: bump `WAKE_GEN`, FUTEX_WAKE all.
//! Refusing is one CAS `POSTED` -> `REFUSED` with the same rule; any thread may refuse, the
//! CAS makes taking and refusing exclusive.
//!
//! No lost wake-up: the caller reads `WAKE_GEN` before it re-reads the phase, the owner
//! stores the phase before it bumps `WAKE_GEN` (all SeqCst). If the caller's re-read missed
//! `DONE`, its `WAKE_GEN` value predates the bump, so FUTEX_WAIT either fails at once or sleeps
//! until the wake that follows the bump. A sleeper woken for someone else's answer re-checks
//! its phase and sleeps again; sleepers are woken only by passes that answered a sleeper.
//!
//! The job is only touched between the caller's `POSTED` store and the owner's `DONE` store,
//! and the caller cannot leave `call` before it sees `DONE`/`REFUSED` or wins the withdrawal,
//! so the caller's stack frame outlives every use of it. Thread-local state a job needs from
//! its caller (the pending error) travels inside the closure: the slot knows only closures.

use std::cell::UnsafeCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU32, Ordering::*};

use super::{futex, handoff, tsan};

const IDLE: u32 = 0;
const POSTED: u32 = 1;
const TAKEN: u32 = 2;
const DONE: u32 = 3;
const REFUSED: u32 = 4;
const CLAIMED: u32 = 5;
const PHASE: u32 = 0b111;
const SLEEPING: u32 = 0b1000;

/// How many times a caller checks its word before it goes to sleep. Short: a round trip to an
/// owner that is already serving fits (about 0.25 us), and on a machine with few cores a
/// spinning caller takes time from the owner (measured with scripts/bench-owner.sh: 16 beat
/// 64 and 256 at 64 callers on 2 cores, and matched them at 1, 2 and 8).
const SPINS: u32 = 16;

/// How long a caller keeps checking once the owner has taken its job and is running it. The
/// call will end soon, and only one job at a time is running, so at most one caller waits
/// awake this way: it saves the futex sleep and wake-up (about 4 us) on calls of a few
/// microseconds, such as `k(0,"1")`, and costs a few microseconds of one core on long ones.
const SPINS_WHILE_RUNNING: u32 = 4096;

/// How many spins a waiting caller makes between two looks at where it and the owner run.
const RECHECK: u32 = 256;

/// After its spins (or at once while the owner was last seen on its CPU, `handoff`), how many
/// times a waiting caller yields its core before it sleeps. When
/// callers outnumber cores, a yield hands the core to the owner (or to the caller it is about
/// to answer) for a fraction of a futex sleep and wake-up; measured with scripts/bench-owner.sh
/// on 2 cores, k(0,"1") from 8 callers went from 0.55M to 2.5M calls/s and from 64 callers from
/// 0.4M to 2.3M (8 yields gave 2.3M and 0.7M). A caller whose owner is busy in a long call
/// still sleeps after these few yields (test_owner_cpu: 0.3% of the wall time for 8 waiters).
const YIELDS: u32 = 32;

/// What became of a posted call.
pub enum Outcome<F, R> {
    /// The owner ran it: its result, or the panic it raised.
    Ran(std::thread::Result<R>),
    /// It was not run; the closure comes back so the caller can route it again.
    Refused(F),
    /// The slot was already in use by another call (a re-entrant or foreign use); not run.
    Busy(F),
}

/// A call on the caller's stack: the closure, then its result.
struct StackJob<F, R> {
    f: Option<F>,
    out: Option<std::thread::Result<R>>,
}

/// A type-erased pointer to a `StackJob` and the function that runs it.
#[derive(Copy, Clone)]
struct JobRef {
    job: *mut (),
    run: unsafe fn(*mut ()),
}

/// Runs the job behind `p` on this thread.
///
/// # Safety
/// `p` must point at a live `StackJob<F, R>` that no other thread touches during the call.
unsafe fn run_job<F: FnOnce() -> R, R>(p: *mut ()) {
    // SAFETY: the caller's contract.
    let job = unsafe { &mut *p.cast::<StackJob<F, R>>() };
    job.out = Some(match job.f.take() {
        Some(f) => catch_unwind(AssertUnwindSafe(f)),
        None => Err(Box::new("job ran twice")),
    });
}

/// The word sleeping callers wait on; bumped by `wake_sleepers`.
static WAKE_GEN: AtomicU32 = AtomicU32::new(0);

/// Wakes every sleeping caller, after `serve`/`refuse` reported a sleeper answered.
pub fn wake_sleepers() {
    WAKE_GEN.fetch_add(1, SeqCst);
    futex::wake(&WAKE_GEN, i32::MAX);
}

/// One thread's mailbox, alone on its cache line.
#[repr(align(128))]
pub struct Slot {
    state: AtomicU32,
    job: UnsafeCell<Option<JobRef>>,
}

// SAFETY: `job` is written only by the thread that moved the phase IDLE -> CLAIMED and read
// only by the thread that moved it POSTED -> TAKEN (Release/Acquire on `state`), as documented
// above.
unsafe impl Sync for Slot {}
// SAFETY: as above; a JobRef's pointer is only used under that protocol.
unsafe impl Send for Slot {}

impl Default for Slot {
    fn default() -> Slot {
        Slot::new()
    }
}

impl Slot {
    pub const fn new() -> Slot {
        Slot {
            state: AtomicU32::new(IDLE),
            job: UnsafeCell::new(None),
        }
    }

    /// Posts `f`, calls `announce` (which makes the job visible to the owner and says whether
    /// an owner will ever look at it), and blocks until the job has run or been refused.
    /// Only the thread this slot belongs to may call this, one call at a time.
    pub fn call<F, R>(&self, f: F, announce: impl FnOnce() -> bool) -> Outcome<F, R>
    where
        F: FnOnce() -> R + Send,
        R: Send,
    {
        if self
            .state
            .compare_exchange(IDLE, CLAIMED, Acquire, Relaxed)
            .is_err()
        {
            return Outcome::Busy(f);
        }
        let mut job = StackJob {
            f: Some(f),
            out: None,
        };
        let job_ref = JobRef {
            job: (&mut job as *mut StackJob<F, R>).cast(),
            run: run_job::<F, R>,
        };
        // SAFETY: we moved the phase IDLE -> CLAIMED, so no other thread reads or writes `job`
        // until we store POSTED (see the protocol).
        unsafe { *self.job.get() = Some(job_ref) };
        tsan::release(&self.state);
        let cpu = handoff::note(handoff::Side::Caller);
        self.state.store(POSTED, Release);

        // A panic here must not unwind past a posted job: treat it as "nobody will look".
        let live = catch_unwind(AssertUnwindSafe(announce)).unwrap_or(false);
        let phase = if !live
            && self
                .state
                .compare_exchange(POSTED, IDLE, Acquire, Relaxed)
                .is_ok()
        {
            REFUSED
        } else {
            let p = self.wait_finished(cpu);
            self.state.store(IDLE, Relaxed);
            p
        };
        // The owner is done with `job` (DONE/REFUSED seen with Acquire, or withdrawn).
        tsan::acquire(&self.state);
        match (phase, job.out.take(), job.f.take()) {
            (DONE, Some(out), _) => Outcome::Ran(out),
            (_, _, Some(f)) => Outcome::Refused(f),
            // Unreachable by the protocol; report it as a panic rather than lose the call.
            _ => Outcome::Ran(Err(Box::new("slot protocol"))),
        }
    }

    /// Spins briefly (longer while the owner is running this job), then yields, then sleeps,
    /// until the phase is DONE or REFUSED; returns it. While the owner was last seen on this
    /// thread's CPU it yields at once: a spin there would only keep the owner from running.
    /// `cpu`: where this thread ran when it posted.
    fn wait_finished(&self, cpu: u32) -> u32 {
        let (mut spins, mut yields) = (0u32, 0);
        // Where this thread runs changes only when it is scheduled again: its CPU is looked up
        // (sched_getcpu, and a store if it moved) after each yield and every `RECHECK` spins
        // (a preemption), not on every spin.
        let mut beside = handoff::beside_on(handoff::Side::Caller, cpu);
        loop {
            let p = self.state.load(Acquire) & PHASE;
            if p >= DONE {
                return p;
            }
            let spin_budget = if p == TAKEN {
                SPINS_WHILE_RUNNING
            } else {
                SPINS
            };
            if spins < spin_budget && !beside {
                spins += 1;
                std::hint::spin_loop();
                if spins % RECHECK == 0 {
                    beside = handoff::shares_cpu(handoff::Side::Caller);
                }
            } else if yields < YIELDS {
                // Queued behind other callers, or beside the owner: give the core away (to the
                // owner, when callers outnumber cores) rather than sleep at once.
                yields += 1;
                handoff::yield_cpu();
                beside = handoff::shares_cpu(handoff::Side::Caller);
            } else {
                break;
            }
        }
        let mut s = self.state.fetch_or(SLEEPING, SeqCst);
        while s & PHASE < DONE {
            let generation = WAKE_GEN.load(SeqCst);
            s = self.state.load(SeqCst);
            if s & PHASE >= DONE {
                break;
            }
            futex::wait(&WAKE_GEN, generation, None);
            s = self.state.load(Acquire);
        }
        s & PHASE
    }

    /// Owner side: if a job is posted, runs it here. None if there was none, else whether its
    /// caller sleeps: then `wake_sleepers` must follow (once for a whole pass is enough).
    #[must_use = "a sleeping caller needs wake_sleepers"]
    pub fn serve(&self) -> Option<bool> {
        self.take(TAKEN)?;
        // SAFETY: we moved the phase POSTED -> TAKEN with Acquire, so the caller's job write is
        // visible and no one else will read or write `job` until we store DONE.
        let job = unsafe { *self.job.get() };
        tsan::acquire(&self.state);
        if let Some(job) = job {
            // SAFETY: the job lives on the caller's stack until it sees DONE (the protocol),
            // and only this thread touches it now.
            unsafe { (job.run)(job.job) };
        }
        tsan::release(&self.state);
        let old = self.state.swap(DONE, SeqCst);
        Some(old & SLEEPING != 0)
    }

    /// Answers a posted job without running it. Any thread may call this. None if there was
    /// none, else whether its caller sleeps (then call `wake_sleepers`).
    #[must_use = "a sleeping caller needs wake_sleepers"]
    pub fn refuse(&self) -> Option<bool> {
        self.take(REFUSED)
    }

    /// In a forked child: the slot's thread is gone (or is this one, between calls): free it.
    pub fn reset_in_child(&self) {
        self.state.store(IDLE, SeqCst);
    }

    /// Moves the phase from POSTED to `to`, keeping SLEEPING; returns whether SLEEPING was set,
    /// or None if no job was posted.
    fn take(&self, to: u32) -> Option<bool> {
        let mut s = self.state.load(Relaxed);
        loop {
            if s & PHASE != POSTED {
                return None;
            }
            match self
                .state
                .compare_exchange_weak(s, (s & SLEEPING) | to, SeqCst, Relaxed)
            {
                Ok(_) => return Some(s & SLEEPING != 0),
                Err(now) => s = now,
            }
        }
    }
}

/// 64 slots, allocated on first use and never freed. No Once or lock: a thread that forks
/// while another allocates a chunk leaves the child nothing half-made (a CAS publishes it).
pub struct Chunk(std::sync::atomic::AtomicPtr<[Slot; 64]>);

impl Default for Chunk {
    fn default() -> Chunk {
        Chunk::new()
    }
}

impl Chunk {
    pub const fn new() -> Chunk {
        Chunk(std::sync::atomic::AtomicPtr::new(std::ptr::null_mut()))
    }

    /// Slot `i` (below 64), allocating the chunk if needed.
    pub fn get(&self, i: usize) -> &'static Slot {
        let mut p = self.0.load(Acquire);
        if p.is_null() {
            let fresh = Box::into_raw(Box::new(std::array::from_fn(|_| Slot::new())));
            p = match self
                .0
                .compare_exchange(std::ptr::null_mut(), fresh, AcqRel, Acquire)
            {
                Ok(_) => fresh,
                Err(won) => {
                    // SAFETY: `fresh` was never published.
                    drop(unsafe { Box::from_raw(fresh) });
                    won
                }
            };
        }
        // SAFETY: a published chunk is a leaked Box, never freed.
        unsafe { &(*p)[i] }
    }

    /// Slot `i`, if its chunk was allocated.
    pub fn get_if_made(&self, i: usize) -> Option<&'static Slot> {
        let p = self.0.load(Acquire);
        // SAFETY: as in `get`.
        (!p.is_null()).then(|| unsafe { &(*p)[i] })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;

    #[test]
    fn withdrawn_when_nobody_will_look() {
        let slot = Slot::new();
        match slot.call(|| 1, || false) {
            Outcome::Refused(f) => assert_eq!(f(), 1),
            _ => panic!("expected a refusal"),
        }
        assert_eq!(slot.state.load(Relaxed), IDLE);
    }

    #[test]
    fn served_by_another_thread_and_busy_meanwhile() {
        static SLOT: Slot = Slot::new();
        static POSTED_SEEN: AtomicBool = AtomicBool::new(false);
        let owner = std::thread::spawn(|| {
            while !POSTED_SEEN.load(SeqCst) {
                std::hint::spin_loop();
            }
            // A second call on the same slot while the first waits is refused as busy.
            assert!(matches!(SLOT.call(|| 0, || true), Outcome::Busy(_)));
            let sleeper = loop {
                match SLOT.serve() {
                    Some(sleeper) => break sleeper,
                    None => std::thread::yield_now(),
                }
            };
            if sleeper {
                wake_sleepers();
            }
        });
        let out = SLOT.call(
            || std::thread::current().name().map(String::from),
            || {
                POSTED_SEEN.store(true, SeqCst);
                true
            },
        );
        owner.join().unwrap();
        match out {
            Outcome::Ran(Ok(name)) => {
                assert_ne!(name, std::thread::current().name().map(String::from))
            }
            _ => panic!("expected the job to run"),
        }
        assert_eq!(SLOT.state.load(Relaxed), IDLE);
    }

    #[test]
    fn refused_by_another_thread() {
        static SLOT: Slot = Slot::new();
        let refuser = std::thread::spawn(|| loop {
            match SLOT.refuse() {
                Some(true) => break wake_sleepers(),
                Some(false) => break,
                None => std::thread::yield_now(),
            }
        });
        let out = SLOT.call(|| 5, || true);
        refuser.join().unwrap();
        assert!(matches!(out, Outcome::Refused(_)));
    }
}
