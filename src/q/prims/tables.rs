//! Table verbs over data: `keys xkey xcol xcols xasc xdesc cross lj ij uj`.

use super::hash::keys as item_keys;
use super::kit::{count, gather, items_of, unify};
use crate::obj::table::{columns, key_first, keyed_parts, table_from_dict, unkey};
use crate::obj::{Error, Result, Sym, K, *};

fn syms(x: &K) -> Result<Vec<Sym>> {
    match x.t() {
        t if t == -KS => Ok(vec![x.s()]),
        KS => Ok(x.as_slice::<Sym>().to_vec()),
        0 if x.n() == 0 => Ok(vec![]),
        _ => Err(Error::type_()),
    }
}

fn names_of(t: &K) -> Vec<Sym> {
    columns(t).as_slice::<Sym>().to_vec()
}

fn column(t: &K, name: Sym) -> Result<&K> {
    let i = names_of(t)
        .iter()
        .position(|&s| s == name)
        .ok_or_else(|| Error::new(name.as_bytes()))?;
    Ok(&t.table_dict().items()[1].items()[i])
}

/// A table of the named columns of t, in that order.
fn select(t: &K, names: &[Sym]) -> Result<K> {
    let cols: Vec<K> = names
        .iter()
        .map(|&s| column(t, s).cloned())
        .collect::<Result<_>>()?;
    table_from_dict(K::dict(K::from_slice(KS, names), K::list(cols)))
}

/// `keys t`: the key column names of a keyed table (none for a simple table).
pub fn keys(x: K) -> Result<K> {
    match x.t() {
        XT => Ok(K::vector(KS, 0)),
        XD => Ok(columns(keyed_parts(&x)?.0).clone()),
        _ => Err(Error::type_()),
    }
}

/// `` `a`b xcols t ``: those columns first, the others after in their order.
pub fn xcols(x: K, y: K) -> Result<K> {
    let front = syms(&x)?;
    let t = unkey(y)?;
    let mut order = front.clone();
    order.extend(names_of(&t).into_iter().filter(|s| !front.contains(s)));
    select(&t, &order)
}

/// `` `a xkey t ``: t keyed on those columns (moved to the front).
pub fn xkey(x: K, y: K) -> Result<K> {
    let k = syms(&x)?;
    let t = xcols(x, y)?;
    if k.is_empty() {
        return Ok(t);
    }
    key_first(k.len() as i64, t)
}

/// `` `x`y xcol t ``: the first columns renamed (or by a dict of old to new names).
pub fn xcol(x: K, y: K) -> Result<K> {
    crate::q::eval::stack::guard();
    if y.t() == XD {
        let nk = names_of(keyed_parts(&y)?.0).len();
        let t = xcol(x, unkey(y.clone())?)?;
        return key_first(nk as i64, t);
    }
    if y.t() != XT {
        return Err(Error::type_());
    }
    let mut names = names_of(&y);
    if x.t() == XD {
        let [old, new] = x.items() else {
            unreachable!()
        };
        for (o, n) in syms(old)?.into_iter().zip(syms(new)?) {
            // Every old name must be a column.
            let p = names
                .iter()
                .position(|&s| s == o)
                .ok_or_else(Error::length)?;
            names[p] = n;
        }
    } else {
        let new = syms(&x)?;
        if new.len() > names.len() {
            return Err(Error::length());
        }
        names[..new.len()].copy_from_slice(&new);
    }
    table_from_dict(K::dict(
        K::from_slice(KS, &names),
        y.table_dict().items()[1].clone(),
    ))
}

fn sort_by(x: K, y: K, desc: bool) -> Result<K> {
    crate::q::eval::stack::guard();
    let by = syms(&x)?;
    if y.t() == XD {
        let (kt, _) = keyed_parts(&y)?;
        let nk = names_of(kt).len();
        let t = sort_by(x, unkey(y.clone())?, desc)?;
        return key_first(nk as i64, t);
    }
    if y.t() != XT {
        return Err(Error::type_());
    }
    let idx = super::sort::grade(&select(&y, &by)?, desc)?;
    Ok(gather(&y, &idx))
}

/// `` `a xasc t ``: rows sorted by those columns.
pub fn xasc(x: K, y: K) -> Result<K> {
    sort_by(x, y, false)
}

/// `` `a xdesc t ``.
pub fn xdesc(x: K, y: K) -> Result<K> {
    sort_by(x, y, true)
}

