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
    let eng = Engine::new();
    assert_eq!(
        run(&eng, &format!("h:hopen `:localhost:{}", server.port)),
        ""
    );
    assert_eq!(run(&eng, "h \"2+2\""), "4");
    assert_eq!(run(&eng, "h (\"echo\";`a`b)"), "`a`b");
    assert_eq!(run(&eng, "h \"'oops\""), "'oops");
    assert_eq!(run(&eng, "neg[h] \"x\""), "");
    assert_eq!(run(&eng, "h \"last_async\""), ",\"x\"");
    assert_eq!(run(&eng, "hclose h"), "");
    assert!(run(&eng, "h \"2+2\"").starts_with('\''));
    assert!(run(&eng, "hopen `:localhost:1").starts_with("'hop"));
}
