//! The owner's side: scanning the pending slots (round robin, every pending slot once per
//! pass), serving them on entry to its own calls, on its way out of a call during which calls
//! were handed to it, in `kx_serve`, and while it waits on a socket; and refusing them after
//! shutdown or when a default-mode owner exits.
//!
//! Serving is not re-entrant: a job that calls `kx_serve` or waits on a socket while being
//! served does not serve others (`SERVING`, touched only by the owner thread).
//!
//! A serving loop (`kx_serve`, a socket wait, the dedicated owner thread) raises `LOOP` for
//! callers to see: while it is up a caller that finds the engine busy hands its call over (the
//! loop will take the engine in turn and run it) rather than wait for the lock. The loop is
//! inside the engine only while it runs a pass, so callers run their calls themselves while it
//! waits. After lowering `LOOP` it makes one more pass (SeqCst on both sides: a caller that saw
//! `LOOP` up posted before that pass scans).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::*};
use std::time::{Duration, Instant};

use super::{doorbell, event_loop, gate, lifecycle, registry};
use crate::sys::{event_fd, handoff, slot};

/// Where the next pass starts (bitmap word), so no slot is always served first.
static CURSOR: AtomicUsize = AtomicUsize::new(0);
static SERVING: AtomicBool = AtomicBool::new(false);
/// The owner is in a serving loop: calls are handed to it.
static LOOP: AtomicBool = AtomicBool::new(false);

/// Whether the owner is in a serving loop, or a host loop serves for it (`kx_notify_fd`): a
/// caller then hands its call over (it reads this after posting, SeqCst).
pub fn looping() -> bool {
    LOOP.load(SeqCst) || doorbell::host_loop()
}

/// A pass with the owner inside the engine (a serving loop waits outside it).
fn pass_inside() -> usize {
    gate::enter_owner();
    let ran = pass();
    gate::leave_serving();
    ran
}

/// Runs a serving loop: `LOOP` up while `body` runs, then one more pass.
fn in_loop(body: impl FnOnce() -> usize) -> usize {
    LOOP.store(true, SeqCst);
    struct Lower;
    impl Drop for Lower {
        fn drop(&mut self) {
            LOOP.store(false, SeqCst);
        }
    }
    let lower = Lower;
    let ran = body();
    drop(lower);
    ran + pass_inside()
}

/// One pass: silences the bell, then serves (or, after shutdown, refuses) every slot marked
/// pending. Returns how many jobs ran.
fn pass() -> usize {
    handoff::note(handoff::Side::Server);
    doorbell::clear();
    let start = CURSOR.load(Relaxed);
    CURSOR.store(start.wrapping_add(1), Relaxed);
    let mut ran = 0;
    let mut sleepers = false;
    registry::take_pending(start, |i| {
        let slot = registry::slot(i);
        let answered = if lifecycle::is_shut() {
            slot.refuse()
        } else {
            let served = slot.serve();
            ran += served.is_some() as usize;
            served
        };
        sleepers |= answered == Some(true);
    });
    if sleepers {
        slot::wake_sleepers();
    }
    ran
}

/// Runs `f` with the serving flag held; None if already serving (a nested call).
fn serving<T>(f: impl FnOnce() -> T) -> Option<T> {
    if SERVING.load(Relaxed) {
        return None;
    }
    SERVING.store(true, Relaxed);
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            SERVING.store(false, Relaxed);
        }
    }
    let _reset = Reset;
    Some(f())
}

/// An owner-bound call on the owner with the bell rung: one pass before the call runs, so the
/// owner's own work and its callers take turns.
#[cold]
#[inline(never)]
pub fn on_entry() {
    serving(pass);
}

/// The owner left a call with calls handed to it meanwhile (their callers saw it inside):
/// one pass, inside again, to answer them; what is handed over after that pass is refused
/// (its callers find the owner away and take the engine themselves), so leaving is bounded.
#[cold]
#[inline(never)]
pub fn on_exit() {
    use crate::sys::engine_lock as lock;
    // The entry serves what is pending (the bell rang for each of those calls).
    gate::enter_owner();
    lock::presence_down();
    lock::owner_left();
    if lock::word() & lock::ATTENTION != 0 {
        doorbell::clear();
        refuse_all();
    }
}

/// Answers every posted job with "refused". Any thread may do this (after `shut`/`resign`).
pub fn refuse_all() {
    let mut sleepers = false;
    registry::take_pending(0, |i| {
        sleepers |= registry::slot(i).refuse() == Some(true);
    });
    if sleepers {
        slot::wake_sleepers();
    }
}