/// `x cross y`: every pairing of an item of x with an item of y (rows, for tables).
pub fn cross(x: K, y: K) -> Result<K> {
    let (nx, ny) = (count(&x) as i64, count(&y) as i64);
    let total = nx.checked_mul(ny).ok_or_else(|| Error::new("wsfull"))?;
    super::kit::alloc_len(total as u64)?;
    let mut ix = super::kit::try_vec::<i64>(total as usize)?;
    ix.extend((0..total).map(|i| i / ny));
    let mut iy = super::kit::try_vec::<i64>(total as usize)?;
    iy.extend((0..total).map(|i| i % ny));
    if x.t() == XT && y.t() == XT {
        let (a, b) = (gather(&x, &ix), gather(&y, &iy));
        let mut names = names_of(&a);
        names.extend(names_of(&b));
        let mut cols = items_of(&a.table_dict().items()[1]);
        cols.extend(items_of(&b.table_dict().items()[1]));
        return table_from_dict(K::dict(K::from_slice(KS, &names), K::list(cols)));
    }
    // Each pair joined: `1 2 cross 3 4` pairs atoms, `(1 2;3 4) cross (5 6;7 8)` joins rows.
    let (x, y) = (super::kit::as_vector(&x), super::kit::as_vector(&y));
    let (a, b) = (gather(&x, &ix), gather(&y, &iy));
    let pairs: Vec<K> = super::kit::items_of(&a)
        .into_iter()
        .zip(super::kit::items_of(&b))
        .map(|(p, q)| super::join::join(p, q))
        .collect::<Result<_>>()?;
    Ok(K::list(pairs))
}

/// For each row of t, the row of keyed table kt with the same key (count of kt if none).
fn match_rows(t: &K, kt: &K) -> Result<(Vec<i64>, usize)> {
    let (k, _) = keyed_parts(kt)?;
    let knames = names_of(k);
    let probe = select(t, &knames)?;
    let n = count(k);
    Ok((super::keymatch::find_rows(k, &probe, n as i64), n))
}

/// t with the value columns of kt joined by key; `inner` keeps only rows that match.
fn join_keyed(t: K, kt: K, inner: bool) -> Result<K> {
    let keyed_left = t.t() == XD;
    let left_keys = if keyed_left {
        names_of(keyed_parts(&t)?.0).len()
    } else {
        0
    };
    let t = unkey(t)?;
    let (rows, n) = match_rows(&t, &kt)?;
    let (_, v) = keyed_parts(&kt)?;
    // An inner join keeps the rows that match; a left join keeps t as it is.
    let (t, rows) = if inner {
        // One pass: the rows of t kept and the rows of kt they take.
        let (mut keep, mut matched) = (Vec::new(), Vec::new());
        for (i, &r) in rows.iter().enumerate() {
            if (r as usize) < n {
                keep.push(i as i64);
                matched.push(r);
            }
        }
        (gather(&t, &keep), matched)
    } else {
        (t, rows)
    };
    let mut names = names_of(&t);
    let mut cols = items_of(&t.table_dict().items()[1]);
    for (name, col) in names_of(v)
        .into_iter()
        .zip(items_of(&v.table_dict().items()[1]))
    {
        let picked = pick_matched(&col, &rows, n);
        match names.iter().position(|&s| s == name) {
            // An existing column keeps its value where there was no match.
            Some(p) if cols[p].t() == col.t() && col.t() > 0 && col.t() < XT => {
                // Same simple type: the old column and kt's joined, each row picking one.
                let m = count(&cols[p]) as i64;
                let at: Vec<i64> = rows
                    .iter()
                    .enumerate()
                    .map(|(i, &r)| if (r as usize) < n { m + r } else { i as i64 })
                    .collect();
                let both = super::join::join(cols[p].clone(), col.clone())?;
                cols[p] = gather(&both, &at);
            }
            Some(p) => {
                let matched: Vec<u8> = rows.iter().map(|&r| ((r as usize) < n) as u8).collect();
                let old = items_of(&cols[p]);
                let new = items_of(&picked);
                cols[p] = unify(
                    matched
                        .iter()
                        .enumerate()
                        .map(|(i, &m)| {
                            if m != 0 {
                                new[i].clone()
                            } else {
                                old[i].clone()
                            }
                        })
                        .collect(),
                );
            }
            None => {
                names.push(name);
                cols.push(picked);
            }
        }
    }
    let out = table_from_dict(K::dict(K::from_slice(KS, &names), K::list(cols)))?;
    if keyed_left {
        key_first(left_keys as i64, out)
    } else {
        Ok(out)
    }
}

