//! Type promotion as data: which machine type (`Dom`) a binary operation computes in, what type
//! its result has, and by how much each side is scaled first (a date is days, a timestamp
//! nanoseconds, so `date+timespan` brings the date to nanoseconds).

use crate::obj::*;

/// The machine type a computation runs in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Dom {
    H,
    I,
    J,
    E,
    F,
}

/// How to compute one binary operation on a pair of types.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Promo {
    pub dom: Dom,
    pub out: i8,
    pub scale_x: i64,
    pub scale_y: i64,
}

/// The binary operations whose promotion differs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Arith {
    Add,
    Sub,
    Mul,
    /// `&` `|`: same type stays (bools, bytes and chars too).
    MinMax,
    /// `mod`: as `-` over numbers, temporal types keep theirs.
    Mod,
}

const DAY_NS: i64 = 86_400_000_000_000;
const MS_NS: i64 = 1_000_000;
const MIN_NS: i64 = 60_000_000_000;
const SEC_NS: i64 = 1_000_000_000;

/// Result of `+ - *` on numbers; rows x, columns y, in the order b g h i j e f.
/// Bools and bytes alone make ints; otherwise the wider type wins, reals above longs
/// (`0we+5` is `0we`).
const NUMERIC: [[i8; 7]; 7] = [
    [KI, KI, KH, KI, KJ, KE, KF],
    [KI, KI, KH, KI, KJ, KE, KF],
    [KH, KH, KH, KI, KJ, KE, KF],
    [KI, KI, KI, KI, KJ, KE, KF],
    [KJ, KJ, KJ, KJ, KJ, KE, KF],
    [KE, KE, KE, KE, KE, KE, KF],
    [KF, KF, KF, KF, KF, KF, KF],
];

fn numeric_index(t: i8) -> Option<usize> {
    [KB, KG, KH, KI, KJ, KE, KF].iter().position(|&n| n == t)
}

/// Stands for any of b g h i j in the temporal table.
const INT: i8 = -1;
/// Stands for any of b g h i j e f.
const NUM: i8 = -2;

/// (operation, x type, y type, result type, scale of x, scale of y). `+` and `*` rows also
/// match with x and y swapped.
#[rustfmt::skip]
const TEMPORAL: &[(Arith, i8, i8, i8, i64, i64)] = &[
    (Arith::Add, KD, INT, KD, 1, 1), (Arith::Add, KM, INT, KM, 1, 1),
    (Arith::Add, KU, INT, KU, 1, 1), (Arith::Add, KV, INT, KV, 1, 1), (Arith::Add, KT, INT, KT, 1, 1),
    (Arith::Add, KP, INT, KP, 1, 1), (Arith::Add, KN, INT, KN, 1, 1), (Arith::Add, KZ, NUM, KZ, 1, 1),
    (Arith::Add, KD, KN, KP, DAY_NS, 1), (Arith::Add, KD, KT, KP, DAY_NS, MS_NS),
    (Arith::Add, KD, KU, KP, DAY_NS, MIN_NS), (Arith::Add, KD, KV, KP, DAY_NS, SEC_NS),
    (Arith::Add, KP, KN, KP, 1, 1), (Arith::Add, KP, KT, KP, 1, MS_NS),
    (Arith::Add, KP, KU, KP, 1, MIN_NS), (Arith::Add, KP, KV, KP, 1, SEC_NS),
    (Arith::Add, KN, KN, KN, 1, 1), (Arith::Add, KN, KT, KN, 1, MS_NS),
    (Arith::Add, KN, KU, KN, 1, MIN_NS), (Arith::Add, KN, KV, KN, 1, SEC_NS),
    (Arith::Add, KT, KT, KT, 1, 1), (Arith::Add, KU, KU, KU, 1, 1), (Arith::Add, KV, KV, KV, 1, 1),
    (Arith::Sub, KD, INT, KD, 1, 1), (Arith::Sub, KM, INT, KM, 1, 1),
    (Arith::Sub, KU, INT, KU, 1, 1), (Arith::Sub, KV, INT, KV, 1, 1), (Arith::Sub, KT, INT, KT, 1, 1),
    (Arith::Sub, KP, INT, KP, 1, 1), (Arith::Sub, KN, INT, KN, 1, 1), (Arith::Sub, KZ, NUM, KZ, 1, 1),
    (Arith::Sub, KD, KD, KI, 1, 1), (Arith::Sub, KM, KM, KI, 1, 1), (Arith::Sub, KZ, KZ, KF, 1, 1),
    (Arith::Sub, KP, KP, KN, 1, 1), (Arith::Sub, KP, KD, KN, 1, DAY_NS), (Arith::Sub, KD, KP, KN, DAY_NS, 1),
    (Arith::Sub, KN, KN, KN, 1, 1), (Arith::Sub, KT, KT, KT, 1, 1),
    (Arith::Sub, KU, KU, KU, 1, 1), (Arith::Sub, KV, KV, KV, 1, 1),
    (Arith::Sub, KP, KN, KP, 1, 1), (Arith::Sub, KP, KT, KP, 1, MS_NS),
    (Arith::Sub, KP, KU, KP, 1, MIN_NS), (Arith::Sub, KP, KV, KP, 1, SEC_NS),
    (Arith::Sub, KD, KN, KP, DAY_NS, 1), (Arith::Sub, KD, KT, KP, DAY_NS, MS_NS),
    (Arith::Sub, KN, KT, KN, 1, MS_NS),
    (Arith::Mul, KN, INT, KN, 1, 1), (Arith::Mul, KM, INT, KM, 1, 1), (Arith::Mul, KT, INT, KT, 1, 1),
    (Arith::Mul, KU, INT, KU, 1, 1), (Arith::Mul, KV, INT, KV, 1, 1),
];

