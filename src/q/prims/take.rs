//! Taking and dropping: `#` take (cycling, reshape, dict and table take), `_` drop and cut,
//! `cut sublist rotate`, and `!` as dict/key maker.

use super::kit::{count, gather, int_atom, int_list, items_of, unify};
use crate::obj::table::{columns, key_first, table_from_dict, unkey};
use crate::obj::{Error, Result, Sym, K, *};
use crate::q::eval::stop;

/// Indices for taking `n` items from `len`, cycling; negative `n` takes from the end.
fn take_indices(n: i64, len: usize) -> Result<Vec<i64>> {
    let len = len as i64;
    let m = n.unsigned_abs() as usize;
    if len == 0 {
        return Ok(vec![-1; m]);
    }
    // Taking from the end starts that many items before the end, cycling.
    let first = if n >= 0 { 0 } else { len - (m as i64) % len };
    let mut out = Vec::with_capacity(m);
    stop::chunked(m, |r| {
        out.extend(r.map(|i| (first + i as i64) % len));
    })?;
    Ok(out)
}

/// `n#y` for a simple atom or non-empty simple vector y: its items repeated into one block
/// allocated once (no index per item: `1e9#"a"` needs 1 GB, not 9).
fn cycle(y: &K, n: i64) -> Result<K> {
    let t = y.t().wrapping_abs();
    let y = if y.t() < 0 {
        super::kit::as_vector(y)
    } else {
        y.clone()
    };
    let len = y.n();
    let m = n.unsigned_abs() as usize;
    // Taking from the end starts that many items before the end, cycling.
    let start = if n >= 0 { 0 } else { (len - m % len) % len };
    fn fill<T: crate::obj::Item>(src: &[T], out: &mut [T], start: usize) -> Result<()> {
        // One period of the cycle, then the filled part copied onto the rest, doubling (in
        // steps of at most a chunk, checking for 'stop between).
        let (mut at, mut from) = (0, start);
        let step = src.len() * (stop::CHUNK / src.len()).max(1);
        while at < out.len() && at < src.len() {
            stop::check()?;
            let k = (src.len() - from)
                .min(out.len() - at)
                .min(src.len() - at)
                .min(stop::CHUNK);
            out[at..at + k].copy_from_slice(&src[from..from + k]);
            at += k;
            from = (from + k) % src.len();
        }
        while at < out.len() {
            stop::check()?;
            // `at` is a whole number of periods here, and stays one: a step is whole periods
            // unless it is the last.
            let k = at.min(out.len() - at).min(step);
            out.copy_within(0..k, at);
            at += k;
        }
        Ok(())
    }
    let mut r = K::vector(t, m);
    match t {
        KS => fill(y.as_slice::<Sym>(), r.as_mut_slice::<Sym>(), start)?,
        UU => fill(y.as_slice::<Guid>(), r.as_mut_slice::<Guid>(), start)?,
        _ => match item_size(t) {
            1 => fill(y.as_slice::<u8>(), r.as_mut_slice::<u8>(), start)?,
            2 => fill(y.as_slice::<i16>(), r.as_mut_slice::<i16>(), start)?,
            4 => fill(y.as_slice::<i32>(), r.as_mut_slice::<i32>(), start)?,
            _ => fill(y.as_slice::<i64>(), r.as_mut_slice::<i64>(), start)?,
        },
    }
    Ok(r)
}

