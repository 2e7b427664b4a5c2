//! One HTTP exchange, as `.Q.hg` and `.Q.hp` make it: connect (TLS for `https`), send the
//! request exactly as given, read the reply until the server closes the connection (the
//! request says `Connection: close`). Nothing here parses HTTP; the caller does.

use std::io::{self, Read, Write};

use rustls::{ClientConnection, StreamOwned};

use super::address;
use super::connect;
use super::socket::Socket;
use super::stream::Stream;
use super::tls;

/// Why an exchange failed.
#[derive(Debug)]
pub enum HttpError {
    /// Connecting, sending or reading.
    Io(io::Error),
    /// TLS could not be set up or the handshake failed.
    Tls(String),
}

impl From<io::Error> for HttpError {
    fn from(e: io::Error) -> HttpError {
        HttpError::Io(e)
    }
}

/// Sends `request` to `host:port` and returns every byte of the reply.
pub fn exchange(
    host: &str,
    port: u16,
    use_tls: bool,
    request: &[u8],
) -> Result<Vec<u8>, HttpError> {
    // An HTTP server is always reached over TCP, whatever kdb+'s `0.0.0.0` means for IPC.
    let target = address::resolve(if host == "0.0.0.0" { "127.0.0.1" } else { host }, port)?;
    let socket = Socket::new(connect::connect(target, None)?);
    let mut stream = if use_tls {
        let config = tls::Settings::from_env()
            .client_config()
            .map_err(HttpError::Tls)?;
        let name = tls::server_name(host).map_err(HttpError::Tls)?;
        let conn =
            ClientConnection::new(config, name).map_err(|e| HttpError::Tls(e.to_string()))?;
        let mut t = StreamOwned::new(conn, socket);
        while t.conn.is_handshaking() {
            t.conn
                .complete_io(&mut t.sock)
                .map_err(|e| HttpError::Tls(e.to_string()))?;
        }
        Stream::Tls(Box::new(t))
    } else {
        Stream::Plain(socket)
    };
    stream.write_all(request)?;
    stream.flush()?;
    let mut reply = Vec::new();
    match stream.read_to_end(&mut reply) {
        Ok(_) => {}
        // A server that closes without TLS's close_notify has still sent its whole reply.
        Err(e) if use_tls && e.kind() == io::ErrorKind::UnexpectedEof => {}
        Err(e) => return Err(e.into()),
    }
    Ok(reply)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reply_is_read_to_the_end() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut buf = [0u8; 1024];
            let n = s.read(&mut buf).unwrap();
            s.write_all(b"HTTP/1.0 200 OK\r\n\r\n").unwrap();
            s.write_all(&buf[..n]).unwrap();
        });
        let r = exchange("127.0.0.1", port, false, b"GET / HTTP/1.1\r\n\r\n").unwrap();
        server.join().unwrap();
        assert_eq!(r, b"HTTP/1.0 200 OK\r\n\r\nGET / HTTP/1.1\r\n\r\n");
        assert!(matches!(
            exchange("127.0.0.1", port, false, b"x"),
            Err(HttpError::Io(_))
        ));
    }
}
