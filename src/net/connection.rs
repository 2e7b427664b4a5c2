//! One open connection: its stream behind its own lock, so threads on different handles run in
//! parallel while two threads on the same handle never interleave bytes (a C host's sync call
//! holds the lock from its request to its response). After any network failure the connection
//! is dead: the socket is shut down (the peer sees the close) and every later use fails, but
//! the descriptor stays allocated until `kclose`, so its number cannot be reused under the host.
//!
//! Two kinds of writing:
//! - blocking (the C API's client handles): a send returns once the bytes are written;
//! - queued (connections a server accepted): a send never blocks; what the socket does not take
//!   now waits in the outbox (`.z.W` counts it) and the event loop writes it when the socket is
//!   writable, so a client that stops reading slows only itself.
//!
//! Messages that arrive while a sync call waits for its response (an async message a server
//! pushed first, a request a server sends back) are never taken for the response: a C host's
//! call keeps them for its next `k(h, (S)0)` read, and q's own calls hand them to `.z.ps` and
//! `.z.pg` (see `next_message`).

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use parking_lot::Mutex;

use super::frame::Header;
use super::inbox::Inbox;
use super::stream::Stream;
use crate::sys;
use crate::wire::RESPONSE;

/// A queued connection stops being read (and so stops adding responses) while this much
/// waits to be written to it.
pub const OUTBOX_HIGH: usize = 64 << 20;

pub struct Connection {
    fd: RawFd,
    capability: u8,
    peer_is_local: bool,
    unix: bool,
    queued_writes: bool,
    io: Mutex<Io>,
    dead: AtomicBool,
    /// Bytes waiting in the outbox, readable without the lock (`.z.W`, the loop's interest).
    waiting: AtomicUsize,
}

/// What the lock guards: the stream, the bytes read from it but not yet handled, messages
/// set aside while a sync call waited, and bytes not yet written.
struct Io {
    stream: Stream,
    inbox: Inbox,
    set_aside: VecDeque<(u8, Vec<u8>)>,
    outbox: Vec<u8>,
    /// How much of the outbox has been written.
    sent: usize,
}

/// Reads what has arrived without blocking: `WouldBlock` when nothing has.
struct Now(RawFd);

impl Read for Now {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        sys::socket::recv_now(self.0, buf)
    }
}

impl Connection {
    pub fn new(stream: Stream, capability: u8) -> Connection {
        Connection::with_writes(stream, capability, false)
    }

    /// A connection whose sends never block (a server's).
    pub fn queued(stream: Stream, capability: u8) -> Connection {
        Connection::with_writes(stream, capability, true)
    }

