//! kdb+ server benchmark over loopback, each figure beside its baseline from the same run:
//!
//! - a small sync query round trip (`2+2`, as a kdb+ client sends it) to the console server
//!   (`q -p`) against a raw TCP ping-pong of the same sizes (a minimal server process that
//!   reads each message and writes a reply of the response's size, nothing else);
//! - async update throughput: 200,000 `(`upd;row)` messages inserting one row each into a table, then
//!   one sync `count`, in messages per second, against the same bytes written to a raw sink
//!   that only reads them;
//! - memory per idle connection: the server's resident memory before and after 1,000 logins;
//! - 1,020 connections held at once, each answering a query;
//! - multithreaded input mode (`-p -port`): read-only queries per second from 1, 2, 4 and 8
//!   concurrent clients against the single-threaded server (`-p port`) in the same run (the
//!   ratio is bounded by the cores the machine has; medians of three rounds). Alone:
//!   `./scripts/bench-server.sh multithreaded`.
//!
//! The clients are the same code for both sides (raw sockets, blocking), alternating call by
//! call for the round trip, so both see the same scheduling; medians resist the spikes of a
//! shared machine.
//!
//! Run: `./scripts/bench-server.sh` (builds the release console first).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use q::obj::{Sym, K, KJ};

const SCRIPT: &str = "t:([]v:`long$());upd:{`t insert x;};v:til 100000;-1 string system\"p\";";

fn q_binary() -> String {
    std::env::var("LIBQ_Q")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/target/release/q").to_string())
}

struct Proc(Child, u16);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Proc {
    fn rss_kb(&self) -> u64 {
        let s = std::fs::read_to_string(format!("/proc/{}/status", self.0.id())).unwrap();
        s.lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap()
    }
}

/// Starts a process that prints its port on its first line.
fn start(cmd: &mut Command) -> Proc {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line.trim().trim_start_matches('-').parse().expect("a port");
    Proc(child, port)
}

fn q_server() -> Proc {
    q_server_on("0W")
}

/// The console server listening on `port` (`-0W`: multithreaded input mode).
fn q_server_on(port: &str) -> Proc {
    let script = std::env::temp_dir().join(format!("bench-server-{}.q", std::process::id()));
    std::fs::write(&script, SCRIPT).unwrap();
    start(Command::new(q_binary()).arg(&script).args(["-p", port]))
}

fn baseline(mode: &str) -> Proc {
    start(Command::new(std::env::current_exe().unwrap()).arg(mode))
}

fn login(port: u16) -> TcpStream {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_nodelay(true).unwrap();
    s.write_all(&[3, 0]).unwrap();
    let mut cap = [0u8; 1];
    s.read_exact(&mut cap).unwrap();
    s
}

fn message(msg_type: u8, text: &[u8]) -> Vec<u8> {
    let mut m = vec![1, msg_type, 0, 0];
    m.extend_from_slice(&((8 + 6 + text.len()) as u32).to_le_bytes());
    m.extend_from_slice(&[10, 0]);
    m.extend_from_slice(&(text.len() as u32).to_le_bytes());
    m.extend_from_slice(text);
    m
}

fn read_message(s: &mut TcpStream, buf: &mut Vec<u8>) {
    let mut h = [0u8; 8];
    s.read_exact(&mut h).unwrap();
    let len = u32::from_le_bytes([h[4], h[5], h[6], h[7]]) as usize;
    buf.resize(len - 8, 0);
    s.read_exact(buf).unwrap();
}

// ---- the baselines, run as child processes ----------------------------------------------

/// A raw ping-pong server: after the login byte, each message is read whole and answered with
/// 17 bytes (the size of kdb+'s response to `2+2`).
fn echo_server() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    println!("{}", l.local_addr().unwrap().port());
    let (mut s, _) = l.accept().unwrap();
    s.set_nodelay(true).unwrap();
    let mut b = [0u8; 2];
    s.read_exact(&mut b).unwrap();
    s.write_all(&[3]).unwrap();
    let reply = [1u8, 2, 0, 0, 17, 0, 0, 0, 0xf9, 4, 0, 0, 0, 0, 0, 0, 0];
    let mut buf = Vec::new();
    loop {
        let mut h = [0u8; 8];
        if s.read_exact(&mut h).is_err() {
            return;
        }
        let len = u32::from_le_bytes([h[4], h[5], h[6], h[7]]) as usize;
        buf.resize(len - 8, 0);
        s.read_exact(&mut buf).unwrap();
        s.write_all(&reply).unwrap();
    }
}

/// A raw sink: reads everything; answers a sync message with 17 bytes.
fn sink_server() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    println!("{}", l.local_addr().unwrap().port());
    let (mut s, _) = l.accept().unwrap();
    let mut b = [0u8; 2];
    s.read_exact(&mut b).unwrap();
    s.write_all(&[3]).unwrap();
    let reply = [1u8, 2, 0, 0, 17, 0, 0, 0, 0xf9, 0, 0, 0, 0, 0, 0, 0, 0];
    let mut buf = Vec::new();
    loop {
        let mut h = [0u8; 8];
        if s.read_exact(&mut h).is_err() {
            return;
        }
        let len = u32::from_le_bytes([h[4], h[5], h[6], h[7]]) as usize;
        buf.resize(len - 8, 0);
        s.read_exact(&mut buf).unwrap();
        if h[1] == 1 {
            s.write_all(&reply).unwrap();
        }
    }
}

