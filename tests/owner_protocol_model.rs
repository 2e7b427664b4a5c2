//! An exhaustive interleaving check of the owner protocol: the slot state word
//! (`src/sys/slot.rs`), the pending bitmap (`src/owner/registry.rs`), the doorbell
//! (`src/owner/doorbell.rs`) and shutdown (`src/owner/dedicated.rs`), written as small steps,
//! one atomic operation each, exactly in the order the code performs them. Every interleaving
//! of the threads is explored (depth-first, with a visited set), with FUTEX_WAIT/FUTEX_WAKE
//! modelled as the kernel gives them (sleep only if the word still holds the value; a wake
//! takes any one sleeper). Checked in every reachable state:
//!
//! - no lost wake-up: whenever no thread can move, every call has returned;
//! - a returned call was run exactly once (`DONE`), or never (`REFUSED`, withdrawn);
//! - the owner only touches a job while its caller is still waiting for it;
//! - without shutdown no call is refused.
//!
//! The model is sequentially consistent: the code makes every operation that pairs across two
//! words (pending bit and bell, bell and park, shutdown flag and pending bits) SeqCst, and the
//! slot word is one location, whose Release/Acquire pairs order the job's data.
//!
//! A second model (`mod engine_lock`, below) covers the engine lock between the owner and the
//! threads that take the engine while it is away, with the owner's stores buffered.

use std::collections::HashSet;

// Slot phases and bits, as in src/sys/slot.rs.
const IDLE: u8 = 0;
const POSTED: u8 = 1;
const TAKEN: u8 = 2;
const DONE: u8 = 3;
const REFUSED: u8 = 4;
const PHASE: u8 = 0b111;
const SLEEPING: u8 = 0b1000;
// Bell bits, as in src/owner/doorbell.rs.
const RUNG: u8 = 1;
const FUTEX_WAITER: u8 = 2;

const MAX_CALLERS: usize = 2;

/// Which word a sleeping thread waits on.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Word {
    Bell,
    /// `WAKE_GEN`, the word sleeping callers wait on.
    Gen,
}

#[derive(Clone, PartialEq, Eq, Hash, Debug)]
struct Caller {
    pc: u8,
    calls_left: u8,
    /// The `WAKE_GEN` value read before the last phase check.
    seen: u8,
    /// Times the current call's job ran.
    ran: u8,
    /// Calls that returned DONE / REFUSED.
    done: u8,
    refused: u8,
}

#[derive(Clone, PartialEq, Eq, Hash, Debug)]
struct State {
    slot: [u8; MAX_CALLERS],
    wake_gen: u8,
    pending: u8, // one bit per caller
    bell: u8,
    shut: bool,
    callers: Vec<Caller>,
    owner_pc: u8,
    /// The owner's copy of the pending bits it took in this pass, and the slot it is at.
    owner_bits: u8,
    owner_seen: u8,
    owner_cur: u8,
    /// A sleeping caller was answered in this pass (or refusal sweep).
    owner_sleepers: bool,
    stopper_pc: u8,
    stopper_bits: u8,
    stopper_sleepers: bool,
    /// Threads asleep in FUTEX_WAIT: (thread id, word). Callers are 0.., the owner 100.
    sleepers: Vec<(u8, Word)>,
}

const OWNER: u8 = 100;
const OWNER_DONE: u8 = 99;
const STOPPER_DONE: u8 = 99;
const CALLER_DONE: u8 = 99;

impl State {
    fn word(&self, w: Word) -> u8 {
        match w {
            Word::Bell => self.bell,
            Word::Gen => self.wake_gen,
        }
    }
    fn asleep(&self, t: u8) -> bool {
        self.sleepers.iter().any(|&(id, _)| id == t)
    }
    /// FUTEX_WAIT: sleeps only if the word still holds `v`.
    fn futex_wait(&mut self, t: u8, w: Word, v: u8) {
        if self.word(w) == v {
            self.sleepers.push((t, w));
        }
    }
    /// FUTEX_WAKE(1): every choice of sleeper is a separate successor.
    /// FUTEX_WAKE(all).
    fn futex_wake_all(mut self, w: Word) -> State {
        self.sleepers.retain(|&(_, sw)| sw != w);
        self
    }
    fn futex_wake(self, w: Word) -> Vec<State> {
        let idx: Vec<usize> = (0..self.sleepers.len())
            .filter(|&i| self.sleepers[i].1 == w)
            .collect();
        if idx.is_empty() {
            return vec![self];
        }
        idx.into_iter()
            .map(|i| {
                let mut s = self.clone();
                s.sleepers.remove(i);
                s
            })
            .collect()
    }
}

