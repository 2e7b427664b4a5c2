//! An exhaustive interleaving check of the owner protocol: the slot state word
//! (`src/ffi/slot.rs`), the pending bitmap (`src/owner/registry.rs`), the doorbell
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

use std::collections::HashSet;

// Slot phases and bits, as in src/ffi/slot.rs.
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