    fn with_writes(stream: Stream, capability: u8, queued_writes: bool) -> Connection {
        Connection {
            fd: stream.fd(),
            capability,
            peer_is_local: stream.socket().peer_is_local(),
            unix: stream.socket().is_unix(),
            queued_writes,
            io: Mutex::new(Io {
                stream,
                inbox: Inbox::default(),
                set_aside: VecDeque::new(),
                outbox: Vec::new(),
                sent: 0,
            }),
            dead: AtomicBool::new(false),
            waiting: AtomicUsize::new(0),
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

    /// Whether the socket is a Unix domain socket rather than TCP.
    pub fn is_unix(&self) -> bool {
        self.unix
    }

    pub fn is_dead(&self) -> bool {
        self.dead.load(Ordering::Acquire)
    }

    pub fn tls_details(&self) -> Option<(String, String)> {
        self.io.lock().stream.tls_details()
    }

    /// Bytes sent but not yet written to the socket (`.z.W`).
    pub fn queued_bytes(&self) -> usize {
        self.waiting.load(Ordering::Relaxed)
    }

    /// Sends one whole message (an async message, a response, anything not awaiting an
    /// answer): written now, or for a queued connection, queued behind what waits.
    pub fn send(&self, msg: &[u8]) -> io::Result<()> {
        let mut io = self.io.lock();
        self.check_alive()?;
        if !self.queued_writes {
            return self.guard(write_message(&mut io.stream, msg));
        }
        if io.outbox.is_empty() {
            let n = match sys::socket::send_now(self.fd, msg) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => 0,
                Err(e) => return self.guard(Err(e)),
            };
            if n == msg.len() {
                return Ok(());
            }
            io.outbox.extend_from_slice(&msg[n..]);
        } else {
            io.outbox.extend_from_slice(msg);
        }
        self.waiting
            .store(io.outbox.len() - io.sent, Ordering::Relaxed);
        Ok(())
    }

    /// Queues a whole message behind what waits without writing anything (`write_queued`
    /// writes it later); false for a connection whose sends block.
    pub fn hold(&self, msg: &[u8]) -> io::Result<bool> {
        if !self.queued_writes {
            return Ok(false);
        }
        let mut io = self.io.lock();
        self.check_alive()?;
        io.outbox.extend_from_slice(msg);
        self.waiting
            .store(io.outbox.len() - io.sent, Ordering::Relaxed);
        Ok(true)
    }

    /// Writes what the socket takes now from the outbox; the bytes still waiting.
    pub fn write_queued(&self) -> io::Result<usize> {
        let mut io = self.io.lock();
        self.check_alive()?;
        let io = &mut *io;
        while io.sent < io.outbox.len() {
            match sys::socket::send_now(self.fd, &io.outbox[io.sent..]) {
                Ok(n) => io.sent += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => return self.guard(Err(e)),
            }
        }
        Ok(self.settle_outbox(io))
    }

    /// Blocks until everything queued is written (`neg[h][]`, and before a sync request).
    pub fn flush(&self) -> io::Result<()> {
        let mut io = self.io.lock();
        self.check_alive()?;
        let r = self.flush_locked(&mut io);
        self.guard(r)
    }

    fn flush_locked(&self, io: &mut Io) -> io::Result<()> {
        while io.sent < io.outbox.len() {
            match sys::socket::send_now(self.fd, &io.outbox[io.sent..]) {
                Ok(n) => io.sent += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    sys::socket::poll_writable(self.fd, -1)?;
                }
                Err(e) => return Err(e),
            }
        }
        self.settle_outbox(io);
        Ok(())
    }

    /// Drops the written part of the outbox (keeping its memory for small queues).
    fn settle_outbox(&self, io: &mut Io) -> usize {
        if io.sent == io.outbox.len() {
            io.outbox.clear();
            io.sent = 0;
            if io.outbox.capacity() > 1 << 20 {
                io.outbox.shrink_to(64 << 10);
            }
        } else if io.sent > 1 << 20 {
            io.outbox.drain(..io.sent);
            io.sent = 0;
        }
        let left = io.outbox.len() - io.sent;
        self.waiting.store(left, Ordering::Relaxed);
        left
    }