/// `t lj kt`: left join.
pub fn lj(x: K, y: K) -> Result<K> {
    join_keyed(x, y, false)
}

/// `t ij kt`: inner join.
pub fn ij(x: K, y: K) -> Result<K> {
    join_keyed(x, y, true)
}

/// `t uj u`: union join, rows of both with the union of their columns (nulls where absent).
pub fn uj(x: K, y: K) -> Result<K> {
    if x.t() == XD && y.t() == XD {
        return super::join::upsert_keyed(x, y);
    }
    if x.t() == XD || y.t() == XD {
        return Err(Error::type_());
    }
    if x.t() != XT || y.t() != XT {
        return Err(Error::type_());
    }
    let mut names = names_of(&x);
    names.extend(
        names_of(&y)
            .into_iter()
            .filter(|s| !names_of(&x).contains(s)),
    );
    let (nx, ny) = (count(&x), count(&y));
    let part = |t: &K, n: usize| -> Result<Vec<K>> {
        names
            .iter()
            .map(|&s| match column(t, s) {
                Ok(c) => Ok(c.clone()),
                Err(_) => {
                    let other = column(&x, s).or_else(|_| column(&y, s))?;
                    Ok(gather(other, &vec![-1; n]))
                }
            })
            .collect()
    };
    let (a, b) = (part(&x, nx)?, part(&y, ny)?);
    let cols: Vec<K> = a
        .into_iter()
        .zip(b)
        .map(|(p, q)| super::join::join(p, q))
        .collect::<Result<_>>()?;
    table_from_dict(K::dict(K::from_slice(KS, &names), K::list(cols)))
}

/// The type letter of a column for `meta`: lower case for vectors, upper case for a list of
/// vectors of one type, blank for other lists.
fn type_letter(c: &K) -> u8 {
    const LETTERS: &[u8; 20] = b" bg xhijefcspmdznuvt";
    match c.t() {
        t if t > 0 && t < 20 => LETTERS[t as usize],
        // Enumerations show as the symbols they stand for.
        ENUM_FIRST..=ENUM_LAST => b's',
        // kdb+ judges a list column by its first item only.
        0 => match c.items().first().map(K::t) {
            Some(t) if t > 0 && t < 20 => LETTERS[t as usize].to_ascii_uppercase(),
            _ => b' ',
        },
        _ => b' ',
    }
}

/// The attribute of x as a symbol (`` ` `` for none).
pub fn attr(x: K) -> Result<K> {
    let name: &[u8] = match x.attr() {
        ATTR_SORTED => b"s",
        ATTR_UNIQUE => b"u",
        ATTR_PARTED => b"p",
        ATTR_GROUPED => b"g",
        _ => b"",
    };
    Ok(K::sym(Sym::new(name)))
}

/// `meta t`: a table keyed by column name, with each column's type letter, foreign key (none
/// here: enumerations are the evaluator's) and attribute.
pub fn meta(x: K) -> Result<K> {
    let t = unkey(x)?;
    let names = names_of(&t);
    let cols = items_of(&t.table_dict().items()[1]);
    let letters: Vec<u8> = cols.iter().map(type_letter).collect();
    let attrs: Vec<Sym> = cols
        .iter()
        .map(|c| attr(c.clone()).map(|a| a.s()))
        .collect::<Result<_>>()?;
    let c = table_from_dict(K::dict(
        K::from_slice(KS, &[Sym::new("c")]),
        K::list(vec![K::from_slice(KS, &names)]),
    ))?;
    let v = table_from_dict(K::dict(
        K::from_slice(KS, &[Sym::new("t"), Sym::new("f"), Sym::new("a")]),
        K::list(vec![
            K::string(letters),
            K::from_slice(KS, &vec![Sym::empty(); names.len()]),
            K::from_slice(KS, &attrs),
        ]),
    ))?;
    Ok(K::dict(c, v))
}

