//! The kdb+ server, end to end: the console binary started as kdb+ servers are run
//! (`q tests/server/server.q -p 0W </dev/null`), and real, independent clients on loopback:
//! PyKX 4.2 with KX's own libe.so, aiokdb, urllib (a browser's GET), websockets, raw sockets
//! for faults and load, and this library's own `khp`/`k`. Every client runs under a deadline.
//!
//! The Python clients (tests/server/clients.py) need `pykx==4.2.0`, `aiokdb` and `websockets`
//! (scripts/test.sh installs them); without them the test fails, unless
//! LIBQ_NET_TESTS_OPTIONAL=1, when those checks are skipped loudly.

#[path = "net/support.rs"]
mod support;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use q::obj::K;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/server");

struct Server {
    child: Child,
    port: u16,
}

impl Server {
    /// `q server.q -p 0W [args]` with stdin at end of file; its first output line is the port.
    fn start(args: &[&str]) -> Server {
        Server::start_script("server.q", "0W", args)
    }

    fn start_script(script: &str, port: &str, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_q"))
            .arg(format!("{DIR}/{script}"))
            .args(["-p", port])
            .args(args)
            .current_dir(DIR)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the q console");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .trim_start_matches('-')
            .parse()
            .unwrap_or_else(|_| {
                let _ = child.kill();
                panic!("server printed {line:?}")
            });
        Server { child, port }
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn python_ready() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import pykx, aiokdb, websockets"])
        .env("PYKX_UNLICENSED", "true")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        let msg = "python3 with pykx==4.2.0, aiokdb and websockets is needed";
        if std::env::var("LIBQ_NET_TESTS_OPTIONAL").as_deref() == Ok("1") {
            eprintln!("\n*** SKIPPED (LIBQ_NET_TESTS_OPTIONAL=1): {msg} ***\n");
            return false;
        }
        panic!("{msg} (set LIBQ_NET_TESTS_OPTIONAL=1 to skip)");
    }
    true
}

/// Runs one check of clients.py against `port`, killed after `limit`; its stdout.
fn client(check: &str, port: u16, args: &[&str], limit: Duration) -> String {
    let mut child = Command::new("python3")
        .arg(format!("{DIR}/clients.py"))
        .arg(check)
        .arg(port.to_string())
        .args(args)
        .env("PYKX_UNLICENSED", "true")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("run python3");
    let deadline = Instant::now() + limit;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{check} took longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    out
}

const LIMIT: Duration = Duration::from_secs(60);

#[test]
fn pykx_aiokdb_http_and_websocket_clients() {
    if !python_ready() {
        return;
    }
    let mut s = Server::start(&[]);
    assert_eq!(
        client("pykx_sync", s.port, &[], LIMIT),
        "2\n42\n{'x': [1, 2, 3], 'y': ['a', 'b', 'c']}\nerror type\nTrue True\n\
         10000000 4999950000\n49999995000000\n"
    );
    assert_eq!(client("pykx_async", s.port, &[], LIMIT), "5\n1000 499500\n");
    assert_eq!(
        client("aiokdb", s.port, &[], LIMIT),
        "2\nalice\n[0, 1, 2]\n77\n"
    );
    assert_eq!(
        client("http", s.port, &[], LIMIT),
        "200 text/html\nTrue True\n400 type\n404\n200 posted:upd abc\n"
    );
    assert_eq!(
        client("websocket", s.port, &[], LIMIT),
        "got:hello\nb'\\x01\\x02'\nwo true\nwo=wc true\n"
    );
    assert!(s.alive());
}

#[test]
fn faults_never_hurt_the_other_clients() {
    if !python_ready() {
        return;
    }
    let mut s = Server::start(&[]);
    assert_eq!(
        client("faults", s.port, &[], LIMIT),
        "capability 3\ngarbage login closed True\nhealthy True\nhealthy True\n\
         bad header closed True\nhealthy True\nbad body answered True\nthen 4\n\
         healthy True\nhealthy True\ntrickled login b'\\x03'\n"
    );
    assert!(s.alive());
}

