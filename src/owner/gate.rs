//! The owner word: who the owner is, and whether a trampolined call waits, in one word, so the
//! owner's inline check is one load and one compare with its thread pointer (no
//! read-modify-write, no syscall).
//!
//! | bits | meaning                                                     | set by | cleared by |
//! |------|-------------------------------------------------------------|--------|------------|
//! | 0    | `ATTENTION`: a caller rang since the owner last scanned (a copy of the bell's `RUNG`, see `doorbell`) | caller, after ringing | owner, before scanning |
//! | 1-63 | the owner's thread pointer (aligned, so bit 0 is free), or 0 for no owner | see `lifecycle` | see `lifecycle` |
//!
//! The inline path runs when the word equals this thread's pointer: the owner, and no
//! attention. The bit is only a hint for that check; the doorbell's own protocol decides who
//! wakes whom, so a stale bit costs at most one pass that finds nothing.

use std::sync::atomic::{AtomicUsize, Ordering::*};

use crate::sys::thread_pointer;

const ATTENTION: usize = 1;

static OWNER_WORD: AtomicUsize = AtomicUsize::new(0);

/// Whether the calling thread is the owner and no trampolined call waits.
#[inline(always)]
pub fn inline_ready() -> bool {
    OWNER_WORD.load(Relaxed) == thread_pointer::current()
}

/// Whether the calling thread is the owner (a plain load: only a thread itself stores its own
/// pointer, and it clears it before it exits).
#[inline]
pub fn is_owner() -> bool {
    OWNER_WORD.load(Relaxed) & !ATTENTION == thread_pointer::current()
}

/// The owner's thread pointer, or 0.
pub fn owner() -> usize {
    OWNER_WORD.load(SeqCst) & !ATTENTION
}

/// Replaces the owner `from` with `to` (keeping the attention bit); false if the owner was not
/// `from`.
pub fn replace_owner(from: usize, to: usize) -> bool {
    OWNER_WORD
        .fetch_update(SeqCst, Relaxed, |w| {
            (w & !ATTENTION == from).then_some(to | (w & ATTENTION))
        })
        .is_ok()
}

/// Caller, after ringing: makes the owner's inline check fail until it has scanned.
pub fn call_attention() {
    OWNER_WORD.fetch_or(ATTENTION, SeqCst);
}

/// Owner, before scanning.
pub fn clear_attention() {
    OWNER_WORD.fetch_and(!ATTENTION, SeqCst);
}
