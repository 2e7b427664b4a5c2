//! Multithreaded input mode (`-p -port`), as KX's "Multithreaded input queue mode" describes:
//! each connection has its own thread that reads, evaluates and writes; evaluation there holds
//! the read side of the engine's multiple-read single-write lock and is read-only (q signals
//! `'noupdate` on a global write, `'nosocket` on a send to another connection); the main
//! thread (the owner: its console, `.z.ts`, its own sockets) takes the write side, which waits
//! for running queries and holds new ones back. `.z.po` and `.z.pc` are not called, `.z.W`
//! shows the main thread's sockets only, HTTP and WebSockets are served on the threads too, and
//! at most `MAX_CONNECTIONS` are open at once: the next is closed before its login is read.
//!
//! The lock is the engine lock (`sys::engine_lock`): these threads take its shared side, the
//! owner's presence inside the engine is its write side (`owner::gate`: its serving loop's
//! passes and turns, its own calls).

use std::collections::HashMap;
use std::io::Read;
use std::os::fd::{AsRawFd, RawFd};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};

use parking_lot::Mutex;

use super::greeting::{self, Greeting, SERVER_CAPABILITY};
use super::listener::{Accepted, Listener};
use super::websocket::{self, Frame};
use super::{reactor, HttpRequest, Kind, Peer, Service};
use crate::net::connection::Connection;
use crate::net::message;
use crate::net::socket::{Socket, Transport};
use crate::net::stream::Stream;
use crate::obj::{Error, Result, Sym, K, KG};
use crate::sys::engine_lock;
use crate::sys::event_fd::EventFd;
use crate::sys::poll::{self, POLLIN};
use crate::wire::{ASYNC, RESPONSE, SYNC};

/// The most connections served at once.
pub const MAX_CONNECTIONS: usize = 1020;
/// A connection thread's stack: it evaluates q, so it gets a main thread's.
const STACK: usize = 8 << 20;

static OPEN: AtomicUsize = AtomicUsize::new(0);
static ACCEPTOR: Mutex<Option<Acceptor>> = Mutex::new(None);
/// WebSockets open on connection threads, so `neg[.z.w]` reaches them.
static SOCKETS: LazyLock<Mutex<HashMap<RawFd, Arc<Connection>>>> = LazyLock::new(Default::default);

struct Acceptor {
    port: u16,
    stop: Arc<EventFd>,
    quit: Arc<AtomicBool>,
}

/// The engine lock's shared side for a connection thread: read-only, beside the others;
/// while the owner is inside (evaluating, the write side) it waits for it to leave.
fn read_side() -> engine_lock::Held {
    loop {
        if let Some(held) = engine_lock::acquire(engine_lock::Side::Shared) {
            return held;
        }
        engine_lock::wait_owner_away();
    }
}

/// `\p -port`: listens in multithreaded input mode (replacing any listener of this mode).
/// Refused where the system has no asymmetric barrier (`sys::membarrier`): no connection
/// thread could ever hold the engine there, so every query would wait forever.
pub fn listen(host: &str, port: u16) -> std::result::Result<u16, String> {
    if !engine_lock::non_owners_can_hold() {
        return Err("multithreaded input mode needs membarrier (Linux 4.14 or later)".into());
    }
    let l = Listener::bind(host, port)?;
    let port = l.port();
    let stop = Arc::new(EventFd::new().map_err(|e| super::listener::os_text(&e))?);
    let quit = Arc::new(AtomicBool::new(false));
    stop_listening();
    let (s, q) = (stop.clone(), quit.clone());
    std::thread::Builder::new()
        .name("libq-accept".into())
        .spawn(move || accept_loop(l, s, q))
        .map_err(|e| super::listener::os_text(&e))?;
    *ACCEPTOR.lock() = Some(Acceptor { port, stop, quit });
    Ok(port)
}

/// Stops listening in this mode; connections already open stay.
pub fn stop_listening() {
    if let Some(a) = ACCEPTOR.lock().take() {
        a.quit.store(true, Ordering::Release);
        a.stop.signal();
    }
}

/// The port listened on in this mode (0: none).
pub fn port() -> u16 {
    ACCEPTOR.lock().as_ref().map_or(0, |a| a.port)
}

/// `neg[h] x` from a connection thread to its own WebSocket.
pub fn websocket(h: i32) -> Option<Arc<Connection>> {
    SOCKETS.lock().get(&h).cloned()
}

fn accept_loop(l: Listener, stop: Arc<EventFd>, quit: Arc<AtomicBool>) {
    let fds: Vec<RawFd> = l.fds().collect();
    loop {
        let mut set: Vec<_> = fds.iter().map(|&fd| poll::watch(fd, POLLIN)).collect();
        set.push(poll::watch(stop.fd(), POLLIN));
        poll::poll(&mut set, None);
        if quit.load(Ordering::Acquire) {
            return;
        }
        for p in set.iter().filter(|p| p.revents != 0 && p.fd != stop.fd()) {
            loop {
                let a = match l.accept(p.fd) {
                    Ok(Some(a)) => a,
                    Ok(None) => break,
                    Err(_) => {
                        // Out of descriptors: let some close before trying again.
                        std::thread::sleep(std::time::Duration::from_millis(100));
                        break;
                    }
                };
                let (transport, address) = match a {
                    Accepted::Tcp(s, a) => (Transport::Tcp(s), a),
                    Accepted::Unix(s) => (Transport::Unix(s), 0),
                };
                // The limit: the next connection is closed before its login is read.
                if OPEN.load(Ordering::Acquire) >= MAX_CONNECTIONS {
                    drop(transport);
                    continue;
                }
                OPEN.fetch_add(1, Ordering::AcqRel);
                let spawned = std::thread::Builder::new()
                    .name("libq-conn".into())
                    .stack_size(STACK)
                    .spawn(move || {
                        struct Count;
                        impl Drop for Count {
                            fn drop(&mut self) {
                                OPEN.fetch_sub(1, Ordering::AcqRel);
                            }
                        }
                        let _count = Count;
                        connection(transport, address);
                    });
                if spawned.is_err() {
                    OPEN.fetch_sub(1, Ordering::AcqRel);
                }
            }
        }
    }
}

