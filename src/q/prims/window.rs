//! Moving-window statistics `mavg msum mmin mmax mcount mdev` (window n, the first items
//! over the shorter windows they have) and the exponential moving average `ema`.
//! Vectors run in one pass; tables go column by column, dicts and keyed tables by value.

use std::collections::VecDeque;

use super::arith;
use super::kit::{int_atom, map_columns, unify};
use super::num::{column, is_numeric};
use crate::obj::{Error, Result, K, *};

/// Applies a vector window function through tables, dicts and general lists (the latter
/// combining whole items with `item_op` over the window).
fn moving(
    n: K,
    x: K,
    vector: &dyn Fn(usize, &K) -> Result<K>,
    item_op: Option<fn(K, K) -> Result<K>>,
) -> Result<K> {
    let w = int_atom(&n)?;
    if w < 0 {
        return Err(Error::domain());
    }
    moving_by(w as usize, x, vector, item_op)
}

fn moving_by(
    w: usize,
    x: K,
    vector: &dyn Fn(usize, &K) -> Result<K>,
    item_op: Option<fn(K, K) -> Result<K>>,
) -> Result<K> {
    crate::q::eval::stack::guard();
    match x.t() {
        XT => map_columns(&x, |c| moving_by(w, c, vector, item_op)),
        XD => {
            let [k, v] = x.items() else { unreachable!() };
            Ok(K::dict(
                k.clone(),
                moving_by(w, v.clone(), vector, item_op)?,
            ))
        }
        0 if x.n() > 0
            && x.items().iter().all(|k| k.t() > 0 && is_numeric(k.t()))
            && item_op.is_none() =>
        {
            // A list of rows: each column moves on its own.
            let cols = super::lists::flip(x)?;
            let moved: Vec<K> = cols
                .items()
                .iter()
                .map(|c| moving_by(w, c.clone(), vector, item_op))
                .collect::<Result<_>>()?;
            super::lists::flip(K::list(moved))
        }
        0 => {
            let op = item_op.ok_or_else(Error::type_)?;
            let items = x.items();
            let mut out = Vec::with_capacity(items.len());
            for i in 0..items.len() {
                let from = (i + 1).saturating_sub(w.max(1));
                let mut acc = items[from].clone();
                for k in &items[from + 1..=i] {
                    acc = op(acc, k.clone())?;
                }
                out.push(acc);
            }
            Ok(unify(out))
        }
        t if t > 0 && is_numeric(t) && t != KC => vector(w, &x),
        _ => Err(Error::type_()),
    }
}

/// Window sums and non-null counts of floats (nulls count as absent).
fn sums_counts(w: usize, v: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let mut s = Vec::with_capacity(v.len());
    let mut c = Vec::with_capacity(v.len());
    let (mut acc, mut cnt) = (0.0, 0.0);
    for i in 0..v.len() {
        let x = v[i];
        acc += if x.is_nan() { 0.0 } else { x };
        cnt += (!x.is_nan()) as u8 as f64;
        if i >= w {
            let y = v[i - w];
            acc -= if y.is_nan() { 0.0 } else { y };
            cnt -= (!y.is_nan()) as u8 as f64;
        }
        s.push(acc);
        c.push(cnt);
    }
    (s, c)
}

pub fn mavg(n: K, x: K) -> Result<K> {
    moving(
        n,
        x,
        &|w, x| {
            let v = column::<f64>(x);
            if w == 0 {
                return Ok(K::from_slice(KF, &vec![f64::NAN; v.len()]));
            }
            let (s, c) = sums_counts(w, &v);
            let r: Vec<f64> = s.iter().zip(&c).map(|(s, c)| s / c).collect();
            Ok(K::from_slice(KF, &r))
        },
        None,
    )
}

pub fn msum(n: K, x: K) -> Result<K> {
    moving(
        n,
        x,
        &|w, x| {
            if matches!(x.t(), KE | KF | KZ) {
                let (s, _) = sums_counts(w, &column::<f64>(x));
                return Ok(super::cast::convert(&K::from_slice(KF, &s), x.t()));
            }
            let v = column::<i64>(x);
            let z = |a: i64| if a == NJ { 0 } else { a };
            let mut acc = 0i64;
            let r: Vec<i64> = (0..v.len())
                .map(|i| {
                    acc = acc.wrapping_add(z(v[i]));
                    if i >= w {
                        acc = acc.wrapping_sub(z(v[i - w]));
                    }
                    acc
                })
                .collect();
            let out = if matches!(x.t(), KB | KG) { KI } else { x.t() };
            Ok(super::cast::convert(&K::from_slice(KJ, &r), out))
        },
        Some(arith::add),
    )
}

