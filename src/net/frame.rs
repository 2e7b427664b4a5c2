//! Message framing: the 8-byte header, checked before its length is trusted. The length must
//! cover at least a header and one type byte and stay within what the negotiated capability
//! allows; `inbox` then reads that many bytes in bounded steps.

use std::io;

pub const HEADER: usize = 8;

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
    let mut len = if little_endian {
        u32::from_le_bytes(low)
    } else {
        u32::from_be_bytes(low)
    } as u64;
    if cap >= 5 {
        len |= (h[3] as u64) << 32;
    }
    if len <= HEADER as u64 || len > max_len(cap) {
        return Err(bad("message header: bad length"));
    }
    Ok(Header {
        little_endian,
        msg_type: h[1],
        compressed: h[2] != 0,
        len,
    })
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
    fn lengths_are_bounded_by_capability() {
        assert_eq!(
            parse_header(&header(0x8000_0000, 0), 3).unwrap_err().kind(),
            io::ErrorKind::InvalidData
        );
        assert_eq!(
            parse_header(&header(0x8000_0000, 0), 6).unwrap().len,
            0x8000_0000
        );
        assert_eq!(parse_header(&header(16, 1), 6).unwrap().len, (1 << 32) + 16);
        assert_eq!(parse_header(&header(16, 1), 3).unwrap().len, 16);
        assert_eq!(
            parse_header(&header(8, 0), 3).unwrap_err().kind(),
            io::ErrorKind::InvalidData
        );
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
