//! The IPC client entry points: `khp khpu khpun khpunc kclose sslInfo`, and `k(h, ...)` for
//! h != 0 (`k_remote`, called by `kx_k_array`). Thin: arguments are converted here, the work
//! is in `crate::net`. Failures follow kdb+'s C API: `khp*` return 0 (credentials refused),
//! -1 (error), -2 (timeout) or -3 (TLS init); `k` returns 0 with `errno` set and the handle
//! dead (`errno` is set through `crate::sys::errno`).

use std::ffi::c_char;
use std::io;
use std::time::Duration;

use super::boundary::{c_bytes, guard, set_error};
use super::types::{I, K, S};
use crate::net::client;
use crate::net::connect::{OpenError, Options};
use crate::net::tls;
use crate::obj::{self, Error, Sym};
use crate::sys;

/// Capability bits of khpunc's last argument.
const CAP_LARGE: I = 1;
const CAP_TLS: I = 2;

/// Connects without credentials: `khpunc(host, port, "", 0, 0)`.
#[no_mangle]
pub extern "C" fn khp(host: *const c_char, port: I) -> I {
    khpu(host, port, std::ptr::null())
}

/// Connects with `user:password`, no timeout: `khpunc(host, port, credentials, 0, 0)`.
#[no_mangle]
pub extern "C" fn khpu(host: *const c_char, port: I, credentials: *const c_char) -> I {
    khpun(host, port, credentials, 0)
}

/// Connects with a timeout in milliseconds for connecting and logging in (0: none).
#[no_mangle]
pub extern "C" fn khpun(
    host: *const c_char,
    port: I,
    credentials: *const c_char,
    timeout_ms: I,
) -> I {
    khpunc(host.cast_mut(), port, credentials.cast_mut(), timeout_ms, 0)
}

/// Connects to a kdb+ server (host `0.0.0.0`: its Unix socket). Capability bits: 1 messages
/// over 2 GB, 2 TLS. Returns the handle (> 0, the socket), 0 when the server refuses the
/// credentials, -1 on a connection error, -2 on timeout, -3 when TLS cannot be initialised.
/// A port outside 1..65535 makes no connection: `khp("", -1)` initialises (there is nothing to
/// initialise, so -1), and with the TLS bit it reports whether TLS can be set up (-3 if not).
#[no_mangle]
pub extern "C" fn khpunc(host: S, port: I, credentials: S, timeout_ms: I, capability: I) -> I {
    guard(|| {
        // SAFETY: k.h: host and credentials are NUL-terminated strings (or null).
        let (host, credentials) = unsafe { (c_bytes(host), c_bytes(credentials)) };
        let tls = capability & CAP_TLS != 0;
        let Ok(port) = u16::try_from(port) else {
            return no_connection(tls);
        };
        if port == 0 {
            return no_connection(tls);
        }
        let Ok(host) = std::str::from_utf8(host) else {
            return fail_open(OpenError::Failed(io::Error::from_raw_os_error(
                libc::EINVAL,
            )));
        };
        let options = Options {
            host,
            port,
            credentials,
            timeout: (timeout_ms > 0).then(|| Duration::from_millis(timeout_ms as u64)),
            tls,
            large: capability & CAP_LARGE != 0,
        };
        match client::open(&options) {
            Ok(h) => h,
            Err(e) => fail_open(e),
        }
    })
}

fn no_connection(tls: bool) -> I {
    if tls {
        if let Err(e) = tls::Settings::from_env().client_config() {
            return fail_open(OpenError::TlsInit(e));
        }
    }
    sys::errno::set(libc::EINVAL);
    -1
}

fn fail_open(e: OpenError) -> I {
    let (errno, msg) = match &e {
        OpenError::Refused => (libc::EACCES, "access".to_string()),
        OpenError::Failed(io) => (errno_of(io), error_text(io)),
        OpenError::TimedOut => (libc::ETIMEDOUT, "timeout".to_string()),
        OpenError::TlsInit(m) => (libc::EPROTO, m.clone()),
    };
    set_error(Error::new(msg));
    sys::errno::set(errno);
    e.code()
}