#[test]
fn load_floods_and_many_connections() {
    if !python_ready() {
        return;
    }
    let mut s = Server::start(&[]);
    assert_eq!(
        client("load", s.port, &["16", "200"], LIMIT),
        "errors 0 []\n"
    );
    assert_eq!(
        client("flood", s.port, &["20000"], LIMIT),
        "updates 20000\n"
    );
    assert_eq!(
        client("connections", s.port, &["1100"], LIMIT),
        "held 1100\nserver sees at least True\n"
    );
    assert!(s.alive());
}

#[test]
fn password_files_plain_and_md5() {
    if !python_ready() {
        return;
    }
    let users = std::env::temp_dir().join(format!("libq-server-users-{}", std::process::id()));
    // md5 "pass2" = c1572d05424d0ecb2a65ec6a82aeacbf
    std::fs::write(
        &users,
        "alice:pass1\nbob:c1572d05424d0ecb2a65ec6a82aeacbf\n",
    )
    .unwrap();
    let s = Server::start(&["-u", users.to_str().unwrap()]);
    assert_eq!(
        client("pykx_user", s.port, &["alice", "pass1"], LIMIT),
        "in alice\n"
    );
    assert_eq!(
        client("pykx_user", s.port, &["bob", "pass2"], LIMIT),
        "in bob\n"
    );
    assert!(client("pykx_user", s.port, &["alice", "wrong"], LIMIT).starts_with("refused"));
    assert!(client("pykx_user", s.port, &["carol", ""], LIMIT).starts_with("refused"));
    std::fs::remove_file(users).unwrap();
}

/// This library's own C client: `khp` over TCP and over the Unix socket (`0.0.0.0`), and an
/// async message the server sends before its response is kept for the next `k(h,(S)0)` read.
#[test]
fn own_client_tcp_unix_and_async_before_response() {
    let s = Server::start(&[]);
    let host = support::c("localhost");
    let h = q::ffi::net::khp(host.as_ptr().cast_mut(), s.port as i32);
    assert!(h > 0);
    let r = support::k(h, Some("1+2"), vec![]).unwrap();
    assert_eq!(r.j(), 3);
    // The server pushes an async message, then answers.
    let r = support::k(h, Some("{neg[.z.w]\"pushed\"; 7}[]"), vec![]).unwrap();
    assert_eq!(r.j(), 7);
    let pushed = support::k(h, None, vec![]).unwrap();
    assert_eq!(pushed.bytes(), b"pushed");
    let r = support::k(h, Some("{x+y}"), vec![K::long(2), K::long(5)]).unwrap();
    assert_eq!(r.j(), 7);
    // -38! (basics/internal.md): the server's view of this connection, q IPC over TCP.
    let socket_table = ".Q.s1(-38!.z.w;-38!enlist .z.w;-38!99999)";
    let r = support::k(h, Some(socket_table), vec![]).unwrap();
    assert_eq!(r.bytes(), b"(`p`f!`q`t;+`p`f!(,`q;,`t);`p`f!``)".as_slice());
    q::ffi::net::kclose(h);
    let unix = support::c("0.0.0.0");
    let h = q::ffi::net::khp(unix.as_ptr().cast_mut(), s.port as i32);
    assert!(h > 0);
    assert_eq!(support::k(h, Some(".z.a"), vec![]).unwrap().i(), 0);
    let r = support::k(h, Some(".Q.s1 -38!.z.w"), vec![]).unwrap();
    assert_eq!(r.bytes(), b"`p`f!`q`u".as_slice());
    q::ffi::net::kclose(h);
}

