//! File descriptors a host hands the library (`sd1`, `sd0`): checked, made non-blocking, closed.

use std::os::fd::RawFd;

/// Whether `fd` is an open descriptor.
pub fn is_open(fd: RawFd) -> bool {
    // SAFETY: F_GETFD takes no pointer; an invalid descriptor gives -1 (EBADF).
    fd >= 0 && unsafe { libc::fcntl(fd, libc::F_GETFD) } >= 0
}

/// Sets O_NONBLOCK on `fd`; false if it cannot.
pub fn set_nonblocking(fd: RawFd) -> bool {
    // SAFETY: F_GETFL/F_SETFL take an int flag word, no pointer.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        flags >= 0 && libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) >= 0
    }
}

/// Closes a descriptor that was given to the library to close.
pub fn close(fd: RawFd) {
    // SAFETY: close takes no pointer; the caller owns `fd` (on a bad one it returns EBADF).
    unsafe { libc::close(fd) };
}
