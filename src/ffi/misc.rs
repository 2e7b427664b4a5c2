//! Reference counts, memory, calendar and version: `r0 r1 m9 m4 gc ymd dj ver vi vk`.

use super::boundary::{borrow, guard, k_result, take};
use super::types::{I, J, K, UJ};
use crate::obj::{self, layout::*, temporal, Error, Guid, Sym};

/// Releases one reference (freeing the object with its last one). Null is ignored.
#[no_mangle]
pub extern "C" fn r0(x: K) {
    // SAFETY: x is null or a live object whose reference the host gives up.
    guard(|| drop(unsafe { take(x) }))
}

/// Adds a reference and returns `x`. Null is returned as is, with `'type` pending.
#[no_mangle]
pub extern "C" fn r1(x: K) -> K {
    // SAFETY: x is null or a live object the host holds.
    guard(|| match unsafe { borrow(x) } {
        Some(k) => obj::K::clone(&k).into_raw(),
        None => k_result(Err(Error::type_())),
    })
}

/// Returns cached memory to the system: the freed large blocks kept for reuse.
#[no_mangle]
pub extern "C" fn m9() {
    guard(obj::alloc::release_cached)
}

/// kdb+'s memory figures as a long vector: `m4(0)` bytes used, held from the system, and the
/// most held (`.Q.w` used heap peak); otherwise the symbols interned and their bytes.
#[no_mangle]
pub extern "C" fn m4(x: I) -> K {
    guard(|| {
        let v: Vec<i64> = if x == 0 {
            obj::alloc::stats().iter().map(|&b| b as i64).collect()
        } else {
            let (n, bytes) = obj::sym::stats();
            vec![n as i64, bytes as i64]
        };
        obj::K::from_slice(KJ, &v).into_raw()
    })
}

/// Returns unused memory to the system; the bytes released (of large blocks).
#[no_mangle]
pub extern "C" fn gc() -> J {
    guard(|| obj::alloc::collect() as J)
}

/// Days from 2000.01.01 to the given date; 0N for a month outside 1..12, a null year, day 0 or
/// a day past the month's end (libe.so's arithmetic exactly).
#[no_mangle]
pub extern "C" fn ymd(year: I, month: I, day: I) -> I {
    guard(|| temporal::c_api::ymd(year, month, day))
}

/// A q date as the integer yyyymmdd.
#[no_mangle]
pub extern "C" fn dj(date: I) -> I {
    guard(|| temporal::c_api::dj(date))
}

/// The release date, as yyyymmdd, of the KX library whose behaviour this one matches: libe.so
/// of PyKX 4.2 (2023.11.22), which the differential test runs beside it.
#[no_mangle]
pub extern "C" fn ver() -> I {
    20231122
}

/// Item `i` of the list `x` as a new object (an atom for a simple vector, the item itself for
/// a general list), or 0 with `'index` when `i` is out of range. `x` is not consumed.
#[no_mangle]
pub extern "C" fn vi(x: K, i: UJ) -> K {
    // SAFETY: x is null or a live object the host holds.
    guard(|| match unsafe { borrow(x) } {
        Some(x) => k_result(item(&x, i)),
        None => k_result(Err(Error::type_())),
    })
}

fn item(x: &obj::K, i: UJ) -> obj::Result<obj::K> {
    let t = x.t();
    if !has_count(t) || t == XD || t < 0 {
        return Err(Error::type_());
    }
    if i >= x.n() as u64 {
        return Err(Error::new("index"));
    }
    let i = i as usize;
    Ok(match t {
        0 => x.item_at(i).ok_or_else(Error::type_)?,
        KS => obj::K::sym(x.as_slice::<Sym>()[i]),
        UU => obj::K::guid_atom(x.as_slice::<Guid>()[i]),
        _ if owns_items(t) => x.item_at(i).ok_or_else(Error::type_)?,
        _ => {
            let size = item_size(t);
            let b = &x.bytes()[i * size..(i + 1) * size];
            let mut word = [0u8; 8];
            word[..size].copy_from_slice(b);
            obj::K::atom_word(-t, u64::from_le_bytes(word))
        }
    })
}

/// Collapses a general list whose items are atoms of one type into a vector of that type
/// (other objects are returned as they are). Takes `x`.
#[no_mangle]
pub extern "C" fn vk(x: K) -> K {
    // SAFETY: k.h convention: vk takes its argument.
    guard(|| match unsafe { take(x) } {
        Some(x) if x.has_holes() => k_result(Err(Error::type_())),
        Some(x) => collapse(x).into_raw(),
        None => k_result(Err(Error::type_())),
    })
}

fn collapse(x: obj::K) -> obj::K {
    if x.t() != 0 || x.n() == 0 {
        return x;
    }
    let t = x.items()[0].t();
    if t >= 0 || t == ERROR || x.items().iter().any(|k| k.t() != t) {
        return x;
    }
    let mut v = obj::K::vector(-t, 0);
    for k in x.items() {
        match -t {
            KS => v.push(k.s()),
            UU => v.push(k.guid()),
            vt => push_word(&mut v, vt, item_size(vt), k.j().to_le_bytes()),
        }
    }
    v
}

fn push_word(v: &mut obj::K, t: i8, size: usize, word: [u8; 8]) {
    match size {
        1 => v.push(word[0]),
        2 => v.push(i16::from_le_bytes([word[0], word[1]])),
        4 if t == KE => v.push(f32::from_le_bytes(word[..4].try_into().expect("4 bytes"))),
        4 => v.push(i32::from_le_bytes(word[..4].try_into().expect("4 bytes"))),
        _ if matches!(t, KF | KZ) => v.push(f64::from_le_bytes(word)),
        _ => v.push(i64::from_le_bytes(word)),
    }
}
