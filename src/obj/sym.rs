//! The symbol table: one process-wide set of interned, NUL-terminated strings.
//!
//! `intern` returns the same pointer for the same bytes from any thread, and the pointer is
//! never freed, so symbol equality is pointer equality and `ss`/`sn` results stay valid for the
//! life of the process. The table is split into shards, each behind its own short mutex; the
//! bytes live in per-shard bump arenas, so interning a new symbol costs no malloc in the common
//! case.
//!
//! The shard locks and the chunk list's lock are std's futex locks (nothing of theirs lives
//! outside their words), and a fork takes them all first (`sys::fork`): a child forked while
//! other threads intern finds every one of them free.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{c_char, CStr};
use std::hash::{BuildHasherDefault, Hasher};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError, RwLock, RwLockWriteGuard};

/// An interned symbol: a pointer to NUL-terminated bytes that live forever.
#[derive(Copy, Clone, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Sym(NonNull<c_char>);

// SAFETY: the bytes behind a Sym are immutable and never freed.
unsafe impl Send for Sym {}
// SAFETY: as above; sharing a pointer to immutable, immortal bytes is sound.
unsafe impl Sync for Sym {}

impl Sym {
    /// Interns `bytes` (everything up to the first NUL, as C sees it).
    pub fn new(bytes: impl AsRef<[u8]>) -> Sym {
        intern(bytes.as_ref())
    }

    /// Interns exactly `bytes`, NULs included, as kdb+'s `sn` does: `"ab\0"` is then a
    /// symbol of its own, which C reads as `"ab"`.
    pub fn new_exact(bytes: impl AsRef<[u8]>) -> Sym {
        intern_exact(bytes.as_ref())
    }

    /// The empty symbol `` ` ``, the null of type 11.
    #[inline]
    pub fn empty() -> Sym {
        static EMPTY: OnceLock<Sym> = OnceLock::new();
        *EMPTY.get_or_init(|| intern(b""))
    }

    #[inline]
    pub fn as_ptr(self) -> *mut c_char {
        self.0.as_ptr()
    }

    /// The symbol's bytes, without the terminating NUL.
    #[inline]
    pub fn as_bytes(self) -> &'static [u8] {
        // SAFETY: every Sym points at NUL-terminated bytes that are never freed or written.
        unsafe { CStr::from_ptr(self.0.as_ptr()) }.to_bytes()
    }

    /// The symbol as text; invalid UTF-8 is replaced, as it only serves display and errors.
    pub fn as_str(self) -> std::borrow::Cow<'static, str> {
        String::from_utf8_lossy(self.as_bytes())
    }

    /// The first three bytes, zero from the end of the text on: short names such as glyphs
    /// told apart without measuring the text.
    #[inline]
    pub fn head(self) -> [u8; 3] {
        let p = self.0.as_ptr().cast::<u8>();
        // SAFETY: the bytes are NUL-terminated; each read stays at or before the terminator.
        unsafe {
            let a = *p;
            if a == 0 {
                return [0; 3];
            }
            let b = *p.add(1);
            if b == 0 {
                return [a, 0, 0];
            }
            [a, b, *p.add(2)]
        }
    }

    #[inline]
    pub fn is_empty(self) -> bool {
        // SAFETY: the pointer is valid and NUL-terminated; reading its first byte is in bounds.
        unsafe { *self.0.as_ptr() == 0 }
    }

    /// Reinterprets a pointer that a host passes as a symbol, interning it when it is not one of
    /// ours (hosts may store any C string in a symbol vector).
    ///
    /// # Safety
    /// `p` must be null or point at a NUL-terminated string.
    pub unsafe fn from_c_str(p: *const c_char) -> Sym {
        if p.is_null() {
            return Sym::empty();
        }
        // SAFETY: the caller promises a NUL-terminated string.
        intern(unsafe { CStr::from_ptr(p) }.to_bytes())
    }

    /// Wraps a pointer known to come from `intern`.
    ///
    /// # Safety
    /// `p` must have been returned by `intern` (through `Sym::as_ptr`, `ss` or `sn`).
    #[inline]
    pub unsafe fn from_interned(p: *const c_char) -> Sym {
        // SAFETY: interned pointers are never null.
        Sym(unsafe { NonNull::new_unchecked(p as *mut c_char) })
    }
}

