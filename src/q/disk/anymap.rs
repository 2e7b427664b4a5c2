//! kdb+ 3.6's format for lists of anything (type 77, "anymap"): what `set` writes for a general
//! list and what a splayed table's nested columns are. Three files:
//!
//! ```text
//! col    page (fd 20 ..), 0xff0: fd 01 4d 00 00000000 n | n u64 entries: offset | tag << 56
//! col#   page, 0xff0: fd 00 04 00 .. | the heap: one object per entry, in entry order
//! col##  when symbols occur: their names, a serialized symbol list (ints index it)
//! ```
//!
//! A heap object is either compact (one byte `t+127`, then an atom's value, or a count byte
//! and a vector's items, unaligned; symbols as 4-byte indices into `col##`) or full, 16-byte
//! aligned: `fb 00 t u 01000000 n` then the items of a vector, or `n` entries for a list
//! (77), a dictionary (keys, values) or a table (its dictionary's two). Entry tags: 0 a full
//! vector or list used in place, 1 a compact object or a dictionary or table, 3 a vector with an
//! attribute.
//!
//! Written as the samples of kdb+ 4.x show: compact for atoms and vectors of fewer than 128
//! bytes, full otherwise; a run of the same object written once; count 0 in the index header.
//! (kdb+ 4.0 2023.11.03 and later also write equal empty vectors once, in a way no sample
//! shows; the samples, from before that, write each.)

use crate::obj::*;

use super::mappable::{anymap_page, ANYMAP, PAGE, PAGE_HEADER_AT};

const FULL: u8 = 0xfb;
const OFFSET_MASK: u64 = (1 << 56) - 1;
/// Vectors of this many bytes and more are written in full.
const COMPACT_LIMIT: usize = 128;

fn bad() -> Error {
    Error::new("type")
}

// ---- reading ---------------------------------------------------------------------------------

struct Heap<'a> {
    bytes: &'a [u8],
    syms: &'a [Sym],
}

impl Heap<'_> {
    fn slice(&self, at: usize, len: usize) -> Result<&[u8]> {
        at.checked_add(len)
            .and_then(|end| self.bytes.get(at..end))
            .ok_or_else(bad)
    }

    fn u64_at(&self, at: usize) -> Result<u64> {
        Ok(u64::from_le_bytes(
            self.slice(at, 8)?.try_into().expect("8 bytes"),
        ))
    }

    fn sym(&self, i: i64) -> Sym {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.syms.get(i).copied())
            .unwrap_or_else(Sym::empty)
    }

    fn entry(&self, e: u64, depth: usize) -> Result<K> {
        if depth > crate::wire::MAX_DEPTH {
            return Err(Error::new("stack"));
        }
        let at = (e & OFFSET_MASK) as usize;
        match *self.bytes.get(at).ok_or_else(bad)? {
            FULL => self.full(at, depth),
            c => self.compact(at, c.wrapping_sub(127) as i8),
        }
    }

    fn symbols_i32(&self, data: &[u8]) -> K {
        let names: Vec<Sym> = data
            .chunks_exact(4)
            .map(|c| self.sym(i32::from_le_bytes(c.try_into().expect("4 bytes")) as i64))
            .collect();
        K::from_slice(KS, &names)
    }

    fn compact(&self, at: usize, t: i8) -> Result<K> {
        if (-KT..0).contains(&t) {
            let w = if t == -KS { 4 } else { atom_size(t) };
            let b = self.slice(at + 1, w)?;
            if t == -KS {
                return Ok(K::sym(
                    self.sym(i32::from_le_bytes(b.try_into().expect("4 bytes")) as i64),
                ));
            }
            if t == -UU {
                return Ok(K::guid_atom(Guid(b.try_into().expect("16 bytes"))));
            }
            let mut word = [0u8; 8];
            word[..w].copy_from_slice(b);
            return Ok(K::atom_word(t, u64::from_le_bytes(word)));
        }
        if t <= 0 || t > KT {
            return Err(bad());
        }
        let n = *self.bytes.get(at + 1).ok_or_else(bad)? as usize;
        if t == KS {
            return Ok(self.symbols_i32(self.slice(at + 2, n * 4)?));
        }
        Ok(K::from_bytes(
            t,
            self.slice(at + 2, n * plain_item_size(t))?,
        ))
    }

    fn full(&self, at: usize, depth: usize) -> Result<K> {
        let h = self.slice(at, 16)?;
        let (t, attr) = (h[2] as i8, h[3]);
        let n = usize::try_from(self.u64_at(at + 8)?).map_err(|_| bad())?;
        let data = at + 16;
        let entries = |k: usize| -> Result<Vec<K>> {
            (0..k)
                .map(|i| self.entry(self.u64_at(data + 8 * i)?, depth + 1))
                .collect()
        };
        let mut v = match t {
            KS => self.symbols_i32(self.slice(data, n.checked_mul(4).ok_or_else(bad)?)?),
            20 => {
                let idx = self.slice(data, n.checked_mul(8).ok_or_else(bad)?)?;
                let names: Vec<Sym> = idx
                    .chunks_exact(8)
                    .map(|c| self.sym(i64::from_le_bytes(c.try_into().expect("8 bytes"))))
                    .collect();
                K::from_slice(KS, &names)
            }
            t if (1..=KT).contains(&t) => {
                let w = plain_item_size(t);
                K::from_bytes(t, self.slice(data, n.checked_mul(w).ok_or_else(bad)?)?)
            }
            0 | 77 => {
                self.slice(data, n.checked_mul(8).ok_or_else(bad)?)?;
                K::list(entries(n)?)
            }
            XD | XT => {
                let kv = entries(2)?;
                let mut it = kv.into_iter();
                let (k, v) = (it.next().ok_or_else(bad)?, it.next().ok_or_else(bad)?);
                let d = K::dict(k, v);
                if t == XT {
                    crate::obj::table::table_from_dict(d).map_err(|_| bad())?
                } else {
                    d
                }
            }
            _ => return Err(bad()),
        };
        if v.t() > 0 && v.t() < XT && attr != 0 {
            v.set_attr(attr);
        }
        Ok(v)
    }
}

