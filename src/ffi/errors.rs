//! `krr`, `orr`, `ee`: signalling errors from C and turning them into q error objects.

use std::ffi::c_char;

use super::boundary::{guard, set_error_ptr, take_error};
use super::types::K;
use crate::obj::{self, Sym};

/// Signals `s` as this thread's error and returns 0. The pointer is kept, not copied: the host
/// keeps the string alive, as with kdb+.
#[no_mangle]
pub extern "C" fn krr(s: *const c_char) -> K {
    set_error_ptr(s);
    std::ptr::null_mut()
}

/// Like `krr`, with the operating system's error text appended as kdb+ does
/// (`"file. OS reports: No such file or directory"`; with no OS error, `"file. "`).
#[no_mangle]
pub extern "C" fn orr(s: *const c_char) -> K {
    let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
    guard(|| {
        let user: &[u8] = if s.is_null() {
            b"(null)"
        } else {
            // SAFETY: s is the host's NUL-terminated string.
            unsafe { super::boundary::c_bytes(s) }
        };
        set_error_ptr(os_error_text(user, errno).as_ptr());
        std::ptr::null_mut()
    })
}

/// `"<what>. OS reports: <the last OS error's text>"`, kdb+'s wording for a failed system call.
pub fn os_error(what: &[u8]) -> Sym {
    let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
    os_error_text(what, errno)
}

fn os_error_text(what: &[u8], errno: i32) -> Sym {
    let mut msg = what.to_vec();
    msg.extend_from_slice(b". ");
    if errno != 0 {
        let os_text = std::io::Error::from_raw_os_error(errno).to_string();
        let os_text = os_text.split(" (os error").next().unwrap_or_default();
        msg.extend_from_slice(b"OS reports: ");
        msg.extend_from_slice(os_text.as_bytes());
    }
    Sym::new(msg)
}

/// Returns `x` unchanged, or for a null `x` a type -128 object holding the pending error (the
/// very pointer `krr` was given; null when nothing is pending), which it clears.
#[no_mangle]
pub extern "C" fn ee(x: K) -> K {
    if !x.is_null() {
        return x;
    }
    guard(|| obj::K::error_ptr(take_error()).into_raw())
}
