//! Aggregates and running aggregates: `sum prd min max avg`, `sums prds mins maxs avgs`,
//! `deltas ratios`, and the statistics `wsum wavg dev var sdev svar med cor cov scov`.
//!
//! Over a simple vector they skip nulls (sql92 style); over a general list they fold the items
//! with the atomic verb (`sum` is `+/`), so lists of vectors aggregate column by column; over a
//! dict they aggregate its values and over a table each column.

use super::arith;
use super::kit::{count, gather, unify};
use super::num::{column, is_numeric};
use crate::obj::table::columns;
use crate::obj::{Error, Result, K, *};

/// How one aggregate treats each shape.
fn aggregate(x: K, vector: &dyn Fn(&K) -> Result<K>, fold: fn(K, K) -> Result<K>) -> Result<K> {
    crate::q::eval::stack::guard();
    match x.t() {
        XT => {
            let cols: Result<Vec<K>> = x.table_dict().items()[1]
                .items()
                .iter()
                .map(|c| aggregate(c.clone(), vector, fold))
                .collect();
            Ok(K::dict(columns(&x).clone(), unify(cols?)))
        }
        XD => {
            let v = x.items()[1].clone();
            if v.t() == XT {
                return aggregate(v, vector, fold);
            }
            aggregate(v, vector, fold)
        }
        0 => {
            let mut it = x.items().iter().cloned();
            let Some(mut acc) = it.next() else {
                return vector(&K::vector(KJ, 0));
            };
            if acc.t() < 0 && x.items().iter().all(|k| k.t() == acc.t()) {
                return vector(&unify(x.items().to_vec()));
            }
            for k in it {
                acc = fold(acc, k)?;
            }
            Ok(acc)
        }
        t if t < 0 && is_numeric(t) => Ok(x),
        t if t > 0 && is_numeric(t) => vector(&x),
        _ => Err(Error::type_()),
    }
}

fn is_float(t: i8) -> bool {
    matches!(t.wrapping_abs(), KE | KF | KZ)
}

/// Sum of floats skipping nulls, in eight independent lanes.
pub fn sum_f64(v: &[f64]) -> f64 {
    let mut lanes = [0.0f64; 8];
    let mut chunks = v.chunks_exact(8);
    for c in &mut chunks {
        for k in 0..8 {
            lanes[k] += if c[k].is_nan() { 0.0 } else { c[k] };
        }
    }
    let mut s: f64 = lanes.iter().sum();
    for &x in chunks.remainder() {
        s += if x.is_nan() { 0.0 } else { x };
    }
    s
}

/// The mean of longs, nulls left out: exactly `sum_f64` of the longs as floats over the count
/// of non-nulls (the same lanes, in the same order), without making that float vector first
/// (at 10M items its 80 MB and their page faults were most of `avg`'s time).
pub fn avg_i64(v: &[i64]) -> f64 {
    let as_f64 = |x: i64| if x == NJ { 0.0 } else { x as f64 };
    let mut lanes = [0.0f64; 8];
    let mut n = 0usize;
    let mut chunks = v.chunks_exact(8);
    for c in &mut chunks {
        for k in 0..8 {
            lanes[k] += as_f64(c[k]);
            n += (c[k] != NJ) as usize;
        }
    }
    let mut s: f64 = lanes.iter().sum();
    for &x in chunks.remainder() {
        s += as_f64(x);
        n += (x != NJ) as usize;
    }
    s / n as f64
}

/// Sum of longs treating nulls as zero, wrapping. Eight independent lanes, so the compiler
/// keeps the null test and the adds in vector registers (a single running total does not).
pub fn sum_i64(v: &[i64]) -> i64 {
    let non_null = |x: i64| if x == NJ { 0 } else { x };
    let mut lanes = [0i64; 8];
    let mut chunks = v.chunks_exact(8);
    for c in &mut chunks {
        for k in 0..8 {
            lanes[k] = lanes[k].wrapping_add(non_null(c[k]));
        }
    }
    let s = lanes.iter().fold(0i64, |a, &l| a.wrapping_add(l));
    chunks
        .remainder()
        .iter()
        .fold(s, |a, &x| a.wrapping_add(non_null(x)))
}

