//! Functional amend: `@[x;i;f]`, `@[x;i;f;y]`, `.[x;i;f]`, `.[x;i;f;y]`, and indexed
//! assignment `x[i]:y` / `x[i]+:y`, which are the same operation.

use super::atoms::*;
use super::values::*;
use super::verbs;
use super::Ctx;
use crate::obj::*;

type Update<'a> = dyn FnMut(&mut Ctx, K, Option<K>) -> Result<K> + 'a;

fn is_assign(f: &K) -> bool {
    matches!(verbs::decode(f), Some(verbs::PrimRef::Glyph(":")))
}

/// `f[old;y]`, or `f[old]` without `y`; `:` gives `y`.
fn apply_f(cx: &mut Ctx, f: &K, old: K, y: Option<K>) -> Result<K> {
    match y {
        Some(y) if is_assign(f) => Ok(y),
        Some(y) => super::apply::apply(cx, f.clone(), vec![old, y]),
        None => super::apply::apply(cx, f.clone(), vec![old]),
    }
}

/// `@[x;i;f;y]` (y None for the unary form).
pub fn at(cx: &mut Ctx, x: K, i: K, f: K, y: Option<K>) -> Result<K> {
    let assign = is_assign(&f);
    let x = match (&y, assign && x.t() == XD) {
        (Some(v), true) => match dict_assign(x, &i, v) {
            Ok(d) => return Ok(d),
            Err(x) => x,
        },
        _ => x,
    };
    let r = at_with(cx, x, &i, y, assign, &mut |cx, old, y| {
        apply_f(cx, &f, old, y)
    })?;
    Ok(squeeze(r))
}

/// A general list whose items all became atoms of one type is that type's vector.
fn squeeze(x: K) -> K {
    let mixed_atoms = x.t() == 0
        && x.n() > 0
        && x.items()
            .iter()
            .all(|i| i.is_atom() && i.t() == x.items()[0].t());
    if mixed_atoms {
        collapse(x.items().to_vec())
    } else {
        x
    }
}

/// `.[x;path;f;y]`.
pub fn dot(cx: &mut Ctx, x: K, path: &[K], f: K, y: Option<K>) -> Result<K> {
    super::stack::guard();
    match path {
        [] => apply_f(cx, &f, x, y),
        [i] => at(cx, x, i.clone(), f, y),
        [i, rest @ ..] => {
            let assign = false;
            at_with(cx, x, i, y, assign, &mut |cx, old, y| {
                dot(cx, old, rest, f.clone(), y)
            })
            .map(squeeze)
        }
    }
}

/// The piece of `y` that goes with the `k`-th of `n` indices.
fn piece(y: &Option<K>, k: usize, n: usize) -> Result<Option<K>> {
    match y {
        None => Ok(None),
        Some(y) if y.is_atom() || y.t() >= LAMBDA => Ok(Some(y.clone())),
        Some(y) => {
            if count(y) != n {
                return Err(Error::length());
            }
            Ok(Some(item(y, k)))
        }
    }
}

fn at_with(cx: &mut Ctx, x: K, i: &K, y: Option<K>, assign: bool, g: &mut Update) -> Result<K> {
    super::stack::guard();
    match x.t() {
        XD => return dict_at(cx, x, i, y, g),
        XT => {
            if matches!(i.t(), A_KS | KS) {
                let d = x.table_dict().clone();
                let d = dict_at(cx, d, i, y, g)?;
                return table::table_from_dict(d);
            }
            // Rows of a table: amend through its columns by row.
            let rows = items_of(&x);
            let l = at_with(cx, K::list(rows), i, y, assign, g)?;
            return Ok(collapse(items_of(&l)));
        }
        t if t < 0 => {
            if verbs::is_identity(i) {
                return g(cx, x, y);
            }
            return Err(Error::type_());
        }
        _ => {}
    }
    if verbs::is_identity(i) || verbs::is_elided(i) {
        let n = x.n();
        let all: Vec<i64> = (0..n as i64).collect();
        return at_with(cx, x, &K::from_slice(KJ, &all), y, assign, g);
    }
    // One index.
    if let Some(j) = as_long(i) {
        let n = x.n() as i64;
        if j < 0 || j >= n {
            return Err(Error::length());
        }
        let old = item(&x, j as usize);
        let new = g(cx, old, y)?;
        return set_item(x, j as usize, new, assign);
    }
    if i.t() == 0 {
        // Nested index lists: each index with its piece of y.
        let n = i.n();
        let mut x = x;
        for k in 0..n {
            let yk = piece(&y, k, n)?;
            x = at_with(cx, x, &i.items()[k], yk, assign, g)?;
        }
        return Ok(x);
    }
    let js = as_longs(i).ok_or_else(Error::type_)?;
    let n = js.len();
    let mut x = x;
    for (k, &j) in js.iter().enumerate() {
        if j < 0 || j >= x.n() as i64 {
            return Err(Error::length());
        }
        let old = item(&x, j as usize);
        let yk = piece(&y, k, n)?;
        let new = g(cx, old, yk)?;
        x = set_item(x, j as usize, new, assign)?;
    }
    Ok(x)
}

