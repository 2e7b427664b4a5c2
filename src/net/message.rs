//! What goes into and comes out of a connection: the request `k(h, s, args...)` sends, encoded
//! and compressed by kdb+'s rule for the peer, and incoming messages decoded.

use super::connection::Connection;
use super::wire_stub as wire;
use crate::obj::{Result, K};

pub const ASYNC: u8 = 0;
pub const SYNC: u8 = 1;

/// The object `k(h, s, args...)` sends: the string alone as a char vector, or a general list
/// of the string and the arguments (which the server's `value` applies).
pub fn request(s: &[u8], args: Vec<K>) -> K {
    if args.is_empty() {
        return K::string(s);
    }
    let mut items = Vec::with_capacity(args.len() + 1);
    items.push(K::string(s));
    items.extend(args);
    K::list(items)
}

/// The bytes to send `x` as a message of `msg_type` on `c`: compressed when kdb+ would
/// (capability >= 1, over 2000 bytes, a remote peer, and the result under half the size).
pub fn encode_for(c: &Connection, x: &K, msg_type: u8) -> Result<Vec<u8>> {
    let msg = wire::encode(x, msg_type, c.capability())?;
    if wire::should_compress(c.capability(), msg.len(), c.peer_is_local()) {
        if let Some(z) = wire::compress(&msg) {
            return Ok(z);
        }
    }
    Ok(msg)
}

/// Decodes one whole incoming message (decompressing it if flagged).
pub fn decode(msg: &[u8]) -> Result<K> {
    wire::d9(msg)
}
