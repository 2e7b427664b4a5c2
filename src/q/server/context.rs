//! Who the current evaluation answers: the connection whose message is being handled, so
//! `.z.w`, `.z.u`, `.z.a` and `.z.e` report it, and `-30!(::)` can defer its response. Kept per
//! thread: the owner handles one message at a time, and in multithreaded input mode each
//! connection's thread has its own.

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::net::server::Peer;
use crate::obj::{Error, Result};

struct Frame {
    peer: Peer,
    /// A sync request is being handled (only then can its response be deferred).
    sync: bool,
    deferred: bool,
}

thread_local! {
    static CURRENT: RefCell<Vec<Frame>> = const { RefCell::new(Vec::new()) };
    /// When the client request being evaluated on this thread must stop (`\T`).
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    /// An HTTP request's `\e 2` stack dump, kept for its answer (None: not capturing).
    static DUMP: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs an HTTP request's handler keeping a `\e 2` stack dump for the answer: kdb+ writes it
/// into the socket rather than to the console.
pub fn capturing_dump<R>(f: impl FnOnce() -> R) -> (R, Option<String>) {
    let before = DUMP.with(|d| d.replace(Some(String::new())));
    let r = f();
    let dump = DUMP.with(|d| d.replace(before));
    (r, dump.filter(|s| !s.is_empty()))
}

/// Where a `\e 2` stack dump goes: kept for an HTTP answer (true), or not (the caller writes
/// it to stderr).
pub fn keep_dump(text: &str) -> bool {
    DUMP.with(|d| match d.borrow_mut().as_mut() {
        Some(s) => {
            s.push_str(text);
            true
        }
        None => false,
    })
}

/// Whether a sync request is being answered (it runs with error trap mode 0 whatever `\e`).
pub fn is_sync() -> bool {
    CURRENT.with(|c| c.borrow().last().is_some_and(|f| f.sync))
}

/// How many threads answer a request under a limit now: while none does, `deadline` reads no
/// thread-local (a call into the dynamic linker in a shared library) on every evaluation.
static LIMITED: AtomicUsize = AtomicUsize::new(0);

/// Runs a client's request with the `\T` limit (seconds, 0: none): past it the evaluation
/// stops with `'stop`, as kdb+'s `-T` does.
pub fn limited<R>(seconds: i64, f: impl FnOnce() -> R) -> R {
    if seconds <= 0 {
        return f();
    }
    let before =
        DEADLINE.with(|d| d.replace(Some(Instant::now() + Duration::from_secs(seconds as u64))));
    LIMITED.fetch_add(1, Ordering::SeqCst);
    struct Restore(Option<Instant>);
    impl Drop for Restore {
        fn drop(&mut self) {
            DEADLINE.with(|d| d.set(self.0));
            LIMITED.fetch_sub(1, Ordering::SeqCst);
        }
    }
    let _restore = Restore(before);
    f()
}

/// When the client request being evaluated on this thread must stop, if it has a limit: each
/// evaluation started for it takes this as its own (`eval::call`).
#[inline]
pub fn deadline() -> Option<Instant> {
    // Relaxed: a thread that set its own deadline sees its own increment.
    if LIMITED.load(Ordering::Relaxed) == 0 {
        return None;
    }
    own_deadline()
}

/// The thread-local read, out of line: the compiler would otherwise compute the thread-local's
/// address (a call in a shared library) before the check above, on every evaluation.
#[cold]
#[inline(never)]
fn own_deadline() -> Option<Instant> {
    DEADLINE.with(|d| d.get())
}

/// Runs `f` as the handling of a message from `peer`; returns its value and whether the
/// handler deferred the response.
pub fn within<R>(peer: &Peer, sync: bool, f: impl FnOnce() -> R) -> (R, bool) {
    if peer.threaded {
        // Each connection thread draws from its own generator, seeded from its socket.
        crate::q::prims::random::seed_this_thread(peer.handle as i64);
    }
    CURRENT.with(|c| {
        c.borrow_mut().push(Frame {
            peer: peer.clone(),
            sync,
            deferred: false,
        })
    });
    struct Pop;
    impl Drop for Pop {
        fn drop(&mut self) {
            CURRENT.with(|c| c.borrow_mut().pop());
        }
    }
    let pop = Pop;
    let r = f();
    let deferred = CURRENT.with(|c| c.borrow().last().is_some_and(|f| f.deferred));
    drop(pop);
    (r, deferred)
}

fn current<T>(f: impl FnOnce(&Peer) -> T) -> Option<T> {
    CURRENT.with(|c| c.borrow().last().map(|fr| f(&fr.peer)))
}

/// `.z.w`: the handle of the connection being answered (0: the console or the host).
pub fn handle() -> i32 {
    current(|p| p.handle).unwrap_or(0)
}

/// `.z.u` of the connection being answered, if any.
pub fn user() -> Option<crate::obj::Sym> {
    current(|p| p.user)
}

/// `.z.a` of the connection being answered, if any.
pub fn address() -> Option<i32> {
    current(|p| p.address)
}

/// `-30!(::)`: the sync request being handled will be answered later with `-30!(h;e;x)`.
pub fn defer() -> Result<()> {
    CURRENT.with(|c| match c.borrow_mut().last_mut() {
        Some(f) if f.sync => {
            f.deferred = true;
            Ok(())
        }
        _ => Err(Error::domain()),
    })
}
