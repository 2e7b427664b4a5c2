//! poll(2) over any set of descriptors, for the owner's event loop and the server's threads.
//! A signal or a failed poll reports nothing ready; callers treat that like a timeout slice.

use std::os::fd::RawFd;
use std::time::Duration;

pub use libc::{POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT};

/// One descriptor to watch: the events wanted, and those found.
pub type PollFd = libc::pollfd;

pub fn watch(fd: RawFd, events: i16) -> PollFd {
    libc::pollfd {
        fd,
        events,
        revents: 0,
    }
}

/// Waits until one of `set` has an event (or an error or hang-up) or `timeout` passes (None:
/// no limit); returns how many have one. Each entry's `revents` says which.
pub fn poll(set: &mut [PollFd], timeout: Option<Duration>) -> usize {
    let ms = timeout.map_or(-1, |t| {
        // Round up, so a wait a fraction of a millisecond long does not spin.
        let ms = t.as_millis() + u128::from(t.subsec_nanos() % 1_000_000 != 0);
        ms.min(i32::MAX as u128) as i32
    });
    // SAFETY: set is a live array of set.len() pollfd for the whole call.
    let r = unsafe { libc::poll(set.as_mut_ptr(), set.len() as libc::nfds_t, ms) };
    if r < 0 {
        let e = std::io::Error::last_os_error().raw_os_error();
        debug_assert!(
            e == Some(libc::EINTR) || e == Some(libc::ENOMEM),
            "poll failed: {e:?}"
        );
        return 0;
    }
    r as usize
}
