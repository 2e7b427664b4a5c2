//! Shared shapes every family uses: items as atoms, lists that collapse to vectors, gathers by
//! index, nulls by type, and the atomic extension of a function over lists, dicts and tables.

use crate::obj::table::{columns, row_count, table_from_dict};
use crate::obj::{Error, Guid, Result, Sym, K, *};

/// Item `i` of a list: an atom for simple vectors, the item itself for general lists.
pub fn item(x: &K, i: usize) -> K {
    let t = x.t();
    match t {
        // Atoms and primitives are their own items.
        _ if !has_count(t) && t != XT || t == -UU => x.clone(),
        XD => item(&x.items()[1], i),
        _ if owns_items(t) => x.items()[i].clone(),
        XT => row(x, i),
        UU => K::guid_atom(x.as_slice::<Guid>()[i]),
        KS => K::sym(x.as_slice::<Sym>()[i]),
        _ => K::atom_word(-t, raw_word(x, i)),
    }
}

/// The raw bits of item `i` of a simple vector, as an atom's union word.
pub fn raw_word(x: &K, i: usize) -> u64 {
    if x.t() < 0 {
        let w = x.j() as u64;
        return match atom_size(x.t()) {
            1 => w & 0xff,
            2 => w & 0xffff,
            4 => w & 0xffff_ffff,
            _ => w,
        };
    }
    match item_size(x.t()) {
        1 => x.as_slice::<u8>()[i] as u64,
        2 => x.as_slice::<i16>()[i] as u16 as u64,
        4 => x.as_slice::<i32>()[i] as u32 as u64,
        _ => x.as_slice::<i64>()[i] as u64,
    }
}

/// Row `i` of a table as a dictionary of column name to value.
pub fn row(t: &K, i: usize) -> K {
    let d = t.table_dict();
    let vals: Vec<K> = d.items()[1].items().iter().map(|c| item(c, i)).collect();
    K::dict(d.items()[0].clone(), unify(vals))
}

/// Count as q's `count`: atoms 1, tables their rows, dicts their keys.
pub fn count(x: &K) -> usize {
    match x.t() {
        XT => row_count(x),
        XD => count(&x.items()[0]),
        t if !(0..LAMBDA).contains(&t) => 1,
        _ => x.n(),
    }
}

/// A general list of `items`, collapsed to a simple vector when all are atoms of one type
/// (as kdb+ does with the results of atomic and each-like operations).
pub fn unify(items: Vec<K>) -> K {
    let Some(first) = items.first() else {
        return K::list(items);
    };
    let t = first.t();
    if t >= 0 || t == ERROR || item_size(t.wrapping_neg()) == 0 || items.iter().any(|k| k.t() != t)
    {
        return K::list(items);
    }
    let vt = -t;
    if vt == UU {
        let v: Vec<Guid> = items.iter().map(|k| k.guid()).collect();
        return K::from_slice(UU, &v);
    }
    if vt == KS {
        let v: Vec<Sym> = items.iter().map(|k| k.s()).collect();
        return K::from_slice(KS, &v);
    }
    let mut out = K::vector(vt, items.len());
    match item_size(vt) {
        1 => out
            .as_mut_slice::<u8>()
            .iter_mut()
            .zip(&items)
            .for_each(|(o, k)| *o = k.g()),
        2 => out
            .as_mut_slice::<i16>()
            .iter_mut()
            .zip(&items)
            .for_each(|(o, k)| *o = k.h()),
        4 => out
            .as_mut_slice::<i32>()
            .iter_mut()
            .zip(&items)
            .for_each(|(o, k)| *o = k.i()),
        _ => out
            .as_mut_slice::<i64>()
            .iter_mut()
            .zip(&items)
            .for_each(|(o, k)| *o = k.j()),
    }
    out
}

/// The items of any list as separate objects (atoms for simple vectors).
pub fn items_of(x: &K) -> Vec<K> {
    if owns_items(x.t()) && x.t() != XD {
        return x.items().to_vec();
    }
    (0..count(x)).map(|i| item(x, i)).collect()
}