/// The caller's steps (Slot::call, mark_pending, doorbell::ring, accepting, wait_finished).
fn step_caller(s: &State, i: usize) -> Vec<State> {
    let mut n = s.clone();
    let c = &mut n.callers[i];
    let bit = 1u8 << i;
    match c.pc {
        0 => {
            if c.calls_left == 0 {
                c.pc = CALLER_DONE;
            } else {
                assert_eq!(n.slot[i], IDLE);
                c.ran = 0;
                n.slot[i] = POSTED;
                n.callers[i].pc = 1;
            }
        }
        1 => {
            n.pending |= bit;
            c.pc = 2;
        }
        2 => {
            // ring: load; return if RUNG
            c.pc = if n.bell & RUNG != 0 { 5 } else { 3 };
        }
        3 => {
            let old = n.bell;
            n.bell |= RUNG;
            let c = &mut n.callers[i];
            c.pc = if old & RUNG == 0 && old & FUTEX_WAITER != 0 {
                4
            } else {
                5
            };
        }
        4 => {
            c.pc = 5;
            return n.futex_wake(Word::Bell);
        }
        5 => {
            // accepting(): not shut
            c.pc = if n.shut { 6 } else { 7 };
        }
        6 => {
            // withdraw: CAS POSTED -> IDLE
            if n.slot[i] == POSTED {
                n.slot[i] = IDLE;
                let c = &mut n.callers[i];
                assert_eq!(c.ran, 0, "withdrawn job ran");
                c.refused += 1;
                c.calls_left -= 1;
                c.pc = 0;
            } else {
                c.pc = 7;
            }
        }
        7 => {
            // spin: one check of the phase (more checks repeat this state)
            c.pc = if n.slot[i] & PHASE >= DONE { 10 } else { 8 };
        }
        8 => {
            let old = n.slot[i];
            n.slot[i] |= SLEEPING;
            c.pc = if old & PHASE >= DONE {
                10
            } else if broken_slot() {
                13
            } else {
                12
            };
        }
        12 => {
            c.seen = n.wake_gen;
            c.pc = if broken_slot() { 9 } else { 13 };
        }
        13 => {
            c.pc = if n.slot[i] & PHASE >= DONE {
                10
            } else if broken_slot() {
                12
            } else {
                9
            };
        }
        9 => {
            // FUTEX_WAIT(WAKE_GEN, seen), then reload the phase
            let seen = c.seen;
            c.pc = 11;
            n.futex_wait(i as u8, Word::Gen, seen);
        }
        11 => {
            c.pc = if n.slot[i] & PHASE >= DONE {
                10
            } else if broken_slot() {
                13
            } else {
                12
            };
        }
        10 => {
            let phase = n.slot[i] & PHASE;
            let c = &mut n.callers[i];
            match phase {
                DONE => {
                    assert_eq!(c.ran, 1, "DONE but the job ran {} times", c.ran);
                    c.done += 1;
                }
                REFUSED => {
                    assert_eq!(c.ran, 0, "REFUSED but the job ran");
                    c.refused += 1;
                }
                p => panic!("returned in phase {p}"),
            }
            c.calls_left -= 1;
            n.slot[i] = IDLE;
            n.callers[i].pc = 0;
        }
        _ => unreachable!(),
    }
    vec![n]
}

/// Refusing slot `i` (Slot::refuse): one CAS POSTED -> REFUSED keeping SLEEPING; returns
/// whether a sleeping caller was answered.
fn refuse(n: &mut State, i: usize) -> bool {
    let v = n.slot[i];
    if v & PHASE != POSTED {
        return false;
    }
    n.slot[i] = (v & SLEEPING) | REFUSED;
    v & SLEEPING != 0
}

/// The owner's steps (serve_for: pass, then park; after shutdown: refuse_all and exit).
/// Serving a slot is two steps, the take (CAS) and the run with the swap to DONE, so the
/// caller's SLEEPING fetch_or can fall between them.
fn step_owner(s: &State) -> Vec<State> {
    let mut n = s.clone();
    match n.owner_pc {
        0 => {
            n.bell &= !RUNG; // clear
            n.owner_pc = 1;
        }
        1 => {
            n.owner_bits = n.pending; // swap(0)
            n.pending = 0;
            n.owner_pc = 2;
        }
        2 => {
            if n.owner_bits == 0 {
                n.owner_pc = if n.owner_sleepers {
                    20
                } else if n.shut {
                    6
                } else {
                    3
                };
            } else {
                let i = n.owner_bits.trailing_zeros() as usize;
                n.owner_bits &= n.owner_bits - 1;
                if n.shut {
                    n.owner_sleepers |= refuse(&mut n, i);
                    return vec![n];
                }
                let v = n.slot[i];
                if v & PHASE == POSTED {
                    n.slot[i] = (v & SLEEPING) | TAKEN;
                    n.owner_cur = i as u8;
                    n.owner_pc = 8;
                }
            }
        }
        8 => {
            // run the job, then swap(DONE); wake if the old word had SLEEPING
            let i = n.owner_cur as usize;
            let c = &mut n.callers[i];
            assert!(
                c.pc != 0 && c.pc != 10 && c.pc != CALLER_DONE,
                "owner ran a job its caller left (pc {})",
                c.pc
            );
            c.ran += 1;
            let old = n.slot[i];
            n.slot[i] = DONE;
            n.owner_pc = 2;
            n.owner_sleepers |= old & SLEEPING != 0;
        }
        20 => {
            // wake_sleepers: bump WAKE_GEN, then FUTEX_WAKE all
            n.wake_gen = n.wake_gen.wrapping_add(1);
            n.owner_pc = 21;
        }
        21 => {
            n.owner_sleepers = false;
            n.owner_pc = if n.shut { 6 } else { 3 };
            return vec![n.futex_wake_all(Word::Gen)];
        }
        3 => {
            if !BROKEN.with(|b| b.get()) {
                n.bell |= FUTEX_WAITER;
            }
            n.owner_seen = n.bell;
            n.owner_pc = if n.owner_seen & RUNG == 0 { 4 } else { 5 };
        }
        4 => {
            let seen = n.owner_seen;
            n.owner_pc = 5;
            n.futex_wait(OWNER, Word::Bell, seen);
        }
        5 => {
            n.bell &= !FUTEX_WAITER;
            n.owner_pc = 0;
        }
        6 => {
            // resign, refuse_all: take the bits and refuse each
            n.owner_bits = n.pending;
            n.pending = 0;
            n.owner_pc = 7;
        }
        7 => {
            if n.owner_bits == 0 {
                n.owner_pc = if n.owner_sleepers { 22 } else { OWNER_DONE };
            } else {
                let i = n.owner_bits.trailing_zeros() as usize;
                n.owner_bits &= n.owner_bits - 1;
                n.owner_sleepers |= refuse(&mut n, i);
            }
        }
        22 => {
            n.wake_gen = n.wake_gen.wrapping_add(1);
            n.owner_pc = 23;
        }
        23 => {
            n.owner_sleepers = false;
            n.owner_pc = OWNER_DONE;
            return vec![n.futex_wake_all(Word::Gen)];
        }
        _ => unreachable!(),
    }
    vec![n]
}

