//! Descriptors a host put on the owner's loop with `sd1` (and the console's stdin): when one is
//! readable (or hung up), the owner calls its callback while it serves (`kx_serve`, the
//! dedicated owner thread, the console), as q's main loop does for a shared library's sockets.
//! The loop itself is `event_loop`.
//!
//! Registrations are owner-bound (`sd1`/`sd0x` trampoline), so only the owner changes the
//! list; the lock keeps it sound anyway. A callback runs outside the lock, so it may call
//! `sd0` on itself, `sd1` for another descriptor, or `k(0,...)`.

use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;

use std::sync::{Mutex, MutexGuard, PoisonError};

/// What the owner does when a watched descriptor is ready; it gets the descriptor.
pub type Callback = Arc<dyn Fn(i32) + Send + Sync>;

/// A std (futex) mutex: a fork's child finds it free (`fork_lock`).
static WATCHED: Mutex<Vec<(i32, Callback)>> = Mutex::new(Vec::new());

fn watched() -> MutexGuard<'static, Vec<(i32, Callback)>> {
    WATCHED.lock().unwrap_or_else(PoisonError::into_inner)
}
/// How many descriptors are watched, so the serving loop checks for none without the lock.
static COUNT: AtomicUsize = AtomicUsize::new(0);

/// Watches `fd` with `callback`, replacing an earlier callback on the same descriptor.
pub fn add(fd: i32, callback: Callback) {
    let mut w = watched();
    match w.iter_mut().find(|(d, _)| *d == fd) {
        Some(entry) => entry.1 = callback,
        None => w.push((fd, callback)),
    }
    COUNT.store(w.len(), Relaxed);
}

/// Stops watching `fd`; whether it was watched.
pub fn remove(fd: i32) -> bool {
    let mut w = watched();
    let before = w.len();
    w.retain(|(d, _)| *d != fd);
    COUNT.store(w.len(), Relaxed);
    w.len() != before
}

/// Registrations happen on the owner (owner-bound), so its own relaxed reads see them.
pub fn is_empty() -> bool {
    COUNT.load(Relaxed) == 0
}

/// The watched descriptors, in the order they were added.
pub fn fds() -> Vec<i32> {
    if is_empty() {
        return Vec::new();
    }
    watched().iter().map(|(d, _)| *d).collect()
}

/// Runs the callback of `fd` if it is still watched (an earlier callback in the same turn of
/// the loop may have removed it). The lock is not held while it runs.
pub fn run_callback(fd: i32) {
    let callback = watched()
        .iter()
        .find(|(d, _)| *d == fd)
        .map(|(_, c)| c.clone());
    if let Some(callback) = callback {
        callback(fd);
    }
}

/// Before a fork: the list's lock, so the child finds it free.
pub fn fork_lock() -> MutexGuard<'static, Vec<(i32, Callback)>> {
    watched()
}
