//! The server's connections and the timer, as the event loop sees them: `interest` says which
//! descriptors to poll (and how long until the timer is due), `dispatch` does the reading,
//! accepting and writing the poll found ready and then asks the service to evaluate what
//! arrived, in arrival order per connection. The state lock is never held while the service
//! runs, so handlers may open, close, send and change the port.
//!
//! Fault handling: reads never block (a client that sends half a message holds only its own
//! bytes), writes never block (a client that stops reading holds only its own queue, and is
//! not read while more than `OUTBOX_HIGH` waits for it), logins and HTTP heads are bounded
//! (`greeting`), and every length is checked by the framing before it is used.

use std::collections::HashMap;
use std::os::fd::{AsRawFd, RawFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant, SystemTime};

use parking_lot::{Mutex, RwLock};

use super::greeting::{self, Greeting, SERVER_CAPABILITY};
use super::listener::{Accepted, Listener};
use super::websocket::{self, Frame};
use super::{HttpRequest, Kind, Peer, Service};
use crate::net::connection::{Connection, OUTBOX_HIGH};
use crate::net::socket::{Socket, Transport};
use crate::net::stream::Stream;
use crate::net::{handles, message};
use crate::obj::{Error, Result, Sym, K, KC, KG};
use crate::sys::event_fd::EventFd;
use crate::sys::poll::{self, PollFd, POLLIN, POLLOUT};
use crate::wire::{ASYNC, RESPONSE, SYNC};

/// At most this many connections are accepted per listening socket per turn of the loop, so a
/// flood of connections cannot starve the clients already connected.
const ACCEPT_BATCH: usize = 64;
/// Out of descriptors: the listener is left alone this long before accepting again (it stays
/// readable, and polling it would spin).
const ACCEPT_PAUSE: Duration = Duration::from_millis(100);

static STATE: LazyLock<Mutex<State>> = LazyLock::new(Default::default);
static SERVICE: RwLock<Option<Arc<dyn Service>>> = RwLock::new(None);
/// Anything to watch: a listener, a connection or the timer (read without the lock).
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Rung when the state changes off the loop (a new port, the timer, output queued), so a
/// stand-in that polls with an old set looks again.
static WAKE: LazyLock<Option<EventFd>> = LazyLock::new(|| EventFd::new().ok());

#[derive(Default)]
struct State {
    listener: Option<Listener>,
    /// Accepting failed for want of descriptors: not before this.
    accept_after: Option<Instant>,
    /// Accepted, login or HTTP request not yet complete.
    fresh: HashMap<RawFd, Fresh>,
    served: HashMap<RawFd, Served>,
    timer: Option<Timer>,
}

struct Fresh {
    transport: Transport,
    address: i32,
    bytes: Vec<u8>,
}

struct Served {
    conn: Arc<Connection>,
    peer: Peer,
    ws: Option<websocket::Reader>,
    /// An answered HTTP request: close once its response is written.
    close_when_flushed: bool,
    /// Sync requests whose handler deferred the response (`-30!`), not yet answered.
    deferred: usize,
}

struct Timer {
    period: Duration,
    due: Instant,
}

/// What arrived, to be handed to the service once the state lock is released.
enum Work {
    Login {
        transport: Transport,
        address: i32,
        user: Vec<u8>,
        password: Vec<u8>,
        capability: u8,
    },
    Http {
        transport: Transport,
        address: i32,
        head: Vec<u8>,
        body: Vec<u8>,
    },
    Message(Peer, u8, Result<K>),
    WebSocket(Peer, Frame),
    Closed(Peer),
    Tick(SystemTime),
}

fn fd_of(t: &Transport) -> RawFd {
    match t {
        Transport::Tcp(s) => s.as_raw_fd(),
        Transport::Unix(s) => s.as_raw_fd(),
    }
}

impl State {
    fn update_active(&self) {
        let active = self.listener.is_some()
            || !self.fresh.is_empty()
            || !self.served.is_empty()
            || self.timer.is_some();
        ACTIVE.store(active, Ordering::SeqCst);
    }
}

// ---- what q calls -----------------------------------------------------------------------

/// Installs the interpreter's side (once the engine exists).
pub fn set_service(s: Arc<dyn Service>) {
    *SERVICE.write() = Some(s);
}

pub(super) fn service() -> Option<Arc<dyn Service>> {
    SERVICE.read().clone()
}

