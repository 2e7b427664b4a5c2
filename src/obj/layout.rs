//! The K object's memory layout, byte for byte KX's `struct k0` (KXVER 3).
//!
//! ```text
//! offset 0  m   i8    memory kind (ours: 0 heap, 1 immortal, 2 file mapping)
//! offset 1  a   i8    unused, kept 0
//! offset 2  t   i8    type: <0 atom, 0 general list, 1..=19 vectors, 98 table, 99 dict, ...
//! offset 3  u   u8    attribute: 0 none, 1 `s#, 2 `u#, 3 `p#, 5 `g#
//! offset 4  r   i32   reference count, 0 means exactly one owner (updated atomically)
//! offset 8  union     atom value (g h i j e f s k), or n: i64 item count
//! offset 16 G0        vector items (atoms of guid type keep their 16 bytes here too)
//! ```
//!
//! Type codes, nulls and infinities are KX's. Everything that knows how big an item is, or which
//! types own child objects, is in this file.

/// KX's `struct k0`. The union is flattened into its 8 bytes; accessors live on `K`.
#[repr(C)]
pub struct K0 {
    pub m: i8,
    pub a: i8,
    pub t: i8,
    pub u: u8,
    pub r: i32,
    /// The union: an atom's value, a table's dictionary pointer, or a vector's count `n`.
    pub word: u64,
    /// First byte of vector data (`G0[1]` in C).
    pub g0: [u8; 0],
}

/// Offset of vector data from the start of the object, as in k.h.
pub const DATA_OFFSET: usize = 16;

// Type codes (k.h names).
pub const KB: i8 = 1;
pub const UU: i8 = 2;
pub const KG: i8 = 4;
pub const KH: i8 = 5;
pub const KI: i8 = 6;
pub const KJ: i8 = 7;
pub const KE: i8 = 8;
pub const KF: i8 = 9;
pub const KC: i8 = 10;
pub const KS: i8 = 11;
pub const KP: i8 = 12;
pub const KM: i8 = 13;
pub const KD: i8 = 14;
pub const KZ: i8 = 15;
pub const KN: i8 = 16;
pub const KU: i8 = 17;
pub const KV: i8 = 18;
pub const KT: i8 = 19;
/// Enumerations take types 20..=76 (the domain index plus 20).
pub const ENUM_FIRST: i8 = 20;
pub const ENUM_LAST: i8 = 76;
pub const XT: i8 = 98;
pub const XD: i8 = 99;
pub const LAMBDA: i8 = 100;
pub const UNARY: i8 = 101;
pub const BINARY: i8 = 102;
pub const TERNARY: i8 = 103;
pub const PROJECTION: i8 = 104;
pub const COMPOSITION: i8 = 105;
/// Iterator-derived functions: `'` `/` `\` `':` `/:` `\:`.
pub const EACH: i8 = 106;
pub const OVER: i8 = 107;
pub const SCAN: i8 = 108;
pub const EACH_PRIOR: i8 = 109;
pub const EACH_RIGHT: i8 = 110;
pub const EACH_LEFT: i8 = 111;
/// Foreign objects: a two-item list of (destructor, pointer), as PyKX and kdb+ make them.
pub const FOREIGN: i8 = 112;
pub const ERROR: i8 = -128;

// Attributes.
pub const ATTR_NONE: u8 = 0;
pub const ATTR_SORTED: u8 = 1;
pub const ATTR_UNIQUE: u8 = 2;
pub const ATTR_PARTED: u8 = 3;
/// 4, as KX's kb/serialization.md numbers the attributes ("04 – `g`") and as kdb+ writes it in
/// a file's header (`fd 00 14 04`, tests/disk/vectors/torq-air/hdb/2020.10.28/flights/sym).
pub const ATTR_GROUPED: u8 = 4;

// Nulls and infinities, with k.h's names and bit patterns.
pub const NH: i16 = i16::MIN;
pub const WH: i16 = i16::MAX;
pub const NI: i32 = i32::MIN;
pub const WI: i32 = i32::MAX;
pub const NJ: i64 = i64::MIN;
pub const WJ: i64 = i64::MAX;
/// kdb+'s float null is x86's default NaN (what `0/0.0` gives, k.h's `nf`): sign bit set.
pub const NF: f64 = f64::from_bits(0xfff8_0000_0000_0000);
pub const WF: f64 = f64::INFINITY;
/// The real null, likewise the default NaN.
pub const NE: f32 = f32::from_bits(0xffc0_0000);
pub const WE: f32 = f32::INFINITY;