// ---- the figures ------------------------------------------------------------------------

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn round_trip(iterations: usize) {
    let server = q_server();
    let echo = baseline("--echo");
    let mut ours = login(server.1);
    let mut raw = login(echo.1);
    let req = message(1, b"2+2");
    let mut buf = Vec::new();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for i in 0..iterations + 1000 {
        let t = Instant::now();
        ours.write_all(&req).unwrap();
        read_message(&mut ours, &mut buf);
        let t_ours = t.elapsed().as_secs_f64();
        let t = Instant::now();
        raw.write_all(&req).unwrap();
        read_message(&mut raw, &mut buf);
        let t_raw = t.elapsed().as_secs_f64();
        if i >= 1000 {
            a.push(t_ours);
            b.push(t_raw);
        }
    }
    let (ours, raw) = (median(&mut a) * 1e6, median(&mut b) * 1e6);
    println!(
        "sync query round trip (2+2): ours {ours:.1} us, raw TCP ping-pong {raw:.1} us, ratio {:.2}x",
        ours / raw
    );
}

fn updates(n: usize) {
    // As a feed sends them: (`upd; row), one long a row, encoded by this library's b9.
    let msgs: Vec<u8> = (0..n)
        .flat_map(|i| {
            let row = K::list(vec![
                K::sym(Sym::new("upd")),
                K::from_slice(KJ, &[i as i64]),
            ]);
            q::wire::encode(&row, 0, 3).unwrap()
        })
        .collect();
    let count = message(1, b"count t");
    let mut buf = Vec::new();
    let mut run = |port: u16| -> f64 {
        let mut s = login(port);
        let t = Instant::now();
        s.write_all(&msgs).unwrap();
        s.write_all(&count).unwrap();
        read_message(&mut s, &mut buf);
        t.elapsed().as_secs_f64()
    };
    let server = q_server();
    let sink = baseline("--sink");
    let t_raw = run(sink.1);
    let t_ours = run(server.1);
    let mut s = login(server.1);
    s.write_all(&count).unwrap();
    read_message(&mut s, &mut buf);
    let rows = i64::from_le_bytes(buf[1..9].try_into().unwrap());
    assert_eq!(rows as usize, n, "every update reached the table");
    println!(
        "async updates into a table: ours {:.0} msg/s, raw sink {:.0} msg/s, ratio {:.2}x ({} rows)",
        n as f64 / t_ours,
        n as f64 / t_raw,
        t_ours / t_raw,
        rows
    );
}

fn connections() {
    let server = q_server();
    std::thread::sleep(Duration::from_millis(200));
    let before = server.rss_kb();
    let idle: Vec<TcpStream> = (0..1000).map(|_| login(server.1)).collect();
    // Let the server read every login.
    let mut s = login(server.1);
    let mut buf = Vec::new();
    s.write_all(&message(1, b"count .z.W")).unwrap();
    read_message(&mut s, &mut buf);
    let after = server.rss_kb();
    println!(
        "memory per idle connection: {:.1} KiB ({} KiB for 1000)",
        (after.saturating_sub(before)) as f64 / 1000.0,
        after.saturating_sub(before)
    );
    drop(idle);
    drop(s);
    let t = Instant::now();
    let mut held: Vec<TcpStream> = (0..1020).map(|_| login(server.1)).collect();
    let req = message(1, b"1+1");
    for s in &mut held {
        s.write_all(&req).unwrap();
    }
    for s in &mut held {
        read_message(s, &mut buf);
    }
    println!(
        "1020 connections held, each answering a query: {:.1} ms to open and query all",
        t.elapsed().as_secs_f64() * 1e3
    );
}

/// Read-only queries per second from `clients` clients at once, each sending `per_client`.
fn read_throughput(port: u16, clients: usize, per_client: usize) -> f64 {
    let req = message(1, b"sum v where 0=v mod 7");
    let mut conns: Vec<TcpStream> = (0..clients).map(|_| login(port)).collect();
    let t = Instant::now();
    std::thread::scope(|s| {
        for c in conns.iter_mut() {
            let req = &req;
            s.spawn(move || {
                let mut buf = Vec::new();
                for _ in 0..per_client {
                    c.write_all(req).unwrap();
                    read_message(c, &mut buf);
                }
            });
        }
    });
    (clients * per_client) as f64 / t.elapsed().as_secs_f64()
}

fn multithreaded() {
    let single = q_server_on("0W");
    let threaded = q_server_on("-0W");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("multithreaded input mode, read-only query throughput ({cores} cores here):");
    for clients in [1, 2, 4, 8] {
        // Three rounds, the two servers alternating; medians.
        let (mut ones, mut manys) = (Vec::new(), Vec::new());
        for _ in 0..3 {
            ones.push(read_throughput(single.1, clients, 400 / clients.min(4)));
            manys.push(read_throughput(threaded.1, clients, 400 / clients.min(4)));
        }
        let (one, many) = (median(&mut ones), median(&mut manys));
        println!(
            "  {clients} clients: -p -port {many:.0} q/s, -p port {one:.0} q/s, ratio {:.2}x",
            many / one
        );
    }
}

fn main() {
    match std::env::args().nth(1).as_deref() {
        Some("--echo") => return echo_server(),
        Some("--sink") => return sink_server(),
        // Only the multithreaded input mode's figures.
        Some("multithreaded") => return multithreaded(),
        _ => {}
    }
    round_trip(20_000);
    updates(200_000);
    connections();
    multithreaded();
}
