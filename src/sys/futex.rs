//! A safe wrapper over Linux's futex(2) for one 32-bit word: `wait` while the word holds an
//! expected value, `wake` sleepers. Private futexes: the word is never shared across processes.
//!
//! Every return value is checked: `wait` reports whether it may have been woken (a wake, a
//! changed value, a signal) or timed out; callers re-check their word either way, so a
//! spurious return is always harmless. Errors that would mean a bug here (EFAULT, EINVAL,
//! ENOSYS) are debug-asserted and otherwise read as a spurious return.

use std::sync::atomic::AtomicU32;
use std::time::Duration;

/// Why `wait` returned.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Wake {
    /// Woken, or the word no longer held `expected`, or a signal: re-check the word.
    Maybe,
    /// The timeout passed.
    TimedOut,
}

/// Sleeps while `word` holds `expected`, at most `timeout` (None: no limit).
pub fn wait(word: &AtomicU32, expected: u32, timeout: Option<Duration>) -> Wake {
    let ts = timeout.map(|t| libc::timespec {
        tv_sec: t.as_secs().min(i64::MAX as u64) as libc::time_t,
        tv_nsec: t.subsec_nanos() as libc::c_long,
    });
    let ts_ptr = ts
        .as_ref()
        .map_or(std::ptr::null(), |t| t as *const libc::timespec);
    // SAFETY: `word` is a live, aligned 32-bit atomic for the whole call; `ts_ptr` is null or
    // points at a timespec on this frame. FUTEX_WAIT only reads both.
    let r = unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
            expected,
            ts_ptr,
            std::ptr::null::<u32>(),
            0u32,
        )
    };
    if r == 0 {
        return Wake::Maybe;
    }
    match super::errno::last() {
        libc::ETIMEDOUT => Wake::TimedOut,
        libc::EAGAIN | libc::EINTR => Wake::Maybe,
        e => {
            debug_assert!(false, "FUTEX_WAIT failed: errno {e}");
            Wake::Maybe
        }
    }
}

/// Wakes at most `n` threads sleeping on `word`; returns how many were woken.
pub fn wake(word: &AtomicU32, n: i32) -> usize {
    // SAFETY: `word` is a live, aligned 32-bit atomic; FUTEX_WAKE only uses its address.
    let r = unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG,
            n,
        )
    };
    if r < 0 {
        debug_assert!(false, "FUTEX_WAKE failed: errno {}", super::errno::last());
        return 0;
    }
    r as usize
}
