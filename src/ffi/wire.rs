//! `b9`, `d9`, `okx`: serialization entry points. Until the wire layer lands they answer
//! `'nyi` (0 with the error pending) and leave their arguments untouched.

use super::boundary::set_error;
use super::types::{I, K};
use crate::obj::Error;

/// Serializes `x` into a byte vector with capability `mode`.
#[no_mangle]
pub extern "C" fn b9(mode: I, x: K) -> K {
    let _ = (mode, x);
    set_error(Error::nyi());
    std::ptr::null_mut()
}

/// Deserializes the byte vector `x` (which is not modified).
#[no_mangle]
pub extern "C" fn d9(x: K) -> K {
    let _ = x;
    set_error(Error::nyi());
    std::ptr::null_mut()
}

/// Whether the byte vector `x` is a valid IPC message (1) or not (0).
#[no_mangle]
pub extern "C" fn okx(x: K) -> I {
    let _ = x;
    0
}
