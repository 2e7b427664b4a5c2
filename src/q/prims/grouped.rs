//! Aggregates per group in one pass over the rows, without a list per group: `sum avg min max
//! count first last med var svar dev sdev prd` of a column and `wsum wavg cor cov scov` of two,
//! given each row's group (`groupid`).
//!
//! Each gives, group by group, exactly what the aggregate gives on that group's rows: the same
//! result type, nulls skipped the same way, and floats summed in the same order (the eight
//! lanes of `agg::sum_f64`), so a grouped query and a query per group agree to the bit. A type
//! an aggregate does not handle here gives None and the caller runs the aggregate per group.

use std::borrow::Cow;

use super::groupid::Groups;
use super::num::{column, Num};
use crate::obj::{K, *};

/// An aggregate this module computes per group.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Agg {
    Sum,
    Prd,
    Avg,
    Min,
    Max,
    Count,
    First,
    Last,
    Med,
    Var,
    Svar,
    Dev,
    Sdev,
    Wsum,
    Wavg,
    Cor,
    Cov,
    Scov,
}

impl Agg {
    /// The aggregate a keyword names, and how many columns it takes.
    pub fn named(name: &str) -> Option<(Agg, usize)> {
        use Agg::*;
        Some(match name {
            "sum" => (Sum, 1),
            "prd" => (Prd, 1),
            "avg" => (Avg, 1),
            "min" => (Min, 1),
            "max" => (Max, 1),
            "count" => (Count, 1),
            "first" => (First, 1),
            "last" => (Last, 1),
            "med" => (Med, 1),
            "var" => (Var, 1),
            "svar" => (Svar, 1),
            "dev" => (Dev, 1),
            "sdev" => (Sdev, 1),
            "wsum" => (Wsum, 2),
            "wavg" => (Wavg, 2),
            "cor" => (Cor, 2),
            "cov" => (Cov, 2),
            "scov" => (Scov, 2),
            _ => return None,
        })
    }
}

/// `agg` of `cols` (each one item per row of `g`) per group, or None where this does not
/// handle the columns' types.
pub fn aggregate(g: &Groups, agg: Agg, cols: &[&K]) -> Option<K> {
    let x = cols.first()?;
    if cols
        .iter()
        .any(|c| c.t() <= 0 || c.t() >= XT || c.n() != g.id.len())
    {
        return None;
    }
    use Agg::*;
    match agg {
        Count => Some(K::from_slice(KJ, g.sizes())),
        First | Last if (1..20).contains(&x.t()) => {
            let at = if agg == First { g.firsts() } else { g.lasts() };
            Some(super::kit::gather(x, &at))
        }
        Sum => sum(g, x),
        Prd => prd(g, x),
        Avg if floatable(x.t()) => Some(match x.t() {
            KJ => match exact_long_sums(g, x.as_slice::<i64>()) {
                Some((s, n)) => K::from_fn(KF, g.count, |k| s[k] / n[k] as f64),
                None => avg_of(g, x.as_slice::<i64>()),
            },
            KI => avg_of(g, x.as_slice::<i32>()),
            KF => avg_of(g, x.as_slice::<f64>()),
            _ => avg_of(g, &column::<f64>(x)),
        }),
        Min | Max => extreme(g, x, agg == Max),
        Med if floatable(x.t()) => Some(median(g, &column::<f64>(x))),
        Var | Svar | Dev | Sdev if floatable(x.t()) => {
            let m = moments(g, &column::<f64>(x), &[]);
            let (n, ss) = (m.n, m.saa);
            let sample = matches!(agg, Svar | Sdev);
            let root = matches!(agg, Dev | Sdev);
            Some(K::from_fn(KF, g.count, |k| {
                let var = ss[k] / if sample { n[k] - 1.0 } else { n[k] };
                if root {
                    var.sqrt()
                } else {
                    var
                }
            }))
        }
        Wsum | Wavg | Cor | Cov | Scov => {
            let y = cols.get(1)?;
            if !floatable(x.t()) || !floatable(y.t()) {
                return None;
            }
            let (a, b) = (column::<f64>(x), column::<f64>(y));
            Some(match agg {
                Wsum => {
                    let p: Vec<f64> = a.iter().zip(b.iter()).map(|(a, b)| a * b).collect();
                    K::from_slice(KF, &lane_sums(g, &p))
                }
                Wavg => wavg(g, &a, &b),
                _ => {
                    let Moments { n, saa, sbb, sab } = moments(g, &a, &b);
                    K::from_fn(KF, g.count, |k| {
                        let cov = sab[k] / n[k];
                        match agg {
                            Cov => cov,
                            Scov => sab[k] / (n[k] - 1.0),
                            _ => {
                                let c = cov / ((saa[k] / n[k]).sqrt() * (sbb[k] / n[k]).sqrt());
                                if c.is_finite() {
                                    c
                                } else {
                                    f64::NAN
                                }
                            }
                        }
                    })
                }
            })
        }
        _ => None,
    }
}

