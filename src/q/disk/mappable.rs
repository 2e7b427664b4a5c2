//! Mappable files: a vector's data exactly as it sits in memory, after the object header, so
//! the file can be mapped and used in place.
//!
//! ```text
//! plain vector (types 1..19 but 11)    fe 20 t u 00000000 n(i64) | n items
//! enumeration (kdb+ 3.6 and later)     fd 20 00.. domain name NUL at 0x10 .. zero to 0xff0
//!                                      0xff0: fd 00 14 u 00000000 n(i64) | 0x1000: n i64
//! enumeration (before 3.6, read only)  fe name(to byte 7) | 00 00 00 u 00000000 | n | n i32
//! ```
//!
//! The header count is 0 in files kdb+ 4.x writes without an attribute, and stale after
//! appends, so an attribute-free file's count is its length's; with an attribute the header
//! count holds and what follows the data is the attribute's index (`attrindex.rs`), which
//! reading leaves alone: the attribute byte is what our vectors keep.

use std::fs::File;

use crate::obj::*;

pub const VECTOR_MAGIC: [u8; 2] = [0xfe, 0x20];
pub const PAGE_MAGIC: [u8; 2] = [0xfd, 0x20];
/// Data of the 3.6 formats starts one page in; the object header sits just before it.
pub const PAGE: usize = 4096;
pub const PAGE_HEADER_AT: usize = PAGE - 16;
/// kdb+'s type for every enumeration on disk.
pub const DISK_ENUM: u8 = 20;
/// kdb+'s type for a list of anything (the 3.6 nested format).
pub const ANYMAP: u8 = 77;

/// What a mappable file holds, from its first bytes and its length.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Layout {
    /// A simple vector: type, attribute, count, where its 16-byte header is.
    Vector {
        t: i8,
        attr: u8,
        n: usize,
        header_at: usize,
    },
    /// An enumeration of domain `domain` with 8-byte indices.
    Enum { domain: Vec<u8>, attr: u8, n: usize },
    /// A pre-3.6 enumeration: 4-byte indices from byte 24.
    OldEnum { domain: Vec<u8>, attr: u8, n: usize },
    /// A pre-3.6 nested column of item type `t`: `n` end offsets; the items are in `col#`.
    OldNested { t: i8, n: usize },
    /// A 3.6 nested (anymap) column's index: `n` entries; the objects are in `col#`.
    AnyMap { n: usize },
}

