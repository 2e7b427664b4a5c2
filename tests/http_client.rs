//! `.Q.hg` and `.Q.hp` against an HTTP server this test starts on loopback: the exact request
//! bytes kdb+'s q.k sends (request line, headers, basic authorization, content headers, the
//! body), the reply's body returned (gunzipped when the reply says gzip), a proxy from
//! `HTTP_PROXY` asked for the whole URL, a refused connection as kdb+'s error; and `.Q.gz`.
//! q runs as a process, so the proxy variables it sees are the test's own.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// A server answering each of `replies` in turn (one connection each), reporting requests.
fn server(replies: Vec<Vec<u8>>) -> (u16, mpsc::Receiver<Vec<u8>>, thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    listener.set_nonblocking(true).unwrap();
    let h = thread::spawn(move || {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        for reply in replies {
            // Bounded: a client that never comes ends the server, not the test run.
            let mut s = loop {
                match listener.accept() {
                    Ok((s, _)) => break s,
                    Err(_) if std::time::Instant::now() < deadline => {
                        thread::sleep(Duration::from_millis(10))
                    }
                    Err(e) => panic!("no client: {e}"),
                }
            };
            s.set_nonblocking(false).unwrap();
            s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let mut req = Vec::new();
            let mut buf = [0u8; 4096];
            // The header, then as many body bytes as Content-length says.
            loop {
                let n = s.read(&mut buf).unwrap();
                req.extend_from_slice(&buf[..n]);
                if n == 0 {
                    break;
                }
                if let Some(end) = req.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&req[..end]).to_string();
                    let len = head
                        .lines()
                        .find_map(|l| l.strip_prefix("Content-length: "))
                        .map_or(0, |v| v.trim().parse::<usize>().unwrap());
                    if req.len() >= end + 4 + len {
                        break;
                    }
                }
            }
            tx.send(req).unwrap();
            s.write_all(&reply).unwrap();
        }
    });
    (port, rx, h)
}

/// What q prints for `lines` typed at its console, with no proxy in its environment unless
/// `env` sets one.
fn q(lines: &str, env: &[(&str, &str)]) -> String {
    q_args(&[], lines, env)
}

fn q_args(args: &[&str], lines: &str, env: &[(&str, &str)]) -> String {
    let mut c = Command::new(env!("CARGO_BIN_EXE_q"));
    c.args(args);
    for v in ["HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"] {
        c.env_remove(v);
    }
    c.envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = c.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{lines}\n\\\\\n").as_bytes())
        .unwrap();
    String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap()
}

/// What q prints for `lines` run as a script (no prompts).
fn script(name: &str, lines: &str, env: &[(&str, &str)]) -> String {
    let p = std::env::temp_dir().join(format!("libq-http-{}-{name}.q", std::process::id()));
    std::fs::write(&p, format!("{lines}\n\\\\\n")).unwrap();
    let out = q_args(&[&p.display().to_string()], "", env);
    let _ = std::fs::remove_file(&p);
    out
}

fn gzip_available() -> bool {
    q("-1 string count .Q.gz(6;\"x\");", &[]).trim() != ""
}

#[test]
fn get_and_post_send_kdbs_request_and_return_the_body() {
    let gz = gzip_available();
    let ok = |body: &str| {
        format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
    };
    let (port, requests, h) = server(vec![ok("hello").into_bytes(), ok("posted").into_bytes()]);
    let out = script(
        "get",
        &format!(
            "-1 .Q.hg\":http://user:pass@127.0.0.1:{port}/a/b?c=1\";\n\
             -1 .Q.hp[\"http://127.0.0.1:{port}/p\";\"application/json\";\"{{\\\"a\\\":1}}\"];"
        ),
        &[],
    );
    h.join().unwrap();
    assert_eq!(out, "hello\nposted\n");
    let accept = if gz { "Accept-Encoding: gzip\r\n" } else { "" };
    assert_eq!(
        String::from_utf8(requests.recv().unwrap()).unwrap(),
        format!(
            "GET /a/b?c=1 HTTP/1.1\r\n{accept}Connection: close\r\nHost: 127.0.0.1:{port}\r\n\
             Authorization: Basic dXNlcjpwYXNz\r\n\r\n"
        )
    );
    assert_eq!(
        String::from_utf8(requests.recv().unwrap()).unwrap(),
        format!(
            "POST /p HTTP/1.1\r\n{accept}Connection: close\r\nHost: 127.0.0.1:{port}\r\n\
             Content-type: application/json\r\nContent-length: 7\r\n\r\n{{\"a\":1}}"
        )
    );
}

#[test]
fn a_gzipped_reply_is_returned_plain() {
    assert!(
        gzip_available(),
        "zlib (libz.so.1) is missing: scripts/test.sh installs it"
    );
    // The body as kdb+'s .Q.gz makes it (zlib's gzip stream).
    let body = script(
        "gzbody",
        "-1 raze string .Q.gz(6;\"compressed hello\");",
        &[],
    );
    let body: Vec<u8> = (0..body.trim().len() / 2)
        .map(|i| u8::from_str_radix(&body.trim()[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    let mut reply = format!(
        "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    reply.extend_from_slice(&body);
    let (port, _requests, h) = server(vec![reply]);
    let out = script("gz", &format!("-1 .Q.hg`:http://127.0.0.1:{port}/z;"), &[]);
    h.join().unwrap();
    assert_eq!(out, "compressed hello\n");
}

#[test]
fn a_proxy_is_asked_for_the_whole_url() {
    let (port, requests, h) = server(vec![b"HTTP/1.0 200 OK\r\n\r\nvia proxy".to_vec()]);
    let proxy = format!("http://pu:pp@127.0.0.1:{port}");
    let out = script(
        "proxy",
        "-1 .Q.hg`:http://example.invalid/x;",
        &[("HTTP_PROXY", &proxy), ("NO_PROXY", "localhost,.corp")],
    );
    h.join().unwrap();
    assert_eq!(out, "via proxy\n");
    let req = String::from_utf8(requests.recv().unwrap()).unwrap();
    assert!(
        req.starts_with("GET http://example.invalid/x HTTP/1.1\r\n"),
        "{req}"
    );
    assert!(req.contains("\r\nHost: example.invalid\r\n"), "{req}");
    assert!(
        req.contains("\r\nProxy-Authorization: Basic cHU6cHA=\r\n"),
        "{req}"
    );
}

#[test]
fn a_refused_connection_is_kdbs_error_and_gz_round_trips() {
    // A port nothing listens on: bind one, then free it.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = q(&format!(".Q.hg`:http://127.0.0.1:{port}/"), &[]);
    assert!(
        out.starts_with("q)'hop. OS reports: Connection refused\n"),
        "{out}"
    );
    if gzip_available() {
        // kdb+'s reference page: 100000 bytes of "helloworld" gzip to 66 at level 9.
        let out = q(".Q.gz{0N!count x;x}[.Q.gz(9;10000#\"helloworld\")]", &[]);
        assert_eq!(
            out,
            "q)66\n\"helloworldhelloworldhelloworldhelloworldhelloworldhelloworldhelloworldhellow..\nq)"
        );
    }
}
