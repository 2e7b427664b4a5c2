//! The owner serves trampolined calls while it waits on a socket (`owner::wait_fd`, for the
//! network layer's blocking waits): 200 calls made while the owner is blocked on a socket are
//! all served before the socket becomes readable.

use std::io::Write;
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicUsize, Ordering::*};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use q::owner::{self, owner_bound};

#[test]
fn owner_serves_while_waiting_on_a_socket() {
    owner_bound(|| ()).unwrap(); // this thread becomes the owner
    let (mut writer, reader) = UnixStream::pair().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let caller = {
        let count = count.clone();
        thread::spawn(move || {
            for _ in 0..200 {
                owner_bound(|| count.fetch_add(1, Relaxed)).unwrap();
            }
            writer.write_all(b"x").unwrap();
        })
    };
    // Not readable until the caller has made all its calls, which needs this wait to serve.
    assert!(owner::wait_fd(reader.as_raw_fd(), libc::POLLIN, None));
    assert_eq!(count.load(Relaxed), 200);
    caller.join().unwrap();

    // A timeout with nothing to read reports "not ready".
    let (mut w, r) = UnixStream::pair().unwrap();
    assert!(!owner::wait_fd(
        r.as_raw_fd(),
        libc::POLLIN,
        Some(Duration::from_millis(20))
    ));
    // The same through the network layer's hook signature.
    assert!(!owner::net_wait(r.as_raw_fd(), 0).unwrap());
    w.write_all(b"y").unwrap();
    assert!(owner::net_wait(r.as_raw_fd(), -1).unwrap());
}
