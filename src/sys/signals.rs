//! The library's SIGINT handler, the only one: Ctrl-C stops the engine's running call with
//! `'stop` (as in kdb+) instead of killing the host, and otherwise does what the host had it do
//! (`WhenIdle::AsBefore`), or nothing at all (`WhenIdle::Nothing`: the q console, which Ctrl-C
//! never ends).
//!
//! Installed by `install_interrupt` (the engine's start calls it; the console at its start)
//! only where SIGINT was left to the system's default or to a handler of the host's own; a
//! host that ignores SIGINT keeps ignoring it, and `LIBQ_SIGINT=0` in the environment keeps the
//! library's hands off an embedding host's. When the signal comes:
//! - the engine is busy (`busy()`): the interrupt hook runs (one atomic add), and a host
//!   handler that was there before runs too (Python's, say, then raises KeyboardInterrupt
//!   once the stopped call is back); the default action (terminate) does not happen;
//! - the engine is idle: exactly what the host had: its handler, or the default action (the
//!   default disposition is put back and the signal raised again, so the process ends as it
//!   would have without us); nothing under `WhenIdle::Nothing`.
//!
//! `restore_interrupt` puts the host's disposition back if ours is still the one installed
//! (`shutdown_thread`, process exit). Everything the handler does is async-signal-safe: atomic
//! loads and adds, sigaction, raise, and the host's own handler.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::*};
use std::sync::Mutex;

/// What the handler calls: whether the engine is busy, and the interrupt itself.
#[derive(Copy, Clone)]
pub struct InterruptHooks {
    pub busy: fn() -> bool,
    pub interrupt: fn(),
}

/// What SIGINT does while the engine is idle.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum WhenIdle {
    /// What the host had SIGINT do: its handler, or the default action (an embedding host).
    AsBefore,
    /// Nothing (the q console: Ctrl-C at the prompt never ends the session).
    Nothing,
}

static HOOKS: AtomicUsize = AtomicUsize::new(0);
static INSTALLED: AtomicBool = AtomicBool::new(false);
/// `WhenIdle::Nothing` was asked for.
static IDLE_NOTHING: AtomicBool = AtomicBool::new(false);
/// The host's disposition before ours (written before the handler is installed, read by it).
static PREVIOUS: Mutex<Option<libc::sigaction>> = Mutex::new(None);
/// A copy of PREVIOUS the handler reads without a lock.
static PREVIOUS_COPY: AtomicUsize = AtomicUsize::new(0);

fn previous_in_handler() -> Option<&'static libc::sigaction> {
    let p = PREVIOUS_COPY.load(Acquire) as *const libc::sigaction;
    // SAFETY: a non-null value is a leaked Box written once before the handler was installed.
    unsafe { p.as_ref() }
}

extern "C" fn on_sigint(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    let errno = super::errno::last();
    let hooks = HOOKS.load(Acquire) as *const InterruptHooks;
    // SAFETY: a non-null value is a leaked Box written once before the handler was installed.
    let busy = match unsafe { hooks.as_ref() } {
        Some(h) if (h.busy)() => {
            (h.interrupt)();
            true
        }
        _ => false,
    };
    if let Some(prev) = previous_in_handler() {
        let handler = prev.sa_sigaction;
        if handler == libc::SIG_DFL {
            if !busy && !IDLE_NOTHING.load(Relaxed) {
                // As if we were not here: the default action (terminate).
                // SAFETY: sigaction and raise are async-signal-safe; the action is a plain
                // SIG_DFL with an empty mask.
                unsafe {
                    let mut dfl: libc::sigaction = std::mem::zeroed();
                    dfl.sa_sigaction = libc::SIG_DFL;
                    libc::sigaction(sig, &dfl, std::ptr::null_mut());
                    libc::raise(sig);
                }
            }
        } else if handler != libc::SIG_IGN {
            if prev.sa_flags & libc::SA_SIGINFO != 0 {
                // SAFETY: the host installed this function as an SA_SIGINFO handler.
                let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                    unsafe { std::mem::transmute(handler) };
                f(sig, info, ctx);
            } else {
                // SAFETY: the host installed this function as a plain handler.
                let f: extern "C" fn(libc::c_int) = unsafe { std::mem::transmute(handler) };
                f(sig);
            }
        }
    }
    super::errno::set(errno);
}

/// Installs the handler (once) with `hooks`, unless SIGINT is ignored or (for an embedding
/// host, `WhenIdle::AsBefore`) the environment says `LIBQ_SIGINT=0`. Returns whether it is
/// installed.
pub fn install_interrupt(hooks: InterruptHooks, when_idle: WhenIdle) -> bool {
    if when_idle == WhenIdle::AsBefore && std::env::var_os("LIBQ_SIGINT").is_some_and(|v| v == "0")
    {
        return false;
    }
    IDLE_NOTHING.store(when_idle == WhenIdle::Nothing, SeqCst);
    let mut previous = PREVIOUS.lock().unwrap_or_else(|p| p.into_inner());
    if INSTALLED.load(SeqCst) {
        return true;
    }
    // SAFETY: a zeroed sigaction is a valid out-parameter; a null new action only reads.
    let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    if unsafe { libc::sigaction(libc::SIGINT, std::ptr::null(), &mut old) } != 0
        || old.sa_sigaction == libc::SIG_IGN
    {
        return false;
    }
    if HOOKS.load(Acquire) == 0 {
        HOOKS.store(Box::into_raw(Box::new(hooks)) as usize, Release);
    }
    PREVIOUS_COPY.store(Box::into_raw(Box::new(old)) as usize, Release);
    *previous = Some(old);
    // SAFETY: a zeroed sigaction with our handler, SA_SIGINFO (its signature), SA_RESTART (a
    // host's blocking calls resume), and an empty mask is valid.
    let ours = unsafe {
        let mut a: libc::sigaction = std::mem::zeroed();
        a.sa_sigaction = on_sigint as *const () as usize;
        a.sa_flags = libc::SA_SIGINFO | libc::SA_RESTART | libc::SA_ONSTACK;
        libc::sigemptyset(&mut a.sa_mask);
        a
    };
    // SAFETY: installs a valid action; the old one is not needed again.
    if unsafe { libc::sigaction(libc::SIGINT, &ours, std::ptr::null_mut()) } != 0 {
        return false;
    }
    INSTALLED.store(true, SeqCst);
    true
}

/// Puts the host's disposition back, if ours is still the installed one.
pub fn restore_interrupt() {
    let mut previous = PREVIOUS.lock().unwrap_or_else(|p| p.into_inner());
    if !INSTALLED.load(SeqCst) {
        return;
    }
    let Some(old) = previous.take() else {
        return;
    };
    // SAFETY: as in `install_interrupt`.
    let mut now: libc::sigaction = unsafe { std::mem::zeroed() };
    // SAFETY: reads the current action only.
    unsafe { libc::sigaction(libc::SIGINT, std::ptr::null(), &mut now) };
    if now.sa_sigaction == on_sigint as *const () as usize {
        // SAFETY: puts back the action the host had.
        unsafe { libc::sigaction(libc::SIGINT, &old, std::ptr::null_mut()) };
    }
    INSTALLED.store(false, SeqCst);
}

/// Whether the library's handler is installed now.
pub fn interrupt_installed() -> bool {
    INSTALLED.load(SeqCst)
}
