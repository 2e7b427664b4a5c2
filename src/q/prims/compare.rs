//! Comparison: `= <> < > <= >=` (atomic, giving bools), `~` match, `not`, `null`, `differ`,
//! and the boolean folds `any` `all`.
//!
//! Numbers of different types compare by value; floats compare with kdb+'s tolerance and nulls
//! sort below everything. Symbols order by their text, guids by their bytes.

use std::cmp::Ordering;

use super::kernel::{binary, unary};
use super::kit::{atomic1, atomic2};
use super::num::{feq, is_numeric, Num};
use super::promote::{self, Dom};
use crate::obj::{Error, Guid, Result, Sym, K, *};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Rel {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
}

impl Rel {
    #[inline(always)]
    fn holds<T: Num>(self, a: T, b: T) -> bool {
        match self {
            Rel::Eq => a.eq(b),
            Rel::Ne => !a.eq(b),
            Rel::Lt => a.lt(b),
            Rel::Gt => b.lt(a),
            Rel::Le => !b.lt(a),
            Rel::Ge => !a.lt(b),
        }
    }
    fn of_order(self, o: Ordering) -> bool {
        match self {
            Rel::Eq => o == Ordering::Equal,
            Rel::Ne => o != Ordering::Equal,
            Rel::Lt => o == Ordering::Less,
            Rel::Gt => o == Ordering::Greater,
            Rel::Le => o != Ordering::Greater,
            Rel::Ge => o != Ordering::Less,
        }
    }
}

macro_rules! rel_kernel {
    ($x:expr, $y:expr, $p:expr, $rel:expr, $t:ty) => {
        match $rel {
            Rel::Eq => binary::<$t, u8>($x, $y, &$p, KB, |a, b| Rel::Eq.holds(a, b) as u8),
            Rel::Ne => binary::<$t, u8>($x, $y, &$p, KB, |a, b| Rel::Ne.holds(a, b) as u8),
            Rel::Lt => binary::<$t, u8>($x, $y, &$p, KB, |a, b| Rel::Lt.holds(a, b) as u8),
            Rel::Gt => binary::<$t, u8>($x, $y, &$p, KB, |a, b| Rel::Gt.holds(a, b) as u8),
            Rel::Le => binary::<$t, u8>($x, $y, &$p, KB, |a, b| Rel::Le.holds(a, b) as u8),
            Rel::Ge => binary::<$t, u8>($x, $y, &$p, KB, |a, b| Rel::Ge.holds(a, b) as u8),
        }
    };
}

fn relate(x: K, y: K, rel: Rel) -> Result<K> {
    crate::q::eval::stack::guard();
    atomic2(x, y, &move |x, y| {
        let (tx, ty) = (x.t().wrapping_abs(), y.t().wrapping_abs());
        // A point in time against a time of day compares its own time of day.
        use super::cast::{is_duration, is_time_point, to_type};
        if is_time_point(tx) && is_duration(ty) && tx != KD {
            return relate(to_type(ty, x)?, y, rel);
        }
        if is_duration(tx) && is_time_point(ty) && ty != KD {
            return relate(x, to_type(tx, y)?, rel);
        }
        if let Some(p) = promote::compare(tx, ty) {
            return Ok(match p.dom {
                Dom::H => rel_kernel!(&x, &y, p, rel, i16),
                Dom::I => rel_kernel!(&x, &y, p, rel, i32),
                Dom::J => rel_kernel!(&x, &y, p, rel, i64),
                Dom::E => rel_kernel!(&x, &y, p, rel, f32),
                Dom::F => rel_kernel!(&x, &y, p, rel, f64),
            });
        }
        if tx == KS && ty == KS {
            return Ok(by_order::<Sym>(&x, &y, rel, sym_order));
        }
        if tx == UU && ty == UU {
            return Ok(by_order::<Guid>(&x, &y, rel, |a, b| a.cmp(b)));
        }
        Err(Error::type_())
    })
}

/// Symbols order by their bytes (the empty symbol, the null, first).
pub fn sym_order(a: &Sym, b: &Sym) -> Ordering {
    if a == b {
        Ordering::Equal
    } else {
        a.as_bytes().cmp(b.as_bytes())
    }
}

fn by_order<T: crate::obj::Item>(x: &K, y: &K, rel: Rel, ord: fn(&T, &T) -> Ordering) -> K {
    let (xv, yv) = (super::kit::as_vector(x), super::kit::as_vector(y));
    let xs = xv.as_slice::<T>();
    let ys = yv.as_slice::<T>();
    // An atom pairs with every item of the other side, however many (none included).
    let (x_atom, y_atom) = (x.t() < 0, y.t() < 0);
    let n = if x_atom { ys.len() } else { xs.len() };
    let at = |s: &[T], atom: bool, i: usize| if atom { s[0] } else { s[i] };
    let v: Vec<u8> = (0..n)
        .map(|i| rel.of_order(ord(&at(xs, x_atom, i), &at(ys, y_atom, i))) as u8)
        .collect();
    if x.t() < 0 && y.t() < 0 {
        K::bool(v[0] != 0)
    } else {
        K::from_slice(KB, &v)
    }
}

