//! Sorting: `asc desc iasc idesc rank xrank`. Sorts are stable; nulls sort first; symbols by
//! their text; general lists by type, then value; tables by rows, column by column.

use std::cmp::Ordering;

use super::compare::sym_order;
use super::kit::{count, gather, int_atom, item};
use crate::obj::{Error, Guid, Result, Sym, K, *};
use crate::q::eval::stop;

/// An ordering of two items of one list, by index.
type ByIndex<'a> = Box<dyn Fn(usize, usize) -> Ordering + 'a>;

fn float_order(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        _ => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
    }
}

/// The order of q values of possibly different types: by type number (atoms before lists of
/// the same type), then by value.
pub fn order_k(a: &K, b: &K) -> Ordering {
    crate::q::eval::stack::guard();
    let (ta, tb) = (a.t(), b.t());
    if ta != tb {
        return (ta.unsigned_abs(), ta >= 0).cmp(&(tb.unsigned_abs(), tb >= 0));
    }
    if ta == ERROR || matches!(ta, UNARY | BINARY | TERNARY) {
        return a.g().cmp(&b.g());
    }
    if ta < 0 {
        let (va, vb) = (super::kit::as_vector(a), super::kit::as_vector(b));
        return comparator(&va, Some(&vb)).map_or(Ordering::Equal, |f| f(0, 0));
    }
    if ta == XT {
        return order_k(a.table_dict(), b.table_dict());
    }
    if owns_items(ta) {
        let (x, y) = (a.items(), b.items());
        for (p, q) in x.iter().zip(y) {
            let o = order_k(p, q);
            if o != Ordering::Equal {
                return o;
            }
        }
        return x.len().cmp(&y.len());
    }
    let (na, nb) = (count(a), count(b));
    for i in 0..na.min(nb) {
        let o = order_k(&item(a, i), &item(b, i));
        if o != Ordering::Equal {
            return o;
        }
    }
    na.cmp(&nb)
}

/// A comparator between item i of `x` and item j of `y` (x itself when y is None).
fn comparator<'a>(x: &'a K, y: Option<&'a K>) -> Option<ByIndex<'a>> {
    let y = y.unwrap_or(x);
    macro_rules! by {
        ($ty:ty, $f:expr) => {{
            let (a, b) = (x.as_slice::<$ty>(), y.as_slice::<$ty>());
            Some(Box::new(move |i: usize, j: usize| $f(&a[i], &b[j])))
        }};
    }
    match x.t() {
        KB | KG | KC => by!(u8, |a: &u8, b: &u8| a.cmp(b)),
        KH => by!(i16, |a: &i16, b: &i16| a.cmp(b)),
        KE => by!(f32, |a: &f32, b: &f32| float_order(*a as f64, *b as f64)),
        KF | KZ => by!(f64, |a: &f64, b: &f64| float_order(*a, *b)),
        KS => by!(Sym, sym_order),
        UU => by!(Guid, |a: &Guid, b: &Guid| a.cmp(b)),
        t if t > 0 && t < XT && item_size(t) == 4 => by!(i32, |a: &i32, b: &i32| a.cmp(b)),
        t if t > 0 && t < XT && item_size(t) == 8 && !owns_items(t) => {
            by!(i64, |a: &i64, b: &i64| a.cmp(b))
        }
        0 => {
            let (a, b) = (x.items(), y.items());
            Some(Box::new(move |i, j| order_k(&a[i], &b[j])))
        }
        _ => None,
    }
}

/// Sorts row indices stably by `f` (reversed for `desc`). A long sort stops with `'stop` by
/// unwinding from a comparison (`eval::stop`), every chunk of comparisons: `sort_by` leaves
/// `idx` a permutation, and nothing else is changed.
fn sort_indices(idx: &mut [usize], desc: bool, f: &dyn Fn(usize, usize) -> Ordering) {
    let mut compared = 0usize;
    let mut tick = || {
        compared = compared.wrapping_add(1);
        if compared & (stop::CHUNK - 1) == 0 {
            stop::check_unwinding();
        }
    };
    if desc {
        idx.sort_by(|&i, &j| {
            tick();
            f(j, i)
        });
    } else {
        idx.sort_by(|&i, &j| {
            tick();
            f(i, j)
        });
    }
}

