//! `peach` on secondary threads (`-s N` / `\s N`): the items are split into as many
//! contiguous parts as there are threads, each part runs on its own thread with its own
//! evaluation context, and the results are joined in order, as `each` would give them.
//!
//! As in kdb+, the engine's globals are read-only inside `peach`: a secondary thread runs its
//! part read-only in the engine lock's sense (`sys::engine_lock::with_read_only`: the caller
//! holds the engine meanwhile), so a global write there is `'noupdate` and a send `'nosocket`,
//! from the same check as multithreaded input mode's threads. A `peach` inside a secondary
//! thread runs as `each`. With no secondary threads, or fewer than two items, `peach` is `each`.
//!
//! The threads are `sys::pool`'s: started once, up to `\s`, and reused by every `peach`.

use std::cell::Cell;

use super::iter::each;
use super::values::{collapse, count, items_of};
use super::Ctx;
use crate::obj::*;

thread_local! {
    static SECONDARY: Cell<bool> = const { Cell::new(false) };
}

/// Whether this thread is running a part of a `peach` (a nested `peach` runs as `each`, and a
/// query there splits no work across the threads).
pub fn in_secondary() -> bool {
    SECONDARY.with(|s| s.get())
}

/// Runs `f` on this thread as a secondary thread's work: read-only in the engine lock's
/// sense, with nested `peach` and queries splitting nothing across the threads (for work
/// other than `peach` that the pool runs, such as a query's partitions).
pub fn as_secondary<R>(f: impl FnOnce() -> R) -> R {
    struct Back;
    impl Drop for Back {
        fn drop(&mut self) {
            SECONDARY.with(|s| s.set(false));
        }
    }
    SECONDARY.with(|s| s.set(true));
    let _back = Back;
    crate::sys::engine_lock::with_read_only(f)
}

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
    let (eng, limit) = (cx.eng, cx.limit());
    let restricted = super::restricted::level();
    let mut results: Vec<Option<Result<Vec<K>>>> = vec![None; n.div_ceil(per)];
    let jobs: Vec<Box<dyn FnOnce() + Send + '_>> = items
        .chunks(per)
        .zip(results.iter_mut())
        .map(|(part, slot)| {
            let f = f.clone();
            Box::new(move || {
                SECONDARY.with(|s| s.set(true));
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    crate::sys::engine_lock::with_read_only(|| {
                        super::restricted::run_as(restricted, || {
                            let mut w = Ctx::within(eng, limit);
                            part.iter()
                                .map(|item| w.apply(f.clone(), vec![item.clone()]))
                                .collect::<Result<Vec<K>>>()
                        })
                    })
                }));
                SECONDARY.with(|s| s.set(false));
                *slot = Some(r.unwrap_or_else(|p| Err(Error::from_panic(p))));
            }) as Box<dyn FnOnce() + Send + '_>
        })
        .collect();
    crate::sys::pool::run_all(jobs, parts);
    let mut out = Vec::with_capacity(n);
    for r in results {
        out.extend(r.unwrap_or_else(|| Err(Error::new("threads")))?);
    }
    Ok(collapse(out))
}
