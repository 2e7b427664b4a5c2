//! List monads: `til count first last reverse where enlist raze flip key value`.

use super::kit::{count, fill_of, gather, item, items_of, null_atom, unify};
use crate::obj::table::{columns, table_from_dict};
use crate::obj::{Error, Result, K, *};

/// `til n`: 0 1 ... n-1.
pub fn til(x: K) -> Result<K> {
    let n = match x.t() {
        t if t == -KB || t == -KG || t == -KH || t == -KI || t == -KJ => super::kit::int_atom(&x)?,
        _ => return Err(Error::type_()),
    };
    if n < 0 {
        return Err(Error::domain());
    }
    let mut v = K::vector(KJ, super::kit::alloc_len(n as u64)?);
    crate::q::eval::stop::fill(v.as_mut_slice::<i64>(), |first, part| {
        for (i, o) in (first as i64..).zip(part.iter_mut()) {
            *o = i;
        }
    })?;
    Ok(v)
}

/// `count`.
pub fn count_(x: K) -> Result<K> {
    Ok(K::long(count(&x) as i64))
}

/// `first`: item 0 (a null of the type when empty); the first value of a dict, first row of a
/// table.
pub fn first(x: K) -> Result<K> {
    pick(x, true)
}

/// `last`.
pub fn last(x: K) -> Result<K> {
    pick(x, false)
}

fn pick(x: K, first: bool) -> Result<K> {
    crate::q::eval::stack::guard();
    let t = x.t();
    if !(0..UNARY).contains(&t) {
        return Ok(x);
    }
    if t == XD {
        let v = &x.items()[1];
        if v.t() == XT {
            // A keyed table: its first row as a dict of key and value columns joined.
            let t = crate::obj::table::unkey(x.clone())?;
            return pick(t, first);
        }
        return pick(v.clone(), first);
    }
    let n = count(&x);
    if n == 0 {
        return Ok(match t {
            0 => K::identity(),
            XT => {
                let cols: Vec<K> = x.table_dict().items()[1]
                    .items()
                    .iter()
                    .map(fill_of)
                    .collect();
                K::dict(columns(&x).clone(), unify(cols))
            }
            _ => null_atom(t),
        });
    }
    Ok(item(&x, if first { 0 } else { n - 1 }))
}

/// `reverse`.
pub fn reverse(x: K) -> Result<K> {
    if x.t() < 0 || x.t() >= UNARY {
        return Ok(x);
    }
    let n = count(&x) as i64;
    let idx: Vec<i64> = (0..n).rev().collect();
    Ok(gather(&x, &idx))
}

/// `where`: indices of true items, or each index repeated as many times as its count; for a
/// dict, the keys.
pub fn where_(x: K) -> Result<K> {
    crate::q::eval::stack::guard();
    if x.t() == XD {
        let [k, v] = x.items() else { unreachable!() };
        let idx = where_(v.clone())?;
        return Ok(gather(k, idx.as_slice::<i64>()));
    }
    match x.t() {
        KB => {
            let v = x.as_slice::<u8>();
            let n: usize = v.iter().map(|&b| b as usize).sum();
            // Branch-free: write every index, advance only past true ones.
            let mut out = K::vector(KJ, n + 1);
            let o = out.as_mut_slice::<i64>();
            let mut j = 0;
            for (i, &b) in v.iter().enumerate() {
                o[j] = i as i64;
                j += b as usize;
            }
            out.truncate(n);
            Ok(out)
        }
        KG | KH | KI | KJ => {
            let c = super::num::column::<i64>(&x);
            if c.iter().any(|&v| v < 0) {
                return Err(Error::domain());
            }
            let total = c.iter().fold(0u64, |a, &v| a.saturating_add(v as u64));
            let mut out = Vec::with_capacity(super::kit::alloc_len(total)?);
            for (i, &m) in c.iter().enumerate() {
                out.extend(std::iter::repeat_n(i as i64, m as usize));
            }
            Ok(K::from_slice(KJ, &out))
        }
        t if t == -KB || t == -KJ || t == -KI || t == -KH => where_(unify(vec![x])),
        // The empty general list has nothing to repeat.
        0 if x.n() == 0 => Ok(K::vector(KJ, 0)),
        _ => Err(Error::type_()),
    }
}

