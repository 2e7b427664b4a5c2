//! IPC client benchmark over loopback, each figure beside its baseline from the same run:
//!
//! - a small sync call `k(h, "2+2", (K)0)` against a raw TCP ping-pong of the same sizes;
//! - a 100 MB byte vector sent and echoed back (`k(h, "echo", x, (K)0)`) against a raw
//!   socket copy of the same bytes both ways.
//!
//! The server is a tiny kdb+ responder in this file (login, then each request's bytes are sent
//! back as the response), so the figures measure the client, not a server's evaluation. One
//! server thread serves both the library's connection and the raw one, strictly alternating,
//! and the client alternates call by call, so both sides see the same scheduling and load;
//! the medians resist the spikes of a shared machine.
//!
//! Run: `cargo run --release --example bench_net [iterations]`.

use std::ffi::CString;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use q::ffi::engine::kx_k_array;
use q::obj::K;

/// Answers the kdb+ login: reads `credentials capability NUL`, replies min(capability, 3).
fn login(s: &mut TcpStream) {
    let (mut b, mut cap) = ([0u8; 1], 0);
    while s.read(&mut b).unwrap() == 1 && b[0] != 0 {
        cap = b[0];
    }
    s.write_all(&[cap.min(3)]).unwrap();
}

/// Reads one framed message and sends it back as a response; false at end of stream.
fn echo_one(s: &mut TcpStream, msg: &mut Vec<u8>) -> bool {
    let mut h = [0u8; 8];
    if s.read_exact(&mut h).is_err() {
        return false;
    }
    let len = u32::from_le_bytes([h[4], h[5], h[6], h[7]]) as usize;
    msg.clear();
    msg.extend_from_slice(&h);
    msg.resize(len, 0);
    s.read_exact(&mut msg[8..]).unwrap();
    msg[1] = 2;
    s.write_all(msg).unwrap();
    true
}

/// The server: the first connection logs in (the library's), the second is raw; requests are
/// served alternately, one from each.
fn server() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    thread::spawn(move || {
        let mut ours = l.accept().unwrap().0;
        ours.set_nodelay(true).unwrap();
        login(&mut ours);
        let mut raw = l.accept().unwrap().0;
        raw.set_nodelay(true).unwrap();
        let mut msg = Vec::new();
        while echo_one(&mut ours, &mut msg) && echo_one(&mut raw, &mut msg) {}
    });
    port
}

fn k(h: i32, s: &str, args: Vec<K>) -> K {
    let s = CString::new(s).unwrap();
    let mut raw: Vec<_> = args.into_iter().map(K::into_raw).collect();
    let r = kx_k_array(h, s.as_ptr(), raw.len() as i32, raw.as_mut_ptr());
    // SAFETY: a sync k returns a new object (null only on a network failure, checked below).
    unsafe { K::from_raw(r) }.expect("network failure")
}

/// A raw round trip: one framed message out, the same bytes back.
fn raw_round_trip(s: &mut TcpStream, msg: &[u8], back: &mut Vec<u8>) {
    s.write_all(msg).unwrap();
    back.resize(msg.len(), 0);
    s.read_exact(back).unwrap();
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let iterations: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20_000);
    let port = server();
    let host = CString::new("127.0.0.1").unwrap();
    let h = q::ffi::net::khp(host.as_ptr() as *mut _, port as i32);
    assert!(h > 0, "khp returned {h}");
    let mut raw = TcpStream::connect(("127.0.0.1", port)).unwrap();
    raw.set_nodelay(true).unwrap();

    // Small sync call: the request "2+2" is 17 bytes on the wire, as is its echo.
    let small = q::wire::encode(&K::string("2+2"), 1, 3).unwrap();
    let mut back = Vec::new();
    let (mut ours, mut base) = (Vec::new(), Vec::new());
    for i in 0..iterations + 1000 {
        let t = Instant::now();
        drop(k(h, "2+2", vec![]));
        let o = t.elapsed();
        let t = Instant::now();
        raw_round_trip(&mut raw, &small, &mut back);
        if i >= 1000 {
            ours.push(o);
            base.push(t.elapsed());
        }
    }
    let (o, b) = (
        median(ours).as_secs_f64() * 1e6,
        median(base).as_secs_f64() * 1e6,
    );
    println!(
        "small sync call   ours {o:8.2} us   raw TCP ping-pong {b:8.2} us   ratio {:.2}",
        o / b
    );

    // 100 MB both ways.
    const N: usize = 100 << 20;
    let data: Vec<u8> = (0..N).map(|i| (i % 251) as u8).collect();
    let x = K::from_slice::<u8>(4, &data);
    let big = q::wire::encode(&q::net::message::request(b"echo", vec![x.clone()]), 1, 3).unwrap();
    let (mut ours, mut base) = (Vec::new(), Vec::new());
    for _ in 0..7 {
        let t = Instant::now();
        let r = k(h, "echo", vec![x.clone()]);
        ours.push(t.elapsed());
        assert_eq!(r.items()[1].n(), N);
        drop(r);
        let t = Instant::now();
        raw_round_trip(&mut raw, &big, &mut back);
        base.push(t.elapsed());
    }
    let (o, b) = (
        median(ours).as_secs_f64() * 1e3,
        median(base).as_secs_f64() * 1e3,
    );
    println!(
        "100 MB echo       ours {o:8.1} ms   raw socket copy   {b:8.1} ms   ratio {:.2}",
        o / b
    );
    q::ffi::net::kclose(h);
}