/// `x#y`.
pub fn take(x: K, y: K) -> Result<K> {
    if x.t() == XT && y.t() == XD && y.items()[0].t() == XT {
        // A table of keys # a keyed table: those rows (nulls where a key is missing).
        let (k, v) = crate::obj::table::keyed_parts(&y)?;
        let idx = super::keymatch::find_rows(k, &x, -1);
        return Ok(K::dict(x, gather(v, &idx)));
    }
    match x.t() {
        t if t == -KS && y.t() >= 0 && y.t() < XT => return set_attribute(x.s(), y),
        // `` `s#d ``: the attribute goes on the keys (a sorted dictionary is a step function).
        t if t == -KS && y.t() == XD && y.items()[0].t() != XT => {
            let [k, v] = y.items() else { unreachable!() };
            return Ok(K::dict(set_attribute(x.s(), k.clone())?, v.clone()));
        }
        // `` `s#t ``: a sorted table; `` `s#kt `` sorts the key table.
        t if t == -KS && x.s().as_bytes() == b"s" && y.t() == XT => return sorted_table(y),
        t if t == -KS && x.s().as_bytes() == b"s" && y.t() == XD && y.items()[0].t() == XT => {
            let [k, v] = y.items() else { unreachable!() };
            return Ok(K::dict(sorted_table(k.clone())?, v.clone()));
        }
        t if t == -KS || t == KS => return take_keys(x, y),
        t if t > 0 && t < XT => return reshape(x, y),
        _ => {}
    }
    let n = int_atom(&x)?;
    if n == NJ {
        return Ok(y);
    }
    super::kit::alloc_len(n.unsigned_abs())?;
    match y.t() {
        XD => {
            let [k, v] = y.items() else { unreachable!() };
            let idx = take_indices(n, count(k))?;
            Ok(K::dict(gather(k, &idx), gather(v, &idx)))
        }
        t if t < 0 && n == 0 && t != ERROR => Ok(K::vector(-t, 0)),
        t if (-19..0).contains(&t) || (1..20).contains(&t) && count(&y) > 0 => cycle(&y, n),
        t if !(0..UNARY).contains(&t) => {
            let m = n.unsigned_abs() as usize;
            let mut items = Vec::with_capacity(m);
            stop::chunked(m, |r| items.extend(r.map(|_| y.clone())))?;
            Ok(unify(items))
        }
        _ => Ok(gather(&y, &take_indices(n, count(&y))?)),
    }
}

/// `` `s#x ``: x with an attribute (`s sorted, `u unique, `p parted, `g grouped); `` ` `` none.
fn set_attribute(a: Sym, mut y: K) -> Result<K> {
    let attr = match a.as_bytes() {
        b"" => ATTR_NONE,
        b"s" => ATTR_SORTED,
        b"u" => ATTR_UNIQUE,
        b"p" => ATTR_PARTED,
        b"g" => ATTR_GROUPED,
        _ => return Err(Error::domain()),
    };
    if attr == ATTR_SORTED
        && super::sort::grade(&y, false)?
            .iter()
            .enumerate()
            .any(|(i, &j)| i as i64 != j)
    {
        return Err(Error::new("s-fail"));
    }
    if attr == ATTR_UNIQUE && super::sets::distinct(y.clone())?.n() != y.n() {
        return Err(Error::new("u-fail"));
    }
    // kdb+ marks a list in order sorted in place: `` `s#x `` unassigned changes x.
    if attr == ATTR_SORTED && y.t() > 0 && y.t() < XT && y.attr() == ATTR_NONE {
        y.mark_in_place(attr);
    }
    y.set_attr(attr);
    Ok(y)
}

/// `` `s#t ``: kdb+ checks the rows are in order (`'s-fail`), marks the table sorted and its
/// first column parted (`meta` shows `p` there).
fn sorted_table(t: K) -> Result<K> {
    if super::sort::grade(&t, false)?
        .iter()
        .enumerate()
        .any(|(i, &j)| i as i64 != j)
    {
        return Err(Error::new("s-fail"));
    }
    let d = t.table_dict();
    // In place, as kdb+ does (`` `s#t `` unassigned changes t, set-attribute.md b1.1), where
    // nothing marked otherwise would be overwritten.
    let first = d.items()[1].items().first();
    if matches!(t.attr(), ATTR_NONE | ATTR_SORTED)
        && first.is_none_or(|c| matches!(c.attr(), ATTR_NONE | ATTR_PARTED))
    {
        if let Some(c) = first {
            c.mark_in_place(ATTR_PARTED);
        }
        t.mark_in_place(ATTR_SORTED);
        if t.attr() == ATTR_SORTED && first.is_none_or(|c| c.attr() == ATTR_PARTED) {
            return Ok(t);
        }
    }
    let mut cols = d.items()[1].items().to_vec();
    if let Some(first) = cols.first_mut() {
        first.set_attr(ATTR_PARTED);
    }
    let mut out = table_from_dict(K::dict(d.items()[0].clone(), K::list(cols)))?;
    out.set_attr(ATTR_SORTED);
    Ok(out)
}