fn le64(b: &[u8], at: usize) -> Option<i64> {
    Some(i64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// The count of a file whose data of `width`-byte items starts at `data_at`: the header's when
/// there is an attribute, else what the length holds.
fn count(head_n: i64, attr: u8, len: usize, data_at: usize, width: usize) -> Option<usize> {
    let room = len.checked_sub(data_at)? / width;
    if attr == 0 {
        return Some(room);
    }
    usize::try_from(head_n).ok().filter(|&n| n <= room)
}

/// The layout of a file of `len` bytes starting with `head` (at least its first 16 bytes; the
/// whole first page for the 3.6 formats). None: not a mappable file.
pub fn layout(head: &[u8], len: usize) -> Option<Layout> {
    match head {
        [0xfe, 0x20, t, attr, ..] => {
            let (t, attr) = (*t as i8, *attr);
            let n = le64(head, 8)?;
            if (78..=97).contains(&(t as u8)) {
                return Some(Layout::OldNested {
                    t: (t as u8 - 77) as i8,
                    n: count(n, 1, len, 16, 8)?,
                });
            }
            let width = plain_item_size(t);
            if !(1..=KT).contains(&t) || t == KS || width == 0 {
                return None;
            }
            Some(Layout::Vector {
                t,
                attr,
                n: count(n, attr, len, 16, width)?,
                header_at: 0,
            })
        }
        [0xfe, ..] => {
            let name_end = head[1..8].iter().position(|&b| b == 0).map_or(8, |e| e + 1);
            let attr = *head.get(11)?;
            let n = le64(head, 16)?;
            Some(Layout::OldEnum {
                domain: head[1..name_end].to_vec(),
                attr,
                n: count(n, attr, len, 24, 4)?,
            })
        }
        [0xfd, 0x20, ..] => {
            let h = head.get(PAGE_HEADER_AT..PAGE)?;
            let (t, attr) = (h[2], h[3]);
            let n = le64(h, 8)?;
            match t {
                DISK_ENUM => {
                    let name = &head[16..PAGE_HEADER_AT];
                    let end = name.iter().position(|&b| b == 0)?;
                    Some(Layout::Enum {
                        domain: name[..end].to_vec(),
                        attr,
                        n: count(n, attr, len, PAGE, 8)?,
                    })
                }
                ANYMAP => Some(Layout::AnyMap {
                    n: count(n, 0, len, PAGE, 8)?,
                }),
                t if (1..=KT as u8).contains(&t) && t != KS as u8 => Some(Layout::Vector {
                    t: t as i8,
                    attr,
                    n: count(n, attr, len, PAGE, plain_item_size(t as i8))?,
                    header_at: PAGE_HEADER_AT,
                }),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The 16-byte header of a plain vector file.
fn header(m: u8, a: u8, t: u8, attr: u8, n: usize) -> [u8; 16] {
    let mut h = [0u8; 16];
    h[..4].copy_from_slice(&[m, a, t, attr]);
    h[8..].copy_from_slice(&(n as u64).to_le_bytes());
    h
}

/// The header of a plain vector's file with attribute `attr` (its data follows): count 0
/// without an attribute, as kdb+ 4.x writes it.
pub fn vector_header(x: &K, attr: u8) -> [u8; 16] {
    let n = if attr == 0 { 0 } else { x.n() };
    header(0xfe, 0x20, x.t() as u8, attr, n)
}

/// The first page of an enumeration's file against domain `domain` (its indices follow).
pub fn enum_page(domain: &[u8], attr: u8, n: usize) -> Vec<u8> {
    let mut page = vec![0u8; PAGE];
    page[..2].copy_from_slice(&PAGE_MAGIC);
    let name = &domain[..domain.len().min(PAGE_HEADER_AT - 17)];
    page[16..16 + name.len()].copy_from_slice(name);
    let n = if attr == 0 { 0 } else { n };
    page[PAGE_HEADER_AT..].copy_from_slice(&header(0xfd, 0, DISK_ENUM, attr, n));
    page
}

/// The first page of an anymap index (its entries follow) or heap (its bytes follow).
pub fn anymap_page(t: u8, a: u8) -> Vec<u8> {
    let mut page = vec![0u8; PAGE];
    page[..2].copy_from_slice(&PAGE_MAGIC);
    page[PAGE_HEADER_AT..].copy_from_slice(&header(0xfd, a, t, 0, 0));
    page
}

/// Maps a vector or an enumeration from an uncompressed file (`enum_type`: our type for a
/// domain name); other layouts are read by their own modules.
pub fn map(
    file: &File,
    len: usize,
    layout: &Layout,
    enum_type: &mut dyn FnMut(&[u8]) -> Result<i8>,
) -> Option<Result<K>> {
    let (t, attr, n, at) = match layout {
        Layout::Vector {
            t,
            attr,
            n,
            header_at,
        } => (*t, *attr, *n, *header_at),
        Layout::Enum { domain, attr, n } => match enum_type(domain) {
            Ok(t) => (t, *attr, *n, PAGE_HEADER_AT),
            Err(e) => return Some(Err(e)),
        },
        _ => return None,
    };
    Some(crate::obj::mapped::vector(file, len, at, t, attr, n).map_err(|_| Error::new("mmap")))
}

/// A vector or enumeration copied out of a file's bytes (a decompressed file, or a layout
/// that needs widening).
pub fn copy(
    bytes: &[u8],
    layout: &Layout,
    enum_type: &mut dyn FnMut(&[u8]) -> Result<i8>,
) -> Option<Result<K>> {
    let out = |t: i8, attr: u8, data: &[u8]| {
        let mut v = K::from_bytes(t, data);
        v.set_attr(attr);
        Ok(v)
    };
    Some(match layout {
        Layout::Vector {
            t,
            attr,
            n,
            header_at,
        } => {
            let at = header_at + 16;
            out(*t, *attr, &bytes[at..at + n * plain_item_size(*t)])
        }
        Layout::Enum { domain, attr, n } => match enum_type(domain) {
            Ok(t) => out(t, *attr, &bytes[PAGE..PAGE + n * 8]),
            Err(e) => Err(e),
        },
        Layout::OldEnum { domain, attr, n } => match enum_type(domain) {
            Ok(t) => {
                let idx: Vec<i64> = bytes[24..24 + n * 4]
                    .chunks_exact(4)
                    .map(|c| {
                        let i = i32::from_le_bytes(c.try_into().expect("4 bytes"));
                        if i == NI {
                            NJ
                        } else {
                            i as i64
                        }
                    })
                    .collect();
                let mut v = K::from_slice(KJ, &idx);
                v.retype(t);
                v.set_attr(*attr);
                Ok(v)
            }
            Err(e) => Err(e),
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_of_kdb_headers() {
        // `:data/foo set 10 20 30 as kdb+ documents it (count stored).
        let mut f = vec![0xfe, 0x20, 7, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0];
        f.extend([0u8; 24]);
        assert_eq!(
            layout(&f, f.len()),
            Some(Layout::Vector {
                t: 7,
                attr: 0,
                n: 3,
                header_at: 0
            })
        );
        // A count of 0 (kdb+ 4.x) or a stale one: the length decides.
        assert!(matches!(
            layout(&f[..16], f.len() + 8),
            Some(Layout::Vector { n: 4, .. })
        ));
        let page = enum_page(b"sym", 0, 5);
        assert_eq!(
            layout(&page, PAGE + 16),
            Some(Layout::Enum {
                domain: b"sym".to_vec(),
                attr: 0,
                n: 2
            })
        );
        let old = [
            0xfe, b's', b'y', b'm', 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0,
        ];
        assert_eq!(
            layout(&old, 32),
            Some(Layout::OldEnum {
                domain: b"sym".to_vec(),
                attr: 3,
                n: 2
            })
        );
        assert_eq!(layout(b"\xfe\x20\x0b\0\0\0\0\0\0\0\0\0\0\0\0\0", 16), None);
    }
}
