//! Where `khp(host, port)` connects: host `0.0.0.0` means the Unix domain socket of that port
//! (kdb+'s abstract name `@/tmp/kx.PORT` on Linux), an empty host means this machine, and any
//! other host is resolved to its TCP addresses.

use std::io;
use std::net::{SocketAddr, ToSocketAddrs};

#[derive(Debug, PartialEq)]
pub enum Target {
    Tcp(Vec<SocketAddr>),
    Unix(u16),
}

/// The abstract socket name a kdb+ server listening on `port` binds (without the leading NUL).
pub fn unix_name(port: u16) -> String {
    format!("/tmp/kx.{port}")
}

pub fn resolve(host: &str, port: u16) -> io::Result<Target> {
    if host == "0.0.0.0" {
        return Ok(Target::Unix(port));
    }
    let host = if host.is_empty() { "localhost" } else { host };
    // A bare IPv6 address may come bracketed, as in q's `:[::1]:5000 form.
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    let addrs: Vec<SocketAddr> = (host, port).to_socket_addrs()?.collect();
    if addrs.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            "host has no address",
        ));
    }
    Ok(Target::Tcp(addrs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_host_selects_the_unix_socket() {
        assert_eq!(resolve("0.0.0.0", 5001).unwrap(), Target::Unix(5001));
        assert_eq!(unix_name(5001), "/tmp/kx.5001");
    }

    #[test]
    fn numeric_and_empty_hosts_resolve_to_loopback() {
        assert_eq!(
            resolve("127.0.0.1", 80).unwrap(),
            Target::Tcp(vec!["127.0.0.1:80".parse().unwrap()])
        );
        assert_eq!(
            resolve("[::1]", 80).unwrap(),
            Target::Tcp(vec!["[::1]:80".parse().unwrap()])
        );
        match resolve("", 80).unwrap() {
            Target::Tcp(a) => assert!(a.iter().all(|a| a.ip().is_loopback())),
            t => panic!("{t:?}"),
        }
    }
}