/// The permutation that sorts x (stably), ascending or descending.
pub fn grade(x: &K, desc: bool) -> Result<Vec<i64>> {
    crate::q::eval::stack::guard();
    let n = count(x);
    let mut idx: Vec<usize> = (0..n).collect();
    match x.t() {
        XT => {
            // Stable sorts from the last column to the first order rows lexicographically.
            let cols = x.table_dict().items()[1].items();
            for c in cols.iter().rev() {
                let f = comparator(c, None).ok_or_else(Error::type_)?;
                sort_indices(&mut idx, desc, &*f);
            }
        }
        XD => return grade(&x.items()[1], desc),
        t if t < 0 => return Err(Error::rank()),
        _ => {
            if let Some(g) = super::radix::grade(x, desc)? {
                return Ok(g);
            }
            {
                let f = comparator(x, None).ok_or_else(Error::type_)?;
                sort_indices(&mut idx, desc, &*f);
            }
        }
    }
    Ok(idx.into_iter().map(|i| i as i64).collect())
}

/// `iasc`.
pub fn iasc(x: K) -> Result<K> {
    graded(x, false)
}

/// The grade as indices, or for a dict as its keys in that order.
fn graded(x: K, desc: bool) -> Result<K> {
    let g = grade(&x, desc)?;
    if x.t() == XD {
        return Ok(gather(&x.items()[0], &g));
    }
    Ok(K::from_slice(KJ, &g))
}

/// `idesc`.
pub fn idesc(x: K) -> Result<K> {
    graded(x, true)
}

fn sorted(x: K, desc: bool) -> Result<K> {
    if x.t() < 0 {
        return Err(Error::type_());
    }
    let idx = grade(&x, desc)?;
    // A vector already in order is marked sorted itself, as kdb+ does: every reference to it
    // sees `s#` (asc.md: "the application happened in place").
    if !desc
        && x.t() > 0
        && x.t() < XT
        && x.attr() == ATTR_NONE
        && idx.iter().enumerate().all(|(i, &j)| i as i64 == j)
    {
        x.mark_in_place(ATTR_SORTED);
        if x.attr() == ATTR_SORTED {
            return Ok(x);
        }
    }
    if x.t() == XD {
        // A keyed table too: its value table sorted as a table is (`s#r i:<r:. x).
        let [k, v] = x.items() else { unreachable!() };
        let mut vals = gather(v, &idx);
        if !desc && vals.t() > 0 && vals.t() < XT {
            vals.set_attr(ATTR_SORTED);
        }
        if !desc && vals.t() == XT {
            vals = with_sorted_first_column(vals);
        }
        return Ok(K::dict(gather(k, &idx), vals));
    }
    let mut r = gather(&x, &idx);
    if !desc && r.t() >= 0 && r.t() < XT {
        r.set_attr(ATTR_SORTED);
    }
    if !desc && r.t() == XT {
        r = with_sorted_first_column(r);
    }
    Ok(r)
}

/// A sorted table's first column is sorted (one column) or parted (several).
fn with_sorted_first_column(t: K) -> K {
    let d = t.table_dict();
    let cols = d.items()[1].clone();
    let Some(first) = cols.items().first() else {
        return t;
    };
    let mut first = first.clone();
    first.set_attr(if cols.n() == 1 {
        ATTR_SORTED
    } else {
        ATTR_PARTED
    });
    let mut cols = cols;
    cols.items_mut()[0] = first;
    K::table(K::dict(d.items()[0].clone(), cols))
}

/// `asc`: sorted ascending, with the sorted attribute.
pub fn asc(x: K) -> Result<K> {
    sorted(x, false)
}

/// `desc`.
pub fn desc(x: K) -> Result<K> {
    sorted(x, true)
}

/// `rank`: the position each item would take in the sorted list.
pub fn rank(x: K) -> Result<K> {
    let g = grade(&x, false)?;
    let mut r = vec![0i64; g.len()];
    for (pos, &i) in g.iter().enumerate() {
        r[i as usize] = pos as i64;
    }
    Ok(K::from_slice(KJ, &r))
}

/// `n xrank x`: the n-tile of each item.
pub fn xrank(n: K, x: K) -> Result<K> {
    let n = int_atom(&n)?;
    let r = rank(x)?;
    let c = r.n() as i64;
    let v: Vec<i64> = r
        .as_slice::<i64>()
        .iter()
        .map(|&p| n.wrapping_mul(p).div_euclid(c))
        .collect();
    Ok(K::from_slice(KJ, &v))
}
