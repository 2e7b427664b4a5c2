//! Object memory. Every K object is one block, laid out as
//!
//! ```text
//! [ Prefix: capacity | mapped length ][ k0 header (16 bytes) ][ data ... ]
//!                                     ^ the K pointer hosts see
//! ```
//!
//! The prefix is ours alone (DESIGN.md allows hidden metadata before the header); it lets
//! appends grow a vector in place with amortised doubling, as `ja` and `,:` need.
//!
//! Two sources of blocks:
//! - small objects come from the C allocator (thread-safe, with per-thread caches);
//! - large ones (`LARGE` and up) are their own anonymous mappings, sized to a power of two,
//!   backed by transparent huge pages, grown with `mremap`, and kept in a bounded cache when
//!   freed. Like kdb+'s own allocator, this keeps big vectors from paying the kernel's page
//!   faults again every time one is made: a fresh 80 MB block costs ten times a memcpy of it.

use std::ptr::NonNull;

use parking_lot::Mutex;

use super::layout::K0;

#[repr(C)]
struct Prefix {
    /// Bytes available for data after the 16-byte header.
    capacity: usize,
    /// Length of the block's own mapping; 0 for blocks from the C allocator.
    mapped: usize,
}

const PREFIX: usize = std::mem::size_of::<Prefix>();
const HEADER: usize = std::mem::size_of::<K0>();
/// Blocks of this many bytes and more are mappings of their own.
const LARGE: usize = 4 << 20;
/// Freed large blocks kept for reuse, in bytes at most.
const CACHE_LIMIT: usize = 1 << 30;

/// The block holding the object at `k`.
#[inline]
fn block(k: NonNull<K0>) -> *mut Prefix {
    // Every object we hand out sits PREFIX bytes into its block.
    k.as_ptr().cast::<u8>().wrapping_sub(PREFIX).cast()
}

fn total(data_bytes: usize) -> usize {
    PREFIX
        .checked_add(HEADER)
        .and_then(|h| h.checked_add(data_bytes))
        .filter(|&n| n <= isize::MAX as usize / 2)
        .unwrap_or_else(|| alloc_failure(data_bytes))
}

/// An allocation the system refuses is kdb+'s `'wsfull`: raised by unwinding (nothing has been
/// changed yet at this point) and turned into a q error at the evaluator's or the C API's
/// boundary, so the host keeps running.
#[cold]
fn alloc_failure(bytes: usize) -> ! {
    let _ = bytes;
    super::Error::new("wsfull").raise()
}

/// Whether the memory handed out must be zeroed.
#[derive(Copy, Clone, PartialEq, Eq)]
pub enum Fill {
    Zeroed,
    /// The caller writes every data byte before anyone reads it.
    Overwritten,
}

/// Allocates an object header with room for `data_bytes` of data; the header is zeroed, the
/// data zeroed unless the caller overwrites it all.
pub fn alloc(data_bytes: usize, fill: Fill) -> NonNull<K0> {
    let size = total(data_bytes);
    let p = if size >= LARGE {
        large::take(size, fill)
    } else {
        // SAFETY: calloc with a non-zero size; the result is checked for null below.
        let p = unsafe { libc::calloc(1, size) }.cast::<Prefix>();
        if p.is_null() {
            alloc_failure(size);
        }
        // SAFETY: p points at a fresh block of at least PREFIX bytes.
        unsafe { (*p).mapped = 0 };
        p
    };
    // SAFETY: p points at a block of at least PREFIX + HEADER + data_bytes bytes; a reused
    // large block's header must be cleared like a fresh one.
    unsafe {
        (*p).capacity = data_bytes;
        let k = p.cast::<u8>().add(PREFIX);
        std::ptr::write_bytes(k, 0, HEADER);
        NonNull::new_unchecked(k.cast())
    }
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
    let b = block(k);
    // SAFETY: b is k's block, which the caller owns exclusively.
    let mapped = unsafe { (*b).mapped };
    let p = if mapped > 0 {
        large::resize(b, mapped, size)
    } else if size >= LARGE {
        // From the C allocator to a mapping of its own: copy the used part once.
        let p = large::take(size, Fill::Overwritten);
        // SAFETY: the old block holds PREFIX + HEADER + old bytes; the new one is larger.
        unsafe {
            std::ptr::copy_nonoverlapping(
                b.cast::<u8>().add(PREFIX),
                p.cast::<u8>().add(PREFIX),
                HEADER + old,
            );
            libc::free(b.cast());
        }
        p
    } else {
        // SAFETY: b came from calloc/realloc and is not used elsewhere (caller's contract).
        let p = unsafe { libc::realloc(b.cast(), size) }.cast::<Prefix>();
        if p.is_null() {
            alloc_failure(size);
        }
        p
    };
    // SAFETY: p is a valid block of at least `size` bytes; the header is at PREFIX.
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
    let b = block(k);
    // SAFETY: b is k's block; the caller guarantees no users.
    let mapped = unsafe { (*b).mapped };
    if mapped > 0 {
        large::give_back(b, mapped);
    } else {
        // SAFETY: b is the pointer calloc/realloc returned.
        unsafe { libc::free(b.cast()) }
    }
}

