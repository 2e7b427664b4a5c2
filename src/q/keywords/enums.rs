//! Enumerations: `` `d$x `` (enumerate against the symbol list in global `d`), `` `d?x ``
//! (extend `d` first), and the domain registry that the formatter and the serializer consult.
//!
//! An enumeration holds 8-byte indices; its type (20..=76) names its domain. The registry maps
//! each domain name to a type and keeps the domain's latest symbols, so printing and
//! serialization, which have no engine at hand, can resolve them.

use std::sync::{Mutex, Once};

use crate::obj::*;
use crate::q::eval::Ctx;

static DOMAINS: Mutex<Vec<(Sym, Option<K>)>> = Mutex::new(Vec::new());

fn domains() -> std::sync::MutexGuard<'static, Vec<(Sym, Option<K>)>> {
    DOMAINS.lock().unwrap_or_else(|e| e.into_inner())
}

fn resolve(t: i8) -> Option<(Sym, K)> {
    let i = (t.checked_abs()? - ENUM_FIRST) as usize;
    let d = domains();
    let (name, syms) = d.get(i)?;
    Some((*name, syms.clone()?))
}

/// Installs the lookups the formatter and the serializer use (once per process).
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        crate::q::fmt::enums::set_resolver(resolve);
        crate::wire::enums::set_domain_lookup(|t| resolve(t).map(|(_, s)| s));
    });
}

/// The enumeration type of domain `name`, registering it (with its symbols) if new.
fn domain_type(name: Sym, syms: &K) -> Result<i8> {
    // Installed with the first enumeration, so a process that never enumerates leaves the
    // formatter's and serializer's hooks free.
    install();
    let mut d = domains();
    let i = match d.iter().position(|(n, _)| *n == name) {
        Some(i) => i,
        None => {
            if d.len() > (ENUM_LAST - ENUM_FIRST) as usize {
                return Err(Error::new("limit"));
            }
            d.push((name, None));
            d.len() - 1
        }
    };
    d[i].1 = Some(syms.clone());
    Ok(ENUM_FIRST + i as i8)
}

/// Our enumeration type for domain `name`, as a file on disk names it: registered with the
/// global's symbols when there is such a global, else without symbols until one is assigned.
pub fn type_of_domain(cx: &Ctx, name: Sym) -> Result<i8> {
    match cx.lookup(name) {
        Ok(dom) if dom.t() == KS => domain_type(name, &dom),
        _ => {
            install();
            let mut d = domains();
            if let Some(i) = d.iter().position(|(n, _)| *n == name) {
                return Ok(ENUM_FIRST + i as i8);
            }
            if d.len() > (ENUM_LAST - ENUM_FIRST) as usize {
                return Err(Error::new("limit"));
            }
            d.push((name, None));
            Ok(ENUM_FIRST + (d.len() - 1) as i8)
        }
    }
}

/// A global symbol list was assigned: if it is a domain, its enumerations now resolve
/// against the new symbols.
pub fn refresh(name: Sym, syms: &K) {
    let mut d = domains();
    if let Some(entry) = d.iter_mut().find(|(n, _)| *n == name) {
        entry.1 = Some(syms.clone());
    }
}

/// The domain name and type of an enumeration value.
pub fn domain_of(t: i8) -> Option<Sym> {
    resolve(t).map(|(n, _)| n)
}

fn symbols_of(x: &K) -> Option<Vec<Sym>> {
    crate::q::eval::values::syms(x)
}

/// `` `d$x ``: x's symbols as indices into global `d` (`'cast` for one not there). None when
/// `d` is not a global symbol list (so `$` is a cast).
pub fn enumerate(cx: &mut Ctx, d: Sym, x: &K) -> Option<Result<K>> {
    let dom = cx.lookup(d).ok().filter(|v| v.t() == KS)?;
    let syms = symbols_of(x)?;
    Some((|| {
        let t = domain_type(d, &dom)?;
        let all = dom.as_slice::<Sym>();
        let mut idx = Vec::with_capacity(syms.len());
        for s in &syms {
            idx.push(
                all.iter()
                    .position(|a| a == s)
                    .ok_or_else(|| Error::new("cast"))? as i64,
            );
        }
        Ok(make(t, &idx, x.is_atom()))
    })())
}

