//! What goes into and comes out of a connection: the request `k(h, s, args...)` sends, encoded
//! and compressed by kdb+'s rule for the peer, and incoming messages decoded.

use super::frame::{self, HEADER};
use crate::obj::{Error, Result, K};
use crate::wire;

pub use crate::wire::{ASYNC, SYNC};

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

/// The bytes to send `x` as a message of `msg_type` to a peer of `capability`: compressed
/// when kdb+ would (capability >= 1, over 2000 bytes, a remote peer, result under half).
pub fn encode_for(x: &K, msg_type: u8, capability: u8, peer_is_local: bool) -> Result<Vec<u8>> {
    let msg = wire::encode(x, msg_type, capability)?;
    if wire::should_compress(capability, msg.len(), peer_is_local) {
        if let Some(z) = wire::compress(&msg) {
            return Ok(z);
        }
    }
    Ok(msg)
}

/// Decodes one whole incoming message from a peer of `capability`, decompressing it if
/// flagged. The size a compressed message declares is held to the same bound as a plain one
/// before anything is expanded.
pub fn decode(msg: &[u8], capability: u8) -> Result<K> {
    if msg.len() > HEADER && msg[2] != 0 {
        let width = if msg[2] == 2 { 8 } else { 4 };
        let field = msg
            .get(HEADER..HEADER + width)
            .ok_or_else(wire::bad_message)?;
        let mut b = [0u8; 8];
        let declared = if msg[0] == 1 {
            b[..width].copy_from_slice(field);
            u64::from_le_bytes(b)
        } else {
            b[8 - width..].copy_from_slice(field);
            u64::from_be_bytes(b)
        };
        if declared > frame::max_len(capability) {
            return Err(Error::new("limit"));
        }
    }
    wire::d9(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zeros() -> K {
        K::vector(crate::obj::KG, 100_000)
    }

    #[test]
    fn large_messages_to_remote_peers_are_compressed() {
        let z = encode_for(&zeros(), SYNC, 3, false).unwrap();
        assert_eq!((z[0], z[1], z[2]), (1, SYNC, 1));
        assert!(z.len() < 50_000);
        let back = decode(&z, 3).unwrap();
        assert_eq!((back.t(), back.n()), (4, 100_000));
        assert!(back.bytes().iter().all(|&b| b == 0));
    }

    #[test]
    fn local_peers_small_messages_and_capability_0_are_not() {
        assert_eq!(encode_for(&zeros(), SYNC, 3, true).unwrap()[2], 0);
        assert_eq!(encode_for(&zeros(), SYNC, 0, false).unwrap()[2], 0);
        assert_eq!(
            encode_for(&K::vector(crate::obj::KG, 1000), SYNC, 3, false).unwrap()[2],
            0
        );
    }

    #[test]
    fn a_compressed_message_claiming_too_much_is_refused() {
        let mut z = encode_for(&zeros(), ASYNC, 3, false).unwrap();
        z[8..12].copy_from_slice(&0x8000_0000u32.to_le_bytes());
        assert_eq!(decode(&z, 3).unwrap_err(), Error::new("limit"));
    }

    #[test]
    fn requests_are_the_string_or_the_string_and_arguments() {
        let r = request(b"2+2", vec![]);
        assert_eq!((r.t(), r.bytes()), (10, &b"2+2"[..]));
        let r = request(b"f", vec![K::long(1), K::long(2)]);
        assert_eq!((r.t(), r.n()), (0, 3));
        assert_eq!(r.items()[0].bytes(), b"f");
        assert_eq!(r.items()[2].j(), 2);
    }
}
