//! `K`: the safe, owning handle to a K object, used by every layer above `src/obj`.
//!
//! A `K` owns one reference: `Clone` is `r1`, `Drop` is `r0`. Shared objects are immutable;
//! the `*_mut` accessors copy the object first when another reference exists (copy on write),
//! so safe code can never change a value that someone else can see. The handle is a
//! transparent pointer, so a `K` is exactly what C sees and `&[K]` is `kK(x)`.

use std::mem::ManuallyDrop;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicI32, AtomicU8, Ordering};

use super::alloc;
use super::layout::*;
use super::sym::Sym;

/// A 16-byte GUID, as `U` in k.h.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Default)]
#[repr(C)]
pub struct Guid(pub [u8; 16]);

/// Plain values that can be the items of a simple vector.
///
/// # Safety
/// Implementors must be plain data for which every bit pattern of their size is valid, except
/// `Sym`, whose vectors are only ever filled with interned pointers.
pub unsafe trait Item: Copy + 'static {}
// SAFETY: plain integers and floats: every bit pattern is a value.
unsafe impl Item for u8 {}
// SAFETY: as above.
unsafe impl Item for i16 {}
// SAFETY: as above.
unsafe impl Item for i32 {}
// SAFETY: as above.
unsafe impl Item for i64 {}
// SAFETY: as above.
unsafe impl Item for f32 {}
// SAFETY: as above.
unsafe impl Item for f64 {}
// SAFETY: 16 plain bytes.
unsafe impl Item for Guid {}
// SAFETY: symbol vectors are created filled with the empty symbol and only ever hold interned
// pointers (hosts must store `ss` results, as k.h requires).
unsafe impl Item for Sym {}

#[repr(transparent)]
pub struct K(NonNull<K0>);

// SAFETY: the refcount is atomic and a shared object is never mutated (copy on write), so a K
// may move to and be shared with any thread.
unsafe impl Send for K {}
// SAFETY: as above.
unsafe impl Sync for K {}

struct Immortal(std::cell::UnsafeCell<K0>);
// SAFETY: immortal objects are never written after construction; refcount ops skip them.
unsafe impl Sync for Immortal {}

/// The generic null `::` (type 101, value 0): the filler of fresh general lists.
static IDENTITY: Immortal = Immortal(std::cell::UnsafeCell::new(K0 {
    m: MEM_IMMORTAL,
    a: 0,
    t: UNARY,
    u: 0,
    r: 0,
    word: 0,
    g0: [],
}));

impl K {
    // ---- raw pointer boundary -------------------------------------------------------------

    /// Takes ownership of one reference held by a raw pointer.
    ///
    /// # Safety
    /// `p` must be a live K object (ours) whose reference the caller gives up.
    #[inline]
    pub unsafe fn from_raw(p: *mut K0) -> Option<K> {
        NonNull::new(p).map(K)
    }

    /// Borrows a raw pointer as a `K` without taking a reference.
    ///
    /// # Safety
    /// `p` must be a live K object for as long as the result is used.
    #[inline]
    pub unsafe fn borrow_raw(p: *mut K0) -> Option<ManuallyDrop<K>> {
        NonNull::new(p).map(|p| ManuallyDrop::new(K(p)))
    }

    /// Gives up ownership, returning the pointer with its reference.
    #[inline]
    pub fn into_raw(self) -> *mut K0 {
        ManuallyDrop::new(self).0.as_ptr()
    }

    #[inline]
    pub fn as_ptr(&self) -> *mut K0 {
        self.0.as_ptr()
    }

    #[inline]
    fn hdr(&self) -> &K0 {
        // SAFETY: a K always points at a live object.
        unsafe { self.0.as_ref() }
    }

    #[inline]
    fn rc(&self) -> &AtomicI32 {
        // SAFETY: r is a naturally aligned i32 inside a live object; all access to it is atomic.
        unsafe { AtomicI32::from_ptr(std::ptr::addr_of_mut!((*self.0.as_ptr()).r)) }
    }

    // ---- header -------------------------------------------------------------------------

    #[inline]
    pub fn t(&self) -> i8 {
        self.hdr().t
    }

    #[inline]
    pub fn attr(&self) -> u8 {
        self.attr_cell().load(Ordering::Relaxed)
    }

    #[inline]
    fn attr_cell(&self) -> &AtomicU8 {
        // SAFETY: u is a byte inside a live object; a shared object's u changes only through
        // this atomic (`mark_in_place`), a unique one's only through its one owner.
        unsafe { AtomicU8::from_ptr(std::ptr::addr_of_mut!((*self.0.as_ptr()).u)) }
    }

    /// Gives the object itself attribute `u`, shared or not, as kdb+ does where the data
    /// already has the property (`asc` of a sorted list marks the argument `s#`, and every
    /// reference sees it). The caller has checked the items have it; no item changes, so the
    /// attribute stays true for every holder (a shared object is never changed in place).
    /// Objects in a file mapping or immortal ones are left as they are.
    pub fn mark_in_place(&self, u: u8) {
        if self.hdr().m == MEM_HEAP {
            self.attr_cell().store(u, Ordering::Relaxed);
        }
    }

