//! The owner's event loop: one poll over everything the owner answers to, the doorbell
//! (trampolined calls), the descriptors of `sd1` callbacks (`watch`, which includes the
//! console's stdin), and the server's listening sockets, connections and timer
//! (`net::server::reactor`). `serve_for` turns it while there is anything to watch; each turn
//! waits once, then runs what is ready: `sd1` callbacks, then the server's work (accepting,
//! reading, evaluating requests in arrival order, writing), then the timer.
//!
//! While the owner loops here the server's stand-in thread stands aside (`owner_looping`).

use std::time::Duration;

use super::{doorbell, watch};
use crate::net::server::reactor;
use crate::sys::poll::{self, PollFd, POLLIN};

/// Whether the loop has descriptors or a timer to watch (else the owner parks on the bell).
pub fn has_sources() -> bool {
    !watch::is_empty() || reactor::active()
}

/// One turn: waits until the bell rings, a descriptor is ready, the timer is due or `timeout`
/// passes (None: no limit), then dispatches what is ready. With the bell already rung it only
/// looks (no wait), so a busy stream of calls cannot starve the descriptors.
pub fn turn(timeout: Option<Duration>) {
    let mut set: Vec<PollFd> = Vec::new();
    let watched = watch::fds();
    set.extend(watched.iter().map(|&fd| poll::watch(fd, POLLIN)));
    let server_from = set.len();
    let due = if reactor::active() {
        reactor::interest(&mut set)
    } else {
        None
    };
    let timeout = match (timeout, due) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let bell = doorbell::event_fd();
    match bell {
        Some(bell) if doorbell::watch_fd() => {
            set.push(poll::watch(bell.fd(), POLLIN));
            poll::poll(&mut set, timeout);
            if set.last().is_some_and(|p| p.revents != 0) {
                bell.drain();
            }
            set.pop();
            doorbell::unwatch_fd();
        }
        Some(_) => {
            poll::poll(&mut set, Some(Duration::ZERO));
        }
        None => {
            // No eventfd from the system: the bell cannot be polled, so look and then sleep
            // on it for at most a short slice.
            poll::poll(&mut set, Some(Duration::ZERO));
            if set.iter().all(|p| p.revents == 0) {
                doorbell::park(Some(timeout.map_or(SLICE, |t| t.min(SLICE))));
            }
        }
    }
    // What runs now evaluates on the owner: it takes the engine lock's write side (waiting for
    // the connection threads' and readers' queries, holding new ones back).
    let _inside = super::gate::Inside::serving();
    let (mine, server) = set.split_at(server_from);
    for p in mine.iter().filter(|p| p.revents != 0) {
        watch::run_callback(p.fd);
    }
    if reactor::active() || server.iter().any(|p| p.revents != 0) {
        reactor::dispatch(server);
    }
}

const SLICE: Duration = Duration::from_millis(10);