/// The type `sum` and `prd` give for a vector type: bools and bytes make ints.
pub(super) fn sum_type(t: i8) -> Result<i8> {
    match t.wrapping_abs() {
        KB | KG => Ok(KI),
        KH | KI | KJ | KE | KF => Ok(t.wrapping_abs()),
        KN | KT | KU | KV => Ok(t.wrapping_abs()),
        _ => Err(Error::type_()),
    }
}

fn sum_vector(x: &K) -> Result<K> {
    let out = sum_type(x.t())?;
    if x.t() == KJ {
        return Ok(K::long(sum_i64(x.as_slice::<i64>())));
    }
    if x.t() == KF {
        return Ok(K::float(sum_f64(x.as_slice::<f64>())));
    }
    Ok(if is_float(out) {
        let s = sum_f64(&column::<f64>(x));
        if out == KE {
            K::real(s as f32)
        } else {
            K::float(s)
        }
    } else {
        super::cast::convert(&K::long(sum_i64(&column::<i64>(x))), out)
    })
}

pub fn sum(x: K) -> Result<K> {
    aggregate(x, &sum_vector, arith::add)
}

fn prd_vector(x: &K) -> Result<K> {
    let out = sum_type(x.t())?;
    if is_float(out) {
        let p = column::<f64>(x)
            .iter()
            .fold(1.0, |a, &v| if v.is_nan() { a } else { a * v });
        return Ok(if out == KE {
            K::real(p as f32)
        } else {
            K::float(p)
        });
    }
    let p = column::<i64>(x)
        .iter()
        .fold(1i64, |a, &v| if v == NJ { a } else { a.wrapping_mul(v) });
    Ok(super::cast::convert(&K::long(p), out))
}

pub fn prd(x: K) -> Result<K> {
    aggregate(x, &prd_vector, arith::mul)
}

/// `max`/`min` of a vector: nulls skipped; all-null or empty gives the type's -inf/inf.
fn extreme_vector(x: &K, max: bool) -> Result<K> {
    let t = x.t();
    match t {
        KE | KF | KZ => {
            let v = column::<f64>(x);
            let inf = if max {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            };
            let r =
                v.iter()
                    .filter(|v| !v.is_nan())
                    .fold(inf, |a, &b| if max { a.max(b) } else { a.min(b) });
            Ok(if t == KE {
                K::real(r as f32)
            } else {
                K::atom_word(-t, r.to_bits())
            })
        }
        KB | KG | KC => {
            let v = x.as_slice::<u8>();
            let r = if max {
                v.iter().max().copied().unwrap_or(0)
            } else {
                v.iter()
                    .min()
                    .copied()
                    .unwrap_or(if t == KC { 255 } else { 1 })
            };
            Ok(K::atom_word(-t, r as u64))
        }
        _ if is_numeric(t) => {
            let v = column::<i64>(x);
            let init = match item_size(t) {
                2 => WH as i64,
                4 => WI as i64,
                _ => WJ,
            };
            let r = if max {
                v.iter().filter(|&&v| v != NJ).fold(-init, |a, &b| a.max(b))
            } else {
                v.iter().filter(|&&v| v != NJ).fold(init, |a, &b| a.min(b))
            };
            Ok(super::cast::convert(&K::long(r), t))
        }
        _ => Err(Error::type_()),
    }
}

pub fn max(x: K) -> Result<K> {
    aggregate(x, &|v| extreme_vector(v, true), arith::or)
}

pub fn min(x: K) -> Result<K> {
    aggregate(x, &|v| extreme_vector(v, false), arith::and)
}

/// Mean of the non-null items.
fn avg_vector(x: &K) -> Result<K> {
    if !is_numeric(x.t()) || x.t() == KC {
        return Err(Error::type_());
    }
    if x.t() == KJ {
        return Ok(K::float(avg_i64(x.as_slice::<i64>())));
    }
    let v = column::<f64>(x);
    let n = v.iter().filter(|v| !v.is_nan()).count();
    Ok(K::float(sum_f64(&v) / n as f64))
}