    /// The reference count as k.h shows it (0 = one owner).
    #[inline]
    pub fn refcount(&self) -> i32 {
        self.rc().load(Ordering::Relaxed)
    }

    /// True when this handle is the only reference, so the object may change in place.
    #[inline]
    pub fn is_unique(&self) -> bool {
        self.hdr().m == MEM_HEAP && self.rc().load(Ordering::Acquire) == 0
    }

    /// Item count of a vector, list or dict; 1 for atoms and tables' headers are not counted.
    #[inline]
    pub fn n(&self) -> usize {
        if has_count(self.t()) {
            self.hdr().word as i64 as usize
        } else {
            1
        }
    }

    #[inline]
    pub fn is_atom(&self) -> bool {
        self.t() < 0
    }

    // ---- atoms ---------------------------------------------------------------------------

    #[inline]
    fn word(&self) -> u64 {
        self.hdr().word
    }
    #[inline]
    pub fn g(&self) -> u8 {
        self.word() as u8
    }
    #[inline]
    pub fn h(&self) -> i16 {
        self.word() as u16 as i16
    }
    #[inline]
    pub fn i(&self) -> i32 {
        self.word() as u32 as i32
    }
    #[inline]
    pub fn j(&self) -> i64 {
        self.word() as i64
    }
    #[inline]
    pub fn e(&self) -> f32 {
        f32::from_bits(self.word() as u32)
    }
    #[inline]
    pub fn f(&self) -> f64 {
        f64::from_bits(self.word())
    }
    /// The symbol of a symbol atom or the message of an error. A null pointer (what kdb+'s
    /// `ktn(-KS,0)` and `ee(0)` with nothing pending give) reads as the empty symbol; an error's
    /// text may be a host's own string (`krr` keeps the pointer), interned here.
    #[inline]
    pub fn s(&self) -> Sym {
        debug_assert!(self.t() == -KS || self.t() == ERROR);
        let p = self.word() as usize as *const std::ffi::c_char;
        if self.t() == ERROR {
            // SAFETY: an error's text is null, interned, or a host's NUL-terminated string
            // that the host keeps alive (k.h's contract for krr).
            return unsafe { Sym::from_c_str(p) };
        }
        if p.is_null() {
            return Sym::empty();
        }
        // SAFETY: symbol atoms hold interned pointers (or null, handled above).
        unsafe { Sym::from_interned(p) }
    }
    /// A guid atom's value.
    pub fn guid(&self) -> Guid {
        self.as_slice::<Guid>()[0]
    }
    /// A table's dictionary (`x->k`).
    #[inline]
    pub fn table_dict(&self) -> &K {
        assert_eq!(self.t(), XT, "table_dict on a non-table");
        // SAFETY: a table's union holds an owned, non-null K, and K is a transparent pointer.
        unsafe { &*(std::ptr::addr_of!((*self.0.as_ptr()).word) as *const K) }
    }

    // ---- vectors -------------------------------------------------------------------------

    #[inline]
    fn data(&self) -> *mut u8 {
        // SAFETY: the data follows the 16-byte header within the same block.
        unsafe { self.0.as_ptr().cast::<u8>().add(DATA_OFFSET) }
    }

    #[inline]
    fn check_item<T: Item>(&self) {
        let t = self.t();
        assert!(
            plain_item_size(t) == std::mem::size_of::<T>(),
            "type {t} viewed as items of {} bytes",
            std::mem::size_of::<T>()
        );
    }

    /// The items of a simple vector (or a guid atom) as a slice.
    #[inline]
    pub fn as_slice<T: Item>(&self) -> &[T] {
        self.check_item::<T>();
        // SAFETY: check_item confirmed the item size; the object holds n initialised items.
        unsafe { std::slice::from_raw_parts(self.data().cast::<T>(), self.n()) }
    }

    /// The items for writing; copies the object first if it is shared.
    #[inline]
    pub fn as_mut_slice<T: Item>(&mut self) -> &mut [T] {
        self.check_item::<T>();
        self.make_unique();
        // SAFETY: unique owner, item size checked, n initialised items.
        unsafe { std::slice::from_raw_parts_mut(self.data().cast::<T>(), self.n()) }
    }

    /// The items of a general list, a dict (keys, values) or a list-shaped function.
    #[inline]
    pub fn items(&self) -> &[K] {
        assert!(owns_items(self.t()), "items() on type {}", self.t());
        // SAFETY: these types hold n non-null owned K pointers (fresh lists are filled with
        // `::`), and K is a transparent NonNull pointer.
        unsafe { std::slice::from_raw_parts(self.data().cast::<K>(), self.n()) }
    }

