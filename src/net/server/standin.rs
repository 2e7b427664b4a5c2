//! The stand-in: a network thread that watches the server's descriptors while the owner is not
//! in its serving loop (an embedded host that started a server with `qinit` or `\p` and went
//! back to its own work), and hands what it finds to the owner through the owner's trampoline.
//! While the owner loops (console, dedicated owner thread, `kx_serve`) the owner polls the same
//! descriptors itself and the stand-in sleeps.
//!
//! The seam with the concurrency work is `OwnerHooks::run`: today it trampolines (so a host
//! whose owner thread never enters the library is served once it does); where the owner is
//! away and the engine may be taken by another thread, `run` does that, and nothing here
//! changes.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Once, OnceLock};

use super::reactor;
use crate::sys::futex;
use crate::sys::poll::{self, PollFd};

/// How the owner layer lets the network run work on the owner.
pub struct OwnerHooks {
    /// Runs `job` on the owner and waits for it; false when no owner will ever run it (the
    /// library was shut down).
    pub run: fn(Box<dyn FnOnce() + Send>) -> bool,
    /// If the calling thread has become the owner (there was none, so the trampoline made it
    /// one), runs the owner's serving loop until shutdown and returns true.
    pub loop_if_owner: fn() -> bool,
}

static HOOKS: OnceLock<OwnerHooks> = OnceLock::new();
/// 1 while the owner is in its serving loop and polls the server itself.
static OWNER_LOOPING: AtomicU32 = AtomicU32::new(0);
static START: Once = Once::new();

/// Installed once by the owner layer.
pub fn set_owner_hooks(h: OwnerHooks) {
    let _ = HOOKS.set(h);
}

/// The owner enters (true) or leaves (false) its serving loop.
pub fn owner_looping(on: bool) {
    OWNER_LOOPING.store(on as u32, Ordering::SeqCst);
    if !on {
        futex::wake(&OWNER_LOOPING, 1);
    }
}

/// Starts the stand-in thread once (from the first `\p` or `\t`).
pub fn ensure_running() {
    START.call_once(|| {
        let _ = std::thread::Builder::new()
            .name("libq-net".into())
            .spawn(run);
    });
}

fn run() {
    let mut set: Vec<PollFd> = Vec::new();
    loop {
        while OWNER_LOOPING.load(Ordering::SeqCst) == 1 {
            futex::wait(&OWNER_LOOPING, 1, None);
        }
        set.clear();
        let timeout = reactor::interest(&mut set);
        poll::poll(&mut set, timeout);
        if OWNER_LOOPING.load(Ordering::SeqCst) == 1 {
            continue;
        }
        // A ring of the wake-up descriptor only means "poll again with the new set".
        for p in set.iter_mut().filter(|p| p.revents != 0) {
            if reactor::take_wake(p.fd) {
                p.revents = 0;
            }
        }
        if !reactor::timer_due() && set.iter().all(|p| p.revents == 0) {
            continue;
        }
        let ready = set.clone();
        let job = Box::new(move || reactor::dispatch(&ready));
        match HOOKS.get() {
            Some(h) => {
                if !(h.run)(job) {
                    return;
                }
                if (h.loop_if_owner)() {
                    return;
                }
            }
            // No owner layer in this process (a Rust program using the engine directly): the
            // stand-in is the only one touching it.
            None => job(),
        }
    }
}
