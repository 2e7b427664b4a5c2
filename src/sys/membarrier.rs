//! An asymmetric memory barrier: `barrier()` returns only after every other running thread of
//! this process has executed a full memory barrier, so the fast side of a Dekker-style protocol
//! (the engine's owner, `engine_lock`) may use plain loads and stores while the slow side pays.
//!
//! Linux membarrier(2) with `MEMBARRIER_CMD_PRIVATE_EXPEDITED` (an interrupt to each CPU that
//! runs one of our threads; a few microseconds), registered once per process on first use.
//! Where the kernel refuses it (older than 4.14, a seccomp filter), `MEMBARRIER_CMD_GLOBAL`
//! (waits for every CPU to pass a scheduling point: slower, as strong). Where both are refused,
//! `barrier()` says so and its callers do without what needs it.

use std::sync::atomic::{AtomicU8, Ordering::*};

// From <linux/membarrier.h>.
const CMD_QUERY: libc::c_int = 0;
const CMD_GLOBAL: libc::c_int = 1;
const CMD_PRIVATE_EXPEDITED: libc::c_int = 1 << 3;
const CMD_REGISTER_PRIVATE_EXPEDITED: libc::c_int = 1 << 4;

const UNKNOWN: u8 = 0;
const EXPEDITED: u8 = 1;
const GLOBAL: u8 = 2;
const NONE: u8 = 3;

static KIND: AtomicU8 = AtomicU8::new(UNKNOWN);

fn membarrier(cmd: libc::c_int) -> libc::c_long {
    // SAFETY: membarrier takes no pointers; flags 0 and cpu_id 0 are always valid.
    unsafe {
        libc::syscall(
            libc::SYS_membarrier,
            cmd,
            0 as libc::c_uint,
            0 as libc::c_int,
        )
    }
}

/// Chooses (once) the strongest barrier the kernel gives.
#[cold]
fn choose() -> u8 {
    let supported = membarrier(CMD_QUERY);
    let kind = if supported >= 0
        && supported & libc::c_long::from(CMD_PRIVATE_EXPEDITED) != 0
        && membarrier(CMD_REGISTER_PRIVATE_EXPEDITED) == 0
    {
        EXPEDITED
    } else if supported >= 0 && supported & libc::c_long::from(CMD_GLOBAL) != 0 {
        GLOBAL
    } else {
        NONE
    };
    // Several threads may choose at once; they all choose the same.
    KIND.store(kind, SeqCst);
    kind
}

/// Whether `barrier` works here (it is chosen and registered on the first call).
pub fn available() -> bool {
    let k = match KIND.load(Acquire) {
        UNKNOWN => choose(),
        k => k,
    };
    k != NONE
}

/// Every other running thread of the process executes a full memory barrier before this
/// returns (and this thread's own accesses are ordered around it as by a SeqCst fence).
/// Returns false, having done nothing but a fence, where the kernel offers no such barrier.
pub fn barrier() -> bool {
    std::sync::atomic::fence(SeqCst);
    let kind = match KIND.load(Acquire) {
        UNKNOWN => choose(),
        k => k,
    };
    let ok = match kind {
        // A forked child starts unregistered (the registration belongs to the parent's
        // address space): register again.
        EXPEDITED => {
            membarrier(CMD_PRIVATE_EXPEDITED) == 0
                || (super::errno::last() == libc::EPERM
                    && membarrier(CMD_REGISTER_PRIVATE_EXPEDITED) == 0
                    && membarrier(CMD_PRIVATE_EXPEDITED) == 0)
        }
        GLOBAL => membarrier(CMD_GLOBAL) == 0,
        _ => false,
    };
    debug_assert!(
        ok || kind == NONE,
        "membarrier failed: errno {}",
        super::errno::last()
    );
    std::sync::atomic::fence(SeqCst);
    ok
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_barrier_is_available_and_repeatable() {
        // Every kernel this library supports has membarrier (Linux 4.3+; expedited 4.14+).
        assert!(super::available());
        for _ in 0..3 {
            assert!(super::barrier());
        }
    }
}
