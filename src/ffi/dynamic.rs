//! `dl`: a C function `K f(K, ...)` of rank 1 to 8 as a q function, kdb+'s type 112 "code"
//! (what `2:` loads). Applying it calls the C function with the arguments borrowed (it keeps
//! one only with `r1`) and takes the object it returns; a null return raises the error it set
//! with `krr`, or gives `::` if it set none.
//!
//! The object is a foreign object (type 112) of four words: an empty finaliser slot, the
//! address of `MARKER` (which tells it from a host's foreign objects, opaque values to q), the
//! function pointer and the rank.

use std::ffi::c_void;

use super::boundary::take_error;
use super::types::K;
use crate::obj::{self, Error, Sym, FOREIGN};

/// kdb+'s limit on the rank of a function.
pub const MAX_RANK: usize = 8;

const WORDS: usize = 4;

/// Its address marks a dl function (a static's address is unique, a function's need not be).
static MARKER: u8 = 0;

fn marker() -> usize {
    &MARKER as *const u8 as usize
}

/// A q function of rank `rank` calling `f`; 'rank outside 1..=8, 'type for a null `f`.
pub fn make(f: *mut c_void, rank: i64) -> obj::Result<obj::K> {
    if f.is_null() {
        return Err(Error::type_());
    }
    if !(1..=MAX_RANK as i64).contains(&rank) {
        return Err(Error::rank());
    }
    let x = obj::K::vector(FOREIGN, WORDS);
    let words = [0, marker(), f as usize, rank as usize];
    // SAFETY: a fresh, unshared foreign object has WORDS pointer-sized slots from offset 16;
    // foreign slots are raw words, never released as objects.
    unsafe { std::ptr::copy_nonoverlapping(words.as_ptr(), data(&x), WORDS) };
    Ok(x)
}

fn data(x: &obj::K) -> *mut usize {
    // SAFETY: every object has its data (or union) at offset 16.
    unsafe {
        x.as_ptr()
            .cast::<u8>()
            .add(obj::DATA_OFFSET)
            .cast::<usize>()
    }
}

/// The function pointer and rank of a dl function; None for anything else.
fn parts(x: &obj::K) -> Option<(usize, usize)> {
    if x.t() != FOREIGN || x.n() < WORDS {
        return None;
    }
    // SAFETY: a foreign object with at least WORDS slots; they are plain words.
    let w = unsafe { std::slice::from_raw_parts(data(x), WORDS) };
    (w[0] == 0 && w[1] == marker()).then_some((w[2], w[3]))
}

/// The rank of a dl function; None for anything else.
pub fn rank(x: &obj::K) -> Option<usize> {
    parts(x).map(|(_, rank)| rank)
}

/// Calls dl function `x` with exactly its rank of arguments. None if `x` is not one.
pub fn call(x: &obj::K, args: &[obj::K]) -> Option<obj::Result<obj::K>> {
    let (f, rank) = parts(x)?;
    if args.len() != rank {
        return Some(Err(Error::rank()));
    }
    let a: Vec<K> = args.iter().map(obj::K::as_ptr).collect();
    // An error left pending from before must not be taken for this call's.
    take_error();
    macro_rules! call_with {
        ($($i:literal),+) => {{
            // SAFETY: dl's contract: f is `K f(K, ...)` taking exactly `rank` arguments.
            let f: extern "C" fn($(call_with!(@k $i)),+) -> K = unsafe { std::mem::transmute(f) };
            f($(a[$i]),+)
        }};
        (@k $i:literal) => { K };
    }
    let r = match rank {
        1 => call_with!(0),
        2 => call_with!(0, 1),
        3 => call_with!(0, 1, 2),
        4 => call_with!(0, 1, 2, 3),
        5 => call_with!(0, 1, 2, 3, 4),
        6 => call_with!(0, 1, 2, 3, 4, 5),
        7 => call_with!(0, 1, 2, 3, 4, 5, 6),
        _ => call_with!(0, 1, 2, 3, 4, 5, 6, 7),
    };
    // SAFETY: the C function returns null or an object whose reference it hands over.
    let result = match unsafe { obj::K::from_raw(r) } {
        Some(v) => Ok(v),
        None => match take_error() {
            p if p.is_null() => Ok(obj::K::identity()),
            // SAFETY: a pending error is a host string (krr) or an interned symbol.
            p => Err(Error(unsafe { Sym::from_c_str(p) })),
        },
    };
    Some(result)
}