/// The list in an anymap index file's bytes, its heap file's bytes, and the symbols of its
/// `##` file (empty when there is none).
pub fn read(index: &[u8], heap: &[u8], syms: &[Sym]) -> Result<K> {
    let entries = index.get(PAGE..).ok_or_else(bad)?;
    let heap = Heap {
        bytes: heap.get(PAGE..).ok_or_else(bad)?,
        syms,
    };
    let items: Vec<K> = entries
        .chunks_exact(8)
        .map(|c| heap.entry(u64::from_le_bytes(c.try_into().expect("8 bytes")), 0))
        .collect::<Result<_>>()?;
    Ok(K::list(items))
}

// ---- writing ---------------------------------------------------------------------------------

/// Whether `x` can be written as anymap: data all the way down (no functions).
pub fn writable(x: &K) -> bool {
    match x.t() {
        t if t < 0 => t >= -KT || t <= -ENUM_FIRST,
        0 => x.items().iter().all(writable),
        t if t <= KT || (ENUM_FIRST..=ENUM_LAST).contains(&t) => true,
        XD => x.items().iter().all(writable),
        XT => writable(x.table_dict()),
        _ => false,
    }
}

/// Whether every vector with an attribute inside `x` is one whose form inside a list kdb+'s
/// files show: `u#`/`p#` symbol vectors (full object `fb 00 14 u`, the items as indices into
/// `##`, the attribute's index after them as in a file, entry tag 3; the torq-finance sample
/// `advancedres/resultdata#` holds a `p#` one). `s#` and `g#` anywhere, and `u#`/`p#` on other
/// types, appear in no sample (the tag and the index are unknown): `write` must not guess.
pub fn attributes_known(x: &K) -> bool {
    let t = x.t();
    match t {
        0 | XD => x.items().iter().all(attributes_known),
        XT => attributes_known(x.table_dict()),
        t if t > 0 && (t == KS || (ENUM_FIRST..=ENUM_LAST).contains(&t)) => {
            matches!(x.attr(), 0 | ATTR_UNIQUE | ATTR_PARTED)
        }
        t if t > 0 => x.attr() == 0,
        _ => true,
    }
}

/// The three files of a general list: index, heap, and the symbols (None if there are none).
pub struct Files {
    pub index: Vec<u8>,
    pub heap: Vec<u8>,
    pub syms: Option<K>,
}

struct Writer {
    heap: Vec<u8>,
    syms: Vec<Sym>,
    sym_index: std::collections::HashMap<Sym, i32>,
}

impl Writer {
    fn sym(&mut self, s: Sym) -> i32 {
        if let Some(&i) = self.sym_index.get(&s) {
            return i;
        }
        let i = self.syms.len() as i32;
        self.syms.push(s);
        self.sym_index.insert(s, i);
        i
    }

    fn pad16(&mut self) {
        while !self.heap.len().is_multiple_of(16) {
            self.heap.push(0);
        }
    }

    /// Symbols of a symbol vector or an enumeration's.
    fn names(x: &K) -> Vec<Sym> {
        let plain = crate::q::keywords::enums::unenumerate(x);
        crate::q::eval::values::syms(plain.as_ref().unwrap_or(x)).unwrap_or_default()
    }

