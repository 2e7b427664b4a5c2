//! The index kdb+ keeps after a vector's items in a file when the vector has `u#`, `p#` or
//! `g#`: the structures kdb+ holds in memory for the attribute, written as they sit there, so
//! the file is mapped and used without rebuilding them.
//!
//! What we read from kdb+-written files (tests/disk/vectors and the HDBs listed in
//! ../notes/disk-formats/SPEC.md §6; every `p#`, `u#` and `g#` file there is reproduced byte
//! for byte by this module, except words holding a memory address, below), for a vector of
//! w-byte items (w = 8, or 4 for the 32-bit enumerations kdb+ wrote before 3.6):
//!
//! ```text
//! u#   data n items | [enum word] | zero items up to p | hash: 2p slots
//! p#   data n items | [zero to 8] | [enum word] | U: the distinct values as a u# vector object
//!                                 | S: a long vector object, the start of each run, then n
//! g#   data n items | [zero to 8] | [enum word] | U: the distinct values in order of first
//!                                   occurrence, as a u# vector object whose header's
//!                                   refcount word is 1
//!                                 | S: a long vector object, where each value's rows start in
//!                                   R, then n
//!                                 | R: a long vector object, the rows of each value in turn,
//!                                   ascending
//! object: a 16-byte header  m 00 t u r(i32) count(i64), m the allocator's size class of the
//!         whole object (smallest m with 16<<m >= its bytes); U is `t 02`, S and R `07 00`;
//!         r is 0 but in g#'s U
//! ```
//!
//! - p is the smallest power of two >= the count of the hashed values (1 for none), and at
//!   least 8/w: the items and their room fill whole 8-byte words (for 4-byte items, p is 2
//!   for none and for one value, as the pre-3.6 files show).
//! - hash slots are 8 bytes whatever w: -1 empty, else the index of the value in its vector.
//!   The slot of value v (the item as a signed integer) is bits 11 and up of
//!   `v * 0x9E3779B1` (wrapping 64-bit product), masked to the table, the next free slot on a
//!   collision (linear probing, wrapping).
//! - the enum word: an enumeration (type 20 on disk, kdb+ 3.6+) carries one word after its
//!   items, in the file and in U; kdb+ leaves there what the word held in memory (zero, or
//!   the address of the domain in the writing process), ignored when reading. We write zero.
//!
//! Checked on 3.6+ enumerations (`p#` sym columns written by `.Q.dpft`, `u#` and `g#` sym
//! columns: TorQ-Air's `hdb/2020.10.28/flights/sym`, DolphinDB's `Syms/*`, which settle that U
//! is in order of first occurrence), and on pre-3.6 32-bit enumerations with `p#` (73 files
//! of kdb+ 3.x, 2015-2020: their U objects hold 4-byte values, the hash 8-byte slots); for
//! long vectors the sizes agree with the overheads measured on kdb+ 4.1 (u#: 8(3p-n), p#:
//! 8(3p+U+5), g#: 8(3p+n+U+7) bytes).
//!
//! 4-byte vectors (int, month, date, minute, second, time) are written with the layout of
//! the pre-3.6 32-bit enumerations. That is an inference [I], not seen in a file kdb+ 3.6+
//! wrote: an enumeration before 3.6 was a vector of 4-byte indices whose index kdb+ built as
//! for any 4-byte vector, and KX lists the file formats 3.6 changed (64-bit enumerations,
//! anymap, and `u#`/`p#`/`g#` on guids only, for their new hash), so the others stayed as
//! 3.5 wrote them. Not known from any file or document, and so never written (`set` of such
//! a vector is `'nyi`): `u#`/`p#`/`g#` on items of 1 or 2 bytes, on reals, floats and
//! datetimes (what is hashed for them), on guids (3.6's new format).

use std::borrow::Cow;

use crate::obj::*;

/// kdb+'s multiplier for hashing an 8-byte item.
const HASH_MUL: u64 = 0x9E37_79B1;
/// The bits of the product below the slot number.
const HASH_SHIFT: u32 = 11;

