//! The few socket system calls the network layer needs that std does not offer safely:
//! sending without SIGPIPE, shutting down a socket another thread may be blocked on, and
//! waiting for readability. Every other socket operation uses std.

use std::io;
use std::os::fd::RawFd;

/// Sends bytes on a connected socket with `MSG_NOSIGNAL`, so a peer that has gone away gives
/// `EPIPE` instead of a SIGPIPE that would kill the host. Retries on `EINTR`.
pub fn send_nosignal(fd: RawFd, buf: &[u8]) -> io::Result<usize> {
    loop {
        // SAFETY: buf is a live slice of buf.len() readable bytes; fd is a socket the caller
        // owns for the duration of the call (send on a bad fd only returns EBADF).
        let n = unsafe { libc::send(fd, buf.as_ptr().cast(), buf.len(), libc::MSG_NOSIGNAL) };
        if n >= 0 {
            return Ok(n as usize);
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// Shuts both directions of a socket, waking any thread blocked reading it. The descriptor
/// stays allocated (closing it is the owner's job), so its number cannot be reused under a
/// thread that still holds it.
pub fn shutdown_both(fd: RawFd) {
    // SAFETY: shutdown takes no pointers; on a descriptor that is not a socket it returns an
    // error, which is ignored because the connection is being abandoned either way.
    unsafe { libc::shutdown(fd, libc::SHUT_RDWR) };
}

/// Waits until `fd` is readable (or has hung up), for at most `timeout_ms` (-1: no limit).
/// Returns false on timeout. Retries on `EINTR` with the full timeout, which only lengthens
/// a wait the caller chose to bound.
pub fn poll_readable(fd: RawFd, timeout_ms: i32) -> io::Result<bool> {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    loop {
        // SAFETY: p is one valid pollfd that lives across the call.
        let n = unsafe { libc::poll(&mut p, 1, timeout_ms) };
        if n >= 0 {
            return Ok(n > 0);
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// Reads what has arrived on a socket without blocking, whatever the socket's own mode:
/// `WouldBlock` when nothing has. Retries on `EINTR`.
pub fn recv_now(fd: RawFd, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        // SAFETY: buf is a live slice of buf.len() writable bytes.
        let n = unsafe { libc::recv(fd, buf.as_mut_ptr().cast(), buf.len(), libc::MSG_DONTWAIT) };
        if n >= 0 {
            return Ok(n as usize);
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// Sends what the socket takes now, without blocking and without SIGPIPE: `WouldBlock` when it
/// takes nothing. Retries on `EINTR`.
pub fn send_now(fd: RawFd, buf: &[u8]) -> io::Result<usize> {
    loop {
        // SAFETY: buf is a live slice of buf.len() readable bytes.
        let n = unsafe {
            libc::send(
                fd,
                buf.as_ptr().cast(),
                buf.len(),
                libc::MSG_NOSIGNAL | libc::MSG_DONTWAIT,
            )
        };
        if n >= 0 {
            return Ok(n as usize);
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// Waits until `fd` can take more bytes (or has failed), for at most `timeout_ms` (-1: no
/// limit); false on timeout.
pub fn poll_writable(fd: RawFd, timeout_ms: i32) -> io::Result<bool> {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLOUT,
        revents: 0,
    };
    loop {
        // SAFETY: p is one valid pollfd that lives across the call.
        let n = unsafe { libc::poll(&mut p, 1, timeout_ms) };
        if n >= 0 {
            return Ok(n > 0);
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}