    /// Writes `x`; its entry (offset and tag).
    fn object(&mut self, x: &K) -> u64 {
        let t = x.t();
        let is_sym = t == KS || (ENUM_FIRST..=ENUM_LAST).contains(&t);
        if t < 0 {
            let at = self.heap.len() as u64;
            let tt = if t <= -ENUM_FIRST { -KS } else { t };
            self.heap.push((tt as u8).wrapping_add(127));
            if tt == -KS {
                let s = Self::names(x).first().copied().unwrap_or_else(Sym::empty);
                let i = self.sym(s);
                self.heap.extend_from_slice(&i.to_le_bytes());
            } else if t == -UU {
                self.heap.extend_from_slice(&x.guid().0);
            } else {
                let w = atom_size(t);
                let word = x.j() as u64;
                self.heap.extend_from_slice(&word.to_le_bytes()[..w]);
            }
            return at | 1 << 56;
        }
        if t > 0 && t <= KT || is_sym {
            let n = x.n();
            let width = if is_sym { 4 } else { plain_item_size(t) };
            return if x.attr() == 0 && n < 256 && n * width < COMPACT_LIMIT {
                let at = self.heap.len() as u64;
                self.heap
                    .push((if is_sym { KS } else { t } as u8).wrapping_add(127));
                self.heap.push(n as u8);
                if is_sym {
                    for s in Self::names(x) {
                        let i = self.sym(s);
                        self.heap.extend_from_slice(&i.to_le_bytes());
                    }
                } else {
                    self.heap.extend_from_slice(x.bytes());
                }
                at | 1 << 56
            } else {
                self.pad16();
                let at = self.heap.len() as u64;
                let (ft, items): (u8, Vec<u8>) = if is_sym {
                    let mut b = Vec::with_capacity(n * 8);
                    for s in Self::names(x) {
                        b.extend_from_slice(&(self.sym(s) as i64).to_le_bytes());
                    }
                    (20, b)
                } else {
                    (t as u8, x.bytes().to_vec())
                };
                self.full_header(ft, x.attr(), n);
                self.heap.extend_from_slice(&items);
                if x.attr() == 0 {
                    return at;
                }
                // Checked by `attributes_known`: a u#/p# symbol vector, its index after it.
                let indices: Vec<i64> = items
                    .chunks_exact(8)
                    .map(|c| i64::from_le_bytes(c.try_into().unwrap_or_default()))
                    .collect();
                let mut v = K::from_slice(KJ, &indices);
                v.set_attr(x.attr());
                self.heap
                    .extend_from_slice(&super::attrindex::nested_index(&v, true));
                at | 3 << 56
            };
        }
        // Lists, dictionaries and tables: a header, the entry slots, then each child in turn.
        let (ft, children, tag): (u8, Vec<K>, u64) = match t {
            0 => (ANYMAP, x.items().to_vec(), 0),
            XD => (XD as u8, x.items().to_vec(), 1),
            _ => (XT as u8, x.table_dict().items().to_vec(), 1),
        };
        self.pad16();
        let at = self.heap.len();
        self.full_header(ft, 0, children.len());
        let slots = self.heap.len();
        self.heap.resize(slots + 8 * children.len(), 0);
        let entries = self.entries(&children);
        for (i, e) in entries.into_iter().enumerate() {
            self.heap[slots + 8 * i..slots + 8 * i + 8].copy_from_slice(&e.to_le_bytes());
        }
        at as u64 | tag << 56
    }

    fn full_header(&mut self, t: u8, attr: u8, n: usize) {
        self.heap.extend_from_slice(&[FULL, 0, t, attr, 1, 0, 0, 0]);
        self.heap.extend_from_slice(&(n as u64).to_le_bytes());
    }

    /// Each item's entry; a run of the very same object is written once.
    fn entries(&mut self, items: &[K]) -> Vec<u64> {
        let mut out: Vec<u64> = Vec::with_capacity(items.len());
        for (i, x) in items.iter().enumerate() {
            if i > 0 && items[i - 1].as_ptr() == x.as_ptr() {
                out.push(out[i - 1]);
            } else {
                out.push(self.object(x));
            }
        }
        out
    }
}

/// The files for general list `x` (check `writable` first).
pub fn write(x: &K) -> Files {
    let mut w = Writer {
        heap: Vec::new(),
        syms: Vec::new(),
        sym_index: Default::default(),
    };
    let entries = w.entries(x.items());
    let mut index = anymap_page(ANYMAP, 1);
    for e in entries {
        index.extend_from_slice(&e.to_le_bytes());
    }
    let mut heap = anymap_page(KG as u8, 0);
    heap.extend_from_slice(&w.heap);
    Files {
        index,
        heap,
        syms: (!w.syms.is_empty()).then(|| K::from_slice(KS, &w.syms)),
    }
}

/// Whether a file's first page is an anymap index.
pub fn is_index(head: &[u8]) -> bool {
    head.len() >= PAGE && head[..2] == [0xfd, 0x20] && head[PAGE_HEADER_AT + 2] == ANYMAP
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_round_trip_through_the_three_files() {
        let x = K::list(vec![
            K::from_slice(KJ, &[1i64, 2, 3]),
            K::long(4),
            K::string("dolphindb"),
            K::char(b'a'),
            K::from_slice(KJ, &(0..30i64).collect::<Vec<_>>()),
            K::from_slice(KS, &[Sym::new("x"), Sym::new("y")]),
            K::list(vec![K::string("in"), K::long(1)]),
        ]);
        let f = write(&x);
        // Compact objects as the kdb+ samples show them.
        assert_eq!(&f.heap[PAGE..PAGE + 2], &[0x86, 3]);
        assert_eq!(f.heap[PAGE + 26], 0x78);
        let syms = f.syms.clone().unwrap();
        let back = read(&f.index, &f.heap, syms.as_slice::<Sym>()).unwrap();
        assert!(crate::q::eval::values::identical(&back, &x));
    }
}
