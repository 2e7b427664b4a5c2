//! Memory from the system: blocks from the C allocator (small objects, with its per-thread
//! caches) and anonymous mappings (large vectors, backed by transparent huge pages). A refusal
//! comes back as `None`; what it means (`'wsfull`) is the caller's business.

use std::ffi::c_void;
use std::ptr::NonNull;

/// `size` zeroed bytes from the C allocator.
pub fn heap_zeroed(size: usize) -> Option<NonNull<u8>> {
    // SAFETY: calloc takes no pointers; a null result is returned as None.
    NonNull::new(unsafe { libc::calloc(1, size) }.cast())
}

/// `size` bytes from the C allocator, not cleared: for small blocks the caller clears, which
/// `malloc` serves from its per-thread cache where `calloc` (in glibc) always takes its
/// general path.
pub fn heap_uncleared(size: usize) -> Option<NonNull<u8>> {
    // SAFETY: malloc takes no pointers; a null result is returned as None.
    NonNull::new(unsafe { libc::malloc(size) }.cast())
}

/// Resizes a block from the C allocator; on refusal the old block is left as it was.
///
/// # Safety
/// `p` must come from `heap_zeroed`/`heap_resize` and not be used again if this succeeds.
pub unsafe fn heap_resize(p: NonNull<u8>, size: usize) -> Option<NonNull<u8>> {
    // SAFETY: the caller's contract: p is a live C allocator block.
    NonNull::new(unsafe { libc::realloc(p.as_ptr().cast(), size) }.cast())
}

/// Gives a block back to the C allocator.
///
/// # Safety
/// `p` must come from `heap_zeroed`/`heap_resize` and nothing may use it afterwards.
pub unsafe fn heap_free(p: NonNull<u8>) {
    // SAFETY: the caller's contract.
    unsafe { libc::free(p.as_ptr().cast()) }
}

/// Returns the C allocator's free pages to the system.
pub fn heap_trim() {
    // SAFETY: malloc_trim only returns the allocator's free memory; it has no preconditions.
    unsafe { libc::malloc_trim(0) };
}

/// The C allocator's (bytes in use, bytes held from the system), from glibc's `mallinfo2`
/// (looked up at run time: glibc 2.17 has only the 32-bit `mallinfo`, whose fields wrap past
/// 4 GB).
pub fn heap_figures() -> (usize, usize) {
    type Mallinfo2 = unsafe extern "C" fn() -> libc::mallinfo2;
    static LOOKUP: std::sync::OnceLock<Option<Mallinfo2>> = std::sync::OnceLock::new();
    let f = LOOKUP.get_or_init(|| {
        // SAFETY: dlsym with RTLD_DEFAULT and a NUL-terminated name only looks a symbol up.
        let p = unsafe { libc::dlsym(libc::RTLD_DEFAULT, c"mallinfo2".as_ptr()) };
        // SAFETY: glibc's mallinfo2 has exactly this signature.
        (!p.is_null()).then(|| unsafe { std::mem::transmute::<*mut c_void, Mallinfo2>(p) })
    });
    match f {
        Some(f) => {
            // SAFETY: glibc's own function, no arguments.
            let m = unsafe { f() };
            (m.uordblks + m.hblkhd, m.arena + m.hblkhd)
        }
        None => {
            // SAFETY: glibc's mallinfo has no preconditions.
            #[allow(deprecated)]
            let m = unsafe { libc::mallinfo() };
            (
                (m.uordblks as u32 as usize) + (m.hblkhd as u32 as usize),
                (m.arena as u32 as usize) + (m.hblkhd as u32 as usize),
            )
        }
    }
}

/// A fresh private anonymous mapping of `len` bytes (zeroed, readable and writable), advised
/// to use huge pages.
pub fn map_anonymous(len: usize) -> Option<NonNull<u8>> {
    // SAFETY: an anonymous private mapping with no address hint; checked for failure.
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if p == libc::MAP_FAILED {
        return None;
    }
    advise_huge(p, len);
    NonNull::new(p.cast())
}

/// Grows (or moves) a mapping from `old_len` to `len` bytes; on refusal the old mapping stays.
///
/// # Safety
/// `p` must start a mapping of `old_len` bytes made here; if this succeeds, only the result
/// may be used.
pub unsafe fn remap(p: NonNull<u8>, old_len: usize, len: usize) -> Option<NonNull<u8>> {
    // SAFETY: the caller's contract; the kernel moves the mapping if it must.
    let q = unsafe { libc::mremap(p.as_ptr().cast(), old_len, len, libc::MREMAP_MAYMOVE) };
    if q == libc::MAP_FAILED {
        return None;
    }
    advise_huge(q, len);
    NonNull::new(q.cast())
}

/// Unmaps a mapping made here.
///
/// # Safety
/// `p` must start a mapping of `len` bytes made here that nothing uses any more.
pub unsafe fn unmap(p: NonNull<u8>, len: usize) {
    // SAFETY: the caller's contract.
    let rc = unsafe { libc::munmap(p.as_ptr().cast(), len) };
    debug_assert_eq!(rc, 0, "munmap of our own mapping");
}

/// Huge pages make first touch 3x cheaper; failure only means small pages.
fn advise_huge(p: *mut c_void, len: usize) {
    // SAFETY: advice on a mapping of ours of `len` bytes; it changes no contents.
    unsafe { libc::madvise(p, len, libc::MADV_HUGEPAGE) };
}
