//! The IPC client's operations behind `khpunc`, `k(h, ...)` and `kclose`, in safe terms: each
//! returns what the C function returns, or an `io::Error` the skin turns into 0 and `errno`.
//!
//! A sync call returns the response: an async message (or a request) the server sends first is
//! kept, in order, for the next `k(h, (S)0)` read, never returned as the reply. A response
//! that never comes blocks forever, as with kdb+; `kclose(h)` from another thread ends the
//! wait (the call returns 0), and so does a socket timeout a host sets on the handle.

use std::io;

use super::connect::{self, OpenError, Options};
use super::connection::Connection;
use super::handles;
use super::message::{self, ASYNC, SYNC};
use crate::obj::K;

/// Opens a connection and registers it; the handle, or kdb+'s code for the failure.
pub fn open(o: &Options) -> Result<i32, OpenError> {
    Ok(handles::insert(connect::open(o)?))
}

/// What `k(h, s, args...)` does for h != 0. `s` None reads the next incoming message (h > 0)
/// or flushes (h < 0). Ok(None) is an async send or flush that succeeded.
pub fn remote(h: i32, s: Option<&[u8]>, args: Vec<K>) -> io::Result<Option<K>> {
    let handle = h
        .checked_abs()
        .ok_or_else(|| io::Error::from_raw_os_error(libc::EBADF))?;
    let c = handles::get(handle).ok_or_else(|| io::Error::from_raw_os_error(libc::EBADF))?;
    let Some(s) = s else {
        drop(args);
        if h < 0 {
            // q's async flush `neg[h][]`: messages are written when sent, so nothing waits.
            return if c.is_dead() {
                Err(io::Error::from_raw_os_error(libc::ENOTCONN))
            } else {
                Ok(None)
            };
        }
        return c.receive(|msg| decoded(&c, msg))?.map(Some);
    };
    let x = message::request(s, args);
    let msg_type = if h > 0 { SYNC } else { ASYNC };
    let bytes = message::encode_for(&x, msg_type, c.capability(), c.peer_is_local())
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
    drop(x);
    if h < 0 {
        c.send(&bytes)?;
        return Ok(None);
    }
    c.call(&bytes, |reply| decoded(&c, reply))?.map(Some)
}

/// A message that arrived whole but cannot be decoded is a peer breaking the protocol: the
/// connection is dropped like any other failure.
fn decoded(c: &Connection, msg: &[u8]) -> io::Result<K> {
    message::decode(msg, c.capability()).map_err(|e| {
        c.kill();
        io::Error::new(io::ErrorKind::InvalidData, e.to_string())
    })
}

/// Closes connection `h`; whether it was one.
pub fn close(h: i32) -> bool {
    match handles::remove(h) {
        Some(c) => {
            super::server::reactor::forget(h);
            c.close();
            true
        }
        None => false,
    }
}
