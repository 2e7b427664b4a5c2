//! The owner-bound entry points: `k(0,...)` (through `kx_k_array`), `dot`, `qinit`, the
//! callback registrations `sd0 sd0x sd1` and `dl` (`shutdown_thread` is in `owner`).
//!
//! `k`, `dot` and `qinit` run the embedded engine (`q::Engine::global()`) on the owner thread;
//! q errors come back as type -128 objects. `sd1` descriptors are served by the owner's loop
//! (`owner::watch`); `dl` functions are code objects (`obj::code`).

use super::boundary::{guard, k_result, set_error, take};
use super::types::{I, J, K, S, V};
use crate::obj::{self, Error};
use crate::owner::Access;
use crate::q::Engine;
use crate::sys;

/// Takes over `n` host-owned arguments.
///
/// # Safety
/// `args` must be valid for `n` reads, each null or an object whose reference is given up.
unsafe fn take_args(n: I, args: *mut K) -> Vec<obj::K> {
    if args.is_null() || n <= 0 {
        return Vec::new();
    }
    // SAFETY: the caller's contract; null slots are skipped.
    (0..n.max(0) as usize)
        .filter_map(|i| unsafe { take(*args.add(i)) })
        .collect()
}

/// `k` with its arguments in an array: what `k(h, s, a, b, (K)0)` does, for hosts that cannot
/// call C-variadic functions (cgo). Takes the arguments.
#[no_mangle]
pub extern "C" fn kx_k_array(h: I, s: *const std::ffi::c_char, n: I, args: *mut K) -> K {
    guard(|| {
        // SAFETY: k.h: k releases its arguments; the shim passes n valid slots.
        let args = unsafe { take_args(n, args) };
        // A half-built argument (a list with null items) is refused before anything reads it.
        if args.iter().any(obj::K::has_holes) {
            return obj::K::error(Error::type_().msg()).into_raw();
        }
        if h != 0 {
            return super::net::k_remote(h, s, args);
        }
        // SAFETY: s is null or the host's NUL-terminated string, alive for this call. The
        // text is borrowed, not copied: a trampolined caller waits until the owner is done.
        // The bytes go in as they are: q strings are bytes, not UTF-8.
        let src = unsafe { super::boundary::c_bytes(s) };
        let r = crate::owner::owner_bound_as(Access::Read, move || Engine::global().k(src, args))
            .and_then(|r| r);
        error_object(r)
    })
}

/// A result as k.h hands it back: the value, or a type -128 object naming the error.
fn error_object(r: obj::Result<obj::K>) -> K {
    match r {
        Ok(v) => v.into_raw(),
        Err(e) => obj::K::error(e.msg()).into_raw(),
    }
}

/// `.[f;args]`. Takes neither argument, as k.h documents for `dot`.
#[no_mangle]
pub extern "C" fn dot(f: K, args: K) -> K {
    guard(|| {
        // SAFETY: k.h: f and args are live objects the caller keeps; we take new references.
        let (f, args) = unsafe { (super::boundary::borrow(f), super::boundary::borrow(args)) };
        let (Some(f), Some(args)) = (f, args) else {
            return obj::K::error(Error::type_().msg()).into_raw();
        };
        if f.has_holes() || args.has_holes() {
            return obj::K::error(Error::type_().msg()).into_raw();
        }
        let (f, args) = ((*f).clone(), (*args).clone());
        let r = crate::owner::owner_bound_as(Access::Read, move || Engine::global().dot(f, &args))
            .and_then(|r| r);
        error_object(r)
    })
}

/// Starts the embedded engine: `qinit(argc, argv, qhome, qlic, qqq)`.
#[no_mangle]
pub extern "C" fn qinit(argc: I, argv: *mut S, qhome: S, qlic: S, qqq: S) -> I {
    guard(|| {
        // No licence is needed; QHOME and the licence paths are accepted and ignored.
        let _ = (qhome, qlic, qqq);
        let mut args = Vec::new();
        if !argv.is_null() {
            // argv[0] is the program name, as in main().
            for i in 1..argc.max(0) as usize {
                // SAFETY: the host passes argc valid C strings in argv.
                let a = unsafe { *argv.add(i) };
                // SAFETY: each is null or NUL-terminated.
                args.push(
                    String::from_utf8_lossy(unsafe { super::boundary::c_bytes(a) }).into_owned(),
                );
            }
        }
        match crate::owner::owner_bound(move || Engine::global().start(&args)).and_then(|r| r) {
            Ok(()) => {
                install_interrupt();
                0
            }
            Err(e) => {
                set_error(e);
                -1
            }
        }
    })
}

