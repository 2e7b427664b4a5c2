//! This thread's pending error: what k.h's `krr` records and `ee` turns into an object. It is
//! the host's own pointer (`krr` keeps it, as kdb+ does) or an interned symbol's text, so it
//! lives here beside `Error`: the C exports set and read it, the owner carries it across a
//! trampolined call, and a C function called from q (`dl`, `2:`) reports its failure in it.

use std::cell::Cell;
use std::ffi::c_char;

use super::{Error, Sym};

thread_local! {
    static PENDING: Cell<*const c_char> = const { Cell::new(std::ptr::null()) };
}

/// Records `msg` (a NUL-terminated string that outlives its use) as the pending error.
pub fn set_ptr(msg: *const c_char) {
    PENDING.with(|p| p.set(msg));
}

/// Records `e` as the pending error.
pub fn set(e: Error) {
    set_ptr(e.msg().as_ptr());
}

/// Takes (and clears) the pending error's pointer; null when none is pending.
pub fn take_ptr() -> *const c_char {
    PENDING.with(|p| p.replace(std::ptr::null()))
}

/// Takes (and clears) the pending error as a q error.
pub fn take() -> Option<Error> {
    let p = take_ptr();
    // SAFETY: a pending error is a NUL-terminated host string (`krr`'s contract: it outlives
    // its use) or an interned symbol's text.
    (!p.is_null()).then(|| Error(unsafe { Sym::from_c_str(p) }))
}

/// A pending error on its way to another thread and back (a trampolined call runs with its
/// caller's pending error and hands back what it left).
#[derive(Copy, Clone)]
pub struct Carried(*const c_char);

// SAFETY: the pointer is a host string kept valid by `krr`'s contract, or an interned symbol's
// text; it is handed from thread to thread and never written through.
unsafe impl Send for Carried {}

impl Carried {
    /// Takes (and clears) this thread's pending error.
    pub fn take() -> Carried {
        Carried(take_ptr())
    }

    /// Makes it this thread's pending error.
    pub fn set(self) {
        set_ptr(self.0)
    }
}
