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

use super::layout::K0;
use crate::sys::memory;

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
    // This 'wsfull answers any use of the reserve too (and takes the reserve back if it can).
    let _ = crate::sys::reserve::exhausted();
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
    if crate::sys::reserve::exhausted() {
        // Memory ran out under a Rust collection: stop the work here.
        alloc_failure(data_bytes);
    }
    // Small objects take a whole block of their size class (the spare room serves appends).
    let (data_bytes, size, p) = if let Some((c, size)) = small::class_for(data_bytes) {
        if !super::workspace::admits(size) {
            // Past the -w limit.
            alloc_failure(size);
        }
        let p = small::take(c, size)
            .or_else(|| small::fresh(size))
            .unwrap_or_else(|| alloc_failure(size))
            .as_ptr()
            .cast::<Prefix>();
        // SAFETY: p points at a fresh (zeroed) block of at least PREFIX bytes.
        unsafe { (*p).mapped = 0 };
        (size - PREFIX - HEADER, size, p)
    } else {
        let size = total(data_bytes);
        if !super::workspace::admits(size) {
            // Past the -w limit.
            alloc_failure(size);
        }
        let p = if size >= LARGE {
            large::take(size, fill)
        } else {
            let p = memory::heap_zeroed(size)
                .unwrap_or_else(|| alloc_failure(size))
                .as_ptr()
                .cast::<Prefix>();
            // SAFETY: p points at a fresh (zeroed) block of at least PREFIX bytes.
            unsafe { (*p).mapped = 0 };
            p
        };
        (data_bytes, size, p)
    };
    super::counts::taken(size);
    // SAFETY: p points at a block of at least PREFIX + HEADER + data_bytes bytes; a reused
    // large block's header must be cleared like a fresh one.
    unsafe {
        (*p).capacity = data_bytes;
        let k = p.cast::<u8>().add(PREFIX);
        std::ptr::write_bytes(k, 0, HEADER);
        NonNull::new_unchecked(k.cast())
    }
}

/// An object header with no data (an atom's block, the smallest class), zeroed: what `alloc`
/// gives for no data, without its size arithmetic when this thread has such a block kept.
#[inline]
pub fn atom() -> NonNull<K0> {
    const SIZE: usize = PREFIX + HEADER;
    if crate::sys::reserve::exhausted() {
        alloc_failure(0);
    }
    if !super::workspace::admits(SIZE) {
        alloc_failure(SIZE);
    }
    let Some(b) = small::take(0, SIZE) else {
        return alloc(0, Fill::Zeroed);
    };
    super::counts::taken(SIZE);
    // SAFETY: b is a zeroed block of SIZE bytes: its prefix reads capacity 0 and no mapping
    // (class 0 holds no data), and the header follows it.
    unsafe { NonNull::new_unchecked(b.as_ptr().add(PREFIX).cast()) }
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
    if !super::workspace::admits(want - old) {
        // Past the -w limit; the object is left as it was.
        alloc_failure(size);
    }
    let b = block(k);
    // SAFETY: b is k's block, which the caller owns exclusively.
    let mapped = unsafe { (*b).mapped };
    let p = if mapped > 0 {
        large::resize(b, mapped, size)
    } else if size >= LARGE {
        // From the C allocator to a mapping of its own: copy the used part once.
        let p = large::take(size, Fill::Overwritten);
        // SAFETY: the old block holds PREFIX + HEADER + old bytes; the new one is larger. The
        // old block came from the C allocator and the caller owns it exclusively.
        unsafe {
            std::ptr::copy_nonoverlapping(
                b.cast::<u8>().add(PREFIX),
                p.cast::<u8>().add(PREFIX),
                HEADER + old,
            );
            memory::heap_free(block_start(b));
        }
        p
    } else {
        // SAFETY: b came from the C allocator and is not used elsewhere (caller's contract).
        unsafe { memory::heap_resize(block_start(b), size) }
            .unwrap_or_else(|| alloc_failure(size))
            .as_ptr()
            .cast()
    };
    super::counts::taken(want - old);
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
    // SAFETY: k is live until this returns.
    if unsafe { (*k.as_ptr()).m } == super::layout::MEM_MAPPED {
        // A file mapping (`adopt_mapping`): the prefix holds the region's start and length.
        // SAFETY: b is k's prefix, written by adopt_mapping.
        let (offset, len) = unsafe { ((*b).capacity, (*b).mapped) };
        let start = k.as_ptr().cast::<u8>().wrapping_sub(offset);
        // SAFETY: start..start+len is the region adopt_mapping was given; nothing uses it.
        unsafe { memory::unmap(block_start(start.cast()), len) };
        return;
    }
    // A live block's total was checked when it was made.
    let size = PREFIX + HEADER + capacity(k);
    super::counts::given_back(size);
    // SAFETY: b is k's block; the caller guarantees no users.
    let mapped = unsafe { (*b).mapped };
    if mapped > 0 {
        large::give_back(b, mapped);
    } else if !small::put(block_start(b), size) {
        // SAFETY: b came from the C allocator; the caller guarantees no users.
        unsafe { memory::heap_free(block_start(b)) }
    }
}