/// Per-group values of `part` over all rows: over contiguous parts of the rows on the
/// secondary threads (merged item by item with `merge`, which must give what one pass gives)
/// when there are enough rows per group to make that pay, else in one pass.
fn per_part<T: Send + Copy>(
    rows: usize,
    groups: usize,
    part: impl Fn(std::ops::Range<usize>) -> Vec<T> + Sync,
    merge: impl Fn(T, T) -> T,
) -> Vec<T> {
    let parts = super::split::parts(rows);
    if parts < 2 || groups.saturating_mul(8) > rows {
        return part(0..rows);
    }
    let mut all = super::split::map_ranges(rows, parts, part).into_iter();
    let mut acc = all.next().unwrap_or_default();
    for p in all {
        acc.iter_mut().zip(p).for_each(|(a, b)| *a = merge(*a, b));
    }
    acc
}

/// Types the statistics read as floats (numeric, not char; as `agg` accepts them).
fn floatable(t: i8) -> bool {
    matches!(t, KB | KG | KH | KI | KJ | KE | KF)
}

fn sum(g: &Groups, x: &K) -> Option<K> {
    match x.t() {
        KE | KF => {
            let s = lane_sums(g, &column::<f64>(x));
            let r = K::from_slice(KF, &s);
            Some(if x.t() == KE {
                super::cast::convert(&r, KE)
            } else {
                r
            })
        }
        KB | KG | KH | KI | KJ => {
            let v = column::<i64>(x);
            let (id, count) = (&g.id[..], g.count);
            let s = per_part(
                id.len(),
                count,
                |r| {
                    let mut s = vec![0i64; count];
                    for (&k, &v) in id[r.clone()].iter().zip(&v[r]) {
                        if v != NJ {
                            s[k as usize] = s[k as usize].wrapping_add(v);
                        }
                    }
                    s
                },
                |a, b| a.wrapping_add(b),
            );
            let out = super::agg::sum_type(x.t()).ok()?;
            Some(super::cast::convert(&K::from_slice(KJ, &s), out))
        }
        _ => None,
    }
}

fn prd(g: &Groups, x: &K) -> Option<K> {
    match x.t() {
        KE | KF => {
            let mut p = vec![1.0f64; g.count];
            for (&k, &v) in g.id.iter().zip(column::<f64>(x).iter()) {
                if !v.is_nan() {
                    p[k as usize] *= v;
                }
            }
            Some(super::cast::convert(&K::from_slice(KF, &p), x.t()))
        }
        KB | KG | KH | KI | KJ => {
            let mut p = vec![1i64; g.count];
            for (&k, &v) in g.id.iter().zip(column::<i64>(x).iter()) {
                if v != NJ {
                    p[k as usize] = p[k as usize].wrapping_mul(v);
                }
            }
            let out = super::agg::sum_type(x.t()).ok()?;
            Some(super::cast::convert(&K::from_slice(KJ, &p), out))
        }
        _ => None,
    }
}