/// `enlist x`: a one-item list (a one-row table from a dict of symbol keys).
pub fn enlist(x: K) -> Result<K> {
    if x.t() == XD && x.items()[0].t() == KS {
        let [k, v] = x.items() else { unreachable!() };
        let cols: Vec<K> = items_of(v).into_iter().map(|c| unify(vec![c])).collect();
        return table_from_dict(K::dict(k.clone(), K::list(cols)));
    }
    Ok(unify(vec![x]))
}

/// `raze`: the items joined (`,/`).
pub fn raze(x: K) -> Result<K> {
    crate::q::eval::stack::guard();
    match x.t() {
        0 => {
            let items = x.items();
            let Some(first) = items.first() else {
                return Ok(x);
            };
            let mut acc = first.clone();
            for k in &items[1..] {
                acc = super::join::join(acc, k.clone())?;
            }
            if items.len() == 1 && acc.t() < 0 {
                return Ok(unify(vec![acc]));
            }
            Ok(acc)
        }
        XD => raze(x.items()[1].clone()),
        t if t < 0 => Ok(unify(vec![x])),
        _ => Ok(x),
    }
}

/// `flip`: a general list of equal-length lists transposed (atoms stretch); a dict of symbols
/// to columns becomes a table and a table its dict.
pub fn flip(x: K) -> Result<K> {
    match x.t() {
        XT => Ok(x.table_dict().clone()),
        XD => {
            let [k, v] = x.items() else { unreachable!() };
            let n = v.items_len_max();
            let cols: Vec<K> = items_of(v)
                .into_iter()
                .map(|c| if c.t() < 0 { stretch(&c, n) } else { c })
                .collect();
            table_from_dict(crate::obj::table::dict(k.clone(), K::list(cols))?)
        }
        0 => {
            let items = x.items();
            let mut n: Option<usize> = None;
            for k in items {
                if k.t() >= 0 {
                    match n {
                        None => n = Some(count(k)),
                        Some(m) if m != count(k) => return Err(Error::length()),
                        _ => {}
                    }
                }
            }
            let Some(n) = n else {
                return Err(Error::rank());
            };
            let rows: Vec<K> = (0..n)
                .map(|i| {
                    unify(
                        items
                            .iter()
                            .map(|k| if k.t() < 0 { k.clone() } else { item(k, i) })
                            .collect(),
                    )
                })
                .collect();
            Ok(K::list(rows))
        }
        t if t > 0 && t < XT => Ok(x),
        _ => Err(Error::rank()),
    }
}

trait MaxLen {
    fn items_len_max(&self) -> usize;
}
impl MaxLen for K {
    /// The longest item count among the values of a column list (1 if all are atoms).
    fn items_len_max(&self) -> usize {
        if self.t() != 0 {
            return 1;
        }
        self.items()
            .iter()
            .filter(|k| k.t() >= 0)
            .map(count)
            .max()
            .unwrap_or(1)
    }
}

/// An atom repeated `n` times as a vector.
pub fn stretch(a: &K, n: usize) -> K {
    if n == 0 && a.t() < 0 && a.t() != ERROR {
        return K::vector(a.t().wrapping_neg(), 0);
    }
    unify(vec![a.clone(); n])
}

/// `key`: a dict's keys, a keyed table's key table, `til` of an integer.
pub fn key(x: K) -> Result<K> {
    match x.t() {
        XD => Ok(x.items()[0].clone()),
        XT => Ok(columns(&x).clone()),
        t if t < 0 && matches!(t.wrapping_neg(), KB | KG | KH | KI | KJ) => til(x),
        // A simple vector's key is its type's name (`key 0#5` is `long).
        t if t > 0 && t < 20 => Ok(K::sym(crate::obj::Sym::new(super::cast::NAMES[t as usize]))),
        _ => Err(Error::type_()),
    }
}

/// `value` over data: a dict's values, a keyed table's value table; other values as they are
/// (the evaluator handles symbols, strings and functions before reaching here).
pub fn value(x: K) -> Result<K> {
    match x.t() {
        XD => Ok(x.items()[1].clone()),
        _ => Ok(x),
    }
}
