//! The IPC client entry points: `khp khpu khpun khpunc kclose sslInfo`. Until the network
//! layer lands, connecting fails as a connection error (-1) with `'nyi` pending.

use super::boundary::set_error;
use super::types::{I, K, S};
use crate::obj::{self, Error};

#[no_mangle]
pub extern "C" fn khp(host: S, port: I) -> I {
    khpu(host, port, std::ptr::null_mut())
}

#[no_mangle]
pub extern "C" fn khpu(host: S, port: I, credentials: S) -> I {
    khpun(host, port, credentials, 0)
}

#[no_mangle]
pub extern "C" fn khpun(host: S, port: I, credentials: S, timeout_ms: I) -> I {
    khpunc(host, port, credentials, timeout_ms, 0)
}

#[no_mangle]
pub extern "C" fn khpunc(host: S, port: I, credentials: S, timeout_ms: I, capability: I) -> I {
    let _ = (host, port, credentials, timeout_ms, capability);
    set_error(Error::nyi());
    -1
}

/// Closes a connection handle; unknown handles are ignored.
#[no_mangle]
pub extern "C" fn kclose(handle: I) {
    let _ = handle;
}

/// TLS settings and state, as a dictionary.
#[no_mangle]
pub extern "C" fn sslInfo(x: K) -> K {
    let _ = x;
    set_error(Error::nyi());
    std::ptr::null_mut()
}

/// `k(h, s, args...)` for a connection handle: h > 0 sync (blocks for the response), h < 0
/// async. `s` null means "read the next message". Takes the arguments.
pub(crate) fn k_remote(h: I, s: *const std::ffi::c_char, args: Vec<obj::K>) -> K {
    let _ = (h, s, args);
    set_error(Error::nyi());
    std::ptr::null_mut()
}
