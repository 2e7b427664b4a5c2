//! The owner's doorbell: how a caller that posted a job gets the owner's attention, waking it
//! only when it waits.
//!
//! # Bell word (`BELL`)
//!
//! | bit | name           | meaning                                              | set by | cleared by |
//! |-----|----------------|------------------------------------------------------|--------|------------|
//! | 0   | `RUNG`         | a job was posted since the owner last scanned        | caller | owner, before it scans |
//! | 1   | `FUTEX_WAITER` | the owner sleeps (or is about to) in FUTEX_WAIT here | owner  | owner |
//! | 2   | `FD_WAITER`    | the eventfd is watched: the owner polls a socket, or a host loop asked for `kx_notify_fd` (then it stays set) | owner, `kx_notify_fd` | owner |
//!
//! # No lost wake-up
//!
//! A caller marks its slot pending (SeqCst), then reads the bell (SeqCst): if `RUNG` is
//! clear it sets it and, if the old word had a waiter bit, wakes the futex or signals the
//! eventfd. The owner clears `RUNG` (SeqCst) before it scans the pending bits, and sleeps only
//! with the value it last saw, `RUNG` clear. Either the caller sees `RUNG` clear and rings, or
//! the owner's clear came after the caller's read, so its scan sees the caller's pending bit.
//! The eventfd is drained before `RUNG` is cleared, so `RUNG` set implies the fd is readable
//! or the owner is about to scan.
//!
//! A caller that sets `RUNG` then sets the owner word's attention bit (`gate`), which the owner
//! clears before `RUNG`: so after any ring the owner's inline check fails until it has scanned.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering::*};
use std::sync::OnceLock;
use std::time::Duration;

use crossbeam_utils::CachePadded;

use super::gate;
use crate::sys::event_fd::EventFd;
use crate::sys::futex;

const RUNG: u32 = 1;
const FUTEX_WAITER: u32 = 2;
const FD_WAITER: u32 = 4;

static BELL: CachePadded<AtomicU32> = CachePadded::new(AtomicU32::new(0));
static EVENT_FD: OnceLock<Option<EventFd>> = OnceLock::new();
/// A host loop polls the eventfd (`kx_notify_fd` was called): `FD_WAITER` stays set.
static STICKY_FD: AtomicBool = AtomicBool::new(false);

/// The eventfd, created on first use (None if the system refused one).
pub fn event_fd() -> Option<&'static EventFd> {
    EVENT_FD.get_or_init(|| EventFd::new().ok()).as_ref()
}

/// Caller: rings after marking its slot pending.
pub fn ring() {
    if BELL.load(SeqCst) & RUNG != 0 {
        return;
    }
    let old = BELL.fetch_or(RUNG, SeqCst);
    if old & RUNG != 0 {
        return;
    }
    gate::call_attention();
    if old & FUTEX_WAITER != 0 {
        futex::wake(&BELL, 1);
    }
    if old & FD_WAITER != 0 {
        if let Some(e) = event_fd() {
            e.signal();
        }
    }
}

/// Owner: whether anyone rang since the last `clear` (a plain load).
#[inline(always)]
pub fn is_rung() -> bool {
    BELL.load(Relaxed) & RUNG != 0
}

/// Owner: silences the bell before scanning the pending bits.
pub fn clear() {
    if BELL.load(Relaxed) & FD_WAITER != 0 {
        if let Some(e) = EVENT_FD.get().and_then(Option::as_ref) {
            e.drain();
        }
    }
    gate::clear_attention();
    BELL.fetch_and(!RUNG, SeqCst);
}

/// Owner: sleeps until rung or `timeout` passes (None: no limit), unless already rung.
pub fn park(timeout: Option<Duration>) {
    let seen = BELL.fetch_or(FUTEX_WAITER, SeqCst) | FUTEX_WAITER;
    if seen & RUNG == 0 {
        futex::wait(&BELL, seen, timeout);
    }
    BELL.fetch_and(!FUTEX_WAITER, Relaxed);
}

/// Owner: announces that it is about to poll the eventfd; returns false (and undoes it) if
/// the bell already rang, in which case it should scan instead of polling.
pub fn watch_fd() -> bool {
    let seen = BELL.fetch_or(FD_WAITER, SeqCst);
    if seen & RUNG != 0 {
        unwatch_fd();
        return false;
    }
    true
}

/// Owner: stops watching the eventfd (unless a host loop watches it for good).
pub fn unwatch_fd() {
    if !STICKY_FD.load(Relaxed) {
        BELL.fetch_and(!FD_WAITER, Relaxed);
    }
}

/// Whether a host loop watches the eventfd (`kx_notify_fd` was called): it promised to call
/// `kx_serve` when the descriptor is readable, so calls are handed to it.
pub fn host_loop() -> bool {
    STICKY_FD.load(SeqCst)
}

/// `kx_notify_fd`: from now on every ring also makes the eventfd readable. Returns the fd.
pub fn notify_fd() -> Option<i32> {
    let e = event_fd()?;
    if !STICKY_FD.swap(true, SeqCst) {
        let old = BELL.fetch_or(FD_WAITER, SeqCst);
        if old & RUNG != 0 {
            e.signal();
        }
    }
    Some(e.fd())
}

/// In a forked child: nobody rang, nobody waits (a host loop's eventfd stays watched).
pub fn reset_in_child() {
    let sticky = if STICKY_FD.load(SeqCst) { FD_WAITER } else { 0 };
    BELL.store(sticky, SeqCst);
}