/// shutdown_thread's steps: shut, ring, refuse_all.
fn step_stopper(s: &State) -> Vec<State> {
    let mut n = s.clone();
    match n.stopper_pc {
        0 => {
            n.shut = true;
            n.stopper_pc = 1;
        }
        1 => {
            let old = n.bell;
            n.bell |= RUNG;
            n.stopper_pc = 3;
            if old & RUNG == 0 && old & FUTEX_WAITER != 0 {
                return n.futex_wake(Word::Bell);
            }
        }
        3 => {
            n.stopper_bits = n.pending;
            n.pending = 0;
            n.stopper_pc = 4;
        }
        4 => {
            if n.stopper_bits == 0 {
                n.stopper_pc = if n.stopper_sleepers { 5 } else { STOPPER_DONE };
            } else {
                let i = n.stopper_bits.trailing_zeros() as usize;
                n.stopper_bits &= n.stopper_bits - 1;
                n.stopper_sleepers |= refuse(&mut n, i);
            }
        }
        5 => {
            n.wake_gen = n.wake_gen.wrapping_add(1);
            n.stopper_pc = 6;
        }
        6 => {
            n.stopper_sleepers = false;
            n.stopper_pc = STOPPER_DONE;
            return vec![n.futex_wake_all(Word::Gen)];
        }
        _ => unreachable!(),
    }
    vec![n]
}

struct Report {
    states: usize,
    terminal: usize,
}

fn explore(callers: usize, calls: u8, with_stopper: bool) -> Report {
    let start = State {
        slot: [IDLE; MAX_CALLERS],
        wake_gen: 0,
        pending: 0,
        bell: 0,
        shut: false,
        callers: (0..callers)
            .map(|_| Caller {
                pc: 0,
                calls_left: calls,
                seen: 0,
                ran: 0,
                done: 0,
                refused: 0,
            })
            .collect(),
        owner_pc: 0,
        owner_bits: 0,
        owner_seen: 0,
        owner_cur: 0,
        owner_sleepers: false,
        stopper_pc: if with_stopper { 0 } else { STOPPER_DONE },
        stopper_bits: 0,
        stopper_sleepers: false,
        sleepers: Vec::new(),
    };
    let mut seen = HashSet::new();
    let mut stack = vec![start];
    let mut terminal = 0;
    while let Some(s) = stack.pop() {
        if !seen.insert(s.clone()) {
            continue;
        }
        let mut next = Vec::new();
        for i in 0..callers {
            if s.callers[i].pc != CALLER_DONE && !s.asleep(i as u8) {
                next.extend(step_caller(&s, i));
            }
        }
        if s.owner_pc != OWNER_DONE && !s.asleep(OWNER) {
            next.extend(step_owner(&s));
        }
        if s.stopper_pc != STOPPER_DONE {
            next.extend(step_stopper(&s));
        }
        if next.is_empty() {
            terminal += 1;
            for (i, c) in s.callers.iter().enumerate() {
                assert_eq!(
                    c.pc, CALLER_DONE,
                    "lost wake-up: caller {i} stuck at pc {} in {s:?}",
                    c.pc
                );
                assert_eq!(c.done + c.refused, calls);
                if !with_stopper {
                    assert_eq!(c.refused, 0, "refused without shutdown");
                }
            }
        }
        stack.extend(next);
    }
    Report {
        states: seen.len(),
        terminal,
    }
}

#[test]
fn one_caller_two_calls() {
    let r = explore(1, 2, false);
    assert!(r.terminal > 0);
    println!("{} states", r.states);
}

#[test]
fn two_callers_two_calls_each() {
    let r = explore(2, 2, false);
    assert!(r.terminal > 0);
    println!("{} states", r.states);
}

#[test]
fn shutdown_with_calls_in_flight() {
    let r = explore(2, 1, true);
    assert!(r.terminal > 0);
    println!("{} states", r.states);
}

#[test]
fn shutdown_between_calls() {
    let r = explore(1, 2, true);
    assert!(r.terminal > 0);
    println!("{} states", r.states);
}

/// The model must be able to fail: with the owner parking without announcing itself
/// (FUTEX_WAITER), a caller's ring does not wake it and the call is never served.
#[test]
fn model_catches_a_lost_wake_up() {
    let r = std::panic::catch_unwind(explore_broken);
    let msg = r.expect_err("the broken protocol was not caught");
    let msg = msg
        .downcast_ref::<String>()
        .map(String::as_str)
        .unwrap_or("");
    assert!(msg.contains("lost wake-up"), "{msg}");
}

fn explore_broken() {
    BROKEN.with(|b| b.set(true));
    let _ = explore(1, 1, false);
}

/// The model must be able to fail at the slot too: a caller that checks its phase before it
/// reads `WAKE_GEN` can sleep through the wake-up of the answer it missed.
#[test]
fn model_catches_a_lost_slot_wake_up() {
    let r = std::panic::catch_unwind(|| {
        BROKEN_SLOT.with(|b| b.set(true));
        explore(1, 1, false)
    });
    let msg = r.err().expect("the broken protocol was not caught");
    let msg = msg
        .downcast_ref::<String>()
        .map(String::as_str)
        .unwrap_or("");
    assert!(msg.contains("lost wake-up"), "{msg}");
}

