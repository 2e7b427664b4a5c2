//! Writing to a peer that has gone away must fail the call (0, errno EPIPE or ECONNRESET) and
//! never raise SIGPIPE in the host. Rust test binaries ignore SIGPIPE, so this one restores
//! the default action (death) first; it runs alone in its own binary for that reason.

#[path = "net/support.rs"]
mod support;

use q::obj::K;
use support::*;

/// A server that accepts one login and then closes the connection.
fn log_in_and_leave() -> u16 {
    serve_one_login(drop)
}

#[test]
fn sending_to_a_closed_peer_fails_without_sigpipe() {
    // SAFETY: restores the default SIGPIPE action (terminate) in this test process, so a
    // SIGPIPE raised by the library would end the test run.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    let port = log_in_and_leave();
    let h = khpu("127.0.0.1", port, "u:p");
    assert!(h > 0);
    let mut failed = false;
    for _ in 0..1000 {
        if k(-h, Some("upd"), vec![K::vector(4, 1 << 20)]).is_none() {
            failed = true;
            break;
        }
    }
    assert!(failed, "writes to a closed peer kept succeeding");
    assert!(
        [libc::EPIPE, libc::ECONNRESET].contains(&errno()),
        "errno {}",
        errno()
    );
    assert!(k(h, Some("2+2"), vec![]).is_none());
    q::ffi::net::kclose(h);
}