/// Per group, the sum `agg::sum_f64` gives over the group's items: nulls as zero, the items
/// of each whole chunk of eight in eight lanes, the lanes added, then the rest one by one.
fn lane_sums<T: Num>(g: &Groups, v: &[T]) -> Vec<f64> {
    if g.count > g.id.len() / 32 {
        // Many small groups: each group's items gathered in order, then summed as a vector.
        let (rows, start) = g.rows();
        let mut buf: Vec<f64> = Vec::new();
        return (0..g.count)
            .map(|k| {
                buf.clear();
                buf.extend(
                    rows[start[k]..start[k + 1]]
                        .iter()
                        .map(|&r| v[r as usize].to_f64()),
                );
                super::agg::sum_f64(&buf)
            })
            .collect();
    }
    let sizes = g.sizes();
    let mut lanes = vec![0.0f64; g.count * 8];
    let mut rest = vec![0.0f64; g.count * 7];
    let mut seen = vec![0u32; g.count];
    for (&k, &x) in g.id.iter().zip(v) {
        let k = k as usize;
        let p = seen[k] as usize;
        seen[k] += 1;
        let whole = sizes[k] as usize & !7;
        let x = x.to_f64();
        let x = if x.is_nan() { 0.0 } else { x };
        if p < whole {
            lanes[k * 8 + (p & 7)] += x;
        } else {
            rest[k * 7 + (p - whole)] = x;
        }
    }
    (0..g.count)
        .map(|k| {
            let mut s: f64 = lanes[k * 8..k * 8 + 8].iter().sum();
            let extra = sizes[k] as usize & 7;
            for &x in &rest[k * 7..k * 7 + extra] {
                s += x;
            }
            s
        })
        .collect()
}

/// Per group, the sum of a long column's non-null items as floats, and their count, in one
/// pass (split across the threads): the sum `lane_sums` gives whenever each group's sum of
/// magnitudes is below 2^53, as then every partial sum, in whatever order, is exact. None
/// where a group's is not.
fn exact_long_sums(g: &Groups, v: &[i64]) -> Option<(Vec<f64>, Vec<u64>)> {
    let (id, count) = (&g.id[..], g.count);
    let acc = per_part(
        id.len(),
        count,
        |r| {
            let mut acc = vec![(0i64, 0u64, 0u64); count];
            for (&k, &v) in id[r.clone()].iter().zip(&v[r]) {
                if v != NJ {
                    let a = &mut acc[k as usize];
                    a.0 = a.0.wrapping_add(v);
                    a.1 = a.1.saturating_add(v.unsigned_abs());
                    a.2 += 1;
                }
            }
            acc
        },
        |a, b| (a.0.wrapping_add(b.0), a.1.saturating_add(b.1), a.2 + b.2),
    );
    if acc.iter().any(|a| a.1 >= 1 << 53) {
        return None;
    }
    Some((
        acc.iter().map(|a| a.0 as f64).collect(),
        acc.iter().map(|a| a.2).collect(),
    ))
}

fn non_null_counts<T: Num>(g: &Groups, v: &[T]) -> Vec<u64> {
    let mut n = vec![0u64; g.count];
    for (&k, &x) in g.id.iter().zip(v) {
        n[k as usize] += !x.is_null() as u64;
    }
    n
}

/// `avg` per group over the column's own machine values.
fn avg_of<T: Num>(g: &Groups, v: &[T]) -> K {
    let (s, n) = (lane_sums(g, v), non_null_counts(g, v));
    K::from_fn(KF, g.count, |k| s[k] / n[k] as f64)
}

/// `min`/`max` per group, nulls skipped; the type's infinity where a group is all null.
fn extreme(g: &Groups, x: &K, max: bool) -> Option<K> {
    let t = x.t();
    match t {
        KE | KF | KZ => {
            let v = column::<f64>(x);
            let inf = if max {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            };
            // One pass: which of two equal zeros max keeps depends on the order it meets them.
            let mut r = vec![inf; g.count];
            for (&k, &v) in g.id.iter().zip(v.iter()) {
                let a = &mut r[k as usize];
                if !v.is_nan() {
                    *a = if max { a.max(v) } else { a.min(v) };
                }
            }
            let r = K::from_slice(KF, &r);
            Some(match t {
                KF => r,
                KE => super::cast::convert(&r, KE),
                _ => K::from_bytes(KZ, r.bytes()),
            })
        }
        KB | KG | KC => {
            let v = x.as_slice::<u8>();
            let mut r = vec![if max { 0u8 } else { u8::MAX }; g.count];
            for (&k, &v) in g.id.iter().zip(v) {
                let a = &mut r[k as usize];
                *a = if max { (*a).max(v) } else { (*a).min(v) };
            }
            Some(K::from_slice(t, &r))
        }
        KH | KI | KJ | KP | KM | KD | KN | KU | KV | KT => {
            let v: Cow<[i64]> = column::<i64>(x);
            let lim = match item_size(t) {
                2 => WH as i64,
                4 => WI as i64,
                _ => WJ,
            };
            let (id, count) = (&g.id[..], g.count);
            let pick = move |a: i64, v: i64| if max { a.max(v) } else { a.min(v) };
            let r = per_part(
                id.len(),
                count,
                |r| {
                    let mut e = vec![if max { -lim } else { lim }; count];
                    for (&k, &v) in id[r.clone()].iter().zip(&v[r]) {
                        if v != NJ {
                            let a = &mut e[k as usize];
                            *a = pick(*a, v);
                        }
                    }
                    e
                },
                pick,
            );
            Some(super::cast::convert(&K::from_slice(KJ, &r), t))
        }
        _ => None,
    }
}