/// A dict of column name to `f` of the column.
fn per_column(t: &K, f: &dyn Fn(K) -> Result<K>) -> Result<K> {
    let cols: Vec<K> = t.table_dict().items()[1]
        .items()
        .iter()
        .map(|c| f(c.clone()))
        .collect::<Result<_>>()?;
    Ok(K::dict(columns(t).clone(), unify(cols)))
}

pub fn avg(x: K) -> Result<K> {
    crate::q::eval::stack::guard();
    match x.t() {
        XT => per_column(&x, &avg),
        XD => avg(x.items()[1].clone()),
        0 if x.n() > 0 && x.items().iter().all(|k| k.t() < 0 && is_numeric(k.t())) => {
            // Mixed atoms: nulls add nothing but still count.
            let v: Vec<f64> = x.items().iter().map(super::num::scalar::<f64>).collect();
            Ok(K::float(sum_f64(&v) / v.len() as f64))
        }
        0 if x.items().iter().any(|k| k.t() >= 0) => {
            let n = x.n() as i64;
            arith::divide(sum(x)?, K::long(n))
        }
        t if t < 0 && is_numeric(t) => arith::divide(x, K::long(1)),
        _ => aggregate(x, &avg_vector, |_, _| Err(Error::type_())),
    }
}

// ---- running aggregates ----------------------------------------------------------------------

/// Runs `vector` over vectors, `step` as a scan over general lists, per value of a dict and per
/// column of a table.
fn running(x: K, vector: &dyn Fn(&K) -> Result<K>, step: fn(K, K) -> Result<K>) -> Result<K> {
    crate::q::eval::stack::guard();
    match x.t() {
        XT => super::kit::map_columns(&x, |c| running(c, vector, step)),
        XD => {
            let [k, v] = x.items() else { unreachable!() };
            if v.t() == XT {
                return Ok(K::dict(k.clone(), running(v.clone(), vector, step)?));
            }
            // A dict of vectors runs across its values, as a list does.
            Ok(K::dict(k.clone(), running(v.clone(), vector, step)?))
        }
        0 => {
            let mut out: Vec<K> = Vec::with_capacity(x.n());
            for k in x.items() {
                let next = match out.last() {
                    None => k.clone(),
                    Some(acc) => step(acc.clone(), k.clone())?,
                };
                out.push(next);
            }
            Ok(unify(out))
        }
        t if t < 0 && is_numeric(t) => Ok(x),
        t if t > 0 && is_numeric(t) => vector(&x),
        _ => Err(Error::type_()),
    }
}

fn sums_vector(x: &K) -> Result<K> {
    let out = sum_type(x.t())?;
    if is_float(out) {
        let mut acc = 0.0;
        let v: Vec<f64> = column::<f64>(x)
            .iter()
            .map(|&v| {
                acc += if v.is_nan() { 0.0 } else { v };
                acc
            })
            .collect();
        return Ok(super::cast::convert(&K::from_slice(KF, &v), out));
    }
    let mut acc = 0i64;
    let v: Vec<i64> = column::<i64>(x)
        .iter()
        .map(|&v| {
            acc = acc.wrapping_add(if v == NJ { 0 } else { v });
            acc
        })
        .collect();
    Ok(super::cast::convert(&K::from_slice(KJ, &v), out))
}

pub fn sums(x: K) -> Result<K> {
    running(x, &sums_vector, arith::add)
}

fn prds_vector(x: &K) -> Result<K> {
    let out = sum_type(x.t())?;
    if is_float(out) {
        let mut acc = 1.0;
        let v: Vec<f64> = column::<f64>(x)
            .iter()
            .map(|&v| {
                acc *= if v.is_nan() { 1.0 } else { v };
                acc
            })
            .collect();
        return Ok(super::cast::convert(&K::from_slice(KF, &v), out));
    }
    let mut acc = 1i64;
    let v: Vec<i64> = column::<i64>(x)
        .iter()
        .map(|&v| {
            acc = acc.wrapping_mul(if v == NJ { 1 } else { v });
            acc
        })
        .collect();
    Ok(super::cast::convert(&K::from_slice(KJ, &v), out))
}

pub fn prds(x: K) -> Result<K> {
    running(x, &prds_vector, arith::mul)
}