/// `` `a`b#d `` (those keys of a dict) and `` `a`b#t `` (those columns of a table).
fn take_keys(x: K, y: K) -> Result<K> {
    let names = super::kit::as_vector(&x);
    match y.t() {
        XT => {
            let d = y.table_dict();
            let idx = positions(names.as_slice::<Sym>(), d.items()[0].as_slice::<Sym>())?;
            table_from_dict(K::dict(names.clone(), gather(&d.items()[1], &idx)))
        }
        XD => {
            let [k, v] = y.items() else { unreachable!() };
            // Symbols # keyed table: kdb+ documents a table of keys # keyed table (below) but
            // not names, and whether they would pick keys or value columns is not known.
            if v.t() == XT {
                return Err(Error::nyi());
            }
            if k.t() != KS {
                return Err(Error::type_());
            }
            let idx: Vec<i64> = names
                .as_slice::<Sym>()
                .iter()
                .map(|s| {
                    k.as_slice::<Sym>()
                        .iter()
                        .position(|a| a == s)
                        .map_or(-1, |i| i as i64)
                })
                .collect();
            Ok(K::dict(names.clone(), gather(v, &idx)))
        }
        _ => Err(Error::type_()),
    }
}

fn positions(want: &[Sym], have: &[Sym]) -> Result<Vec<i64>> {
    want.iter()
        .map(|s| {
            have.iter()
                .position(|a| a == s)
                .map(|i| i as i64)
                .ok_or_else(|| Error::new(s.as_bytes()))
        })
        .collect()
}

/// `2 3#x`: a matrix of 2 rows of 3, cycling through x; `0N 3#x` as many rows as x fills.
fn reshape(x: K, y: K) -> Result<K> {
    crate::q::eval::stack::guard();
    let dims = int_list(&x)?;
    let y = if y.t() < 0 || y.t() >= UNARY {
        super::kit::as_vector(&y)
    } else {
        y
    };
    if dims.len() > 2 {
        // 2 2 3#x: the last two dimensions shape each block of the first.
        // No nulls or negatives; only the last dimension may be 0 (`1 2 0#"a"` but not `1 0 2#`).
        if dims.iter().any(|&d| d < 0) || dims[..dims.len() - 1].contains(&0) {
            return Err(Error::domain());
        }
        let inner: i64 = dims[1..].iter().product();
        super::kit::alloc_len((inner as u64).saturating_mul(dims[0] as u64))?;
        let flat = gather(&y, &take_indices(inner * dims[0], count(&y))?);
        let blocks: Vec<K> = (0..dims[0])
            .map(|b| {
                let part = gather(&flat, &(b * inner..(b + 1) * inner).collect::<Vec<_>>());
                reshape(K::from_slice(KJ, &dims[1..]), part)
            })
            .collect::<Result<_>>()?;
        return Ok(K::list(blocks));
    }
    if let [n] = dims[..] {
        // A shape of one dimension is a take.
        return take(K::long(n), y);
    }
    // An empty shape (`(0#0)#y`): what kdb+ makes of it is not documented.
    if dims.len() != 2 {
        return Err(Error::nyi());
    }
    let len = count(&y) as i64;
    if dims[0] != NJ && dims[0] > 0 && dims[1] == NJ {
        // `r 0N#y` (kdb+ 4.1): r rows of len div r items, the last row taking the rest.
        let r = dims[0];
        let c = len / r;
        // Each row is an object: check the rows fit before making them.
        super::kit::alloc_len((r as u64).saturating_mul(4))?;
        let out: Vec<K> = (0..r)
            .map(|i| {
                let end = if i == r - 1 { len } else { (i + 1) * c };
                gather(&y, &(i * c..end).collect::<Vec<_>>())
            })
            .collect();
        return Ok(K::list(out));
    }
    let (rows, cols) = match (dims[0], dims[1]) {
        (NJ, c) if c > 0 => ((len + c - 1) / c, c),
        (r, c) if r >= 0 && c >= 0 => (r, c),
        _ => return Err(Error::domain()),
    };
    super::kit::alloc_len((rows as u64).saturating_mul(cols as u64))?;
    super::kit::alloc_len((rows as u64).saturating_mul(4))?;
    let cycle = dims[0] != NJ && dims[1] != NJ;
    let out: Vec<K> = (0..rows)
        .map(|r| {
            let idx: Vec<i64> = (0..cols)
                .map(|c| r * cols + c)
                .filter(|&i| cycle || i < len)
                .map(|i| if len == 0 { -1 } else { i % len })
                .collect();
            gather(&y, &idx)
        })
        .collect();
    Ok(K::list(out))
}

