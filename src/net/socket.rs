//! A connected socket, TCP or Unix domain, as the client uses it: reads go through the one
//! blocking point (`wait`), writes never raise SIGPIPE, and an optional deadline bounds every
//! read while a connection is being opened (khpun's timeout).

use std::cell::Cell;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::time::Instant;

use super::wait;
use crate::sys;

pub enum Transport {
    Tcp(TcpStream),
    Unix(UnixStream),
}

pub struct Socket {
    transport: Transport,
    deadline: Cell<Option<Instant>>,
}

impl Socket {
    pub fn new(transport: Transport) -> Socket {
        Socket {
            transport,
            deadline: Cell::new(None),
        }
    }

    pub fn fd(&self) -> RawFd {
        match &self.transport {
            Transport::Tcp(s) => s.as_raw_fd(),
            Transport::Unix(s) => s.as_raw_fd(),
        }
    }

    /// Whether the peer is on this machine (Unix socket or loopback address): kdb+ does not
    /// compress messages to such peers.
    pub fn peer_is_local(&self) -> bool {
        match &self.transport {
            Transport::Unix(_) => true,
            Transport::Tcp(s) => s.peer_addr().map(|a| a.ip().is_loopback()).unwrap_or(false),
        }
    }

    /// Whether it is a Unix domain socket (`-38!`'s family `u`), not TCP.
    pub fn is_unix(&self) -> bool {
        matches!(self.transport, Transport::Unix(_))
    }

    /// Bounds every following read (None: block as long as it takes).
    pub fn set_deadline(&self, deadline: Option<Instant>) {
        self.deadline.set(deadline);
    }
}

impl Read for Socket {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let fd = self.fd();
        let deadline = self.deadline.get();
        match &self.transport {
            Transport::Tcp(s) => wait::read(s, fd, buf, deadline),
            Transport::Unix(s) => wait::read(s, fd, buf, deadline),
        }
    }
}

impl Write for Socket {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        sys::socket::send_nosignal(self.fd(), buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