    /// Item `i` of a list-shaped object with a reference of its own; None where a host left a
    /// hole (a null item) or `i` is past the end. Safe on lists that `items()` must not see.
    pub fn item_at(&self, i: usize) -> Option<K> {
        assert!(owns_items(self.t()), "item_at on type {}", self.t());
        if i >= self.n() {
            return None;
        }
        // SAFETY: slot i < n of a list-shaped object holds null or a live object.
        let p = unsafe { *self.data().cast::<*mut K0>().add(i) };
        // SAFETY: a non-null slot is a live object; the clone takes its own reference.
        unsafe { K::borrow_raw(p) }.map(|k| K::clone(&k))
    }

    /// The items for writing (replace with `std::mem::replace`); copies if shared.
    #[inline]
    pub fn items_mut(&mut self) -> &mut [K] {
        assert!(owns_items(self.t()), "items_mut() on type {}", self.t());
        self.make_unique();
        // SAFETY: unique owner of n valid K pointers.
        unsafe { std::slice::from_raw_parts_mut(self.data().cast::<K>(), self.n()) }
    }

    /// Raw bytes of a simple vector's data (n * item size).
    pub fn bytes(&self) -> &[u8] {
        let t = self.t();
        let size = plain_item_size(t);
        // Counted types with no item size (77..=97, which no q value uses) hold no data bytes.
        assert!(
            size != 0 || has_count(t) && !owns_items(t),
            "bytes() on type {t}"
        );
        // SAFETY: the object holds n items of `size` bytes.
        unsafe { std::slice::from_raw_parts(self.data(), self.n() * size) }
    }

    // ---- construction --------------------------------------------------------------------

    fn alloc(t: i8, data_bytes: usize) -> K {
        K::alloc_filled(t, data_bytes, alloc::Fill::Zeroed)
    }

    fn alloc_filled(t: i8, data_bytes: usize, fill: alloc::Fill) -> K {
        let p = alloc::alloc(data_bytes, fill);
        let mut k = K(p);
        k.hdr_mut().t = t;
        k
    }

    #[inline]
    fn hdr_mut(&mut self) -> &mut K0 {
        // SAFETY: only called on objects this code just created or uniquely owns.
        unsafe { self.0.as_mut() }
    }

    /// An atom of type `t` (negative, or 101..=103) holding the raw 8-byte `word`.
    pub fn atom_word(t: i8, word: u64) -> K {
        if t == -UU {
            let mut k = K::vector(UU, 1);
            k.hdr_mut().t = -UU;
            return k;
        }
        let mut k = K(alloc::atom());
        let h = k.hdr_mut();
        h.t = t;
        h.word = word;
        k
    }

    pub fn bool(b: bool) -> K {
        K::atom_word(-KB, b as u64)
    }
    pub fn byte(g: u8) -> K {
        K::atom_word(-KG, g as u64)
    }
    pub fn short(h: i16) -> K {
        K::atom_word(-KH, h as u16 as u64)
    }
    pub fn int(i: i32) -> K {
        K::atom_word(-KI, i as u32 as u64)
    }
    pub fn long(j: i64) -> K {
        K::atom_word(-KJ, j as u64)
    }
    pub fn real(e: f32) -> K {
        K::atom_word(-KE, e.to_bits() as u64)
    }
    pub fn float(f: f64) -> K {
        K::atom_word(-KF, f.to_bits())
    }
    pub fn char(c: u8) -> K {
        K::atom_word(-KC, c as u64)
    }
    pub fn sym(s: Sym) -> K {
        K::atom_word(-KS, s.as_ptr() as usize as u64)
    }
    /// An atom of a 4-byte type (int, month, date, minute, second, time).
    pub fn atom_i32(t: i8, i: i32) -> K {
        K::atom_word(t, i as u32 as u64)
    }
    /// An atom of an 8-byte integer type (long, timestamp, timespan).
    pub fn atom_i64(t: i8, j: i64) -> K {
        K::atom_word(t, j as u64)
    }
    pub fn guid_atom(g: Guid) -> K {
        let mut k = K::atom_word(-UU, 0);
        k.as_mut_slice::<Guid>()[0] = g;
        k
    }
    /// The q error object (type -128) carrying `msg`.
    pub fn error(msg: Sym) -> K {
        K::atom_word(ERROR, msg.as_ptr() as usize as u64)
    }
    /// An error object holding a host's pointer as it is (null included), as kdb+'s `ee`
    /// returns `krr`'s pointer: `s()` reads it.
    pub fn error_ptr(msg: *const std::ffi::c_char) -> K {
        K::atom_word(ERROR, msg as usize as u64)
    }

    /// A list-shaped object of type `t` (general list, dict, function types) with `n` null
    /// items, as kdb+'s `ktn` makes them for C. Returned as a raw pointer: no safe `K` may see
    /// the holes (`has_holes` finds them where a host's objects come back in).
    pub fn raw_list_with_holes(t: i8, n: usize) -> *mut K0 {
        assert!(owns_items(t), "raw_list_with_holes of type {t}");
        let mut k = K::alloc(t, n.saturating_mul(8));
        k.hdr_mut().word = n as u64;
        k.into_raw()
    }