/// Replaces item `j` of a list, in place when the list is uniquely held and the types agree.
fn set_item(mut x: K, j: usize, new: K, assign: bool) -> Result<K> {
    let t = x.t();
    if t == UU && new.t() == -UU {
        x.as_mut_slice::<Guid>()[j] = new.guid();
        return Ok(x);
    }
    // Guids (16 bytes) were handled above.
    if t > 0 && t != UU && is_simple(t) && new.t() == -t {
        match item_size(t) {
            1 => x.as_mut_slice::<u8>()[j] = new.g(),
            2 => x.as_mut_slice::<i16>()[j] = new.h(),
            4 => x.as_mut_slice::<i32>()[j] = new.i(),
            _ => x.as_mut_slice::<i64>()[j] = new.j(),
        }
        return Ok(x);
    }
    // A simple vector's item is an atom: assigning another type, or anything but an atom,
    // is a 'type (a function's atom result of another type makes a general list).
    if t > 0 && (assign || !new.is_atom()) {
        return Err(Error::type_());
    }
    if t == 0 {
        x.items_mut()[j] = new;
        return Ok(x);
    }
    let mut items = items_of(&x);
    items[j] = new;
    Ok(K::list(items))
}

/// The raw word of item `j` of a simple vector (for comparing keys without making atoms).
fn word_at(v: &K, j: usize) -> u64 {
    match item_size(v.t()) {
        1 => v.as_slice::<u8>()[j] as u64,
        2 => v.as_slice::<i16>()[j] as u16 as u64,
        4 => v.as_slice::<i32>()[j] as u32 as u64,
        _ => v.as_slice::<i64>()[j] as u64,
    }
}

/// Appends an atom to a simple vector of its type, or any value to a general list.
fn push_atom(v: &mut K, x: K) {
    if v.t() == 0 {
        v.push_k(x);
        return;
    }
    if v.t() == UU {
        v.push(x.guid());
        return;
    }
    match item_size(v.t()) {
        1 => v.push(x.g()),
        2 => v.push(x.h()),
        4 => v.push(x.i()),
        _ => v.push(x.j()),
    }
}

/// `d[k]:v` for one atom key of a simple key vector: in place, without rebuilding the dict.
fn dict_set_fast(d: &mut K, key: &K, new: K) -> bool {
    let kt = d.items()[0].t();
    let vt = d.items()[1].t();
    let simple = |t: i8| t > 0 && t < XT && t != UU && item_size(t) > 0;
    if !simple(kt)
        || key.t() != -kt
        || !(vt == 0 || simple(vt) && new.t() == -vt)
        || matches!(kt, KE | KF)
    {
        return false;
    }
    let want = key.j() as u64
        & if item_size(kt) >= 8 {
            u64::MAX
        } else {
            (1u64 << (item_size(kt) * 8)) - 1
        };
    let n = d.items()[0].n();
    let pos = (0..n).find(|&j| word_at(&d.items()[0], j) == want);
    let items = d.items_mut();
    match pos {
        Some(j) => {
            let vals = &mut items[1];
            if vals.t() == 0 {
                vals.items_mut()[j] = new;
            } else {
                match item_size(vals.t()) {
                    1 => vals.as_mut_slice::<u8>()[j] = new.g(),
                    2 => vals.as_mut_slice::<i16>()[j] = new.h(),
                    4 => vals.as_mut_slice::<i32>()[j] = new.i(),
                    _ => vals.as_mut_slice::<i64>()[j] = new.j(),
                }
            }
        }
        None => {
            push_atom(&mut items[0], key.clone());
            push_atom(&mut items[1], new);
        }
    }
    true
}

/// `d[k]:v` (plain assignment of one atom key) done in place when possible.
pub fn dict_assign(d: K, key: &K, v: &K) -> std::result::Result<K, K> {
    let mut d = d;
    if d.t() == XD
        && key.is_atom()
        && (v.is_atom() || d.items()[1].t() == 0)
        && dict_set_fast(&mut d, key, v.clone())
    {
        return Ok(d);
    }
    Err(d)
}

fn dict_at(cx: &mut Ctx, d: K, i: &K, y: Option<K>, g: &mut Update) -> Result<K> {
    let keys = d.items()[0].clone();
    let vals = d.items()[1].clone();
    let idx: Vec<K> = if verbs::is_identity(i) {
        items_of(&keys)
    } else if i.is_atom() || keys.t() == 0 && i.t() != 0 {
        vec![i.clone()]
    } else {
        items_of(i)
    };
    let single = idx.len() == 1 && (i.is_atom() || keys.t() == 0);
    let mut key_items = items_of(&keys);
    let mut val_items = items_of(&vals);
    let n = idx.len();
    for (k, key) in idx.into_iter().enumerate() {
        let yk = if single { y.clone() } else { piece(&y, k, n)? };
        match key_items.iter().position(|x| identical(x, &key)) {
            Some(p) => {
                let old = val_items[p].clone();
                val_items[p] = g(cx, old, yk)?;
            }
            None => {
                let old = if vals.t() == 0 && val_items.is_empty() {
                    K::identity()
                } else {
                    super::index::fill_for(&vals)
                };
                let new = g(cx, old, yk)?;
                key_items.push(key);
                val_items.push(new);
            }
        }
    }
    let keys = if keys.t() == 0 || key_items.is_empty() {
        K::list(key_items)
    } else {
        collapse(key_items)
    };
    let keys = if keys.t() == 0 && !keys.items().is_empty() {
        collapse(keys.items().to_vec())
    } else {
        keys
    };
    let vals = if val_items.is_empty() {
        vals
    } else if vals.t() == 0 {
        K::list(val_items)
    } else {
        collapse(val_items)
    };
    Ok(K::dict(keys, vals))
}