fn fits(pattern: i8, t: i8) -> bool {
    match pattern {
        INT => matches!(t, KB | KG | KH | KI | KJ),
        NUM => matches!(t, KB | KG | KH | KI | KJ | KE | KF),
        p => p == t,
    }
}

/// The machine type results of type `out` are computed in.
pub fn dom_of(out: i8) -> Dom {
    match out.wrapping_abs() {
        KH => Dom::H,
        KJ | KP | KN => Dom::J,
        KE => Dom::E,
        KF | KZ => Dom::F,
        _ => Dom::I,
    }
}

fn plain(out: i8) -> Promo {
    Promo {
        dom: dom_of(out),
        out,
        scale_x: 1,
        scale_y: 1,
    }
}

/// How `x op y` is computed for item types `tx`, `ty` (vector types, i.e. positive), or None
/// for a 'type error.
pub fn arith(op: Arith, tx: i8, ty: i8) -> Option<Promo> {
    let (tx, ty) = (tx.wrapping_abs(), ty.wrapping_abs());
    if op == Arith::MinMax && tx == ty && matches!(tx, KB | KG | KC) {
        return Some(Promo {
            dom: Dom::I,
            out: tx,
            scale_x: 1,
            scale_y: 1,
        });
    }
    if let (Some(ix), Some(iy)) = (numeric_index(tx), numeric_index(ty)) {
        return Some(plain(NUMERIC[ix][iy]));
    }
    let table_op = match op {
        Arith::MinMax | Arith::Mod => {
            // Same temporal type, or temporal with an integer: the temporal type.
            if tx == ty || fits(INT, ty) {
                return crate::q::prims::num::is_numeric(tx).then(|| plain(tx));
            }
            if fits(INT, tx) {
                return crate::q::prims::num::is_numeric(ty).then(|| plain(ty));
            }
            return None;
        }
        op => op,
    };
    let symmetric = table_op != Arith::Sub;
    for &(o, px, py, out, sx, sy) in TEMPORAL {
        if o != table_op {
            continue;
        }
        if fits(px, tx) && fits(py, ty) {
            return Some(Promo {
                dom: dom_of(out),
                out,
                scale_x: sx,
                scale_y: sy,
            });
        }
        if symmetric && fits(px, ty) && fits(py, tx) {
            return Some(Promo {
                dom: dom_of(out),
                out,
                scale_x: sy,
                scale_y: sx,
            });
        }
    }
    None
}

/// How two values are brought together to be compared: same type as is, a float or real side
/// makes floats, timestamps against dates compare in nanoseconds, everything else as longs.
pub fn compare(tx: i8, ty: i8) -> Option<Promo> {
    use crate::q::prims::num::is_numeric;
    let (tx, ty) = (tx.wrapping_abs(), ty.wrapping_abs());
    if !is_numeric(tx) || !is_numeric(ty) {
        return None;
    }
    if tx == ty {
        return Some(Promo {
            dom: dom_of(tx),
            out: KB,
            scale_x: 1,
            scale_y: 1,
        });
    }
    let float = |t: i8| matches!(t, KE | KF | KZ);
    if float(tx) || float(ty) {
        return Some(Promo {
            dom: Dom::F,
            out: KB,
            scale_x: 1,
            scale_y: 1,
        });
    }
    let to_ns = |t: i8| match t {
        KD => DAY_NS,
        KT => MS_NS,
        KU => MIN_NS,
        KV => SEC_NS,
        _ => 1,
    };
    let ns = |t: i8| matches!(t, KP | KN);
    if ns(tx) || ns(ty) {
        return Some(Promo {
            dom: Dom::J,
            out: KB,
            scale_x: to_ns(tx),
            scale_y: to_ns(ty),
        });
    }
    Some(Promo {
        dom: Dom::J,
        out: KB,
        scale_x: 1,
        scale_y: 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_time() {
        assert_eq!(arith(Arith::Add, KB, KB).unwrap().out, KI);
        assert_eq!(arith(Arith::Add, KH, KH).unwrap().out, KH);
        assert_eq!(arith(Arith::Add, KE, KJ).unwrap().out, KE);
        assert_eq!(
            arith(Arith::Add, KJ, KD).unwrap(),
            Promo {
                dom: Dom::I,
                out: KD,
                scale_x: 1,
                scale_y: 1
            }
        );
        assert_eq!(
            arith(Arith::Add, KT, KD).unwrap(),
            Promo {
                dom: Dom::J,
                out: KP,
                scale_x: MS_NS,
                scale_y: DAY_NS
            }
        );
        assert_eq!(arith(Arith::Sub, KD, KD).unwrap().out, KI);
        assert_eq!(arith(Arith::Sub, KJ, KD), None);
        assert_eq!(arith(Arith::Add, KS, KJ), None);
        assert_eq!(arith(Arith::MinMax, KB, KB).unwrap().out, KB);
    }
}
