//! Searching and sets: `distinct group ?(find) in within union inter except bin binr`.
//! Lookups hash their items (see `hash`), so they take linear time.

use std::collections::HashMap;

use super::hash::{distinct_indices, first_index, key_in, keys, Build, Key};
use super::kit::{as_vector, count, gather, item, items_of, unify};
use crate::obj::{Error, Result, K, *};
use crate::q::eval::stop;

/// `distinct`: the unique items in order of first occurrence (rows of a table).
pub fn distinct(x: K) -> Result<K> {
    match x.t() {
        t if t < 0 => Err(Error::type_()),
        XD => Ok(gather(&x.items()[1], &distinct_indices(&x.items()[1]))),
        _ => {
            let mut r = gather(&x, &distinct_indices(&x));
            if r.t() > 0 && r.t() < XT {
                r.set_attr(ATTR_NONE);
            }
            Ok(r)
        }
    }
}

/// `group`: a dict from each distinct item to the indices where it occurs.
pub fn group(x: K) -> Result<K> {
    if x.t() < 0 || x.t() >= UNARY {
        return Err(Error::type_());
    }
    if x.t() == XT {
        if let Some(g) = group_rows(&x)? {
            return Ok(g);
        }
    }
    if exact_bits(x.t()) {
        if let Some(g) = super::groupid::groups(std::slice::from_ref(&x)) {
            return positions(&x, &g);
        }
    }
    let ks = keys(&x);
    let mut order: Vec<usize> = Vec::new();
    let mut slots: HashMap<&Key, usize, Build> = HashMap::with_hasher(Build::default());
    let mut buckets: Vec<Vec<i64>> = Vec::new();
    let mut t = stop::Ticker::default();
    for (i, k) in ks.iter().enumerate() {
        t.tick()?;
        let s = *slots.entry(k).or_insert_with(|| {
            order.push(i);
            buckets.push(Vec::new());
            buckets.len() - 1
        });
        buckets[s].push(i as i64);
    }
    let firsts: Vec<i64> = order.iter().map(|&i| i as i64).collect();
    let vals = stop::map(&buckets, |b| K::from_slice(KJ, b))?;
    Ok(K::dict(gather(&x, &firsts), K::list(vals)))
}

/// `group` of a table whose columns compare by their bits (integers, temporal values,
/// symbols, chars, booleans), through group ids: no object per row. None for other columns.
fn group_rows(x: &K) -> Result<Option<K>> {
    let cols = items_of(&x.table_dict().items()[1]);
    if cols.is_empty() || !cols.iter().all(|c| exact_bits(c.t())) {
        return Ok(None);
    }
    match super::groupid::groups(&cols) {
        Some(g) => positions(x, &g).map(Some),
        None => Ok(None),
    }
}

/// Simple vector types whose items are equal exactly when their bits are (integers, temporal
/// values, symbols, chars, booleans).
fn exact_bits(t: i8) -> bool {
    t > 0 && t < 20 && !matches!(t, KE | KF | KZ | UU)
}

/// `group x` from x's group ids: each group's first item (row) mapped to its positions, groups
/// as they first occur (the ids number them in key order). Each group's list is sized from the
/// group sizes and written in one pass over the rows.
fn positions(x: &K, g: &super::groupid::Groups) -> Result<K> {
    let firsts = g.firsts();
    let mut order: Vec<usize> = (0..g.count).collect();
    order.sort_unstable_by_key(|&k| firsts[k]);
    // Many groups are many lists: made, filled and ordered a chunk at a time (`'stop`).
    let mut lists = stop::map(g.sizes(), |&c| K::vector(KJ, c as usize))?;
    {
        let mut out: Vec<&mut [i64]> = lists.iter_mut().map(|l| l.as_mut_slice()).collect();
        let mut at = vec![0usize; g.count];
        stop::chunked(g.id.len(), |rows| {
            for r in rows {
                let k = g.id[r] as usize;
                out[k][at[k]] = r as i64;
                at[k] += 1;
            }
        })?;
    }
    let keys: Vec<i64> = order.iter().map(|&k| firsts[k]).collect();
    let vals = stop::map(&order, |&k| lists[k].clone())?;
    Ok(K::dict(gather(x, &keys), K::list(vals)))
}