    /// Whether `self` or anything in it has a hole a host left: a null item in a list,
    /// dictionary or function, a table without its dictionary, a null symbol in a symbol
    /// vector. Such objects are kdb+'s half-built ones; the safe layers never see them.
    pub fn has_holes(&self) -> bool {
        // Nothing to look for, and no allocation, in atoms and simple vectors (hosts' callbacks
        // return these on every call); inside a list only items that can hold holes are walked.
        if !may_hold_holes(self.t()) {
            return false;
        }
        let mut stack: Vec<*mut K0> = vec![self.as_ptr()];
        let mut seen = std::collections::HashSet::new();
        while let Some(p) = stack.pop() {
            // SAFETY: p is self or a non-null child of a live object, so it is live.
            let (t, word, r) = unsafe { ((*p).t, (*p).word, (*p).r) };
            if r > 0 && !seen.insert(p as usize) {
                continue; // a shared object already checked
            }
            // SAFETY: the data of list-shaped and symbol objects starts at offset 16.
            let data = unsafe { p.cast::<u8>().add(DATA_OFFSET) };
            if t == XT {
                if word == 0 {
                    return true;
                }
                stack.push(word as usize as *mut K0);
            } else if owns_items(t) && t != FOREIGN {
                for i in 0..word as usize {
                    // SAFETY: a list-shaped object holds n pointer slots.
                    let item = unsafe { *data.cast::<*mut K0>().add(i) };
                    if item.is_null() {
                        return true;
                    }
                    // SAFETY: a non-null item of a live list is live.
                    if may_hold_holes(unsafe { (*item).t }) {
                        stack.push(item);
                    }
                }
            } else if t == KS {
                // SAFETY: a symbol vector holds n pointer slots.
                let syms =
                    unsafe { std::slice::from_raw_parts(data.cast::<usize>(), word as usize) };
                if syms.contains(&0) {
                    return true;
                }
            }
        }
        false
    }
    /// The generic null `::` (shared, immortal).
    pub fn identity() -> K {
        K(NonNull::from(&IDENTITY.0).cast())
    }

    /// A vector of `n` items of type `t` (>= 0): zeroed, general lists filled with `::` and
    /// symbol vectors with the empty symbol, so every item is valid from the start.
    pub fn vector(t: i8, n: usize) -> K {
        let size = item_size(t);
        let bytes = n.saturating_mul(size);
        let mut k = K::alloc(t, bytes);
        k.hdr_mut().word = n as u64;
        if owns_items(t) {
            let id = IDENTITY.0.get();
            // SAFETY: the data holds n pointer slots; the immortal identity needs no refcount.
            unsafe { std::slice::from_raw_parts_mut(k.data().cast::<*mut K0>(), n) }.fill(id);
        } else if t == KS {
            // SAFETY: the data holds n pointer-sized slots.
            unsafe { std::slice::from_raw_parts_mut(k.data().cast::<Sym>(), n) }.fill(Sym::empty());
        }
        k
    }

    /// A simple vector of type `t` copied from `items`.
    pub fn from_slice<T: Item>(t: i8, items: &[T]) -> K {
        assert!(
            plain_item_size(t) == std::mem::size_of::<T>() && t > 0,
            "from_slice of type {t}"
        );
        // SAFETY: T is plain data of the type's item size, so its bytes are the items' bytes.
        let bytes = unsafe {
            std::slice::from_raw_parts(items.as_ptr().cast::<u8>(), std::mem::size_of_val(items))
        };
        // Symbols are fine here: a &[Sym] holds interned pointers.
        K::copy_items(t, bytes)
    }

    /// A simple vector of type `t` whose items are `bytes` in this machine's byte order (a
    /// whole number of items; symbols excluded, since they must be interned pointers).
    pub fn from_bytes(t: i8, bytes: &[u8]) -> K {
        assert!(t != KS, "from_bytes of symbols");
        K::copy_items(t, bytes)
    }

    /// A simple vector of type `t` whose item `i` is `item(i)`, written straight into a block
    /// that is not zeroed first (large results skip a pass over their memory).
    pub fn from_fn<T: Item>(t: i8, n: usize, mut item: impl FnMut(usize) -> T) -> K {
        let size = plain_item_size(t);
        assert!(
            t > 0 && t != KS && size == std::mem::size_of::<T>(),
            "from_fn of type {t}"
        );
        let mut k = K::alloc_filled(t, n.saturating_mul(size), alloc::Fill::Overwritten);
        let data = k.data().cast::<T>();
        for i in 0..n {
            // SAFETY: room for n items of T; items are plain data (no symbols or objects), so
            // if `item` panics the unwritten rest is never read: the count is still 0.
            unsafe { data.add(i).write(item(i)) };
        }
        k.hdr_mut().word = n as u64;
        k
    }

