//! The owner-thread exports: `kx_owner_apply` (run a host function on the owner), `kx_serve`
//! (donate the calling thread to serve trampolined calls), `kx_notify_fd` (a descriptor for a
//! host's event loop), `kx_threading` (choose dedicated mode) and `shutdown_thread`.

use std::time::Duration;

use super::boundary::{guard, set_error};
use super::types::{I, K, V};
use crate::obj::Error;
use crate::owner::{self, Mode};

/// A host pointer carried to the owner thread; the host vouches for its use there.
struct HostPtr<T>(*mut T);
// SAFETY: the host passes these pointers precisely to have them used on the owner thread; the
// caller blocks until that use is over.
unsafe impl<T> Send for HostPtr<T> {}

impl<T> HostPtr<T> {
    fn get(self) -> *mut T {
        self.0
    }
}

/// Runs the host function `f(arg)` with the engine held and returns its result: C code that
/// touches q state (or must not run beside q) can run from any thread. On the owner it is a
/// direct call; from another thread it runs on the owner while the owner is in the library or
/// serves (`kx_serve`; in dedicated mode, always), else on the calling thread with nothing else
/// running. The
/// calling thread waits; an error `f` signals with `krr` becomes the caller's pending error.
/// Null with `'type` for a null `f`, or when `f` returns an object with a null item anywhere
/// in it (released); null with `'shutdown` after `shutdown_thread`.
#[no_mangle]
pub extern "C" fn kx_owner_apply(f: Option<extern "C" fn(*mut V) -> K>, arg: *mut V) -> K {
    // The inline path (on the owner, nothing pending) is the gate's entry check, the call of
    // `f` and the exit check: nothing on it can panic (`f` is a C function), so only the other
    // paths need the guard.
    if let Some(f) = f {
        if let Some(r) = owner::apply_inline(f, arg) {
            return whole(r);
        }
    }
    owner_apply_routed(f, arg)
}

/// `x`, unless it holds a null item (k.h's general lists can while a host builds them): then
/// it is released and the result is null with `'type` pending. An atom (what callbacks return
/// most) is known whole from its type alone, here on the inline path.
#[inline(always)]
fn whole(x: K) -> K {
    // SAFETY: a non-null result of the host's function is a live object it hands over; its
    // type byte is readable.
    if x.is_null() || unsafe { super::boundary::borrow(x) }.is_some_and(|k| k.t() < 0) {
        return x;
    }
    whole_list(x)
}

#[cold]
#[inline(never)]
fn whole_list(x: K) -> K {
    guard(|| {
        // SAFETY: as above; we hold its reference.
        let holes = unsafe { super::boundary::borrow(x) }.is_some_and(|k| k.has_holes());
        if !holes {
            return x;
        }
        // SAFETY: the reference the host's function handed over, given up here.
        drop(unsafe { super::boundary::take(x) });
        set_error(Error::type_());
        std::ptr::null_mut()
    })
}

/// `kx_owner_apply` off the inline path: trampolined, or serving what is pending first. A C
/// ABI function (it never unwinds: the guard catches) so the export can tail-call it.
#[cold]
#[inline(never)]
extern "C" fn owner_apply_routed(f: Option<extern "C" fn(*mut V) -> K>, arg: *mut V) -> K {
    guard(|| {
        let Some(f) = f else {
            set_error(Error::type_());
            return std::ptr::null_mut();
        };
        let arg = HostPtr(arg);
        match owner::owner_bound(move || HostPtr(f(arg.get()))) {
            Ok(k) => whole(k.get()),
            Err(e) => {
                set_error(e);
                std::ptr::null_mut()
            }
        }
    })
}

/// Donates the calling thread: serves calls that other threads make (trampolined onto the
/// owner) for `timeout_ms` milliseconds (0: what is pending now; negative: until
/// `shutdown_thread`): `kx_owner_apply`, `sd1` callbacks and the server, and `k(0,...)` or
/// `dot` calls made while another call holds the engine (one that finds the engine free runs
/// on its own thread). In default mode the owner serves only while inside the library, so a
/// host whose owner thread is busy elsewhere calls this from its loop. The calling thread must
/// be the owner, or becomes it if there is none. Returns the calls served, or -1 (error
/// pending) in dedicated mode, if another thread owns the engine, or after shutdown.
#[no_mangle]
pub extern "C" fn kx_serve(timeout_ms: I) -> I {
    guard(|| {
        let t = (timeout_ms >= 0).then(|| Duration::from_millis(timeout_ms as u64));
        match owner::serve(t) {
            Ok(n) => n.min(I::MAX as usize) as I,
            Err(e) => {
                set_error(e);
                -1
            }
        }
    })
}

/// A descriptor that becomes readable when trampolined calls are pending, for a host's own
/// event loop: when it is readable, call `kx_serve(0)` on the owner thread. Asking for it
/// promises that loop: from then on other threads' calls are handed to the owner instead of
/// running on their own threads: every call then runs on the loop's thread (for q code that
/// calls thread-affine C code). In dedicated mode there is no loop to call: asking for it only
/// keeps every call on the library's thread. -1 on failure.
#[no_mangle]
pub extern "C" fn kx_notify_fd() -> I {
    guard(|| owner::notify_fd().unwrap_or(-1))
}

/// Chooses the threading mode before the engine's first use: 0 default (the first calling
/// thread owns the engine; another thread's call runs on the owner while it is in the library,
/// and on the calling thread while it is away); 1 dedicated (as `LIBQ_THREADING=1`: the
/// library's own thread owns the engine, serves `.z.ts`, `sd1` callbacks and the server, and
/// runs `qinit`, `sd1` and `kx_owner_apply`; `k(0,...)` and `dot` run on the calling thread, on
/// its stack, whenever no other call holds the engine, and are handed to the library's thread
/// when one does); 2 read-parallel (as
/// `LIBQ_THREADING=2`: as default, but `k(0,...)` and `dot` from other threads evaluate at the
/// same time on their own threads, read-only, a global write signalling `'noupdate`, as in
/// kdb+'s multithreaded input mode). Returns the mode in force, or -1 (`'threading` pending) if
/// the engine already started in another mode.
#[no_mangle]
pub extern "C" fn kx_threading(mode: I) -> I {
    guard(|| {
        let m = match mode {
            1 => Mode::Dedicated,
            2 => Mode::ReadParallel,
            _ => Mode::Default,
        };
        match owner::choose_mode(m) {
            Ok(Mode::Dedicated) => 1,
            Ok(Mode::ReadParallel) => 2,
            Ok(Mode::Default) => 0,
            Err(e) => {
                set_error(e);
                -1
            }
        }
    })
}

/// Ends the owner: calls running now stop with `'stop`, calls still pending and all later
/// trampolined calls fail with `'shutdown`. In dedicated mode the owner thread then exits;
/// this returns once it has, or after a few seconds if its call does not stop (a host
/// function that does not return), and at once when called on the owner thread. The SIGINT
/// handler is taken out again. Also done at process exit.
#[no_mangle]
pub extern "C" fn shutdown_thread() {
    guard(|| {
        if let Some(e) = crate::q::Engine::global_if_made() {
            e.interrupt();
        }
        owner::shutdown();
        crate::sys::signals::restore_interrupt();
    })
}