/// The width of the items of type `t` whose index layout is known: 8-byte integers and
/// enumerations, and ([I], module comment) 4-byte integers.
fn item_width(t: i8) -> Option<usize> {
    match t {
        KJ | KP | KN | ENUM_FIRST..=ENUM_LAST => Some(8),
        KI | KM | KD | KU | KV | KT => Some(4),
        _ => None,
    }
}

/// Whether a file may keep `x`'s attribute: `s#` always; `u#`/`p#`/`g#` on the items whose
/// index layout is known (`item_width`).
pub fn writable(x: &K) -> bool {
    match x.attr() {
        ATTR_SORTED => true,
        ATTR_UNIQUE | ATTR_PARTED | ATTR_GROUPED => item_width(x.t()).is_some(),
        _ => false,
    }
}

/// The bytes that follow `x`'s items in its file (`enumeration`: written as kdb+'s type-20
/// enumeration); empty when the attribute needs none. Call only when `writable(x)`.
pub fn index(x: &K, enumeration: bool) -> Vec<u8> {
    index_as(x, enumeration, Style::FILE)
}

/// How kdb+ writes the index of a vector inside a general list's heap (anymap, SPEC §5.2): as
/// in a file, except for two bytes the torq-finance sample `advancedres/resultdata#` shows
/// (a `p#` symbol vector, the only attributed vector inside a list any sample holds): the
/// vector's enum word is all ones, and the index's objects have 0x83 as their second byte.
pub fn nested_index(x: &K, enumeration: bool) -> Vec<u8> {
    index_as(x, enumeration, Style::NESTED)
}

/// The bytes that differ between an index in a file and one inside a list's heap.
#[derive(Clone, Copy)]
struct Style {
    /// The word after an enumeration's items.
    enum_word: u64,
    /// The second byte of each object's header.
    header_a: u8,
}

impl Style {
    const FILE: Style = Style {
        enum_word: 0,
        header_a: 0,
    };
    const NESTED: Style = Style {
        enum_word: u64::MAX,
        header_a: 0x83,
    };
}

/// `x`'s items as signed integers (8-byte items borrowed, not copied: columns are big), and
/// their width in bytes.
fn items_of(x: &K, enumeration: bool) -> (Cow<'_, [i64]>, usize) {
    let w = if enumeration {
        8
    } else {
        item_width(x.t()).unwrap_or(8)
    };
    if x.n() == 0 {
        return (Cow::Borrowed(&[]), w);
    }
    let items = match w {
        4 => Cow::Owned(x.as_slice::<i32>().iter().map(|&v| v as i64).collect()),
        _ => Cow::Borrowed(x.as_slice::<i64>()),
    };
    (items, w)
}

/// Zeros from the end of `n` items of `w` bytes to the next 8-byte boundary.
fn pad_to_word(out: &mut Vec<u8>, n: usize, w: usize) {
    out.resize(out.len() + (8 - n * w % 8) % 8, 0);
}

fn index_as(x: &K, enumeration: bool, style: Style) -> Vec<u8> {
    // `s#` has no index, whatever its items (shorts, floats...: no width to read them at).
    if !matches!(x.attr(), ATTR_UNIQUE | ATTR_PARTED | ATTR_GROUPED) {
        return Vec::new();
    }
    let (items, w) = items_of(x, enumeration);
    let items = &items[..];
    let t = if enumeration { 20 } else { x.t() as u8 };
    let mut out = Vec::new();
    match x.attr() {
        ATTR_UNIQUE => {
            if enumeration {
                out.extend(style.enum_word.to_le_bytes());
            }
            let p = capacity(items.len(), w);
            out.resize(out.len() + w * (p - items.len()), 0);
            hash_table(&mut out, items, 2 * p);
        }
        ATTR_PARTED => {
            pad_to_word(&mut out, items.len(), w);
            if enumeration {
                out.extend(style.enum_word.to_le_bytes());
            }
            let mut distinct = Vec::new();
            let mut starts = Vec::new();
            for (i, &v) in items.iter().enumerate() {
                if i == 0 || items[i - 1] != v {
                    distinct.push(v);
                    starts.push(i as i64);
                }
            }
            starts.push(items.len() as i64);
            let u = Unique {
                t,
                w,
                enumeration,
                a: style.header_a,
                r: 0,
            };
            u.write(&mut out, &distinct);
            long_object(&mut out, &starts, style.header_a);
        }
        ATTR_GROUPED => {
            pad_to_word(&mut out, items.len(), w);
            if enumeration {
                out.extend(style.enum_word.to_le_bytes());
            }
            let mut place: std::collections::HashMap<i64, usize> = Default::default();
            let mut distinct = Vec::new();
            let mut rows: Vec<Vec<i64>> = Vec::new();
            for (i, &v) in items.iter().enumerate() {
                let k = *place.entry(v).or_insert_with(|| {
                    distinct.push(v);
                    rows.push(Vec::new());
                    distinct.len() - 1
                });
                rows[k].push(i as i64);
            }
            let mut starts = vec![0i64];
            for r in &rows {
                starts.push(starts[starts.len() - 1] + r.len() as i64);
            }
            let u = Unique {
                t,
                w,
                enumeration,
                a: style.header_a,
                r: 1,
            };
            u.write(&mut out, &distinct);
            long_object(&mut out, &starts, style.header_a);
            long_object(&mut out, &rows.concat(), style.header_a);
        }
        _ => {}
    }
    out
}

