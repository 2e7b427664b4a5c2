//! Dedicated mode: the library's own thread ("libq-owner") is the owner from the first
//! owner-bound call until `shutdown_thread()` or process exit. Stopping refuses every call
//! still pending (`'shutdown`), and so does every later call; nothing waits for a thread that
//! is gone. At process exit the stop waits at most `EXIT_GRACE` for a call in progress.
//!
//! Not fork-safe: a child of a forked process has no owner thread (as with any library thread),
//! so it must not make owner-bound calls.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering::*};
use std::sync::{Mutex, Once};
use std::thread::JoinHandle;
use std::time::Duration;

use super::{doorbell, lifecycle, serve};
use crate::obj::{Error, Result};
use crate::sys::futex;

static START: Once = Once::new();
static THREAD: Mutex<Option<JoinHandle<()>>> = Mutex::new(None);
/// 0 while the owner thread runs (or never started), 1 once it has finished.
static STOPPED: AtomicU32 = AtomicU32::new(0);
/// The system refused to start the owner thread.
static SPAWN_FAILED: AtomicBool = AtomicBool::new(false);

const EXIT_GRACE: Duration = Duration::from_secs(2);
/// The owner thread evaluates q: give it a main thread's stack, not a helper thread's 2 MiB.
const OWNER_STACK: usize = 16 << 20;

/// Starts the owner thread once; an error if the system would not start it.
pub fn ensure_started() -> Result<()> {
    START.call_once(|| {
        let spawned = std::thread::Builder::new()
            .name("libq-owner".into())
            .stack_size(OWNER_STACK)
            .spawn(run);
        match spawned {
            Ok(h) => {
                *THREAD.lock().unwrap_or_else(|p| p.into_inner()) = Some(h);
                crate::sys::process::at_exit(at_exit);
            }
            Err(_) => SPAWN_FAILED.store(true, SeqCst),
        }
    });
    if SPAWN_FAILED.load(SeqCst) {
        return Err(Error::new("thread"));
    }
    Ok(())
}

fn run() {
    lifecycle::become_owner();
    serve::serve_for(None);
    lifecycle::resign();
    serve::refuse_all();
    STOPPED.store(1, Release);
    futex::wake(&STOPPED, i32::MAX);
}

/// Shuts down: later calls fail with `'shutdown`, pending ones are refused, and the owner
/// thread (if any) is woken to finish; waits for it at most `grace` (None: until it has).
pub fn stop(grace: Option<Duration>) {
    lifecycle::shut();
    doorbell::ring();
    serve::refuse_all();
    if !START.is_completed() || lifecycle::is_owner() {
        return;
    }
    let deadline = grace.map(|g| std::time::Instant::now() + g);
    while STOPPED.load(Acquire) == 0 {
        let left = deadline.map(|d| d.saturating_duration_since(std::time::Instant::now()));
        if left.is_some_and(|l| l.is_zero()) {
            return;
        }
        futex::wait(&STOPPED, 0, left);
    }
    if let Some(h) = THREAD.lock().unwrap_or_else(|p| p.into_inner()).take() {
        let _ = h.join();
    }
}

extern "C" fn at_exit() {
    let _ = std::panic::catch_unwind(|| stop(Some(EXIT_GRACE)));
}