/// The null atom of a list or atom type (`::` for general lists).
pub fn null_atom(t: i8) -> K {
    match t.wrapping_abs() {
        0 => K::identity(),
        KB | KG => K::atom_word(-t.wrapping_abs(), 0),
        KC => K::char(b' '),
        KS => K::sym(Sym::empty()),
        UU => K::guid_atom(Guid::default()),
        KH => K::short(NH),
        KE => K::real(NE),
        KF | KZ => K::atom_word(-t.wrapping_abs(), NF.to_bits()),
        KJ | KP | KN => K::atom_i64(-t.wrapping_abs(), NJ),
        tt if (KM..=KT).contains(&tt) || tt == KI => K::atom_i32(-tt, NI),
        _ => K::identity(),
    }
}

/// The prototype item that indexing out of range yields for a list (`x 0N` or an overtake).
pub fn fill_of(x: &K) -> K {
    match x.t() {
        0 => match x.items().first() {
            Some(f) if f.t() >= 0 && f.t() < XT && !owns_items(f.t()) => K::vector(f.t(), 0),
            Some(f) if f.t() < 0 => null_atom(f.t()),
            // An empty general list fills with empty lists (`flip c!5#()` is a table).
            None => K::list(Vec::new()),
            _ => K::string(""),
        },
        t => null_atom(t),
    }
}

/// `x` indexed at `idx` (rows of a table, items of a list); out of range gives the fill.
pub fn gather(x: &K, idx: &[i64]) -> K {
    crate::q::eval::stack::guard();
    let t = x.t();
    if t < 0 || t >= UNARY && !owns_items(t) {
        // An atom (or primitive) stands for a list of one.
        return gather(&as_vector(x), idx);
    }
    let n = count(x) as i64;
    let ok = |i: i64| i >= 0 && i < n;
    match t {
        XT => {
            let d = x.table_dict();
            let cols: Vec<K> = d.items()[1]
                .items()
                .iter()
                .map(|c| gather(c, idx))
                .collect();
            K::table(K::dict(d.items()[0].clone(), K::list(cols)))
        }
        XD => {
            let keys = gather(&x.items()[0], idx);
            let vals = gather(&x.items()[1], idx);
            K::dict(keys, vals)
        }
        _ if owns_items(t) && t != 0 => gather(&K::list(x.items().to_vec()), idx),
        _ if item_size(t) == 0 => gather(&K::list(vec![x.clone()]), idx),
        0 => {
            let fill = fill_of(x);
            let items = x.items();
            let mut v: Vec<K> = Vec::with_capacity(idx.len());
            for part in idx.chunks(crate::q::eval::stop::CHUNK) {
                crate::q::eval::stop::check_unwinding();
                v.extend(part.iter().map(|&i| {
                    if ok(i) {
                        items[i as usize].clone()
                    } else {
                        fill.clone()
                    }
                }));
            }
            K::list(v)
        }
        _ => gather_simple(x, idx),
    }
}

/// A simple vector (or guids) indexed at `idx`: its type's null where out of range. The
/// result is written once, not zeroed first.
pub fn gather_simple(x: &K, idx: &[i64]) -> K {
    let t = x.t();
    let n = x.n() as i64;
    let ok = |i: i64| i >= 0 && i < n;
    macro_rules! g {
        ($ty:ty, $null:expr) => {{
            let src = x.as_slice::<$ty>();
            let null: $ty = $null;
            K::from_fn(t, idx.len(), |k| {
                let i = idx[k];
                if ok(i) {
                    src[i as usize]
                } else {
                    null
                }
            })
        }};
    }
    match t {
        KB | KG => g!(u8, 0),
        KC => g!(u8, b' '),
        KH => g!(i16, NH),
        KE => g!(f32, NE),
        KF | KZ => g!(f64, NF),
        KS => {
            let mut out = K::vector(t, idx.len());
            let src = x.as_slice::<Sym>();
            for (o, &i) in out.as_mut_slice::<Sym>().iter_mut().zip(idx) {
                *o = if ok(i) { src[i as usize] } else { Sym::empty() };
            }
            out
        }
        UU => g!(Guid, Guid::default()),
        _ if item_size(t) == 4 => g!(i32, NI),
        _ => g!(i64, NJ),
    }
}

/// Applies a unary atomic function down through general lists, dicts and tables; `leaf`
/// receives atoms and simple vectors only.
pub fn atomic1(x: K, leaf: &dyn Fn(K) -> Result<K>) -> Result<K> {
    crate::q::eval::stack::guard();
    match x.t() {
        0 => {
            let out = crate::q::eval::stop::try_map(x.items(), |k| atomic1(k.clone(), leaf))?;
            Ok(unify(out))
        }
        XD => {
            let [k, v] = x.items() else { unreachable!() };
            Ok(K::dict(k.clone(), atomic1(v.clone(), leaf)?))
        }
        XT => map_columns(&x, |c| atomic1(c, leaf)),
        t if t >= UNARY || t == ERROR => Err(Error::type_()),
        _ => leaf(x),
    }
}

