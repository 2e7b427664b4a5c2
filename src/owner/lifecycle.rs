//! Who the owner is, which mode the library runs in, and whether it was shut down.
//!
//! | word    | values                                   | written by |
//! |---------|------------------------------------------|------------|
//! | owner word (`gate`) | 0 (no owner) or the owner's thread pointer | default mode: the claiming thread (CAS from 0), cleared by it when it exits; dedicated mode: the owner thread |
//! | `MODE`  | undecided, default, dedicated            | first owner-bound call (from `LIBQ_THREADING`) or `kx_threading`, once |
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

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Mode {
    /// The first thread to call becomes the owner and serves while inside the library.
    Default,
    /// The library's own thread is the owner; every host thread trampolines.
    Dedicated,
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
            let env = std::env::var_os("LIBQ_THREADING").is_some_and(|v| v == "1");
            let want = if env { DEDICATED } else { DEFAULT };
            match MODE.compare_exchange(UNDECIDED, want, AcqRel, Acquire) {
                Ok(_) => want,
                Err(now) => now,
            }
        }
        m => m,
    };
    if m == DEDICATED {
        Mode::Dedicated
    } else {
        Mode::Default
    }
}

/// `kx_threading`: chooses the mode before first use. Choosing the mode already in force is
/// fine; changing it after first use is an error.
pub fn choose_mode(mode: Mode) -> Result<Mode> {
    let want = if mode == Mode::Dedicated {
        DEDICATED
    } else {
        DEFAULT
    };
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
/// connection (the network layer uses the hook on the owner thread only).
fn install_network_wait() {
    crate::net::wait::set_hook(crate::net::wait::WaitHook {
        applies: super::is_owner,
        wait: super::net_wait,
    });
    crate::net::server::set_owner_hooks(crate::net::server::OwnerHooks {
        run: super::run_for_network,
        loop_if_owner: super::loop_if_owner,
    });
}

/// The owner gives up ownership (dedicated thread stopping, or default owner exiting).
pub fn resign() {
    let me = thread_pointer::current();
    gate::replace_owner(me, 0);
}

/// Whether a job posted now will be served or refused by someone (read after posting, SeqCst:
/// it pairs with `resign`/`shut` followed by a refusing scan).
pub fn accepting() -> bool {
    if SHUT.load(SeqCst) {
        return false;
    }
    match mode() {
        Mode::Dedicated => true,
        Mode::Default => gate::owner() != 0,
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