/// `x?y`: the index of each y in x (count of x where absent); for a dict, the key of a value.
pub fn find(x: K, y: K) -> Result<K> {
    crate::q::eval::stack::guard();
    if x.t() == XT && y.t() != XT {
        // A row: a dict of column values, or the values in column order; found as a one-row
        // table is (floats exact: basics/precision.md lists `?` among the keywords without
        // comparison tolerance).
        let names = crate::obj::table::columns(&x).clone();
        let row = if y.t() == XD {
            y
        } else {
            K::dict(names.clone(), y)
        };
        let n = count(&x) as i64;
        let [k, v] = row.items() else { unreachable!() };
        if count(k) != count(v) {
            return Ok(K::long(n));
        }
        if !super::compare::identical(k, &names) {
            // Keys that are not the column names in order: no row matches.
            return Ok(K::long(n));
        }
        let cols = items_of(&x.table_dict().items()[1]);
        return Ok(K::long(
            first_row(&cols, &items_of(v)).map_or(n, |i| i as i64),
        ));
    }
    if x.t() == XT && y.t() == XT {
        // Each row of y in x, hashed by columns (rows of other names match none).
        let n = count(&x) as i64;
        return Ok(K::from_slice(KJ, &super::keymatch::find_rows(&x, &y, n)));
    }
    if x.t() == XD {
        let [k, v] = x.items() else { unreachable!() };
        let i = find(v.clone(), y)?;
        return Ok(match i.t() {
            t if t < 0 => item_or_null(k, i.j()),
            KJ => gather(k, i.as_slice::<i64>()),
            _ => unify(
                items_of(&i)
                    .iter()
                    .map(|j| item_or_null(k, super::kit::int_atom(j).unwrap_or(-1)))
                    .collect(),
            ),
        });
    }
    if x.t() < 0 {
        // `n?m`: roll, deal or permute.
        return super::random::roll(x, y);
    }
    let n = count(&x) as i64;
    if y.t() == x.t() {
        if let (Some(xw), Some(yw)) = (super::hash::words(&x), super::hash::words(&y)) {
            let v: Vec<i64> = super::hash::find_words(&xw, &yw)
                .into_iter()
                .map(|i| i.map_or(n, |i| i as i64))
                .collect();
            return Ok(K::from_slice(KJ, &v));
        }
    }
    let xk = keys(&x);
    let index = first_index(&xk);
    let look = |k: Option<Key>| {
        k.and_then(|k| index.get(&k).map(|&i| i as i64))
            .unwrap_or(n)
    };
    let xt = x.t();
    if y.t() < 0 || y.t() >= UNARY {
        return Ok(K::long(look(key_in(xt, &y))));
    }
    if xt == 0 {
        // A general list: an atom or vector y is one item; a general list y, a list of them
        // (`u?(2 3;`ab)` looks for 2 3 and `ab).
        if y.t() != 0 {
            return Ok(K::long(look(key_in(xt, &y))));
        }
        let v: Vec<i64> = items_of(&y).iter().map(|k| look(key_in(xt, k))).collect();
        return Ok(K::from_slice(KJ, &v));
    }
    if y.t() == xt && xt > 0 && xt < XT {
        let yk = keys(&y);
        let v: Vec<i64> = yk
            .iter()
            .map(|k| index.get(k).map_or(n, |&i| i as i64))
            .collect();
        return Ok(K::from_slice(KJ, &v));
    }
    let v: Vec<K> = items_of(&y)
        .into_iter()
        .map(|k| find(x.clone(), k))
        .collect::<Result<_>>()?;
    Ok(if v.is_empty() {
        K::vector(KJ, 0)
    } else {
        unify(v)
    })
}

/// The first row whose value in each of `cols` is the matching one of `vals` (floats exact),
/// narrowing the candidate rows column by column: simple columns by their items' keys, without
/// an object per row; other columns test only the rows still in question.
fn first_row(cols: &[K], vals: &[K]) -> Option<usize> {
    let n = cols.first().map_or(0, count);
    let simple = |t: i8| t > 0 && t < XT && !owns_items(t);
    let mut rows: Vec<usize> = Vec::new();
    let mut all = true;
    let mut order: Vec<usize> = (0..cols.len()).collect();
    order.sort_by_key(|&c| !simple(cols[c].t()));
    for c in order {
        let (col, v) = (&cols[c], &vals[c]);
        let keep = |i: &usize| super::compare::identical(&item(col, *i), v);
        if simple(col.t()) && col.t() != UU {
            if v.t() != -col.t() {
                return None;
            }
            // Raw items, floats exact (nulls equal, zeros equal), as `keys` takes them.
            let float = |w: u64| match col.t() {
                KE => super::hash::float_word(f32::from_bits(w as u32) as f64),
                KF | KZ => super::hash::float_word(f64::from_bits(w)),
                _ => w,
            };
            let want = float(super::kit::raw_word(v, 0));
            let same = |i: &usize| float(super::kit::raw_word(col, *i)) == want;
            rows = if all {
                (0..n).filter(same).collect()
            } else {
                rows.into_iter().filter(same).collect()
            };
        } else {
            rows = if all {
                (0..n).filter(keep).collect()
            } else {
                rows.into_iter().filter(keep).collect()
            };
        }
        all = false;
        if rows.is_empty() {
            return None;
        }
    }
    if all {
        // No columns: the first row, if any.
        return (n > 0).then_some(0);
    }
    rows.first().copied()
}