/// A table with `f` applied to each column.
pub fn map_columns(t: &K, f: impl Fn(K) -> Result<K>) -> Result<K> {
    let d = t.table_dict();
    let cols: Result<Vec<K>> = d.items()[1].items().iter().map(|c| f(c.clone())).collect();
    table_from_dict(K::dict(columns(t).clone(), K::list(cols?)))
}

/// Applies a binary atomic function pairwise through general lists, dicts and tables.
/// Lists must have equal counts ('length); dicts pair values by key, keeping keys found in
/// only one of them as they are (kdb+'s upsert semantics).
pub fn atomic2(x: K, y: K, leaf: &dyn Fn(K, K) -> Result<K>) -> Result<K> {
    crate::q::eval::stack::guard();
    let (tx, ty) = (x.t(), y.t());
    if tx >= UNARY || ty >= UNARY || tx == ERROR || ty == ERROR {
        return Err(Error::type_());
    }
    if tx == XD || ty == XD {
        return dict2(x, y, leaf);
    }
    if tx == XT || ty == XT {
        return table2(x, y, leaf);
    }
    if tx == 0 || ty == 0 {
        let n = if tx >= 0 { x.n() } else { y.n() };
        if tx >= 0 && ty >= 0 && x.n() != y.n() {
            return Err(Error::length());
        }
        let pick = |k: &K, i: usize| if k.t() < 0 { k.clone() } else { item(k, i) };
        let out: Result<Vec<K>> = (0..n)
            .map(|i| atomic2(pick(&x, i), pick(&y, i), leaf))
            .collect();
        return Ok(unify(out?));
    }
    if tx >= 0 && ty >= 0 && x.n() != y.n() {
        return Err(Error::length());
    }
    leaf(x, y)
}

fn dict2(x: K, y: K, leaf: &dyn Fn(K, K) -> Result<K>) -> Result<K> {
    match (x.t() == XD, y.t() == XD) {
        (true, false) => {
            let [k, v] = x.items() else { unreachable!() };
            Ok(K::dict(k.clone(), atomic2(v.clone(), y, leaf)?))
        }
        (false, true) => {
            let [k, v] = y.items() else { unreachable!() };
            Ok(K::dict(k.clone(), atomic2(x, v.clone(), leaf)?))
        }
        _ => {
            let ([kx, vx], [ky, vy]) = (x.items(), y.items()) else {
                unreachable!()
            };
            if crate::q::prims::compare::matches(kx, ky) {
                return Ok(K::dict(kx.clone(), atomic2(vx.clone(), vy.clone(), leaf)?));
            }
            if kx.t() == XT && ky.t() == XT && vx.t() == XT && vy.t() == XT {
                return keyed2(kx, vx, ky, vy, leaf);
            }
            // Keys of x in order, then y's new keys; values combined where both have the key.
            let ky_items = items_of(ky);
            let kx_items = items_of(kx);
            let mut keys = kx_items.clone();
            let mut vals = items_of(vx);
            let vy_items = items_of(vy);
            for (j, k) in ky_items.iter().enumerate() {
                match kx_items
                    .iter()
                    .position(|a| crate::q::prims::compare::matches(a, k))
                {
                    Some(i) => vals[i] = atomic2(vals[i].clone(), vy_items[j].clone(), leaf)?,
                    None => {
                        keys.push(k.clone());
                        vals.push(vy_items[j].clone());
                    }
                }
            }
            Ok(K::dict(unify(keys), unify(vals)))
        }
    }
}

fn table2(x: K, y: K, leaf: &dyn Fn(K, K) -> Result<K>) -> Result<K> {
    match (x.t() == XT, y.t() == XT) {
        (true, false) => map_columns(&x, |c| atomic2(c, y.clone(), leaf)),
        (false, true) => map_columns(&y, |c| atomic2(x.clone(), c, leaf)),
        _ => {
            if !crate::q::prims::compare::matches(columns(&x), columns(&y)) {
                return Err(Error::mismatch());
            }
            if row_count(&x) != row_count(&y) {
                return Err(Error::length());
            }
            let cy = y.table_dict().items()[1].items().to_vec();
            let cx = x.table_dict().items()[1].items().to_vec();
            let cols: Result<Vec<K>> = cx
                .into_iter()
                .zip(cy)
                .map(|(a, b)| atomic2(a, b, leaf))
                .collect();
            table_from_dict(K::dict(columns(&x).clone(), K::list(cols?)))
        }
    }
}