fn make(t: i8, idx: &[i64], atom: bool) -> K {
    if atom {
        return K::atom_i64(-t, idx[0]);
    }
    let mut v = K::from_slice(KJ, idx);
    v.retype(t);
    v
}

/// `` `d?x ``: adds x's new symbols to global `d` (creating it), then enumerates.
pub fn extend(cx: &mut Ctx, d: Sym, x: &K) -> Option<Result<K>> {
    let syms = symbols_of(x)?;
    Some((|| {
        let mut dom: Vec<Sym> = match cx.lookup(d) {
            Ok(v) if v.t() == KS => v.as_slice::<Sym>().to_vec(),
            Ok(v) if v.t() == 0 && v.n() == 0 => Vec::new(),
            Ok(_) => return Err(Error::type_()),
            Err(_) => Vec::new(),
        };
        for s in &syms {
            if !dom.contains(s) {
                dom.push(*s);
            }
        }
        let domk = K::from_slice(KS, &dom);
        cx.eng_set(d, domk.clone())?;
        let t = domain_type(d, &domk)?;
        let idx: Vec<i64> = syms
            .iter()
            .map(|s| dom.iter().position(|a| a == s).unwrap_or(0) as i64)
            .collect();
        Ok(make(t, &idx, x.is_atom()))
    })())
}

/// Whether enumeration type `t` (20, as q reports every enumeration's type) has a domain in
/// this session: a registered domain that is a global symbol list here.
pub fn is_known(cx: &mut Ctx, t: i8) -> bool {
    let names: Vec<Sym> = {
        let d = domains();
        let at = (t - ENUM_FIRST) as usize;
        d.iter()
            .enumerate()
            .filter(|(i, _)| t == ENUM_FIRST || *i == at)
            .map(|(_, (n, _))| *n)
            .collect()
    };
    names
        .into_iter()
        .any(|n| cx.lookup(n).is_ok_and(|v| v.t() == KS))
}

/// An enumeration's symbols (`value e`), from its domain's current contents.
pub fn unenumerate(x: &K) -> Option<K> {
    let t = x.t();
    let vt = t.wrapping_abs();
    if !(ENUM_FIRST..=ENUM_LAST).contains(&vt) {
        return None;
    }
    let (_, dom) = resolve(vt)?;
    let all = dom.as_slice::<Sym>();
    let at = |i: i64| {
        usize::try_from(i)
            .ok()
            .and_then(|i| all.get(i).copied())
            .unwrap_or_else(Sym::empty)
    };
    if t < 0 {
        return Some(K::sym(at(x.j())));
    }
    let s: Vec<Sym> = x.as_slice::<i64>().iter().map(|i| at(*i)).collect();
    Some(K::from_slice(KS, &s))
}

/// `` `d!i ``: the enumeration over global `d` with indices `i` (ints or longs). None when
/// `d` is not a global symbol list or `i` not integers.
pub fn from_indices(cx: &mut Ctx, d: Sym, i: &K) -> Option<Result<K>> {
    let dom = cx.lookup(d).ok().filter(|v| v.t() == KS)?;
    let idx: Vec<i64> = match i.t() {
        t if t == -KJ => vec![i.j()],
        t if t == -KI => vec![i.i() as i64],
        KJ => i.as_slice::<i64>().to_vec(),
        KI => i.as_slice::<i32>().iter().map(|&v| v as i64).collect(),
        _ => return None,
    };
    Some(domain_type(d, &dom).map(|t| make(t, &idx, i.is_atom())))
}

/// An enumeration's indices as longs (`"i"$e` and `null e` see these, not the symbols).
pub fn indices(x: &K) -> K {
    if x.is_atom() {
        return K::long(x.j());
    }
    K::from_slice(KJ, x.as_slice::<i64>())
}

/// Arguments for a data primitive: enumerations become their symbols.
pub fn plain_args(args: Vec<K>) -> Vec<K> {
    args.into_iter()
        .map(|a| unenumerate(&a).unwrap_or(a))
        .collect()
}

/// True for enumeration types (atoms or vectors).
pub fn is_enum(x: &K) -> bool {
    (ENUM_FIRST..=ENUM_LAST).contains(&x.t().wrapping_abs())
}
