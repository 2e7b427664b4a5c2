//! Enumerations: `` `d$x `` (enumerate against the symbol list in global `d`, or against the
//! key of keyed table `d`: a foreign key), `` `d?x `` (extend `d` first), `` `t!i `` (a link
//! column: row indices into table `t`), and the domain registry that the formatter and the
//! serializer consult.
//!
//! An enumeration holds 8-byte indices; its type (20..=76) names its domain. The registry maps
//! each domain name to a type and keeps the domain's latest value, so printing and
//! serialization, which have no engine at hand, can resolve them.

use std::collections::HashMap;
use std::sync::{Mutex, Once};

use crate::q::prims::hash::Build;

use crate::obj::*;
use crate::q::eval::Ctx;

static DOMAINS: Mutex<Vec<(Sym, Option<K>)>> = Mutex::new(Vec::new());

fn domains() -> std::sync::MutexGuard<'static, Vec<(Sym, Option<K>)>> {
    DOMAINS.lock().unwrap_or_else(|e| e.into_inner())
}

fn resolve(t: i8) -> Option<(Sym, K)> {
    let i = (t.checked_abs()? - ENUM_FIRST) as usize;
    let d = domains();
    let (name, dom) = d.get(i)?;
    Some((*name, dom.clone()?))
}

/// What a domain's indices stand for: its symbols, a keyed table's key column (of a
/// one-column key), or nothing (an empty general list: link columns and wider keys).
fn key_values(dom: &K) -> K {
    match dom.t() {
        KS => dom.clone(),
        XD if dom.items()[0].t() == XT => {
            let cols = &dom.items()[0].table_dict().items()[1];
            match crate::q::eval::values::items_of(cols).as_slice() {
                [c] if (1..20).contains(&c.t()) => c.clone(),
                _ => K::list(Vec::new()),
            }
        }
        _ => K::list(Vec::new()),
    }
}

/// The rows of a table or keyed table domain (a keyed table's value table).
fn rows_of(dom: &K) -> Option<K> {
    match dom.t() {
        XT => Some(dom.clone()),
        XD if dom.items()[0].t() == XT => Some(dom.items()[1].clone()),
        _ => None,
    }
}

/// Whether a value can be a domain: a symbol list, a table or a keyed table.
fn is_domain(v: &K) -> bool {
    v.t() == KS || v.t() == XT || v.t() == XD && v.items()[0].t() == XT
}

/// Installs the lookups the formatter and the serializer use (once per process).
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        crate::q::fmt::enums::set_resolver(|t| resolve(t).map(|(n, d)| (n, key_values(&d))));
        crate::wire::enums::set_domain_lookup(|t| resolve(t).map(|(_, d)| d));
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

/// A global symbol list or table was assigned: if it is a domain, its enumerations now
/// resolve against the new value.
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

/// The name of an enumeration type's domain, whether or not its values are here.
pub fn domain_name(t: i8) -> Option<Sym> {
    let i = usize::try_from(t.checked_abs()?.checked_sub(ENUM_FIRST)?).ok()?;
    domains().get(i).map(|(name, _)| *name)
}

fn symbols_of(x: &K) -> Option<Vec<Sym>> {
    crate::q::eval::values::syms(x)
}

/// `` `d$x ``: x's symbols as indices into global `d` (`'cast` for one not there). None when
/// `d` names a cast (`` `long$ ``) and is no global domain. A `d` that is no global is an
/// undefined name (`'d`); one that is no symbol list or table, or symbols that are not, 'type.
pub fn enumerate(cx: &mut Ctx, d: Sym, x: &K) -> Option<Result<K>> {
    let dom = match cx.lookup_global(d) {
        Ok(v) if is_domain(&v) => v,
        _ if crate::q::prims::cast::is_cast_name(d.as_bytes()) => return None,
        Ok(_) => return Some(Err(Error::type_())),
        Err(e) => return Some(Err(e)),
    };
    if dom.t() != KS {
        return Some(foreign_key(d, &dom, x));
    }
    // `` `sym$() `` is an empty enumeration (a schema's column); an enumeration enumerates
    // by its symbols.
    let plain = match x.t() {
        0 if x.n() == 0 => K::vector(KS, 0),
        _ => unenumerate(x).unwrap_or_else(|| x.clone()),
    };
    let Some(syms) = symbols_of(&plain) else {
        return Some(Err(Error::type_()));
    };
    Some((|| {
        let t = domain_type(d, &dom)?;
        let find = Positions::new(dom.as_slice::<Sym>(), syms.len());
        let mut idx = Vec::with_capacity(syms.len());
        for s in &syms {
            idx.push(find.get(*s).ok_or_else(|| Error::new("cast"))? as i64);
        }
        Ok(make(t, &idx, x.is_atom()))
    })())
}