pub fn eq(x: K, y: K) -> Result<K> {
    relate(x, y, Rel::Eq)
}
pub fn ne(x: K, y: K) -> Result<K> {
    relate(x, y, Rel::Ne)
}
pub fn lt(x: K, y: K) -> Result<K> {
    relate(x, y, Rel::Lt)
}
pub fn gt(x: K, y: K) -> Result<K> {
    relate(x, y, Rel::Gt)
}
pub fn le(x: K, y: K) -> Result<K> {
    relate(x, y, Rel::Le)
}
pub fn ge(x: K, y: K) -> Result<K> {
    relate(x, y, Rel::Ge)
}

/// How two floats (real, float, datetime) are equal in a deep comparison.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Floats {
    /// Within kdb+'s comparison tolerance, as `~` `=` `<` `>` compare.
    Tolerant,
    /// Equal values (nulls equal each other), as `?` `distinct` `group` and key lookups compare:
    /// kdb+ uses no tolerance there.
    Exact,
}

/// `~`: x and y are identical in type, shape and value. Attributes are ignored; floats match
/// within kdb+'s comparison tolerance, nulls matching nulls; an enumeration's type names its
/// domain, so the same symbols in two domains do not match.
pub fn matches(x: &K, y: &K) -> bool {
    same(x, y, Floats::Tolerant)
}

/// `~` with floats compared exactly: whether a key finds an item (`?`, dictionary and keyed
/// table lookups, upserts).
pub fn identical(x: &K, y: &K) -> bool {
    same(x, y, Floats::Exact)
}

/// The one deep equality: type, count and every item; `floats` says how floats compare.
pub fn same(x: &K, y: &K, floats: Floats) -> bool {
    // No shortcut for one object on both sides: kdb+ walks it (a deep enough list gives 'stack).
    crate::q::eval::stack::guard();
    let t = x.t();
    if t != y.t() {
        return false;
    }
    let float_eq = |a: f64, b: f64| match floats {
        Floats::Tolerant => feq(a, b),
        Floats::Exact => a == b || a.is_nan() && b.is_nan(),
    };
    match t {
        XT => same(x.table_dict(), y.table_dict(), floats),
        _ if owns_items(t) => {
            x.n() == y.n()
                && x.items()
                    .iter()
                    .zip(y.items())
                    .all(|(a, b)| same(a, b, floats))
        }
        UNARY | BINARY | TERNARY => x.g() == y.g(),
        KE => {
            x.n() == y.n()
                && x.as_slice::<f32>()
                    .iter()
                    .zip(y.as_slice::<f32>())
                    .all(|(&a, &b)| float_eq(a as f64, b as f64))
        }
        KF | KZ => {
            x.n() == y.n()
                && x.as_slice::<f64>()
                    .iter()
                    .zip(y.as_slice::<f64>())
                    .all(|(&a, &b)| float_eq(a, b))
        }
        ERROR => x.s() == y.s(),
        t if t == -UU => x.guid() == y.guid(),
        t if t == -KE => float_eq(x.e() as f64, y.e() as f64),
        t if t == -KF || t == -KZ => float_eq(x.f(), y.f()),
        t if t < 0 => x.j() == y.j() || item_size(-t) < 8 && same_low_bits(x, y),
        _ => x.n() == y.n() && x.bytes() == y.bytes(),
    }
}

/// Atoms narrower than 8 bytes compare on their own bytes only.
fn same_low_bits(x: &K, y: &K) -> bool {
    match item_size(-x.t()) {
        1 => x.g() == y.g(),
        2 => x.h() == y.h(),
        _ => x.i() == y.i(),
    }
}

/// `~` as a primitive.
pub fn match_(x: K, y: K) -> Result<K> {
    Ok(K::bool(matches(&x, &y)))
}

/// `not`: x equals zero (bools, numbers, temporal values, chars).
pub fn not(x: K) -> Result<K> {
    atomic1(x, &|x| {
        if !is_numeric(x.t()) {
            return Err(Error::type_());
        }
        Ok(if matches!(x.t().wrapping_abs(), KE | KF | KZ) {
            unary::<f64, u8>(&x, KB, |v| (v == 0.0) as u8)
        } else {
            unary::<i64, u8>(&x, KB, |v| (v == 0) as u8)
        })
    })
}

