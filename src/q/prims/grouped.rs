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
            let m = moments_of(g, x, None);
            let (n, ss) = (m.n, m.saa);
            let sample = matches!(agg, Svar | Sdev);
            let root = matches!(agg, Dev | Sdev);
            Some(K::from_fn(KF, g.count, |k| {
                let var = super::agg::spread(ss[k], n[k], sample);
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
            if matches!(agg, Wsum | Wavg) {
                let (a, b) = (column::<f64>(x), column::<f64>(y));
                return Some(if agg == Wsum {
                    let p: Vec<f64> = a.iter().zip(b.iter()).map(|(a, b)| a * b).collect();
                    K::from_slice(KF, &lane_sums(g, &p))
                } else {
                    wavg(g, &a, &b)
                });
            }
            let Moments { n, saa, sbb, sab } = moments_of(g, x, Some(y));
            Some(K::from_fn(KF, g.count, |k| {
                let cov = sab[k] / n[k];
                match agg {
                    Cov => cov,
                    Scov => super::agg::spread(sab[k], n[k], true),
                    _ => {
                        let c = cov / ((saa[k] / n[k]).sqrt() * (sbb[k] / n[k]).sqrt());
                        if c.is_finite() {
                            c
                        } else {
                            f64::NAN
                        }
                    }
                }
            }))
        }
        _ => None,
    }
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
            let id = &g.id[..];
            let s = g.merged(
                |rows, lo, n| {
                    let mut s = vec![0i64; n];
                    rows.pairs(id, lo, &v, |k, v| {
                        if v != NJ {
                            s[k] = s[k].wrapping_add(v);
                        }
                    });
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
    let id = &g.id[..];
    match x.t() {
        KE | KF => {
            let v = column::<f64>(x);
            let p = g.ordered(|rows, lo, n| {
                let mut p = vec![1.0f64; n];
                rows.pairs(id, lo, &v, |k, v| {
                    if !v.is_nan() {
                        p[k] *= v;
                    }
                });
                p
            });
            Some(super::cast::convert(&K::from_slice(KF, &p), x.t()))
        }
        KB | KG | KH | KI | KJ => {
            let v = column::<i64>(x);
            let p = g.merged(
                |rows, lo, n| {
                    let mut p = vec![1i64; n];
                    rows.pairs(id, lo, &v, |k, v| {
                        if v != NJ {
                            p[k] = p[k].wrapping_mul(v);
                        }
                    });
                    p
                },
                |a, b| a.wrapping_mul(b),
            );
            let out = super::agg::sum_type(x.t()).ok()?;
            Some(super::cast::convert(&K::from_slice(KJ, &p), out))
        }
        _ => None,
    }
}

/// Per group, the sum `agg::sum_f64` gives over the group's items: nulls as zero, the items
/// of each whole chunk of eight in eight lanes, the lanes added, then the rest one by one.
/// Each group's items are summed by one thread in row order (`Groups::ordered`), so the sums
/// are the same to the bit however many threads there are.
fn lane_sums<T: Num + Sync>(g: &Groups, v: &[T]) -> Vec<f64> {
    lanes::<T, false>(g, v)
        .into_iter()
        .map(|(s, _)| s)
        .collect()
}

/// `lane_sums` and, when `COUNT`, each group's count of non-null items in the same pass (0
/// otherwise).
fn lanes<T: Num + Sync, const COUNT: bool>(g: &Groups, v: &[T]) -> Vec<(f64, u64)> {
    let sizes = g.sizes();
    let id = &g.id[..];
    g.ordered(|rows, lo, n| {
        let sizes = &sizes[lo..lo + n];
        let m: usize = sizes.iter().map(|&c| c as usize).sum();
        if n > m / 32 {
            // Many small groups: each group's items gathered in order, then summed as a
            // vector.
            let mut start = vec![0usize; n + 1];
            for (k, &c) in sizes.iter().enumerate() {
                start[k + 1] = start[k] + c as usize;
            }
            let mut at = start.clone();
            let mut items = vec![0.0f64; m];
            let mut counts = vec![0u64; if COUNT { n } else { 0 }];
            rows.pairs(id, lo, v, |k, x| {
                items[at[k]] = x.to_f64();
                at[k] += 1;
                if COUNT {
                    counts[k] += !x.is_null() as u64;
                }
            });
            return (0..n)
                .map(|k| {
                    let s = super::agg::sum_f64(&items[start[k]..start[k + 1]]);
                    (s, if COUNT { counts[k] } else { 0 })
                })
                .collect();
        }
        // Per group: its position, where the rest begins (the size rounded down to whole
        // chunks of eight) and its non-null count side by side (one cache line for the three);
        // its eight lanes on a line of their own; the running sum of the rest once the lanes
        // are complete.
        let mut state = vec![[0u32; 3]; n];
        for (a, &c) in state.iter_mut().zip(sizes) {
            a[1] = c as u32 & !7;
        }
        let mut lanes = vec![Lanes::default(); n];
        let mut tail = vec![0.0f64; n];
        rows.pairs(id, lo, v, |k, x| {
            let a = &mut state[k];
            let p = a[0];
            a[0] += 1;
            if COUNT {
                a[2] += !x.is_null() as u32;
            }
            let x = x.to_f64();
            let x = if x.is_nan() { 0.0 } else { x };
            if p < a[1] {
                lanes[k].0[p as usize & 7] += x;
            } else if p == a[1] {
                // The lanes are complete: their sum, then the rest one by one.
                tail[k] = lanes[k].0.iter().sum::<f64>() + x;
            } else {
                tail[k] += x;
            }
        });
        (0..n)
            .map(|k| {
                let [seen, whole, count] = state[k];
                let s = if seen > whole {
                    tail[k]
                } else {
                    lanes[k].0.iter().sum()
                };
                (s, if COUNT { count as u64 } else { 0 })
            })
            .collect()
    })
}

/// A group's eight lanes, on one cache line.
#[derive(Clone, Copy, Default)]
#[repr(C, align(64))]
struct Lanes([f64; 8]);

/// Per group, the sum of a long column's non-null items as floats, and their count, in one
/// pass (split across the threads): the sum `lane_sums` gives whenever each group's sum of
/// magnitudes is below 2^53, as then every partial sum, in whatever order, is exact. None
/// where a group's is not.
fn exact_long_sums(g: &Groups, v: &[i64]) -> Option<(Vec<f64>, Vec<u64>)> {
    let id = &g.id[..];
    // First the sums alone (wrapping), the column's extremes kept on the way: with no nulls
    // and every item so small that all of them sum below 2^53 in magnitude, so does each
    // group's, the sums are exact and the counts are the group sizes. Otherwise the pass
    // below.
    use std::sync::atomic::{AtomicI64, Ordering};
    let (lo, hi) = (AtomicI64::new(i64::MAX), AtomicI64::new(i64::MIN));
    let s = g.merged(
        |rows, first, n| {
            let mut s = vec![0i64; n];
            let (mut l, mut h) = (i64::MAX, i64::MIN);
            rows.pairs(id, first, v, |k, v| {
                s[k] = s[k].wrapping_add(v);
                l = l.min(v);
                h = h.max(v);
            });
            lo.fetch_min(l, Ordering::Relaxed);
            hi.fetch_max(h, Ordering::Relaxed);
            s
        },
        |a, b| a.wrapping_add(b),
    );
    let (lo, hi) = (lo.into_inner(), hi.into_inner());
    let top = lo.unsigned_abs().max(hi.unsigned_abs()) as u128;
    if lo != NJ && top * (v.len() as u128) < 1 << 53 {
        return Some((
            s.iter().map(|&s| s as f64).collect(),
            g.sizes().iter().map(|&c| c as u64).collect(),
        ));
    }
    let acc = g.merged(
        |rows, lo, n| {
            let mut acc = vec![(0i64, 0u64, 0u64); n];
            rows.pairs(id, lo, v, |k, v| {
                if v != NJ {
                    let a = &mut acc[k];
                    a.0 = a.0.wrapping_add(v);
                    a.1 = a.1.saturating_add(v.unsigned_abs());
                    a.2 += 1;
                }
            });
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

/// `avg` per group over the column's own machine values: the lane sums and the non-null
/// counts in one pass.
fn avg_of<T: Num + Sync>(g: &Groups, v: &[T]) -> K {
    let s = lanes::<T, true>(g, v);
    K::from_fn(KF, g.count, |k| s[k].0 / s[k].1 as f64)
}

/// `min`/`max` per group, nulls skipped; the type's infinity where a group is all null.
fn extreme(g: &Groups, x: &K, max: bool) -> Option<K> {
    let t = x.t();
    let id = &g.id[..];
    match t {
        KE | KF | KZ => {
            let v = column::<f64>(x);
            let inf = if max {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            };
            // Each group in row order: which of two equal zeros max keeps depends on the order
            // it meets them.
            let r = g.ordered(|rows, lo, n| {
                let mut e = vec![inf; n];
                rows.pairs(id, lo, &v, |k, v| {
                    if !v.is_nan() {
                        let a = &mut e[k];
                        *a = if max { a.max(v) } else { a.min(v) };
                    }
                });
                e
            });
            let r = K::from_slice(KF, &r);
            Some(match t {
                KF => r,
                KE => super::cast::convert(&r, KE),
                _ => K::from_bytes(KZ, r.bytes()),
            })
        }
        KB | KG | KC => {
            let v = x.as_slice::<u8>();
            let pick = move |a: u8, v: u8| if max { a.max(v) } else { a.min(v) };
            let r = g.merged(
                |rows, lo, n| {
                    let mut e = vec![if max { 0u8 } else { u8::MAX }; n];
                    rows.pairs(id, lo, v, |k, v| e[k] = pick(e[k], v));
                    e
                },
                pick,
            );
            Some(K::from_slice(t, &r))
        }
        KH | KI | KJ | KP | KM | KD | KN | KU | KV | KT => {
            let v: Cow<[i64]> = column::<i64>(x);
            let lim = match item_size(t) {
                2 => WH as i64,
                4 => WI as i64,
                _ => WJ,
            };
            let pick = move |a: i64, v: i64| if max { a.max(v) } else { a.min(v) };
            let r = g.merged(
                |rows, lo, n| {
                    let mut e = vec![if max { -lim } else { lim }; n];
                    rows.pairs(id, lo, &v, |k, v| {
                        if v != NJ {
                            e[k] = pick(e[k], v);
                        }
                    });
                    e
                },
                pick,
            );
            Some(super::cast::convert(&K::from_slice(KJ, &r), t))
        }
        _ => None,
    }
}

/// The moments of x and y (of x alone when y is None) per group, read from longs, ints and
/// floats in place (db-benchmark q9's `v1 cor v2` over longs: no float copies of the columns),
/// other types converted first. An item reads as `column::<f64>` converts it (`Num::to_f64`:
/// a null as NaN), so the sums are the same to the bit.
fn moments_of(g: &Groups, x: &K, y: Option<&K>) -> Moments {
    macro_rules! with {
        ($k:expr, |$v:ident| $body:expr) => {
            match $k.t() {
                KJ => {
                    let $v = $k.as_slice::<i64>();
                    $body
                }
                KI => {
                    let $v = $k.as_slice::<i32>();
                    $body
                }
                _ => {
                    let $v: &[f64] = &column::<f64>($k);
                    $body
                }
            }
        };
    }
    match y {
        None => with!(x, |a| moments::<_, f64>(g, a, &[])),
        Some(y) => with!(x, |a| with!(y, |b| moments(g, a, b))),
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
fn moments<A: Num + Sync, B: Num + Sync>(g: &Groups, a: &[A], b: &[B]) -> Moments {
    let pair = |i: usize| -> Option<(f64, f64)> {
        let x = a[i].to_f64();
        let y = if b.is_empty() { 0.0 } else { b[i].to_f64() };
        (!x.is_nan() && !y.is_nan()).then_some((x, y))
    };
    let id = &g.id[..];
    let per = g.ordered(|rows, lo, count| {
        let mut n = vec![0.0f64; count];
        let (mut ma, mut mb) = (vec![0.0f64; count], vec![0.0f64; count]);
        rows.each(|i| {
            if let Some((x, y)) = pair(i) {
                let k = id[i] as usize - lo;
                n[k] += 1.0;
                ma[k] += x;
                mb[k] += y;
            }
        });
        for k in 0..count {
            ma[k] /= n[k];
            mb[k] /= n[k];
        }
        let mut m = vec![(0.0f64, 0.0f64, 0.0f64, 0.0f64); count];
        rows.each(|i| {
            if let Some((x, y)) = pair(i) {
                let k = id[i] as usize - lo;
                let (dx, dy) = (x - ma[k], y - mb[k]);
                let s = &mut m[k];
                s.1 += dx * dx;
                s.2 += dy * dy;
                s.3 += dx * dy;
            }
        });
        m.iter_mut().zip(n).for_each(|(s, n)| s.0 = n);
        m
    });
    Moments {
        n: per.iter().map(|s| s.0).collect(),
        saa: per.iter().map(|s| s.1).collect(),
        sbb: per.iter().map(|s| s.2).collect(),
        sab: per.iter().map(|s| s.3).collect(),
    }
}

/// `wavg` per group: sum of w*v over sum of w, pairs with a null skipped.
fn wavg(g: &Groups, w: &[f64], v: &[f64]) -> K {
    let id = &g.id[..];
    let s = g.ordered(|rows, lo, n| {
        let mut s = vec![(0.0f64, 0.0f64); n];
        rows.each(|i| {
            let (w, v) = (w[i], v[i]);
            if !w.is_nan() && !v.is_nan() {
                let a = &mut s[id[i] as usize - lo];
                a.0 += w * v;
                a.1 += w;
            }
        });
        s
    });
    K::from_fn(KF, g.count, |k| s[k].0 / s[k].1)
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
