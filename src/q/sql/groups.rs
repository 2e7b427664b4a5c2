//! Grouping for `by`: rows with equal keys, the groups ordered by key as kdb+ orders them.

use crate::q::eval::apply::call_prim;
// A by-column can be any list, a table or a dict included.
use crate::obj::*;
use crate::q::eval::values::*;
use crate::q::prims::kit::gather;

/// A group key for `n` rows: an atom is every row's key; a list must have one per row.
pub fn group_key(k: K, n: usize) -> Result<K> {
    if k.is_atom() {
        return Ok(super::widen(k, n));
    }
    if count(&k) != n {
        return Err(Error::length());
    }
    Ok(k)
}

/// `group x` as its distinct values and, for each, the positions where it occurs (in order
/// of first occurrence).
pub fn positions_by_value(x: K) -> Result<(K, Vec<Vec<i64>>)> {
    let g = call_prim("group", vec![x])?;
    if g.t() != XD {
        return Err(Error::type_());
    }
    let positions = items_of(&g.items()[1])
        .iter()
        .map(|p| as_longs(p).unwrap_or_default())
        .collect();
    Ok((g.items()[0].clone(), positions))
}

/// Groups of row indices by the values of the `by` columns (one per row in play), ordered by
/// key as kdb+ orders them (`iasc` of the distinct keys).
pub fn groups(keys: &[K], rows: &[i64]) -> Result<Vec<(Vec<K>, Vec<i64>)>> {
    // A by-value that is not one item per selected row (a global of another length).
    if keys.iter().any(|k| k.is_atom() || count(k) != rows.len()) {
        return Err(Error::length());
    }
    let (_, positions) = positions_by_value(group_codes(keys)?)?;
    let firsts: Vec<i64> = positions
        .iter()
        .map(|p| p.first().copied().unwrap_or(0))
        .collect();
    let distinct: Vec<K> = keys.iter().map(|k| gather(k, &firsts)).collect();
    let order = call_prim("iasc", vec![key_table(&distinct)?])?;
    let order = as_longs(&order).ok_or_else(Error::type_)?;
    Ok(order
        .into_iter()
        .map(|o| {
            let o = o as usize;
            let key = distinct.iter().map(|k| item(k, o)).collect();
            (
                key,
                positions[o].iter().map(|&p| rows[p as usize]).collect(),
            )
        })
        .collect())
}

/// The key columns as one value: the only one, or a table of them.
fn key_table(keys: &[K]) -> Result<K> {
    match keys {
        [one] => Ok(one.clone()),
        _ => {
            let names: Vec<Sym> = (0..keys.len()).map(|k| Sym::new(format!("k{k}"))).collect();
            table::table_from_dict(K::dict(K::from_slice(KS, &names), K::list(keys.to_vec())))
        }
    }
}

/// One list whose equal items mark rows with equal keys: several keys combine their
/// positions among their distinct values into one number (a table of them if that overflows).
fn group_codes(keys: &[K]) -> Result<K> {
    if keys.len() == 1 {
        return Ok(keys[0].clone());
    }
    let n = keys.first().map_or(0, count);
    let mut code = vec![0i64; n];
    let mut span: i64 = 1;
    for k in keys {
        let distinct = call_prim("distinct", vec![k.clone()])?;
        let Some(next) = span.checked_mul(count(&distinct).max(1) as i64) else {
            return key_table(keys);
        };
        span = next;
        let ids = call_prim("?", vec![distinct.clone(), k.clone()])?;
        let ids = as_longs(&ids).ok_or_else(Error::type_)?;
        for (c, id) in code.iter_mut().zip(ids) {
            *c = *c * count(&distinct) as i64 + id;
        }
    }
    Ok(K::from_slice(KJ, &code))
}