/// Memory kinds kept in `m`.
pub const MEM_HEAP: i8 = 0;
/// Never freed (shared singletons such as the generic null `::`); refcounts are not touched.
pub const MEM_IMMORTAL: i8 = 1;
/// Data in a file mapping (a vector on disk): refcounted like a heap object, never changed in
/// place (a change copies it to the heap first), unmapped when the last reference goes.
pub const MEM_MAPPED: i8 = 2;

/// Bytes per item of a vector of type `t` (0 for types that are not item vectors).
///
/// General lists and the list-shaped function types hold one `K` pointer per item. A table
/// lookup: this sits on every append and slice access.
#[inline(always)]
pub const fn item_size(t: i8) -> usize {
    ITEM_SIZE[t as u8 as usize] as usize
}

/// A lookup table indexed by the type byte, filled at compile time from a `const fn(i8)`
/// (a macro: const functions cannot call function pointers).
macro_rules! by_type {
    ($f:ident) => {{
        let mut table = [0u8; 256];
        let mut t = 0;
        while t < 256 {
            table[t] = $f(t as u8 as i8) as u8;
            t += 1;
        }
        table
    }};
}

static ITEM_SIZE: [u8; 256] = by_type!(item_size_of);

/// Bytes per plain (non-`K`) item for objects whose data is a run of such items: simple
/// vectors, enumerations, and the guid atom (which keeps its 16 bytes at offset 16); 0 for
/// everything else. One lookup checks both the kind of object and the item size.
#[inline(always)]
pub const fn plain_item_size(t: i8) -> usize {
    PLAIN_ITEM_SIZE[t as u8 as usize] as usize
}

static PLAIN_ITEM_SIZE: [u8; 256] = by_type!(plain_item_size_of);

const fn plain_item_size_of(t: i8) -> usize {
    if t == -UU {
        16
    } else if has_count(t) && !owns_items(t) {
        item_size_of(t)
    } else {
        0
    }
}

const fn item_size_of(t: i8) -> usize {
    match t {
        0 => 8,
        KB | KG | KC => 1,
        UU => 16,
        KH => 2,
        KI | KE | KM | KD | KU | KV | KT => 4,
        KJ | KF | KS | KP | KZ | KN => 8,
        ENUM_FIRST..=ENUM_LAST => 8,
        XD | LAMBDA | PROJECTION..=FOREIGN => 8,
        _ => 0,
    }
}

/// True when an object of type `t` is a vector of `n` items stored from offset 16.
#[inline]
pub const fn has_count(t: i8) -> bool {
    t >= 0 && t != XT && t != UNARY && t != BINARY && t != TERNARY || t == -UU
}

/// True when the items of an object of type `t` are owned `K` pointers. Not foreign objects
/// (112): their words are the host's (a finaliser, then anything).
#[inline]
pub const fn owns_items(t: i8) -> bool {
    matches!(t, 0 | XD | LAMBDA | PROJECTION..=EACH_LEFT)
}

/// Size in bytes of one atom's value as it sits in the union (guid atoms keep 16 at offset 16).
#[inline]
pub const fn atom_size(t: i8) -> usize {
    match t {
        -128 => 8,
        t if t < 0 => item_size(-t),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::{offset_of, size_of};

    #[test]
    fn layout_is_kx_k0() {
        assert_eq!(offset_of!(K0, m), 0);
        assert_eq!(offset_of!(K0, a), 1);
        assert_eq!(offset_of!(K0, t), 2);
        assert_eq!(offset_of!(K0, u), 3);
        assert_eq!(offset_of!(K0, r), 4);
        assert_eq!(offset_of!(K0, word), 8);
        assert_eq!(offset_of!(K0, g0), DATA_OFFSET);
        assert_eq!(size_of::<K0>(), 16);
    }

    #[test]
    fn item_sizes_match_kh_accessors() {
        assert_eq!(item_size(KB), 1);
        assert_eq!(item_size(UU), 16);
        assert_eq!(item_size(KH), 2);
        assert_eq!(item_size(KT), 4);
        assert_eq!(item_size(KZ), 8);
        assert_eq!(item_size(KS), 8);
        assert_eq!(item_size(0), 8);
        assert_eq!(item_size(XT), 0);
        assert!(has_count(-UU) && !has_count(-KJ) && !has_count(XT) && has_count(XD));
        assert_eq!(
            (
                plain_item_size(KJ),
                plain_item_size(-UU),
                plain_item_size(0)
            ),
            (8, 16, 0)
        );
        assert_eq!(
            (
                plain_item_size(XD),
                plain_item_size(-KJ),
                plain_item_size(20)
            ),
            (0, 0, 8)
        );
    }
}
