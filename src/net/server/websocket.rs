//! WebSocket framing (RFC 6455) for connections upgraded from HTTP: client frames are masked,
//! server frames are not; text and binary messages may come in fragments; pings are answered.
//! Every length is checked before it is used.

/// The largest message (all its fragments) accepted from a client.
pub const MAX_MESSAGE: usize = 256 << 20;

/// A client broke the protocol (unmasked or oversized frame, bad fragment or opcode): the
/// connection is dropped.
#[derive(Debug, PartialEq)]
pub struct Broken;

/// One parsed frame: whether it is the last fragment, its opcode, its unmasked payload, and how
/// many bytes it took.
struct Raw {
    fin: bool,
    opcode: u8,
    payload: Vec<u8>,
    used: usize,
}

#[derive(Debug, PartialEq)]
pub enum Frame {
    /// A whole message: text (true) or binary, and its bytes.
    Message(bool, Vec<u8>),
    /// A ping with its payload, to be answered with a pong.
    Ping(Vec<u8>),
    /// The client closes.
    Close,
}

/// A WebSocket connection's incoming bytes and the message being assembled from fragments.
#[derive(Default)]
pub struct Reader {
    buf: Vec<u8>,
    partial: Option<(bool, Vec<u8>)>,
}

impl Reader {
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The next whole frame that matters, None when more bytes are needed, Err when the peer
    /// broke the protocol (the connection is then dropped).
    pub fn next_frame(&mut self) -> Result<Option<Frame>, Broken> {
        loop {
            let Some(Raw {
                fin,
                opcode,
                payload,
                used,
            }) = parse(&self.buf)?
            else {
                return Ok(None);
            };
            self.buf.drain(..used);
            match opcode {
                0 => {
                    let (text, mut data) = self.partial.take().ok_or(Broken)?;
                    if data.len() + payload.len() > MAX_MESSAGE {
                        return Err(Broken);
                    }
                    data.extend_from_slice(&payload);
                    if fin {
                        return Ok(Some(Frame::Message(text, data)));
                    }
                    self.partial = Some((text, data));
                }
                1 | 2 => {
                    if self.partial.is_some() {
                        return Err(Broken);
                    }
                    if fin {
                        return Ok(Some(Frame::Message(opcode == 1, payload)));
                    }
                    self.partial = Some((opcode == 1, payload));
                }
                8 => return Ok(Some(Frame::Close)),
                9 => return Ok(Some(Frame::Ping(payload))),
                10 => {}
                _ => return Err(Broken),
            }
        }
    }
}

/// One frame from the front of `b`.
fn parse(b: &[u8]) -> Result<Option<Raw>, Broken> {
    if b.len() < 2 {
        return Ok(None);
    }
    let fin = b[0] & 0x80 != 0;
    let opcode = b[0] & 0x0f;
    if b[1] & 0x80 == 0 {
        // Client frames must be masked.
        return Err(Broken);
    }
    let (len, mut at) = match b[1] & 0x7f {
        126 if b.len() >= 4 => (u16::from_be_bytes([b[2], b[3]]) as u64, 4),
        127 if b.len() >= 10 => (
            u64::from_be_bytes(b[2..10].try_into().map_err(|_| Broken)?),
            10,
        ),
        126 | 127 => return Ok(None),
        n => (n as u64, 2),
    };
    if len > MAX_MESSAGE as u64 || opcode >= 8 && len > 125 {
        return Err(Broken);
    }
    let len = len as usize;
    if b.len() < at + 4 + len {
        return Ok(None);
    }
    let mask = [b[at], b[at + 1], b[at + 2], b[at + 3]];
    at += 4;
    let payload = b[at..at + len]
        .iter()
        .enumerate()
        .map(|(i, c)| c ^ mask[i % 4])
        .collect();
    Ok(Some(Raw {
        fin,
        opcode,
        payload,
        used: at + len,
    }))
}

/// A whole unmasked server frame: text (opcode 1), binary (2), close (8) or pong (10).
pub fn frame(opcode: u8, payload: &[u8]) -> Vec<u8> {
    let mut f = Vec::with_capacity(payload.len() + 10);
    f.push(0x80 | opcode);
    match payload.len() {
        n if n < 126 => f.push(n as u8),
        n if n <= 0xffff => {
            f.push(126);
            f.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            f.push(127);
            f.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    f.extend_from_slice(payload);
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(first: u8, payload: &[u8]) -> Vec<u8> {
        let mask = [1, 2, 3, 4];
        let mut f = vec![first];
        match payload.len() {
            n if n < 126 => f.push(0x80 | n as u8),
            n => {
                f.push(0x80 | 126);
                f.extend_from_slice(&(n as u16).to_be_bytes());
            }
        }
        f.extend_from_slice(&mask);
        f.extend(payload.iter().enumerate().map(|(i, c)| c ^ mask[i % 4]));
        f
    }

    #[test]
    fn messages_whole_fragmented_and_in_pieces() {
        let mut r = Reader::default();
        let mut bytes = masked(0x81, b"hello");
        bytes.extend(masked(0x02, &[1, 2]));
        bytes.extend(masked(0x89, b"p"));
        bytes.extend(masked(0x80, &vec![7; 300]));
        bytes.extend(masked(0x88, b""));
        for b in bytes.chunks(3) {
            r.push(b);
        }
        assert_eq!(
            r.next_frame(),
            Ok(Some(Frame::Message(true, b"hello".to_vec())))
        );
        assert_eq!(r.next_frame(), Ok(Some(Frame::Ping(b"p".to_vec()))));
        let mut joined = vec![1, 2];
        joined.extend(vec![7; 300]);
        assert_eq!(r.next_frame(), Ok(Some(Frame::Message(false, joined))));
        assert_eq!(r.next_frame(), Ok(Some(Frame::Close)));
        assert_eq!(r.next_frame(), Ok(None));
    }

    #[test]
    fn unmasked_and_oversized_frames_are_refused() {
        let mut r = Reader::default();
        r.push(&[0x81, 0x05]);
        assert_eq!(r.next_frame(), Err(Broken));
        let mut r = Reader::default();
        let mut f = vec![0x82, 0x80 | 127];
        f.extend_from_slice(&u64::MAX.to_be_bytes());
        r.push(&f);
        assert_eq!(r.next_frame(), Err(Broken));
    }

    #[test]
    fn server_frames_carry_their_length() {
        assert_eq!(frame(1, b"hi"), vec![0x81, 2, b'h', b'i']);
        assert_eq!(&frame(2, &[0; 300])[..4], &[0x82, 126, 1, 44]);
        assert_eq!(
            &frame(2, &vec![0; 70000])[..10],
            &[0x82, 127, 0, 0, 0, 0, 0, 1, 17, 112]
        );
    }
}
