//! `peach` on secondary threads (`-s N` / `\s N`): the items are split into as many
//! contiguous parts as there are threads, each part runs on its own thread with its own
//! evaluation context, and the results are joined in order, as `each` would give them.
//!
//! As in kdb+, the engine's globals are read-only inside `peach`: a global write on a
//! secondary thread is `'noupdate` (`in_secondary`, which `Engine::writable` consults beside
//! multithreaded input mode's flag, so the concurrency work's read/write lock can take both
//! over). A `peach` inside a secondary thread runs as `each`. With no secondary threads, or
//! fewer than two items, `peach` is `each`.
//!
//! Threads are started per call (scoped, so they borrow the engine and the items); a pool that
//! keeps them between calls is the next step for many small `peach` calls.

use std::cell::Cell;

use super::iter::each;
use super::values::{collapse, count, items_of};
use super::Ctx;
use crate::obj::*;

thread_local! {
    static SECONDARY: Cell<bool> = const { Cell::new(false) };
}

/// Whether this thread is running a part of a `peach` (globals read-only).
pub fn in_secondary() -> bool {
    SECONDARY.with(|s| s.get())
}

/// Native stack for each secondary thread: deep recursion in a `peach`ed lambda reaches
/// `'stack` as it would on the main thread, not a crash.
const STACK: usize = 64 << 20;

/// `f peach x`.
pub fn peach(cx: &mut Ctx, f: K, x: K) -> Result<K> {
    let threads = cx.eng.settings.lock().session.threads.max(0) as usize;
    let n = if x.is_atom() || x.t() >= LAMBDA || x.t() == XD || x.t() == XT {
        0
    } else {
        count(&x)
    };
    if threads < 1 || n < 2 || in_secondary() {
        return each(cx, f, vec![x]);
    }
    let items = items_of(&x);
    let parts = threads.min(n);
    let per = n.div_ceil(parts);
    let eng = cx.eng;
    let results: Vec<Result<Vec<K>>> = std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(per)
            .map(|part| {
                let f = f.clone();
                std::thread::Builder::new()
                    .name("q-secondary".into())
                    .stack_size(STACK)
                    .spawn_scoped(s, move || {
                        SECONDARY.with(|s| s.set(true));
                        let mut w = Ctx::new(eng);
                        part.iter()
                            .map(|item| w.apply(f.clone(), vec![item.clone()]))
                            .collect::<Result<Vec<K>>>()
                    })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| match h {
                Ok(h) => h
                    .join()
                    .unwrap_or_else(|p| Err(crate::obj::Error::from_panic(p))),
                // The system gave no thread: the part is not run.
                Err(_) => Err(Error::new("threads")),
            })
            .collect()
    });
    let mut out = Vec::with_capacity(n);
    for r in results {
        out.extend(r?);
    }
    Ok(collapse(out))
}
