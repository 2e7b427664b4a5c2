//! A connection's byte stream: the socket itself, or TLS over it.

use std::io::{self, Read, Write};
use std::os::fd::RawFd;
use std::time::Instant;

use rustls::{ClientConnection, StreamOwned};

use super::socket::Socket;

pub enum Stream {
    Plain(Socket),
    Tls(Box<StreamOwned<ClientConnection, Socket>>),
}

impl Stream {
    pub fn socket(&self) -> &Socket {
        match self {
            Stream::Plain(s) => s,
            Stream::Tls(t) => &t.sock,
        }
    }

    pub fn fd(&self) -> RawFd {
        self.socket().fd()
    }

    pub fn set_deadline(&self, deadline: Option<Instant>) {
        self.socket().set_deadline(deadline)
    }

    /// For TLS, the protocol and cipher suite agreed (what kdb+ shows in `.z.e`).
    pub fn tls_details(&self) -> Option<(String, String)> {
        match self {
            Stream::Plain(_) => None,
            Stream::Tls(t) => Some((
                t.conn
                    .protocol_version()
                    .map(|v| format!("{v:?}"))
                    .unwrap_or_default(),
                t.conn
                    .negotiated_cipher_suite()
                    .map(|c| format!("{:?}", c.suite()))
                    .unwrap_or_default(),
            )),
        }
    }

    /// Says goodbye politely where the protocol has a way to (TLS close_notify); errors are
    /// ignored because the connection is going away.
    pub fn close_notify(&mut self) {
        if let Stream::Tls(t) = self {
            t.conn.send_close_notify();
            let _ = t.conn.complete_io(&mut t.sock);
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(t) => t.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(t) => t.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(t) => t.flush(),
        }
    }
}