    fn copy_items(t: i8, bytes: &[u8]) -> K {
        let size = plain_item_size(t);
        assert!(
            size != 0 && t > 0 && bytes.len().is_multiple_of(size),
            "from_bytes of type {t}"
        );
        // Every data byte is written below, so the block need not be zeroed first.
        let mut k = K::alloc_filled(t, bytes.len(), alloc::Fill::Overwritten);
        k.hdr_mut().word = (bytes.len() / size) as u64;
        // SAFETY: the new object has room for exactly these bytes.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), k.data(), bytes.len()) };
        k
    }

    /// A char vector (string).
    pub fn string(s: impl AsRef<[u8]>) -> K {
        K::from_slice(KC, s.as_ref())
    }

    /// A general list (type 0) of the given items.
    pub fn list(items: Vec<K>) -> K {
        K::list_of_type(0, items)
    }

    /// A list-shaped object of type `t` (general list, dict, or a function type) owning `items`.
    pub fn list_of_type(t: i8, items: Vec<K>) -> K {
        let n = items.len();
        let mut k = K::alloc(t, n * 8);
        k.hdr_mut().word = n as u64;
        let dst = k.data().cast::<K>();
        for (i, item) in items.into_iter().enumerate() {
            // SAFETY: slot i < n is inside the zeroed data; it takes over item's reference.
            unsafe { dst.add(i).write(item) };
        }
        k
    }

    /// A dictionary `keys!values` (the caller checks counts).
    pub fn dict(keys: K, values: K) -> K {
        K::list_of_type(XD, vec![keys, values])
    }

    /// A table from a column dictionary (the caller checks its shape).
    pub fn table(dict: K) -> K {
        let mut k = K::alloc(XT, 0);
        k.hdr_mut().word = dict.into_raw() as usize as u64;
        k
    }

    /// Sets the attribute (a no-op on shared objects' other holders: copies if shared).
    pub fn set_attr(&mut self, u: u8) {
        if self.attr() != u {
            self.make_unique();
            self.hdr_mut().u = u;
        }
    }

    /// Changes the type byte of a uniquely owned object to one with the same item size
    /// (e.g. long to timestamp, or a list to a function type).
    pub fn retype(&mut self, t: i8) {
        let old = self.t();
        assert!(
            (old < 0) == (t < 0)
                && item_size(old.unsigned_abs() as i8) == item_size(t.unsigned_abs() as i8)
                || owns_items(old) && owns_items(t),
            "retype {old} -> {t}"
        );
        self.make_unique();
        self.hdr_mut().t = t;
    }

    // ---- appending -----------------------------------------------------------------------

    /// Makes room for `extra` more items, copying first if shared; amortised doubling.
    fn reserve(&mut self, extra: usize) {
        self.make_unique();
        let size = item_size(self.t());
        let need = (self.n() + extra).saturating_mul(size);
        if need > alloc::capacity(self.0) {
            // SAFETY: make_unique made this the only reference, so the object may move.
            self.0 = unsafe { alloc::grow(self.0, need) };
        }
    }

    fn set_n(&mut self, n: usize) {
        self.hdr_mut().word = n as u64;
    }

    /// Appends one item to a simple vector.
    #[inline]
    pub fn push<T: Item>(&mut self, v: T) {
        self.check_item::<T>();
        let n = self.n();
        // Fast path: sole owner with room to spare; otherwise copy and/or grow.
        if !(self.is_unique() && (n + 1) * std::mem::size_of::<T>() <= alloc::capacity(self.0)) {
            self.reserve(1);
        }
        // SAFETY: reserve made room for item n.
        unsafe { self.data().cast::<T>().add(n).write(v) };
        self.set_n(n + 1);
    }

    /// Appends one item given as its raw bytes (`ja`): `item` must be exactly one item of this
    /// vector's type.
    #[inline]
    pub fn push_item_bytes(&mut self, item: &[u8]) {
        let size = plain_item_size(self.t());
        assert!(
            size != 0 && item.len() == size,
            "push_item_bytes of {} bytes on type {}",
            item.len(),
            self.t()
        );
        if self.t() == KS {
            // A symbol must be an interned pointer: re-intern whatever the host passed.
            let p =
                usize::from_ne_bytes(item.try_into().expect("8 bytes")) as *const std::ffi::c_char;
            // SAFETY: symbol items are C string pointers (k.h contract for ja on a symbol list).
            return self.push(unsafe { Sym::from_c_str(p) });
        }
        let n = self.n();
        if !(self.is_unique() && (n + 1) * size <= alloc::capacity(self.0)) {
            self.reserve(1);
        }
        let dst = self.data().wrapping_add(n * size);
        // SAFETY: room for item n was ensured above; fixed-size copies avoid a memcpy call.
        unsafe {
            match size {
                1 => *dst = item[0],
                2 => dst
                    .cast::<[u8; 2]>()
                    .write_unaligned(item.try_into().expect("2 bytes")),
                4 => dst
                    .cast::<[u8; 4]>()
                    .write_unaligned(item.try_into().expect("4 bytes")),
                8 => dst
                    .cast::<[u8; 8]>()
                    .write_unaligned(item.try_into().expect("8 bytes")),
                _ => dst
                    .cast::<[u8; 16]>()
                    .write_unaligned(item.try_into().expect("16 bytes")),
            }
        }
        self.set_n(n + 1);
    }

