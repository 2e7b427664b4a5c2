//! Opening a connection, as `khpunc` does: resolve, connect (TCP or the Unix socket), TLS if
//! asked, then the kdb+ login. The timeout bounds all of it; its absence means block.

use std::io;
use std::net::TcpStream;
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{SocketAddr as UnixAddr, UnixStream};
use std::time::{Duration, Instant};

use rustls::{ClientConnection, StreamOwned};

use super::address::{self, Target};
use super::connection::Connection;
use super::handshake::{self, Outcome};
use super::socket::{Socket, Transport};
use super::stream::Stream;
use super::tls;

pub struct Options<'a> {
    pub host: &'a str,
    pub port: u16,
    /// `user:password`, without NUL.
    pub credentials: &'a [u8],
    pub timeout: Option<Duration>,
    pub tls: bool,
    /// khpunc's "1 TB limit" bit: offer capability 6 (messages past 2 GB).
    pub large: bool,
}

/// Why a connection could not be opened, each with kdb+'s return code.
#[derive(Debug)]
pub enum OpenError {
    /// The server closed the connection instead of answering the login: 0.
    Refused,
    /// Connecting or logging in failed: -1.
    Failed(io::Error),
    /// The timeout passed: -2.
    TimedOut,
    /// TLS could not be set up (its settings or files): -3.
    TlsInit(String),
}

impl OpenError {
    pub fn code(&self) -> i32 {
        match self {
            OpenError::Refused => 0,
            OpenError::Failed(_) => -1,
            OpenError::TimedOut => -2,
            OpenError::TlsInit(_) => -3,
        }
    }
}

impl From<io::Error> for OpenError {
    fn from(e: io::Error) -> OpenError {
        if e.kind() == io::ErrorKind::TimedOut || e.kind() == io::ErrorKind::WouldBlock {
            OpenError::TimedOut
        } else {
            OpenError::Failed(e)
        }
    }
}

pub fn open(o: &Options) -> Result<Connection, OpenError> {
    let deadline = o.timeout.map(|t| Instant::now() + t);
    // TLS settings are checked before any connection, so a bad setup is -3 whatever the peer.
    let tls_config = if o.tls {
        Some(
            tls::Settings::from_env()
                .client_config()
                .map_err(OpenError::TlsInit)?,
        )
    } else {
        None
    };
    let socket = Socket::new(connect(address::resolve(o.host, o.port)?, deadline)?);
    socket.set_deadline(deadline);
    let mut stream = match tls_config {
        None => Stream::Plain(socket),
        Some(config) => {
            let name = tls::server_name(o.host).map_err(OpenError::TlsInit)?;
            let conn = ClientConnection::new(config, name)
                .map_err(|e| OpenError::TlsInit(e.to_string()))?;
            let mut t = StreamOwned::new(conn, socket);
            while t.conn.is_handshaking() {
                t.conn.complete_io(&mut t.sock)?;
            }
            Stream::Tls(Box::new(t))
        }
    };
    let offered = handshake::offered_capability(o.large);
    match handshake::login(&mut stream, o.credentials, offered)? {
        Outcome::Refused => Err(OpenError::Refused),
        Outcome::Accepted(cap) => {
            stream.set_deadline(None);
            Ok(Connection::new(stream, cap))
        }
    }
}

pub fn connect(target: Target, deadline: Option<Instant>) -> io::Result<Transport> {
    match target {
        Target::Unix(port) => {
            let addr = UnixAddr::from_abstract_name(address::unix_name(port).as_bytes())?;
            Ok(Transport::Unix(UnixStream::connect_addr(&addr)?))
        }
        Target::Tcp(addrs) => {
            let mut last = io::Error::from(io::ErrorKind::AddrNotAvailable);
            for a in addrs {
                let r = match deadline {
                    None => TcpStream::connect(a),
                    Some(d) => match d.checked_duration_since(Instant::now()) {
                        Some(left) if !left.is_zero() => TcpStream::connect_timeout(&a, left),
                        _ => return Err(io::Error::from(io::ErrorKind::TimedOut)),
                    },
                };
                match r {
                    Ok(s) => {
                        // Small requests must not wait for Nagle's algorithm.
                        s.set_nodelay(true)?;
                        return Ok(Transport::Tcp(s));
                    }
                    Err(e) if e.kind() == io::ErrorKind::TimedOut => return Err(e),
                    Err(e) => last = e,
                }
            }
            Err(last)
        }
    }
}