fn fd_of(t: &Transport) -> RawFd {
    match t {
        Transport::Tcp(s) => s.as_raw_fd(),
        Transport::Unix(s) => s.as_raw_fd(),
    }
}

/// One connection, from its first byte to its close, on its own thread.
fn connection(mut transport: Transport, address: i32) {
    let Some(service) = reactor::service() else {
        return;
    };
    let fd = fd_of(&transport);
    let mut bytes = Vec::new();
    let mut buf = [0u8; 4096];
    let greeting = loop {
        match greeting::parse(&bytes) {
            Greeting::Partial => {}
            g => break g,
        }
        let n = match &mut transport {
            Transport::Tcp(s) => s.read(&mut buf),
            Transport::Unix(s) => s.read(&mut buf),
        };
        match n {
            Ok(0) | Err(_) => return,
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
        }
    };
    let peer = |kind, user: &[u8]| Peer {
        handle: fd,
        user: Sym::new(user),
        address,
        kind,
        threaded: true,
    };
    match greeting {
        Greeting::Login {
            user,
            password,
            capability,
        } => {
            let peer = peer(Kind::Ipc, &user);
            let allowed = {
                let _r = read_side();
                service.login(&peer, &password)
            };
            let agreed = capability.min(SERVER_CAPABILITY);
            if !allowed || crate::sys::socket::send_nosignal(fd, &[agreed]).is_err() {
                return;
            }
            let conn = Connection::new(Stream::Plain(Socket::new(transport)), agreed);
            serve_ipc(&*service, &peer, &conn);
        }
        Greeting::Http { head, body } => {
            let mut peer = peer(Kind::Http, b"");
            let conn = Arc::new(Connection::new(Stream::Plain(Socket::new(transport)), 0));
            let req = HttpRequest {
                method: greeting::request_line(&head).0,
                target: greeting::request_line(&head).1,
                headers: greeting::headers(&head),
                body: &body,
            };
            let answer = {
                let _r = read_side();
                service.http(&peer, &req)
            };
            if conn.send(&answer.bytes).is_err() || !answer.upgrade {
                conn.close();
                return;
            }
            peer.kind = Kind::WebSocket;
            SOCKETS.lock().insert(fd, conn.clone());
            serve_websocket(&*service, &peer, &conn);
            SOCKETS.lock().remove(&fd);
        }
        Greeting::Partial | Greeting::Bad => {}
    }
}

fn serve_ipc(service: &dyn Service, peer: &Peer, conn: &Connection) {
    let cap = conn.capability();
    loop {
        let Ok((t, msg)) = conn.next_message(|t, m| (t, message::decode(m, cap))) else {
            return;
        };
        match t {
            SYNC => {
                let r = {
                    let _r = read_side();
                    service.sync(peer, msg)
                };
                // A deferred response needs the main thread's loop: not on these threads.
                let r = r.unwrap_or_else(|| Err(Error::new("nosocket")));
                let x = r.unwrap_or_else(|e| K::error(e.msg()));
                let bytes = message::encode_for(&x, RESPONSE, cap, conn.peer_is_local())
                    .or_else(|e| message::encode_for(&K::error(e.msg()), RESPONSE, cap, true));
                if bytes.map_or(true, |b| conn.send(&b).is_err()) {
                    return;
                }
            }
            ASYNC => {
                let _r = read_side();
                service.asynchronous(peer, msg);
            }
            _ => {}
        }
    }
}

fn serve_websocket(service: &dyn Service, peer: &Peer, conn: &Connection) {
    let mut reader = websocket::Reader::default();
    let mut buf = Vec::new();
    loop {
        loop {
            match reader.next_frame() {
                Ok(Some(Frame::Message(text, bytes))) => {
                    let msg = if text {
                        K::string(bytes)
                    } else {
                        K::from_slice(KG, &bytes)
                    };
                    let _r = read_side();
                    service.ws_message(peer, msg);
                }
                Ok(Some(Frame::Ping(p))) => {
                    let _ = conn.send(&websocket::frame(10, &p));
                }
                Ok(Some(Frame::Close)) | Err(_) => {
                    let _ = conn.send(&websocket::frame(8, &[]));
                    conn.close();
                    return;
                }
                Ok(None) => break,
            }
        }
        buf.clear();
        let got = conn.receive_raw(&mut buf);
        if !got {
            return;
        }
        reader.push(&buf);
    }
}

/// `neg[h] x` to a WebSocket served on a connection thread.
pub fn send_websocket(conn: &Connection, x: &K) -> Result<()> {
    let frame = match x.t() {
        crate::obj::KC => websocket::frame(1, x.bytes()),
        KG => websocket::frame(2, x.bytes()),
        _ => return Err(Error::type_()),
    };
    conn.send(&frame).map_err(|_| Error::new("nosocket"))
}
