//! Table updates that touch globals or need the evaluator: `insert` and `upsert` (also on a
//! table named by a symbol), and the by-name forms of `xkey xasc xdesc xcol xcols` and `n!`.

use crate::obj::*;
use crate::q::eval::values::*;
use crate::q::eval::Ctx;

/// The rows `x` adds to a table with columns `names` (of `old`'s types): a table or a dict
/// (one row) names its columns, any subset (missing ones null); a list holds one value per
/// column, or is a list of such rows.
fn new_columns(names: &[Sym], old: &K, x: &K) -> Result<Vec<K>> {
    let (have, vals): (Vec<Sym>, Vec<K>) = match x.t() {
        XT => {
            let d = x.table_dict();
            (
                syms(&d.items()[0]).ok_or_else(Error::type_)?,
                items_of(&d.items()[1]),
            )
        }
        XD => {
            let keys = syms(&x.items()[0]).ok_or_else(Error::type_)?;
            (
                keys,
                items_of(&x.items()[1]).into_iter().map(enlist).collect(),
            )
        }
        _ => return positional_columns(names.len(), x),
    };
    if have.iter().any(|h| !names.contains(h)) {
        return Err(Error::mismatch());
    }
    let n = vals.iter().map(count).max().unwrap_or(0);
    let olds = items_of(&old.table_dict().items()[1]);
    Ok(names
        .iter()
        .zip(&olds)
        .map(|(name, col)| match have.iter().position(|h| h == name) {
            Some(p) => vals[p].clone(),
            None => nulls_like(col, n),
        })
        .collect())
}

/// `n` nulls of column `c`'s type.
fn nulls_like(c: &K, n: usize) -> K {
    if c.t() > 0 && c.t() < XT {
        collapse(vec![null_atom(c.t()); n])
    } else {
        K::list(vec![K::list(Vec::new()); n])
    }
}

/// Column values given by position: one per column, or rows of one value per column.
fn positional_columns(ncols: usize, x: &K) -> Result<Vec<K>> {
    let items = items_of(x);
    let rows = x.t() == 0
        && items.len() != ncols
        && !items.is_empty()
        && items.iter().all(|r| !r.is_atom() && count(r) == ncols);
    if rows {
        return Ok((0..ncols)
            .map(|c| collapse(items.iter().map(|r| item(r, c)).collect()))
            .collect());
    }
    if items.len() != ncols {
        return Err(Error::length());
    }
    Ok(items
        .into_iter()
        .map(|v| if v.is_atom() { enlist(v) } else { v })
        .collect())
}

fn join_column(old: &K, new: &K) -> Result<K> {
    let mut items = items_of(old);
    items.extend(items_of(new));
    if items.is_empty() {
        return Ok(old.clone());
    }
    let joined = collapse(items);
    if old.t() > 0 && old.n() > 0 && joined.t() != old.t() {
        return Err(Error::type_());
    }
    Ok(joined)
}

/// Appends rows to a simple table; the new table and the indices of the added rows.
fn append(t: &K, x: &K) -> Result<(K, K)> {
    let d = t.table_dict();
    let names = syms(&d.items()[0]).ok_or_else(Error::type_)?;
    let add = new_columns(&names, t, x)?;
    let before = table::row_count(t) as i64;
    let n = add.iter().map(count).max().unwrap_or(0);
    let cols: Vec<K> = d.items()[1]
        .items()
        .iter()
        .zip(&add)
        .map(|(c, a)| {
            let a = if a.is_atom() || count(a) == 1 && n > 1 {
                collapse(vec![item(a, 0); n])
            } else {
                a.clone()
            };
            join_column(c, &a)
        })
        .collect::<Result<_>>()?;
    let nt = table::table_from_dict(K::dict(d.items()[0].clone(), K::list(cols)))?;
    let idx: Vec<i64> = (before..before + n as i64).collect();
    Ok((nt, K::from_slice(KJ, &idx)))
}

