//! Joining and filling: `,` join (lists, dicts as upsert, tables by rows), `^` fill,
//! `fills`, and the shifts `prev next xprev`.

use super::compare::{matches, null};
use super::kit::{atomic2, count, gather, int_atom, items_of, map_columns, unify};
use super::num::is_numeric;
use crate::obj::table::{columns, row_count, table_from_dict};
use crate::obj::{Error, Guid, Result, Sym, K, *};

/// `x,y`.
pub fn join(x: K, y: K) -> Result<K> {
    crate::q::eval::stack::guard();
    let (tx, ty) = (x.t(), y.t());
    if tx == XT || ty == XT {
        return join_tables(x, y);
    }
    if tx == XD && ty == XD {
        return join_dicts(x, y);
    }
    if (is_enum(tx) || is_enum(ty)) && tx.wrapping_abs() != ty.wrapping_abs() {
        return join_enumerations(x, y);
    }
    if tx == XD || ty == XD {
        // A dict joins only a dict (or a table, as a row, above).
        return Err(Error::type_());
    }
    let simple = |t: i8| {
        t != 0
            && t.wrapping_abs() < XT
            && item_size(t.wrapping_abs()) > 0
            && !owns_items(t.wrapping_abs())
    };
    if simple(tx) && simple(ty) && tx.wrapping_abs() == ty.wrapping_abs() {
        let mut r = if tx < 0 { unify(vec![x]) } else { x };
        let y = if ty < 0 { unify(vec![y]) } else { y };
        r.set_attr(ATTR_NONE);
        r.append(&y);
        return Ok(r);
    }
    // Atoms and functions (a lambda included, though it holds its parts) join as one item.
    let mut items = if !(0..LAMBDA).contains(&tx) || tx == XD {
        vec![x]
    } else {
        items_of(&x)
    };
    if !(0..LAMBDA).contains(&ty) || ty == XD {
        items.push(y);
    } else {
        items.extend(items_of(&y));
    }
    Ok(if tx == 0 || ty == 0 {
        K::list(items)
    } else {
        unify(items)
    })
}

fn is_enum(t: i8) -> bool {
    (ENUM_FIRST..=ENUM_LAST).contains(&t.wrapping_abs())
}

/// An enumeration meets another type: two atoms make a list (each keeps its type); otherwise
/// enumerations join as their symbols.
fn join_enumerations(x: K, y: K) -> Result<K> {
    if x.t() < 0 && y.t() < 0 {
        return Ok(K::list(vec![x, y]));
    }
    let plain = |k: &K| match crate::q::keywords::enums::unenumerate(k) {
        Some(symbols) => symbols,
        // An enumeration whose domain is gone has no symbols to join as: a general list.
        None if is_enum(k.t()) => K::list(items_of(k)),
        None => k.clone(),
    };
    join(plain(&x), plain(&y))
}

fn join_dicts(x: K, y: K) -> Result<K> {
    let ([kx, vx], [ky, vy]) = (x.items(), y.items()) else {
        unreachable!()
    };
    if vx.t() == XT && vy.t() == XT {
        same_column_types(kx, ky)?;
        same_column_types(vx, vy)?;
        return upsert_keyed(x.clone(), y.clone());
    }
    let mut keys = items_of(kx);
    let mut vals = items_of(vx);
    for (k, v) in items_of(ky).into_iter().zip(items_of(vy)) {
        match keys.iter().position(|a| matches(a, &k)) {
            Some(i) => vals[i] = v,
            None => {
                keys.push(k);
                vals.push(v);
            }
        }
    }
    Ok(K::dict(unify(keys), unify(vals)))
}