/// What the server listens on.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Listening {
    pub port: u16,
}

/// `\p [host:]port`: listens there (0: a port the system picks), replacing any earlier
/// listening socket; connections already open stay. Errors are kdb+'s text.
pub fn listen(host: &str, port: u16) -> std::result::Result<Listening, String> {
    let l = Listener::bind(host, port)?;
    let port = l.port();
    {
        let mut st = STATE.lock();
        st.listener = Some(l);
        st.update_active();
    }
    wake();
    super::standin::ensure_running();
    Ok(Listening { port })
}

/// `\p 0`: stops listening; open connections stay.
pub fn stop_listening() {
    let mut st = STATE.lock();
    st.listener = None;
    st.update_active();
}

/// The port listened on (0: none).
pub fn port() -> u16 {
    STATE.lock().listener.as_ref().map_or(0, |l| l.port())
}

/// `\t ms`: runs the service's `tick` every `ms` milliseconds (0: stops it).
pub fn set_timer(ms: u64) {
    {
        let mut st = STATE.lock();
        st.timer = (ms > 0).then(|| Timer {
            period: Duration::from_millis(ms),
            due: Instant::now() + Duration::from_millis(ms),
        });
        st.update_active();
    }
    wake();
    super::standin::ensure_running();
}

/// The timer's period in milliseconds (0: off).
pub fn timer() -> u64 {
    STATE
        .lock()
        .timer
        .as_ref()
        .map_or(0, |t| t.period.as_millis() as u64)
}

/// Bytes waiting to be written to handle `h` (0 for a handle that queues nothing).
pub fn queued_bytes(h: i32) -> usize {
    handles::get(h).map_or(0, |c| c.queued_bytes())
}

/// Puts a connection this process opened on the loop, so messages a server pushes to it are
/// handed to the service (`.z.ps`), and its closing to `.z.pc`.
pub fn watch_outgoing(conn: Arc<Connection>) {
    let peer = Peer {
        handle: conn.fd(),
        user: Sym::empty(),
        address: 0,
        kind: Kind::Outgoing,
        threaded: false,
    };
    {
        let mut st = STATE.lock();
        st.served.insert(
            conn.fd(),
            Served {
                conn,
                peer,
                ws: None,
                close_when_flushed: false,
                deferred: 0,
            },
        );
        st.update_active();
    }
    wake();
    super::standin::ensure_running();
}

/// Takes a connection off the loop (it was closed here: `.z.pc` is not called).
pub fn forget(h: i32) {
    let mut st = STATE.lock();
    if st.served.remove(&h).is_some() {
        st.update_active();
    }
}

/// What kind of connection handle `h` is, if the loop serves it.
pub fn kind_of(h: i32) -> Option<Kind> {
    if super::threaded::websocket(h).is_some() {
        return Some(Kind::WebSocket);
    }
    STATE.lock().served.get(&h).map(|s| s.peer.kind)
}

/// `neg[h] x` on a WebSocket: a char vector goes as a text frame, bytes as a binary frame.
pub fn send_websocket(h: i32, x: &K) -> Result<()> {
    if let Some(conn) = super::threaded::websocket(h) {
        return super::threaded::send_websocket(&conn, x);
    }
    let frame = match x.t() {
        KC => websocket::frame(1, x.bytes()),
        KG => websocket::frame(2, x.bytes()),
        _ => return Err(Error::type_()),
    };
    let conn = STATE
        .lock()
        .served
        .get(&h)
        .map(|s| s.conn.clone())
        .ok_or_else(|| Error::new("nosocket"))?;
    conn.send(&frame).map_err(|_| Error::new("nosocket"))?;
    kick(&conn);
    Ok(())
}

/// `-30!(h;isError;x)`: answers a sync request on `h` whose handler deferred its response.
pub fn respond(h: i32, r: Result<K>) -> Result<()> {
    let conn = {
        let mut st = STATE.lock();
        let s = st.served.get_mut(&h).ok_or_else(Error::domain)?;
        if s.deferred == 0 {
            return Err(Error::domain());
        }
        s.deferred -= 1;
        s.conn.clone()
    };
    send_response(&conn, r);
    Ok(())
}

/// After output was queued off the loop: makes sure the loop will write it.
pub fn kick(conn: &Connection) {
    if conn.queued_bytes() > 0 {
        wake();
    }
}

