//! An eventfd used as a doorbell a poll(2) loop can wait on, and a poll over a socket plus
//! that doorbell. Every syscall result is checked; EINTR is retried or reported as "nothing
//! ready", which callers treat like a timeout slice and re-check.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::time::Duration;

/// A non-blocking, close-on-exec eventfd.
pub struct EventFd(OwnedFd);

/// Eventfds are moved to this number or above, leaving the low descriptors to what q opens:
/// a fresh kdb+'s first `hopen` of a file is handle 3 (basics/handles.md), and so is ours.
const FLOOR: i32 = 64;

impl EventFd {
    pub fn new() -> std::io::Result<EventFd> {
        // SAFETY: eventfd has no pointer arguments.
        let fd = unsafe { libc::eventfd(0, libc::EFD_NONBLOCK | libc::EFD_CLOEXEC) };
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: fcntl F_DUPFD_CLOEXEC on our own descriptor; no pointers.
        let high = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, FLOOR) };
        let fd = if high >= 0 {
            // SAFETY: fd is ours and no longer used (the duplicate replaces it).
            unsafe { libc::close(fd) };
            high
        } else {
            // Too few descriptors allowed: keep the low one.
            fd
        };
        // SAFETY: fd is a fresh descriptor that nothing else owns.
        Ok(EventFd(unsafe { OwnedFd::from_raw_fd(fd) }))
    }

    pub fn fd(&self) -> RawFd {
        self.0.as_raw_fd()
    }

    /// Makes the descriptor readable (adds 1 to its counter).
    pub fn signal(&self) {
        let one: u64 = 1;
        loop {
            // SAFETY: writes 8 bytes from a live u64 to our own descriptor.
            let r = unsafe { libc::write(self.fd(), (&one as *const u64).cast(), 8) };
            if r == 8 {
                return;
            }
            let e = std::io::Error::last_os_error().raw_os_error();
            match e {
                Some(libc::EINTR) => continue,
                // The counter is at its maximum: already readable.
                Some(libc::EAGAIN) => return,
                _ => {
                    debug_assert!(false, "eventfd write failed: {e:?}");
                    return;
                }
            }
        }
    }

    /// Makes the descriptor unreadable again; returns whether it was readable.
    pub fn drain(&self) -> bool {
        let mut v: u64 = 0;
        loop {
            // SAFETY: reads 8 bytes into a live u64 from our own descriptor.
            let r = unsafe { libc::read(self.fd(), (&mut v as *mut u64).cast(), 8) };
            if r == 8 {
                return true;
            }
            let e = std::io::Error::last_os_error().raw_os_error();
            match e {
                Some(libc::EINTR) => continue,
                Some(libc::EAGAIN) => return false,
                _ => {
                    debug_assert!(false, "eventfd read failed: {e:?}");
                    return false;
                }
            }
        }
    }
}

/// What `poll_two` found ready.
#[derive(Copy, Clone, Default, Debug, PartialEq, Eq)]
pub struct Ready {
    /// `fd` has one of the requested events (or an error or hang-up).
    pub fd: bool,
    /// The doorbell is readable.
    pub bell: bool,
}

/// Waits until `fd` has one of `events` (POLLIN, POLLOUT) or `bell` is readable, at most
/// `timeout` (None: no limit). A signal or a failed poll reports nothing ready.
pub fn poll_two(fd: RawFd, events: i16, bell: RawFd, timeout: Option<Duration>) -> Ready {
    let mut fds = [
        libc::pollfd {
            fd,
            events,
            revents: 0,
        },
        libc::pollfd {
            fd: bell,
            events: libc::POLLIN,
            revents: 0,
        },
    ];
    let ms = timeout.map_or(-1, |t| t.as_millis().min(i32::MAX as u128) as i32);
    // SAFETY: fds is a live array of two pollfd for the whole call.
    let r = unsafe { libc::poll(fds.as_mut_ptr(), 2, ms) };
    if r < 0 {
        let e = std::io::Error::last_os_error().raw_os_error();
        debug_assert!(
            e == Some(libc::EINTR) || e == Some(libc::ENOMEM),
            "poll failed: {e:?}"
        );
        return Ready::default();
    }
    Ready {
        fd: fds[0].revents != 0,
        bell: fds[1].revents != 0,
    }
}

/// What `poll_readable` found ready.
#[derive(Default, Debug, PartialEq, Eq)]
pub struct ReadySet {
    /// The descriptors that are readable, hung up or in error, in the order given.
    pub fds: Vec<RawFd>,
    /// The doorbell is readable.
    pub bell: bool,
}

/// Waits until one of `fds` is readable, or `bell` (if any) is, at most `timeout` (None: no
/// limit). A signal or a failed poll reports nothing ready.
pub fn poll_readable(fds: &[RawFd], bell: Option<RawFd>, timeout: Option<Duration>) -> ReadySet {
    let watch = |fd| libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    let mut set: Vec<libc::pollfd> = fds.iter().copied().chain(bell).map(watch).collect();
    let ms = timeout.map_or(-1, |t| t.as_millis().min(i32::MAX as u128) as i32);
    // SAFETY: set is a live array of set.len() pollfd for the whole call.
    let r = unsafe { libc::poll(set.as_mut_ptr(), set.len() as libc::nfds_t, ms) };
    if r <= 0 {
        return ReadySet::default();
    }
    let (watched, bell) = set.split_at(fds.len());
    ReadySet {
        fds: watched
            .iter()
            .filter(|p| p.revents != 0)
            .map(|p| p.fd)
            .collect(),
        bell: bell.first().is_some_and(|p| p.revents != 0),
    }
}