/// `ungroup t`: each row whose list columns hold lists becomes one row per item of those
/// lists (the other columns repeated).
pub fn ungroup(x: K) -> Result<K> {
    let t = unkey(x)?;
    let names = names_of(&t);
    let cols = items_of(&t.table_dict().items()[1]);
    let nested: Vec<bool> = cols
        .iter()
        .map(|c| c.t() == 0 && c.items().iter().all(|k| k.t() >= 0))
        .collect();
    let Some(first) = nested.iter().position(|&b| b) else {
        return Ok(t);
    };
    let rows = count(&t);
    let mut idx: Vec<i64> = Vec::new();
    let mut counts = Vec::with_capacity(rows);
    for r in 0..rows {
        let n = count(&cols[first].items()[r]);
        counts.push(n);
        idx.extend(std::iter::repeat_n(r as i64, n));
    }
    let out: Vec<K> = cols
        .iter()
        .zip(&nested)
        .map(|(c, &is_nested)| {
            if !is_nested {
                return Ok(gather(c, &idx));
            }
            for (r, &n) in counts.iter().enumerate() {
                if count(&c.items()[r]) != n {
                    return Err(Error::length());
                }
            }
            super::lists::raze(c.clone())
        })
        .collect::<Result<_>>()?;
    table_from_dict(K::dict(K::from_slice(KS, &names), K::list(out)))
}

/// `aj[c;t;q]`: for each row of t, the last row of q with equal values in the first columns
/// of c and a time (the last column of c) not after t's; q's other columns are joined on.
pub fn aj(c: K, t: K, q: K) -> Result<K> {
    asof_join(c, t, q, false, false)
}

/// `aj0`: as `aj`, but the time column takes q's time of the matched row.
pub fn aj0(c: K, t: K, q: K) -> Result<K> {
    asof_join(c, t, q, true, false)
}

/// `ajf`: as `aj`, but a null in q leaves t's value in a column both share.
pub fn ajf(c: K, t: K, q: K) -> Result<K> {
    asof_join(c, t, q, false, true)
}

/// `ajf0`: `aj0` with `ajf`'s filling.
pub fn ajf0(c: K, t: K, q: K) -> Result<K> {
    asof_join(c, t, q, true, true)
}

/// For each row of t, the last row of q with the same values in the columns `eq` and a time
/// not after t's (-1 if none), by group ids over both tables' key columns and a binary search
/// in each group's rows (q sorted by time within each key, as aj requires). None when the key
/// columns are not of types group ids handle.
fn asof_rows(t: &K, q: &K, eq: &[Sym], tv: &[i64], qv: &[i64]) -> Result<Option<Vec<i64>>> {
    let (nt, nq) = (tv.len(), qv.len());
    let ids: Vec<u32> = if eq.is_empty() {
        vec![0; nt + nq]
    } else {
        let mut both = Vec::with_capacity(eq.len());
        for &c in eq {
            let (a, b) = (column(t, c)?, column(q, c)?);
            if a.t() != b.t() {
                return Ok(None);
            }
            both.push(super::join::join(a.clone(), b.clone())?);
        }
        match super::groupid::groups(&both) {
            Some(g) => g.id,
            None => return Ok(None),
        }
    };
    let (tid, qid) = ids.split_at(nt);
    let groups = ids.iter().map(|&g| g as usize + 1).max().unwrap_or(0);
    // q's rows by group, in order: a counting sort.
    let mut start = vec![0usize; groups + 1];
    for &g in qid {
        start[g as usize + 1] += 1;
    }
    for g in 0..groups {
        start[g + 1] += start[g];
    }
    let mut at = start.clone();
    let mut rows = vec![0u32; nq];
    for (r, &g) in qid.iter().enumerate() {
        rows[at[g as usize]] = r as u32;
        at[g as usize] += 1;
    }
    if let Some(m) = asof_by_cursor(tid, tv, qv, &rows, &start) {
        return Ok(Some(m));
    }
    Ok(Some(
        tid.iter()
            .zip(tv)
            .map(|(&g, &time)| {
                let rs = &rows[start[g as usize]..start[g as usize + 1]];
                match rs.partition_point(|&r| qv[r as usize] <= time) {
                    0 => -1,
                    k => rs[k - 1] as i64,
                }
            })
            .collect(),
    ))
}

