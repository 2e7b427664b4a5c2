//! Arithmetic and comparison of two long or float atoms, without the primitives' dispatch.
//!
//! A lambda's `x<2`, `x-1` or `x+y*2` meets two atoms almost every time; the general path
//! (glyph by name, atomic extension, type promotion, temporal operands) costs hundreds of
//! instructions for what is one machine operation. The operations here are the primitives' own
//! (`prims::num::Num`: nulls give null, integers wrap, floats compare with q's tolerance), so
//! the result is the same value the general path gives; anything else returns None and takes
//! the general path.

use crate::obj::*;
use crate::q::prims::num::Num;

/// The glyphs handled here.
#[derive(Clone, Copy)]
enum Op {
    Add,
    Sub,
    Mul,
    Lt,
    Gt,
    Eq,
    Le,
    Ge,
    Ne,
}

/// The glyph a verb names, if handled here: told by its first bytes, with no search.
#[inline(always)]
fn op(g: Sym) -> Option<Op> {
    Some(match g.head() {
        [b'+', 0, _] => Op::Add,
        [b'-', 0, _] => Op::Sub,
        [b'*', 0, _] => Op::Mul,
        [b'<', 0, _] => Op::Lt,
        [b'>', 0, _] => Op::Gt,
        [b'=', 0, _] => Op::Eq,
        [b'<', b'=', 0] => Op::Le,
        [b'>', b'=', 0] => Op::Ge,
        [b'<', b'>', 0] => Op::Ne,
        _ => return None,
    })
}

#[inline(always)]
fn eval<T: Num>(op: Op, a: T, b: T, num: fn(T) -> K) -> K {
    match op {
        Op::Add => num(a.add(b)),
        Op::Sub => num(a.sub(b)),
        Op::Mul => num(a.mul(b)),
        Op::Lt => K::bool(a.lt(b)),
        Op::Gt => K::bool(b.lt(a)),
        Op::Eq => K::bool(a.eq(b)),
        Op::Le => K::bool(!b.lt(a)),
        Op::Ge => K::bool(!a.lt(b)),
        Op::Ne => K::bool(!a.eq(b)),
    }
}

/// The operands of a glyph handled here: two longs, or (a long with a float, or two floats)
/// two floats, a long null becoming a float null.
enum Operands {
    Longs(i64, i64),
    Floats(f64, f64),
}

/// The operation `g` names and its operands, when x and y are long or float atoms.
#[inline(always)]
fn operands(g: Sym, x: &K, y: &K) -> Option<(Op, Operands)> {
    const J: i8 = -KJ;
    const F: i8 = -KF;
    let (tx, ty) = (x.t(), y.t());
    if !matches!(tx, J | F) || !matches!(ty, J | F) {
        return None;
    }
    let op = op(g)?;
    if tx == J && ty == J {
        return Some((op, Operands::Longs(x.j(), y.j())));
    }
    let f = |k: &K| {
        if k.t() == J {
            f64::from_i64(k.j())
        } else {
            k.f()
        }
    };
    Some((op, Operands::Floats(f(x), f(y))))
}

/// Whether `x g y` holds for a comparison glyph `g` when x and y are long or float atoms
/// (what `atom_dyad` gives, without making the boolean); None otherwise.
#[inline]
pub fn atom_holds(g: Sym, x: &K, y: &K) -> Option<bool> {
    match operands(g, x, y)? {
        (op, Operands::Longs(a, b)) => holds(op, a, b),
        (op, Operands::Floats(a, b)) => holds(op, a, b),
    }
}

#[inline(always)]
fn holds<T: Num>(op: Op, a: T, b: T) -> Option<bool> {
    Some(match op {
        Op::Lt => a.lt(b),
        Op::Gt => b.lt(a),
        Op::Eq => a.eq(b),
        Op::Le => !b.lt(a),
        Op::Ge => !a.lt(b),
        Op::Ne => !a.eq(b),
        Op::Add | Op::Sub | Op::Mul => return None,
    })
}

/// `x g y` for the glyph `g` when x and y are long or float atoms; None otherwise.
#[inline]
pub fn atom_dyad(g: Sym, x: &K, y: &K) -> Option<K> {
    Some(match operands(g, x, y)? {
        (op, Operands::Longs(a, b)) => eval(op, a, b, K::long),
        (op, Operands::Floats(a, b)) => eval(op, a, b, K::float),
    })
}
