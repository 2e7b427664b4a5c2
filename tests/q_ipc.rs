//! IPC from q code: `hopen`, sync and async handle application, `hclose`, against the Python
//! kdb+ server the network tests use (tests/net/kdb_server.py).

#[path = "net/support.rs"]
mod support;

use q::q::{console, Engine};

fn run(eng: &Engine, src: &str) -> String {
    match console::entry(eng, src) {
        Ok(s) => s,
        Err(e) => format!("{e}"),
    }
}

#[test]
fn q_code_talks_to_a_kdb_server() {
    let Some(server) = support::Server::start(&["--port", "0"]) else {
        return;
    };
    let port = server.port;
    // Each step runs on a thread and is bounded in time: an answer that never comes fails the
    // test, naming the step, instead of hanging the suite.
    let (steps, seen) = std::sync::mpsc::channel::<Option<String>>();
    std::thread::spawn(move || {
        let eng = Engine::new();
        let step = |src: &str| {
            steps.send(Some(src.to_string())).unwrap();
            run(&eng, src)
        };
        assert_eq!(step(&format!("h:hopen `:localhost:{port}")), "");
        assert_eq!(step("h \"2+2\""), "4");
        assert_eq!(step("h (\"echo\";`a`b)"), "`a`b");
        assert_eq!(step("h \"'oops\""), "'oops");
        assert_eq!(step("neg[h] \"x\""), "");
        assert_eq!(step("h \"last_async\""), ",\"x\"");
        assert_eq!(step("hclose h"), "");
        assert!(step("h \"2+2\"").starts_with('\''));
        assert!(step("hopen `:localhost:1").starts_with("'hop"));
        steps.send(None).unwrap();
    });
    let mut last = String::new();
    loop {
        match seen.recv_timeout(std::time::Duration::from_secs(60)) {
            Ok(Some(step)) => last = step,
            Ok(None) => break,
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => panic!("failed at {last:?}"),
            Err(_) => panic!("no answer in 60 s to {last:?}"),
        }
    }
    drop(server);
}
