//! kdb+'s IPC compression: a byte-oriented LZ scheme with a 256-entry hash of byte pairs.
//!
//! A compressed message is the original header with byte 2 set, its length field holding the
//! compressed length, then the uncompressed total length (4 bytes; 8 when byte 2 is 2), then
//! groups of one flag byte and up to eight items. Flag bit k (lowest first) says what item k
//! is: 0, one literal byte; 1, two bytes `h n` meaning "copy 2+n bytes from the position last
//! recorded under hash h". Both sides record, for each position p they have passed, the hash
//! `b[p] ^ b[p+1]` -> p, except inside a copied run; that is what makes the table implicit.
//!
//! The compressor is greedy and must reproduce kdb+'s choices exactly (the same table update
//! order, the same give-up rule), because the output is compared byte for byte.

use super::header::{badmsg, Header, HEADER_LEN};
use crate::obj::Result;

/// Messages at most this long are sent as they are.
const MIN_COMPRESS_LEN: usize = 2000;

/// Most bytes one group (flag byte plus eight items) can take.
const MAX_GROUP: usize = 17;

/// Most bytes one group can produce: eight copies of 2 + 255 bytes.
const MAX_GROUP_OUTPUT: u64 = 8 * 257;

/// kdb+'s rule: compress for peers that understand it (capability 1 and up), on links that are
/// not local, for messages over 2000 bytes. `compress` then decides whether it pays.
pub fn should_compress(capability: u8, len: usize, peer_is_local: bool) -> bool {
    capability >= 1 && len > MIN_COMPRESS_LEN && !peer_is_local
}

/// Compresses a whole message (header included). `None` when the result would not fit in half
/// the original size, which is when kdb+ sends the message uncompressed.
pub fn compress(msg: &[u8]) -> Option<Vec<u8>> {
    let header = Header::parse(msg).ok()?;
    let total = msg.len();
    let large = total > i32::MAX as usize;
    let prefix = HEADER_LEN + if large { 8 } else { 4 };
    let limit = total / 2;
    if total <= HEADER_LEN || limit < prefix + MAX_GROUP {
        return None;
    }
    let mut out = vec![0u8; limit];

    let mut table = [0usize; 256];
    let mut flag_pos = prefix;
    let mut d = prefix;
    let mut flags = 0u8;
    let mut bit = 0u8;
    // The hash of the last literal is recorded one step late, after the next lookup.
    let mut pending: Option<(usize, usize)> = None;
    let mut h = 0usize;
    let mut s = HEADER_LEN;
    while s < total {
        if bit == 0 {
            if d as isize > limit as isize - MAX_GROUP as isize {
                return None;
            }
            out[flag_pos] = flags;
            flag_pos = d;
            d += 1;
            flags = 0;
            bit = 1;
        }
        // Near the end there is no pair to hash; `h` keeps its last value, as kdb+'s does.
        let mut candidate = 0;
        let literal = s + 3 > total || {
            h = (msg[s] ^ msg[s + 1]) as usize;
            candidate = table[h];
            candidate == 0 || msg[s] != msg[candidate]
        };
        if let Some((ph, ps)) = pending.take() {
            table[ph] = ps;
        }
        if literal {
            pending = Some((h, s));
            out[d] = msg[s];
            d += 1;
            s += 1;
        } else {
            table[h] = s;
            flags |= bit;
            let mut p = candidate + 2;
            s += 2;
            let run_start = s;
            let run_end = (s + 255).min(total);
            while msg[p] == msg[s] {
                s += 1;
                if s >= run_end {
                    break;
                }
                p += 1;
            }
            out[d] = h as u8;
            out[d + 1] = (s - run_start) as u8;
            d += 2;
        }
        bit = bit.wrapping_shl(1);
    }
    out[flag_pos] = flags;
    out.truncate(d);
    let compressed = Header {
        compressed: if large { 2 } else { 1 },
        len: d as u64,
        ..header
    };
    out[..HEADER_LEN].copy_from_slice(&compressed.to_bytes());
    write_len(
        &mut out[HEADER_LEN..prefix],
        total as u64,
        header.little_endian,
    );
    Some(out)
}

fn write_len(dst: &mut [u8], len: u64, little_endian: bool) {
    match (dst.len(), little_endian) {
        (4, true) => dst.copy_from_slice(&(len as u32).to_le_bytes()),
        (4, false) => dst.copy_from_slice(&(len as u32).to_be_bytes()),
        (_, true) => dst.copy_from_slice(&len.to_le_bytes()),
        (_, false) => dst.copy_from_slice(&len.to_be_bytes()),
    }
}

fn read_len(src: &[u8], little_endian: bool) -> u64 {
    match (src.len(), little_endian) {
        (4, true) => u32::from_le_bytes(src.try_into().unwrap_or_default()) as u64,
        (4, false) => u32::from_be_bytes(src.try_into().unwrap_or_default()) as u64,
        (_, true) => u64::from_le_bytes(src.try_into().unwrap_or_default()),
        (_, false) => u64::from_be_bytes(src.try_into().unwrap_or_default()),
    }
}

