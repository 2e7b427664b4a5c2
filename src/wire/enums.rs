//! Enumeration domains, as the wire layer sees them.
//!
//! An enumeration (types 20..=76) holds 8-byte indices into a domain: the symbol vector held
//! by a q global, one type number per domain. The globals belong to the interpreter, so it
//! registers a lookup here; the serializer calls it to send enumerations as their symbols
//! (what kdb+ does in every mode except 1 and -1, which keep them).

use std::sync::RwLock;

use crate::obj::{Error, Result, Sym, K, KS};

/// Given an enumeration type (20..=76, or its atom's negative), the domain's symbol vector.
pub type DomainLookup = fn(i8) -> Option<K>;

static LOOKUP: RwLock<Option<DomainLookup>> = RwLock::new(None);

/// Installs the interpreter's domain lookup (replacing any earlier one).
pub fn set_domain_lookup(lookup: DomainLookup) {
    *LOOKUP.write().unwrap_or_else(|e| e.into_inner()) = Some(lookup);
}

/// The domain of enumeration type `t`; `'domain` when no domain is known.
pub fn domain(t: i8) -> Result<K> {
    let lookup = *LOOKUP.read().unwrap_or_else(|e| e.into_inner());
    let d = lookup
        .and_then(|f| f(t.checked_abs().unwrap_or(0)))
        .ok_or_else(Error::domain)?;
    if d.t() != KS {
        return Err(Error::domain());
    }
    Ok(d)
}

/// The symbol at `index` of `domain`; an index outside it reads as the null symbol.
#[inline]
pub fn symbol_at(domain: &K, index: i64) -> Sym {
    usize::try_from(index)
        .ok()
        .and_then(|i| domain.as_slice::<Sym>().get(i).copied())
        .unwrap_or_else(Sym::empty)
}