fn broken_slot() -> bool {
    BROKEN_SLOT.with(|b| b.get())
}

thread_local! {
    static BROKEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static BROKEN_SLOT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The engine lock (`src/sys/engine_lock.rs`) with the owner's gate (`src/owner/gate.rs`) and
/// the hand-over to an owner that is inside (`src/owner/trampoline.rs`, `serve::on_exit`): an
/// owner making calls through its fast path, and non-owners that take the engine when the
/// owner is away and hand their call to it when it is inside.
///
/// Unlike the model above, the owner's plain stores (its presence) are not sequentially
/// consistent: they wait in a store buffer, as x86 (and, more loosely, ARM) allows, and
/// reach memory one at a time in some later step, or all at once at the owner's own fence or
/// read-modify-write, or when another thread runs the asymmetric barrier (membarrier). Every
/// other operation is SeqCst, as in the code. Checked in every reachable state:
///
/// - no two evaluators: the owner (its own call, or a call it runs for a caller) and a
///   non-owner are never inside at once, nor two non-owners;
/// - no lost wake-up: whenever no thread can move, every call has returned (so no call waits
///   for an owner that went away, and the owner never sleeps forever waiting for holders);
/// - no starvation of the owner: once it asks for the engine (`OWNER_WAITING`), no non-owner
///   comes in before it; before it asks it takes a bounded number of its own steps.
mod engine_lock {
    use std::collections::HashSet;

    const ATTENTION: u8 = 1;
    const HELD: u8 = 2;
    const WAITERS: u8 = 4;
    // Bell bits, as in src/owner/doorbell.rs.
    const RUNG: u8 = 1;
    const FUTEX_WAITER: u8 = 2;

    // Slot phases (the slot's own protocol is the model above).
    const IDLE: u8 = 0;
    const POSTED: u8 = 1;
    const TAKEN: u8 = 2;
    const DONE: u8 = 3;
    const REFUSED: u8 = 4;

    const NON_OWNERS: usize = 2;
    const FINISHED: u8 = 99;

    #[derive(Clone, PartialEq, Eq, Hash, Debug)]
    struct Group {
        count: u8,
        admitted: bool,
        owner_waiting: bool,
    }

    /// How the non-owners take the engine.
    #[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
    enum Kind {
        /// Default mode: the exclusive side; hand the call to the owner when it is inside.
        Exclusive,
        /// Read-parallel mode: the shared side; hand the call over when the owner is inside.
        Shared,
        /// The server's readers: the shared side; sleep until the owner leaves
        /// (`wait_owner_away`) when it is inside.
        SharedWaiting,
        /// An owner in a serving loop (dedicated mode's thread, `kx_serve`), parked on its bell
        /// between passes; non-owners try the exclusive side without waiting
        /// (`try_acquire`) and, when another holds it or the owner is inside, hand the call
        /// over: post, ring (waking the parked owner), wait. The owner takes the engine in
        /// turn (`owner_take` waits for the holder) and serves every pending call.
        Trying,
    }

    #[derive(Clone, PartialEq, Eq, Hash, Debug)]
    struct NonOwner {
        pc: u8,
        calls_left: u8,
        /// Asleep in `wait_owner_away` on EXIT_GEN, having read `seen_gen`.
        asleep: bool,
        seen_gen: u8,
        ran_here: u8,
        ran_on_owner: u8,
        /// Ringing: the bell had a waiter, so this caller wakes it.
        ring_wake: bool,
    }

    #[derive(Clone, PartialEq, Eq, Hash, Debug)]
    struct State {
        word: u8,
        /// The presence as memory holds it.
        presence: u8,
        /// The owner's stores of its presence not yet in memory, oldest first.
        buffer: Vec<u8>,
        group: Group,
        /// The non-owners' lock: its exclusive holder, or how many hold it shared.
        lock: Option<u8>,
        readers: u8,
        exit_gen: u8,
        kind: Kind,
        slot: [u8; NON_OWNERS],
        pending: u8,
        owner_pc: u8,
        owner_calls_left: u8,
        /// The owner's own view of its depth (what its loads of the presence would give).
        depth: u8,
        /// Where the owner returns after its slow paths.
        owner_ret: u8,
        owner_bits: u8,
        owner_asleep: bool,
        /// The GROUP value the owner read before deciding to sleep.
        owner_seen: Group,
        /// The owner is inside running its own call or a caller's (`Some(caller)`).
        owner_inside: Option<Option<u8>>,
        /// Non-owners inside on their own threads.
        inside: Vec<u8>,
        non_owners: Vec<NonOwner>,
        /// `Kind::Trying`: the doorbell, the owner asleep on it (having read `owner_bell_seen`),
        /// the callers whose ring is complete (bit i), and, per caller, the `calls_left` of a
        /// call the owner's current pass must serve (its ring came before the pass's clear).
        bell: u8,
        owner_parked: bool,
        owner_bell_seen: u8,
        rang: u8,
        due: [Option<u8>; NON_OWNERS],
    }

    /// Which mistake to make, to show the model catches it.
    #[derive(Copy, Clone, PartialEq, Eq)]
    enum Broken {
        None,
        /// The non-owner's barrier does not reach the owner's store buffer.
        NoBarrier,
        /// Joining an admitted group ignores OWNER_WAITING.
        JoinWhileOwnerWaits,
        /// A caller that hands its call over does not set ATTENTION itself.
        NoAttention,
        /// A serving owner runs its pass without waiting for non-owner holders.
        NoOwnerTake,
        /// A caller that hands its call to a serving owner does not ring.
        NoRing,
    }

    fn drain(s: &mut State) {
        if let Some(&last) = s.buffer.last() {
            s.presence = last;
        }
        s.buffer.clear();
    }

    fn check(s: &State) {
        if let Some(who) = &s.owner_inside {
            assert!(
                s.inside.is_empty(),
                "two evaluators: the owner (for {who:?}) and non-owner {:?}",
                s.inside
            );
        }
        if matches!(s.kind, Kind::Exclusive | Kind::Trying) {
            assert!(s.inside.len() <= 1, "two non-owners inside: {:?}", s.inside);
        }
    }

    fn release_group(s: &mut State) {
        let old = s.group.clone();
        s.group.count -= 1;
        if old.owner_waiting && old.count == 1 {
            // FUTEX_WAKE(GROUP, 1): the owner is the only sleeper there.
            s.owner_asleep = false;
        }
    }

    /// The owner. pcs: 0 fast check; 1 presence up; 2 second check; 3 undo; 10.. slow entry; 20..
    /// owner_take; 30.. serve pass; 40 inside; 41 presence down; 42 exit check; 50.. on_exit.
    fn step_owner(s: &State, broken: Broken) -> Vec<State> {
        let mut n = s.clone();
        match n.owner_pc {
            0 => {
                if n.owner_calls_left == 0 {
                    n.owner_pc = FINISHED;
                } else if n.word == 0 {
                    n.owner_pc = 1;
                } else {
                    n.owner_pc = 10;
                }
            }
            1 => {
                n.depth += 1;
                n.buffer.push(n.depth);
                n.owner_pc = 2;
            }
            2 => {
                n.owner_pc = if n.word == 0 { 40 } else { 3 };
            }
            3 => {
                // A hint: presence down again, then the slow entry.
                n.depth -= 1;
                n.buffer.push(n.depth);
                n.owner_pc = 10;
            }
            10 => {
                // Slow entry: presence up, then the contended path.
                n.depth += 1;
                n.buffer.push(n.depth);
                n.owner_ret = 40;
                n.owner_pc = 20;
            }
            20 => {
                // owner_take: fence, then load the word.
                drain(&mut n);
                n.owner_pc = if n.word & HELD != 0 {
                    21
                } else {
                    after_take(&n)
                };
            }
            21 => {
                n.group.owner_waiting = true;
                n.owner_pc = 22;
            }
            22 => {
                if n.group.count == 0 {
                    n.owner_pc = 24;
                } else {
                    n.owner_seen = n.group.clone();
                    n.owner_pc = 23;
                }
            }
            23 => {
                // FUTEX_WAIT(GROUP, seen): sleeps only if GROUP still holds it.
                if n.group == n.owner_seen {
                    n.owner_asleep = true;
                }
                n.owner_pc = 22;
            }
            24 => {
                n.word &= !HELD;
                n.owner_pc = 25;
            }
            25 => {
                n.group.admitted = false;
                n.group.owner_waiting = false;
                n.owner_pc = after_take(&n);
            }
            30 => {
                // A serve pass if a call was handed over: clear ATTENTION, take the bits.
                if n.word & ATTENTION != 0 {
                    n.word &= !ATTENTION;
                    n.owner_bits = n.pending;
                    n.pending = 0;
                    n.owner_pc = 31;
                } else {
                    n.owner_pc = n.owner_ret;
                }
            }
            31 => {
                if n.owner_bits == 0 {
                    n.owner_pc = n.owner_ret;
                } else {
                    let i = n.owner_bits.trailing_zeros() as usize;
                    n.owner_bits &= n.owner_bits - 1;
                    if n.slot[i] == POSTED {
                        n.slot[i] = TAKEN;
                        n.owner_inside = Some(Some(i as u8));
                        n.owner_pc = 32;
                    }
                }
            }
            32 => {
                let i = n.owner_inside.take().flatten().unwrap() as usize;
                n.non_owners[i].ran_on_owner += 1;
                n.slot[i] = DONE;
                n.owner_pc = 31;
            }
            40 => {
                n.owner_inside = Some(None);
                n.owner_pc = 41;
            }
            41 => {
                n.owner_inside = None;
                n.depth -= 1;
                n.buffer.push(n.depth);
                n.owner_pc = 42;
            }
            42 => {
                n.owner_pc = if n.word & WAITERS != 0 { 45 } else { 46 };
            }
            45 => {
                // owner_left: clear WAITERS, bump EXIT_GEN, wake them all.
                n.word &= !WAITERS;
                n.exit_gen = n.exit_gen.wrapping_add(1);
                for c in n.non_owners.iter_mut() {
                    c.asleep = false;
                }
                n.owner_pc = 46;
            }
            46 => {
                n.owner_pc = if n.word & ATTENTION != 0 { 50 } else { 49 };
            }
            49 => {
                n.owner_calls_left -= 1;
                n.owner_pc = 0;
            }
            50 => {
                // on_exit: presence up and the contended path (which serves), then out.
                n.depth += 1;
                n.buffer.push(n.depth);
                n.owner_ret = 51;
                n.owner_pc = 20;
            }
            51 => {
                n.depth -= 1;
                n.buffer.push(n.depth);
                n.owner_pc = 52;
            }
            52 => {
                n.owner_pc = if n.word & WAITERS != 0 { 54 } else { 55 };
            }
            54 => {
                n.word &= !WAITERS;
                n.exit_gen = n.exit_gen.wrapping_add(1);
                for c in n.non_owners.iter_mut() {
                    c.asleep = false;
                }
                n.owner_pc = 55;
            }
            55 => {
                n.owner_pc = if n.word & ATTENTION != 0 { 53 } else { 49 };
            }
            53 => {
                // Clear ATTENTION, refuse every pending call.
                n.word &= !ATTENTION;
                for i in 0..NON_OWNERS {
                    if n.pending & (1 << i) != 0 && n.slot[i] == POSTED {
                        n.slot[i] = REFUSED;
                    }
                }
                n.pending = 0;
                n.owner_pc = 49;
            }
            // The serving loop (`Kind::Trying`): 60.. park on the bell; 63 the pass's slow
            // entry (`pass_inside`); 64.. the pass; 70.. `leave_serving`.
            60 => {
                // doorbell::park: fetch_or FUTEX_WAITER (an RMW: the store buffer drains).
                drain(&mut n);
                n.bell |= FUTEX_WAITER;
                n.owner_bell_seen = n.bell;
                n.owner_pc = if n.bell & RUNG == 0 { 61 } else { 62 };
            }
            61 => {
                // FUTEX_WAIT(BELL, seen): sleeps only if the bell still holds it.
                if n.bell == n.owner_bell_seen {
                    n.owner_parked = true;
                }
                n.owner_pc = 62;
            }
            62 => {
                drain(&mut n);
                n.bell &= !FUTEX_WAITER;
                n.owner_pc = 63;
            }
            63 => {
                // pass_inside: presence up, owner_take, then the pass.
                n.depth += 1;
                n.buffer.push(n.depth);
                n.owner_ret = 64;
                n.owner_pc = if broken == Broken::NoOwnerTake {
                    64
                } else {
                    20
                };
            }
            64 => {
                // doorbell::clear: ATTENTION, then RUNG.
                drain(&mut n);
                n.word &= !ATTENTION;
                n.owner_pc = 65;
            }
            65 => {
                n.bell &= !RUNG;
                for i in 0..NON_OWNERS {
                    if n.rang & (1 << i) != 0 && n.slot[i] == POSTED {
                        n.due[i] = Some(n.non_owners[i].calls_left);
                    }
                }
                n.rang = 0;
                n.owner_pc = 66;
            }
            66 => {
                n.owner_bits = n.pending;
                n.pending = 0;
                n.owner_pc = 67;
            }
            67 => {
                if n.owner_bits == 0 {
                    n.owner_pc = 69;
                } else {
                    let i = n.owner_bits.trailing_zeros() as usize;
                    n.owner_bits &= n.owner_bits - 1;
                    if n.slot[i] == POSTED {
                        n.slot[i] = TAKEN;
                        n.owner_inside = Some(Some(i as u8));
                        n.owner_pc = 68;
                    }
                }
            }
            68 => {
                let i = n.owner_inside.take().flatten().unwrap() as usize;
                n.non_owners[i].ran_on_owner += 1;
                n.slot[i] = DONE;
                n.owner_pc = 67;
            }
            69 => {
                // No starvation of a queued caller: the first pass whose clear of the bell
                // came after its ring served it.
                for i in 0..NON_OWNERS {
                    if let Some(c) = n.due[i].take() {
                        assert!(
                            n.slot[i] == DONE || n.non_owners[i].calls_left < c,
                            "a queued caller was passed over: {s:?}"
                        );
                    }
                }
                n.owner_pc = 70;
            }
            70 => {
                // leave_serving: presence down, the word compared, owner_left.
                n.depth -= 1;
                n.buffer.push(n.depth);
                n.owner_pc = 71;
            }
            71 => {
                if n.word & WAITERS != 0 {
                    n.word &= !WAITERS;
                    n.exit_gen = n.exit_gen.wrapping_add(1);
                    for c in n.non_owners.iter_mut() {
                        c.asleep = false;
                    }
                }
                n.owner_pc = 60;
            }
            _ => unreachable!("owner pc {}", n.owner_pc),
        }
        vec![n]
    }

    /// Where the owner goes once it holds the engine: an owner making its own call serves what
    /// was handed to it first (`serve::on_entry`); a serving loop goes on with its pass.
    fn after_take(s: &State) -> u8 {
        if s.kind == Kind::Trying {
            s.owner_ret
        } else {
            30
        }
    }

    /// A non-owner. pcs: 0 route (hint); 1 lock; 2 join; 3 HELD; 4 barrier; 5 presence; 6
    /// inside; 7 release; 8 unlock; 10 back off; 20.. hand over; 30 done.
    fn step_non_owner(s: &State, i: usize, broken: Broken) -> Vec<State> {
        let mut n = s.clone();
        let me = i as u8;
        let pc = n.non_owners[i].pc;
        match pc {
            0 => {
                if n.non_owners[i].calls_left == 0 {
                    n.non_owners[i].pc = FINISHED;
                } else {
                    let hint = n.kind != Kind::SharedWaiting && n.presence != 0;
                    n.non_owners[i].pc = if hint { 20 } else { 1 };
                }
            }
            1 => {
                if n.kind == Kind::Trying && n.lock.is_some() {
                    // try_acquire: another non-owner holds it; hand the call over.
                    n.non_owners[i].pc = 20;
                    return vec![n];
                }
                if n.lock.is_some() || (n.kind == Kind::Exclusive && n.readers > 0) {
                    return vec![]; // blocked on the non-owners' lock
                }
                if matches!(n.kind, Kind::Exclusive | Kind::Trying) {
                    n.lock = Some(me);
                } else {
                    n.readers += 1;
                }
                n.non_owners[i].pc = 2;
            }
            2 => {
                let ignore = broken == Broken::JoinWhileOwnerWaits && n.group.admitted;
                if n.group.owner_waiting && !ignore {
                    unlock(&mut n);
                    n.non_owners[i].pc = back_off(n.kind);
                } else {
                    // No starvation of the owner: once it asked, nobody new joins.
                    assert!(
                        !n.group.owner_waiting,
                        "a non-owner came in while the owner waited for the engine"
                    );
                    n.group.count += 1;
                    n.non_owners[i].pc = if n.group.admitted { 6 } else { 3 };
                }
            }
            3 => {
                n.word |= HELD;
                n.non_owners[i].pc = 4;
            }
            4 => {
                if broken != Broken::NoBarrier {
                    drain(&mut n);
                }
                n.non_owners[i].pc = 5;
            }
            5 => {
                if n.presence == 0 {
                    n.group.admitted = true;
                    n.non_owners[i].pc = 6;
                } else {
                    n.non_owners[i].pc = 10;
                }
            }
            6 => {
                n.inside.push(me);
                n.non_owners[i].ran_here += 1;
                n.non_owners[i].pc = 7;
            }
            7 => {
                n.inside.retain(|&x| x != me);
                release_group(&mut n);
                n.non_owners[i].pc = 8;
            }
            8 => {
                unlock(&mut n);
                n.non_owners[i].calls_left -= 1;
                n.non_owners[i].pc = 0;
            }
            10 => {
                release_group(&mut n);
                unlock(&mut n);
                n.non_owners[i].pc = back_off(n.kind);
            }
            40 => {
                // wait_owner_away: read EXIT_GEN, set WAITERS, barrier, presence.
                n.non_owners[i].seen_gen = n.exit_gen;
                n.non_owners[i].pc = 41;
            }
            41 => {
                n.word |= WAITERS;
                n.non_owners[i].pc = 42;
            }
            42 => {
                drain(&mut n);
                n.non_owners[i].pc = 43;
            }
            43 => {
                n.non_owners[i].pc = if n.presence == 0 { 0 } else { 44 };
            }
            44 => {
                // FUTEX_WAIT(EXIT_GEN, seen), then round again.
                if n.exit_gen == n.non_owners[i].seen_gen {
                    n.non_owners[i].asleep = true;
                }
                n.non_owners[i].pc = 40;
            }
            20 => {
                assert_eq!(n.slot[i], IDLE);
                n.slot[i] = POSTED;
                n.pending |= 1 << i;
                n.non_owners[i].pc = if n.kind != Kind::Trying {
                    21
                } else if broken == Broken::NoRing {
                    25
                } else {
                    80
                };
            }
            // doorbell::ring, to a serving owner (which always accepts: `accepting()`).
            80 => {
                if n.bell & RUNG != 0 {
                    n.rang |= 1 << i;
                    n.non_owners[i].pc = 25;
                } else {
                    n.non_owners[i].pc = 81;
                }
            }
            81 => {
                let old = n.bell;
                n.bell |= RUNG;
                n.rang |= 1 << i;
                if old & RUNG != 0 {
                    n.non_owners[i].pc = 25;
                } else {
                    n.non_owners[i].ring_wake = old & FUTEX_WAITER != 0;
                    n.non_owners[i].pc = 82;
                }
            }
            82 => {
                n.word |= ATTENTION;
                n.non_owners[i].pc = 83;
            }
            83 => {
                if std::mem::take(&mut n.non_owners[i].ring_wake) {
                    n.owner_parked = false; // FUTEX_WAKE(BELL, 1): the owner is its one sleeper
                }
                n.non_owners[i].pc = 25;
            }
            21 => {
                // accepting(): ATTENTION, the barrier, then the presence.
                if broken != Broken::NoAttention {
                    n.word |= ATTENTION;
                }
                n.non_owners[i].pc = 22;
            }
            22 => {
                drain(&mut n);
                n.non_owners[i].pc = 23;
            }
            23 => {
                if n.presence != 0 {
                    n.non_owners[i].pc = 25;
                } else if n.slot[i] == POSTED {
                    // Withdraw, route again.
                    n.slot[i] = IDLE;
                    n.non_owners[i].pc = 0;
                } else {
                    n.non_owners[i].pc = 25;
                }
            }
            25 => match n.slot[i] {
                DONE => {
                    n.slot[i] = IDLE;
                    n.rang &= !(1 << i);
                    n.non_owners[i].calls_left -= 1;
                    n.non_owners[i].pc = 0;
                }
                REFUSED => {
                    n.slot[i] = IDLE;
                    n.non_owners[i].pc = 0;
                }
                _ => return vec![], // asleep until answered
            },
            _ => unreachable!("non-owner pc {pc}"),
        }
        vec![n]
    }

    fn unlock(n: &mut State) {
        if matches!(n.kind, Kind::Exclusive | Kind::Trying) {
            n.lock = None;
        } else {
            n.readers -= 1;
        }
    }

    /// Where a non-owner goes when it finds the owner inside.
    fn back_off(kind: Kind) -> u8 {
        if kind == Kind::SharedWaiting {
            40
        } else {
            20
        }
    }

    fn explore(owner_calls: u8, calls: u8, kind: Kind, broken: Broken) -> usize {
        let start = State {
            word: 0,
            presence: 0,
            buffer: Vec::new(),
            group: Group {
                count: 0,
                admitted: false,
                owner_waiting: false,
            },
            lock: None,
            readers: 0,
            exit_gen: 0,
            kind,
            slot: [IDLE; NON_OWNERS],
            pending: 0,
            owner_pc: if kind == Kind::Trying { 63 } else { 0 },
            owner_calls_left: owner_calls,
            depth: 0,
            owner_ret: 0,
            owner_bits: 0,
            owner_asleep: false,
            owner_seen: Group {
                count: 0,
                admitted: false,
                owner_waiting: false,
            },
            owner_inside: None,
            inside: Vec::new(),
            non_owners: (0..NON_OWNERS)
                .map(|_| NonOwner {
                    pc: 0,
                    calls_left: calls,
                    asleep: false,
                    seen_gen: 0,
                    ran_here: 0,
                    ran_on_owner: 0,
                    ring_wake: false,
                })
                .collect(),
            bell: 0,
            owner_parked: false,
            owner_bell_seen: 0,
            rang: 0,
            due: [None; NON_OWNERS],
        };
        let mut seen = HashSet::new();
        let mut parent: std::collections::HashMap<State, State> = Default::default();
        let mut stack = vec![start];
        while let Some(s) = stack.pop() {
            if !seen.insert(s.clone()) {
                continue;
            }
            // MODEL_TRACE=1: print the path to a state that breaks an invariant.
            if std::env::var_os("MODEL_TRACE").is_some()
                && std::panic::catch_unwind(|| check(&s)).is_err()
            {
                let mut path = vec![s.clone()];
                while let Some(p) = parent.get(path.last().unwrap()) {
                    path.push(p.clone());
                }
                for st in path.iter().rev() {
                    eprintln!("{st:?}");
                }
            }
            check(&s);
            let mut next = Vec::new();
            if s.owner_pc != FINISHED && !s.owner_asleep && !s.owner_parked {
                next.extend(step_owner(&s, broken));
            }
            if !s.buffer.is_empty() {
                // The oldest buffered store reaches memory.
                let mut n = s.clone();
                n.presence = n.buffer.remove(0);
                next.push(n);
            }
            for i in 0..NON_OWNERS {
                if s.non_owners[i].pc != FINISHED && !s.non_owners[i].asleep {
                    next.extend(step_non_owner(&s, i, broken));
                }
            }
            if next.is_empty() {
                assert!(!s.owner_asleep, "lost wake-up: the owner sleeps: {s:?}");
                if kind == Kind::Trying {
                    // A serving owner ends parked on its bell, with nothing pending.
                    assert!(s.owner_parked, "the owner is stuck: {s:?}");
                } else {
                    assert_eq!(s.owner_pc, FINISHED, "the owner is stuck: {s:?}");
                }
                for (i, c) in s.non_owners.iter().enumerate() {
                    assert!(!c.asleep, "lost wake-up: non-owner {i} sleeps: {s:?}");
                    assert_eq!(
                        c.pc, FINISHED,
                        "lost wake-up: non-owner {i} stuck at pc {} in {s:?}",
                        c.pc
                    );
                    assert_eq!(c.ran_here + c.ran_on_owner, calls);
                }
            }
            for n in &next {
                parent.entry(n.clone()).or_insert_with(|| s.clone());
            }
            stack.extend(next);
        }
        seen.len()
    }

    #[test]
    fn engine_lock_owner_and_two_non_owners() {
        let states = explore(2, 1, Kind::Exclusive, Broken::None);
        println!("{states} states");
    }

    #[test]
    fn engine_lock_non_owners_call_twice() {
        let states = explore(1, 2, Kind::Exclusive, Broken::None);
        println!("{states} states");
    }

    #[test]
    fn engine_lock_two_readers() {
        let states = explore(2, 1, Kind::Shared, Broken::None);
        println!("{states} states");
    }

    #[test]
    fn engine_lock_two_readers_waiting_for_the_owner() {
        let states = explore(2, 1, Kind::SharedWaiting, Broken::None);
        println!("{states} states");
    }

    /// Calls run on their callers while the serving owner is parked, and are handed to it
    /// (which takes the engine in turn) while another caller holds it.
    #[test]
    fn engine_lock_serving_owner_and_two_trying_callers() {
        let states = explore(0, 2, Kind::Trying, Broken::None);
        println!("{states} states");
    }

    fn fails_with(broken: Broken, owner_calls: u8, calls: u8, message: &str) {
        fails_in(Kind::Exclusive, broken, owner_calls, calls, message)
    }

    fn fails_in(kind: Kind, broken: Broken, owner_calls: u8, calls: u8, message: &str) {
        let r = std::panic::catch_unwind(|| explore(owner_calls, calls, kind, broken));
        let msg = r.expect_err("the broken protocol was not caught");
        let msg = msg
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| msg.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        assert!(msg.contains(message), "{msg}");
    }

    /// Without the barrier, a non-owner misses the owner's buffered presence.
    #[test]
    fn engine_lock_model_catches_a_missing_barrier() {
        fails_with(Broken::NoBarrier, 1, 1, "two evaluators");
    }

    /// A caller that hands its call over without ATTENTION can be left waiting.
    #[test]
    fn engine_lock_model_catches_a_missing_attention() {
        fails_with(Broken::NoAttention, 1, 1, "lost wake-up");
    }

    /// Joining an admitted group while the owner waits lets non-owners overtake it.
    #[test]
    fn engine_lock_model_catches_overtaking_the_owner() {
        fails_with(Broken::JoinWhileOwnerWaits, 1, 2, "while the owner waited");
    }

    /// A serving owner that runs its pass without waiting for the holder runs beside it.
    #[test]
    fn engine_lock_model_catches_a_pass_beside_a_holder() {
        fails_in(Kind::Trying, Broken::NoOwnerTake, 0, 1, "two evaluators");
    }

    /// A caller that hands its call to a parked owner without ringing is never served.
    #[test]
    fn engine_lock_model_catches_a_missing_ring() {
        fails_in(Kind::Trying, Broken::NoRing, 0, 1, "lost wake-up");
    }
}
