//! The two words the owner's inline path reads, side by side: who the owner is
//! (`lifecycle`) and the doorbell (`doorbell`). An owner-bound call runs inline when this
//! thread is the owner and nobody rang: two plain loads from one cache line and a compare with
//! the thread pointer, no read-modify-write, no syscall.

use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering::Relaxed};

use crate::ffi::thread_pointer;

pub(super) struct Gate {
    /// 0, or the owner's thread pointer (see `lifecycle`).
    pub owner: AtomicUsize,
    /// The bell word (see `doorbell`).
    pub bell: AtomicU32,
}

pub(super) static GATE: Gate = Gate { owner: AtomicUsize::new(0), bell: AtomicU32::new(0) };

/// Whether the calling thread is the owner and no trampolined call waits: the call may run
/// inline right away.
#[inline(always)]
pub fn inline_ready() -> bool {
    GATE.owner.load(Relaxed) == thread_pointer::current() && GATE.bell.load(Relaxed) & super::doorbell::RUNG == 0
}