/// `kx_serve` on the owner: serves until `timeout` passes (None: until shutdown), sleeping
/// while nothing is pending, and runs the callbacks of `sd1` descriptors that are ready. Zero
/// serves what is pending, runs the ready callbacks and returns. Returns jobs run.
pub fn serve_for(timeout: Option<Duration>) -> usize {
    serving(|| {
        // The server's stand-in stands aside while this loop polls the server itself.
        crate::net::server::owner_looping(true);
        struct Leave;
        impl Drop for Leave {
            fn drop(&mut self) {
                crate::net::server::owner_looping(false);
            }
        }
        let _leave = Leave;
        in_loop(|| serve_until(timeout))
    })
    .unwrap_or(0)
}

fn serve_until(timeout: Option<Duration>) -> usize {
    let deadline = timeout.map(|t| Instant::now() + t);
    let mut ran = 0;
    let mut linger = LINGER;
    loop {
        let served = pass_inside();
        ran += served;
        if lifecycle::is_shut() {
            refuse_all();
            return ran;
        }
        let remaining = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        let expired = remaining.is_some_and(|r| r.is_zero());
        if event_loop::has_sources() {
            event_loop::turn(remaining);
        } else if !expired {
            // A caller answered just now is likely to call again at once (a host's loop of
            // calls): wait for it a little before sleeping, spinning only while callers run on
            // another CPU (`handoff`). A linger that catches nothing halves the next one, so
            // an owner whose callers come seldom soon sleeps at once again.
            if served > 0 && linger >= MIN_LINGER {
                if lingered(linger.min(remaining.unwrap_or(linger))) {
                    linger = LINGER;
                    continue;
                }
                linger /= 2;
            }
            // Then asleep until rung: on a loaded machine a spinning owner would hold the core
            // its next caller needs (or be preempted by other processes anyway).
            let slept = Instant::now();
            doorbell::park(remaining);
            if slept.elapsed() < LINGER {
                linger = LINGER;
            }
        }
        if expired {
            return ran;
        }
    }
}

/// How long the owner waits for the next call after answering one before it sleeps.
const LINGER: Duration = Duration::from_micros(20);
/// A shorter linger is not worth starting.
const MIN_LINGER: Duration = Duration::from_micros(1);

/// Waits up to `budget` for the bell, spinning or yielding as `handoff` says; whether it rang.
fn lingered(budget: Duration) -> bool {
    let start = Instant::now();
    loop {
        if doorbell::is_rung() {
            return true;
        }
        if start.elapsed() >= budget {
            return false;
        }
        handoff::step(handoff::Side::Server);
    }
}

/// Blocks until `fd` is ready for `events` (POLLIN, POLLOUT) or `timeout` passes (None: no
/// limit); returns whether it is ready. On the owner thread (outside a served job) it serves
/// trampolined calls while it waits; elsewhere it is a plain poll.
pub fn wait_fd(fd: i32, events: i16, timeout: Option<Duration>) -> bool {
    let deadline = timeout.map(|t| Instant::now() + t);
    let remaining = || deadline.map(|d| d.saturating_duration_since(Instant::now()));
    let expired = || deadline.is_some_and(|d| Instant::now() >= d);
    let plain = || loop {
        // Retried after a signal until the deadline.
        if event_fd::poll_two(fd, events, -1, remaining()).fd {
            return true;
        }
        if expired() {
            return false;
        }
    };
    if !lifecycle::is_owner() {
        return plain();
    }
    let Some(bell) = doorbell::event_fd() else {
        return plain();
    };
    let waited = serving(|| {
        let mut ready = false;
        in_loop(|| {
            ready = wait_serving(fd, events, bell, &remaining, &expired);
            0
        });
        ready
    });
    waited.unwrap_or_else(plain)
}

/// `wait_fd`'s serving loop: passes, and polls `fd` with the doorbell between them.
fn wait_serving(
    fd: i32,
    events: i16,
    bell: &event_fd::EventFd,
    remaining: &dyn Fn() -> Option<Duration>,
    expired: &dyn Fn() -> bool,
) -> bool {
    loop {
        pass_inside();
        if doorbell::watch_fd() {
            let ready = event_fd::poll_two(fd, events, bell.fd(), remaining());
            if ready.bell {
                // Rung while we polled: the next pass clears the bell and scans.
                bell.drain();
            }
            doorbell::unwatch_fd();
            if ready.fd {
                return true;
            }
        }
        if expired() {
            return false;
        }
    }
}

/// In a forked child: no serving loop runs (the thread that ran one is gone, or is this one,
/// which is forking, not serving).
pub fn reset_in_child() {
    LOOP.store(false, SeqCst);
    SERVING.store(false, SeqCst);
}
