//! Code objects: a host's C function `K f(K, ...)` of rank 1 to 8 as a q function, kdb+'s type
//! 112 "code" (what `dl` makes and `2:` loads). Applying one calls the C function with the
//! arguments borrowed (it keeps one only with `r1`) and takes the object it returns; a null
//! return raises the error it set with `krr`, or gives `::` if it set none; an object with a
//! null item anywhere in it is `'type`.
//!
//! The object is a foreign object (type 112) of four words: an empty finaliser slot, the
//! address of `MARKER` (which tells it from a host's foreign objects, opaque values to q), the
//! function's address and its rank.

use std::ffi::c_void;

use super::{pending, Error, Result, DATA_OFFSET, FOREIGN, K};
use crate::sys::host_fn::{self, MAX_RANK};

const WORDS: usize = 4;

/// Its address marks a code object (a static's address is unique, a function's need not be).
static MARKER: u8 = 0;

fn marker() -> usize {
    &MARKER as *const u8 as usize
}

/// A q function of rank `rank` calling the C function at `f`; 'rank outside 1..=8, 'type for
/// a null `f`.
///
/// # Safety
/// `f` must be null or the address of a C function `K f(K, ...)` taking exactly `rank` K
/// arguments, callable from the engine's thread for as long as the object lives.
pub unsafe fn make(f: *const c_void, rank: i64) -> Result<K> {
    if f.is_null() {
        return Err(Error::type_());
    }
    if !(1..=MAX_RANK as i64).contains(&rank) {
        return Err(Error::rank());
    }
    let x = K::vector(FOREIGN, WORDS);
    let words = [0, marker(), f as usize, rank as usize];
    // SAFETY: a fresh, unshared foreign object has WORDS pointer-sized slots from offset 16;
    // foreign slots are raw words, never released as objects.
    unsafe { std::ptr::copy_nonoverlapping(words.as_ptr(), data(&x), WORDS) };
    Ok(x)
}

/// The function `name` of a loaded shared object as a q function of rank `rank`, as `2:`
/// loads a kdb+ C extension; the loader's message when it has no such symbol.
///
/// Taking a symbol by name as a `K f(K, ...)` of the stated rank is q's contract with the
/// library's author (kdb+'s `2:` makes the same promise on their behalf).
pub fn load(lib: &crate::sys::dl::Library, name: &[u8], rank: i64) -> Result<K> {
    let f = lib.symbol(name).map_err(|e| Error::new(e.as_bytes()))?;
    // SAFETY: f is an exported symbol of a library that is never unloaded; that it is a C
    // function of `rank` K arguments is the contract stated above.
    unsafe { make(f, rank) }
}

fn data(x: &K) -> *mut usize {
    // SAFETY: every object has its data (or union) at offset 16.
    unsafe { x.as_ptr().cast::<u8>().add(DATA_OFFSET).cast::<usize>() }
}

/// The function's address and rank of a code object; None for anything else.
fn parts(x: &K) -> Option<(usize, usize)> {
    if x.t() != FOREIGN || x.n() < WORDS {
        return None;
    }
    // SAFETY: a foreign object with at least WORDS slots; they are plain words.
    let w = unsafe { std::slice::from_raw_parts(data(x), WORDS) };
    (w[0] == 0 && w[1] == marker()).then_some((w[2], w[3]))
}

/// The rank of a code object; None for anything else.
pub fn rank(x: &K) -> Option<usize> {
    parts(x).map(|(_, rank)| rank)
}

/// Calls code object `x` with exactly its rank of arguments. None if `x` is not one.
pub fn call(x: &K, args: &[K]) -> Option<Result<K>> {
    let (f, rank) = parts(x)?;
    if args.len() != rank {
        return Some(Err(Error::rank()));
    }
    let a: Vec<*mut c_void> = args.iter().map(|k| k.as_ptr().cast()).collect();
    // An error left pending from before must not be taken for this call's.
    pending::take_ptr();
    // SAFETY: only `make` writes the marker, and its caller vouched that `f` is a C function
    // of exactly `rank` K arguments; the arguments are live objects, borrowed for the call.
    let r = unsafe { host_fn::call(f, &a) };
    // SAFETY: the C function returns null or an object whose reference it hands over.
    let result = match unsafe { K::from_raw(r.cast()) } {
        // k.h's general lists may hold null items while a host builds them; one that comes
        // back with a hole is refused (and released) before q reads it.
        Some(v) if v.has_holes() => Err(Error::type_()),
        Some(v) => Ok(v),
        None => pending::take().map_or_else(|| Ok(K::identity()), Err),
    };
    Some(result)
}
