//! The 8-byte message header, as kdb+ writes it:
//!
//! ```text
//! byte 0   1 little-endian, 0 big-endian (every later number follows it)
//! byte 1   message type: 0 async, 1 sync, 2 response
//! byte 2   0 plain; 1 compressed (4-byte uncompressed length follows the header);
//!          2 compressed large message (8-byte uncompressed length)
//! byte 3   0, or bits 32..39 of the length in a large message (capability 5 and up)
//! 4..8     total length in bytes, header included (low 32 bits)
//! ```

use crate::obj::{Error, Result};

pub const HEADER_LEN: usize = 8;

/// Largest message a 40-bit length can describe (kdb+'s 1TB limit).
pub const MAX_LARGE_LEN: u64 = (1 << 40) - 1;

/// Largest message below the large-message capabilities.
pub const MAX_PLAIN_LEN: u64 = i32::MAX as u64;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub little_endian: bool,
    pub msg_type: u8,
    /// 0 plain, 1 compressed, 2 compressed with an 8-byte uncompressed length.
    pub compressed: u8,
    /// Total length in bytes, header included.
    pub len: u64,
}

pub fn badmsg() -> Error {
    Error::new("badmsg")
}

impl Header {
    /// Reads a header, checking only what the header itself can say.
    pub fn parse(bytes: &[u8]) -> Result<Header> {
        let Some(h) = bytes.get(..HEADER_LEN) else {
            return Err(badmsg());
        };
        let little_endian = match h[0] {
            0 => false,
            1 => true,
            _ => return Err(badmsg()),
        };
        if h[2] > 2 {
            return Err(badmsg());
        }
        let low = [h[4], h[5], h[6], h[7]];
        let low = if little_endian {
            u32::from_le_bytes(low)
        } else {
            u32::from_be_bytes(low)
        };
        let len = (h[3] as u64) << 32 | low as u64;
        Ok(Header {
            little_endian,
            msg_type: h[1],
            compressed: h[2],
            len,
        })
    }

    /// Reads a header and checks that its length is exactly the bytes given.
    pub fn parse_exact(bytes: &[u8]) -> Result<Header> {
        let h = Header::parse(bytes)?;
        if h.len != bytes.len() as u64 || h.len < HEADER_LEN as u64 {
            return Err(badmsg());
        }
        Ok(h)
    }

    pub fn to_bytes(self) -> [u8; HEADER_LEN] {
        debug_assert!(self.len <= MAX_LARGE_LEN);
        let low = self.len as u32;
        let low = if self.little_endian {
            low.to_le_bytes()
        } else {
            low.to_be_bytes()
        };
        [
            self.little_endian as u8,
            self.msg_type,
            self.compressed,
            (self.len >> 32) as u8,
            low[0],
            low[1],
            low[2],
            low[3],
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_kx_documented_header() {
        let h = Header::parse(&[1, 0, 0, 0, 0x0d, 0, 0, 0]).unwrap();
        assert_eq!(
            h,
            Header {
                little_endian: true,
                msg_type: 0,
                compressed: 0,
                len: 13
            }
        );
        assert_eq!(h.to_bytes(), [1, 0, 0, 0, 0x0d, 0, 0, 0]);
    }

    #[test]
    fn big_endian_and_large_lengths() {
        let h = Header::parse(&[0, 2, 0, 0, 0, 0, 0, 0x0d]).unwrap();
        assert!(!h.little_endian);
        assert_eq!((h.msg_type, h.len), (2, 13));
        let large = Header {
            little_endian: true,
            msg_type: 1,
            compressed: 0,
            len: 0x12_0000_0010,
        };
        assert_eq!(large.to_bytes(), [1, 1, 0, 0x12, 0x10, 0, 0, 0]);
        assert_eq!(Header::parse(&large.to_bytes()).unwrap(), large);
    }

    #[test]
    fn rejects_bad_headers() {
        assert_eq!(Header::parse(&[1, 0, 0]).unwrap_err(), badmsg());
        assert_eq!(
            Header::parse(&[2, 0, 0, 0, 8, 0, 0, 0]).unwrap_err(),
            badmsg()
        );
        assert_eq!(
            Header::parse(&[1, 0, 3, 0, 8, 0, 0, 0]).unwrap_err(),
            badmsg()
        );
        assert_eq!(
            Header::parse_exact(&[1, 0, 0, 0, 9, 0, 0, 0]).unwrap_err(),
            badmsg()
        );
        assert_eq!(
            Header::parse_exact(&[1, 0, 0, 0, 4, 0, 0, 0]).unwrap_err(),
            badmsg()
        );
    }
}
