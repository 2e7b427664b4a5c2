//! fork(2) handlers: a forked child has only the thread that forked, so every lock another
//! thread held at that moment would stay held in the child for ever. Each layer that owns a
//! lock adds a handler set here (`add`); one `pthread_atfork` triple, registered on the first
//! `add`, runs them:
//!
//! - `prepare` (in the parent, before the fork): outermost rank first, so a layer takes its
//!   locks before the layers below it, in the order the code nests them (the engine before
//!   symbols, symbols before allocator caches);
//! - `parent` and `child` (after it, in each process): innermost rank first, releasing what
//!   `prepare` took; `child` also resets what belonged to threads the child does not have.
//!
//! Handlers run on the forking thread, with no lock of this module held (the table is a
//! fixed array filled once per rank), and must not allocate in `child` before the locks they
//! release are released (malloc's own are glibc's).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::*};

/// One layer's handlers.
#[derive(Copy, Clone)]
pub struct Handlers {
    pub prepare: fn(),
    pub parent: fn(),
    pub child: fn(),
}

/// Where a layer's handlers run relative to the others: higher ranks are outer layers (their
/// locks are taken first).
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Rank {
    /// Allocator caches (innermost).
    Alloc = 0,
    /// The symbol table.
    Symbols = 1,
    /// The network layer's handle table.
    Net = 2,
    /// The engine lock and the owner's registry (outermost).
    Engine = 3,
}

const RANKS: usize = 4;

/// Handlers by rank: 0 = none, else a leaked `Handlers`.
static TABLE: [AtomicUsize; RANKS] = [const { AtomicUsize::new(0) }; RANKS];
static REGISTERED: AtomicBool = AtomicBool::new(false);

fn at(rank: usize) -> Option<&'static Handlers> {
    let p = TABLE[rank].load(Acquire) as *const Handlers;
    // SAFETY: a non-null value is a leaked Box stored once by `add`.
    unsafe { p.as_ref() }
}

extern "C" fn prepare() {
    for r in (0..RANKS).rev() {
        if let Some(h) = at(r) {
            (h.prepare)();
        }
    }
}

extern "C" fn parent() {
    for r in 0..RANKS {
        if let Some(h) = at(r) {
            (h.parent)();
        }
    }
}

extern "C" fn child() {
    for r in 0..RANKS {
        if let Some(h) = at(r) {
            (h.child)();
        }
    }
}

/// Adds `handlers` for `rank` (once per rank: a second call for the same rank is ignored).
pub fn add(rank: Rank, handlers: Handlers) {
    let slot = &TABLE[rank as usize];
    if slot.load(Acquire) != 0 {
        return;
    }
    let boxed = Box::into_raw(Box::new(handlers)) as usize;
    if slot.compare_exchange(0, boxed, AcqRel, Acquire).is_err() {
        // SAFETY: ours, never published.
        drop(unsafe { Box::from_raw(boxed as *mut Handlers) });
        return;
    }
    if !REGISTERED.swap(true, AcqRel) {
        // SAFETY: three plain functions with no arguments; pthread_atfork only stores them.
        let r = unsafe { libc::pthread_atfork(Some(prepare), Some(parent), Some(child)) };
        debug_assert_eq!(r, 0, "pthread_atfork failed");
    }
}
