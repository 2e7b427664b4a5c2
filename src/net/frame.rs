//! Message framing: reading one whole kdb+ message off a stream. The 8-byte header is checked
//! before its length is trusted: the length must cover at least a header and one type byte and
//! stay within what the negotiated capability allows, and the body is read in bounded steps so
//! a header that lies about its length costs no more memory than the bytes that really arrive.

use std::io::{self, Read};

pub const HEADER: usize = 8;

/// The first allocation for a body, and the largest single growth step.
const STEP: usize = 64 << 20;

/// The largest message a peer may send at capability `cap`: under 2 GB, or 1 TB from
/// capability 5 on (the length then carries 8 more bits in header byte 3).
pub fn max_len(cap: u8) -> u64 {
    if cap >= 5 {
        1 << 40
    } else {
        i32::MAX as u64
    }
}

/// The parts of a message header.
#[derive(Debug, PartialEq)]
pub struct Header {
    pub little_endian: bool,
    pub msg_type: u8,
    pub compressed: bool,
    pub len: u64,
}

pub fn parse_header(h: &[u8; HEADER], cap: u8) -> io::Result<Header> {
    let little_endian = match h[0] {
        0 => false,
        1 => true,
        _ => return Err(bad("message header: bad byte order")),
    };
    if h[1] > 2 {
        return Err(bad("message header: bad message type"));
    }
    let low = [h[4], h[5], h[6], h[7]];
    let mut len = if little_endian { u32::from_le_bytes(low) } else { u32::from_be_bytes(low) } as u64;
    if cap >= 5 {
        len |= (h[3] as u64) << 32;
    }
    if len <= HEADER as u64 || len > max_len(cap) {
        return Err(bad("message header: bad length"));
    }
    Ok(Header { little_endian, msg_type: h[1], compressed: h[2] != 0, len })
}

/// Reads one complete message (header included) into `msg`, replacing its contents and
/// reusing its capacity. EOF before the first byte is `UnexpectedEof` like any other
/// truncation: the caller treats both as a dead connection.
pub fn read_message(r: &mut impl Read, cap: u8, msg: &mut Vec<u8>) -> io::Result<Header> {
    msg.clear();
    let mut h = [0u8; HEADER];
    r.read_exact(&mut h)?;
    let header = parse_header(&h, cap)?;
    let len = usize::try_from(header.len).map_err(|_| bad("message too large"))?;
    msg.extend_from_slice(&h);
    while msg.len() < len {
        let step = (len - msg.len()).min(STEP.max(msg.len()));
        msg.try_reserve_exact(step).map_err(|_| io::Error::from(io::ErrorKind::OutOfMemory))?;
        let got = r.by_ref().take(step as u64).read_to_end(msg)?;
        if got < step {
            return Err(io::Error::from(io::ErrorKind::UnexpectedEof));
        }
    }
    Ok(header)
}

fn bad(msg: &'static str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(len: u32, b3: u8) -> [u8; 8] {
        let l = len.to_le_bytes();
        [1, 2, 0, b3, l[0], l[1], l[2], l[3]]
    }

    #[test]
    fn reads_one_message_and_leaves_the_next() {
        let mut bytes = header(10, 0).to_vec();
        bytes.extend_from_slice(&[0xf5, 0]);
        bytes.extend_from_slice(&header(10, 0));
        let mut r = &bytes[..];
        let mut m = Vec::new();
        let h = read_message(&mut r, 3, &mut m).unwrap();
        assert_eq!(h, Header { little_endian: true, msg_type: 2, compressed: false, len: 10 });
        assert_eq!(m.len(), 10);
        assert_eq!(r.len(), 8);
    }

    #[test]
    fn a_lying_length_fails_without_allocating_it() {
        // Claims 4 GB - 1 at capability 6 but sends 3 bytes of body.
        let mut bytes = header(u32::MAX, 0).to_vec();
        bytes.extend_from_slice(&[1, 2, 3]);
        let e = read_message(&mut &bytes[..], 6, &mut Vec::new()).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof);
    }

    #[test]
    fn lengths_are_bounded_by_capability() {
        assert_eq!(parse_header(&header(0x8000_0000, 0), 3).unwrap_err().kind(), io::ErrorKind::InvalidData);
        assert_eq!(parse_header(&header(0x8000_0000, 0), 6).unwrap().len, 0x8000_0000);
        assert_eq!(parse_header(&header(16, 1), 6).unwrap().len, (1 << 32) + 16);
        assert_eq!(parse_header(&header(16, 1), 3).unwrap().len, 16);
        assert_eq!(parse_header(&header(8, 0), 3).unwrap_err().kind(), io::ErrorKind::InvalidData);
        let mut h = header(16, 0);
        h[0] = 7;
        assert!(parse_header(&h, 3).is_err());
        h = header(16, 0);
        h[1] = 3;
        assert!(parse_header(&h, 3).is_err());
    }

    #[test]
    fn big_endian_lengths_are_read_big_endian() {
        let h = [0, 1, 0, 0, 0, 0, 0, 12];
        assert_eq!(parse_header(&h, 3).unwrap().len, 12);
    }
}
