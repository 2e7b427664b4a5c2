//! This thread's `errno`: read after a failed system call, and set for the host where k.h's
//! contract says a failed call leaves it (the IPC client's `k` and `khp*`).

/// The `errno` of this thread's last failed system call (0 if unknown).
pub fn last() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// Sets this thread's `errno`, as kdb+'s C API does when a network call fails.
pub fn set(code: i32) {
    // SAFETY: __errno_location returns this thread's errno slot, always valid to write.
    unsafe { *libc::__errno_location() = code };
}