/// The first position of each symbol of a domain: a scan for a few lookups, a hash index for
/// many (enumerating a million symbols was quadratic).
enum Positions<'a> {
    Scan(&'a [Sym]),
    Index(HashMap<Sym, usize, Build>),
}

impl<'a> Positions<'a> {
    fn new(dom: &'a [Sym], lookups: usize) -> Positions<'a> {
        if lookups < 16 {
            return Positions::Scan(dom);
        }
        let mut m: HashMap<Sym, usize, Build> =
            HashMap::with_capacity_and_hasher(dom.len(), Build::default());
        for (i, &s) in dom.iter().enumerate() {
            m.entry(s).or_insert(i);
        }
        Positions::Index(m)
    }

    fn get(&self, s: Sym) -> Option<usize> {
        match self {
            Positions::Scan(d) => d.iter().position(|a| *a == s),
            Positions::Index(m) => m.get(&s).copied(),
        }
    }
}

/// `` `kt$x `` for keyed table `kt`: x's positions in its key, a foreign key (`'cast` for a
/// value not there). With a key of several columns, x is a list of key rows (or a table of
/// them), as in `` `kkt$((`a;10);(`b;20)) ``, and the result shows as `` `kkt!0 1 ``.
fn foreign_key(d: Sym, dom: &K, x: &K) -> Result<K> {
    let keys = key_values(dom);
    if keys.t() == 0 {
        return compound_key(d, dom, x);
    }
    let idx = crate::q::eval::apply::call_prim("?", vec![keys.clone(), x.clone()])?;
    let idx: Vec<i64> = match idx.t() {
        t if t == -KJ => vec![idx.j()],
        KJ => idx.as_slice::<i64>().to_vec(),
        _ => return Err(Error::type_()),
    };
    if idx.iter().any(|&i| i < 0 || i as usize >= keys.n()) {
        return Err(Error::new("cast"));
    }
    let t = domain_type(d, dom)?;
    Ok(make(t, &idx, x.is_atom()))
}

/// `` `kt$rows `` for a keyed table whose key has several columns: each row's position in
/// the key table (`'cast` for a row not there).
fn compound_key(d: Sym, dom: &K, x: &K) -> Result<K> {
    let prim = crate::q::eval::apply::call_prim;
    if dom.t() != XD {
        return Err(Error::type_());
    }
    let key_table = &dom.items()[0];
    // A table's rows, each as a list of its items.
    let rows_of = |t: &K| {
        prim(
            "flip",
            vec![prim("value", vec![prim("flip", vec![t.clone()])?])?],
        )
    };
    let keys = rows_of(key_table)?;
    let wanted = match x.t() {
        // A table's key columns, found by name.
        XT => rows_of(&prim(
            "#",
            vec![key_table.table_dict().items()[0].clone(), x.clone()],
        )?)?,
        0 => x.clone(),
        _ => return Err(Error::type_()),
    };
    let idx = prim("?", vec![keys.clone(), wanted])?;
    let idx: Vec<i64> = match idx.t() {
        KJ => idx.as_slice::<i64>().to_vec(),
        _ => return Err(Error::type_()),
    };
    if idx.iter().any(|&i| i < 0 || i as usize >= keys.n()) {
        return Err(Error::new("cast"));
    }
    let t = domain_type(d, dom)?;
    Ok(make(t, &idx, false))
}

/// The rows a foreign key or link column points at (a table), for `fk.col` in qSQL and
/// dotted names; None for other values.
pub fn follow(x: &K) -> Option<K> {
    if !is_enum(x) {
        return None;
    }
    let (_, dom) = resolve(x.t().wrapping_abs())?;
    let rows = rows_of(&dom)?;
    let idx = indices(x);
    crate::q::eval::apply::call_prim("@", vec![rows, idx]).ok()
}

/// `fkeys t`: the columns of t that are foreign keys, and the tables they key into.
pub fn fkeys(t: &K) -> Result<K> {
    let t = match t.t() {
        XT => t.clone(),
        XD if t.items()[0].t() == XT => {
            crate::q::eval::apply::call_prim("!", vec![K::long(0), t.clone()])?
        }
        _ => return Err(Error::type_()),
    };
    let d = t.table_dict();
    let names = d.items()[0].as_slice::<Sym>().to_vec();
    let cols = crate::q::eval::values::items_of(&d.items()[1]);
    let mut keys = Vec::new();
    let mut tables = Vec::new();
    for (n, c) in names.iter().zip(&cols) {
        if let Some(dom) = foreign_domain(c) {
            keys.push(*n);
            tables.push(dom);
        }
    }
    Ok(K::dict(
        K::from_slice(KS, &keys),
        K::from_slice(KS, &tables),
    ))
}

/// The table a foreign-key column keys into (None for symbol enumerations and other columns).
pub fn foreign_domain(c: &K) -> Option<Sym> {
    if !is_enum(c) {
        return None;
    }
    let (name, dom) = resolve(c.t().wrapping_abs())?;
    (dom.t() != KS).then_some(name)
}

/// The type letter `meta` gives an enumeration column: `s` for symbols, the key's letter for
/// a foreign key, `j` for a link column.
pub fn meta_letter(c: &K) -> Option<u8> {
    if !is_enum(c) {
        return None;
    }
    let (_, dom) = resolve(c.t().wrapping_abs())?;
    let keys = key_values(&dom);
    const LETTERS: &[u8; 20] = b" bg xhijefcspmdznuvt";
    Some(match keys.t() {
        t if (1..20).contains(&t) => LETTERS[t as usize],
        _ => b'j',
    })
}

/// `meta t` for a table with enumeration columns: their type letters and foreign keys, on
/// top of what the primitive `meta` reports.
pub fn meta(t: &K) -> Result<K> {
    let m = crate::q::eval::apply::call_prim("meta", vec![t.clone()])?;
    let plain = match t.t() {
        XD => crate::q::eval::apply::call_prim("!", vec![K::long(0), t.clone()])?,
        _ => t.clone(),
    };
    let cols = crate::q::eval::values::items_of(&plain.table_dict().items()[1]);
    if !cols.iter().any(is_enum) {
        return Ok(m);
    }
    let (keys, vals) = (m.items()[0].clone(), m.items()[1].clone());
    let vd = vals.table_dict();
    let mut parts = crate::q::eval::values::items_of(&vd.items()[1]);
    let mut letters = parts[0].bytes().to_vec();
    let mut fks = parts[1].as_slice::<Sym>().to_vec();
    for (i, c) in cols.iter().enumerate() {
        if let Some(l) = meta_letter(c) {
            letters[i] = l;
        }
        if let Some(d) = foreign_domain(c) {
            fks[i] = d;
        }
    }
    parts[0] = K::string(letters);
    parts[1] = K::from_slice(KS, &fks);
    let vals = crate::obj::table::table_from_dict(K::dict(vd.items()[0].clone(), K::list(parts)))?;
    Ok(K::dict(keys, vals))
}

/// A table with its enumeration columns as their values (for finding rows by value:
/// `` sp?(`s1;`p4;200) ``); None when it has none.
pub fn plain_table(t: &K) -> Option<K> {
    if t.t() != XT {
        return None;
    }
    let d = t.table_dict();
    let cols = crate::q::eval::values::items_of(&d.items()[1]);
    if !cols.iter().any(is_enum) {
        return None;
    }
    let cols: Vec<K> = cols
        .into_iter()
        .map(|c| unenumerate(&c).unwrap_or(c))
        .collect();
    crate::obj::table::table_from_dict(K::dict(d.items()[0].clone(), K::list(cols))).ok()
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
        let mut dom: Vec<Sym> = match cx.lookup_global(d) {
            Ok(v) if v.t() == KS => v.as_slice::<Sym>().to_vec(),
            Ok(v) if v.t() == 0 && v.n() == 0 => Vec::new(),
            Ok(_) => return Err(Error::type_()),
            Err(_) => Vec::new(),
        };
        let mut at: HashMap<Sym, usize, Build> = HashMap::default();
        for (i, &s) in dom.iter().enumerate() {
            at.entry(s).or_insert(i);
        }
        let mut idx = Vec::with_capacity(syms.len());
        for &s in &syms {
            let next = dom.len();
            let i = *at.entry(s).or_insert_with(|| {
                dom.push(s);
                next
            });
            idx.push(i as i64);
        }
        let domk = K::from_slice(KS, &dom);
        cx.eng_set(d, domk.clone())?;
        let t = domain_type(d, &domk)?;
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
        .any(|n| cx.lookup(n).is_ok_and(|v| is_domain(&v)))
}

/// An enumeration's symbols (`value e`), from its domain's current contents.
pub fn unenumerate(x: &K) -> Option<K> {
    let t = x.t();
    let vt = t.wrapping_abs();
    if !(ENUM_FIRST..=ENUM_LAST).contains(&vt) {
        return None;
    }
    let (_, dom) = resolve(vt)?;
    if dom.t() != KS {
        // A foreign key's values are its key's; a link column's are its indices.
        let keys = key_values(&dom);
        let idx = indices(x);
        if keys.t() == 0 {
            return Some(idx);
        }
        return crate::q::eval::apply::call_prim("@", vec![keys, idx]).ok();
    }
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
    let dom = cx.lookup_global(d).ok().filter(is_domain)?;
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