/// `t upsert x` on a value: keyed tables replace matching keys, others append.
pub fn upsert_value(t: &K, x: &K) -> Result<K> {
    if t.t() == XT {
        return Ok(append(t, x)?.0);
    }
    if t.t() == XD && t.items()[0].t() == XT && x.t() == XD && x.items()[0].t() == XT {
        return crate::q::eval::apply::call_prim(",", vec![t.clone(), x.clone()]);
    }
    if t.t() == XD && t.items()[0].t() == XT {
        let nk = t.items()[0].table_dict().items()[0].n();
        let plain = table::unkey(t.clone())?;
        let x = if x.t() == XD && x.items()[0].t() == XT {
            table::unkey(x.clone())?
        } else {
            x.clone()
        };
        let d = plain.table_dict();
        let names = syms(&d.items()[0]).ok_or_else(Error::type_)?;
        let add = new_columns(&names, &plain, &x)?;
        let mut cols: Vec<Vec<K>> = d.items()[1].items().iter().map(items_of).collect();
        let n = add.iter().map(count).max().unwrap_or(0);
        for r in 0..n {
            let row: Vec<K> = add
                .iter()
                .map(|c| {
                    if c.is_atom() || c.t() >= LAMBDA {
                        c.clone()
                    } else {
                        item(c, r)
                    }
                })
                .collect();
            let hit =
                (0..cols[0].len()).find(|&i| (0..nk).all(|k| identical(&cols[k][i], &row[k])));
            match hit {
                Some(i) => {
                    for (c, v) in cols.iter_mut().zip(&row) {
                        c[i] = v.clone();
                    }
                }
                None => {
                    for (c, v) in cols.iter_mut().zip(&row) {
                        c.push(v.clone());
                    }
                }
            }
        }
        let cols: Vec<K> = cols.into_iter().map(collapse).collect();
        let nt = table::table_from_dict(K::dict(d.items()[0].clone(), K::list(cols)))?;
        return table::key_first(nk as i64, nt);
    }
    Err(Error::type_())
}

/// `` `t insert x ``: appends to the global table; the indices of the new rows.
pub fn insert(cx: &mut Ctx, name: &K, x: &K) -> Result<K> {
    if name.t() != -KS {
        return Err(Error::type_());
    }
    let t = match cx.lookup_global(name.s()) {
        Ok(t) => t,
        Err(_) => {
            // Inserting into an undefined name makes the table from a table argument.
            let rows = match x.t() {
                XT => table::row_count(x),
                XD if x.items()[0].t() == XT => table::row_count(&x.items()[0]),
                _ => return Err(Error(name.s())),
            };
            cx.eng_set(name.s(), x.clone())?;
            return Ok(K::from_slice(KJ, &(0..rows as i64).collect::<Vec<_>>()));
        }
    };
    if t.t() == XD && t.items()[0].t() == XT {
        if has_existing_key(&t, x)? {
            return Err(Error::new("insert"));
        }
        let before = table::row_count(&t.items()[0]) as i64;
        let nt = upsert_value(&t, x)?;
        let after = table::row_count(&nt.items()[0]) as i64;
        cx.eng_set(name.s(), nt)?;
        return Ok(K::from_slice(KJ, &(before..after).collect::<Vec<_>>()));
    }
    if t.t() != XT {
        return Err(Error::type_());
    }
    // Fast path: every new column's items have the column's type, so the columns grow in
    // place (the global is taken out first so this table is their only holder).
    if let Some(idx) = append_in_place(cx, name.s(), t, x)? {
        return Ok(idx);
    }
    let t = cx.lookup_global(name.s())?;
    let (nt, idx) = append(&t, x)?;
    cx.eng_set(name.s(), nt)?;
    Ok(idx)
}

/// Whether rows `x` for keyed table `t` repeat one of its keys (insert only adds rows).
fn has_existing_key(t: &K, x: &K) -> Result<bool> {
    let keys = &t.items()[0];
    let names = syms(&keys.table_dict().items()[0]).ok_or_else(Error::type_)?;
    let x = if x.t() == XD && x.items()[0].t() == XT {
        table::unkey(x.clone())?
    } else {
        x.clone()
    };
    let plain = table::unkey(t.clone())?;
    let all = syms(&plain.table_dict().items()[0]).ok_or_else(Error::type_)?;
    let add = new_columns(&all, &plain, &x)?;
    let n = add.iter().map(count).max().unwrap_or(0);
    let new_keys: Vec<K> = add[..names.len()]
        .iter()
        .map(|c| widen(c.clone(), n))
        .collect();
    let new_keys = table::table_from_dict(K::dict(K::from_slice(KS, &names), K::list(new_keys)))?;
    let found = crate::q::eval::apply::call_prim("?", vec![keys.clone(), new_keys])?;
    let rows = table::row_count(keys) as i64;
    Ok(as_longs(&found)
        .unwrap_or_default()
        .iter()
        .any(|&i| i < rows))
}

/// `n` copies of an atom; a list as it is.
fn widen(v: K, n: usize) -> K {
    if v.is_atom() {
        collapse(vec![v; n])
    } else {
        v
    }
}

