//! `b9`, `d9`, `okx`: serialization entry points, thin over `crate::wire`. Free-threaded: they
//! touch no engine state. The argument stays the host's (neither consumed nor modified): `b9`
//! returns the whole IPC message; `d9` returns 0 with the error pending (`'badmsg`, `'type`)
//! for what is not a valid message; `okx` takes uncompressed messages only, as kdb+'s does.
//! (The item docs stay as they are: cbindgen copies them into the committed k.h.)

use super::boundary::{borrow, guard, k_result};
use super::types::{I, K};
use crate::obj::{self, Error, KG};
use crate::wire;

/// Serializes `x` into a byte vector with capability `mode`.
#[no_mangle]
pub extern "C" fn b9(mode: I, x: K) -> K {
    // SAFETY: x is null or a live object the host keeps for the call.
    guard(|| match unsafe { borrow(x) } {
        Some(x) => k_result(wire::b9(mode, &x)),
        None => k_result(Err(Error::type_())),
    })
}

/// Deserializes the byte vector `x` (which is not modified).
#[no_mangle]
pub extern "C" fn d9(x: K) -> K {
    // SAFETY: x is null or a live object the host keeps for the call.
    guard(|| match unsafe { borrow(x) } {
        Some(x) => k_result(bytes_of(&x).and_then(wire::d9)),
        None => k_result(Err(Error::type_())),
    })
}

/// Whether the byte vector `x` is a valid IPC message (1) or not (0).
#[no_mangle]
pub extern "C" fn okx(x: K) -> I {
    // SAFETY: x is null or a live object the host keeps for the call.
    guard(|| match unsafe { borrow(x) } {
        Some(x) => bytes_of(&x).map_or(0, |b| wire::okx(b) as I),
        None => 0,
    })
}

fn bytes_of(x: &obj::K) -> obj::Result<&[u8]> {
    if x.t() != KG {
        return Err(Error::type_());
    }
    Ok(x.as_slice::<u8>())
}
