//! The seam the owner thread uses: with a wait hook installed, the owner's blocking reads of a
//! connection wait through it (so it can serve trampolined calls meanwhile); other threads
//! keep the plain read. Its own binary, because the hook and the owner are process-wide.

#[path = "net/support.rs"]
mod support;

use std::io::{Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};

use support::*;

static WAITS: AtomicUsize = AtomicUsize::new(0);

/// Counts, then waits the way the library does without a hook.
fn counting_wait(fd: std::os::fd::RawFd, timeout_ms: i32) -> std::io::Result<bool> {
    WAITS.fetch_add(1, Ordering::SeqCst);
    q::sys::socket::poll_readable(fd, timeout_ms)
}

/// Logs one client in and answers each request with the long 4.
fn answer_four() -> u16 {
    serve_one_login(|mut s| {
        let mut h = [0u8; 8];
        while s.read_exact(&mut h).is_ok() {
            let mut body = vec![0u8; u32::from_le_bytes([h[4], h[5], h[6], h[7]]) as usize - 8];
            s.read_exact(&mut body).unwrap();
            s.write_all(&[1, 2, 0, 0, 17, 0, 0, 0, 0xf9, 4, 0, 0, 0, 0, 0, 0, 0])
                .unwrap();
        }
    })
}

#[test]
fn the_owners_blocking_reads_wait_through_the_installed_hook() {
    assert!(q::net::wait::set_hook(q::net::wait::WaitHook {
        applies: q::owner::is_owner,
        wait: counting_wait,
    }));
    let port = answer_four();
    let h = khpu("127.0.0.1", port, "u:p");
    assert!(h > 0);

    // Not the owner yet (nobody is): a plain read.
    let before = WAITS.load(Ordering::SeqCst);
    assert_eq!(k(h, Some("2+2"), vec![]).unwrap().j(), 4);
    assert_eq!(WAITS.load(Ordering::SeqCst), before);

    // The first owner-bound call makes this thread the owner; now it waits through the hook.
    q::owner::owner_bound(|| ()).unwrap();
    assert!(q::owner::is_owner());
    assert_eq!(k(h, Some("2+2"), vec![]).unwrap().j(), 4);
    assert!(WAITS.load(Ordering::SeqCst) > before);
    q::ffi::net::kclose(h);
}
