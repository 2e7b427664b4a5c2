//! Object memory: every K object is one block from the C allocator (thread-safe, with per-thread
//! caches), laid out as
//!
//! ```text
//! [ Prefix: capacity in data bytes | reserved ][ k0 header (16 bytes) ][ data ... ]
//!                                              ^ the K pointer hosts see
//! ```
//!
//! The prefix is ours alone (DESIGN.md allows hidden metadata before the header); it lets
//! appends grow a vector in place with amortised doubling, as `ja` and `,:` need.

use std::ptr::NonNull;

use super::layout::K0;

#[repr(C)]
struct Prefix {
    /// Bytes available for data after the 16-byte header.
    capacity: usize,
    _reserved: usize,
}

const PREFIX: usize = std::mem::size_of::<Prefix>();
const HEADER: usize = std::mem::size_of::<K0>();

/// The block holding the object at `k`.
#[inline]
fn block(k: NonNull<K0>) -> *mut Prefix {
    // SAFETY (of the arithmetic): every object we hand out sits PREFIX bytes into its block.
    k.as_ptr().cast::<u8>().wrapping_sub(PREFIX).cast()
}

fn total(data_bytes: usize) -> usize {
    PREFIX
        .checked_add(HEADER)
        .and_then(|h| h.checked_add(data_bytes))
        .filter(|&n| n <= isize::MAX as usize)
        .unwrap_or_else(|| alloc_failure(data_bytes))
}

#[cold]
fn alloc_failure(bytes: usize) -> ! {
    // kdb+ says 'wsfull and stops; an allocation that cannot be satisfied leaves us no object to
    // return, and Rust's own allocation failure aborts as well.
    eprintln!("libq: 'wsfull: cannot allocate {bytes} bytes");
    std::process::abort()
}

/// Allocates a zeroed object header with room for `data_bytes` of data (also zeroed).
pub fn alloc(data_bytes: usize) -> NonNull<K0> {
    let size = total(data_bytes);
    // SAFETY: calloc with a non-zero size; the result is checked for null below.
    let p = unsafe { libc::calloc(1, size) }.cast::<Prefix>();
    if p.is_null() {
        alloc_failure(size);
    }
    // SAFETY: p points at a block of at least PREFIX bytes, suitably aligned by malloc.
    unsafe { (*p).capacity = data_bytes };
    // SAFETY: the block is PREFIX + HEADER + data bytes long, so the header is in bounds.
    unsafe { NonNull::new_unchecked(p.cast::<u8>().add(PREFIX).cast()) }
}

/// Bytes of data the object at `k` can hold without moving.
#[inline]
pub fn capacity(k: NonNull<K0>) -> usize {
    // SAFETY: k was returned by alloc/grow, so its prefix is initialised and in bounds.
    unsafe { (*block(k)).capacity }
}

/// Moves the object to a block with room for at least `data_bytes`, doubling so that repeated
/// appends cost amortised constant time. Bytes past the old capacity are not initialised.
///
/// # Safety
/// `k` must be a live heap object with no other references (the pointer changes).
pub unsafe fn grow(k: NonNull<K0>, data_bytes: usize) -> NonNull<K0> {
    let old = capacity(k);
    if data_bytes <= old {
        return k;
    }
    let want = data_bytes.max(old.saturating_mul(2)).max(32);
    let size = total(want);
    // SAFETY: block(k) came from calloc/realloc and is not used elsewhere (caller's contract).
    let p = unsafe { libc::realloc(block(k).cast(), size) }.cast::<Prefix>();
    if p.is_null() {
        alloc_failure(size);
    }
    // SAFETY: p is a valid block of `size` bytes; the header is at PREFIX.
    unsafe {
        (*p).capacity = want;
        NonNull::new_unchecked(p.cast::<u8>().add(PREFIX).cast())
    }
}

/// Returns the object's block to the allocator.
///
/// # Safety
/// `k` must be a live heap object that nothing refers to any more.
pub unsafe fn free(k: NonNull<K0>) {
    // SAFETY: block(k) is the pointer calloc/realloc returned; the caller guarantees no users.
    unsafe { libc::free(block(k).cast()) }
}
