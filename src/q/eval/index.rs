//! Indexing: `x[i]`, `x[i;j]`, `x@i`, dict lookup and table rows and columns, with typed nulls
//! for indices out of range.

use super::atoms::*;
use super::values::*;
use super::verbs;
use super::Ctx;
use crate::obj::*;

fn is_all(i: &K) -> bool {
    verbs::is_identity(i) || verbs::is_elided(i)
}

/// `x[a;b;...]`: the first index selects, the rest index into what it selected.
pub fn index_depth(cx: &mut Ctx, x: K, args: Vec<K>) -> Result<K> {
    super::stack::guard();
    let mut args = args.into_iter();
    let Some(first) = args.next() else {
        return Ok(x);
    };
    let rest: Vec<K> = args.collect();
    if rest.is_empty() {
        return index(cx, &x, &first);
    }
    if x.t() == XT && !is_all(&first) && rest.len() == 1 {
        // `t[i;c]`: rows then columns.
        let rows = index(cx, &x, &first)?;
        return index(cx, &rows, &rest[0]);
    }
    if is_all(&first) {
        return match x.t() {
            XD => {
                let vals = x.items()[1].clone();
                let keys = x.items()[0].clone();
                let out = map_items(cx, &vals, &rest)?;
                Ok(K::dict(keys, out))
            }
            XT => {
                // `t[;`c]`: the column (all rows).
                let mut rest = rest.into_iter();
                let c = rest.next().unwrap_or_else(K::identity);
                let col = index(cx, &x, &c)?;
                index_depth(cx, col, rest.collect())
            }
            _ => map_items(cx, &x, &rest),
        };
    }
    let r = index(cx, &x, &first)?;
    if first.is_atom() || x.t() == XD && first.t() >= 0 && x.items()[0].t() == 0 {
        index_depth(cx, r, rest)
    } else {
        map_items(cx, &r, &rest)
    }
}

fn map_items(cx: &mut Ctx, x: &K, rest: &[K]) -> Result<K> {
    let mut out = Vec::with_capacity(count(x));
    for it in items_of(x) {
        out.push(super::apply::apply(cx, it, rest.to_vec())?);
    }
    Ok(collapse(out))
}

/// `x[i]` for one index.
pub fn index(cx: &mut Ctx, x: &K, i: &K) -> Result<K> {
    if x.is_atom() && x.t() != ERROR {
        // An atom is not an applicable value.
        return Err(Error::type_());
    }
    if is_all(i) {
        return Ok(x.clone());
    }
    match x.t() {
        XD => dict_lookup(x, i),
        XT => table_index(cx, x, i),
        t if t < 0 => Err(Error::type_()),
        t if t >= LAMBDA => super::apply::apply(cx, x.clone(), vec![i.clone()]),
        _ => list_index(cx, x, i),
    }
}

/// The null an out-of-range index gives for list `x`.
pub fn fill_for(x: &K) -> K {
    match x.t() {
        0 => match x.items().first() {
            Some(f) if f.is_atom() => null_atom(f.t()),
            Some(f) if is_simple(f.t()) => K::vector(f.t(), 0),
            _ => K::list(Vec::new()),
        },
        t => null_atom(t),
    }
}

fn list_index(cx: &mut Ctx, x: &K, i: &K) -> Result<K> {
    let n = x.n();
    if let Some(j) = as_long(i) {
        if j >= 0 && (j as usize) < n {
            return Ok(item(x, j as usize));
        }
        return Ok(fill_for(x));
    }
    if i.t() == KJ {
        return Ok(gather(x, i.as_slice::<i64>()));
    }
    if let Some(js) = as_longs(i) {
        return Ok(gather(x, &js));
    }
    match i.t() {
        0 => {
            let mut out = Vec::with_capacity(i.n());
            for it in i.items() {
                out.push(index(cx, x, it)?);
            }
            Ok(if out.is_empty() {
                K::vector(x.t(), 0)
            } else {
                collapse(out)
            })
        }
        XD => {
            let v = index(cx, x, &i.items()[1])?;
            Ok(K::dict(i.items()[0].clone(), v))
        }
        XT => {
            // Index each column of a table of indices.
            let d = i.table_dict();
            let cols: Vec<K> = d.items()[1]
                .items()
                .iter()
                .map(|c| index(cx, x, c))
                .collect::<Result<_>>()?;
            table::table_from_dict(K::dict(d.items()[0].clone(), K::list(cols)))
        }
        _ => Err(Error::type_()),
    }
}

/// Items of `x` at indices `js` (nulls for indices out of range), keeping `x`'s type.
pub fn gather(x: &K, js: &[i64]) -> K {
    let n = x.n() as i64;
    let t = x.t();
    let ok = |j: i64| j >= 0 && j < n;
    if t == 0 || !is_simple(t) && t != UU {
        let fill = fill_for(x);
        let items: Vec<K> = js
            .iter()
            .map(|&j| {
                if ok(j) {
                    x.items()[j as usize].clone()
                } else {
                    fill.clone()
                }
            })
            .collect();
        if t == 0 {
            return if items.is_empty() {
                K::list(items)
            } else {
                collapse_keep_list(items)
            };
        }
        return K::list(items);
    }
    crate::q::prims::kit::gather_simple(x, js)
}