/// `asof_rows`' matches when t's times are in order (a trade table is) and q's are in order
/// within each group: each group's position only moves forward, so the quotes are read once,
/// in order, instead of by a binary search per row. None when either is out of order (the
/// binary search answers then, as it always gives the same where both are in order).
fn asof_by_cursor(
    tid: &[u32],
    tv: &[i64],
    qv: &[i64],
    rows: &[u32],
    start: &[usize],
) -> Option<Vec<i64>> {
    if tv.windows(2).any(|w| w[0] > w[1]) {
        return None;
    }
    let in_order = start.windows(2).all(|s| {
        rows[s[0]..s[1]]
            .windows(2)
            .all(|r| qv[r[0] as usize] <= qv[r[1] as usize])
    });
    if !in_order {
        return None;
    }
    // Per group, how many of its rows have a time not after the current one.
    let mut seen: Vec<usize> = start[..start.len().saturating_sub(1)].to_vec();
    Some(
        tid.iter()
            .zip(tv)
            .map(|(&g, &time)| {
                let (g, end) = (g as usize, start[g as usize + 1]);
                let at = &mut seen[g];
                while *at < end && qv[rows[*at] as usize] <= time {
                    *at += 1;
                }
                if *at == start[g] {
                    -1
                } else {
                    rows[*at - 1] as i64
                }
            })
            .collect(),
    )
}

/// `asof_rows` for key columns of any type: keys hashed by value.
fn asof_rows_by_value(t: &K, q: &K, eq: &[Sym], tv: &[i64], qv: &[i64]) -> Result<Vec<i64>> {
    let (tk, qk) = if eq.is_empty() {
        (
            vec![super::hash::Key::Word(0); count(t)],
            vec![super::hash::Key::Word(0); count(q)],
        )
    } else {
        (item_keys(&select(t, eq)?), item_keys(&select(q, eq)?))
    };
    let mut groups: std::collections::HashMap<&super::hash::Key, Vec<usize>, super::hash::Build> =
        Default::default();
    for (i, k) in qk.iter().enumerate() {
        groups.entry(k).or_default().push(i);
    }
    let matched: Vec<i64> = tk
        .iter()
        .zip(tv)
        .map(|(k, &time)| {
            let Some(rows) = groups.get(k) else { return -1 };
            let n = rows.partition_point(|&r| qv[r] <= time);
            if n == 0 {
                -1
            } else {
                rows[n - 1] as i64
            }
        })
        .collect();
    Ok(matched)
}

fn asof_join(c: K, t: K, q: K, q_time: bool, fill: bool) -> Result<K> {
    let names = syms(&c)?;
    let Some((&time, eq)) = names.split_last() else {
        return Err(Error::length());
    };
    let (t, q) = (unkey(t)?, unkey(q)?);
    let (tt, qt) = (column(&t, time)?, column(&q, time)?);
    if !super::num::is_numeric(tt.t()) || !super::num::is_numeric(qt.t()) {
        return Err(Error::type_());
    }
    let float = |k: &K| matches!(k.t(), KE | KF | KZ);
    // Times as comparable longs (floats keep their order through their total order bits).
    let as_i64 = |k: &K| -> Vec<i64> {
        if float(k) {
            super::num::column::<f64>(k)
                .iter()
                .map(|v| if v.is_nan() { NJ } else { (v * 1e9) as i64 })
                .collect()
        } else {
            super::num::column::<i64>(k).into_owned()
        }
    };
    let (tv, qv) = (as_i64(tt), as_i64(qt));
    let matched = match asof_rows(&t, &q, eq, &tv, &qv)? {
        Some(m) => m,
        None => asof_rows_by_value(&t, &q, eq, &tv, &qv)?,
    };
    let mut out_names = names_of(&t);
    let mut out_cols = items_of(&t.table_dict().items()[1]);
    for (name, col) in names_of(&q)
        .into_iter()
        .zip(items_of(&q.table_dict().items()[1]))
    {
        let is_key = eq.contains(&name) || name == time && !q_time;
        if is_key {
            continue;
        }
        let picked = gather(&col, &matched);
        match out_names.iter().position(|&s| s == name) {
            Some(p) => {
                let old = items_of(&out_cols[p]);
                let new = items_of(&picked);
                let mut items = Vec::with_capacity(new.len());
                for (i, &m) in matched.iter().enumerate() {
                    let keep_old = m < 0 || fill && super::compare::null(new[i].clone())?.g() != 0;
                    items.push(if keep_old {
                        old[i].clone()
                    } else {
                        new[i].clone()
                    });
                }
                out_cols[p] = unify(items);
            }
            None => {
                out_names.push(name);
                out_cols.push(picked);
            }
        }
    }
    table_from_dict(K::dict(K::from_slice(KS, &out_names), K::list(out_cols)))
}

/// Items of a keyed table's value column for each matched row (`rows`, from `match_rows`; `n`
/// means no match), nulls where there is none.
fn pick_matched(col: &K, rows: &[i64], n: usize) -> K {
    let at: Vec<i64> = rows
        .iter()
        .map(|&r| if (r as usize) < n { r } else { -1 })
        .collect();
    gather(col, &at)
}

