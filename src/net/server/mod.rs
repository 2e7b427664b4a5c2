//! The kdb+ server: listening on `-p`/`\p` (TCP and the abstract Unix socket), logins with
//! capability negotiation, sync/async/response messages, HTTP and WebSocket connections, the
//! timer, and the event loop's side of all of them.
//!
//! The network code here reads and writes; the interpreter evaluates. q installs a `Service`
//! (its `.z.pw .z.po .z.pc .z.pg .z.ps .z.ph .z.pp .z.ws .z.wo .z.wc .z.ts`), and everything the
//! service is asked to do happens on the owner thread, in the order messages arrived on each
//! connection.
//!
//! Who runs the loop (`reactor`): the owner, wherever it serves (the console's main loop, the
//! dedicated owner thread, `kx_serve`), polls the server's descriptors with its own and
//! dispatches them itself. When the owner is not looping (an embedded host that called `qinit`
//! with `-p` and went back to its own work), the stand-in thread (`standin`) polls them and
//! hands each batch to the owner through the owner's trampoline (`OwnerHooks::run`). The
//! concurrency work lets such a call take the engine when the owner is away; the server needs
//! nothing more than that hook.
//!
//! Files: `listener` (binding and accepting), `greeting` (login or HTTP, bounded), `held`
//! (async sends held while a batch of arrived messages is handled, written together),
//! `websocket` (frames), `reactor` (connections, the timer, interest and dispatch),
//! `standin` (the network thread for owners that do not loop), `threaded` (multithreaded input
//! mode: a thread per connection under the read side of the engine lock).

pub mod greeting;
pub mod held;
pub mod listener;
pub mod reactor;
pub mod standin;
pub mod threaded;
pub mod websocket;

use crate::obj::{Result, Sym, K};

/// What a connection is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A kdb+ client that logged in.
    Ipc,
    /// A browser's (or any HTTP client's) request, answered and closed.
    Http,
    /// A WebSocket upgraded from HTTP.
    WebSocket,
    /// A connection this process opened (`hopen`) whose incoming messages the loop handles.
    Outgoing,
}

/// Who sent a message: what `.z.w`, `.z.u` and `.z.a` report while it is handled.
#[derive(Clone, Debug, PartialEq)]
pub struct Peer {
    pub handle: i32,
    pub user: Sym,
    /// IPv4 address as kdb+'s int (0 for the Unix socket).
    pub address: i32,
    pub kind: Kind,
    /// Handled on the connection's own thread (multithreaded input mode): evaluation is
    /// read-only there.
    pub threaded: bool,
}

/// An HTTP request as the service sees it.
pub struct HttpRequest<'a> {
    pub method: &'a [u8],
    /// The request target (`/?select from t`), still URL-encoded.
    pub target: &'a [u8],
    pub headers: Vec<(&'a [u8], &'a [u8])>,
    pub body: &'a [u8],
}

/// The service's answer to an HTTP request: the bytes to send, and whether they accepted a
/// WebSocket upgrade (then the connection stays open as a WebSocket, else it closes).
pub struct HttpAnswer {
    pub bytes: Vec<u8>,
    pub upgrade: bool,
}

/// What the interpreter does for the server; every call is made on the owner thread.
pub trait Service: Send + Sync {
    /// A login: true accepts it (`-u`/`-U` files, then `.z.pw`).
    fn login(&self, peer: &Peer, password: &[u8]) -> bool;
    /// A connection was opened (`.z.po`) or closed by the peer (`.z.pc`).
    fn opened(&self, peer: &Peer);
    fn closed(&self, peer: &Peer);
    /// A sync request (`.z.pg`): the response, or None when the handler deferred it (`-30!`).
    /// `msg` is an error when the message could not be decoded.
    fn sync(&self, peer: &Peer, msg: Result<K>) -> Option<Result<K>>;
    /// An async message (`.z.ps`).
    fn asynchronous(&self, peer: &Peer, msg: Result<K>);
    /// An HTTP request (`.z.ph`, `.z.pp`, or a WebSocket upgrade).
    fn http(&self, peer: &Peer, req: &HttpRequest) -> HttpAnswer;
    /// A WebSocket was opened (`.z.wo`), sent a message (`.z.ws`), or closed (`.z.wc`).
    fn ws_opened(&self, peer: &Peer);
    fn ws_message(&self, peer: &Peer, msg: K);
    fn ws_closed(&self, peer: &Peer);
    /// The timer fired (`.z.ts`), for the time it was due.
    fn tick(&self, due: std::time::SystemTime);
}

pub use reactor::{
    forget, kind_of, listen, port, queued_bytes, respond, send_websocket, set_service, set_timer,
    stop_listening, timer, watch_outgoing, Listening,
};
pub use standin::{owner_looping, set_owner_hooks, OwnerHooks};
