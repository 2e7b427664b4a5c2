//! Networking: the kdb+ IPC client (`khp` family, `k(h, ...)`, `kclose`) over TCP, Unix domain
//! sockets and TLS, and the kdb+ server (`server`: listening, logins, HTTP, WebSockets, the
//! timer and the event loop's side of them).
//!
//! Files, bottom up: `wait` (the one place a connection blocks), `socket` (TCP or Unix,
//! SIGPIPE-free writes), `tls` (rustls configured from kdb+'s environment variables),
//! `stream` (socket or TLS), `address` (host and port to a target), `handshake` (the login),
//! `frame` (the checked message header), `inbox` (incoming bytes read ahead and cut into
//! messages), `connection` (a stream behind its own lock),
//! `connect` (opening, with timeout), `http` (one HTTP exchange, for `.Q.hg .Q.hp`), `handles` (the handle table), `message` (requests,
//! encoding and compression), `client` (the operations the C skin calls).

pub mod address;
pub mod client;
pub mod connect;
pub mod connection;
pub mod frame;
pub mod handles;
pub mod handshake;
pub mod http;
pub mod inbox;
pub mod message;
pub mod server;
pub mod socket;
pub mod stream;
pub mod tls;
pub mod wait;
