//! The listening sockets of `-p [host:]port`: TCP on the host's address (all IPv4 interfaces
//! without a host), and kdb+'s abstract Unix socket `@/tmp/kx.PORT` beside it, both polled by
//! the event loop and never blocking it (accepting takes only what is there).

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::os::fd::{AsRawFd, RawFd};
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{SocketAddr as UnixAddr, UnixListener, UnixStream};

use crate::net::address;

/// A connection just accepted, and kdb+'s `.z.a` for it (IPv4 as an int, 0 for the Unix socket).
pub enum Accepted {
    Tcp(TcpStream, i32),
    Unix(UnixStream),
}

pub struct Listener {
    tcp: TcpListener,
    unix: Option<UnixListener>,
    port: u16,
}

/// kdb+'s `.z.a` of an address: the IPv4 address as a big-endian int (an IPv4-mapped IPv6
/// address counts as IPv4), 0 otherwise.
pub fn address_int(a: &SocketAddr) -> i32 {
    let v4 = match a {
        SocketAddr::V4(a) => Some(*a.ip()),
        SocketAddr::V6(a) => a.ip().to_ipv4_mapped(),
    };
    v4.map_or(0, |ip| u32::from(ip) as i32)
}

impl Listener {
    /// Listens on `port` (0: one the system picks) of `host` (empty: every IPv4 interface),
    /// and on the Unix socket of the port actually bound. Errors are kdb+'s text.
    pub fn bind(host: &str, port: u16) -> Result<Listener, String> {
        let addrs: Vec<SocketAddr> = if host.is_empty() {
            vec![SocketAddr::from(([0, 0, 0, 0], port))]
        } else {
            let h = host
                .strip_prefix('[')
                .and_then(|h| h.strip_suffix(']'))
                .unwrap_or(host);
            (h, port)
                .to_socket_addrs()
                .map_err(|e| format!("{host}:{port}: {}", os_text(&e)))?
                .collect()
        };
        let mut last = None;
        let mut tcp = None;
        for a in addrs {
            match TcpListener::bind(a) {
                Ok(l) => {
                    tcp = Some(l);
                    break;
                }
                Err(e) => last = Some(e),
            }
        }
        let tcp = tcp.ok_or_else(|| {
            let e = last.unwrap_or_else(|| io::Error::from(io::ErrorKind::AddrNotAvailable));
            format!("{port}: {}", os_text(&e))
        })?;
        tcp.set_nonblocking(true)
            .map_err(|e| format!("{port}: {}", os_text(&e)))?;
        let port = tcp
            .local_addr()
            .map_err(|e| format!("{port}: {}", os_text(&e)))?
            .port();
        let unix = bind_unix(port).map_err(|e| {
            format!(
                "cannot listen on uds /tmp/kx.{port}. OS reports: {}",
                os_text(&e)
            )
        })?;
        Ok(Listener {
            tcp,
            unix: Some(unix),
            port,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The descriptors to poll for readability.
    pub fn fds(&self) -> impl Iterator<Item = RawFd> + '_ {
        std::iter::once(self.tcp.as_raw_fd()).chain(self.unix.as_ref().map(|u| u.as_raw_fd()))
    }

    /// Takes one waiting connection from the socket `fd` (one of `fds`): Ok(None) when none
    /// waits, Err when the process is out of descriptors (or the like), so the caller can stop
    /// polling the listener for a while instead of spinning on it.
    pub fn accept(&self, fd: RawFd) -> io::Result<Option<Accepted>> {
        let pending = |e: io::Error| match e.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted => Ok(None),
            // The peer gave up before it was accepted: nothing to do.
            io::ErrorKind::ConnectionAborted => Ok(None),
            _ => Err(e),
        };
        if fd == self.tcp.as_raw_fd() {
            let (s, peer) = match self.tcp.accept() {
                Ok(a) => a,
                Err(e) => return pending(e),
            };
            // Small responses must not wait for Nagle's algorithm.
            let _ = s.set_nodelay(true);
            let _ = s.set_nonblocking(false);
            return Ok(Some(Accepted::Tcp(s, address_int(&peer))));
        }
        let Some(u) = self.unix.as_ref().filter(|u| u.as_raw_fd() == fd) else {
            return Ok(None);
        };
        let (s, _) = match u.accept() {
            Ok(a) => a,
            Err(e) => return pending(e),
        };
        let _ = s.set_nonblocking(false);
        Ok(Some(Accepted::Unix(s)))
    }
}

fn bind_unix(port: u16) -> io::Result<UnixListener> {
    let addr = UnixAddr::from_abstract_name(address::unix_name(port).as_bytes())?;
    let l = UnixListener::bind_addr(&addr)?;
    l.set_nonblocking(true)?;
    Ok(l)
}

/// The OS's text for an error, without Rust's " (os error N)".
pub fn os_text(e: &io::Error) -> String {
    let t = e.to_string();
    t.split(" (os error").next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_kdb_ints() {
        assert_eq!(address_int(&"127.0.0.1:5000".parse().unwrap()), 2130706433);
        assert_eq!(
            address_int(&"192.168.65.1:1".parse().unwrap()),
            i32::from_be_bytes([192, 168, 65, 1])
        );
        assert_eq!(address_int(&"[::1]:1".parse().unwrap()), 0);
    }

    #[test]
    fn an_ephemeral_port_gets_both_sockets() {
        let l = Listener::bind("127.0.0.1", 0).unwrap();
        assert!(l.port() > 0);
        assert_eq!(l.fds().count(), 2);
        let c = UnixStream::connect_addr(
            &UnixAddr::from_abstract_name(address::unix_name(l.port()).as_bytes()).unwrap(),
        );
        assert!(c.is_ok());
        let again = Listener::bind("127.0.0.1", l.port()).err().unwrap();
        assert!(again.ends_with("Address already in use"), "{again}");
    }
}