/// Appends rows whose values match the columns' types without copying the columns; None when
/// the shapes need the general path (nothing has changed then).
fn append_in_place(cx: &mut Ctx, name: Sym, t: K, x: &K) -> Result<Option<K>> {
    let d = t.table_dict();
    let Some(names) = syms(&d.items()[0]) else {
        return Ok(None);
    };
    let Ok(add) = new_columns(&names, &t, x) else {
        return Ok(None);
    };
    let n = add.iter().map(count).max().unwrap_or(0);
    let fits = d.items()[1].items().iter().zip(&add).all(|(c, a)| {
        let ct = c.t();
        ct > 0 && ct < XT && ct != UU && (a.t() == ct && count(a) == n || a.t() == -ct && n == 1)
    });
    if !fits || n == 0 {
        return Ok(None);
    }
    let before = table::row_count(&t) as i64;
    drop(t);
    let full = crate::q::session::engine::qualify(name, cx.dir());
    let Some(t) = cx.eng.take_global(full)? else {
        return Ok(None);
    };
    let mut dict = t.table_dict().clone();
    drop(t);
    {
        let cols = &mut dict.items_mut()[1];
        for (c, a) in cols.items_mut().iter_mut().zip(&add) {
            if a.is_atom() {
                let one = crate::q::eval::values::enlist(a.clone());
                c.append(&one);
            } else {
                c.append(a);
            }
        }
    }
    cx.eng.set_global(full, K::table(dict))?;
    let idx: Vec<i64> = (before..before + n as i64).collect();
    Ok(Some(K::from_slice(KJ, &idx)))
}

/// Keywords whose table argument may be a name, updated in place: the result is the name.
pub fn by_name(cx: &mut Ctx, name: &str, args: &[K]) -> Option<Result<K>> {
    let pos = match (name, args.len()) {
        ("xkey" | "xasc" | "xdesc" | "xcol" | "xcols" | "!", 2) => 1,
        ("upsert", 2) => 0,
        _ => return None,
    };
    let sym = &args[pos];
    if sym.t() != -KS {
        return if name == "upsert" {
            Some(upsert_value(&args[0], &args[1]))
        } else {
            None
        };
    }
    Some((|| {
        let t = cx.lookup_global(sym.s())?;
        let mut call = args.to_vec();
        call[pos] = t;
        let r = if name == "upsert" {
            upsert_value(&call[0], &call[1])?
        } else {
            crate::q::eval::apply::call_prim(name, call)?
        };
        cx.eng_set(sym.s(), r)?;
        Ok(sym.clone())
    })())
}

/// `(f;x) fby g`: f applied to x within the groups of g, spread back to every row.
pub fn fby(cx: &mut Ctx, fx: &K, g: &K) -> Result<K> {
    if fx.t() != 0 || fx.n() != 2 {
        return Err(Error::type_());
    }
    let f = fx.items()[0].clone();
    let x = fx.items()[1].clone();
    let n = count(&x);
    if count(g) != n {
        return Err(Error::length());
    }
    // An aggregate primitive over simple columns: computed for all groups at once, spread
    // back by each row's group id.
    if let Some(crate::q::eval::verbs::PrimRef::Keyword(name, _)) =
        crate::q::eval::verbs::decode(&f)
    {
        use crate::q::prims::{grouped, groupid};
        if let Some((agg, 1)) = grouped::Agg::named(name) {
            if let Some(ids) = groupid::groups(std::slice::from_ref(g)) {
                if let Some(v) = grouped::aggregate(&ids, agg, &[&x]) {
                    let which: Vec<i64> = ids.id.iter().map(|&k| k as i64).collect();
                    return Ok(crate::q::eval::index::gather(&v, &which));
                }
            }
        }
    }
    let (_, groups) = crate::q::sql::positions_by_value(g.clone())?;
    let mut results = Vec::with_capacity(groups.len());
    for rows in &groups {
        let part = crate::q::prims::kit::gather(&x, rows);
        results.push(crate::q::eval::apply::apply(cx, f.clone(), vec![part])?);
    }
    // Aggregates (one atom per group) spread by one gather; other results item by item.
    if results.iter().all(K::is_atom) {
        let mut which = vec![0i64; n];
        for (k, rows) in groups.iter().enumerate() {
            for &r in rows {
                which[r as usize] = k as i64;
            }
        }
        return Ok(crate::q::eval::index::gather(&collapse(results), &which));
    }
    let mut out: Vec<K> = vec![K::identity(); n];
    for (rows, v) in groups.iter().zip(&results) {
        for (k, &r) in rows.iter().enumerate() {
            out[r as usize] = if v.is_atom() { v.clone() } else { item(v, k) };
        }
    }
    Ok(collapse(out))
}
