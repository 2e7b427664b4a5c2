//! The registry of slots: one per calling thread, claimed on a thread's first trampolined call
//! and given back when the thread exits, so a process may create threads without limit as long
//! as at most `MAX_SLOTS` use the engine at the same time. Slots are never freed (a late
//! FUTEX_WAKE on a recycled slot is harmless), and are allocated 64 at a time.
//!
//! | array     | bit i means                          | set by                  | cleared by |
//! |-----------|--------------------------------------|-------------------------|------------|
//! | `in_use`  | slot i belongs to a live thread      | `claim`                 | thread exit |
//! | `pending` | slot i may hold a posted job         | caller, after posting   | owner, when it scans |
//!
//! A pending bit may be stale (the job was withdrawn or already answered): taking a job is a
//! CAS on the slot's own word, so a stale bit costs one failed check and nothing else.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::*};

use crossbeam_utils::CachePadded;

use crate::obj::{Error, Result};
use crate::sys::slot::{Chunk, Slot};

const WORDS: usize = 64;
/// At most this many threads may be calling the engine at the same time.
pub const MAX_SLOTS: usize = WORDS * 64;

struct Registry {
    chunks: [Chunk; WORDS],
    in_use: [AtomicU64; WORDS],
    /// One more than the highest slot index ever claimed.
    high_water: AtomicUsize,
    pending: CachePadded<[AtomicU64; WORDS]>,
}

static REGISTRY: Registry = Registry {
    chunks: [const { Chunk::new() }; WORDS],
    in_use: [const { AtomicU64::new(0) }; WORDS],
    high_water: AtomicUsize::new(0),
    pending: CachePadded::new([const { AtomicU64::new(0) }; WORDS]),
};

/// The slot with index `i` (which must have been claimed at least once).
pub fn slot(i: usize) -> &'static Slot {
    REGISTRY.chunks[i / 64].get(i % 64)
}

fn claim() -> Result<usize> {
    for (w, word) in REGISTRY.in_use.iter().enumerate() {
        let mut cur = word.load(Relaxed);
        while cur != u64::MAX {
            let bit = (!cur).trailing_zeros() as usize;
            match word.compare_exchange_weak(cur, cur | 1 << bit, Acquire, Relaxed) {
                Ok(_) => {
                    let i = w * 64 + bit;
                    slot(i);
                    REGISTRY.high_water.fetch_max(i + 1, Release);
                    return Ok(i);
                }
                Err(now) => cur = now,
            }
        }
    }
    Err(Error::new("threads"))
}

fn release(i: usize) {
    REGISTRY.in_use[i / 64].fetch_and(!(1 << (i % 64)), Release);
}

/// A thread's claim on its slot, given back when the thread exits.
struct Claim(Result<usize>);

impl Drop for Claim {
    fn drop(&mut self) {
        if let Ok(i) = self.0 {
            release(i);
        }
    }
}

thread_local! {
    static MY_SLOT: Claim = {
        let c = claim();
        MY_INDEX.with(|m| m.set(c.as_ref().ok().copied()));
        Claim(c)
    };
    /// This thread's slot, readable without claiming one (a fork's child handler).
    static MY_INDEX: Cell<Option<usize>> = const { Cell::new(None) };
}

/// Runs `f` with this thread's slot index. During thread exit (after the thread's own claim
/// was given back) a slot is claimed for this one call.
pub fn with_my_slot<T>(f: impl FnOnce(usize) -> T) -> Result<T> {
    match MY_SLOT.try_with(|c| c.0) {
        Ok(Ok(i)) => Ok(f(i)),
        Ok(Err(e)) => Err(e),
        Err(_) => {
            let once = Claim(claim());
            once.0.map(f)
        }
    }
}

/// Marks slot `i` pending. SeqCst: it pairs with the owner's doorbell check (see `doorbell`).
pub fn mark_pending(i: usize) {
    REGISTRY.pending[i / 64].fetch_or(1 << (i % 64), SeqCst);
}

/// Takes the pending bits of every word, starting at word `start` (round robin), calling `f`
/// with each pending slot index. Returns how many indices `f` was given.
pub fn take_pending(start: usize, mut f: impl FnMut(usize)) -> usize {
    let words = REGISTRY.high_water.load(Acquire).div_ceil(64);
    let mut n = 0;
    for k in 0..words {
        let w = (start + k) % words;
        let mut bits = REGISTRY.pending[w].swap(0, SeqCst);
        while bits != 0 {
            let b = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            n += 1;
            f(w * 64 + b);
        }
    }
    n
}

/// In a forked child (one thread, this one): nothing is pending, and every slot but this
/// thread's is free (their threads are gone).
pub fn reset_in_child() {
    let mine = MY_INDEX.try_with(|m| m.get()).ok().flatten();
    let high = REGISTRY.high_water.load(Acquire);
    for i in 0..high {
        if let Some(s) = REGISTRY.chunks[i / 64].get_if_made(i % 64) {
            s.reset_in_child();
        }
    }
    for (w, word) in REGISTRY.in_use.iter().enumerate() {
        let keep = mine
            .filter(|&i| i / 64 == w)
            .map_or(0, |i| 1u64 << (i % 64));
        word.store(keep, SeqCst);
        REGISTRY.pending[w].store(0, SeqCst);
    }
}