fn join_tables(x: K, y: K) -> Result<K> {
    crate::q::eval::stack::guard();
    let y = if y.t() == XD && y.items()[0].t() != XT {
        super::lists::enlist(y)?
    } else {
        y
    };
    let y = if x.t() == XT && y.t() == XD && y.items()[0].t() == XT {
        crate::obj::table::unkey(y)?
    } else {
        y
    };
    let ncols = if x.t() == XT { columns(&x).n() } else { 0 };
    if x.t() == XT
        && y.t() == 0
        && y.n() > 0
        && y.items()
            .iter()
            .all(|r| r.t() >= 0 && r.t() < XT && count(r) == ncols)
    {
        // A list of rows, each one value per column.
        let mut t = x;
        for r in y.items() {
            t = join_tables(t, r.clone())?;
        }
        return Ok(t);
    }
    let y = if x.t() == XT && y.t() >= 0 && y.t() < XT {
        // A list of one value per column is a row.
        if count(&y) != ncols {
            return Err(Error::length());
        }
        let cols: Vec<K> = items_of(&y).into_iter().map(|v| unify(vec![v])).collect();
        table_from_dict(K::dict(columns(&x).clone(), K::list(cols)))?
    } else {
        y
    };
    if x.t() != XT || y.t() != XT {
        return Err(Error::type_());
    }
    if !matches(columns(&x), columns(&y)) {
        return Err(Error::mismatch());
    }
    let cx = x.table_dict().items()[1].items().to_vec();
    let cy = y.table_dict().items()[1].items().to_vec();
    let cols: Result<Vec<K>> = cx.into_iter().zip(cy).map(|(a, b)| join(a, b)).collect();
    table_from_dict(K::dict(columns(&x).clone(), K::list(cols?)))
}

/// Items of `b` where `mask` is false, else of `a` (both simple of one type, atoms stretch).
fn select(mask: &K, a: &K, b: &K) -> K {
    let t = b.t().wrapping_abs().max(a.t().wrapping_abs());
    if a.t() < 0 && b.t() < 0 {
        return if mask.g() != 0 { a.clone() } else { b.clone() };
    }
    let n = if a.t() >= 0 { count(a) } else { count(b) };
    let m: Vec<u8> = if mask.t() < 0 {
        vec![mask.g(); n]
    } else {
        mask.as_slice::<u8>().to_vec()
    };
    let a = if a.t() < 0 {
        super::lists::stretch(a, n)
    } else {
        a.clone()
    };
    let b = if b.t() < 0 {
        super::lists::stretch(b, n)
    } else {
        b.clone()
    };
    let mut out = b.clone();
    macro_rules! pick {
        ($ty:ty) => {{
            let av = a.as_slice::<$ty>().to_vec();
            for (i, o) in out.as_mut_slice::<$ty>().iter_mut().enumerate() {
                if m[i] != 0 {
                    *o = av[i];
                }
            }
        }};
    }
    match t {
        UU => pick!(Guid),
        KS => pick!(Sym),
        _ => match item_size(t) {
            1 => pick!(u8),
            2 => pick!(i16),
            4 => pick!(i32),
            _ => pick!(i64),
        },
    }
    out
}

/// `x^y`: y with its nulls replaced by x.
pub fn fill(x: K, y: K) -> Result<K> {
    atomic2(x, y, &|x, y| {
        let (tx, ty) = (x.t().wrapping_abs(), y.t().wrapping_abs());
        let (x, y) = if tx == ty {
            (x, y)
        } else if is_numeric(tx) && is_numeric(ty) {
            let p = super::promote::arith(super::promote::Arith::Add, tx, ty)
                .ok_or_else(Error::type_)?;
            let out = if is_numeric(ty) && ty > tx { ty } else { p.out };
            (super::cast::convert(&x, out), super::cast::convert(&y, out))
        } else {
            return Err(Error::type_());
        };
        let mask = null(y.clone())?;
        Ok(select(&mask, &x, &y))
    })
}