/// From the engine's start on, Ctrl-C (SIGINT) stops the running call with `'stop` rather
/// than ending the host (`sys::signals`: only where the host left SIGINT to the default or to
/// its own handler, which still runs).
fn install_interrupt() {
    Engine::catch_interrupts(sys::signals::WhenIdle::AsBefore);
}

/// Stops every call running in the engine now with `'stop`, as Ctrl-C does: for a host that
/// handles SIGINT itself (or any other reason to stop a runaway `k(0,...)`). Safe to call from
/// a signal handler and from any thread; a call started afterwards runs.
#[no_mangle]
pub extern "C" fn kx_interrupt() {
    if let Some(e) = Engine::global_if_made() {
        e.interrupt();
    }
}

/// Puts `f` on the owner's loop for descriptor `d`: while the owner serves (`kx_serve`, or
/// the dedicated owner thread), `f(d)` runs on it whenever `d` is readable, and the object it
/// returns (if not null) is released. A negative `d` names descriptor `-d` and switches it to
/// non-blocking. Returns an int atom of `d`; null with the error pending (and the descriptor
/// closed) if `f` is null or `d` is not an open descriptor.
#[no_mangle]
pub extern "C" fn sd1(d: I, f: Option<extern "C" fn(I) -> K>) -> K {
    guard(|| {
        let fd = d.checked_abs().unwrap_or(-1);
        let opened = match f {
            Some(f) if sys::fd::is_open(fd) && (d >= 0 || sys::fd::set_nonblocking(fd)) => Ok(f),
            Some(_) => Err(Error(super::errors::os_error(b"sd1"))),
            None => Err(Error::type_()),
        };
        let registered = opened.and_then(|f| {
            let callback: crate::owner::WatchCallback = std::sync::Arc::new(move |fd| {
                // SAFETY: sd1's contract: f returns null or an object whose reference it gives up.
                drop(unsafe { take(f(fd)) });
            });
            crate::owner::owner_bound(move || crate::owner::watch_fd(fd, callback))
        });
        match registered {
            Ok(()) => obj::K::int(d).into_raw(),
            Err(e) => {
                close_fd(fd);
                set_error(e);
                std::ptr::null_mut()
            }
        }
    })
}

/// Removes the callback on `d` and closes it (`kclose`).
#[no_mangle]
pub extern "C" fn sd0(d: I) {
    sd0x(d, 1)
}

/// Removes the callback on `d`, and closes `d` (`kclose`) when `f` is 1.
#[no_mangle]
pub extern "C" fn sd0x(d: I, f: I) {
    guard(|| {
        let fd = d.checked_abs().unwrap_or(-1);
        if let Err(e) = crate::owner::owner_bound(move || crate::owner::unwatch_fd(fd)) {
            set_error(e);
            return;
        }
        if f == 1 {
            close_fd(fd);
        }
    })
}

/// `kclose`: a connection of the IPC client is closed with its state; any other descriptor
/// the host handed over is closed as it is.
fn close_fd(fd: I) {
    if !crate::net::client::close(fd) && fd >= 0 {
        // The host gave this descriptor up (sd0 / a failed sd1), so closing it is ours.
        sys::fd::close(fd);
    }
}

/// A q function of rank `n` (1 to 8) that calls the C function `K f(K, ...)`: it gets its
/// arguments borrowed and returns a new object, or null after `krr`. Null with 'type or
/// 'rank pending for a null `f` or a rank out of range.
#[no_mangle]
pub extern "C" fn dl(f: *mut V, n: J) -> K {
    // SAFETY: dl's contract: `f` is null or a C function taking `n` K arguments.
    guard(|| k_result(unsafe { obj::code::make(f.cast_const(), n) }))
}
