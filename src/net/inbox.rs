//! A connection's incoming bytes, read ahead: one read takes whatever has arrived (a small
//! response in one system call, header and body together), and bytes past the current message
//! wait for the next one. Messages are cut out by their checked header (`frame`). The buffer
//! grows in bounded steps, so a header that lies about its length costs no more memory than
//! the bytes that really arrive, and keeps its size between messages (up to `RETAIN`) so
//! repeated large transfers reuse the same pages.

use std::io::{self, Read};

use super::frame::{self, Header, HEADER};

/// How much one read may take beyond what is needed.
const READ_AHEAD: usize = 16 << 10;
/// The largest single growth step.
const STEP: usize = 64 << 20;
/// Larger buffers are released once their message has been handled.
const RETAIN: usize = 256 << 20;

#[derive(Default)]
pub struct Inbox {
    /// Always initialised up to its length, so reads go straight into it.
    buf: Vec<u8>,
    /// The current message is `buf[..taken]`; unread bytes run up to `end`.
    taken: usize,
    end: usize,
}

impl Inbox {
    /// The next whole message (header included), read from `r` as needed.
    pub fn next(&mut self, r: &mut impl Read, cap: u8) -> io::Result<(Header, &[u8])> {
        self.discard_taken();
        self.fill(r, HEADER)?;
        let header = frame::parse_header(self.buf[..HEADER].try_into().expect("8 bytes"), cap)?;
        let len =
            usize::try_from(header.len).map_err(|_| io::Error::from(io::ErrorKind::OutOfMemory))?;
        self.fill(r, len)?;
        self.taken = len;
        Ok((header, &self.buf[..len]))
    }

    /// Drops the message last returned, keeping any bytes after it, and gives back memory
    /// held for an unusually large message.
    fn discard_taken(&mut self) {
        if self.taken > 0 {
            self.buf.copy_within(self.taken..self.end, 0);
            self.end -= self.taken;
            self.taken = 0;
        }
        if self.buf.len() > RETAIN && self.end <= READ_AHEAD {
            self.buf.truncate(READ_AHEAD);
            self.buf.shrink_to_fit();
        }
    }

    /// Reads until at least `want` bytes are buffered.
    fn fill(&mut self, r: &mut impl Read, want: usize) -> io::Result<()> {
        while self.end < want {
            if self.end == self.buf.len() {
                let grow = (want - self.end)
                    .min(STEP.max(self.buf.len()))
                    .max(READ_AHEAD);
                self.buf
                    .try_reserve_exact(grow)
                    .map_err(|_| io::Error::from(io::ErrorKind::OutOfMemory))?;
                self.buf.resize(self.end + grow, 0);
            }
            match r.read(&mut self.buf[self.end..])? {
                0 => return Err(io::Error::from(io::ErrorKind::UnexpectedEof)),
                n => self.end += n,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(msg_type: u8, body: &[u8]) -> Vec<u8> {
        let mut m = vec![1, msg_type, 0, 0];
        m.extend_from_slice(&((8 + body.len()) as u32).to_le_bytes());
        m.extend_from_slice(body);
        m
    }

    /// Hands out its bytes in reads of at most `chunk`, counting the reads.
    struct Trickle {
        bytes: Vec<u8>,
        at: usize,
        chunk: usize,
        reads: usize,
    }
    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.reads += 1;
            let n = buf.len().min(self.chunk).min(self.bytes.len() - self.at);
            buf[..n].copy_from_slice(&self.bytes[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    #[test]
    fn a_small_message_takes_one_read() {
        let mut r = Trickle {
            bytes: message(2, &[0xf5, 0]),
            at: 0,
            chunk: usize::MAX,
            reads: 0,
        };
        let mut inbox = Inbox::default();
        let (h, m) = inbox.next(&mut r, 3).unwrap();
        assert_eq!((h.msg_type, h.len, m.len()), (2, 10, 10));
        assert_eq!(r.reads, 1);
    }

    #[test]
    fn messages_arriving_together_or_in_pieces_come_out_whole_and_in_order() {
        let mut bytes = message(0, b"first");
        bytes.extend(message(2, &vec![7u8; 100_000]));
        bytes.extend(message(1, b"third"));
        for chunk in [1, 3, 4096, usize::MAX] {
            let mut r = Trickle {
                bytes: bytes.clone(),
                at: 0,
                chunk,
                reads: 0,
            };
            let mut inbox = Inbox::default();
            let (h, m) = inbox.next(&mut r, 3).unwrap();
            assert_eq!((h.msg_type, &m[8..]), (0, &b"first"[..]));
            let (h, m) = inbox.next(&mut r, 3).unwrap();
            assert_eq!((h.msg_type, m.len()), (2, 100_008));
            assert!(m[8..].iter().all(|&b| b == 7));
            let (h, m) = inbox.next(&mut r, 3).unwrap();
            assert_eq!((h.msg_type, &m[8..]), (1, &b"third"[..]));
            assert_eq!(
                inbox.next(&mut r, 3).unwrap_err().kind(),
                io::ErrorKind::UnexpectedEof
            );
        }
    }

    #[test]
    fn a_lying_length_fails_without_allocating_it() {
        // Claims 4 GB - 1 at capability 6 but sends 3 bytes of body.
        let mut bytes = vec![1, 2, 0, 0, 0xff, 0xff, 0xff, 0xff];
        bytes.extend_from_slice(&[1, 2, 3]);
        let mut r = Trickle {
            bytes,
            at: 0,
            chunk: usize::MAX,
            reads: 0,
        };
        let mut inbox = Inbox::default();
        assert_eq!(
            inbox.next(&mut r, 6).unwrap_err().kind(),
            io::ErrorKind::UnexpectedEof
        );
        assert!(inbox.buf.len() <= STEP);
    }

    #[test]
    fn a_bad_header_is_invalid_data() {
        let mut r = Trickle {
            bytes: vec![9, 2, 0, 0, 10, 0, 0, 0, 0, 0],
            at: 0,
            chunk: usize::MAX,
            reads: 0,
        };
        assert_eq!(
            Inbox::default().next(&mut r, 3).unwrap_err().kind(),
            io::ErrorKind::InvalidData
        );
    }
}