fn wake() {
    if let Some(w) = WAKE.as_ref() {
        w.signal();
    }
}

// ---- what the event loop calls ----------------------------------------------------------

/// Whether `fd` is the wake-up descriptor; if so it is drained.
pub fn take_wake(fd: RawFd) -> bool {
    match WAKE.as_ref() {
        Some(w) if w.fd() == fd => {
            w.drain();
            true
        }
        _ => false,
    }
}

/// Whether the timer is due now.
pub fn timer_due() -> bool {
    STATE
        .lock()
        .timer
        .as_ref()
        .is_some_and(|t| Instant::now() >= t.due)
}

/// Whether the loop has anything of the server's to watch.
pub fn active() -> bool {
    ACTIVE.load(Ordering::SeqCst)
}

/// Adds the descriptors to poll to `set`; returns how long until the timer is due.
pub fn interest(set: &mut Vec<PollFd>) -> Option<Duration> {
    if let Some(w) = WAKE.as_ref() {
        set.push(poll::watch(w.fd(), POLLIN));
    }
    let mut st = STATE.lock();
    let now = Instant::now();
    let paused = st.accept_after.filter(|t| *t > now);
    st.accept_after = paused;
    if let (Some(l), None) = (&st.listener, paused) {
        set.extend(l.fds().map(|fd| poll::watch(fd, POLLIN)));
    }
    set.extend(st.fresh.keys().map(|&fd| poll::watch(fd, POLLIN)));
    for (&fd, s) in &st.served {
        let waiting = s.conn.queued_bytes();
        let mut events = if waiting > 0 { POLLOUT } else { 0 };
        if waiting < OUTBOX_HIGH {
            events |= POLLIN;
        }
        set.push(poll::watch(fd, events));
    }
    let timer = st
        .timer
        .as_ref()
        .map(|t| t.due.saturating_duration_since(now));
    let resume = paused.map(|t| t.saturating_duration_since(now));
    match (timer, resume) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Handles what the poll found ready in `set` (entries that are not the server's are
/// skipped), and the timer if due. Runs on the owner.
pub fn dispatch(set: &[PollFd]) {
    let mut work = Vec::new();
    {
        let mut st = STATE.lock();
        for p in set.iter().filter(|p| p.revents != 0) {
            if take_wake(p.fd) {
                continue;
            }
            st.ready(p.fd, p.revents, &mut work);
        }
        let now = Instant::now();
        if let Some(t) = st.timer.as_mut() {
            if now >= t.due {
                let late = now - t.due;
                work.push(Work::Tick(SystemTime::now() - late));
                // A timer that fell behind skips the missed ticks rather than bunching them.
                while t.due <= now {
                    t.due += t.period;
                }
            }
        }
        st.update_active();
    }
    if work.is_empty() {
        return;
    }
    let Some(service) = service() else {
        return;
    };
    // Async sends made while handling these are written together at the end (`held`).
    super::held::begin();
    for w in work {
        run(&*service, w);
    }
    super::held::end();
}

impl State {
    fn ready(&mut self, fd: RawFd, revents: i16, work: &mut Vec<Work>) {
        if self
            .listener
            .as_ref()
            .is_some_and(|l| l.fds().any(|f| f == fd))
        {
            self.accept(fd);
        } else if self.fresh.contains_key(&fd) {
            self.greet(fd, work);
        } else if self.served.contains_key(&fd) {
            self.serve(fd, revents, work);
        }
    }

    fn accept(&mut self, fd: RawFd) {
        let Some(l) = &self.listener else { return };
        for _ in 0..ACCEPT_BATCH {
            let a = match l.accept(fd) {
                Ok(Some(a)) => a,
                Ok(None) => break,
                Err(_) => {
                    self.accept_after = Some(Instant::now() + ACCEPT_PAUSE);
                    break;
                }
            };
            let (transport, address) = match a {
                Accepted::Tcp(s, a) => (Transport::Tcp(s), a),
                Accepted::Unix(s) => (Transport::Unix(s), 0),
            };
            self.fresh.insert(
                fd_of(&transport),
                Fresh {
                    transport,
                    address,
                    bytes: Vec::new(),
                },
            );
        }
    }

    fn greet(&mut self, fd: RawFd, work: &mut Vec<Work>) {
        let f = self.fresh.get_mut(&fd).expect("fresh");
        let mut buf = [0u8; 4096];
        let closed = match crate::sys::socket::recv_now(fd, &mut buf) {
            Ok(0) => true,
            Ok(n) => {
                f.bytes.extend_from_slice(&buf[..n]);
                false
            }
            Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
        };
        if closed {
            self.fresh.remove(&fd);
            return;
        }
        match greeting::parse(&f.bytes) {
            Greeting::Partial => {}
            Greeting::Bad => {
                self.fresh.remove(&fd);
            }
            Greeting::Login {
                user,
                password,
                capability,
            } => {
                let f = self.fresh.remove(&fd).expect("fresh");
                work.push(Work::Login {
                    transport: f.transport,
                    address: f.address,
                    user,
                    password,
                    capability,
                });
            }
            Greeting::Http { head, body } => {
                let f = self.fresh.remove(&fd).expect("fresh");
                work.push(Work::Http {
                    transport: f.transport,
                    address: f.address,
                    head,
                    body,
                });
            }
        }
    }

    fn serve(&mut self, fd: RawFd, revents: i16, work: &mut Vec<Work>) {
        let s = self.served.get_mut(&fd).expect("served");
        let mut alive = true;
        if revents & POLLOUT != 0 {
            match s.conn.write_queued() {
                Ok(0) if s.close_when_flushed => alive = false,
                Ok(_) => {}
                Err(_) => alive = false,
            }
        }
        if alive && revents & !POLLOUT != 0 {
            let peer = &s.peer;
            alive = match &mut s.ws {
                Some(ws) => {
                    let mut bytes = Vec::new();
                    let open = s.conn.read_raw_arrived(&mut bytes);
                    ws.push(&bytes);
                    let mut ok = open;
                    loop {
                        match ws.next_frame() {
                            Ok(Some(Frame::Close)) => {
                                ok = false;
                                break;
                            }
                            Ok(Some(f)) => work.push(Work::WebSocket(peer.clone(), f)),
                            Ok(None) => break,
                            Err(_) => {
                                ok = false;
                                break;
                            }
                        }
                    }
                    ok
                }
                None if s.close_when_flushed => {
                    let mut ignored = Vec::new();
                    s.conn.read_raw_arrived(&mut ignored)
                }
                None => {
                    let cap = s.conn.capability();
                    s.conn.read_arrived(|h, m| {
                        work.push(Work::Message(
                            peer.clone(),
                            h.msg_type,
                            message::decode(m, cap),
                        ))
                    })
                }
            };
        }
        if !alive {
            let s = self.served.remove(&fd).expect("served");
            if s.peer.kind == Kind::WebSocket {
                let _ = s.conn.send(&websocket::frame(8, &[]));
            }
            handles::remove(fd);
            s.conn.close();
            if !s.close_when_flushed {
                work.push(Work::Closed(s.peer));
            }
        }
    }
}

// ---- handing work to the service --------------------------------------------------------

fn run(service: &dyn Service, w: Work) {
    match w {
        Work::Login {
            transport,
            address,
            user,
            password,
            capability,
        } => {
            let peer = Peer {
                handle: fd_of(&transport),
                user: Sym::new(&user),
                address,
                kind: Kind::Ipc,
                threaded: false,
            };
            if !service.login(&peer, &password) {
                // Refused: closed without an answer, as kdb+ does.
                return;
            }
            let agreed = capability.min(SERVER_CAPABILITY);
            if crate::sys::socket::send_nosignal(peer.handle, &[agreed]).is_err() {
                return;
            }
            let conn = Arc::new(Connection::queued(
                Stream::Plain(Socket::new(transport)),
                agreed,
            ));
            adopt(conn, peer.clone(), None);
            service.opened(&peer);
        }
        Work::Http {
            transport,
            address,
            head,
            body,
        } => http(service, transport, address, &head, &body),
        Work::Message(peer, t, msg) => {
            let Some(conn) = live(peer.handle) else {
                return;
            };
            match t {
                SYNC => match service.sync(&peer, msg) {
                    Some(r) => send_response(&conn, r),
                    None => {
                        if let Some(s) = STATE.lock().served.get_mut(&peer.handle) {
                            s.deferred += 1;
                        }
                    }
                },
                ASYNC => service.asynchronous(&peer, msg),
                // A response nobody waits for (its caller gave up): dropped.
                _ => {}
            }
        }
        Work::WebSocket(peer, frame) => {
            let Some(conn) = live(peer.handle) else {
                return;
            };
            match frame {
                Frame::Message(true, bytes) => service.ws_message(&peer, K::string(bytes)),
                Frame::Message(false, bytes) => {
                    service.ws_message(&peer, K::from_slice(KG, &bytes))
                }
                Frame::Ping(p) => {
                    let _ = conn.send(&websocket::frame(10, &p));
                }
                Frame::Close => {}
            }
        }
        Work::Closed(peer) => match peer.kind {
            Kind::WebSocket => service.ws_closed(&peer),
            _ => service.closed(&peer),
        },
        Work::Tick(due) => service.tick(due),
    }
}

/// The connection behind a served handle, unless a handler closed it meanwhile.
fn live(h: i32) -> Option<Arc<Connection>> {
    STATE.lock().served.get(&h).map(|s| s.conn.clone())
}

/// Puts an accepted connection on the loop and in the handle table.
fn adopt(conn: Arc<Connection>, peer: Peer, ws: Option<websocket::Reader>) {
    let fd = conn.fd();
    handles::insert_shared(conn.clone());
    let mut st = STATE.lock();
    st.served.insert(
        fd,
        Served {
            conn,
            peer,
            ws,
            close_when_flushed: false,
            deferred: 0,
        },
    );
    st.update_active();
}

/// Sends the response to a sync request: the value, or the error as kdb+ sends it.
fn send_response(conn: &Connection, r: Result<K>) {
    let x = r.unwrap_or_else(|e| K::error(e.msg()));
    let bytes =
        message::encode_for(&x, RESPONSE, conn.capability(), conn.peer_is_local()).or_else(|e| {
            message::encode_for(
                &K::error(e.msg()),
                RESPONSE,
                conn.capability(),
                conn.peer_is_local(),
            )
        });
    if let Ok(bytes) = bytes {
        let _ = conn.send(&bytes);
    }
}

const UNAUTHORIZED: &[u8] = b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"kdb+\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

fn http(service: &dyn Service, transport: Transport, address: i32, head: &[u8], body: &[u8]) {
    let (method, target) = greeting::request_line(head);
    let headers = greeting::headers(head);
    let (user, password) = greeting::header(head, "authorization")
        .and_then(basic_credentials)
        .unwrap_or_default();
    let mut peer = Peer {
        handle: fd_of(&transport),
        user: Sym::new(&user),
        address,
        kind: Kind::Http,
        threaded: false,
    };
    let conn = Arc::new(Connection::queued(Stream::Plain(Socket::new(transport)), 0));
    let allowed = service.login(&peer, &password);
    let answer = if allowed {
        let req = HttpRequest {
            method,
            target,
            headers,
            body,
        };
        service.http(&peer, &req)
    } else {
        super::HttpAnswer {
            bytes: UNAUTHORIZED.to_vec(),
            upgrade: false,
        }
    };
    if conn.send(&answer.bytes).is_err() {
        conn.close();
        return;
    }
    if answer.upgrade {
        peer.kind = Kind::WebSocket;
        adopt(conn, peer.clone(), Some(websocket::Reader::default()));
        service.ws_opened(&peer);
        return;
    }
    if conn.queued_bytes() == 0 {
        conn.close();
        return;
    }
    let mut st = STATE.lock();
    st.served.insert(
        peer.handle,
        Served {
            conn,
            peer,
            ws: None,
            close_when_flushed: true,
            deferred: 0,
        },
    );
    st.update_active();
}

/// `Basic base64(user:password)`.
fn basic_credentials(v: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let b64 = v.strip_prefix(b"Basic ")?;
    let text = base64_decode(b64)?;
    let colon = text.iter().position(|&c| c == b':')?;
    Some((text[..colon].to_vec(), text[colon + 1..].to_vec()))
}

fn base64_decode(s: &[u8]) -> Option<Vec<u8>> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let s: Vec<u8> = s.iter().copied().filter(|&c| c != b'=').collect();
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    for chunk in s.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= val(c)? << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_authorization_is_decoded() {
        assert_eq!(
            basic_credentials(b"Basic dXNlcjpwYXNz"),
            Some((b"user".to_vec(), b"pass".to_vec()))
        );
        assert_eq!(basic_credentials(b"Bearer x"), None);
    }
}