/// Makes the object header at `offset` into a mapped region (`region`, `len` bytes) an object
/// that `free` unmaps: its prefix records the region. The header itself (with `m` =
/// `MEM_MAPPED`) is the caller's to write.
///
/// # Safety
/// `region` must start a private writable mapping of `len` bytes that the object will own,
/// with `offset >= PREFIX` and `offset + HEADER <= len`.
pub unsafe fn adopt_mapping(region: NonNull<u8>, len: usize, offset: usize) -> NonNull<K0> {
    debug_assert!(offset >= PREFIX && offset + HEADER <= len);
    // SAFETY: the caller's contract: the prefix and header lie inside the writable region.
    unsafe {
        let k = region.as_ptr().add(offset);
        let p = k.sub(PREFIX).cast::<Prefix>();
        p.write_unaligned(Prefix {
            capacity: offset,
            mapped: len,
        });
        NonNull::new_unchecked(k.cast())
    }
}

/// Bytes an object's prefix takes before its header.
pub const PREFIX_BYTES: usize = PREFIX;

/// A block as the pointer the system gave (C allocator or mapping).
fn block_start(b: *mut Prefix) -> NonNull<u8> {
    NonNull::new(b.cast()).expect("an object's block is never null")
}

/// Releases every cached large block to the system (`m9`).
pub fn release_cached() {
    let _ = large::release_all();
}

/// Releases the cached blocks of `min` bytes and more to the system; the bytes given back
/// (`.Q.gc`, which like kdb+'s returns only slabs of 64 MB and up).
pub fn release_cached_from(min: usize) -> usize {
    large::release_from(min)
}

/// Returns what memory it can to the system (kdb+'s `gc`): the cached large blocks and the C
/// allocator's free pages. The bytes of large blocks released.
pub fn collect() -> usize {
    small::release();
    let released = large::release_all();
    memory::heap_trim();
    released
}

/// kdb+'s `m4(0)` figures (`.Q.w` used, heap, peak): bytes in objects' blocks, bytes held from
/// the system, and the most held at any call so far.
pub fn stats() -> [usize; 3] {
    let (malloc_used, malloc_held) = memory::heap_figures();
    let (live, cached) = large::figures();
    let used = malloc_used + live;
    let heap = malloc_held + live + cached;
    let peak = large::PEAK
        .fetch_max(heap, std::sync::atomic::Ordering::Relaxed)
        .max(heap);
    [used, heap, peak]
}

/// Small blocks: each thread keeps freed blocks of the small size classes for its next
/// objects, so the many atoms and short lists an evaluation makes and drops do not each go
/// through the C allocator (a tickerplant's update makes dozens). Bounded per class; a block
/// freed on another thread joins that thread's cache (any C allocator block will do).
mod small {
    use super::*;
    use std::cell::Cell;

    /// Classes: blocks of 32, 64, ... `32 << (CLASSES - 1)` bytes.
    const CLASSES: usize = 5;
    const MIN: usize = 32;
    const MAX: usize = MIN << (CLASSES - 1);
    /// Blocks kept per class.
    const KEEP: u32 = 256;

    /// Each class's kept blocks as a list threaded through the blocks themselves (a block's
    /// first word points at the next one): taking or keeping one is a few loads and stores,
    /// with no vector to grow or check.
    struct Cache {
        heads: [Cell<*mut u8>; CLASSES],
        kept: [Cell<u32>; CLASSES],
    }

    impl Cache {
        /// Unlinks every kept block of every class, handing each to `f`.
        fn drain(&self, mut f: impl FnMut(NonNull<u8>)) {
            for (head, kept) in self.heads.iter().zip(&self.kept) {
                let mut b = head.replace(std::ptr::null_mut());
                kept.set(0);
                while let Some(nb) = NonNull::new(b) {
                    // SAFETY: a kept block is an unused C allocator block whose first word
                    // links the list (written by `put`).
                    b = unsafe { nb.as_ptr().cast::<*mut u8>().read() };
                    f(nb);
                }
            }
        }
    }

    impl Drop for Cache {
        fn drop(&mut self) {
            // SAFETY: every cached block came from the C allocator and has no users.
            self.drain(|b| unsafe { memory::heap_free(b) });
        }
    }

    thread_local! {
        static CACHE: Cache = const {
            Cache {
                heads: [const { Cell::new(std::ptr::null_mut()) }; CLASSES],
                kept: [const { Cell::new(0) }; CLASSES],
            }
        };
    }