fn item_or_null(k: &K, i: i64) -> K {
    if i >= 0 && (i as usize) < count(k) {
        item(k, i as usize)
    } else {
        super::kit::null_atom(k.t())
    }
}

/// `x in y`: whether each x is an item of y. Against a general list, x is one item when its
/// type is that of y's first item, a list of candidate items when its items are; otherwise
/// it is not found (kdb+'s rule: `3 in (1 2;3)` is 0b, `3 in (3;1 2)` is 1b).
pub fn in_(x: K, y: K) -> Result<K> {
    crate::q::eval::stack::guard();
    if y.t() == XT && matches!(x.t(), XT | XD) {
        // Rows of a table (or one row, a dict) among a table's rows: `y?x` is less than its
        // count.
        let n = count(&y) as i64;
        let at = find(y, x)?;
        return Ok(match at.t() {
            KJ => K::from_slice(
                KB,
                &at.as_slice::<i64>()
                    .iter()
                    .map(|&i| (i < n) as u8)
                    .collect::<Vec<u8>>(),
            ),
            _ => K::bool(at.j() < n),
        });
    }
    if y.t() < 0 {
        return in_(x, as_vector(&y));
    }
    let yt = y.t();
    if yt == 0 {
        let Some(t0) = y.items().first().map(K::t) else {
            return Ok(if x.t() < 0 {
                K::bool(false)
            } else {
                K::from_slice(KB, &vec![0u8; count(&x)])
            });
        };
        if x.t() == t0 {
            return Ok(K::bool(
                y.items().iter().any(|k| super::compare::identical(k, &x)),
            ));
        }
        if x.t() > 0 && x.t() == t0.wrapping_neg() || x.t() == 0 {
            let v: Vec<K> = items_of(&x)
                .into_iter()
                .map(|k| in_(k, y.clone()))
                .collect::<Result<_>>()?;
            return Ok(unify(v));
        }
        return Ok(K::bool(false));
    }
    let (xt, nt) = (x.t().wrapping_abs(), yt);
    let y = if xt != nt
        && super::num::is_numeric(xt)
        && super::num::is_numeric(nt)
        && xt != KC
        && nt != KC
    {
        // Numbers of another type are compared by value, but only against a single item.
        if count(&y) != 1 {
            return Err(Error::type_());
        }
        super::cast::convert(&y, xt)
    } else {
        y
    };
    if x.t() == y.t() {
        if let (Some(xw), Some(yw)) = (super::hash::words(&x), super::hash::words(&y)) {
            let v: Vec<u8> = super::hash::find_words(&yw, &xw)
                .into_iter()
                .map(|i| i.is_some() as u8)
                .collect();
            return Ok(K::from_slice(KB, &v));
        }
    }
    let yk = keys(&y);
    let index = first_index(&yk);
    let yt = y.t();
    if x.t() < 0 || x.t() >= UNARY {
        return Ok(K::bool(
            key_in(yt, &x).is_some_and(|k| index.contains_key(&k)),
        ));
    }
    if x.t() == yt && yt > 0 && yt < XT {
        let v: Vec<u8> = keys(&x)
            .iter()
            .map(|k| index.contains_key(k) as u8)
            .collect();
        return Ok(K::from_slice(KB, &v));
    }
    let v: Vec<K> = items_of(&x)
        .into_iter()
        .map(|k| in_(k, y.clone()))
        .collect::<Result<_>>()?;
    Ok(unify(v))
}

/// `x within (lo;hi)`: lo <= x <= hi.
pub fn within(x: K, y: K) -> Result<K> {
    if count(&y) != 2 || y.t() < 0 {
        return Err(Error::length());
    }
    let (lo, hi) = (item(&y, 0), item(&y, 1));
    let a = super::compare::ge(x.clone(), lo)?;
    let b = super::compare::le(x, hi)?;
    super::arith::and(a, b)
}

/// `x union y`: distinct items of both.
pub fn union(x: K, y: K) -> Result<K> {
    distinct(super::join::join(x, y)?)
}

/// `x inter y`: the items of x that are in y.
pub fn inter(x: K, y: K) -> Result<K> {
    keep(x, y, true)
}