/// `t pj kt`: plus join, kt's value columns added to t's where the key matches.
pub fn pj(x: K, y: K) -> Result<K> {
    let t = unkey(x)?;
    let (rows, n) = match_rows(&t, &y)?;
    let (_, v) = keyed_parts(&y)?;
    let mut names = names_of(&t);
    let mut cols = items_of(&t.table_dict().items()[1]);
    for (name, col) in names_of(v)
        .into_iter()
        .zip(items_of(&v.table_dict().items()[1]))
    {
        // Unmatched rows add zero.
        let picked = pick_matched(&col, &rows, n);
        let zero = super::join::fill(K::long(0), picked)?;
        match names.iter().position(|&s| s == name) {
            Some(p) => cols[p] = super::arith::add(cols[p].clone(), zero)?,
            None => {
                names.push(name);
                cols.push(zero);
            }
        }
    }
    table_from_dict(K::dict(K::from_slice(KS, &names), K::list(cols)))
}

/// `ej[c;t1;t2]`: equi join, every pairing of rows of t1 and t2 equal on the columns c.
pub fn ej(c: K, x: K, y: K) -> Result<K> {
    let by = syms(&c)?;
    let (t1, t2) = (unkey(x)?, unkey(y)?);
    let k2 = item_keys(&select(&t2, &by)?);
    let mut groups: std::collections::HashMap<&super::hash::Key, Vec<i64>, super::hash::Build> =
        Default::default();
    for (i, k) in k2.iter().enumerate() {
        groups.entry(k).or_default().push(i as i64);
    }
    let (mut left, mut right) = (Vec::new(), Vec::new());
    for (i, k) in item_keys(&select(&t1, &by)?).iter().enumerate() {
        for &j in groups.get(k).map_or(&[][..], |v| &v[..]) {
            left.push(i as i64);
            right.push(j);
        }
    }
    let (a, b) = (gather(&t1, &left), gather(&t2, &right));
    let mut names = names_of(&a);
    let mut cols = items_of(&a.table_dict().items()[1]);
    for (name, col) in names_of(&b)
        .into_iter()
        .zip(items_of(&b.table_dict().items()[1]))
    {
        match names.iter().position(|&s| s == name) {
            Some(p) if !by.contains(&name) => cols[p] = col,
            Some(_) => {}
            None => {
                names.push(name);
                cols.push(col);
            }
        }
    }
    table_from_dict(K::dict(K::from_slice(KS, &names), K::list(cols)))
}

/// `` `a xgroup t ``: t keyed on the distinct values of those columns, each other column a
/// list of its values per key (in order of first occurrence).
pub fn xgroup(x: K, y: K) -> Result<K> {
    let by = syms(&x)?;
    let t = unkey(y)?;
    let keys_t = select(&t, &by)?;
    let groups = super::sets::group(keys_t.clone())?;
    let [firsts, lists] = groups.items() else {
        unreachable!()
    };
    let rest: Vec<Sym> = names_of(&t)
        .into_iter()
        .filter(|s| !by.contains(s))
        .collect();
    let key_table = firsts.clone();
    let cols: Vec<K> = rest
        .iter()
        .map(|&s| {
            let col = column(&t, s)?;
            Ok(K::list(
                lists
                    .items()
                    .iter()
                    .map(|idx| gather(col, idx.as_slice::<i64>()))
                    .collect(),
            ))
        })
        .collect::<Result<_>>()?;
    let v = table_from_dict(K::dict(K::from_slice(KS, &rest), K::list(cols)))?;
    Ok(K::dict(key_table, v))
}

/// `t asof y`: for a dict (or table) y of key values whose last is a time, t's other columns
/// at the last row of t matching y's keys with a time not after y's.
pub fn asof(x: K, y: K) -> Result<K> {
    let probe = if y.t() == XD {
        super::lists::enlist(y.clone())?
    } else {
        y.clone()
    };
    if probe.t() != XT {
        return Err(Error::type_());
    }
    let names = columns(&probe).clone();
    let joined = asof_join(names.clone(), probe, x, false, false)?;
    let by = syms(&names)?;
    let rest: Vec<Sym> = names_of(&joined)
        .into_iter()
        .filter(|s| !by.contains(s))
        .collect();
    let out = select(&joined, &rest)?;
    Ok(if y.t() == XD {
        super::kit::item(&out, 0)
    } else {
        out
    })
}