    /// Writes a whole message now, after anything queued, blocking as long as it takes.
    fn write_now(&self, io: &mut Io, msg: &[u8]) -> io::Result<()> {
        if !self.queued_writes {
            return write_message(&mut io.stream, msg);
        }
        self.flush_locked(io)?;
        let mut at = 0;
        while at < msg.len() {
            match sys::socket::send_now(self.fd, &msg[at..]) {
                Ok(n) => at += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    sys::socket::poll_writable(self.fd, -1)?;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// A C host's sync call: sends a request and reads until the response, handing it to
    /// `take` while the connection is still locked. Other messages that come first are set
    /// aside for the next `receive`.
    pub fn call<R>(&self, msg: &[u8], take: impl FnOnce(&[u8]) -> R) -> io::Result<R> {
        let mut io = self.io.lock();
        self.check_alive()?;
        let r = self.write_now(&mut io, msg);
        self.guard(r)?;
        let Io {
            stream,
            inbox,
            set_aside,
            ..
        } = &mut *io;
        loop {
            let (h, m) = self.guard(inbox.next(stream, self.capability))?;
            if h.msg_type == RESPONSE {
                return Ok(take(m));
            }
            set_aside.push_back((h.msg_type, m.to_vec()));
        }
    }

    /// Sends a request that q's own call then waits on with `next_message`.
    pub fn request(&self, msg: &[u8]) -> io::Result<()> {
        let mut io = self.io.lock();
        self.check_alive()?;
        let r = self.write_now(&mut io, msg);
        self.guard(r)
    }

    /// Reads the next incoming message (one set aside first) and hands it to `take`.
    pub fn receive<R>(&self, take: impl FnOnce(&[u8]) -> R) -> io::Result<R> {
        self.next_message(|_, m| take(m))
    }

    /// The next incoming message with its type (0 async, 1 sync, 2 response); one set aside
    /// by an earlier call comes first.
    pub fn next_message<R>(&self, take: impl FnOnce(u8, &[u8]) -> R) -> io::Result<R> {
        let mut io = self.io.lock();
        if let Some((t, m)) = io.set_aside.pop_front() {
            return Ok(take(t, &m));
        }
        self.check_alive()?;
        let Io { stream, inbox, .. } = &mut *io;
        let (h, m) = self.guard(inbox.next(stream, self.capability))?;
        Ok(take(h.msg_type, m))
    }

    /// The event loop's read: takes what has arrived without blocking and hands each whole
    /// message to `each` (with its header). Ok(false) when the peer has closed or the
    /// connection failed (it is then dead), Ok(true) otherwise.
    /// A connection another thread is reading (a sync call waiting for its response) is left
    /// to that reader.
    pub fn read_arrived(&self, mut each: impl FnMut(&Header, &[u8])) -> bool {
        let Some(mut io) = self.io.try_lock() else {
            return !self.is_dead();
        };
        if self.is_dead() {
            return false;
        }
        while let Some((t, m)) = io.set_aside.pop_front() {
            let h = Header {
                little_endian: m.first() == Some(&1),
                msg_type: t,
                compressed: m.get(2).is_some_and(|&c| c != 0),
                len: m.len() as u64,
            };
            each(&h, &m);
        }
        let inbox = &mut io.inbox;
        let mut now = Now(self.fd);
        loop {
            match inbox.next(&mut now, self.capability) {
                Ok((h, m)) => each(&h, m),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return true,
                Err(_) => {
                    self.kill();
                    return false;
                }
            }
        }
    }

    /// The event loop's read of a connection that is not framed by kdb+'s header (a
    /// WebSocket): appends what has arrived to `out`; false when the peer closed or the
    /// connection failed.
    pub fn read_raw_arrived(&self, out: &mut Vec<u8>) -> bool {
        if self.is_dead() {
            return false;
        }
        let mut buf = [0u8; 16 << 10];
        loop {
            match sys::socket::recv_now(self.fd, &mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    out.extend_from_slice(&buf[..n]);
                    if n < buf.len() {
                        return true;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return true,
                Err(_) => break,
            }
        }
        self.kill();
        false
    }

    /// A blocking read of whatever arrives next (a WebSocket on its own thread), appended to
    /// `out`; false when the peer closed or the connection failed.
    pub fn receive_raw(&self, out: &mut Vec<u8>) -> bool {
        let mut io = self.io.lock();
        if self.is_dead() {
            return false;
        }
        let mut buf = [0u8; 16 << 10];
        match io.stream.read(&mut buf) {
            Ok(n) if n > 0 => {
                out.extend_from_slice(&buf[..n]);
                true
            }
            _ => {
                drop(io);
                self.kill();
                false
            }
        }
    }

    /// Marks the connection dead and shuts the socket, waking a thread blocked on it. Safe to
    /// call from any thread, with or without the stream lock.
    pub fn kill(&self) {
        if !self.dead.swap(true, Ordering::AcqRel) {
            sys::socket::shutdown_both(self.fd);
        }
    }

    /// A polite close (what is queued is written if the socket takes it now, TLS says
    /// close_notify) unless another thread is using the stream, then `kill`.
    pub fn close(&self) {
        if !self.is_dead() {
            // Wake a blocked reader first, or its lock would make us wait for the peer.
            if let Some(mut io) = self.io.try_lock() {
                let io = &mut *io;
                if io.sent < io.outbox.len() {
                    let _ = sys::socket::send_now(self.fd, &io.outbox[io.sent..]);
                }
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