/// `x except y`: the items of x that are not in y.
pub fn except(x: K, y: K) -> Result<K> {
    keep(x, y, false)
}

fn keep(x: K, y: K, present: bool) -> Result<K> {
    // A dictionary takes part through its values.
    let x = as_vector(&dict_values(x));
    let y = as_vector(&dict_values(y));
    if x.t() == y.t() {
        if let (Some(xw), Some(yw)) = (super::hash::words(&x), super::hash::words(&y)) {
            let found = super::hash::find_words(&yw, &xw);
            let idx: Vec<i64> = found
                .iter()
                .enumerate()
                .filter(|(_, f)| f.is_some() == present)
                .map(|(i, _)| i as i64)
                .collect();
            return Ok(gather(&x, &idx));
        }
    }
    let yk = keys(&y);
    let index = first_index(&yk);
    let same = x.t() == y.t();
    let idx: Vec<i64> = keys(&x)
        .iter()
        .enumerate()
        .filter(|(i, k)| {
            let found = if same {
                index.contains_key(k)
            } else {
                key_in(y.t(), &item(&x, *i)).is_some_and(|k| index.contains_key(&k))
            };
            found == present
        })
        .map(|(i, _)| i as i64)
        .collect();
    Ok(gather(&x, &idx))
}

fn dict_values(d: K) -> K {
    if d.t() != XD {
        return d;
    }
    d.items()[1].clone()
}

/// `x bin y`: for sorted x, the index of the last item <= y (-1 if none); `binr`: the first
/// item >= y (count if none).
pub fn bin(x: K, y: K) -> Result<K> {
    search(x, y, false)
}

pub fn binr(x: K, y: K) -> Result<K> {
    search(x, y, true)
}

fn search(x: K, y: K, right: bool) -> Result<K> {
    crate::q::eval::stack::guard();
    if x.t() == XT && !right {
        return table_bin(&x, &y);
    }
    if x.t() == XD && x.items()[0].t() == XT && !right {
        // A keyed table: the keys of the rows found (null keys where none).
        let (k, v) = crate::obj::table::keyed_parts(&x)?;
        let at = table_bin(v, &y)?;
        return super::index::at(k.clone(), at);
    }
    if x.t() == XD {
        let [k, v] = x.items() else { unreachable!() };
        let i = search(v.clone(), y, right)?;
        return Ok(if i.t() < 0 {
            item_or_null(k, i.j())
        } else {
            gather(k, i.as_slice::<i64>())
        });
    }
    if x.t() < 0 {
        return Err(Error::type_());
    }
    if let Some(r) = search_typed(&x, &y, right) {
        return Ok(r);
    }
    // Items are read at the probes only: a lookup takes log n steps, never a pass over x.
    let len = count(&x);
    let numeric = super::num::is_numeric(x.t()) && super::num::is_numeric(y.t());
    // Is item a before (or, for bin, equal to) v in q's order?
    let before = |a: &K, v: &K| -> Result<bool> {
        if numeric {
            let r = if right {
                super::compare::lt(a.clone(), v.clone())?
            } else {
                super::compare::le(a.clone(), v.clone())?
            };
            return Ok(r.g() != 0);
        }
        let o = super::sort::order_k(a, v);
        Ok(if right { o.is_lt() } else { o.is_le() })
    };
    let one = |v: &K| -> Result<i64> {
        let (mut lo, mut hi) = (0usize, len);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if before(&item(&x, mid), v)? {
                lo = mid + 1
            } else {
                hi = mid
            }
        }
        Ok(if right { lo as i64 } else { lo as i64 - 1 })
    };
    let y_is_item = y.t() < 0 || x.t() == 0 && y.t() != 0;
    if y_is_item {
        return Ok(K::long(one(&y)?));
    }
    let v: Vec<i64> = items_of(&y).iter().map(one).collect::<Result<_>>()?;
    Ok(K::from_slice(KJ, &v))
}

