//! `b9`, `d9`, `okx`: serialization entry points, thin over `crate::wire::capi`, which does
//! what KX's libe.so does (the differential test checks it). Free-threaded: they touch no
//! engine state. The argument stays the host's (neither consumed nor modified). `d9` and `okx`
//! read the bytes of any simple vector (PyKX passes char vectors); an error message gives 0
//! with its text pending; where libe.so would read past the buffer or crash, `'badmsg`.
//! (The item docs stay as they are: cbindgen copies them into the committed k.h.)

use super::boundary::{borrow, guard, k_result, set_error};
use super::types::{I, K};
use crate::obj::Error;
use crate::wire::capi;

/// Serializes `x` into a byte vector: mode -1 in-process (symbols as pointers), 0..7 the
/// capability, 8 and up the capability `mode & 7` with compression.
#[no_mangle]
pub extern "C" fn b9(mode: I, x: K) -> K {
    // SAFETY: x is null or a live object the host keeps for the call.
    guard(|| match unsafe { borrow(x) } {
        Some(x) => k_result(capi::b9(mode, &x)),
        None => k_result(Err(Error::type_())),
    })
}

/// Deserializes the bytes of `x` (a byte or char vector, which is not modified).
#[no_mangle]
pub extern "C" fn d9(x: K) -> K {
    // SAFETY: x is null or a live object the host keeps for the call.
    guard(|| match unsafe { borrow(x) } {
        Some(x) => k_result(capi::bytes_of(&x).and_then(capi::d9)),
        None => k_result(Err(Error::type_())),
    })
}

/// Whether the bytes of `x` are a valid IPC message (1) or not (0).
#[no_mangle]
pub extern "C" fn okx(x: K) -> I {
    // SAFETY: x is null or a live object the host keeps for the call.
    guard(|| match unsafe { borrow(x) } {
        Some(x) => capi::bytes_of(&x).map_or(0, |b| capi::okx(b) as I),
        None => {
            set_error(Error::type_());
            0
        }
    })
}
