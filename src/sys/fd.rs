//! File descriptors a host hands the library (`sd1`, `sd0`, `k(h,...)`): checked, made
//! non-blocking, closed.

use std::os::fd::RawFd;

/// Whether `fd` is an open descriptor.
pub fn is_open(fd: RawFd) -> bool {
    // SAFETY: F_GETFD takes no pointer; an invalid descriptor gives -1 (EBADF).
    fd >= 0 && unsafe { libc::fcntl(fd, libc::F_GETFD) } >= 0
}

/// Whether `fd` is a socket; None if it is not an open descriptor.
pub fn is_socket(fd: RawFd) -> Option<bool> {
    // SAFETY: stat is plain data; fstat only fills it, and an invalid descriptor gives -1.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: as above; st is a valid stat buffer for the call.
    if unsafe { libc::fstat(fd, &mut st) } != 0 {
        return None;
    }
    Some(st.st_mode & libc::S_IFMT == libc::S_IFSOCK)
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