/// `bin`/`binr` of a simple vector and an atom or vector of its own type, by binary search on
/// the machine values (q's order: nulls first); None for other shapes.
fn search_typed(x: &K, y: &K, right: bool) -> Option<K> {
    let t = x.t();
    if t <= 0 || t >= XT || t == UU || y.t().wrapping_abs() != t {
        return None;
    }
    fn run<T: Copy>(
        xs: &[T],
        ys: &[T],
        atom: bool,
        right: bool,
        ord: impl Fn(&T, &T) -> std::cmp::Ordering,
    ) -> K {
        let one = |v: &T| -> i64 {
            let p = xs.partition_point(|a| {
                let o = ord(a, v);
                if right {
                    o.is_lt()
                } else {
                    o.is_le()
                }
            });
            if right {
                p as i64
            } else {
                p as i64 - 1
            }
        };
        if atom {
            K::long(one(&ys[0]))
        } else {
            K::from_fn(KJ, ys.len(), |i| one(&ys[i]))
        }
    }
    let atom = y.t() < 0;
    let y = &if atom { as_vector(y) } else { y.clone() };
    fn float<F: Copy + PartialOrd>(a: F, b: F) -> std::cmp::Ordering {
        // Nulls (NaN, the only value unequal to itself) first.
        #[allow(clippy::eq_op)]
        match (a != a, b != b) {
            (true, true) => std::cmp::Ordering::Equal,
            (true, false) => std::cmp::Ordering::Less,
            (false, true) => std::cmp::Ordering::Greater,
            _ => a.partial_cmp(&b).unwrap_or(std::cmp::Ordering::Equal),
        }
    }
    Some(match t {
        KS => run(
            x.as_slice::<Sym>(),
            y.as_slice::<Sym>(),
            atom,
            right,
            super::compare::sym_order,
        ),
        KE => run(
            x.as_slice::<f32>(),
            y.as_slice::<f32>(),
            atom,
            right,
            |a, b| float(*a, *b),
        ),
        KF | KZ => run(
            x.as_slice::<f64>(),
            y.as_slice::<f64>(),
            atom,
            right,
            |a, b| float(*a, *b),
        ),
        KB | KG | KC => run(x.as_slice::<u8>(), y.as_slice::<u8>(), atom, right, u8::cmp),
        _ if owns_items(t) => return None,
        _ => match item_size(t) {
            2 => run(
                x.as_slice::<i16>(),
                y.as_slice::<i16>(),
                atom,
                right,
                i16::cmp,
            ),
            4 => run(
                x.as_slice::<i32>(),
                y.as_slice::<i32>(),
                atom,
                right,
                i32::cmp,
            ),
            8 => run(
                x.as_slice::<i64>(),
                y.as_slice::<i64>(),
                atom,
                right,
                i64::cmp,
            ),
            _ => return None,
        },
    })
}

/// `t bin r`: the row of t matching r (a dict or a table of rows) in all but r's last column,
/// and the last row of those whose last column is <= r's (t sorted within each group); null
/// where there is none.
fn table_bin(t: &K, y: &K) -> Result<K> {
    let rows: Vec<K> = match y.t() {
        XD => vec![y.clone()],
        XT => items_of(y),
        _ => return Err(Error::type_()),
    };
    let tcols = t.table_dict();
    let column = |name: &K| -> Result<K> {
        let at = super::kit::items_of(&tcols.items()[0])
            .iter()
            .position(|c| super::compare::matches(c, name))
            .ok_or_else(|| {
                Error::new(if name.t() == -KS {
                    name.s().as_bytes().to_vec()
                } else {
                    b"type".to_vec()
                })
            })?;
        Ok(tcols.items()[1].items()[at].clone())
    };
    let n = crate::obj::table::row_count(t);
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let names = items_of(&r.items()[0]);
        let vals = items_of(&r.items()[1]);
        let cols: Vec<K> = names.iter().map(column).collect::<Result<_>>()?;
        let Some((last, group)) = cols.split_last() else {
            return Err(Error::length());
        };
        let v = &vals[vals.len() - 1];
        let found = (0..n)
            .rev()
            .filter(|&i| {
                group
                    .iter()
                    .zip(&vals)
                    .all(|(c, g)| super::compare::matches(&item(c, i), g))
            })
            .find(|&i| super::sort::order_k(&item(last, i), v).is_le());
        out.push(found.map_or(NJ, |i| i as i64));
    }
    Ok(if y.t() == XD {
        K::long(out[0])
    } else {
        K::from_slice(KJ, &out)
    })
}

/// `?[c;a;b]`: a where c is true, else b (atoms stretch), the vector conditional.
pub fn vector_cond(c: K, a: K, b: K) -> Result<K> {
    if c.t() != KB {
        return Err(Error::type_());
    }
    let n = c.n();
    for v in [&a, &b] {
        if v.t() >= 0 && count(v) != n {
            return Err(Error::length());
        }
    }
    let m = c.as_slice::<u8>();
    let out: Vec<K> = (0..n)
        .map(|i| {
            let src = if m[i] != 0 { &a } else { &b };
            if src.t() < 0 {
                src.clone()
            } else {
                item(src, i)
            }
        })
        .collect();
    Ok(unify(out))
}
