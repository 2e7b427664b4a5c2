//! Serialization: kdb+'s IPC format (`b9`/`d9`/`okx`), its LZ-style compression, and message
//! framing, byte for byte as kdb+ produces them.
//!
//! Files: `header` (the 8-byte message header), `encode` and `decode` (objects to bytes and
//! back), `compress` (kdb+'s compression and the rule for using it), `enums` (how
//! enumerations find their domains), `capi` (k.h's `b9`/`d9`/`okx`, which follow KX's
//! libe.so rather than the interpreter's `-8!`/`-9!`).
//!
//! `b9` modes, as in k.h: -1 in-process (keeps enumerations, every type, no size limit below
//! 1TB), 0 for kdb+ 2.5 (no timestamp, timespan or guid), 1 keeps enumerations (no guid),
//! 2 unenumerates (no guid), 3 unenumerates, allows every type and compresses when kdb+ would;
//! 4 as 3; 5 and 6 as 3 plus messages over 2GB (6 also vectors over 2^31-1 items).
//! Refusals: a type the capability cannot carry is `'type`, a message or vector too big for
//! it `'limit`, nesting deeper than `MAX_DEPTH` `'stack`, an unknown mode `'domain`.
//!
//! For the interpreter: `-8!x` is `encode(x, 0, 3)` (kdb+ does not compress there), `-18!x` is
//! `b9(3, x)`, `-9!x` is `d9`. Lambdas travel as their source and namespace: after `d9`, item 1
//! is the namespace as sent (`` `d `` for `.d`, empty for root); `b9` accepts `` `d `` or
//! `` `.d ``. Enumerations need `enums::set_domain_lookup` to go out as symbols.

pub mod capi;
pub mod compress;
pub mod decode;
pub mod encode;
pub mod enums;
pub mod header;

pub use compress::{compress, decompress, should_compress};
pub use encode::Options;

use crate::obj::{Error, Result, K, KG};
use header::{badmsg, Header, HEADER_LEN};

/// Deepest nesting serialized or read (deeper gives `'stack`), so hostile input cannot
/// exhaust the calling thread's stack.
pub const MAX_DEPTH: usize = 256;

/// Message types (header byte 1).
pub const ASYNC: u8 = 0;
pub const SYNC: u8 = 1;
pub const RESPONSE: u8 = 2;

/// `b9(mode, x)`: the whole message (header included) as a byte vector, as kdb+'s `b9` gives
/// it. Message type 0; compressed only where kdb+ compresses (modes 3 and up).
pub fn b9(mode: i32, x: &K) -> Result<K> {
    let (opts, compressing) = match mode {
        -1 => (Options::new(6, false), false),
        0 | 2 => (Options::new(mode as u8, true), false),
        1 => (Options::new(1, false), false),
        3..=6 => (Options::new(mode as u8, true), true),
        _ => return Err(Error::domain()),
    };
    let msg = encode::encode_k(x, ASYNC, opts)?;
    if compressing && should_compress(opts.capability, msg.n(), false) {
        if let Some(z) = compress(msg.as_slice::<u8>()) {
            return Ok(K::from_slice(KG, &z));
        }
    }
    Ok(msg)
}

/// `d9(x)`: the object in a whole message (either byte order, compressed or not). The bytes
/// are only read. An error message (type -128) comes back as the error object.
pub fn d9(bytes: &[u8]) -> Result<K> {
    let h = Header::parse_exact(bytes)?;
    if h.compressed != 0 {
        let plain = decompress(bytes)?;
        return decode::decode_payload(&plain[HEADER_LEN..], h.little_endian);
    }
    decode::decode_payload(&bytes[HEADER_LEN..], h.little_endian)
}

/// The uncompressed message for the network layer: `msg_type` 0 async, 1 sync, 2 response,
/// for a peer of `capability` (enumerations go out as symbols). Compress with `compress`
/// when `should_compress` says so.
pub fn encode(x: &K, msg_type: u8, capability: u8) -> Result<Vec<u8>> {
    encode::encode_vec(x, msg_type, Options::network(capability))
}

/// As `encode`, into a buffer the caller keeps between messages (no allocation once it is big
/// enough).
pub fn encode_into(x: &K, msg_type: u8, capability: u8, out: &mut Vec<u8>) -> Result<()> {
    encode::encode_into(x, msg_type, Options::network(capability), out)
}

/// What kdb+ puts on the wire for a peer: `encode`, then compressed when `should_compress`
/// says so and it pays (under half the size).
pub fn encode_message(x: &K, msg_type: u8, capability: u8, peer_is_local: bool) -> Result<Vec<u8>> {
    let msg = encode(x, msg_type, capability)?;
    if should_compress(capability, msg.len(), peer_is_local) {
        if let Some(z) = compress(&msg) {
            return Ok(z);
        }
    }
    Ok(msg)
}

/// The error for malformed messages, for the network layer's own checks.
pub fn bad_message() -> Error {
    badmsg()
}
