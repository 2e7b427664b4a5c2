//! zlib, found at run time (`libz.so.1`), for kdb+'s gzip file compression (algorithm 2):
//! `compress2` gives exactly the bytes kdb+ writes, since kdb+ calls the same function.

use std::ffi::c_void;
use std::sync::OnceLock;

use super::dl::Library;

type Compress2 = extern "C" fn(*mut u8, *mut u64, *const u8, u64, i32) -> i32;
type Uncompress = extern "C" fn(*mut u8, *mut u64, *const u8, u64) -> i32;
type Bound = extern "C" fn(u64) -> u64;

struct Zlib {
    compress2: Compress2,
    uncompress: Uncompress,
    bound: Bound,
}

fn zlib() -> Option<&'static Zlib> {
    static Z: OnceLock<Option<Zlib>> = OnceLock::new();
    Z.get_or_init(|| {
        let lib = Library::open(b"libz.so.1")
            .or_else(|_| Library::open(b"libz.so"))
            .ok()?;
        let f = |name: &[u8]| lib.symbol(name).ok();
        let (c, u, b) = (f(b"compress2")?, f(b"uncompress")?, f(b"compressBound")?);
        // SAFETY: zlib's documented signatures (uLong is u64 and uLongf* a u64 pointer on
        // 64-bit Linux; Bytef is u8); the library is never unloaded.
        unsafe {
            Some(Zlib {
                compress2: std::mem::transmute::<*const c_void, Compress2>(c),
                uncompress: std::mem::transmute::<*const c_void, Uncompress>(u),
                bound: std::mem::transmute::<*const c_void, Bound>(b),
            })
        }
    })
    .as_ref()
}

/// Whether zlib could be loaded.
pub fn available() -> bool {
    zlib().is_some()
}

/// `compress2(src, level)`: a zlib stream; None without zlib or on its failure.
pub fn compress(src: &[u8], level: i32) -> Option<Vec<u8>> {
    let z = zlib()?;
    let mut out = vec![0u8; (z.bound)(src.len() as u64) as usize];
    let mut len = out.len() as u64;
    let rc = (z.compress2)(
        out.as_mut_ptr(),
        &mut len,
        src.as_ptr(),
        src.len() as u64,
        level,
    );
    if rc != 0 {
        return None;
    }
    out.truncate(len as usize);
    Some(out)
}

/// Inflates a zlib stream into exactly `len` bytes; None if it does not give exactly that.
pub fn uncompress(src: &[u8], len: usize) -> Option<Vec<u8>> {
    let z = zlib()?;
    let mut out = vec![0u8; len];
    let mut got = len as u64;
    let rc = (z.uncompress)(out.as_mut_ptr(), &mut got, src.as_ptr(), src.len() as u64);
    (rc == 0 && got as usize == len).then_some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn round_trip() {
        if !super::available() {
            return;
        }
        let data = b"kdb+ kdb+ kdb+ kdb+ kdb+ kdb+".repeat(10);
        let z = super::compress(&data, 6).unwrap();
        assert_eq!(&z[..2], &[0x78, 0x9c]);
        assert_eq!(super::uncompress(&z, data.len()).unwrap(), data);
        assert!(super::uncompress(&z, data.len() + 1).is_none());
    }
}
