//! Enumerations (types 20..=76) need the interpreter's globals to print: the domain's name and
//! its symbols. The evaluator registers a resolver; without one, items print as their indices
//! into an unnamed domain.

use std::sync::OnceLock;

use crate::obj::{Sym, K};

/// Given an enumeration type, its domain: the name (e.g. `sym`) and the symbol vector.
pub type Resolver = fn(i8) -> Option<(Sym, K)>;

static RESOLVER: OnceLock<Resolver> = OnceLock::new();

/// Installs the evaluator's resolver (once; later calls are ignored).
pub fn set_resolver(f: Resolver) {
    let _ = RESOLVER.set(f);
}

fn domain(t: i8) -> Option<(Sym, K)> {
    RESOLVER.get().and_then(|f| f(t))
}

/// The name of the domain of enumeration type `t`.
pub fn domain_name(t: i8) -> Sym {
    domain(t).map_or_else(Sym::empty, |(name, _)| name)
}

/// The symbol at `index` in the domain of type `t` (empty when out of range or unknown).
pub fn symbol(t: i8, index: i64) -> Sym {
    match domain(t) {
        Some((_, syms))
            if syms.t() == crate::obj::KS && index >= 0 && (index as usize) < syms.n() =>
        {
            syms.as_slice::<Sym>()[index as usize]
        }
        Some(_) => Sym::empty(),
        None => Sym::new(index.to_string()),
    }
}