    /// The class of a block of `size` bytes, if it is small.
    #[inline]
    fn class_of(size: usize) -> Option<usize> {
        if size > MAX {
            return None;
        }
        let c = size.max(MIN).next_power_of_two().trailing_zeros() as usize;
        Some(c - MIN.trailing_zeros() as usize)
    }

    /// The class whose blocks hold `data_bytes` of data, and their size, when small.
    #[inline]
    pub fn class_for(data_bytes: usize) -> Option<(usize, usize)> {
        if data_bytes > MAX - PREFIX - HEADER {
            return None;
        }
        let c = class_of(PREFIX + HEADER + data_bytes)?;
        Some((c, MIN << c))
    }

    /// The data capacity of the class block holding `data_bytes`, when that is small.
    #[cfg(test)]
    pub fn class_capacity(data_bytes: usize) -> Option<usize> {
        class_for(data_bytes).map(|(_, size)| size - PREFIX - HEADER)
    }

    /// A zeroed block of class `c` (`size` bytes), from this thread's cache.
    #[inline]
    pub fn take(c: usize, size: usize) -> Option<NonNull<u8>> {
        let b = CACHE
            .try_with(|cache| {
                let b = NonNull::new(cache.heads[c].get())?;
                // SAFETY: a kept block is unused and its first word links the list.
                cache.heads[c].set(unsafe { b.as_ptr().cast::<*mut u8>().read() });
                cache.kept[c].set(cache.kept[c].get() - 1);
                Some(b)
            })
            .ok()
            .flatten()?;
        // SAFETY: a cached block is a C allocator block of `size` bytes, unused.
        // The two smallest classes (atoms, short lists) are cleared with a fixed size: plain
        // stores, not a call to memset.
        unsafe {
            match size {
                MIN => b
                    .as_ptr()
                    .cast::<[u64; MIN / 8]>()
                    .write_unaligned([0; MIN / 8]),
                64 => b.as_ptr().cast::<[u64; 8]>().write_unaligned([0; 8]),
                _ => std::ptr::write_bytes(b.as_ptr(), 0, size),
            }
        };
        Some(b)
    }

    /// A new zeroed block of `size` bytes (a class's) from the C allocator.
    #[cold]
    pub fn fresh(size: usize) -> Option<NonNull<u8>> {
        // Opaque to the optimiser, which would otherwise fold malloc and the clearing below
        // back into calloc.
        let b = std::hint::black_box(memory::heap_uncleared(size)?);
        // SAFETY: b is a new block of `size` bytes.
        unsafe { std::ptr::write_bytes(b.as_ptr(), 0, size) };
        Some(b)
    }

    /// Keeps a freed block of `size` bytes for reuse; false when it is not a class's size or
    /// the class is full (the caller frees it).
    #[inline]
    pub fn put(b: NonNull<u8>, size: usize) -> bool {
        let Some(c) = class_of(size).filter(|&c| MIN << c == size) else {
            return false;
        };
        CACHE
            .try_with(|cache| {
                let kept = cache.kept[c].get();
                if kept >= KEEP {
                    return false;
                }
                // SAFETY: the block is unused (the caller's) and at least a word long.
                unsafe { b.as_ptr().cast::<*mut u8>().write(cache.heads[c].get()) };
                cache.heads[c].set(b.as_ptr());
                cache.kept[c].set(kept + 1);
                true
            })
            .unwrap_or(false)
    }

    /// Frees this thread's cached blocks (`.Q.gc`).
    pub fn release() {
        let _ = CACHE.try_with(|cache| {
            // SAFETY: every cached block came from the C allocator and has no users.
            cache.drain(|b| unsafe { memory::heap_free(b) })
        });
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn classes_are_powers_of_two_from_32_bytes() {
            assert_eq!(class_of(1), Some(0));
            assert_eq!(class_of(32), Some(0));
            assert_eq!(class_of(33), Some(1));
            assert_eq!(class_of(512), Some(4));
            assert_eq!(class_of(513), None);
            assert_eq!(class_capacity(0), Some(0));
            assert_eq!(class_capacity(8), Some(32));
            assert_eq!(class_capacity(481), None);
        }
    }
}