impl std::fmt::Debug for Sym {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}", self.as_str())
    }
}

impl From<&str> for Sym {
    fn from(s: &str) -> Sym {
        Sym::new(s)
    }
}

const SHARDS: usize = 64;
const ARENA_CHUNK: usize = 64 * 1024;

/// FxHash: symbols are short and hashed often; SipHash's DoS resistance buys nothing here
/// because a shard holds a short mutex, not an unbounded probe sequence.
#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().expect("chunk of 8"));
            h = (h.rotate_left(5) ^ w).wrapping_mul(SEED);
        }
        for &b in chunks.remainder() {
            h = (h.rotate_left(5) ^ b as u64).wrapping_mul(SEED);
        }
        self.0 = h;
    }
    /// Multiplicative mixing leaves the low bits depending on the low input bits only; the
    /// table indexes buckets by low bits and tags by high bits, so every bit is avalanched.
    #[inline]
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(bytes);
    h.write_usize(bytes.len());
    h.finish()
}

/// The map is keyed by the full 64-bit hash, already computed to pick the shard, so it is not
/// hashed twice; the rare strings that share a hash share a slot.
#[derive(Default)]
struct HashIsKey(u64);

impl Hasher for HashIsKey {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ b as u64;
        }
    }
    #[inline]
    fn write_u64(&mut self, h: u64) {
        self.0 = h;
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// An interned symbol with the length it was interned with: `sn` interns exactly `n` bytes,
/// NULs included, so `"ab\0"` is a symbol of its own that C reads as `"ab"`.
#[derive(Copy, Clone)]
struct Entry {
    sym: Sym,
    len: usize,
}

impl Entry {
    fn bytes(self) -> &'static [u8] {
        // SAFETY: the entry's pointer is the start of `len` stored bytes (plus a NUL) that are
        // never freed or written.
        unsafe { std::slice::from_raw_parts(self.sym.0.as_ptr().cast::<u8>(), self.len) }
    }
}

enum Slot {
    One(Entry),
    Colliding(Vec<Entry>),
}

impl Slot {
    fn find(&self, bytes: &[u8]) -> Option<Sym> {
        match self {
            Slot::One(e) => (e.bytes() == bytes).then_some(e.sym),
            Slot::Colliding(v) => v.iter().find(|e| e.bytes() == bytes).map(|e| e.sym),
        }
    }
}

struct Shard {
    map: HashMap<u64, Slot, BuildHasherDefault<HashIsKey>>,
    /// Free space left in the current arena chunk.
    arena: &'static mut [u8],
}

impl Shard {
    /// Copies `bytes` plus a NUL into memory that is never freed.
    fn store(&mut self, bytes: &[u8]) -> &'static [u8] {
        let need = bytes.len() + 1;
        if self.arena.len() < need {
            let chunk = vec![0u8; need.max(ARENA_CHUNK)].leak();
            register_chunk(chunk);
            if need > ARENA_CHUNK / 4 {
                // A long string gets its own block; keep the current chunk for short ones.
                return finish_store(chunk, bytes);
            }
            self.arena = chunk;
        }
        let (dst, rest) = std::mem::take(&mut self.arena).split_at_mut(need);
        self.arena = rest;
        finish_store(dst, bytes)
    }
}