/// `fills`: nulls replaced by the last non-null before them.
pub fn fills(x: K) -> Result<K> {
    crate::q::eval::stack::guard();
    match x.t() {
        XT => map_columns(&x, fills),
        XD => {
            let [k, v] = x.items() else { unreachable!() };
            Ok(K::dict(k.clone(), fills(v.clone())?))
        }
        0 => {
            let mut out: Vec<K> = Vec::with_capacity(x.n());
            for k in x.items() {
                let is_null = k.t() < 0 && null(k.clone())?.g() != 0;
                out.push(match out.last() {
                    Some(prev) if is_null => prev.clone(),
                    _ => k.clone(),
                });
            }
            Ok(unify(out))
        }
        t if t < 0 => Ok(x),
        _ => {
            let mask = null(x.clone())?;
            let m = mask.as_slice::<u8>();
            let mut last: i64 = -1;
            let idx: Vec<i64> = m
                .iter()
                .enumerate()
                .map(|(i, &b)| {
                    if b == 0 {
                        last = i as i64;
                    }
                    if last < 0 {
                        i as i64
                    } else {
                        last
                    }
                })
                .collect();
            Ok(gather(&x, &idx))
        }
    }
}

fn shift(x: K, by: i64) -> Result<K> {
    crate::q::eval::stack::guard();
    match x.t() {
        t if t < 0 => Ok(x),
        XD => {
            let [k, v] = x.items() else { unreachable!() };
            Ok(K::dict(k.clone(), shift(v.clone(), by)?))
        }
        _ => {
            let n = if x.t() == XT {
                row_count(&x)
            } else {
                count(&x)
            } as i64;
            let idx: Vec<i64> = (0..n)
                .map(|i| {
                    i.checked_sub(by)
                        .filter(|j| (0..n).contains(j))
                        .unwrap_or(-1)
                })
                .collect();
            Ok(gather(&x, &idx))
        }
    }
}

/// `prev`: each item's predecessor (null first).
pub fn prev(x: K) -> Result<K> {
    shift(x, 1)
}

/// `next`: each item's successor (null last).
pub fn next(x: K) -> Result<K> {
    shift(x, -1)
}

/// `n xprev x`: the item n places before (after, for negative n).
pub fn xprev(n: K, x: K) -> Result<K> {
    shift(x, int_atom(&n)?)
}

/// "Join for keyed tables is strict; both the key and data columns must match in names and
/// datatypes" (ref/join.md): a column of `y` of another simple type than `x`'s column of that
/// name is 'type, as appending to a table column of another type is (`t,:` in ref/join.md), not
/// a key that never matches (`2` and `2i` both kept) nor a mixed column. Names stay as
/// `upsert_keyed` takes them (`kt,:y` and `upsert` give some of the columns).
fn same_column_types(x: &K, y: &K) -> Result<()> {
    let names = columns(x).as_slice::<crate::obj::Sym>();
    let cols = x.table_dict().items()[1].items();
    let ycols = y.table_dict().items()[1].items();
    for (s, yc) in columns(y).as_slice::<crate::obj::Sym>().iter().zip(ycols) {
        let Some(xc) = names.iter().position(|n| n == s).map(|i| &cols[i]) else {
            continue;
        };
        let simple = |t: i8| (1..20).contains(&t);
        if simple(xc.t()) && simple(yc.t()) && xc.t() != yc.t() {
            return Err(Error::type_());
        }
    }
    Ok(())
}