/// Releases every cached large block to the system (`m9`).
pub fn release_cached() {
    large::release_all();
}

/// Returns what memory it can to the system (kdb+'s `gc`): the cached large blocks and the C
/// allocator's free pages. The bytes of large blocks released.
pub fn collect() -> usize {
    let released = large::release_all();
    // SAFETY: malloc_trim only returns the allocator's free memory; it has no preconditions.
    unsafe { libc::malloc_trim(0) };
    released
}

/// kdb+'s `m4(0)` figures (`.Q.w` used, heap, peak): bytes in objects' blocks, bytes held from
/// the system, and the most held at any call so far. The C allocator's part comes from glibc's
/// `mallinfo2` (looked up at run time: glibc 2.17 has only the 32-bit `mallinfo`).
pub fn stats() -> [usize; 3] {
    let (malloc_used, malloc_held) = malloc_figures();
    let (live, cached) = large::figures();
    let used = malloc_used + live;
    let heap = malloc_held + live + cached;
    let peak = large::PEAK
        .fetch_max(heap, std::sync::atomic::Ordering::Relaxed)
        .max(heap);
    [used, heap, peak]
}

fn malloc_figures() -> (usize, usize) {
    type Mallinfo2 = unsafe extern "C" fn() -> libc::mallinfo2;
    static LOOKUP: std::sync::OnceLock<Option<Mallinfo2>> = std::sync::OnceLock::new();
    let f = LOOKUP.get_or_init(|| {
        // SAFETY: dlsym with RTLD_DEFAULT and a NUL-terminated name only looks a symbol up.
        let p = unsafe { libc::dlsym(libc::RTLD_DEFAULT, c"mallinfo2".as_ptr()) };
        // SAFETY: glibc's mallinfo2 has exactly this signature.
        (!p.is_null()).then(|| unsafe { std::mem::transmute::<*mut libc::c_void, Mallinfo2>(p) })
    });
    match f {
        Some(f) => {
            // SAFETY: glibc's own function, no arguments.
            let m = unsafe { f() };
            (m.uordblks + m.hblkhd, m.arena + m.hblkhd)
        }
        None => {
            // SAFETY: glibc's mallinfo has no preconditions (its fields wrap past 2GB).
            #[allow(deprecated)]
            let m = unsafe { libc::mallinfo() };
            (
                (m.uordblks as u32 as usize) + (m.hblkhd as u32 as usize),
                (m.arena as u32 as usize) + (m.hblkhd as u32 as usize),
            )
        }
    }
}

/// Large blocks: anonymous mappings sized to powers of two, with a bounded cache of freed ones
/// for reuse.
mod large {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Freed mappings by size; a small list because large blocks are few.
    static CACHE: Mutex<Vec<(usize, usize)>> = Mutex::new(Vec::new());
    /// Bytes of mappings holding live objects (for `m4`; large blocks are few, so one shared
    /// counter costs nothing that matters).
    static LIVE: AtomicUsize = AtomicUsize::new(0);
    pub(super) static PEAK: AtomicUsize = AtomicUsize::new(0);

    /// (bytes in live mappings, bytes in cached ones).
    pub(super) fn figures() -> (usize, usize) {
        let cached = CACHE.lock().iter().map(|&(l, _)| l).sum();
        (LIVE.load(Ordering::Relaxed), cached)
    }

    fn mapping_len(size: usize) -> usize {
        size.next_power_of_two()
    }

    pub(super) fn take(size: usize, fill: Fill) -> *mut Prefix {
        let len = mapping_len(size);
        let reused = {
            let mut cache = CACHE.lock();
            cache
                .iter()
                .position(|&(l, _)| l == len)
                .map(|i| cache.swap_remove(i).1)
        };
        let p = match reused {
            Some(addr) => {
                if fill == Fill::Zeroed {
                    // SAFETY: the cached mapping is ours and len bytes long.
                    unsafe { std::ptr::write_bytes(addr as *mut u8, 0, size) };
                }
                addr as *mut Prefix
            }
            None => map(len),
        };
        // SAFETY: p starts a mapping of len bytes.
        unsafe { (*p).mapped = len };
        LIVE.fetch_add(len, Ordering::Relaxed);
        p
    }

