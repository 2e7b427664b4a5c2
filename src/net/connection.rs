//! One open connection: its stream behind its own lock, so threads on different handles run in
//! parallel while two threads on the same handle never interleave bytes (a sync call holds the
//! lock from its request to its response). After any network failure the connection is dead:
//! the socket is shut down (the peer sees the close) and every later use fails, but the
//! descriptor stays allocated until `kclose`, so its number cannot be reused under the host.

use std::io::{self, Write};
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicBool, Ordering};

use parking_lot::Mutex;

use super::inbox::Inbox;
use super::stream::Stream;
use crate::sys;

pub struct Connection {
    fd: RawFd,
    capability: u8,
    peer_is_local: bool,
    io: Mutex<Io>,
    dead: AtomicBool,
}

/// What the lock guards: the stream, and the bytes read from it but not yet handled.
struct Io {
    stream: Stream,
    inbox: Inbox,
}

impl Connection {
    pub fn new(stream: Stream, capability: u8) -> Connection {
        Connection {
            fd: stream.fd(),
            capability,
            peer_is_local: stream.socket().peer_is_local(),
            io: Mutex::new(Io {
                stream,
                inbox: Inbox::default(),
            }),
            dead: AtomicBool::new(false),
        }
    }

    /// The handle kdb+ gives the host: the socket's descriptor, usable with select/poll.
    pub fn fd(&self) -> RawFd {
        self.fd
    }

    pub fn capability(&self) -> u8 {
        self.capability
    }

    pub fn peer_is_local(&self) -> bool {
        self.peer_is_local
    }

    pub fn is_dead(&self) -> bool {
        self.dead.load(Ordering::Acquire)
    }

    pub fn tls_details(&self) -> Option<(String, String)> {
        self.io.lock().stream.tls_details()
    }

    /// Sends one whole message (an async message, or anything not awaiting an answer).
    pub fn send(&self, msg: &[u8]) -> io::Result<()> {
        let mut io = self.io.lock();
        self.check_alive()?;
        self.guard(write_message(&mut io.stream, msg))
    }

    /// Sends a request and reads the next message, whatever its type (as kdb+'s C API does),
    /// handing it to `take` while the connection is still locked.
    pub fn call<R>(&self, msg: &[u8], take: impl FnOnce(&[u8]) -> R) -> io::Result<R> {
        let mut io = self.io.lock();
        self.check_alive()?;
        self.guard(write_message(&mut io.stream, msg))?;
        self.read_locked(&mut io, take)
    }

    /// Reads the next incoming message and hands it to `take`.
    pub fn receive<R>(&self, take: impl FnOnce(&[u8]) -> R) -> io::Result<R> {
        let mut io = self.io.lock();
        self.check_alive()?;
        self.read_locked(&mut io, take)
    }

    fn read_locked<R>(&self, io: &mut Io, take: impl FnOnce(&[u8]) -> R) -> io::Result<R> {
        let Io { stream, inbox } = io;
        let (_, msg) = self.guard(inbox.next(stream, self.capability))?;
        Ok(take(msg))
    }

    /// Marks the connection dead and shuts the socket, waking a thread blocked on it. Safe to
    /// call from any thread, with or without the stream lock.
    pub fn kill(&self) {
        if !self.dead.swap(true, Ordering::AcqRel) {
            sys::socket::shutdown_both(self.fd);
        }
    }

    /// A polite close (TLS close_notify) unless another thread is using the stream, then `kill`.
    pub fn close(&self) {
        if !self.is_dead() {
            // Wake a blocked reader first, or its lock would make us wait for the peer.
            if let Some(mut io) = self.io.try_lock() {
                io.stream.close_notify();
            }
        }
        self.kill();
    }

    fn check_alive(&self) -> io::Result<()> {
        if self.is_dead() {
            return Err(io::Error::from_raw_os_error(libc::ENOTCONN));
        }
        Ok(())
    }

    fn guard<T>(&self, r: io::Result<T>) -> io::Result<T> {
        if r.is_err() {
            self.kill();
        }
        r
    }
}

fn write_message(s: &mut Stream, msg: &[u8]) -> io::Result<()> {
    s.write_all(msg)?;
    s.flush()
}
