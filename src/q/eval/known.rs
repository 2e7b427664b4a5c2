//! Functions an evaluation has read from globals (and reserved words, which are fixed but
//! would otherwise be made anew at each read), remembered by name and namespace while no
//! global changes.
//!
//! A lambda that calls another function by name (`fib` calling `fib`) reads that global on
//! every call: a lock, a hash lookup and a check for a view. The engine counts changes to its
//! globals (`Engine::globals_version`: every set and removal, so assignment, delete, `\l`,
//! anything); an entry here answers only while the count is the one it was read under, and the
//! first read after a change forgets every entry. What a name means also depends on the
//! namespace it is read in (`\d`, a lambda defined in `.ns`), so that is part of the key.
//!
//! Only functions are kept: an entry holds a reference, and a data value referenced twice could
//! no longer be updated in place (`v,:x` in a loop) and would show a higher count in `-16!`.
//! Views are never kept (each read checks whether they must be recalculated).

use std::cell::RefCell;

use crate::obj::*;

const SLOTS: usize = 16;

#[derive(Default)]
pub struct Known(RefCell<Table>);

#[derive(Default)]
struct Table {
    /// The engine's change count the entries were read under.
    version: u64,
    entries: [Option<(Sym, Sym, K)>; SLOTS],
}

fn slot(name: Sym) -> usize {
    let at = name.as_ptr() as usize;
    (at ^ (at >> 7)) % SLOTS
}

/// Whether a global's value may be kept: a function (not data, not a view), and not a host's
/// foreign object (whose finaliser runs when its last reference goes).
fn keepable(v: &K) -> bool {
    (LAMBDA..=EACH_LEFT).contains(&v.t()) && !crate::q::keywords::views::is_view(v)
}

impl Known {
    /// The function `name` read in namespace `ns` gave while the change count is `version`.
    #[inline]
    pub fn get(&self, version: u64, name: Sym, ns: Sym) -> Option<K> {
        let t = self.0.borrow();
        if t.version != version {
            drop(t);
            self.forget(version);
            return None;
        }
        match &t.entries[slot(name)] {
            Some((n, s, v)) if *n == name && *s == ns => Some(v.clone()),
            _ => None,
        }
    }

    /// Remembers what `name` in namespace `ns` gave, read under change count `version`
    /// (read before the value was).
    pub fn put(&self, version: u64, name: Sym, ns: Sym, v: &K) {
        if self.0.borrow().version != version {
            self.forget(version);
        }
        let mut t = self.0.borrow_mut();
        if keepable(v) {
            t.entries[slot(name)] = Some((name, ns, v.clone()));
        }
    }

    /// Globals changed: what was read before may be stale, and references to values a global
    /// no longer holds go now, not when the evaluation ends.
    #[cold]
    fn forget(&self, version: u64) {
        let old = std::mem::replace(
            &mut *self.0.borrow_mut(),
            Table {
                version,
                ..Default::default()
            },
        );
        drop(old);
    }
}