    /// Appends simple items.
    pub fn extend_from_slice<T: Item>(&mut self, v: &[T]) {
        self.check_item::<T>();
        let n = self.n();
        self.reserve(v.len());
        // SAFETY: reserve made room for v.len() items after n; the source is a separate object.
        unsafe {
            std::ptr::copy_nonoverlapping(v.as_ptr(), self.data().cast::<T>().add(n), v.len())
        };
        self.set_n(n + v.len());
    }

    /// Appends an object to a general list (taking it).
    pub fn push_k(&mut self, v: K) {
        assert!(owns_items(self.t()), "push_k on type {}", self.t());
        let n = self.n();
        self.reserve(1);
        // SAFETY: reserve made room for slot n, which takes over v's reference.
        unsafe { self.data().cast::<K>().add(n).write(v) };
        self.set_n(n + 1);
    }

    /// Appends the items of `other`, a vector of the same type (general lists: the items are
    /// shared, not copied).
    pub fn append(&mut self, other: &K) {
        if owns_items(self.t()) {
            for item in other.items() {
                self.push_k(item.clone());
            }
            return;
        }
        assert_eq!(self.t(), other.t(), "append of mismatched vectors");
        let n = self.n();
        let bytes = other.bytes();
        let size = item_size(self.t());
        self.reserve(other.n());
        // SAFETY: room for other.n() more items was reserved; source and destination differ
        // (self is unique, other is borrowed, so they cannot be the same object after
        // make_unique copied a shared one).
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), self.data().add(n * size), bytes.len())
        };
        self.set_n(n + other.n());
    }

    /// Appends raw item bytes to a simple vector whose items are the same size (kdb+'s `jv`
    /// of two vector types with one item size, e.g. longs and timestamps). Not symbols.
    pub fn append_bytes(&mut self, bytes: &[u8]) {
        let t = self.t();
        let size = plain_item_size(t);
        assert!(
            t > 0 && t != KS && size != 0 && bytes.len().is_multiple_of(size),
            "append_bytes of {} bytes on type {t}",
            bytes.len()
        );
        let n = self.n();
        let extra = bytes.len() / size;
        self.reserve(extra);
        // SAFETY: room for `extra` more items was reserved; the source is another object.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), self.data().add(n * size), bytes.len())
        };
        self.set_n(n + extra);
    }

    /// Whether the items from `from` on are in ascending order (what `s#` promises), by the
    /// vector's type: numbers as numbers (nulls first), symbols and chars by their bytes.
    pub fn is_sorted_from(&self, from: usize) -> bool {
        fn sorted<T: Item>(v: &[T], le: impl Fn(&T, &T) -> bool) -> bool {
            v.windows(2).all(|w| le(&w[0], &w[1]))
        }
        let from = from.min(self.n());
        match self.t() {
            KB | KG | KC => sorted(&self.as_slice::<u8>()[from..], |a, b| a <= b),
            KH => sorted(&self.as_slice::<i16>()[from..], |a, b| a <= b),
            KI | KM | KD | KU | KV | KT => sorted(&self.as_slice::<i32>()[from..], |a, b| a <= b),
            KJ | KP | KN => sorted(&self.as_slice::<i64>()[from..], |a, b| a <= b),
            KE => sorted(&self.as_slice::<f32>()[from..], |a, b| a.is_nan() || a <= b),
            KF | KZ => sorted(&self.as_slice::<f64>()[from..], |a, b| a.is_nan() || a <= b),
            KS => sorted(&self.as_slice::<Sym>()[from..], |a, b| {
                a.as_bytes() <= b.as_bytes()
            }),
            UU => sorted(&self.as_slice::<Guid>()[from..], |a, b| a <= b),
            _ => false,
        }
    }

    /// Shortens a vector or list to `len` items (releasing dropped list items).
    pub fn truncate(&mut self, len: usize) {
        let n = self.n();
        if len >= n {
            return;
        }
        self.make_unique();
        if owns_items(self.t()) {
            let items = self.data().cast::<K>();
            for i in len..n {
                // SAFETY: slots len..n hold owned references that are being removed.
                unsafe { std::ptr::drop_in_place(items.add(i)) };
            }
        }
        self.set_n(len);
    }

    // ---- copy on write -------------------------------------------------------------------

    /// Ensures this handle is the only reference, copying the object's top level if needed.
    pub fn make_unique(&mut self) {
        if !self.is_unique() {
            *self = self.shallow_copy();
        }
    }

    /// A fresh copy of the top level (list items are shared, not copied).
    pub fn shallow_copy(&self) -> K {
        let t = self.t();
        if t == XT {
            return K::table(self.table_dict().clone());
        }
        if !has_count(t) {
            let mut k = K::atom_word(t, self.word());
            k.hdr_mut().u = self.attr();
            return k;
        }
        if owns_items(t) {
            // Raw slots, not items(): a host's list may still have holes (null items).
            let n = self.n();
            let mut k = K::alloc(t, n * 8);
            k.hdr_mut().word = n as u64;
            k.hdr_mut().u = self.attr();
            for i in 0..n {
                // SAFETY: both objects hold n pointer slots; each non-null item gains the
                // reference the copy's slot holds.
                unsafe {
                    let item = *self.data().cast::<*mut K0>().add(i);
                    if let Some(item) = K::borrow_raw(item) {
                        std::mem::forget(K::clone(&item));
                    }
                    *k.data().cast::<*mut K0>().add(i) = item;
                }
            }
            return k;
        }
        let bytes = self.bytes();
        let mut k = K::alloc_filled(t, bytes.len(), alloc::Fill::Overwritten);
        k.hdr_mut().word = self.hdr().word;
        k.hdr_mut().u = self.attr();
        // SAFETY: the new object has room for exactly these bytes.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), k.data(), bytes.len()) };
        k
    }
}

