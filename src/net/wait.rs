//! The one place the client blocks on the network. Every read of a connection comes through
//! `read`, so the owner thread can later hook in here (`set_hook`) and keep serving
//! trampolined calls while it waits, without the rest of the network layer knowing.

use std::io::{self, Read};
use std::os::fd::RawFd;
use std::sync::OnceLock;
use std::time::Instant;

use crate::sys;

/// A replacement wait for the threads it `applies` to (the owner): `wait` is called with the
/// descriptor and a timeout in milliseconds (-1: none) and returns whether the descriptor
/// became readable.
pub struct WaitHook {
    pub applies: fn() -> bool,
    pub wait: fn(RawFd, i32) -> io::Result<bool>,
}

static HOOK: OnceLock<WaitHook> = OnceLock::new();

/// Installs the wait used while a connection blocks (once per process).
pub fn set_hook(hook: WaitHook) -> bool {
    HOOK.set(hook).is_ok()
}

/// Reads into `buf` from a blocking socket `r` whose descriptor is `fd`, waiting at most until
/// `deadline`. Without a deadline or hook this is a plain blocking read: one system call.
pub fn read(
    r: impl Read,
    fd: RawFd,
    buf: &mut [u8],
    deadline: Option<Instant>,
) -> io::Result<usize> {
    let mut r = r;
    // Only the owner serves calls while it waits; other threads keep the one-call read.
    let hook = HOOK.get().filter(|h| (h.applies)());
    if deadline.is_none() && hook.is_none() {
        return retry_interrupted(|| r.read(buf));
    }
    let timeout_ms = match deadline {
        None => -1,
        Some(d) => {
            let left = d.saturating_duration_since(Instant::now());
            // Round up so a deadline a fraction of a millisecond away still waits.
            left.as_millis().min(i32::MAX as u128) as i32
                + i32::from(left.subsec_nanos() % 1_000_000 != 0)
        }
    };
    let ready = match hook {
        Some(h) => (h.wait)(fd, timeout_ms)?,
        None => sys::socket::poll_readable(fd, timeout_ms)?,
    };
    if !ready {
        return Err(io::Error::from(io::ErrorKind::TimedOut));
    }
    retry_interrupted(|| r.read(buf))
}

fn retry_interrupted(mut f: impl FnMut() -> io::Result<usize>) -> io::Result<usize> {
    loop {
        match f() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            r => return r,
        }
    }
}