/// `x _ y`: drop n items (from the end if negative), cut at indices, or remove an item or key.
pub fn drop(x: K, y: K) -> Result<K> {
    if x.t() > 0 && x.t() < XT && matches!(x.t(), KB | KG | KH | KI | KJ) && y.t() >= 0 {
        return cut_at(&int_list(&x)?, y);
    }
    if x.t() == -KS && y.t() == XT {
        return Err(Error::type_());
    }
    if x.t() == KS && y.t() == XT {
        // Column names _ table: the table without those columns.
        let d = y.table_dict();
        let names = super::kit::as_vector(&x);
        let drop = names.as_slice::<Sym>();
        let keep: Vec<i64> = d.items()[0]
            .as_slice::<Sym>()
            .iter()
            .enumerate()
            .filter(|(_, s)| !drop.contains(s))
            .map(|(i, _)| i as i64)
            .collect();
        return table_from_dict(K::dict(
            gather(&d.items()[0], &keep),
            gather(&d.items()[1], &keep),
        ));
    }
    if x.t() == XT && (y.t() == -KS || y.t() == KS) {
        return Err(Error::type_());
    }
    if y.t() == XD
        && x.t() != XD
        && !matches!(x.t(), t if t < 0 && matches!(t.wrapping_neg(), KB | KG | KH | KI | KJ))
    {
        // Keys _ dict: the dict without those keys.
        return without_keys(y, &x);
    }
    if x.t() == XD && y.t() >= 0 {
        // dict _ list is not q; a list of keys goes on the left.
        return Err(Error::type_());
    }
    if x.t() == XD {
        return without_keys(x, &y);
    }
    if x.t() >= 0 && x.t() < XT && y.t() < 0 {
        // A list without the item at index y.
        let i = int_atom(&y)?;
        let keep: Vec<i64> = (0..count(&x) as i64).filter(|&j| j != i).collect();
        return Ok(gather(&x, &keep));
    }
    let n = int_atom(&x)?;
    match y.t() {
        XD => {
            let [k, v] = y.items() else { unreachable!() };
            let idx = drop_indices(n, count(k));
            Ok(K::dict(gather(k, &idx), gather(v, &idx)))
        }
        t if t < 0 => Err(Error::type_()),
        _ => Ok(gather(&y, &drop_indices(n, count(&y)))),
    }
}

/// A dict without the given key(s).
fn without_keys(d: K, keys: &K) -> Result<K> {
    let [k, v] = d.items() else { unreachable!() };
    let drop_keys = items_of(&super::kit::as_vector(keys));
    let keep: Vec<i64> = items_of(k)
        .iter()
        .enumerate()
        .filter(|(_, a)| !drop_keys.iter().any(|d| super::compare::matches(a, d)))
        .map(|(i, _)| i as i64)
        .collect();
    Ok(K::dict(gather(k, &keep), gather(v, &keep)))
}