    fn map(len: usize) -> *mut Prefix {
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
            alloc_failure(len);
        }
        // Huge pages make first touch 3x cheaper; failure only means small pages.
        // SAFETY: advice on our own fresh mapping.
        unsafe { libc::madvise(p, len, libc::MADV_HUGEPAGE) };
        p.cast()
    }

    pub(super) fn resize(b: *mut Prefix, old_len: usize, size: usize) -> *mut Prefix {
        let len = mapping_len(size);
        if len <= old_len {
            return b;
        }
        // SAFETY: b starts our mapping of old_len bytes; the kernel moves it if it must.
        let p = unsafe { libc::mremap(b.cast(), old_len, len, libc::MREMAP_MAYMOVE) };
        if p == libc::MAP_FAILED {
            alloc_failure(len);
        }
        // SAFETY: p starts the resized mapping.
        unsafe {
            libc::madvise(p, len, libc::MADV_HUGEPAGE);
            (*p.cast::<Prefix>()).mapped = len;
        }
        LIVE.fetch_add(len - old_len, Ordering::Relaxed);
        p.cast()
    }

    pub(super) fn give_back(b: *mut Prefix, len: usize) {
        LIVE.fetch_sub(len, Ordering::Relaxed);
        let mut cache = CACHE.lock();
        let cached: usize = cache.iter().map(|&(l, _)| l).sum();
        if cached + len <= CACHE_LIMIT {
            cache.push((len, b as usize));
            return;
        }
        drop(cache);
        unmap(b as usize, len);
    }

    fn unmap(addr: usize, len: usize) {
        // SAFETY: addr starts a mapping of ours of len bytes that nothing uses any more.
        let rc = unsafe { libc::munmap(addr as *mut libc::c_void, len) };
        debug_assert_eq!(rc, 0, "munmap of our own mapping");
    }

    /// Unmaps every cached block; the bytes released.
    pub(super) fn release_all() -> usize {
        let blocks = std::mem::take(&mut *CACHE.lock());
        let mut released = 0;
        for (len, addr) in blocks {
            unmap(addr, len);
            released += len;
        }
        released
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_blocks_are_zeroed_grown_and_reused() {
        let a = alloc(LARGE, Fill::Zeroed);
        // SAFETY: a has LARGE data bytes after its header.
        let data =
            unsafe { std::slice::from_raw_parts_mut(a.as_ptr().cast::<u8>().add(HEADER), LARGE) };
        assert!(data.iter().all(|&b| b == 0));
        data.fill(7);
        // SAFETY: a is ours and unused elsewhere.
        let a = unsafe { grow(a, 3 * LARGE) };
        assert!(capacity(a) >= 3 * LARGE);
        // SAFETY: the first LARGE bytes survived the move.
        let head =
            unsafe { std::slice::from_raw_parts(a.as_ptr().cast::<u8>().add(HEADER), LARGE) };
        assert!(head.iter().all(|&b| b == 7));
        let addr = block(a) as usize;
        // SAFETY: a is no longer used.
        unsafe { free(a) };
        // The same size class comes back, zeroed again.
        let b = alloc(3 * LARGE, Fill::Zeroed);
        let reused = block(b) as usize == addr;
        // SAFETY: b has 3 * LARGE data bytes.
        let data =
            unsafe { std::slice::from_raw_parts(b.as_ptr().cast::<u8>().add(HEADER), 3 * LARGE) };
        assert!(data.iter().all(|&x| x == 0));
        // SAFETY: b is no longer used.
        unsafe { free(b) };
        release_cached();
        let _ = reused; // other tests may take the cached block first
    }

    #[test]
    fn small_blocks_move_to_a_mapping_when_they_grow_large() {
        let a = alloc(100, Fill::Zeroed);
        // SAFETY: a has 100 data bytes.
        unsafe { a.as_ptr().cast::<u8>().add(HEADER + 99).write(42) };
        // SAFETY: a is ours.
        let a = unsafe { grow(a, LARGE * 2) };
        // SAFETY: byte 99 was copied.
        assert_eq!(
            unsafe { a.as_ptr().cast::<u8>().add(HEADER + 99).read() },
            42
        );
        // SAFETY: a is no longer used.
        unsafe { free(a) };
    }
}
