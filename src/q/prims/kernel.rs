//! The loops every atomic primitive runs: an operation over two operands of one machine type,
//! atom operands hoisted out of the loop, and a uniquely held vector argument reused for the
//! result. The loops have no branches, so the compiler vectorises them.

use std::borrow::Cow;

use super::num::{column, is_native, Num};
use super::promote::Promo;
use crate::obj::{Item, ATTR_NONE, K};

/// Items that a result may be made of: a machine number, or a bool/byte (`u8`).
pub trait Raw: Item {
    fn word(self) -> u64;
}
impl Raw for u8 {
    fn word(self) -> u64 {
        self as u64
    }
}
macro_rules! raw_num {
    ($($t:ty),*) => {$(impl Raw for $t { fn word(self) -> u64 { Num::bits(self) } })*};
}
raw_num!(i16, i32, i64, f32, f64);

/// `x` converted to `T`, its non-null items multiplied by `scale` (a temporal unit change).
pub fn operand<T: Num>(x: &K, scale: i64) -> Cow<'_, [T]> {
    let c = column::<T>(x);
    if scale == 1 {
        return c;
    }
    let s = T::from_i64(scale);
    Cow::Owned(
        c.iter()
            .map(|&v| if v.is_null() { v } else { v.mul(s) })
            .collect(),
    )
}

/// `f` pairwise over x and y (each an atom or a vector of equal count, checked by the caller),
/// giving items of type `out`.
pub fn binary<T: Num, R: Raw>(x: &K, y: &K, p: &Promo, out: i8, f: impl Fn(T, T) -> R) -> K {
    // Atoms are read as values, with no vector of one made for them.
    let atom = |k: &K, scale: i64| -> T {
        let v = super::num::scalar::<T>(k);
        if scale == 1 || v.is_null() {
            v
        } else {
            v.mul(T::from_i64(scale))
        }
    };
    match (x.t() < 0, y.t() < 0) {
        (true, true) => K::atom_word(-out, f(atom(x, p.scale_x), atom(y, p.scale_y)).word()),
        (true, false) => {
            let (a, b) = (atom(x, p.scale_x), operand::<T>(y, p.scale_y));
            K::from_fn(out, b.len(), |i| f(a, b[i]))
        }
        (false, true) => {
            let (a, b) = (operand::<T>(x, p.scale_x), atom(y, p.scale_y));
            K::from_fn(out, a.len(), |i| f(a[i], b))
        }
        (false, false) => {
            let (a, b) = (operand::<T>(x, p.scale_x), operand::<T>(y, p.scale_y));
            let n = a.len().min(b.len());
            let (a, b) = (&a[..n], &b[..n]);
            K::from_fn(out, n, |i| f(a[i], b[i]))
        }
    }
}

/// As `binary` for results of the operands' own machine type, writing into x or y when one is
/// a uniquely held vector that already has the result's type.
pub fn binary_same<T: Num + Raw>(x: K, y: K, p: &Promo, f: impl Fn(T, T) -> T) -> K {
    let reusable =
        |k: &K, scale: i64| k.t() == p.out && scale == 1 && k.is_unique() && is_native::<T>(k.t());
    if reusable(&x, p.scale_x) {
        let mut x = x;
        // The result is a new value: an attribute of the argument does not carry over.
        x.set_attr(ATTR_NONE);
        let b = operand::<T>(&y, p.scale_y);
        let xs = x.as_mut_slice::<T>();
        if y.t() < 0 {
            let b = b[0];
            xs.iter_mut().for_each(|o| *o = f(*o, b));
        } else {
            xs.iter_mut()
                .zip(b.iter())
                .for_each(|(o, &b)| *o = f(*o, b));
        }
        return x;
    }
    if reusable(&y, p.scale_y) {
        let mut y = y;
        y.set_attr(ATTR_NONE);
        let a = operand::<T>(&x, p.scale_x);
        let ys = y.as_mut_slice::<T>();
        if x.t() < 0 {
            let a = a[0];
            ys.iter_mut().for_each(|o| *o = f(a, *o));
        } else {
            ys.iter_mut()
                .zip(a.iter())
                .for_each(|(o, &a)| *o = f(a, *o));
        }
        return y;
    }
    binary(&x, &y, p, p.out, f)
}

/// `f` over each item of x (atom or vector) converted to `T`, giving type `out`.
pub fn unary<T: Num, R: Raw>(x: &K, out: i8, f: impl Fn(T) -> R) -> K {
    if x.t() < 0 {
        return K::atom_word(-out, f(super::num::scalar::<T>(x)).word());
    }
    let a = column::<T>(x);
    let mut r = K::vector(out, a.len());
    r.as_mut_slice::<R>()
        .iter_mut()
        .zip(a.iter())
        .for_each(|(o, &a)| *o = f(a));
    r
}

/// As `unary` for results of x's own type, in place when x is uniquely held.
pub fn unary_same<T: Num + Raw>(x: K, f: impl Fn(T) -> T) -> K {
    if x.t() > 0 && x.is_unique() && is_native::<T>(x.t()) {
        let mut x = x;
        x.set_attr(ATTR_NONE);
        x.as_mut_slice::<T>().iter_mut().for_each(|o| *o = f(*o));
        return x;
    }
    let t = x.t().wrapping_abs();
    unary(&x, t, f)
}
