//! kdb+'s login: the client sends `user:password`, its capability byte and a NUL; a server
//! that accepts answers with one byte, the common capability; one that refuses closes the
//! connection without answering.

use std::io::{self, Read, Write};

/// The capability byte this client offers: 3 (compression, timestamps, guids), or 6 (messages
/// and vectors past 2 GB, the "1 TB limit" bit of khpunc's capability argument).
pub fn offered_capability(large: bool) -> u8 {
    if large {
        6
    } else {
        3
    }
}

/// The login bytes: credentials (which may not contain a NUL), capability, NUL.
pub fn login_bytes(credentials: &[u8], capability: u8) -> Vec<u8> {
    let mut v = Vec::with_capacity(credentials.len() + 2);
    v.extend_from_slice(credentials);
    v.push(capability);
    v.push(0);
    v
}

#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// The capability both sides use.
    Accepted(u8),
    /// The server closed the connection: it refused the credentials.
    Refused,
}

pub fn login(
    s: &mut (impl Read + Write),
    credentials: &[u8],
    capability: u8,
) -> io::Result<Outcome> {
    s.write_all(&login_bytes(credentials, capability))?;
    let mut reply = [0u8; 1];
    match s.read(&mut reply) {
        Ok(0) => Ok(Outcome::Refused),
        Ok(_) => Ok(Outcome::Accepted(reply[0].min(capability))),
        Err(e) if e.kind() == io::ErrorKind::ConnectionReset => Ok(Outcome::Refused),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Peer {
        sent: Vec<u8>,
        reply: Vec<u8>,
    }
    impl Read for Peer {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.reply.len().min(buf.len());
            buf[..n].copy_from_slice(&self.reply[..n]);
            self.reply.drain(..n);
            Ok(n)
        }
    }
    impl Write for Peer {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.sent.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn sends_credentials_capability_nul_and_takes_the_minimum() {
        let mut p = Peer {
            sent: vec![],
            reply: vec![1],
        };
        assert_eq!(login(&mut p, b"u:p", 3).unwrap(), Outcome::Accepted(1));
        assert_eq!(p.sent, b"u:p\x03\x00");
        let mut p = Peer {
            sent: vec![],
            reply: vec![6],
        };
        assert_eq!(login(&mut p, b"", 3).unwrap(), Outcome::Accepted(3));
        assert_eq!(p.sent, b"\x03\x00");
    }

    #[test]
    fn a_close_without_answer_is_a_refusal() {
        let mut p = Peer {
            sent: vec![],
            reply: vec![],
        };
        assert_eq!(login(&mut p, b"u:wrong", 3).unwrap(), Outcome::Refused);
    }

    #[test]
    fn the_large_message_bit_offers_capability_6() {
        assert_eq!(offered_capability(true), 6);
        assert_eq!(offered_capability(false), 3);
    }
}
