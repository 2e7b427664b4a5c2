//! Indexing data, the pure core of `x@i`, `x[i]` and `x . (i;j;...)` when x is a list, dict or
//! table (the evaluator applies functions itself and calls these for data).
//!
//! Integer indexes out of range give the list's null; a dict maps missing keys to the null of
//! its values; a table indexed by row gives a dict, by column name the column; a keyed table
//! indexed by key values gives the value row. The shape of the index is the shape of the result.

use super::kit::{count, fill_of, gather, item, items_of, null_atom, unify};
use super::num::column;
use crate::obj::table::{columns, keyed_parts};
use crate::obj::{Error, Result, Sym, K, *};

/// `x@y`: x indexed at y.
pub fn at(x: K, y: K) -> Result<K> {
    match x.t() {
        XD => lookup(&x, &y),
        XT => table_at(&x, y),
        t if t < 0 => Err(Error::type_()),
        t if t >= UNARY => Err(Error::type_()),
        _ => list_at(&x, y),
    }
}

fn list_at(x: &K, y: K) -> Result<K> {
    crate::q::eval::stack::guard();
    match y.t() {
        t if matches!(t.wrapping_neg(), KB | KG | KH | KI | KJ) => {
            let i = super::kit::int_atom(&y)?;
            let n = count(x) as i64;
            Ok(if i >= 0 && i < n {
                item(x, i as usize)
            } else {
                fill_of(x)
            })
        }
        KB | KG | KH | KI | KJ => Ok(gather(x, &column::<i64>(&y))),
        0 => Ok(unify(
            y.items()
                .iter()
                .map(|i| list_at(x, i.clone()))
                .collect::<Result<_>>()?,
        )),
        XD => {
            let [k, v] = y.items() else { unreachable!() };
            Ok(K::dict(k.clone(), list_at(x, v.clone())?))
        }
        t if t == UNARY && y.g() == 0 => Ok(x.clone()),
        _ => Err(Error::type_()),
    }
}

/// A dict looked up at a key (or at each of a list of keys).
fn lookup(d: &K, y: &K) -> Result<K> {
    crate::q::eval::stack::guard();
    let [k, v] = d.items() else { unreachable!() };
    if y.t() == UNARY && y.g() == 0 {
        return Ok(v.clone());
    }
    if k.t() == XT {
        return keyed_lookup(d, y);
    }
    let i = super::sets::find(k.clone(), y.clone())?;
    if i.t() == 0 {
        // A general list of keys looks each up.
        let v: Vec<K> = items_of(y)
            .iter()
            .map(|k| lookup(d, k))
            .collect::<Result<_>>()?;
        return Ok(unify(v));
    }
    if i.t() < 0 {
        let j = i.j();
        return Ok(if (j as usize) < count(k) {
            item(v, j as usize)
        } else {
            value_null(v)
        });
    }
    let idx = i.as_slice::<i64>();
    if v.t() == 0 {
        let null = value_null(v);
        let n = count(v) as i64;
        return Ok(unify(
            idx.iter()
                .map(|&j| {
                    if j < n {
                        item(v, j as usize)
                    } else {
                        null.clone()
                    }
                })
                .collect(),
        ));
    }
    Ok(gather(v, idx))
}

/// What looking up a missing key gives: the null of the values' type (the first value's for a
/// general list).
fn value_null(v: &K) -> K {
    match v.t() {
        0 => match v.items().first() {
            Some(f) if f.t() < 0 => null_atom(f.t()),
            Some(f) if f.t() > 0 && f.t() < XT => K::vector(f.t(), 0),
            _ => K::identity(),
        },
        XT => {
            let cols: Vec<K> = v.table_dict().items()[1]
                .items()
                .iter()
                .map(fill_of)
                .collect();
            K::dict(columns(v).clone(), unify(cols))
        }
        t => null_atom(t),
    }
}

fn keyed_lookup(d: &K, y: &K) -> Result<K> {
    let (kt, vt) = keyed_parts(d)?;
    // Key rows as general lists (one item per key column) compared with the index.
    let key_cols = kt.table_dict().items()[1].clone();
    let nk = columns(kt).n();
    let rows = count(kt);
    let probe = if nk == 1 && y.t() < 0 {
        unify(vec![y.clone()])
    } else {
        y.clone()
    };
    let find_row = |p: &K| -> i64 {
        (0..rows)
            .find(|&r| {
                let row: Vec<K> = items_of(&key_cols).iter().map(|c| item(c, r)).collect();
                super::compare::matches(&unify(row), &super::kit::as_vector(p))
            })
            .map_or(-1, |r| r as i64)
    };
    let r = find_row(&probe);
    Ok(if r >= 0 {
        item(vt, r as usize)
    } else {
        value_null(vt)
    })
}

fn table_at(t: &K, y: K) -> Result<K> {
    crate::q::eval::stack::guard();
    match y.t() {
        x if x == -KS => {
            let names = columns(t).as_slice::<Sym>();
            let i = names
                .iter()
                .position(|&s| s == y.s())
                .ok_or_else(|| Error::new(y.s().as_bytes()))?;
            Ok(t.table_dict().items()[1].items()[i].clone())
        }
        KS => {
            let cols: Vec<K> = y
                .as_slice::<Sym>()
                .iter()
                .map(|&s| table_at(t, K::sym(s)))
                .collect::<Result<_>>()?;
            Ok(K::list(cols))
        }
        x if x < 0 => {
            let i = super::kit::int_atom(&y)?;
            let n = count(t) as i64;
            if i >= 0 && i < n {
                Ok(item(t, i as usize))
            } else {
                let cols: Vec<K> = t.table_dict().items()[1]
                    .items()
                    .iter()
                    .map(fill_of)
                    .collect();
                Ok(K::dict(columns(t).clone(), unify(cols)))
            }
        }
        KB | KG | KH | KI | KJ => Ok(gather(t, &column::<i64>(&y))),
        _ => Err(Error::type_()),
    }
}

/// `x . y`: index at depth, one item of y per level; `::` (elided) takes everything at its
/// level.
pub fn dot(x: K, y: K) -> Result<K> {
    let path = items_of(&super::kit::as_vector(&y));
    at_depth(x, &path)
}

fn at_depth(x: K, path: &[K]) -> Result<K> {
    crate::q::eval::stack::guard();
    let Some((first, rest)) = path.split_first() else {
        return Ok(x);
    };
    if rest.is_empty() {
        return at(x, first.clone());
    }
    let elided = first.t() == UNARY && first.g() == 0;
    if elided || first.t() >= 0 && first.t() != XT && x.t() != XD {
        let rows = if elided { x } else { at(x, first.clone())? };
        let items: Vec<K> = items_of(&rows)
            .into_iter()
            .map(|r| at_depth(r, rest))
            .collect::<Result<_>>()?;
        return Ok(unify(items));
    }
    at_depth(at(x, first.clone())?, rest)
}
