//! The owner's gate: the check every owner-bound call makes on entry and on exit, over the
//! engine lock's write side (`sys::engine_lock`, whose table says what each word and bit is).
//!
//! Entry (`enter`): one plain load and compare of the owner word with this thread's pointer
//! (not the owner, or a hint bit set: the caller takes the slow route); then the owner's
//! presence goes up (one plain add) and the word is compared again (a non-owner may have
//! come in, or a call may be waiting: presence down again, and the slow route). Exit
//! (`leave`): presence down (one plain subtract), and the same compare (`left_contended`).
//! No read-modify-write, no fence; the other side pays with an asymmetric barrier.

use super::{doorbell, serve};
use crate::sys::{engine_lock as lock, thread_pointer};

/// Whether the calling thread is the owner and may run inline now (nothing waits, no other
/// thread holds the engine); if so its presence is up and it must call `leave` when done. If
/// not, nothing changed: the caller routes the call (`trampoline`), whose slow entry does what
/// the hints ask. Nothing stays live across a call here, so the caller saves no registers.
#[inline(always)]
pub fn enter() -> bool {
    lock::owner_enter()
}

/// The owner leaves what `enter` (or `enter_owner`) entered.
#[inline(always)]
pub fn leave() {
    if !lock::owner_leave() {
        left_contended();
    }
}

/// `leave` for a caller that returns `r` right after: the slow exit takes and gives back `r`,
/// so the fast path keeps nothing in a saved register across it.
#[inline(always)]
pub fn leave_with<R>(r: R) -> R {
    if lock::owner_leave() {
        r
    } else {
        left_contended_with(r)
    }
}

#[cold]
#[inline(never)]
fn left_contended_with<R>(r: R) -> R {
    left_contended();
    r
}

/// Leaves on drop (so a panic unwinding out of the owner's call leaves too).
pub struct Leave;

impl Drop for Leave {
    #[inline(always)]
    fn drop(&mut self) {
        leave()
    }
}

/// The owner's slow entry (its fast check failed on a hint bit): presence up, waits for
/// non-owner holders to leave, then serves the trampolined calls that wait (one pass) before
/// its own call runs.
#[cold]
#[inline(never)]
pub fn enter_owner() {
    debug_assert!(is_owner());
    lock::presence_up();
    lock::owner_take();
    if doorbell::is_rung() {
        serve::on_entry();
    }
}

/// The owner left with a hint set: once it is out (not nested), wakes the threads waiting for
/// it to leave and answers the calls handed to it while it was inside.
#[cold]
#[inline(never)]
fn left_contended() {
    if lock::presence() != 0 {
        return;
    }
    lock::owner_left();
    if lock::word() & lock::ATTENTION != 0 {
        serve::on_exit();
    }
}

/// The owner inside the engine for a serving loop's work (callbacks, the server's requests,
/// the timer): the slow entry now, `leave_serving` on drop.
pub struct Inside;

impl Inside {
    pub fn serving() -> Inside {
        enter_owner();
        Inside
    }
}

impl Drop for Inside {
    fn drop(&mut self) {
        leave_serving()
    }
}

/// Leaves without answering waiting calls (a serving loop answers them itself).
pub fn leave_serving() {
    if !lock::owner_leave() {
        lock::owner_left();
    }
}

/// Whether the calling thread is the owner (a plain load: only a thread itself stores its own
/// pointer, and it clears it before it exits).
#[inline]
pub fn is_owner() -> bool {
    lock::word() & !lock::BITS == thread_pointer::current()
}

/// The owner's thread pointer, or 0.
pub fn owner() -> usize {
    lock::owner()
}

/// Replaces the owner `from` with `to` (keeping the hint bits); false if the owner was not
/// `from`.
pub fn replace_owner(from: usize, to: usize) -> bool {
    lock::replace_owner(from, to)
}

/// Caller, after ringing: makes the owner's checks fail until it has scanned.
pub fn call_attention() {
    lock::set_bits(lock::ATTENTION);
}

/// Owner, before scanning.
pub fn clear_attention() {
    lock::clear_bits(lock::ATTENTION);
}