/// The smallest power of two that holds `n` items of `w` bytes (1 for none) in whole 8-byte
/// words.
fn capacity(n: usize, w: usize) -> usize {
    n.max(1).next_power_of_two().max(8 / w)
}

/// The allocator's size class kdb+ records for an object of `bytes` bytes.
fn size_class(bytes: usize) -> u8 {
    let mut m = 0u8;
    while (16usize << m) < bytes {
        m += 1;
    }
    m
}

fn object_header(out: &mut Vec<u8>, bytes: usize, a: u8, t: u8, attr: u8, n: usize) {
    out.extend([size_class(bytes), a, t, attr, 0, 0, 0, 0]);
    out.extend((n as u64).to_le_bytes());
}

/// How a u# vector object inside an index is written: its type `t`, items of `w` bytes,
/// whether it is an enumeration (the enum word), its header's second byte `a` and refcount
/// word `r`.
struct Unique {
    t: u8,
    w: usize,
    enumeration: bool,
    a: u8,
    r: i32,
}

impl Unique {
    /// `values` as the object: header, items, room up to capacity, the hash.
    fn write(&self, out: &mut Vec<u8>, values: &[i64]) {
        let p = capacity(values.len(), self.w);
        let enum_word = if self.enumeration { 8 } else { 0 };
        let bytes = 16 + self.w * p + enum_word + 16 * p;
        let at = out.len();
        object_header(out, bytes, self.a, self.t, ATTR_UNIQUE, values.len());
        out[at + 4..at + 8].copy_from_slice(&self.r.to_le_bytes());
        for v in values {
            out.extend(&v.to_le_bytes()[..self.w]);
        }
        out.resize(out.len() + enum_word + self.w * (p - values.len()), 0);
        hash_table(out, values, 2 * p);
    }
}

fn long_object(out: &mut Vec<u8>, values: &[i64], a: u8) {
    object_header(out, 16 + 8 * values.len(), a, KJ as u8, 0, values.len());
    for v in values {
        out.extend(v.to_le_bytes());
    }
}

/// The slot of `v` in a table of `slots` (a power of two). For a 4-byte item `v` is the item
/// sign-extended; up to 2^21 slots only its low 32 bits reach the slot, so widening it with
/// or without the sign, or multiplying in 32 bits, gives the same table.
fn home(v: i64, slots: usize) -> usize {
    ((v as u64).wrapping_mul(HASH_MUL) >> HASH_SHIFT) as usize & (slots - 1)
}