/// The pending error's text for a network failure: the system's message, without Rust's
/// "(os error N)" suffix (the number is in `errno`).
fn error_text(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// The `errno` a failed network operation reports.
fn errno_of(e: &io::Error) -> i32 {
    e.raw_os_error().unwrap_or(match e.kind() {
        io::ErrorKind::UnexpectedEof => libc::ECONNRESET,
        io::ErrorKind::TimedOut => libc::ETIMEDOUT,
        io::ErrorKind::InvalidData => libc::EPROTO,
        io::ErrorKind::InvalidInput => libc::EINVAL,
        io::ErrorKind::OutOfMemory => libc::ENOMEM,
        _ => libc::EIO,
    })
}

/// Closes a connection handle; closed and unknown handles are ignored (and never closed as
/// raw descriptors, which may belong to someone else by now).
#[no_mangle]
pub extern "C" fn kclose(handle: I) {
    guard(|| {
        client::close(handle);
    })
}

/// TLS settings as a dictionary of symbols to strings, like kdb+'s `-26!`; null with the error
/// pending when TLS cannot be initialised. The argument is ignored (hosts pass `(K)0`).
#[no_mangle]
pub extern "C" fn sslInfo(x: K) -> K {
    let _ = x;
    guard(|| {
        let settings = tls::Settings::from_env();
        if let Err(e) = settings.client_config() {
            set_error(Error::new(e));
            return std::ptr::null_mut();
        }
        let report = settings.report();
        let keys: Vec<Sym> = report.iter().map(|(k, _)| Sym::new(k)).collect();
        let values = obj::K::list(report.into_iter().map(|(_, v)| obj::K::string(v)).collect());
        obj::K::dict(obj::K::from_slice(obj::KS, &keys), values).into_raw()
    })
}

/// `k(h, s, args...)` for a connection handle: h > 0 sync (blocks for the next message),
/// h < 0 async (returns a non-null object the host must not free: the immortal `::`, so an
/// `r0` by mistake is harmless). `s` null reads the next message (h > 0) or flushes (h < 0).
/// Takes the arguments.
///
/// Failures are kdb+'s texts: `snd handle: N. OS reports: ...` for a query (N the handle
/// without its sign), `rcv handle: N. OS reports: ...` for a read. A handle that is no
/// connection of ours is never written to or read from (the descriptor may be anyone's): the
/// error names what the system would say for it.
pub(crate) fn k_remote(h: I, s: *const std::ffi::c_char, args: Vec<obj::K>) -> K {
    // SAFETY: k.h: s is a NUL-terminated string when not null.
    let s = (!s.is_null()).then(|| unsafe { c_bytes(s) });
    let fd = if s.is_some() {
        h.unsigned_abs() as I
    } else {
        h
    };
    let r = match h.checked_abs().and_then(crate::net::handles::get) {
        Some(_) => client::remote(h, s, args),
        None => Err(io::Error::from_raw_os_error(not_ours_errno(fd))),
    };
    match r {
        Ok(Some(x)) => x.into_raw(),
        Ok(None) => obj::K::identity().into_raw(),
        Err(e) => {
            sys::errno::set(errno_of(&e));
            let what = if s.is_some() { "snd" } else { "rcv" };
            set_error(Error::new(format!(
                "{what} handle: {fd}. OS reports: {}",
                error_text(&e)
            )));
            std::ptr::null_mut()
        }
    }
}

/// What `send`/`recv` would report on a descriptor that is no connection of ours: EBADF if it
/// is not open, ENOTSOCK if it is no socket (someone else's sockets are refused as EBADF).
fn not_ours_errno(fd: I) -> i32 {
    if fd < 0 {
        return libc::EBADF;
    }
    match sys::fd::is_socket(fd) {
        None | Some(true) => libc::EBADF,
        Some(false) => libc::ENOTSOCK,
    }
}
