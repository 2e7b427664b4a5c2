//! Enumerations (types 20..=76) need the interpreter's globals to print: the domain's name and
//! what its items stand for. The evaluator registers a resolver; without one, items print as
//! their indices into an unnamed domain.
//!
//! A domain's values are a symbol vector (`` `sym$`a`b ``), a keyed table's key column (a
//! foreign key, `` `f$1 2 ``), or none (a link column into a table shows its row indices).

use std::sync::OnceLock;

use super::items::{self, Value};
use crate::obj::*;

/// Given an enumeration type, its domain: the name (e.g. `sym`) and the values its indices
/// stand for (a simple vector), or a general empty list when they stand for themselves.
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

/// What joins the domain's name to the items: `$` for an enumeration or a foreign key
/// (`` `sym$`a ``), `!` where the indices stand for themselves, a link column or a key of
/// several columns (`` `t!0 0 1 ``, as kdb+ shows them and as `` `t!i `` makes them).
pub fn separator(t: i8) -> char {
    match domain(t) {
        Some((_, vals)) if !(1..20).contains(&vals.t()) => '!',
        _ => '$',
    }
}

/// What item `index` of an enumeration of type `t` shows: the domain's value there (null
/// when out of range), or the index when the domain has no values (or is unknown).
pub fn shown(t: i8, index: i64) -> (i8, Value) {
    match domain(t) {
        Some((_, vals)) if (1..20).contains(&vals.t()) => {
            let vt = vals.t();
            match usize::try_from(index).ok().filter(|&i| i < vals.n()) {
                Some(i) => (vt, items::at(&vals, i)),
                None if vt == KS => (KS, Value::Sym(Sym::empty())),
                None => (vt, null_of(vt)),
            }
        }
        Some(_) => (KJ, Value::Int(index)),
        None => (KS, Value::Sym(Sym::new(index.to_string()))),
    }
}

/// The values an enumeration vector shows, as a vector of their own type.
pub fn values(x: &K) -> K {
    let t = x.t();
    let idx = x.as_slice::<i64>();
    match domain(t) {
        Some((_, vals)) if vals.t() == KS => {
            let s: Vec<Sym> = idx.iter().map(|&i| sym_at(&vals, i)).collect();
            K::from_slice(KS, &s)
        }
        Some((_, vals)) if (1..20).contains(&vals.t()) => match item_size(vals.t()) {
            1 => gather::<u8>(&vals, idx, 0),
            2 => gather::<i16>(&vals, idx, NH),
            4 if matches!(vals.t(), KE) => gather::<f32>(&vals, idx, f32::NAN),
            4 => gather::<i32>(&vals, idx, NI),
            8 if matches!(vals.t(), KF | KZ) => gather::<f64>(&vals, idx, f64::NAN),
            8 => gather::<i64>(&vals, idx, NJ),
            _ => K::from_slice(KJ, idx),
        },
        Some(_) => K::from_slice(KJ, idx),
        None => {
            let s: Vec<Sym> = idx.iter().map(|i| Sym::new(i.to_string())).collect();
            K::from_slice(KS, &s)
        }
    }
}

/// The items of `vals` at `idx`, `null` where an index is out of range.
fn gather<T: crate::obj::Item + Copy>(vals: &K, idx: &[i64], null: T) -> K {
    let src = vals.as_slice::<T>();
    let v: Vec<T> = idx
        .iter()
        .map(|&i| {
            usize::try_from(i)
                .ok()
                .and_then(|i| src.get(i).copied())
                .unwrap_or(null)
        })
        .collect();
    K::from_slice(vals.t(), &v)
}

fn sym_at(vals: &K, i: i64) -> Sym {
    usize::try_from(i)
        .ok()
        .and_then(|i| vals.as_slice::<Sym>().get(i).copied())
        .unwrap_or_else(Sym::empty)
}

fn null_of(t: i8) -> Value {
    match t {
        KE | KF | KZ => Value::Float(f64::NAN),
        KH => Value::Int(NH as i64),
        KI | KM | KD | KU | KV | KT => Value::Int(NI as i64),
        _ => Value::Int(NJ),
    }
}
