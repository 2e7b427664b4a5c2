//! Dedicated mode: the library's own thread ("libq-owner") is the owner from the first
//! owner-bound call until `shutdown_thread()` or process exit. Stopping refuses every call
//! still pending (`'shutdown`), and so does every later call; nothing waits for a thread that
//! is gone. At process exit the stop waits at most `EXIT_GRACE` for a call in progress.
//!
//! A forked child has no owner thread (as with any library thread): `reset_in_child` forgets
//! it, and the child's first owner-bound call starts one of its own.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering::*};
use std::sync::Mutex;
use std::thread::JoinHandle;
use std::time::Duration;

use super::{doorbell, lifecycle, serve};
use crate::obj::{Error, Result};
use crate::sys::futex;

/// Whether the owner thread was started (or its start was tried) in this process.
static STARTED: Mutex<bool> = Mutex::new(false);
/// A copy of STARTED for the callers' fast check.
static STARTED_FLAG: AtomicBool = AtomicBool::new(false);
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
    if !STARTED_FLAG.load(Acquire) {
        start();
    }
    if SPAWN_FAILED.load(SeqCst) {
        return Err(Error::new("thread"));
    }
    Ok(())
}

#[cold]
fn start() {
    let mut started = STARTED.lock().unwrap_or_else(|p| p.into_inner());
    if !*started {
        *started = true;
        STOPPED.store(0, SeqCst);
        let spawned = std::thread::Builder::new()
            .name("libq-owner".into())
            .stack_size(OWNER_STACK)
            .spawn(run);
        match spawned {
            Ok(h) => {
                *THREAD.lock().unwrap_or_else(|p| p.into_inner()) = Some(h);
                static AT_EXIT: std::sync::Once = std::sync::Once::new();
                AT_EXIT.call_once(|| crate::sys::process::at_exit(at_exit));
            }
            Err(_) => SPAWN_FAILED.store(true, SeqCst),
        }
        STARTED_FLAG.store(true, Release);
    }
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
    if !*STARTED.lock().unwrap_or_else(|p| p.into_inner()) || lifecycle::is_owner() {
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

/// The locks a fork holds across it, so the child finds them free.
pub type ForkHeld = (
    std::sync::MutexGuard<'static, bool>,
    std::sync::MutexGuard<'static, Option<JoinHandle<()>>>,
);

/// Before a fork: the start lock and the thread's handle.
pub fn fork_lock() -> ForkHeld {
    (
        STARTED.lock().unwrap_or_else(|p| p.into_inner()),
        THREAD.lock().unwrap_or_else(|p| p.into_inner()),
    )
}

/// In a forked child, with what `fork_lock` held: the owner thread is not there; the next
/// owner-bound call starts one (unless the parent had shut down).
pub fn reset_in_child(held: ForkHeld) {
    let (mut started, mut thread) = held;
    // Its handle names a thread of the parent: neither joined nor detached here.
    std::mem::forget(thread.take());
    *started = false;
    STARTED_FLAG.store(false, SeqCst);
    STOPPED.store(0, SeqCst);
}