fn extremes_vector(x: &K, max: bool) -> Result<K> {
    let t = x.t();
    if !is_numeric(t) {
        return Err(Error::type_());
    }
    // Linear scan: keep the running extreme, skipping nulls.
    if is_float(t) {
        let inf = if max {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
        let mut acc = inf;
        let r: Vec<f64> = column::<f64>(x)
            .iter()
            .map(|&v| {
                if !v.is_nan() {
                    acc = if max { acc.max(v) } else { acc.min(v) };
                }
                acc
            })
            .collect();
        return Ok(super::cast::convert(&K::from_slice(KF, &r), t));
    }
    if matches!(t, KB | KG | KC) {
        let mut acc: Option<u8> = None;
        let r: Vec<u8> = x
            .as_slice::<u8>()
            .iter()
            .map(|&v| {
                let a = acc.map_or(v, |a| if max { a.max(v) } else { a.min(v) });
                acc = Some(a);
                a
            })
            .collect();
        return Ok(K::from_slice(t, &r));
    }
    let lim = match item_size(t) {
        2 => WH as i64,
        4 => WI as i64,
        _ => WJ,
    };
    let mut acc = if max { -lim } else { lim };
    let r: Vec<i64> = column::<i64>(x)
        .iter()
        .map(|&v| {
            if v != NJ {
                acc = if max { acc.max(v) } else { acc.min(v) };
            }
            acc
        })
        .collect();
    Ok(super::cast::convert(&K::from_slice(KJ, &r), t))
}

pub fn maxs(x: K) -> Result<K> {
    running(x, &|v| extremes_vector(v, true), arith::or)
}

pub fn mins(x: K) -> Result<K> {
    running(x, &|v| extremes_vector(v, false), arith::and)
}

fn avgs_vector(x: &K) -> Result<K> {
    let (mut s, mut n) = (0.0, 0usize);
    let r: Vec<f64> = column::<f64>(x)
        .iter()
        .map(|&v| {
            if !v.is_nan() {
                s += v;
                n += 1;
            }
            s / n as f64
        })
        .collect();
    Ok(K::from_slice(KF, &r))
}

pub fn avgs(x: K) -> Result<K> {
    running(x, &avgs_vector, |_, _| Err(Error::type_()))
}

/// The item before each item of x (a null before the first).
fn previous(x: &K) -> K {
    let idx: Vec<i64> = (-1..x.n() as i64 - 1).collect();
    gather(x, &idx)
}

/// `deltas`: each item minus the one before; the first item stays as it is.
pub fn deltas(x: K) -> Result<K> {
    pairwise(x, arith::sub, false)
}

/// `ratios`: each item divided by the one before; the first item stays (as a float).
pub fn ratios(x: K) -> Result<K> {
    pairwise(x, arith::divide, true)
}

fn pairwise(x: K, f: fn(K, K) -> Result<K>, float: bool) -> Result<K> {
    crate::q::eval::stack::guard();
    match x.t() {
        XT => super::kit::map_columns(&x, |c| pairwise(c, f, float)),
        XD => {
            let [k, v] = x.items() else { unreachable!() };
            Ok(K::dict(k.clone(), pairwise(v.clone(), f, float)?))
        }
        t if t < 0 => Ok(x),
        0 => {
            let items = x.items();
            let mut out = Vec::with_capacity(items.len());
            for i in 0..items.len() {
                out.push(if i == 0 {
                    first_of(&items[0], float)?
                } else {
                    f(items[i].clone(), items[i - 1].clone())?
                });
            }
            Ok(unify(out))
        }
        _ => {
            if x.n() == 0 {
                return Ok(if float { K::vector(KF, 0) } else { x });
            }
            let prev = previous(&x);
            let r = f(x.clone(), prev)?;
            let first = first_of(&super::kit::item(&x, 0), float)?;
            set_first(r, &first)
        }
    }
}

fn first_of(k: &K, float: bool) -> Result<K> {
    if float {
        arith::divide(k.clone(), K::long(1))
    } else {
        Ok(k.clone())
    }
}

/// Replaces item 0 of a simple vector with the atom `first` (of the vector's type).
fn set_first(mut r: K, first: &K) -> Result<K> {
    if r.t() <= 0
        || r.t() >= XT
        || first.t() >= 0
        || r.t() != first.t().wrapping_neg()
        || r.n() == 0
    {
        let mut items = super::kit::items_of(&r);
        items[0] = first.clone();
        return Ok(unify(items));
    }
    let w = super::kit::raw_word(&unify(vec![first.clone()]), 0);
    match item_size(r.t()) {
        1 => r.as_mut_slice::<u8>()[0] = w as u8,
        2 => r.as_mut_slice::<i16>()[0] = w as i16,
        4 => r.as_mut_slice::<i32>()[0] = w as i32,
        _ => r.as_mut_slice::<i64>()[0] = w as i64,
    }
    Ok(r)
}

// ---- weighted and statistical -----------------------------------------------------------------

/// `wsum`: `sum x*y`.
pub fn wsum(x: K, y: K) -> Result<K> {
    if x.t() > 0 && y.t() > 0 && is_numeric(x.t()) && is_numeric(y.t()) {
        // Two vectors: a floating-point dot product, as kdb+ gives.
        if x.n() != y.n() {
            return Err(Error::length());
        }
        let (a, b) = (column::<f64>(&x), column::<f64>(&y));
        let p: Vec<f64> = a.iter().zip(b.iter()).map(|(a, b)| a * b).collect();
        return Ok(K::float(sum_f64(&p)));
    }
    sum(arith::mul(x, y)?)
}

/// `wavg`: `(sum x*y) % sum x`, ignoring pairs where either side is null.
pub fn wavg(x: K, y: K) -> Result<K> {
    crate::q::eval::stack::guard();
    if y.t() == XD {
        return wavg(x, y.items()[1].clone());
    }
    if x.t() == 0 || y.t() == 0 {
        return arith::divide(sum(arith::mul(x.clone(), y)?)?, sum(x)?);
    }
    if !is_numeric(x.t()) || !is_numeric(y.t()) {
        return Err(Error::type_());
    }
    if x.t() >= 0 && y.t() >= 0 && x.n() != y.n() {
        return Err(Error::length());
    }
    let n = if x.t() < 0 { count(&y) } else { count(&x) };
    let (a, b) = (column::<f64>(&x), column::<f64>(&y));
    let at = |s: &[f64], i: usize| if s.len() == 1 { s[0] } else { s[i] };
    let (mut num, mut den) = (0.0, 0.0);
    for i in 0..n {
        let (w, v) = (at(&a, i), at(&b, i));
        if !w.is_nan() && !v.is_nan() {
            num += w * v;
            den += w;
        }
    }
    Ok(K::float(num / den))
}

/// The non-null items of a numeric vector as floats.
fn values(x: &K) -> Result<Vec<f64>> {
    if !is_numeric(x.t()) || x.t() == KC {
        return Err(Error::type_());
    }
    Ok(column::<f64>(x)
        .iter()
        .copied()
        .filter(|v| !v.is_nan())
        .collect())
}

fn variance(v: &[f64], sample: bool) -> f64 {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let ss: f64 = v.iter().map(|x| (x - mean) * (x - mean)).sum();
    spread(ss, n, sample)
}

/// A sum of squared (or crossed) deviations over n items as the variance (or covariance), or
/// the sample one. With no items it is null, sample or not: kdb+ defines `svar`/`scov` as
/// `var`/`cov` times `n%n-1` (ref/var.md, ref/cov.md), and those of no items are null (their
/// `avg`s are); dividing the empty sum by -1 would give 0f (or -0f, as the sum's zero is
/// signed).
pub(super) fn spread(s: f64, n: f64, sample: bool) -> f64 {
    if n == 0.0 {
        NF
    } else if sample {
        s / (n - 1.0)
    } else {
        s / n
    }
}

/// Statistics of a vector, column by column over a matrix, per column over a table.
fn stat(x: K, f: &dyn Fn(&[f64]) -> f64) -> Result<K> {
    crate::q::eval::stack::guard();
    let vector = |v: &K| Ok(K::float(f(&values(v)?)));
    match x.t() {
        XT => per_column(&x, &|c| stat(c, f)),
        XD => stat(x.items()[1].clone(), f),
        0 if x.items().iter().all(|k| k.t() > 0) => {
            let flipped = super::lists::flip(x)?;
            let r: Result<Vec<K>> = flipped.items().iter().map(vector).collect();
            Ok(unify(r?))
        }
        _ => aggregate(x, &vector, |_, _| Err(Error::type_())),
    }
}

pub fn var(x: K) -> Result<K> {
    stat(x, &|v| variance(v, false))
}
pub fn svar(x: K) -> Result<K> {
    stat(x, &|v| variance(v, true))
}
pub fn dev(x: K) -> Result<K> {
    stat(x, &|v| variance(v, false).sqrt())
}
pub fn sdev(x: K) -> Result<K> {
    stat(x, &|v| variance(v, true).sqrt())
}

/// `med`: the median of the non-null items.
pub fn med(x: K) -> Result<K> {
    stat(x, &|v| {
        let mut s = v.to_vec();
        s.sort_by(|a, b| a.total_cmp(b));
        let n = s.len();
        if n == 0 {
            f64::NAN
        } else if n % 2 == 1 {
            s[n / 2]
        } else {
            (s[n / 2 - 1] + s[n / 2]) / 2.0
        }
    })
}

/// Pairs where neither side is null.
fn pairs(x: &K, y: &K) -> Result<(Vec<f64>, Vec<f64>)> {
    if !is_numeric(x.t()) || !is_numeric(y.t()) || x.t() < 0 || y.t() < 0 {
        return Err(Error::type_());
    }
    if x.n() != y.n() {
        return Err(Error::length());
    }
    let (a, b) = (column::<f64>(x), column::<f64>(y));
    Ok(a.iter()
        .zip(b.iter())
        .filter(|(a, b)| !a.is_nan() && !b.is_nan())
        .map(|(&a, &b)| (a, b))
        .unzip())
}

fn covariance(a: &[f64], b: &[f64], sample: bool) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let s: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    spread(s, n, sample)
}