fn finish_store(dst: &'static mut [u8], bytes: &[u8]) -> &'static [u8] {
    dst[..bytes.len()].copy_from_slice(bytes);
    dst[bytes.len()] = 0;
    &dst[..bytes.len()]
}

fn shards() -> &'static [Mutex<Shard>; SHARDS] {
    static TABLE: OnceLock<[Mutex<Shard>; SHARDS]> = OnceLock::new();
    TABLE.get_or_init(|| {
        crate::sys::fork::add(
            crate::sys::fork::Rank::Symbols,
            crate::sys::fork::Handlers {
                prepare: lock_all,
                parent: unlock_all,
                child: unlock_all,
            },
        );
        std::array::from_fn(|_| {
            Mutex::new(Shard {
                map: HashMap::default(),
                arena: &mut [],
            })
        })
    })
}

fn lock(shard: &'static Mutex<Shard>) -> MutexGuard<'static, Shard> {
    // A panic while a shard was held leaves it consistent (the map is updated last).
    shard.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What a fork's `prepare` took, released after it in parent and child.
type ForkHeld = (
    Vec<MutexGuard<'static, Shard>>,
    RwLockWriteGuard<'static, Vec<(usize, usize)>>,
);

thread_local! {
    static FORK_HELD: RefCell<Option<ForkHeld>> = const { RefCell::new(None) };
}

/// Before a fork: every shard in index order (no other code holds two), then the chunk list
/// (which interning takes inside a shard).
fn lock_all() {
    let shards: Vec<_> = shards().iter().map(lock).collect();
    let chunks = CHUNKS.write().unwrap_or_else(PoisonError::into_inner);
    FORK_HELD.with(|h| *h.borrow_mut() = Some((shards, chunks)));
}

fn unlock_all() {
    FORK_HELD.with(|h| drop(h.borrow_mut().take()));
}

/// Interns `bytes` up to the first NUL and returns its unique, immortal symbol.
pub fn intern(bytes: &[u8]) -> Sym {
    let bytes = match bytes.iter().position(|&b| b == 0) {
        Some(nul) => &bytes[..nul],
        None => bytes,
    };
    intern_exact(bytes)
}

/// Interns exactly `bytes`, NULs included (kdb+'s `sn`): without a NUL this is `intern`.
pub fn intern_exact(bytes: &[u8]) -> Sym {
    let h = hash(bytes);
    // Middle bits pick the shard: the map inside uses the low bits (bucket) and the top seven
    // (tag), which must keep their full entropy within a shard.
    let mut shard = lock(&shards()[(h >> 32) as usize % SHARDS]);
    if let Some(s) = shard.map.get(&h).and_then(|slot| slot.find(bytes)) {
        return s;
    }
    if bytes != b"wsfull" && crate::sys::reserve::exhausted() {
        // Out of memory: a new symbol is `'wsfull` (the C boundary returns null with it).
        drop(shard);
        super::Error::new("wsfull").raise();
    }
    let stored = shard.store(bytes);
    let sym = Sym(NonNull::from(stored).cast());
    let entry = Entry {
        sym,
        len: bytes.len(),
    };
    match shard.map.get_mut(&h) {
        None => {
            shard.map.insert(h, Slot::One(entry));
        }
        Some(slot) => {
            let mut all = match std::mem::replace(slot, Slot::Colliding(Vec::new())) {
                Slot::One(e) => vec![e],
                Slot::Colliding(v) => v,
            };
            all.push(entry);
            *slot = Slot::Colliding(all);
        }
    }
    drop(shard);
    COUNT.fetch_add(1, Ordering::Relaxed);
    BYTES.fetch_add(bytes.len() + 1, Ordering::Relaxed);
    sym
}

static COUNT: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

/// How many symbols are interned and the bytes they take (kdb+'s `m4(1)`, `.Q.w` syms/symw).
pub fn stats() -> (usize, usize) {
    (COUNT.load(Ordering::Relaxed), BYTES.load(Ordering::Relaxed))
}

/// The arena chunks symbols live in, as (start, length): a pointer into one of them reads as a
/// NUL-terminated string within it.
static CHUNKS: RwLock<Vec<(usize, usize)>> = RwLock::new(Vec::new());

fn register_chunk(chunk: &[u8]) {
    CHUNKS
        .write()
        .unwrap_or_else(PoisonError::into_inner)
        .push((chunk.as_ptr() as usize, chunk.len()));
}

/// The symbol a pointer written by `b9`'s in-process mode names, if it is where a stored
/// symbol starts (the chunk's start or just past a NUL) and its text, up to the NUL, is an
/// interned symbol. Anything else is refused, a pointer into the middle of a symbol included:
/// the bytes may come from anywhere, and nothing new is interned for them.
pub fn from_table_pointer(p: usize) -> Option<Sym> {
    let chunks = CHUNKS.read().unwrap_or_else(PoisonError::into_inner);
    let &(start, len) = chunks.iter().find(|&&(s, l)| p >= s && p < s + l)?;
    // Storing a symbol takes its shard's lock, then this one: let go before taking a shard's.
    drop(chunks);
    // SAFETY: [start, start+len) is a leaked arena chunk that lives forever; chunks only ever
    // hold stored symbols (each followed by a NUL) and zeroes, so its bytes are initialised.
    let chunk = unsafe { std::slice::from_raw_parts(start as *const u8, len) };
    let at = p - start;
    if at > 0 && chunk[at - 1] != 0 {
        return None;
    }
    let rest = &chunk[at..];
    let bytes = &rest[..rest.iter().position(|&b| b == 0)?];
    let h = hash(bytes);
    let shard = lock(&shards()[(h >> 32) as usize % SHARDS]);
    shard.map.get(&h).and_then(|slot| slot.find(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_bytes_same_pointer() {
        let a = Sym::new("trade");
        let b = Sym::new(String::from("trade"));
        assert_eq!(a.as_ptr(), b.as_ptr());
        assert_ne!(a, Sym::new("quote"));
        assert_eq!(a.as_bytes(), b"trade");
    }

    #[test]
    fn stops_at_nul_and_handles_empty_and_long() {
        assert_eq!(Sym::new(b"ab\0cd"), Sym::new("ab"));
        assert!(Sym::empty().is_empty());
        let long = "x".repeat(100_000);
        let s = Sym::new(&long);
        assert_eq!(s.as_bytes().len(), 100_000);
        assert_eq!(Sym::new(&long), s);
    }

    #[test]
    fn colliding_slot_finds_each_of_its_strings() {
        let (a, b) = (Sym::new("left"), Sym::new("right"));
        let e = |sym: Sym| Entry {
            sym,
            len: sym.as_bytes().len(),
        };
        let slot = Slot::Colliding(vec![e(a), e(b)]);
        assert_eq!(slot.find(b"right"), Some(b));
        assert_eq!(slot.find(b"left"), Some(a));
        assert_eq!(slot.find(b"neither"), None);
        assert_eq!(Slot::One(e(a)).find(b"left"), Some(a));
    }

    #[test]
    fn exact_interning_keeps_embedded_nuls_apart() {
        let exact = intern_exact(b"ab\0");
        assert_ne!(exact, Sym::new("ab"));
        assert_eq!(exact, intern_exact(b"ab\0"));
        assert_eq!(exact.as_bytes(), b"ab");
        assert_eq!(intern_exact(b"ab"), Sym::new("ab"));
        assert_eq!(
            from_table_pointer(exact.as_ptr() as usize),
            Some(Sym::new("ab"))
        );
        assert_eq!(
            from_table_pointer(Sym::new("zz").as_ptr() as usize),
            Some(Sym::new("zz"))
        );
        let local = [b'x', 0];
        assert_eq!(from_table_pointer(local.as_ptr() as usize), None);
    }

    #[test]
    fn interning_from_many_threads_agrees() {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                std::thread::spawn(|| {
                    (0..2000)
                        .map(|i| Sym::new(format!("s{i}")))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        for r in &results[1..] {
            assert_eq!(r, &results[0]);
        }
    }
}