/// `kt,kt`: rows of y replace the rows of x with the same key; new keys are appended.
pub fn upsert_keyed(x: K, y: K) -> Result<K> {
    let (kx, vx) = crate::obj::table::keyed_parts(&x)?;
    let (ky, vy) = crate::obj::table::keyed_parts(&y)?;
    if !matches(columns(kx), columns(ky)) {
        return Err(Error::mismatch());
    }
    let n = count(kx) as i64;
    let at = super::keymatch::find_rows(kx, ky, -1);
    // Value columns: y's names may be a subset or superset of x's.
    let mut names: Vec<crate::obj::Sym> = columns(vx).as_slice::<crate::obj::Sym>().to_vec();
    for s in columns(vy).as_slice::<crate::obj::Sym>() {
        if !names.contains(s) {
            names.push(*s);
        }
    }
    let col = |t: &K, s: crate::obj::Sym| -> Option<K> {
        columns(t)
            .as_slice::<crate::obj::Sym>()
            .iter()
            .position(|&c| c == s)
            .map(|i| t.table_dict().items()[1].items()[i].clone())
    };
    // Keys new to x, each once (where y holds one twice, the first is inserted and the later
    // one updates it, as upserting y's rows one by one does): the row of y that gives its key,
    // and the last row of y with that key, which gives its values.
    let (new_rows, new_src) = new_keys(ky, &at);
    let mut out_cols = Vec::new();
    // Where a row of x takes y's value: the last row of y with its key.
    let mut from_y: Vec<i64> = (0..n).collect();
    for (j, &i) in at.iter().enumerate() {
        if i >= 0 {
            from_y[i as usize] = n + j as i64;
        }
    }
    from_y.extend(new_src.iter().map(|&j| n + j));
    for &s in &names {
        // A column one side lacks is that side's nulls of the other side's column type.
        let (xc, yc) = match (col(vx, s), col(vy, s)) {
            (Some(xc), Some(yc)) => (xc, yc),
            (Some(xc), None) => {
                // x's rows keep their values; new rows take the column's null.
                let keep: Vec<i64> = (0..n).chain(new_src.iter().map(|_| -1)).collect();
                out_cols.push(gather(&xc, &keep));
                continue;
            }
            (None, Some(yc)) => (gather(&yc, &vec![-1; n as usize]), yc),
            (None, None) => unreachable!("a value column of x or of y"),
        };
        if xc.t() == yc.t() && xc.t() > 0 && xc.t() < XT && !owns_items(xc.t()) {
            // One simple type: both columns joined, each row picking its item once.
            out_cols.push(gather(&join(xc, yc)?, &from_y));
            continue;
        }
        let mut items = items_of(&xc);
        let ycol = items_of(&yc);
        for (j, &i) in at.iter().enumerate() {
            if i >= 0 {
                items[i as usize] = ycol[j].clone();
            }
        }
        for &j in &new_src {
            items.push(ycol[j as usize].clone());
        }
        out_cols.push(unify(items));
    }
    let key_cols: Vec<K> = items_of(&kx.table_dict().items()[1])
        .into_iter()
        .zip(items_of(&ky.table_dict().items()[1]))
        .map(|(a, b)| join(a, gather(&b, &new_rows)))
        .collect::<Result<_>>()?;
    let k = table_from_dict(K::dict(columns(kx).clone(), K::list(key_cols)))?;
    let v = table_from_dict(K::dict(
        K::from_slice(crate::obj::KS, &names),
        K::list(out_cols),
    ))?;
    Ok(K::dict(k, v))
}

/// The rows of keyed table `y` whose keys `at` does not find in x: for each distinct such key,
/// the first row holding it and the last one.
fn new_keys(ky: &K, at: &[i64]) -> (Vec<i64>, Vec<i64>) {
    let (mut first, mut last) = (Vec::new(), Vec::new());
    if at.iter().all(|&i| i >= 0) {
        return (first, last);
    }
    // Each row's first row with its key, and where that key's entry went.
    let own = super::keymatch::find_rows(ky, ky, -1);
    let mut slot: Vec<usize> = vec![usize::MAX; at.len()];
    for (j, &f) in own.iter().enumerate() {
        if at[j] >= 0 {
            continue;
        }
        let f = f as usize;
        if slot[f] == usize::MAX {
            slot[f] = first.len();
            first.push(j as i64);
            last.push(j as i64);
        } else {
            last[slot[f]] = j as i64;
        }
    }
    (first, last)
}