pub fn cov(x: K, y: K) -> Result<K> {
    let (a, b) = pairs(&x, &y)?;
    Ok(K::float(covariance(&a, &b, false)))
}

pub fn scov(x: K, y: K) -> Result<K> {
    let (a, b) = pairs(&x, &y)?;
    Ok(K::float(covariance(&a, &b, true)))
}

pub fn cor(x: K, y: K) -> Result<K> {
    let (a, b) = pairs(&x, &y)?;
    let c = covariance(&a, &b, false) / (variance(&a, false).sqrt() * variance(&b, false).sqrt());
    Ok(K::float(if c.is_finite() { c } else { f64::NAN }))
}

/// `deltas[x0;y]`: differences with x0 as the item before the first.
pub fn deltas_from(x0: K, y: K) -> Result<K> {
    if y.t() <= 0 || count(&y) == 0 {
        return deltas(y);
    }
    let d = deltas(y.clone())?;
    let first = arith::sub(super::kit::item(&y, 0), x0)?;
    set_first(d, &first)
}

#[cfg(test)]
mod tests {
    use super::super::num::Num;
    use super::*;

    /// `avg_i64` gives to the bit what converting to floats and `sum_f64` over the non-nulls
    /// gave before it, on nulls, infinities, extremes and every remainder length.
    #[test]
    fn avg_of_longs_is_the_float_path_to_the_bit() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for len in (0..40).chain([1000, 4099]) {
            let v: Vec<i64> = (0..len)
                .map(|_| match next() % 8 {
                    0 => NJ,
                    1 => i64::MAX,
                    2 => -i64::MAX,
                    3 => (next() as i64) >> 1,
                    _ => (next() % 2001) as i64 - 1000,
                })
                .collect();
            let floats: Vec<f64> = v.iter().map(|&x| f64::from_i64(x)).collect();
            let count = floats.iter().filter(|f| !f.is_nan()).count();
            let want = sum_f64(&floats) / count as f64;
            assert_eq!(avg_i64(&v).to_bits(), want.to_bits(), "{v:?}");
        }
    }
}