/// Per group, over the pairs where neither side is null: their count and the sums of squared
/// and crossed deviations from the pairs' means.
struct Moments {
    n: Vec<f64>,
    saa: Vec<f64>,
    sbb: Vec<f64>,
    sab: Vec<f64>,
}

/// The moments of a and b per group (of a alone, its non-null items, when b is empty), summed
/// in row order as `agg::variance` and `agg::covariance` sum them.
fn moments(g: &Groups, a: &[f64], b: &[f64]) -> Moments {
    let pair = |i: usize| -> Option<(f64, f64)> {
        let x = a[i];
        let y = if b.is_empty() { 0.0 } else { b[i] };
        (!x.is_nan() && !y.is_nan()).then_some((x, y))
    };
    let mut n = vec![0.0f64; g.count];
    let (mut ma, mut mb) = (vec![0.0f64; g.count], vec![0.0f64; g.count]);
    for (i, &k) in g.id.iter().enumerate() {
        if let Some((x, y)) = pair(i) {
            let k = k as usize;
            n[k] += 1.0;
            ma[k] += x;
            mb[k] += y;
        }
    }
    for k in 0..g.count {
        ma[k] /= n[k];
        mb[k] /= n[k];
    }
    let mut m = Moments {
        saa: vec![0.0f64; g.count],
        sbb: vec![0.0f64; g.count],
        sab: vec![0.0f64; g.count],
        n,
    };
    for (i, &k) in g.id.iter().enumerate() {
        if let Some((x, y)) = pair(i) {
            let k = k as usize;
            let (dx, dy) = (x - ma[k], y - mb[k]);
            m.saa[k] += dx * dx;
            m.sbb[k] += dy * dy;
            m.sab[k] += dx * dy;
        }
    }
    m
}

/// `wavg` per group: sum of w*v over sum of w, pairs with a null skipped.
fn wavg(g: &Groups, w: &[f64], v: &[f64]) -> K {
    let (mut num, mut den) = (vec![0.0f64; g.count], vec![0.0f64; g.count]);
    for (i, &k) in g.id.iter().enumerate() {
        let (w, v) = (w[i], v[i]);
        if !w.is_nan() && !v.is_nan() {
            num[k as usize] += w * v;
            den[k as usize] += w;
        }
    }
    K::from_fn(KF, g.count, |k| num[k] / den[k])
}

/// `med` per group: the middle non-null item (the mean of the two middle ones).
fn median(g: &Groups, v: &[f64]) -> K {
    let (rows, start) = g.rows();
    let mut buf: Vec<f64> = Vec::new();
    K::from_fn(KF, g.count, |k| {
        buf.clear();
        buf.extend(
            rows[start[k]..start[k + 1]]
                .iter()
                .map(|&r| v[r as usize])
                .filter(|x| !x.is_nan()),
        );
        let n = buf.len();
        if n == 0 {
            return f64::NAN;
        }
        let (lo, &mut mid, _) = buf.select_nth_unstable_by(n / 2, |a, b| a.total_cmp(b));
        if n % 2 == 1 {
            mid
        } else {
            let below = lo.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (below + mid) / 2.0
        }
    })
}