/// Large blocks: anonymous mappings sized to powers of two, with a bounded cache of freed ones
/// for reuse.
mod large {
    use super::*;
    use std::cell::RefCell;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Mutex, MutexGuard, PoisonError};

    /// Freed mappings by size; a small list because large blocks are few. A std (futex)
    /// mutex, taken by a fork's `prepare` and released after it (`sys::fork`).
    static CACHE: Mutex<Vec<(usize, usize)>> = Mutex::new(Vec::new());
    /// Bytes of mappings holding live objects (for `m4`; large blocks are few, so one shared
    /// counter costs nothing that matters).
    static LIVE: AtomicUsize = AtomicUsize::new(0);
    pub(super) static PEAK: AtomicUsize = AtomicUsize::new(0);

    /// (bytes in live mappings, bytes in cached ones).
    pub(super) fn figures() -> (usize, usize) {
        let cached = cache().iter().map(|&(l, _)| l).sum();
        (LIVE.load(Ordering::Relaxed), cached)
    }

    type Cache = Vec<(usize, usize)>;

    fn cache() -> MutexGuard<'static, Cache> {
        static FORK_SAFE: std::sync::Once = std::sync::Once::new();
        FORK_SAFE.call_once(|| {
            crate::sys::fork::add(
                crate::sys::fork::Rank::Alloc,
                crate::sys::fork::Handlers {
                    prepare: || FORK_HELD.with(|h| *h.borrow_mut() = Some(lock())),
                    parent: release,
                    child: release,
                },
            )
        });
        lock()
    }

    fn lock() -> MutexGuard<'static, Cache> {
        CACHE.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn release() {
        FORK_HELD.with(|h| drop(h.borrow_mut().take()));
    }

    thread_local! {
        static FORK_HELD: RefCell<Option<MutexGuard<'static, Cache>>> = const { RefCell::new(None) };
    }

    fn mapping_len(size: usize) -> usize {
        size.next_power_of_two()
    }

    pub(super) fn take(size: usize, fill: Fill) -> *mut Prefix {
        let len = mapping_len(size);
        let reused = {
            let mut cache = cache();
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
        memory::map_anonymous(len)
            .unwrap_or_else(|| alloc_failure(len))
            .as_ptr()
            .cast()
    }

    pub(super) fn resize(b: *mut Prefix, old_len: usize, size: usize) -> *mut Prefix {
        let len = mapping_len(size);
        if len <= old_len {
            return b;
        }
        // SAFETY: b starts our mapping of old_len bytes, owned by the caller; the old pointer is
        // not used again once this succeeds.
        let p = unsafe { memory::remap(block_start(b), old_len, len) }
            .unwrap_or_else(|| alloc_failure(len))
            .as_ptr()
            .cast::<Prefix>();
        // SAFETY: p starts the resized mapping.
        unsafe { (*p).mapped = len };
        LIVE.fetch_add(len - old_len, Ordering::Relaxed);
        p
    }

    pub(super) fn give_back(b: *mut Prefix, len: usize) {
        LIVE.fetch_sub(len, Ordering::Relaxed);
        let mut cache = cache();
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
        unsafe { memory::unmap(block_start(addr as *mut Prefix), len) };
    }

    pub(super) fn release_from(min: usize) -> usize {
        let blocks: Vec<(usize, usize)> = {
            let mut cache = cache();
            let (big, keep) = cache.drain(..).partition(|&(len, _)| len >= min);
            *cache = keep;
            big
        };
        let mut bytes = 0;
        for (len, addr) in blocks {
            unmap(addr, len);
            bytes += len;
        }
        bytes
    }

    /// Unmaps every cached block; the bytes released.
    pub(super) fn release_all() -> usize {
        let blocks = std::mem::take(&mut *cache());
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
    fn small_blocks_come_back_zeroed_from_the_threads_list() {
        // Blocks freed into the list (each linked through its first word) are handed out
        // again cleared, atoms and short vectors alike, and counted as held while live.
        let held = crate::obj::counts::with(|c| c.now);
        let atoms: Vec<_> = (0..300).map(|_| atom()).collect();
        let lists: Vec<_> = (0..300).map(|_| alloc(40, Fill::Zeroed)).collect();
        assert_eq!(
            crate::obj::counts::with(|c| c.now) - held,
            300 * 32 + 300 * 128
        );
        for &k in atoms.iter().chain(&lists) {
            // SAFETY: k is a live object with at least a header (and 40 data bytes for lists).
            unsafe { k.as_ptr().cast::<u8>().write_bytes(0xAB, HEADER) };
            // SAFETY: k is no longer used.
            unsafe { free(k) };
        }
        assert_eq!(crate::obj::counts::with(|c| c.now), held);
        for _ in 0..300 {
            let (a, l) = (atom(), alloc(40, Fill::Zeroed));
            assert_eq!((capacity(a), capacity(l)), (0, 96));
            // SAFETY: a has a header, l a header and 96 data bytes.
            let (ha, hl) = unsafe {
                (
                    std::slice::from_raw_parts(a.as_ptr().cast::<u8>(), HEADER),
                    std::slice::from_raw_parts(l.as_ptr().cast::<u8>(), HEADER + 96),
                )
            };
            assert!(ha.iter().chain(hl).all(|&b| b == 0));
            // SAFETY: neither is used again.
            unsafe {
                free(a);
                free(l);
            }
        }
    }

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
