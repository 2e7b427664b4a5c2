//! The Rust allocator of the library, with a reserve held back for running out of memory.
//!
//! Rust's collections abort the process when the system refuses them memory. Every K object
//! already turns a refusal into `'wsfull` (`obj::alloc`), but the interpreter's own vectors,
//! strings and maps are Rust collections. This allocator keeps a reserve block; when the system
//! refuses an allocation it frees the reserve, marks memory as exhausted and tries again, so
//! the failing collection gets its memory instead of aborting. The next K allocation sees the
//! mark and raises `'wsfull`, which unwinds the work that ran memory out; the reserve is taken
//! back where work next starts (`recover`), once the system has the memory again.
//!
//! Large requests that can never fit are refused up front by their callers (`try_reserve`); the
//! reserve is for the small allocations of a process at its limit.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};

/// Bytes held back (address space only until it is used: the block is never written).
const RESERVE: usize = 16 << 20;
/// Blocks of this many bytes and more are advised onto huge pages (`memory::advise_huge_block`).
const HUGE: usize = 4 << 20;

static HELD: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());
static EXHAUSTED: AtomicBool = AtomicBool::new(false);
static STARTED: AtomicBool = AtomicBool::new(false);

fn reserve_layout() -> Layout {
    // A fixed, valid size and alignment.
    Layout::from_size_align(RESERVE, 4096).unwrap_or(Layout::new::<u8>())
}

/// Takes the reserve from the system if it is not held; false if the system refuses.
fn take_reserve() -> bool {
    if !HELD.load(Ordering::Acquire).is_null() {
        return true;
    }
    // SAFETY: a non-zero-sized layout; the block is only ever freed by `release`.
    let p = unsafe { System.alloc(reserve_layout()) };
    if p.is_null() {
        return false;
    }
    if HELD
        .compare_exchange(std::ptr::null_mut(), p, Ordering::AcqRel, Ordering::Acquire)
        .is_err()
    {
        // Another thread took one first.
        // SAFETY: p came from System.alloc with this layout and was never shared.
        unsafe { System.dealloc(p, reserve_layout()) };
    }
    true
}

/// Frees the reserve (if held) and marks memory as exhausted; true if there was one to free.
fn release() -> bool {
    let p = HELD.swap(std::ptr::null_mut(), Ordering::AcqRel);
    EXHAUSTED.store(true, Ordering::Release);
    if p.is_null() {
        return false;
    }
    // SAFETY: p came from System.alloc with this layout, and the swap made this the only owner.
    unsafe { System.dealloc(p, reserve_layout()) };
    true
}

/// Whether memory ran out since the last call that said so: true once per time the reserve
/// had to be used, so the caller raises `'wsfull` once and the work that ran memory out
/// unwinds. The reserve is taken back here when the system has the memory again.
#[inline]
pub fn exhausted() -> bool {
    EXHAUSTED.load(Ordering::Relaxed) && consume()
}

#[cold]
fn consume() -> bool {
    EXHAUSTED.swap(false, Ordering::AcqRel)
}

/// Takes the reserve back if it was used and the system has the memory again, and forgets a
/// use of it that no `'wsfull` answered yet (the work that used it has finished): called
/// where work starts (an evaluation, a new symbol), not while the work that ran out unwinds.
#[inline]
pub fn recover() {
    if HELD.load(Ordering::Relaxed).is_null() && STARTED.load(Ordering::Relaxed) && take_reserve() {
        EXHAUSTED.store(false, Ordering::Release);
    }
}

/// The allocator: the system's, with the reserve as a last resort.
pub struct Reserving;

// SAFETY: every method forwards to `System` with the caller's layout and pointer unchanged;
// the reserve is a separate block of System's own.
unsafe impl GlobalAlloc for Reserving {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is System's.
        let p = unsafe { System.alloc(layout) };
        if p.is_null() {
            return refused(layout, false);
        }
        if !STARTED.load(Ordering::Relaxed) {
            start();
        }
        if layout.size() >= HUGE {
            crate::sys::memory::advise_huge_block(p, layout.size());
        }
        p
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is System's.
        let p = unsafe { System.alloc_zeroed(layout) };
        if p.is_null() {
            return refused(layout, true);
        }
        if layout.size() >= HUGE {
            crate::sys::memory::advise_huge_block(p, layout.size());
        }
        p
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is System's.
        unsafe { System.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract is System's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() && new_size >= HUGE {
            crate::sys::memory::advise_huge_block(p, new_size);
        }
        if p.is_null() && release() {
            // SAFETY: as above; the failed realloc left ptr as it was.
            let p = unsafe { System.realloc(ptr, layout, new_size) };
            if p.is_null() {
                unrelease();
            }
            return p;
        }
        p
    }
}

/// Takes the reserve once, at the first allocation.
#[cold]
fn start() {
    if !STARTED.swap(true, Ordering::AcqRel) {
        take_reserve();
    }
}

/// A refused allocation: frees the reserve and tries once more.
#[cold]
fn refused(layout: Layout, zeroed: bool) -> *mut u8 {
    if !release() {
        return std::ptr::null_mut();
    }
    // SAFETY: layout is the caller's valid, non-zero-sized layout.
    let p = unsafe {
        if zeroed {
            System.alloc_zeroed(layout)
        } else {
            System.alloc(layout)
        }
    };
    if p.is_null() {
        // Too big even so: the caller sees the refusal (`try_reserve` turns it into
        // `'wsfull`), and nothing was used up.
        unrelease();
    }
    p
}

/// Undoes a release whose memory went unused.
fn unrelease() {
    take_reserve();
    EXHAUSTED.store(false, Ordering::Release);
}

#[global_allocator]
static GLOBAL: Reserving = Reserving;