impl Clone for K {
    /// `r1`.
    #[inline]
    fn clone(&self) -> K {
        if self.hdr().m != MEM_IMMORTAL {
            self.rc().fetch_add(1, Ordering::Relaxed);
        }
        K(self.0)
    }
}

impl Drop for K {
    /// `r0`: the last owner frees the object and releases what it owns.
    #[inline]
    fn drop(&mut self) {
        // SAFETY: self holds one reference to a live object, which it gives up here.
        if unsafe { release(self.0) } {
            // SAFETY: that was the last reference.
            unsafe { free_object(self.0) }
        }
    }
}

/// Gives up one reference to `p`; true when it was the last, so the caller must free it.
///
/// # Safety
/// `p` must be a live object of which the caller owns one reference.
#[inline]
unsafe fn release(p: NonNull<K0>) -> bool {
    let k = ManuallyDrop::new(K(p));
    if k.hdr().m == MEM_IMMORTAL {
        return false;
    }
    // With r == 0 this is the only reference; nobody else can be racing to change r.
    // AcqRel rather than Release and a fence on the last: the same instruction on x86, and
    // ThreadSanitizer (which does not model fences) then sees the other owners' uses happen
    // before the free.
    if k.rc().load(Ordering::Acquire) != 0 && k.rc().fetch_sub(1, Ordering::AcqRel) != 0 {
        return false;
    }
    true
}

/// Frees an object and everything only it referred to. The children are released through a
/// work list, not by recursion: a value nested a million levels deep (`{enlist x}/[1000000;1]`)
/// must not overflow the stack when it goes.
///
/// # Safety
/// `p` must be a heap object with no remaining references.
#[cold]
unsafe fn free_object(p: NonNull<K0>) {
    // SAFETY: p is live until it is freed below.
    let t = unsafe { (*p.as_ptr()).t };
    if !owns_items(t) && t != XT && t != FOREIGN {
        // A leaf (an atom, a simple vector) owns nothing and has no finaliser: no queue.
        // SAFETY: nothing refers to the object any more.
        return unsafe { alloc::free(p) };
    }
    let mut pending = Vec::new();
    let mut next = Some(p);
    while let Some(p) = next.take().or_else(|| pending.pop()) {
        // SAFETY: every object here had its last reference released.
        unsafe { free_one(p, &mut pending) }
    }
}

/// Frees one object whose last reference is gone, releasing its children: leaves are freed at
/// once, objects that own others are queued on `pending`.
///
/// # Safety
/// `p` must be a heap object with no remaining references.
unsafe fn free_one(p: NonNull<K0>, pending: &mut Vec<NonNull<K0>>) {
    // SAFETY: p is live until alloc::free below.
    let (t, word) = unsafe { ((*p.as_ptr()).t, (*p.as_ptr()).word) };
    // SAFETY: list-shaped objects keep their item pointers from offset 16.
    let items = unsafe { p.as_ptr().cast::<u8>().add(DATA_OFFSET).cast::<*mut K0>() };
    if t == FOREIGN {
        // kdb+'s foreign objects: item 0 may be a finaliser `void f(K)` called with the object;
        // their items are not K objects.
        // SAFETY: a foreign object has at least its finaliser slot when its count is non-zero.
        let finaliser = if word >= 1 {
            unsafe { *items }
        } else {
            std::ptr::null_mut()
        };
        if !finaliser.is_null() && finaliser != IDENTITY.0.get() {
            // SAFETY: item 0 of a foreign object is a host-set function pointer stored as a K.
            let f: extern "C" fn(*mut K0) = unsafe { std::mem::transmute(finaliser) };
            f(p.as_ptr());
        }
        // SAFETY: nothing refers to the object any more.
        unsafe { alloc::free(p) };
        return;
    }
    let mut release_child = |c: *mut K0| {
        let Some(c) = NonNull::new(c) else { return };
        // SAFETY: the parent owned one reference to each child.
        if unsafe { release(c) } {
            // SAFETY: c is live; its last reference was just released.
            let ct = unsafe { (*c.as_ptr()).t };
            if owns_items(ct) || ct == XT {
                pending.push(c);
            } else {
                // SAFETY: a leaf owns nothing; nothing refers to it any more.
                unsafe { alloc::free(c) };
            }
        }
    };
    if t == XT {
        // A table owns the dictionary pointer in its union (null only if half-built).
        release_child(word as usize as *mut K0);
    } else if owns_items(t) {
        for i in 0..word as usize {
            // SAFETY: slot i < n holds an owned reference, or null where a host left a hole.
            release_child(unsafe { *items.add(i) });
        }
    }
    // SAFETY: nothing refers to the object any more.
    unsafe { alloc::free(p) }
}