/// `null`: which items are null (for every type; the empty symbol, a blank char and the zero
/// guid are nulls).
pub fn null(x: K) -> Result<K> {
    atomic1(x, &|x| {
        let t = x.t().wrapping_abs();
        Ok(match t {
            KB | KG => unary::<i64, u8>(&x, KB, |_| 0),
            KC => unary::<i64, u8>(&x, KB, |v| (v == b' ' as i64) as u8),
            KS => {
                let v: Vec<u8> = x_syms(&x).iter().map(|s| s.is_empty() as u8).collect();
                shaped_bools(&x, v)
            }
            UU => {
                let v: Vec<u8> = x
                    .as_slice::<Guid>()
                    .iter()
                    .map(|g| (*g == Guid::default()) as u8)
                    .collect();
                shaped_bools(&x, v)
            }
            KE | KF | KZ => unary::<f64, u8>(&x, KB, |v| v.is_nan() as u8),
            _ if is_numeric(t) => unary::<i64, u8>(&x, KB, |v| (v == NJ) as u8),
            _ => return Err(Error::type_()),
        })
    })
}

fn x_syms(x: &K) -> Vec<Sym> {
    if x.t() < 0 {
        vec![x.s()]
    } else {
        x.as_slice::<Sym>().to_vec()
    }
}

fn shaped_bools(x: &K, v: Vec<u8>) -> K {
    if x.t() < 0 {
        K::bool(v[0] != 0)
    } else {
        K::from_slice(KB, &v)
    }
}

/// `differ`: whether each item differs from the one before (the first always does).
pub fn differ(x: K) -> Result<K> {
    if x.t() < 0 {
        return Ok(K::bool(true));
    }
    if matches!(x.t(), KE | KF | KZ) {
        // Floats compare with tolerance (`differ 96.100000000000009 96.099999999999994` is 10b).
        let v = super::num::column::<f64>(&x);
        let out: Vec<u8> = (0..v.len())
            .map(|i| (i == 0 || !feq(v[i], v[i - 1])) as u8)
            .collect();
        return Ok(K::from_slice(KB, &out));
    }
    let t = x.t();
    if !(t > 0 && t < XT && !owns_items(t)) {
        // Items that may hold floats compare as `~` does, with tolerance (basics/precision.md
        // lists `differ` among the keywords that use it; hash keys compare floats exactly).
        let out: Vec<u8> = (0..super::kit::count(&x))
            .map(|i| {
                (i == 0 || !matches(&super::kit::item(&x, i), &super::kit::item(&x, i - 1))) as u8
            })
            .collect();
        return Ok(K::from_slice(KB, &out));
    }
    // Adjacent items compared through their hash keys: linear, no per-item objects.
    let keys = super::hash::keys(&x);
    let out: Vec<u8> = (0..keys.len())
        .map(|i| (i == 0 || keys[i] != keys[i - 1]) as u8)
        .collect();
    Ok(K::from_slice(KB, &out))
}

/// The truth of each item for `any`/`all`: non-zero numbers.
fn truths(x: &K) -> Result<Vec<bool>> {
    let x = if x.t() == XD {
        x.items()[1].clone()
    } else {
        x.clone()
    };
    if x.t() == 0 {
        return x.items().iter().map(truth_atom).collect();
    }
    if !is_numeric(x.t()) {
        return Err(Error::type_());
    }
    if matches!(x.t(), KE | KF | KZ) {
        return Ok(super::num::column::<f64>(&x)
            .iter()
            .map(|&v| v != 0.0)
            .collect());
    }
    Ok(super::num::column::<i64>(&x)
        .iter()
        .map(|&v| v != 0)
        .collect())
}

fn truth_atom(k: &K) -> Result<bool> {
    if k.t() >= 0 || !is_numeric(k.t()) {
        return Err(Error::type_());
    }
    Ok(super::num::scalar::<f64>(k) != 0.0)
}

/// `any`: some item is non-zero.
pub fn any(x: K) -> Result<K> {
    if x.t() == XT {
        return per_column(&x, any);
    }
    Ok(K::bool(truths(&x)?.into_iter().any(|b| b)))
}

/// `all`: every item is non-zero.
pub fn all(x: K) -> Result<K> {
    if x.t() == XT {
        return per_column(&x, all);
    }
    Ok(K::bool(truths(&x)?.into_iter().all(|b| b)))
}

/// A dict of column name to `f` of the column.
fn per_column(t: &K, f: fn(K) -> Result<K>) -> Result<K> {
    let cols: Vec<K> = t.table_dict().items()[1]
        .items()
        .iter()
        .map(|c| f(c.clone()))
        .collect::<Result<_>>()?;
    Ok(K::dict(
        crate::obj::table::columns(t).clone(),
        super::kit::unify(cols),
    ))
}