/// A long atom's or long-convertible integer atom's value ('type otherwise).
pub fn int_atom(x: &K) -> Result<i64> {
    match x.t() {
        t if t == -KB || t == -KG => Ok(x.g() as i64),
        t if t == -KH => Ok(if x.h() == NH { NJ } else { x.h() as i64 }),
        t if t == -KI => Ok(if x.i() == NI { NJ } else { x.i() as i64 }),
        t if t == -KJ => Ok(x.j()),
        _ => Err(Error::type_()),
    }
}

/// The items of an integer vector (or atom) as longs ('type for other types).
pub fn int_list(x: &K) -> Result<std::borrow::Cow<'_, [i64]>> {
    match x.t().wrapping_abs() {
        KB | KG | KH | KI | KJ => Ok(crate::q::prims::num::column::<i64>(x)),
        _ => Err(Error::type_()),
    }
}

/// An atom as a one-item vector; lists as they are.
/// The bytes a digest (`md5`, `-33!`) reads: a string or byte vector, or one char or byte.
pub fn digest_input(x: &K) -> Result<std::borrow::Cow<'_, [u8]>> {
    match x.t() {
        KC | KG => Ok(std::borrow::Cow::Borrowed(x.as_slice::<u8>())),
        t if t == -KC || t == -KG => Ok(std::borrow::Cow::Owned(vec![x.g()])),
        _ => Err(Error::type_()),
    }
}

pub fn as_vector(x: &K) -> K {
    match x.t() {
        t if t < 0 => unify(vec![x.clone()]),
        UNARY | BINARY | TERNARY => K::list(vec![x.clone()]),
        _ => x.clone(),
    }
}

/// The most items a primitive will build: more is kdb+'s 'wsfull rather than an abort.
pub const MAX_ITEMS: u64 = 1 << 38;

/// `n` as a length to allocate, or 'wsfull. Primitives build such lengths in Rust vectors
/// (index lists of 8-byte items), whose failed allocation would abort the process: the memory
/// is asked for once here, fallibly, so a refusal is 'wsfull instead.
/// An empty Vec with room for exactly `n` items, or `'wsfull` (a Rust collection that cannot
/// get its memory would abort the process).
pub fn try_vec<T>(n: usize) -> Result<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(n).map_err(|_| Error::new("wsfull"))?;
    Ok(v)
}

pub fn alloc_len(n: u64) -> Result<usize> {
    let wsfull = || Error::new("wsfull");
    if n > MAX_ITEMS {
        return Err(wsfull());
    }
    let n = n as usize;
    Vec::<u64>::new()
        .try_reserve_exact(n)
        .map_err(|_| wsfull())?;
    Ok(n)
}

/// Keyed tables combined by key: rows with a key in both are combined, the others kept.
fn keyed2(kx: &K, vx: &K, ky: &K, vy: &K, leaf: &dyn Fn(K, K) -> Result<K>) -> Result<K> {
    let mut rows: Vec<K> = items_of(vx);
    let mut new_keys: Vec<i64> = Vec::new();
    for (j, &i) in super::keymatch::find_rows(kx, ky, -1).iter().enumerate() {
        let row_y = item(vy, j);
        match usize::try_from(i) {
            Ok(i) => rows[i] = atomic2(rows[i].clone(), row_y, leaf)?,
            Err(_) => {
                new_keys.push(j as i64);
                rows.push(row_y);
            }
        }
    }
    let keys = super::join::join(kx.clone(), gather(ky, &new_keys))?;
    let names = columns(vx).clone();
    let cols: Vec<K> = items_of(&names)
        .iter()
        .map(|n| {
            unify(
                rows.iter()
                    .map(|r| {
                        super::index::at(r.clone(), n.clone()).unwrap_or_else(|_| K::identity())
                    })
                    .collect(),
            )
        })
        .collect();
    Ok(K::dict(
        keys,
        table_from_dict(K::dict(names, K::list(cols)))?,
    ))
}