impl std::fmt::Debug for K {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "K(t={}, n={}, r={})",
            self.t(),
            self.n(),
            self.refcount()
        )
    }
}

/// Whether an object of type `t` can hold a hole (`K::has_holes`): tables, symbol vectors and
/// lists of objects. Atoms and other vectors hold no pointers, so the walk passes them by.
#[inline]
fn may_hold_holes(t: i8) -> bool {
    t == XT || t == KS || (owns_items(t) && t != FOREIGN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atoms_hold_their_values() {
        assert_eq!(K::long(-5).j(), -5);
        assert_eq!(K::int(NI).i(), NI);
        assert_eq!(K::short(NH).h(), NH);
        assert_eq!(K::float(1.5).f(), 1.5);
        assert_eq!(K::real(2.5).e(), 2.5);
        assert_eq!(K::sym(Sym::new("a")).s(), Sym::new("a"));
        let g = Guid([7; 16]);
        let k = K::guid_atom(g);
        assert_eq!((k.t(), k.n(), k.guid()), (-UU, 1, g));
    }

    #[test]
    fn an_attribute_marked_in_place_is_seen_by_every_holder() {
        let a = K::from_slice(KJ, &[1i64, 2, 3]);
        let b = a.clone();
        b.mark_in_place(ATTR_SORTED);
        assert_eq!((a.attr(), b.attr()), (ATTR_SORTED, ATTR_SORTED));
        assert_eq!(a.as_ptr(), b.as_ptr());
        // The generic null is immortal: never written.
        let null = K::identity();
        null.mark_in_place(ATTR_SORTED);
        assert_eq!(K::identity().attr(), ATTR_NONE);
    }

    #[test]
    fn from_fn_writes_every_item_and_survives_a_panicking_item() {
        let big = 1 << 20; // past the size where blocks come from the reuse cache
        for n in [0, 3, big] {
            let v = K::from_fn(KJ, n, |i| i as i64 * 3);
            assert_eq!((v.t(), v.n()), (KJ, n));
            assert!(v
                .as_slice::<i64>()
                .iter()
                .enumerate()
                .all(|(i, &x)| x == i as i64 * 3));
        }
        let r =
            std::panic::catch_unwind(|| K::from_fn(KB, 10, |i| if i < 5 { 1u8 } else { panic!() }));
        assert!(r.is_err());
    }

    #[test]
    fn push_grows_and_shared_values_are_copied_on_write() {
        let mut v = K::vector(KJ, 0);
        for i in 0..1000 {
            v.push(i as i64);
        }
        let shared = v.clone();
        assert_eq!(v.refcount(), 1);
        v.push(1000i64);
        assert_eq!(shared.n(), 1000);
        assert_eq!(v.n(), 1001);
        assert_eq!(v.as_slice::<i64>()[1000], 1000);
        assert_eq!(shared.refcount(), 0);
    }

    #[test]
    fn lists_own_their_items() {
        let a = K::string("abc");
        let l = K::list(vec![a.clone(), K::long(1)]);
        assert_eq!(a.refcount(), 1);
        drop(l);
        assert_eq!(a.refcount(), 0);
        let fresh = K::vector(0, 3);
        assert!(fresh.items().iter().all(|k| k.t() == UNARY));
        let syms = K::vector(KS, 2);
        assert!(syms.as_slice::<Sym>().iter().all(|s| s.is_empty()));
    }

    #[test]
    fn a_million_levels_of_nesting_free_without_recursion() {
        let mut x = K::long(1);
        for _ in 0..1_000_000 {
            x = K::list(vec![x]);
        }
        let shared = x.items()[0].clone();
        drop(x);
        assert_eq!(shared.refcount(), 0);
        drop(shared);
    }

    #[test]
    fn tables_own_their_dict() {
        let d = K::dict(
            K::from_slice(KS, &[Sym::new("a")]),
            K::list(vec![K::from_slice(KJ, &[1i64, 2])]),
        );
        let t = K::table(d);
        assert_eq!(t.table_dict().t(), XD);
        assert_eq!(
            t.table_dict().items()[1].items()[0].as_slice::<i64>(),
            &[1, 2]
        );
    }
}