/// `slots` 8-byte slots: each value's index at its slot, -1 where none.
fn hash_table(out: &mut Vec<u8>, values: &[i64], slots: usize) {
    let mut table = vec![-1i64; slots];
    for (i, &v) in values.iter().enumerate() {
        let mut s = home(v, slots);
        while table[s] != -1 {
            s = (s + 1) & (slots - 1);
        }
        table[s] = i as i64;
    }
    for s in table {
        out.extend(s.to_le_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn longs(b: &[u8]) -> Vec<i64> {
        b.chunks_exact(8)
            .map(|c| i64::from_le_bytes(c.try_into().unwrap()))
            .collect()
    }

    #[test]
    fn empty_parted_enumeration_is_kdbs() {
        // TorQ tests/dataaccess/queryorder/hdb/2021.01.04/packets/sym from 0x1000.
        let mut x = K::from_slice::<i64>(KJ, &[]);
        x.set_attr(ATTR_PARTED);
        let mut want = vec![0u8; 8];
        want.extend([2, 0, 20, 2, 0, 0, 0, 0]);
        want.extend([0u8; 24]);
        want.extend([0xffu8; 16]);
        want.extend([1, 0, 7, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
        want.extend([0u8; 8]);
        assert_eq!(index(&x, true), want);
    }

    #[test]
    fn empty_parted_ints_are_the_old_enumerations_index() {
        // TorQ-Finance hdb/2015.01.07/trade_iex/sym (kdb+ before 3.6, a 32-bit enumeration
        // of no items with p#) from byte 24: U with room for two 4-byte values and a
        // four-slot hash, then the run starts. U's type is the vector's: 20 there, 6 here.
        let kdb = include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/disk/vectors/torq-finance/hdb/2015.01.07/trade_iex/sym"
        ));
        let mut want = kdb[24..].to_vec();
        assert_eq!(want[2], 20);
        want[2] = KI as u8;
        let mut x = K::from_slice::<i32>(KI, &[]);
        x.set_attr(ATTR_PARTED);
        assert_eq!(index(&x, false), want);
    }

    #[test]
    fn ints_take_whole_words() {
        // u#: n items then room to p (at least 2), so the hash starts on a word.
        for (n, p) in [(0usize, 2usize), (1, 2), (2, 2), (3, 4), (5, 8)] {
            let mut x = K::from_slice::<i32>(KI, &(0..n as i32).collect::<Vec<i32>>());
            x.set_attr(ATTR_UNIQUE);
            assert_eq!(index(&x, false).len(), 4 * (p - n) + 16 * p, "n {n}");
        }
        // p#/g# of an odd count: zeros to the word, then U.
        let mut x = K::from_slice::<i32>(KD, &[7, 7, 9]);
        x.set_attr(ATTR_PARTED);
        let b = index(&x, false);
        assert_eq!(&b[..8], &[0, 0, 0, 0, 2, 0, KD as u8, 2]);
        assert_eq!(&b[20..28], &[7, 0, 0, 0, 9, 0, 0, 0]);
    }

    #[test]
    fn unique_longs_take_kdbs_measured_room() {
        // Overheads measured on kdb+ 4.1: 8*(3p-n) bytes for u#.
        for (n, bytes) in [(1, 16), (2, 32), (3, 72), (4, 64), (5, 152), (9, 312)] {
            let mut x = K::from_slice::<i64>(KJ, &(0..n).collect::<Vec<i64>>());
            x.set_attr(ATTR_UNIQUE);
            assert_eq!(index(&x, false).len(), bytes, "n {n}");
        }
        // p#: 8*(3p+U+5) bytes for U distinct values.
        for (u, bytes) in [(1, 72), (2, 104), (3, 160), (8, 296), (9, 496)] {
            let v: Vec<i64> = (0..u).flat_map(|i| [i, i]).collect();
            let mut x = K::from_slice::<i64>(KJ, &v);
            x.set_attr(ATTR_PARTED);
            assert_eq!(index(&x, false).len(), bytes, "u {u}");
        }
    }

    #[test]
    fn hash_slots_follow_kdbs_function() {
        // From the u# table of TorQ-Air's flights/sym: 0 -> 0, 1 -> 111, 2 -> 94 of 128.
        assert_eq!(home(0, 128), 0);
        assert_eq!(home(1, 128), 111);
        assert_eq!(home(2, 128), 94);
        let mut out = Vec::new();
        hash_table(&mut out, &[1, 1 + 128 * 2048 * 4], 128);
        let t = longs(&out);
        assert_eq!((t[111], t[112]), (0, 1));
    }
}
