//! The process environment: `getenv` and `setenv` on the real environment, so child
//! processes and libc (`TZ` for local time) see what q sets.
//!
//! Rust's `std::env` takes its own lock around every read and write. libc functions that read
//! the environment directly (localtime_r reading `TZ`) do not take it; q changes the
//! environment only from the thread that owns the engine, which is also where those run.

/// A variable's value, or None when it is unset (or not valid Unicode).
pub fn get(name: &str) -> Option<String> {
    if !valid_name(name) {
        return None;
    }
    std::env::var(name).ok()
}

/// Sets a variable for this process and its children; false when the name cannot be a
/// variable's (empty, or holding `=` or NUL) or the value holds NUL.
pub fn set(name: &str, value: &str) -> bool {
    if !valid_name(name) || value.contains('\0') {
        return false;
    }
    std::env::set_var(name, value);
    if name == "TZ" {
        super::clock::reload_zone();
    }
    true
}

fn valid_name(name: &str) -> bool {
    !name.is_empty() && !name.contains('=') && !name.contains('\0')
}
