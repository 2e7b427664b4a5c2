//! Shared by the network tests: starting the Python kdb+ server (tests/net/kdb_server.py) on a
//! free loopback port, and calling the C API from Rust.
//!
//! The server needs Python 3 with `aiokdb` (and `trustme` for TLS). If it cannot start, the
//! test fails, unless LIBQ_NET_TESTS_OPTIONAL=1, when it is skipped with a loud message.

#![allow(dead_code)]

use std::ffi::CString;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use q::ffi::engine::kx_k_array;
use q::obj::K;

pub struct Server {
    child: Child,
    pub port: u16,
}

impl Server {
    /// Starts the server with extra arguments; None only when the tests are optional.
    pub fn start(args: &[&str]) -> Option<Server> {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/net/kdb_server.py");
        let python = std::env::var("LIBQ_PYTHON").unwrap_or_else(|_| "python3".into());
        let started = Command::new(&python)
            .arg(script)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn();
        let failure = match started {
            Err(e) => format!("cannot run {python}: {e}"),
            Ok(mut child) => {
                let mut line = String::new();
                let out = child.stdout.take().expect("piped stdout");
                let _ = BufReader::new(out).read_line(&mut line);
                match line
                    .trim()
                    .strip_prefix("PORT ")
                    .and_then(|p| p.parse().ok())
                {
                    Some(port) => return Some(Server { child, port }),
                    None => {
                        let _ = child.kill();
                        let _ = child.wait();
                        format!(
                            "the test server did not start (needs: pip install aiokdb trustme); it printed {line:?}"
                        )
                    }
                }
            }
        };
        if std::env::var("LIBQ_NET_TESTS_OPTIONAL").as_deref() == Ok("1") {
            eprintln!("\n*** SKIPPED (LIBQ_NET_TESTS_OPTIONAL=1): {failure} ***\n");
            return None;
        }
        panic!("{failure} (set LIBQ_NET_TESTS_OPTIONAL=1 to skip)");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn c(s: &str) -> CString {
    CString::new(s).unwrap()
}

/// `k(h, s, args..., (K)0)`; None for a null result (network failure). For an async call the
/// result is the object the library returns, which the host must not free: it is leaked here.
pub fn k(h: i32, s: Option<&str>, args: Vec<K>) -> Option<K> {
    let s = s.map(c);
    let mut raw: Vec<_> = args.into_iter().map(K::into_raw).collect();
    let sp = s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr());
    let r = kx_k_array(h, sp, raw.len() as i32, raw.as_mut_ptr());
    if h < 0 {
        return (!r.is_null()).then(K::identity);
    }
    // SAFETY: a non-null result of k for h > 0 is a new object whose reference the caller owns.
    unsafe { K::from_raw(r) }
}

pub fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

pub fn khpu(host: &str, port: impl Into<i32>, credentials: &str) -> i32 {
    let (h, u) = (c(host), c(credentials));
    q::ffi::net::khpu(h.as_ptr() as *mut _, port.into(), u.as_ptr() as *mut _)
}

pub fn khpunc(
    host: &str,
    port: impl Into<i32>,
    credentials: &str,
    timeout_ms: i32,
    capability: i32,
) -> i32 {
    let (h, u) = (c(host), c(credentials));
    q::ffi::net::khpunc(
        h.as_ptr() as *mut _,
        port.into(),
        u.as_ptr() as *mut _,
        timeout_ms,
        capability,
    )
}

pub fn string(x: &K) -> String {
    assert_eq!(x.t(), 10, "not a string: {x:?}");
    String::from_utf8(x.bytes().to_vec()).unwrap()
}

pub fn longs(x: &K) -> Vec<i64> {
    assert_eq!(x.t(), 7, "not longs: {x:?}");
    x.as_slice::<i64>().to_vec()
}

/// A loopback server thread for one client: accepts it, answers its login with capability 3,
/// then hands the stream to `serve`. Returns the port.
pub fn serve_one_login(serve: impl FnOnce(std::net::TcpStream) + Send + 'static) -> u16 {
    use std::io::{Read, Write};
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let (mut s, _) = l.accept().unwrap();
        let mut b = [0u8; 1];
        while s.read(&mut b).unwrap() == 1 && b[0] != 0 {}
        s.write_all(&[3]).unwrap();
        serve(s);
    });
    port
}
