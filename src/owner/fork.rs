//! The owner's part of a fork (`sys::fork`, rank `Engine`, so it runs before the symbol table
//! and allocator handlers): before it, close the engine (`engine_lock::fork_prepare`: no entry,
//! and a bounded wait for the threads inside) and hold the owner's own locks; after it, in the
//! parent, open everything again; in the child, whose only thread is the forking one, forget
//! every other thread: their pending calls, their slots, a serving loop, the dedicated owner
//! thread (the child's next owner-bound call starts its own). A child whose engine another
//! thread was still inside answers every owner-bound call `'fork`.

use std::cell::RefCell;

use super::{dedicated, doorbell, registry, serve, watch};
use crate::sys::{engine_lock, fork};

type Held = (
    dedicated::ForkHeld,
    std::sync::MutexGuard<'static, Vec<(i32, watch::Callback)>>,
);

thread_local! {
    static HELD: RefCell<Option<Held>> = const { RefCell::new(None) };
}

/// Adds the handlers (once; from the first owner on).
pub fn install() {
    fork::add(
        fork::Rank::Engine,
        fork::Handlers {
            prepare,
            parent,
            child,
        },
    );
}

fn prepare() {
    engine_lock::fork_prepare();
    let held = (dedicated::fork_lock(), watch::fork_lock());
    HELD.with(|h| *h.borrow_mut() = Some(held));
}

fn parent() {
    HELD.with(|h| drop(h.borrow_mut().take()));
    engine_lock::fork_parent();
}

fn child() {
    if let Some((dedicated_held, watched)) = HELD.with(|h| h.borrow_mut().take()) {
        dedicated::reset_in_child(dedicated_held);
        drop(watched);
    }
    registry::reset_in_child();
    doorbell::reset_in_child();
    serve::reset_in_child();
    engine_lock::fork_child();
}
