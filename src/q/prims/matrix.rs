//! Matrices of floats: `mmu` (and `$` between float vectors or matrices), `inv`, `lsq`.
//! A matrix is a general list of equal-length numeric vectors (its rows).

use super::num::{column, is_numeric};
use crate::obj::{Error, Result, K, *};

type Matrix = Vec<Vec<f64>>;

fn row(x: &K) -> Result<Vec<f64>> {
    if x.t() <= 0 || !is_numeric(x.t()) {
        return Err(Error::type_());
    }
    Ok(column::<f64>(x).into_owned())
}

fn matrix(x: &K) -> Result<Matrix> {
    if x.t() != 0 {
        return Err(Error::type_());
    }
    let m: Matrix = x.items().iter().map(row).collect::<Result<_>>()?;
    if m.windows(2).any(|w| w[0].len() != w[1].len()) {
        return Err(Error::length());
    }
    Ok(m)
}

fn to_k(m: &Matrix) -> K {
    K::list(m.iter().map(|r| K::from_slice(KF, r)).collect())
}

fn cols(m: &Matrix) -> usize {
    m.first().map_or(0, Vec::len)
}

fn product(a: &Matrix, b: &Matrix) -> Result<Matrix> {
    if cols(a) != b.len() {
        return Err(Error::length());
    }
    let n = cols(b);
    Ok(a.iter()
        .map(|r| {
            let mut out = vec![0.0; n];
            for (k, &v) in r.iter().enumerate() {
                for (o, &w) in out.iter_mut().zip(&b[k]) {
                    *o += v * w;
                }
            }
            out
        })
        .collect())
}

fn transpose(m: &Matrix) -> Matrix {
    (0..cols(m))
        .map(|j| m.iter().map(|r| r[j]).collect())
        .collect()
}

/// `x mmu y`: matrix product; vectors act as a row (left) or a column (right), and two
/// vectors give their dot product.
pub fn mmu(x: K, y: K) -> Result<K> {
    match (x.t() == 0, y.t() == 0) {
        (false, false) => {
            let (a, b) = (row(&x)?, row(&y)?);
            if a.len() != b.len() {
                return Err(Error::length());
            }
            Ok(K::float(a.iter().zip(&b).map(|(p, q)| p * q).sum()))
        }
        (true, true) => Ok(to_k(&product(&matrix(&x)?, &matrix(&y)?)?)),
        (false, true) => {
            let p = product(&vec![row(&x)?], &matrix(&y)?)?;
            Ok(K::from_slice(KF, &p[0]))
        }
        (true, false) => {
            let col: Matrix = row(&y)?.into_iter().map(|v| vec![v]).collect();
            let p = product(&matrix(&x)?, &col)?;
            Ok(K::from_slice(
                KF,
                &p.iter().map(|r| r[0]).collect::<Vec<_>>(),
            ))
        }
    }
}

/// Whether `$` between x and y means `mmu`: x a float vector or a matrix of floats.
pub fn is_mmu(x: &K, y: &K) -> bool {
    let floats = |k: &K| {
        matches!(k.t(), KF | KE)
            || k.t() == 0 && k.n() > 0 && k.items().iter().all(|r| matches!(r.t(), KF | KE))
    };
    floats(x) && (floats(y) || y.t() > 0 && is_numeric(y.t()) && y.t() != KC)
}

fn invert(m: &Matrix) -> Result<Matrix> {
    let n = m.len();
    if m.iter().any(|r| r.len() != n) {
        return Err(Error::length());
    }
    // Gauss-Jordan elimination with partial pivoting on [m | I].
    let mut a: Matrix = m
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut row = r.clone();
            row.extend((0..n).map(|j| (i == j) as u8 as f64));
            row
        })
        .collect();
    for c in 0..n {
        let p = (c..n)
            .max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))
            .unwrap_or(c);
        if a[p][c] == 0.0 || a[p][c].is_nan() {
            return Ok(vec![vec![f64::NAN; n]; n]);
        }
        a.swap(c, p);
        let d = a[c][c];
        a[c].iter_mut().for_each(|v| *v /= d);
        for i in 0..n {
            if i != c {
                let f = a[i][c];
                if f != 0.0 {
                    let pivot = a[c].clone();
                    a[i].iter_mut().zip(&pivot).for_each(|(v, p)| *v -= f * p);
                }
            }
        }
    }
    Ok(a.into_iter().map(|r| r[n..].to_vec()).collect())
}

/// `inv x`: the inverse of a square float matrix (nulls when singular).
pub fn inv(x: K) -> Result<K> {
    if x.t() < 0 && is_numeric(x.t()) {
        return Ok(K::float(1.0 / super::num::scalar::<f64>(&x)));
    }
    Ok(to_k(&invert(&matrix(&x)?)?))
}

/// `x lsq y`: the least-squares solution w of `x = w mmu y`.
pub fn lsq(x: K, y: K) -> Result<K> {
    let (a, b) = (matrix(&x)?, matrix(&y)?);
    let bt = transpose(&b);
    let w = product(&product(&a, &bt)?, &invert(&product(&b, &bt)?)?)?;
    Ok(to_k(&w))
}
