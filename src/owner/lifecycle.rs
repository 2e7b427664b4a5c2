//! Who the owner is, which mode the library runs in, and whether it was shut down.
//!
//! | word    | values                                   | written by |
//! |---------|------------------------------------------|------------|
//! | owner word (`gate`) | 0 (no owner) or the owner's thread pointer | default mode: the claiming thread (CAS from 0), cleared by it when it exits; dedicated mode: the owner thread |
//! | `MODE`  | undecided, default, dedicated, read-parallel | first owner-bound call (from `LIBQ_THREADING`) or `kx_threading`, once |
//! | `SHUT`  | false, then true for good                | `shutdown_thread` or process exit |
//!
//! The owner check is one plain load of the owner word and a compare (see `gate`).

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering::*};

use super::gate;
use crate::obj::{Error, Result};
use crate::sys::thread_pointer;

static MODE: AtomicU32 = AtomicU32::new(UNDECIDED);
static SHUT: AtomicBool = AtomicBool::new(false);

const UNDECIDED: u32 = 0;
const DEFAULT: u32 = 1;
const DEDICATED: u32 = 2;
const READ_PARALLEL: u32 = 3;

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Mode {
    /// The first thread to call becomes the owner and serves while inside the library; when
    /// it is away, another thread takes the engine for its call.
    Default,
    /// The library's own thread is the owner and serves; a host thread's `k(0,...)` or `dot`
    /// runs on that thread while the engine is free and is trampolined while it is busy; its
    /// other calls always trampoline.
    Dedicated,
    /// As default, but `k(0,...)` and `dot` from other threads evaluate read-only on their
    /// own threads, at the same time (`'noupdate` on a global write).
    ReadParallel,
}

impl Mode {
    fn code(self) -> u32 {
        match self {
            Mode::Default => DEFAULT,
            Mode::Dedicated => DEDICATED,
            Mode::ReadParallel => READ_PARALLEL,
        }
    }
}

/// Whether the calling thread is the owner: one load and one compare.
#[inline(always)]
pub fn is_owner() -> bool {
    gate::is_owner()
}

/// Whether there is no owner now.
pub fn owner_absent() -> bool {
    gate::owner() == 0
}

/// The mode, deciding it from `LIBQ_THREADING` on first use.
pub fn mode() -> Mode {
    let m = match MODE.load(Acquire) {
        UNDECIDED => {
            let want = match std::env::var_os("LIBQ_THREADING") {
                Some(v) if v == "1" => DEDICATED,
                Some(v) if v == "2" => READ_PARALLEL,
                _ => DEFAULT,
            };
            match MODE.compare_exchange(UNDECIDED, want, AcqRel, Acquire) {
                Ok(_) => want,
                Err(now) => now,
            }
        }
        m => m,
    };
    match m {
        DEDICATED => Mode::Dedicated,
        READ_PARALLEL => Mode::ReadParallel,
        _ => Mode::Default,
    }
}

/// `kx_threading`: chooses the mode before first use. Choosing the mode already in force is
/// fine; changing it after first use is an error.
pub fn choose_mode(mode: Mode) -> Result<Mode> {
    let want = mode.code();
    match MODE.compare_exchange(UNDECIDED, want, AcqRel, Acquire) {
        Ok(_) => Ok(mode),
        Err(now) if now == want => Ok(mode),
        Err(_) => Err(Error::new("threading")),
    }
}

/// Default mode: makes the calling thread the owner if there is none. Ownership is given up
/// when the thread exits (see `OwnerExit`).
pub fn claim() -> bool {
    let me = thread_pointer::current();
    if !gate::replace_owner(0, me) {
        return false;
    }
    // Touching the thread-local registers its destructor.
    OWNER_EXIT.with(|_| ());
    install_network_wait();
    true
}

/// Dedicated mode: the owner thread takes over.
pub fn become_owner() {
    let me = thread_pointer::current();
    while !gate::replace_owner(gate::owner(), me) {}
    install_network_wait();
}

/// From the first owner on, the owner keeps serving trampolined calls while it blocks on a
/// connection (the network layer uses the hook on the owner thread only), and forks leave the
/// child a working engine (`fork`).
fn install_network_wait() {
    super::fork::install();
    crate::net::wait::set_hook(crate::net::wait::WaitHook {
        applies: super::is_owner,
        wait: super::net_wait,
    });
    crate::net::server::set_owner_hooks(crate::net::server::OwnerHooks {
        run: super::run_for_network,
        loop_if_owner: super::loop_if_owner,
    });
}

/// The owner gives up ownership (dedicated thread stopping, or default owner exiting): it is
/// away from now on.
pub fn resign() {
    let me = thread_pointer::current();
    if gate::replace_owner(me, 0) {
        crate::sys::engine_lock::reset_presence();
    }
}

/// Whether a job posted now will be served or refused by someone (read after posting, SeqCst:
/// it pairs with `resign`/`shut` followed by a refusing scan). In default mode: the owner is
/// in a serving loop (it scans once more after leaving it), or it is inside the engine (it
/// answers on its way out: the attention bit makes its exit check fail, and the barrier in
/// `owner_inside` orders that bit against its presence).
pub fn accepting() -> bool {
    if SHUT.load(SeqCst) {
        return false;
    }
    match mode() {
        Mode::Dedicated => true,
        Mode::Default | Mode::ReadParallel => {
            gate::owner() != 0 && {
                super::serve::looping() || {
                    gate::call_attention();
                    crate::sys::engine_lock::owner_inside()
                }
            }
        }
    }
}

pub fn is_shut() -> bool {
    SHUT.load(SeqCst)
}

pub fn shut() {
    SHUT.store(true, SeqCst);
}

pub fn shutdown_error() -> Error {
    Error::new("shutdown")
}

/// On the default-mode owner: gives up ownership when the thread exits, and answers its
/// pending callers so they route again (one of them becomes the owner).
struct OwnerExit;

impl Drop for OwnerExit {
    fn drop(&mut self) {
        if is_owner() {
            resign();
            super::serve::refuse_all();
        }
    }
}

thread_local! {
    static OWNER_EXIT: OwnerExit = const { OwnerExit };
}
