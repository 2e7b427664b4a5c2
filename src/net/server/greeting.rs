//! The first bytes a server reads from a new connection: kdb+'s login (`user:password`, a
//! capability byte, NUL) or an HTTP request (a browser, `.z.ph`/`.z.pp`, or a WebSocket
//! upgrade). Each is bounded: a peer that sends more without finishing is dropped.

/// The capability this server supports: 6 (compression, timestamps, guids, messages and
/// vectors past 2 GB with the length's extra byte).
pub const SERVER_CAPABILITY: u8 = 6;

/// The longest login (credentials, capability, NUL) accepted.
pub const MAX_LOGIN: usize = 64 << 10;
/// The longest HTTP request head (request line and headers) accepted.
pub const MAX_HTTP_HEAD: usize = 64 << 10;
/// The longest HTTP request body accepted.
pub const MAX_HTTP_BODY: usize = 64 << 20;

#[derive(Debug, PartialEq)]
pub enum Greeting {
    /// More bytes are needed.
    Partial,
    /// A kdb+ login: user, password, and the capability offered (0 for a client that sent
    /// none).
    Login {
        user: Vec<u8>,
        password: Vec<u8>,
        capability: u8,
    },
    /// A whole HTTP request: its head (through the blank line) and body.
    Http { head: Vec<u8>, body: Vec<u8> },
    /// Too long or malformed: drop the connection.
    Bad,
}

fn is_http(b: &[u8]) -> bool {
    const METHODS: [&[u8]; 3] = [b"GET ", b"POST ", b"HEAD "];
    METHODS
        .iter()
        .any(|m| b.len() >= m.len() && b.starts_with(m) || m.starts_with(b))
}

/// What the bytes read so far (`b`) amount to.
pub fn parse(b: &[u8]) -> Greeting {
    if b.is_empty() {
        return Greeting::Partial;
    }
    if is_http(b) {
        return http(b);
    }
    let Some(nul) = b.iter().position(|&c| c == 0) else {
        return if b.len() >= MAX_LOGIN {
            Greeting::Bad
        } else {
            Greeting::Partial
        };
    };
    let mut text = &b[..nul];
    // The capability is a byte below the printable range just before the NUL; clients older
    // than kdb+ 2.6 send none.
    let capability = match text.last() {
        Some(&c) if c < 8 => {
            text = &text[..text.len() - 1];
            c
        }
        _ => 0,
    };
    let (user, password) = match text.iter().position(|&c| c == b':') {
        Some(i) => (text[..i].to_vec(), text[i + 1..].to_vec()),
        None => (text.to_vec(), Vec::new()),
    };
    Greeting::Login {
        user,
        password,
        capability,
    }
}

fn http(b: &[u8]) -> Greeting {
    let Some(end) = b.windows(4).position(|w| w == b"\r\n\r\n") else {
        return if b.len() >= MAX_HTTP_HEAD {
            Greeting::Bad
        } else {
            Greeting::Partial
        };
    };
    let head = &b[..end + 4];
    let length =
        header(head, "content-length").map(|v| String::from_utf8_lossy(v).trim().parse::<usize>());
    let length = match length {
        None => 0,
        Some(Ok(n)) if n <= MAX_HTTP_BODY => n,
        Some(_) => return Greeting::Bad,
    };
    let body = &b[end + 4..];
    if body.len() < length {
        return Greeting::Partial;
    }
    Greeting::Http {
        head: head.to_vec(),
        body: body[..length].to_vec(),
    }
}

/// The value of header `name` (compared without case) in an HTTP request head.
pub fn header<'a>(head: &'a [u8], name: &str) -> Option<&'a [u8]> {
    head.split(|&c| c == b'\n').skip(1).find_map(|line| {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let colon = line.iter().position(|&c| c == b':')?;
        line[..colon]
            .eq_ignore_ascii_case(name.as_bytes())
            .then(|| trim(&line[colon + 1..]))
    })
}

/// Every header of an HTTP request head, in order: (name, value).
pub fn headers(head: &[u8]) -> Vec<(&[u8], &[u8])> {
    head.split(|&c| c == b'\n')
        .skip(1)
        .filter_map(|line| {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let colon = line.iter().position(|&c| c == b':')?;
            Some((trim(&line[..colon]), trim(&line[colon + 1..])))
        })
        .collect()
}

/// The method and target of the request line (`GET`, `/path?query`).
pub fn request_line(head: &[u8]) -> (&[u8], &[u8]) {
    let line = head
        .split(|&c| c == b'\r' || c == b'\n')
        .next()
        .unwrap_or(b"");
    let mut parts = line.split(|&c| c == b' ').filter(|p| !p.is_empty());
    (parts.next().unwrap_or(b""), parts.next().unwrap_or(b""))
}

fn trim(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &b[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_with_and_without_capability() {
        assert_eq!(
            parse(b"bob:secret\x03\x00"),
            Greeting::Login {
                user: b"bob".to_vec(),
                password: b"secret".to_vec(),
                capability: 3
            }
        );
        assert_eq!(
            parse(b"\x06\x00"),
            Greeting::Login {
                user: vec![],
                password: vec![],
                capability: 6
            }
        );
        assert_eq!(
            parse(b"old\x00"),
            Greeting::Login {
                user: b"old".to_vec(),
                password: vec![],
                capability: 0
            }
        );
        assert_eq!(parse(b"bob:sec"), Greeting::Partial);
        assert_eq!(parse(&vec![b'a'; MAX_LOGIN]), Greeting::Bad);
    }

    #[test]
    fn http_requests_are_framed_by_their_head_and_length() {
        assert_eq!(parse(b"GE"), Greeting::Partial);
        assert_eq!(parse(b"GET /?a HTTP/1.1\r\nHost: x\r\n"), Greeting::Partial);
        let g = parse(b"GET /?a HTTP/1.1\r\nHost: x\r\n\r\n");
        let Greeting::Http { head, body } = g else {
            panic!("{g:?}")
        };
        assert_eq!(request_line(&head), (&b"GET"[..], &b"/?a"[..]));
        assert_eq!(header(&head, "host"), Some(&b"x"[..]));
        assert!(body.is_empty());
        assert_eq!(
            parse(b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab"),
            Greeting::Partial
        );
        let Greeting::Http { body, .. } = parse(b"POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nabc")
        else {
            panic!()
        };
        assert_eq!(body, b"ab");
        assert_eq!(
            parse(b"POST / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n"),
            Greeting::Bad
        );
    }
}