/// Decompresses a whole compressed message into the plain message (header byte 2 cleared,
/// length field the uncompressed length). The input is not modified. Garbled input gives
/// `'badmsg`; the declared size is checked against what the input could possibly expand to
/// before anything is allocated.
pub fn decompress(msg: &[u8]) -> Result<Vec<u8>> {
    let header = Header::parse(msg)?;
    let prefix = match header.compressed {
        1 => HEADER_LEN + 4,
        2 => HEADER_LEN + 8,
        _ => return Err(badmsg()),
    };
    let Some(len_field) = msg.get(HEADER_LEN..prefix) else {
        return Err(badmsg());
    };
    let total = read_len(len_field, header.little_endian);
    let stream = &msg[prefix..];
    let most = (stream.len() as u64).div_ceil(MAX_GROUP as u64) * MAX_GROUP_OUTPUT;
    if total < HEADER_LEN as u64 || total - HEADER_LEN as u64 > most || total > isize::MAX as u64 {
        return Err(badmsg());
    }
    let total = total as usize;
    let mut out = vec![0u8; total];
    let plain = Header {
        compressed: 0,
        len: total as u64,
        ..header
    };
    out[..HEADER_LEN].copy_from_slice(&plain.to_bytes());

    let mut input = stream.iter().copied();
    let mut next = || input.next().ok_or_else(badmsg);
    let mut table = [0usize; 256];
    let mut s = HEADER_LEN;
    let mut hashed = HEADER_LEN;
    let mut flags = 0u8;
    let mut bit = 0u8;
    while s < total {
        if bit == 0 {
            flags = next()?;
            bit = 1;
        }
        let matched = flags & bit != 0;
        let mut run = 0;
        if matched {
            let from = table[next()? as usize];
            run = next()? as usize;
            if s + 2 + run > total {
                return Err(badmsg());
            }
            // Byte by byte: a run may overlap the bytes it is producing.
            for i in 0..2 + run {
                out[s + i] = out[from + i];
            }
            s += 2;
        } else {
            out[s] = next()?;
            s += 1;
        }
        while hashed + 1 < s {
            table[(out[hashed] ^ out[hashed + 1]) as usize] = hashed;
            hashed += 1;
        }
        if matched {
            s += run;
            hashed = s;
        }
        bit = bit.wrapping_shl(1);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bool_message() -> Vec<u8> {
        // -8!2000#1b: a boolean vector of 2000 trues.
        let mut m = vec![1, 0, 0, 0];
        m.extend_from_slice(&2014u32.to_le_bytes());
        m.extend_from_slice(&[1, 0]);
        m.extend_from_slice(&2000u32.to_le_bytes());
        m.extend(std::iter::repeat_n(1u8, 2000));
        m
    }

    #[test]
    fn compresses_kdbgo_bool_vector_exactly() {
        let expect = "0100010026000000de070000000100d00700000101ff00ff00ff00ff00ff00ff00ff00ff00c5";
        let z = compress(&bool_message()).unwrap();
        let hex: String = z.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, expect);
        assert_eq!(decompress(&z).unwrap(), bool_message());
    }

    #[test]
    fn incompressible_data_is_left_alone() {
        let mut m = vec![1, 0, 0, 0, 0, 0, 0, 0];
        let mut x = 12345u32;
        for _ in 0..3000 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            m.push((x >> 16) as u8);
        }
        let n = m.len() as u32;
        m[4..8].copy_from_slice(&n.to_le_bytes());
        assert!(compress(&m).is_none());
        assert!(compress(&m[..20]).is_none());
    }

    #[test]
    fn rule_for_compressing() {
        assert!(should_compress(3, 2001, false));
        assert!(!should_compress(3, 2000, false));
        assert!(!should_compress(0, 5000, false));
        assert!(!should_compress(3, 5000, true));
    }

    #[test]
    fn garbled_streams_are_badmsg() {
        let z = compress(&bool_message()).unwrap();
        // Truncated stream.
        assert_eq!(decompress(&z[..z.len() - 3]).unwrap_err(), badmsg());
        // A declared size far beyond what the stream could produce: refused before allocating.
        let mut huge = z.clone();
        huge[8..12].copy_from_slice(&0x7fff_ffffu32.to_le_bytes());
        assert_eq!(decompress(&huge).unwrap_err(), badmsg());
        let mut tiny = z.clone();
        tiny[8..12].copy_from_slice(&4u32.to_le_bytes());
        assert_eq!(decompress(&tiny).unwrap_err(), badmsg());
        // A run that would overrun the declared size.
        let mut over = z;
        over[8..12].copy_from_slice(&20u32.to_le_bytes());
        assert_eq!(decompress(&over).unwrap_err(), badmsg());
    }
}
