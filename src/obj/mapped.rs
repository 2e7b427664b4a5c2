//! Vectors whose data lives in a file: kdb+ maps a column file rather than reading it, and so
//! do we. kdb+'s mappable files hold the in-memory object header just before the data (16
//! bytes `fe 20 t u 0 n` at offset 0 for a plain vector, at 0xff0 for the 3.6+ formats whose
//! data starts at 0x1000), so the mapped file is the object: the engine rewrites the header in
//! its private (copy-on-write) copy of that page, and the data pages stay the page cache's.
//!
//! The object is refcounted like any other and unmapped when its last reference goes; it is
//! never changed in place (`m` = `MEM_MAPPED` makes every change copy it to the heap first).

use std::fs::File;
use std::io;

use super::alloc;
use super::layout::*;
use super::K;
use crate::sys::mapping;

/// A vector of `n` items of type `t` (attribute `attr`) whose 16-byte header slot is at
/// `header_offset` of `file` and whose data follows it. The file must hold at least
/// `file_len` bytes, and the data must fit in them.
pub fn vector(
    file: &File,
    file_len: usize,
    header_offset: usize,
    t: i8,
    attr: u8,
    n: usize,
) -> io::Result<K> {
    let width = plain_item_size(t);
    let fits = width != 0
        && n.checked_mul(width)
            .and_then(|b| b.checked_add(header_offset + DATA_OFFSET))
            .is_some_and(|end| end <= file_len);
    if !fits || !header_offset.is_multiple_of(16) {
        return Err(io::Error::from_raw_os_error(libc::EINVAL));
    }
    // Room for our prefix before the header: the file's own bytes when the header is not at
    // the start, else a page of anonymous memory in front of the file.
    let lead = if header_offset >= alloc::PREFIX_BYTES {
        0
    } else {
        mapping::page_size()
    };
    let region = mapping::map_file_after(file, file_len, lead)?;
    // SAFETY: region is a fresh private writable mapping of lead + file_len bytes that the
    // object now owns; header_offset + 16 <= file_len, and offset >= PREFIX (lead is a page
    // when the header is at the file's start).
    let p = unsafe { alloc::adopt_mapping(region, lead + file_len, lead + header_offset) };
    // SAFETY: p points at the 16 header bytes inside the private mapping, ours to write.
    unsafe {
        p.as_ptr().write(K0 {
            m: MEM_MAPPED,
            a: 0,
            t,
            u: attr,
            r: 0,
            word: n as u64,
            g0: [],
        });
        Ok(K::from_raw(p.as_ptr()).expect("a mapping is never null"))
    }
}

/// Whether `x` is a vector mapped from a file.
pub fn is_mapped(x: &K) -> bool {
    // SAFETY: a K always points at a live object's header.
    unsafe { (*x.as_ptr()).m == MEM_MAPPED }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mapped_vector_reads_the_file_and_copies_on_change() {
        let dir = std::env::temp_dir().join(format!("libq-mapped-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("v");
        let mut bytes = vec![0xfe, 0x20, KJ as u8, 0, 0, 0, 0, 0];
        bytes.extend(0u64.to_le_bytes());
        for j in [10i64, 20, 30] {
            bytes.extend(j.to_le_bytes());
        }
        std::fs::write(&p, &bytes).unwrap();
        let f = File::open(&p).unwrap();
        let v = vector(&f, bytes.len(), 0, KJ, 0, 3).unwrap();
        drop(f);
        assert!(is_mapped(&v));
        assert_eq!(v.as_slice::<i64>(), &[10, 20, 30]);
        let w = v.clone();
        let mut u = v;
        u.push(40i64);
        assert!(!is_mapped(&u));
        assert_eq!(u.as_slice::<i64>(), &[10, 20, 30, 40]);
        assert_eq!(w.as_slice::<i64>(), &[10, 20, 30]);
        drop(w);
        // The file itself is unchanged by the header written in memory.
        assert_eq!(std::fs::read(&p).unwrap(), bytes);
        assert!(vector(&File::open(&p).unwrap(), bytes.len(), 0, KJ, 0, 4).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
