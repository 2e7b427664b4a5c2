//! Small helpers over values that the evaluator needs everywhere: items of a list as atoms,
//! lists back from items (collapsing to a simple vector when they allow it), typed nulls,
//! truth, and deep equality.

use super::atoms::*;
use crate::obj::*;

/// The typed null atom of vector type `t` (the fill for out-of-range indexing).
pub fn null_atom(t: i8) -> K {
    let t = t.wrapping_abs();
    match t {
        KB => K::bool(false),
        UU => K::guid_atom(Guid([0; 16])),
        KG => K::byte(0),
        KH => K::short(NH),
        KI | KM | KD | KU | KV | KT => K::atom_i32(-t, NI),
        KE => K::real(NE),
        KF | KZ => K::atom_word(-t, NF.to_bits()),
        KC => K::char(b' '),
        KS => K::sym(Sym::empty()),
        KJ | KP | KN => K::atom_i64(-t, NJ),
        ENUM_FIRST..=ENUM_LAST => K::atom_i64(-t, NJ),
        _ => K::identity(),
    }
}

/// True for vector types whose items are plain atoms.
pub fn is_simple(t: i8) -> bool {
    (1..=ENUM_LAST).contains(&t) && t != 3
}

/// Item `i` of a vector or list (no bounds check beyond the slice's).
pub fn item(x: &K, i: usize) -> K {
    let t = x.t();
    match t {
        0 => x.items()[i].clone(),
        XD => {
            // A dict's i-th value.
            item(&x.items()[1], i)
        }
        UU => K::guid_atom(x.as_slice::<Guid>()[i]),
        _ if is_simple(t) => {
            let w = match item_size(t) {
                1 => x.as_slice::<u8>()[i] as u64,
                2 => x.as_slice::<i16>()[i] as u16 as u64,
                4 => x.as_slice::<i32>()[i] as u32 as u64,
                _ => x.as_slice::<i64>()[i] as u64,
            };
            K::atom_word(-t, w)
        }
        XT => table_row(x, i),
        _ if owns_items(t) => x.items()[i].clone(),
        _ => x.clone(),
    }
}

/// Row `i` of a table as a dictionary.
pub fn table_row(t: &K, i: usize) -> K {
    let d = t.table_dict();
    let cols = &d.items()[0];
    let vals: Vec<K> = d.items()[1].items().iter().map(|c| item(c, i)).collect();
    K::dict(cols.clone(), collapse(vals))
}

/// Count as q's `count` sees it (atoms 1, tables their rows).
pub fn count(x: &K) -> usize {
    match x.t() {
        XT => table::row_count(x),
        // Keys can be a table (a keyed table) or even a dict.
        XD => count(&x.items()[0]),
        t if t < 0 => 1,
        // A lambda holds its parts, but counts as one function.
        t if t >= LAMBDA => 1,
        _ => x.n(),
    }
}

/// The items of a list, dict (values) or table (rows) as owned values; an atom is one item.
pub fn items_of(x: &K) -> Vec<K> {
    super::stack::guard();
    match x.t() {
        XD => items_of(&x.items()[1]),
        XT => (0..table::row_count(x)).map(|i| table_row(x, i)).collect(),
        t if !(0..UNARY).contains(&t) => vec![x.clone()],
        LAMBDA => vec![x.clone()],
        _ => (0..x.n()).map(|i| item(x, i)).collect(),
    }
}

/// A list of `items`: a simple vector when every item is an atom of one type, a table when
/// every item is a dictionary with the same symbol keys, else a general list.
pub fn collapse(items: Vec<K>) -> K {
    super::stack::guard();
    let Some(first) = items.first() else {
        return K::list(items);
    };
    let t = first.t();
    if t < 0 && t != ERROR && items.iter().all(|k| k.t() == t) {
        let vt = -t;
        if vt == UU {
            let g: Vec<Guid> = items.iter().map(|k| k.guid()).collect();
            return K::from_slice(UU, &g);
        }
        let mut v = K::vector(vt, items.len());
        match item_size(vt) {
            1 => {
                let s = v.as_mut_slice::<u8>();
                for (d, k) in s.iter_mut().zip(&items) {
                    *d = k.g();
                }
            }
            2 => {
                let s = v.as_mut_slice::<i16>();
                for (d, k) in s.iter_mut().zip(&items) {
                    *d = k.h();
                }
            }
            4 => {
                let s = v.as_mut_slice::<i32>();
                for (d, k) in s.iter_mut().zip(&items) {
                    *d = k.i();
                }
            }
            _ => {
                let s = v.as_mut_slice::<i64>();
                for (d, k) in s.iter_mut().zip(&items) {
                    *d = k.j();
                }
            }
        }
        return v;
    }
    if t == XD && items.iter().all(|k| k.t() == XD) {
        let keys = &first.items()[0];
        if keys.t() == KS && items.iter().all(|k| identical(&k.items()[0], keys)) {
            let n = keys.n();
            let cols: Vec<K> = (0..n)
                .map(|c| collapse(items.iter().map(|r| item(&r.items()[1], c)).collect()))
                .collect();
            if let Ok(tb) = table::table_from_dict(K::dict(keys.clone(), K::list(cols))) {
                return tb;
            }
        }
    }
    K::list(items)
}

/// q's truth for control flow: a nonzero atom.
pub fn truthy(x: &K) -> Result<bool> {
    Ok(match x.t() {
        A_KB | A_KG | A_KC => x.g() != 0,
        A_KH => x.h() != 0,
        A_KI | A_KM | A_KD | A_KU | A_KV | A_KT => x.i() != 0,
        A_KJ | A_KP | A_KN => x.j() != 0,
        A_KE => x.e() != 0.0,
        A_KF | A_KZ => x.f() != 0.0,
        t if (-ENUM_LAST..=-ENUM_FIRST).contains(&t) => x.j() != 0,
        _ => return Err(Error::type_()),
    })
}

/// An integer atom's value as i64 (for counts and indices).
pub fn as_long(x: &K) -> Option<i64> {
    Some(match x.t() {
        A_KB | A_KG => x.g() as i64,
        A_KH => x.h() as i64,
        A_KI => {
            let i = x.i();
            if i == NI {
                NJ
            } else {
                i as i64
            }
        }
        A_KJ => x.j(),
        _ => return None,
    })
}

/// An integer vector's values as i64 (None for other types).
pub fn as_longs(x: &K) -> Option<Vec<i64>> {
    Some(match x.t() {
        KB | KG => x.as_slice::<u8>().iter().map(|v| *v as i64).collect(),
        KH => x.as_slice::<i16>().iter().map(|v| *v as i64).collect(),
        KI => x
            .as_slice::<i32>()
            .iter()
            .map(|v| if *v == NI { NJ } else { *v as i64 })
            .collect(),
        KJ => x.as_slice::<i64>().to_vec(),
        _ => return None,
    })
}

/// Deep equality with floats compared exactly (key lookups); `~`'s own, in the primitive.
pub use crate::q::prims::compare::identical;

/// The symbol items of a symbol atom or vector.
pub fn syms(x: &K) -> Option<Vec<Sym>> {
    match x.t() {
        A_KS => Some(vec![x.s()]),
        KS => Some(x.as_slice::<Sym>().to_vec()),
        _ => None,
    }
}

/// `enlist`-like: one item as a one-item list of its type.
pub fn enlist(x: K) -> K {
    collapse(vec![x])
}