pub fn mcount(n: K, x: K) -> Result<K> {
    moving(
        n,
        x,
        &|w, x| {
            let (_, c) = sums_counts(w, &column::<f64>(x));
            let r: Vec<i64> = c.iter().map(|&c| c as i64).collect();
            Ok(K::from_slice(KJ, &r))
        },
        None,
    )
}

pub fn mdev(n: K, x: K) -> Result<K> {
    moving(
        n,
        x,
        &|w, x| {
            let v = column::<f64>(x);
            let sq: Vec<f64> = v.iter().map(|x| x * x).collect();
            let (s, c) = sums_counts(w, &v);
            let (s2, _) = sums_counts(w, &sq);
            let r: Vec<f64> = (0..v.len())
                .map(|i| {
                    let m = s[i] / c[i];
                    if c[i] == 0.0 {
                        f64::NAN
                    } else {
                        (s2[i] / c[i] - m * m).max(0.0).sqrt()
                    }
                })
                .collect();
            Ok(K::from_slice(KF, &r))
        },
        None,
    )
}

/// Window extreme with a monotonic deque (linear time); nulls are the least value.
fn extreme(w: usize, x: &K, max: bool) -> Result<K> {
    let t = x.t();
    let float = matches!(t, KE | KF | KZ);
    let key: Vec<f64> = if float {
        column::<f64>(x)
            .iter()
            .map(|&v| if v.is_nan() { f64::NEG_INFINITY } else { v })
            .collect()
    } else {
        Vec::new()
    };
    let ints: Vec<i64> = if float {
        Vec::new()
    } else {
        column::<i64>(x).into_owned()
    };
    let better = |a: usize, b: usize| -> bool {
        // Whether item a beats (or ties) item b for the window's extreme.
        let o = if float {
            key[a]
                .partial_cmp(&key[b])
                .unwrap_or(std::cmp::Ordering::Equal)
        } else {
            ints[a].cmp(&ints[b])
        };
        if max {
            o.is_ge()
        } else {
            o.is_le()
        }
    };
    let n = if float { key.len() } else { ints.len() };
    let mut dq: VecDeque<usize> = VecDeque::new();
    let mut idx = Vec::with_capacity(n);
    for i in 0..n {
        while dq.back().is_some_and(|&b| better(i, b)) {
            dq.pop_back();
        }
        dq.push_back(i);
        if dq.front().is_some_and(|&f| f + w.max(1) <= i) {
            dq.pop_front();
        }
        idx.push(dq[0] as i64);
    }
    let r = super::kit::gather(x, &idx);
    if !max {
        return Ok(r);
    }
    // An all-null window's maximum is the type's negative infinity.
    let inf = match item_size(t) {
        2 => K::short(-WH),
        4 if !float => K::atom_i32(-t, -WI),
        4 => K::real(-WE),
        _ if float => K::atom_word(-t, (-WF).to_bits()),
        _ => K::atom_i64(-t, -WJ),
    };
    super::join::fill(inf, r)
}

pub fn mmax(n: K, x: K) -> Result<K> {
    moving(n, x, &|w, x| extreme(w, x, true), Some(arith::or))
}

pub fn mmin(n: K, x: K) -> Result<K> {
    moving(n, x, &|w, x| extreme(w, x, false), Some(arith::and))
}

/// `ema[a;x]`: e0 = x0, then a*x + (1-a)*previous.
pub fn ema(a: K, x: K) -> Result<K> {
    crate::q::eval::stack::guard();
    match x.t() {
        XT => map_columns(&x, |c| ema(a.clone(), c)),
        t if t > 0 && is_numeric(t) => {
            if !is_numeric(a.t()) {
                return Err(Error::type_());
            }
            let alpha = column::<f64>(&a);
            let v = column::<f64>(&x);
            if alpha.len() != 1 && alpha.len() != v.len() {
                return Err(Error::length());
            }
            let mut prev = f64::NAN;
            let r: Vec<f64> = v
                .iter()
                .enumerate()
                .map(|(i, &x)| {
                    let al = alpha[if alpha.len() == 1 { 0 } else { i }];
                    prev = if i == 0 {
                        x
                    } else {
                        al * x + (1.0 - al) * prev
                    };
                    prev
                })
                .collect();
            Ok(K::from_slice(KF, &r))
        }
        _ => Err(Error::type_()),
    }
}