fn drop_indices(n: i64, len: usize) -> Vec<i64> {
    let len = len as i64;
    if n >= 0 {
        (n.min(len)..len).collect()
    } else {
        (0..(len + n).max(0)).collect()
    }
}

/// Pieces of y starting at each index in `at` (ascending, within range).
fn cut_at(at: &[i64], y: K) -> Result<K> {
    let len = count(&y) as i64;
    if at.windows(2).any(|w| w[0] > w[1]) || at.iter().any(|&i| i < 0 || i > len) {
        return Err(Error::domain());
    }
    let out: Vec<K> = at
        .iter()
        .enumerate()
        .map(|(j, &s)| {
            let e = at.get(j + 1).copied().unwrap_or(len);
            gather(&y, &(s..e).collect::<Vec<_>>())
        })
        .collect();
    Ok(K::list(out))
}

/// `n cut x`: x in pieces of n (the last may be shorter); with a vector, as `_`.
pub fn cut(x: K, y: K) -> Result<K> {
    if x.t() < 0 {
        let n = int_atom(&x)?;
        if n <= 0 {
            return Err(Error::domain());
        }
        let starts: Vec<i64> = (0..count(&y) as i64).step_by(n as usize).collect();
        return cut_at(&starts, y);
    }
    drop(x, y)
}

/// `n sublist x` (first or last n, never cycling) and `(i;n) sublist x`.
pub fn sublist(x: K, y: K) -> Result<K> {
    let len = count(&y) as i64;
    let idx: Vec<i64> = if x.t() < 0 {
        let n = int_atom(&x)?;
        if n >= 0 {
            (0..n.min(len)).collect()
        } else {
            ((len + n).max(0)..len).collect()
        }
    } else {
        let v = int_list(&x)?;
        let [i, n] = v[..] else {
            return Err(Error::length());
        };
        (i.max(0)..(i + n).min(len)).collect()
    };
    if y.t() == XD {
        let [k, v] = y.items() else { unreachable!() };
        return Ok(K::dict(gather(k, &idx), gather(v, &idx)));
    }
    Ok(gather(&y, &idx))
}

/// `n rotate x`: x rotated left by n places (right if negative).
pub fn rotate(x: K, y: K) -> Result<K> {
    let n = int_atom(&x)?;
    if y.t() < 0 {
        return Ok(y);
    }
    let len = count(&y) as i64;
    if len == 0 {
        return Ok(y);
    }
    let idx: Vec<i64> = (0..len).map(|i| (i + n).rem_euclid(len)).collect();
    Ok(gather(&y, &idx))
}

/// `x!y`: a dict from keys and values; `n!t` keys a table on its first n columns (`0!` unkeys).
pub fn bang(x: K, y: K) -> Result<K> {
    if x.t() < 0
        && matches!(x.t().wrapping_neg(), KB | KG | KH | KI | KJ)
        && (y.t() == XT || y.t() == XD)
    {
        let n = int_atom(&x)?;
        if n < 0 {
            return Err(Error::domain());
        }
        let t = unkey(y)?;
        return if n == 0 { Ok(t) } else { key_first(n, t) };
    }
    if x.t() < 0 && y.t() < 0 {
        return Err(Error::type_());
    }
    // Column names to a table's name or a directory (`` `a`b!`t ``, `` `a`b!`:./t/ ``): what
    // flips into kdb+'s placeholder of a partitioned or splayed table; the symbol stays an atom.
    if x.t() == KS && x.n() > 0 && y.t() == -KS {
        return Ok(K::dict(x, y));
    }
    if x.t() < 0 || y.t() < 0 {
        // An atom on one side stands for a one-item list (so only a one-item other side fits).
        return crate::obj::table::dict(super::kit::as_vector(&x), super::kit::as_vector(&y));
    }
    crate::obj::table::dict(x, y)
}

/// The column names of a table (or keyed table), as `cols`.
pub fn cols(x: K) -> Result<K> {
    match x.t() {
        XT => Ok(columns(&x).clone()),
        XD => Ok(columns(&unkey(x)?).clone()),
        _ => Err(Error::type_()),
    }
}