/// A general list's selected items: simple when they are all atoms of one type.
fn collapse_keep_list(items: Vec<K>) -> K {
    collapse(items)
}

fn position(keys: &K, k: &K) -> Option<usize> {
    let n = keys.n();
    match keys.t() {
        0 => keys.items().iter().position(|x| identical(x, k)),
        XT => {
            // A keyed table's key rows: k is a dict row, a list of key values or one value.
            let cols = keys.table_dict().items()[1].items();
            let want: Vec<K> = match k.t() {
                XD => items_of(&k.items()[1]),
                t if t >= 0 && cols.len() > 1 => items_of(k),
                _ => vec![k.clone()],
            };
            if want.len() != cols.len() {
                return None;
            }
            (0..table::row_count(keys)).find(|&r| {
                cols.iter()
                    .zip(&want)
                    .all(|(c, w)| identical(&item(c, r), w))
            })
        }
        t if t > 0 && k.t() == -t => (0..n).find(|&p| identical(&item(keys, p), k)),
        _ => None,
    }
}

fn dict_lookup(d: &K, i: &K) -> Result<K> {
    super::stack::guard();
    let keys = &d.items()[0];
    let vals = &d.items()[1];
    if keys.t() > 0 && keys.t() < XT && keys.attr() == ATTR_SORTED {
        return step_lookup(keys, vals, i);
    }
    let single = i.is_atom()
        || keys.t() == 0 && !matches!(i.t(), 0)
        || keys.t() == XT && (i.t() == XD || i.is_atom());
    if keys.t() == XT && i.t() == XT {
        // Several key rows at once.
        let rows = items_of(i);
        let mut out = Vec::new();
        for r in rows {
            out.push(dict_lookup(d, &r)?);
        }
        return Ok(collapse(out));
    }
    if keys.t() == XT
        && i.t() == 0
        && keys.table_dict().items()[1].n() > 1
        && i.items().iter().all(|x| x.is_atom())
    {
        return dict_lookup_one(d, i);
    }
    if single {
        return dict_lookup_one(d, i);
    }
    if i.t() == XD {
        let v = dict_lookup(d, &i.items()[1])?;
        return Ok(K::dict(i.items()[0].clone(), v));
    }
    let mut out = Vec::with_capacity(i.n());
    for k in items_of(i) {
        out.push(dict_lookup_one(d, &k)?);
    }
    if out.is_empty() {
        return Ok(match vals.t() {
            XT => vals.clone(),
            t => K::vector(if t > 0 { t } else { 0 }, 0),
        });
    }
    let _ = vals;
    Ok(collapse(out))
}

/// A dictionary with sorted keys is a step function: a key between two keys maps to the
/// value of the lower one (`bin`), one before the first to null.
fn step_lookup(keys: &K, vals: &K, i: &K) -> Result<K> {
    let call = crate::q::eval::apply::call_prim;
    let at = call("bin", vec![keys.clone(), i.clone()])?;
    call("@", vec![vals.clone(), at])
}

fn dict_lookup_one(d: &K, k: &K) -> Result<K> {
    let keys = &d.items()[0];
    let vals = &d.items()[1];
    match position(keys, k) {
        Some(p) => Ok(item(vals, p)),
        None => Ok(match vals.t() {
            XT => {
                let cols = vals.table_dict();
                let nulls: Vec<K> = cols.items()[1].items().iter().map(fill_for).collect();
                K::dict(cols.items()[0].clone(), collapse(nulls))
            }
            _ => fill_for(vals),
        }),
    }
}

fn table_index(cx: &mut Ctx, t: &K, i: &K) -> Result<K> {
    let d = t.table_dict();
    match i.t() {
        A_KS => dict_lookup_one(d, i).and_then(|c| {
            if verbs::is_identity(&c) {
                Err(Error(i.s()))
            } else {
                Ok(c)
            }
        }),
        KS => {
            let cols: Vec<K> = i
                .as_slice::<Sym>()
                .iter()
                .map(|s| dict_lookup_one(d, &K::sym(*s)))
                .collect::<Result<_>>()?;
            Ok(K::list(cols))
        }
        _ => {
            if let Some(j) = as_long(i) {
                let n = table::row_count(t);
                if j >= 0 && (j as usize) < n {
                    return Ok(table_row(t, j as usize));
                }
                let nulls: Vec<K> = d.items()[1].items().iter().map(fill_for).collect();
                return Ok(K::dict(d.items()[0].clone(), collapse(nulls)));
            }
            if let Some(js) = as_longs(i) {
                let cols: Vec<K> = d.items()[1]
                    .items()
                    .iter()
                    .map(|c| gather(c, &js))
                    .collect();
                return table::table_from_dict(K::dict(d.items()[0].clone(), K::list(cols)));
            }
            let _ = cx;
            Err(Error::type_())
        }
    }
}