/// A q client (this console) against the server: `.z.po`/`.z.pc`, an async message pushed
/// before the response reaching `.z.ps`, the server calling back into its client, deferred
/// responses (`-30!`), the timer (`\t`, `.z.ts`), `.z.W`, and `\p 0` closing the port while
/// connections stay.
#[test]
fn q_client_handlers_callbacks_deferred_and_timer() {
    let s = Server::start(&[]);
    let script = std::fs::read_to_string(format!("{DIR}/client.q"))
        .unwrap()
        .replace("PORT", &s.port.to_string());
    let mut child = Command::new(env!("CARGO_BIN_EXE_q"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let deadline = Instant::now() + LIMIT;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the q client took longer than {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert_eq!(
        out,
        "q)q)()\nq)q)1\nq)q)q)1b\nq)q)1\nq)42\nq)3\n\
         q){`d set .z.w;system\"t 10\";-30!(::)}\nq){-30!(d;0b;`ok);system\"t 0\"}\n\
         q)q)`ok\nq){-30!(d;1b;\"bad\");system\"t 0\"}\nq)'bad\n  [0]  h2\"f[]\"\n       ^\n\
         q)'domain\n  [0]  h\"-30!(d;0b;1)\"\n       ^\nq)0i\n\
         q){cnt+:1}\nq)q)20i\nq)q)q)1b\nq)0 0\nq)q)0i\nq)2\n\
         q)q)5\nq)\"hop. OS reports: Connection refused\"\nq)"
    );
}

/// Multithreaded input mode (`-p -port`): queries on the connections' own threads, read-only
/// (`'noupdate`, `'nosocket`), no `.z.po`, `.z.W` without them, the timer updating a global on
/// the main thread meanwhile, parallel readers, and at most 1020 connections.
#[test]
fn multithreaded_input_mode() {
    if !python_ready() {
        return;
    }
    let mut s = Server::start_script("threaded.q", "-0W", &[]);
    assert_eq!(
        client("threaded", s.port, &[], LIMIT),
        "sum 45\nwrite 'noupdate\nlimit 'noupdate\npo called false\nsend 'nosocket\nmain sockets 0\n\
         ticks advance True\nown generator True\nerrors 0 []\nheld 1020 True\n\
         1021st refused True\nheld ones still served 2\n"
    );
    assert!(s.alive());
}

/// `-T n`: a client's query that runs past n seconds stops with `'stop`; the server goes on.
#[test]
fn client_query_timeout() {
    runaway_query_stops(&["-T", "1"], "{while[1b;x+:1]}0", Some(1));
}

/// `-T n` holds inside `peach` too: the secondary threads' parts take the query's deadline,
/// so a runaway lambda there stops with `'stop` instead of holding the server forever.
#[test]
fn client_query_timeout_reaches_peach() {
    runaway_query_stops(
        &["-T", "1", "-s", "2"],
        "{while[1b;x+:1];x} peach 0 1",
        None,
    );
}

/// Starts a server with `args`, sends `query` (which never ends by itself), and checks it
/// comes back `'stop` in time and the server still answers; `\T` is checked when given.
fn runaway_query_stops(args: &[&str], query: &str, timeout: Option<i32>) {
    let s = Server::start(args);
    let host = support::c("localhost");
    let h = q::ffi::net::khp(host.as_ptr().cast_mut(), s.port as i32);
    assert!(h > 0);
    if let Some(t) = timeout {
        assert_eq!(support::k(h, Some("\\T"), vec![]).unwrap().i(), t);
    }
    let t = Instant::now();
    let r = support::k(h, Some(query), vec![]).unwrap();
    assert_eq!(
        (r.t(), r.s().as_str().into_owned()),
        (-128, "stop".to_string())
    );
    assert!(t.elapsed() < Duration::from_secs(10));
    assert_eq!(support::k(h, Some("1+1"), vec![]).unwrap().j(), 2);
    q::ffi::net::kclose(h);
}

/// `-w MB`: a client's query that would take the object heap past the limit gets `'wsfull`,
/// the server goes on serving; `\w n` raises the limit (never lowers it), `\w 0` counts
/// symbols, and without `-w` on the command line `\w n` is refused as kdb+ refuses it.
#[test]
fn workspace_limit() {
    let s = Server::start(&["-w", "64"]);
    let host = support::c("localhost");
    let h = q::ffi::net::khp(host.as_ptr().cast_mut(), s.port as i32);
    assert!(h > 0);
    let q = |src: &str| support::k(h, Some(src), vec![]).unwrap();
    let err = |r: K| (r.t(), r.s().as_str().into_owned());
    assert_eq!(q("(system\"w\")3").j(), 64 << 20);
    assert_eq!(err(q("count til 20000000")), (-128, "wsfull".to_string()));
    assert_eq!(
        err(q("{a:();do[100;a,:enlist til 1000000];count a}[]")),
        (-128, "wsfull".to_string())
    );
    assert_eq!(q("1+1").j(), 2);
    assert_eq!(q("count til 1000000").j(), 1000000);
    assert_eq!(q("\\w 128").j(), 128 << 20);
    assert_eq!(q("\\w 32").j(), 128 << 20);
    assert_eq!(q("count til 10000000").j(), 10000000);
    assert_eq!(q("(system\"w 0\")~system\"w 1\"").g(), 1);
    assert_eq!(q("count .Q.w[]").j(), 8);
    q::ffi::net::kclose(h);

    let s = Server::start(&[]);
    let h = q::ffi::net::khp(host.as_ptr().cast_mut(), s.port as i32);
    let r = support::k(h, Some("\\w 128"), vec![]).unwrap();
    assert_eq!(
        (r.t(), r.s().as_str().into_owned()),
        (-128, "-w init via cmd line".to_string())
    );
    assert_eq!(
        support::k(h, Some("(system\"w\")3"), vec![]).unwrap().j(),
        0
    );
    q::ffi::net::kclose(h);
}

/// A session's own `.z.pw`, `.z.pg` and `.z.ph`; `.z.h`, `.z.i`; `-p host:port`; async
/// messages flushed by `h""` and `neg[h][]` before what follows them.
#[test]
fn own_handlers_and_host_port() {
    let s = Server::start_script("handlers.q", "127.0.0.1:0W", &[]);
    let refused = support::khpu("localhost", s.port, "bad:x");
    assert!(refused <= 0, "'bad' logged in");
    let h = support::khpu("localhost", s.port, "good:x");
    assert!(h > 0);
    let q = |src: &str| support::k(h, Some(src), vec![]).unwrap();
    assert_eq!(q("secret").s().as_str(), "denied");
    assert_eq!(q("1+1").j(), 2);
    // `value x` in .z.pg runs the client's text in the current context, not the handler's
    // frame: `x` there is the global, and assigning it sets the global (ref/value.md).
    assert_eq!(q("x:`glob").s().as_str(), "glob");
    assert_eq!(q("x").s().as_str(), "glob");
    assert_eq!(q("`. `x").s().as_str(), "glob");
    assert_eq!(q(".z.h~`$first read0`:/proc/sys/kernel/hostname").g(), 1);
    assert_eq!(q(".z.i").i(), s.child.id() as i32);
    assert_eq!(q("system\"p\"").i(), s.port as i32);
    let out = Command::new(env!("CARGO_BIN_EXE_q"))
        .arg(format!("{DIR}/flush.q"))
        .arg(s.port.to_string())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "42 43\n");
    q::ffi::net::kclose(h);
    let mut http = std::net::TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    use std::io::Write;
    http.write_all(b"GET /?abc HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut page = String::new();
    http.read_to_string(&mut page).unwrap();
    assert!(page.ends_with("custom:?abc"), "{page:?}");
}

/// ref/eval.md#reval's `.z.pg:{reval(value;enlist x)}`: a client's sync query reads but does
/// not update (`'noupdate`), change settings or write files (`'access`); its async messages,
/// which `.z.ps` runs unrestricted, still update.
#[test]
fn restricted_sync_handler() {
    let s = Server::start_script("reval.q", "0W", &[]);
    let host = support::c("localhost");
    let h = q::ffi::net::khp(host.as_ptr().cast_mut(), s.port as i32);
    assert!(h > 0);
    let q = |src: &str| support::k(h, Some(src), vec![]).unwrap();
    let err = |r: K| (r.t(), r.s().as_str().into_owned());
    assert_eq!(err(q("a:4")), (-128, "noupdate".to_string()));
    assert_eq!(q("a+1").j(), 2);
    assert_eq!(q("system\"p\"").i(), s.port as i32);
    assert_eq!(err(q("\\p 0")), (-128, "access".to_string()));
    assert_eq!(
        err(q("`:reval-refused set 1")),
        (-128, "access: reval-refused".to_string())
    );
    assert!(!std::path::Path::new(DIR).join("reval-refused").exists());
    support::k(-h, Some("a:5"), vec![]);
    assert_eq!(q("a").j(), 5);
    q::ffi::net::kclose(h);
}

/// `-b`: a client's sync or async message does not update globals (`'noupdate`, as
/// basics/cmdline.md's example), and reads as before.
#[test]
fn blocked_write_access() {
    let s = Server::start(&["-b"]);
    let host = support::c("localhost");
    let h = q::ffi::net::khp(host.as_ptr().cast_mut(), s.port as i32);
    assert!(h > 0);
    let q = |src: &str| support::k(h, Some(src), vec![]).unwrap();
    let err = |r: K| (r.t(), r.s().as_str().into_owned());
    assert_eq!(q("count t").j(), 3);
    assert_eq!(err(q("t:10#t")), (-128, "noupdate".to_string()));
    assert_eq!(err(q("upd 7")), (-128, "noupdate".to_string()));
    support::k(-h, Some("upd 8"), vec![]);
    assert_eq!(q("count u").j(), 0);
    assert_eq!(q("count t").j(), 3);
    q::ffi::net::kclose(h);
}

/// `-u 1` (basics/cmdline.md `-u`): a client (PyKX with KX's libe.so) gets `'access` for a
/// system command that changes state (`\\` too), `exit`, a file outside the current directory,
/// `hopen` of a file and `hdel`; it still reads and writes files here and updates globals
/// (that is `-b`). No password file named `1` is read. `-u file` confines the same way.
#[test]
fn confined_clients() {
    if !python_ready() {
        return;
    }
    let written = std::path::Path::new(DIR).join("u1-written");
    let _ = std::fs::remove_file(&written);
    let mut s = Server::start(&["-u", "1"]);
    let queries = [
        "1+1",
        "system\"p\"",
        "\\p 0",
        "system\"echo hi\"",
        "exit 0",
        "\\\\",
        "read0`:/etc/hostname",
        "get`:../server.rs",
        "first read0`:server.q",
        "`:u1-written set 1 2 3",
        "get`:u1-written",
        "hopen`:u1-written",
        "hdel`:u1-written",
        "a:5",
        "a",
    ];
    let args: Vec<&str> = std::iter::once("").chain(queries).collect();
    let out = client("pykx_queries", s.port, &args, LIMIT);
    let want = format!(
        "2\n{}\nerror access\nerror access\nerror access\nerror access\n\
         error access: /etc/hostname\nerror access: ../server.rs\n\
         b'/ The server the network tests start (tests/server.rs): `q server.q -p 0W`; prints its port.'\n\
         ':u1-written'\n[1, 2, 3]\nerror access: u1-written\nerror access: u1-written\n5\n5\n",
        s.port
    );
    assert_eq!(out, want);
    assert!(s.alive());
    assert!(written.exists());
    std::fs::remove_file(&written).unwrap();
    drop(s);

    // With `-b` too, globals are not updated either.
    let s = Server::start(&["-u", "1", "-b"]);
    let out = client(
        "pykx_queries",
        s.port,
        &["", "a:5", "system\"echo hi\"", "count t"],
        LIMIT,
    );
    assert_eq!(out, "error noupdate\nerror access\n3\n");
    drop(s);

    // In multithreaded input mode, where each connection's thread evaluates its messages.
    let s = Server::start_script("server.q", "-0W", &["-u", "1"]);
    let out = client(
        "pykx_queries",
        s.port,
        &["", "system\"echo hi\"", "read0`:/etc/hostname", "count t"],
        LIMIT,
    );
    assert_eq!(out, "error access\nerror access: /etc/hostname\n3\n");
    drop(s);

    // `-u file` is `-u 1 -U file`.
    let users = std::env::temp_dir().join(format!("libq-confined-users-{}", std::process::id()));
    std::fs::write(&users, "alice:pass1\n").unwrap();
    let s = Server::start(&["-u", users.to_str().unwrap()]);
    let out = client(
        "pykx_queries",
        s.port,
        &[
            "alice:pass1",
            ".z.u",
            "system\"echo hi\"",
            "read0`:/etc/hostname",
        ],
        LIMIT,
    );
    assert_eq!(out, "'alice'\nerror access\nerror access: /etc/hostname\n");
    std::fs::remove_file(users).unwrap();
}

/// `\u` reloads the password file (basics/syscmds.md `\u`), here from the timer, which runs as
/// handle 0 and so is not confined by `-u file` (basics/cmdline.md `-u`'s warning).
#[test]
fn password_file_reloads() {
    if !python_ready() {
        return;
    }
    let users = std::env::temp_dir().join(format!("libq-reload-users-{}", std::process::id()));
    std::fs::write(&users, "alice:pass1\n").unwrap();
    let s = Server::start_script("reload.q", "0W", &["-u", users.to_str().unwrap()]);
    assert!(client("pykx_user", s.port, &["carol", "pass3"], LIMIT).starts_with("refused"));
    std::fs::write(&users, "alice:pass1\ncarol:pass3\n").unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        client("pykx_user", s.port, &["carol", "pass3"], LIMIT),
        "in carol\n"
    );
    std::fs::remove_file(users).unwrap();
}

/// The default `.z.ph` serves a file under `.h.HOME` (kdb+'s webserver root, kb/custom-web.md),
/// typed by its extension, and answers 404 naming the path it looked for.
#[test]
fn default_http_handler_serves_files_under_home() {
    let home = std::env::temp_dir().join(format!("libq-http-home-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join("hello.txt"), "hello from a file\n").unwrap();
    let s = Server::start(&[]);
    let h = support::khpu("localhost", s.port, "");
    assert!(h > 0);
    let set = format!(".h.HOME:\"{}\"", home.display());
    support::k(h, Some(&set), vec![]).unwrap();
    let get = |path: &str| {
        let mut http = std::net::TcpStream::connect(("127.0.0.1", s.port)).unwrap();
        use std::io::Write;
        http.write_all(format!("GET /{path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
            .unwrap();
        let mut page = String::new();
        http.read_to_string(&mut page).unwrap();
        page
    };
    assert_eq!(
        get("hello.txt"),
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\
         Content-Length: 18\r\n\r\nhello from a file\n"
    );
    let missing = get("nothing.txt");
    assert!(
        missing.starts_with("HTTP/1.1 404 Not Found\r\n")
            && missing.ends_with(&format!("{}/nothing.txt: not found", home.display())),
        "{missing:?}"
    );
    // Unlike kdb+'s handler, a path that climbs out of .h.HOME is refused, not read.
    std::fs::write(home.with_extension("secret"), "not for the web\n").unwrap();
    let secret = format!(
        "../{}",
        home.with_extension("secret")
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
    );
    for path in [
        secret.clone(),
        secret.replace("..", "%2e%2e"),
        format!("a/../{secret}"),
    ] {
        let refused = get(&path);
        assert!(
            refused.starts_with("HTTP/1.1 403 Forbidden\r\n")
                && !refused.contains("not for the web"),
            "{path}: {refused:?}"
        );
    }
    let _ = std::fs::remove_file(home.with_extension("secret"));
    q::ffi::net::kclose(h);
    let _ = std::fs::remove_dir_all(&home);
}

/// Bytes the test may use, from /proc/meminfo's MemAvailable and the cgroup's limit.
fn memory_available() -> u64 {
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let avail = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemAvailable:"))
        .and_then(|r| r.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024);
    let cgroup = |f: &str| {
        std::fs::read_to_string(format!("/sys/fs/cgroup/{f}"))
            .ok()
            .and_then(|t| t.trim().parse::<u64>().ok())
    };
    match (cgroup("memory.max"), cgroup("memory.current")) {
        (Some(max), Some(used)) => avail.min(max.saturating_sub(used)),
        _ => avail,
    }
}

/// Messages over 2 GB (capability 6, the length's bits 32..39 in header byte 3): a 2 GB byte
/// vector from the server to this library's client and back, on a connection that offered
/// the capability (`khpunc`'s 1 TB bit); a connection without it gets `'limit` and the server
/// goes on. Each side holds the vector and its message at once, about 6 GB in all: without
/// that much memory free the test is skipped, loudly.
#[test]
fn messages_over_2gb() {
    const NEED: u64 = 8 << 30;
    let avail = memory_available();
    if avail < NEED {
        eprintln!(
            "\n*** SKIPPED messages_over_2gb: needs {} GiB of free memory, {} GiB available ***\n",
            NEED >> 30,
            avail >> 30
        );
        return;
    }
    let n: i64 = (1 << 31) + 100;
    let s = Server::start(&[]);
    let small = support::khpunc("localhost", s.port, "", 5000, 0);
    assert!(small > 0);
    let r = support::k(small, Some(&format!("{n}#0x2a")), vec![]).unwrap();
    assert_eq!(
        (r.t(), r.s().as_str().into_owned()),
        (-128, "limit".to_string())
    );
    assert_eq!(support::k(small, Some("1+1"), vec![]).unwrap().j(), 2);
    q::ffi::net::kclose(small);

    let h = support::khpunc("localhost", s.port, "", 5000, 1);
    assert!(h > 0);
    let r = support::k(h, Some(&format!("{{@[x#0x2a;x-1;:;0x07]}}{n}")), vec![]).unwrap();
    assert_eq!((r.t(), r.n()), (4, n as usize));
    // Compared a block at a time (memcmp), not byte by byte: debug builds are slow at that.
    let block = vec![0x2au8; 1 << 20];
    let (body, last) = r.bytes().split_at(n as usize - 1);
    assert!(body.chunks(block.len()).all(|c| c == &block[..c.len()]));
    assert_eq!(last, [0x07]);
    drop(r);

    let mut big = K::vector(4, n as usize);
    let b = big.as_mut_slice::<u8>();
    b.fill(0x2b);
    b[0] = 0x01;
    let r = support::k(
        h,
        Some("{\"j\"$(count x;first x;x 2000000000;last x)}"),
        vec![big],
    )
    .unwrap();
    assert_eq!(support::longs(&r), vec![n, 1, 0x2b, 0x2b]);
    assert_eq!(support::k(h, Some("1+1"), vec![]).unwrap().j(), 2);
    q::ffi::net::kclose(h);
    // KX's own IPC (PyKX 4.2) takes the same reply.
    if python_ready() {
        assert_eq!(
            client(
                "pykx_large",
                s.port,
                &[&n.to_string()],
                Duration::from_secs(600)
            ),
            "ByteVector True\n2\nerror limit\n"
        );
    }
}

/// A subscriber: a q console (stdin at end of file, a timer running) that the server publishes
/// to from its own timer; the messages reach the subscriber's `.z.ps` on its loop, unasked.
#[test]
fn publisher_pushes_reach_an_idle_subscriber() {
    let s = Server::start(&[]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_q"))
        .arg(format!("{DIR}/subscriber.q"))
        .env("LIBQ_TEST_PORT", s.port.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + LIMIT;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the subscriber took longer than {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert_eq!(out, "q)0 1 2\n");
}

/// Out of descriptors (a server limited to 64): accepting pauses instead of spinning on the
/// listener, and serving resumes once connections close.
#[test]
fn running_out_of_descriptors() {
    if !python_ready() {
        return;
    }
    let mut child = Command::new("sh")
        .args(["-c", "ulimit -n 64 && exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_q"))
        .arg(format!("{DIR}/server.q"))
        .args(["-p", "0W"])
        .current_dir(DIR)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let s = Server {
        port: line.trim().parse().unwrap(),
        child,
    };
    let pid = s.child.id().to_string();
    assert_eq!(
        client("exhaust", s.port, &[&pid], LIMIT),
        "spins False\nserves again 2\n"
    );
}

/// node-q (npm), an independent kdb+ client written for Node.js.
#[test]
fn node_q_client() {
    let module = format!("{DIR}/nodeq/node_modules/node-q");
    if !std::path::Path::new(&module).is_dir() {
        let msg = "node-q is needed: npm install --prefix tests/server/nodeq";
        if std::env::var("LIBQ_NET_TESTS_OPTIONAL").as_deref() == Ok("1") {
            eprintln!("\n*** SKIPPED (LIBQ_NET_TESTS_OPTIONAL=1): {msg} ***\n");
            return;
        }
        panic!("{msg} (set LIBQ_NET_TESTS_OPTIONAL=1 to skip)");
    }
    let s = Server::start(&[]);
    let out = Command::new("node")
        .arg(format!("{DIR}/nodeq/client.js"))
        .arg(s.port.to_string())
        .output()
        .expect("run node");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "sum 6\nt [{\"x\":1,\"y\":\"a\"},{\"x\":2,\"y\":\"b\"},{\"x\":3,\"y\":\"c\"}]\n\
         error type\nasync then sync 7\n"
    );
}
