//! zlib, found at run time (`libz.so.1`), for kdb+'s gzip file compression (algorithm 2):
//! `compress2` gives exactly the bytes kdb+ writes, since kdb+ calls the same function; and
//! for gzip streams (`.Q.gz`, HTTP replies), through zlib's stream interface.

use std::ffi::c_void;
use std::sync::OnceLock;

use super::dl::Library;

type Compress2 = extern "C" fn(*mut u8, *mut u64, *const u8, u64, i32) -> i32;
type Uncompress = extern "C" fn(*mut u8, *mut u64, *const u8, u64) -> i32;
type Bound = extern "C" fn(u64) -> u64;
type DeflateInit2 = extern "C" fn(*mut ZStream, i32, i32, i32, i32, i32, *const u8, i32) -> i32;
type InflateInit2 = extern "C" fn(*mut ZStream, i32, *const u8, i32) -> i32;
type Step = extern "C" fn(*mut ZStream, i32) -> i32;
type End = extern "C" fn(*mut ZStream) -> i32;

/// zlib's `z_stream` on 64-bit Linux (zlib.h; `uInt` is u32, `uLong` u64).
#[repr(C)]
struct ZStream {
    next_in: *const u8,
    avail_in: u32,
    total_in: u64,
    next_out: *mut u8,
    avail_out: u32,
    total_out: u64,
    msg: *const u8,
    state: *mut c_void,
    zalloc: *const c_void,
    zfree: *const c_void,
    opaque: *mut c_void,
    data_type: i32,
    adler: u64,
    reserved: u64,
}

impl ZStream {
    fn new() -> ZStream {
        ZStream {
            next_in: std::ptr::null(),
            avail_in: 0,
            total_in: 0,
            next_out: std::ptr::null_mut(),
            avail_out: 0,
            total_out: 0,
            msg: std::ptr::null(),
            state: std::ptr::null_mut(),
            zalloc: std::ptr::null(),
            zfree: std::ptr::null(),
            opaque: std::ptr::null_mut(),
            data_type: 0,
            adler: 0,
            reserved: 0,
        }
    }
}

const Z_OK: i32 = 0;
const Z_STREAM_END: i32 = 1;
const Z_BUF_ERROR: i32 = -5;
const Z_NO_FLUSH: i32 = 0;
const Z_FINISH: i32 = 4;
const Z_DEFLATED: i32 = 8;
/// Window bits for a gzip wrapper (15 + 16).
const GZIP_WINDOW: i32 = 31;

struct Zlib {
    compress2: Compress2,
    uncompress: Uncompress,
    bound: Bound,
    version: *const u8,
    deflate_init2: DeflateInit2,
    deflate: Step,
    deflate_end: End,
    inflate_init2: InflateInit2,
    inflate: Step,
    inflate_end: End,
}

// SAFETY: `version` points to zlib's static version string, never written or freed; the rest
// are function pointers.
unsafe impl Send for Zlib {}
// SAFETY: as above: nothing in it is mutable.
unsafe impl Sync for Zlib {}

fn zlib() -> Option<&'static Zlib> {
    static Z: OnceLock<Option<Zlib>> = OnceLock::new();
    Z.get_or_init(|| {
        let lib = Library::open(b"libz.so.1")
            .or_else(|_| Library::open(b"libz.so"))
            .ok()?;
        let f = |name: &[u8]| lib.symbol(name).ok();
        let (c, u, b) = (f(b"compress2")?, f(b"uncompress")?, f(b"compressBound")?);
        let version = f(b"zlibVersion")?;
        let (di, d, de) = (f(b"deflateInit2_")?, f(b"deflate")?, f(b"deflateEnd")?);
        let (ii, i, ie) = (f(b"inflateInit2_")?, f(b"inflate")?, f(b"inflateEnd")?);
        // SAFETY: zlib's documented signatures (uLong is u64 and uLongf* a u64 pointer on
        // 64-bit Linux; Bytef is u8; z_stream as `ZStream`); the library is never unloaded.
        unsafe {
            let version_fn =
                std::mem::transmute::<*const c_void, extern "C" fn() -> *const u8>(version);
            Some(Zlib {
                compress2: std::mem::transmute::<*const c_void, Compress2>(c),
                uncompress: std::mem::transmute::<*const c_void, Uncompress>(u),
                bound: std::mem::transmute::<*const c_void, Bound>(b),
                version: version_fn(),
                deflate_init2: std::mem::transmute::<*const c_void, DeflateInit2>(di),
                deflate: std::mem::transmute::<*const c_void, Step>(d),
                deflate_end: std::mem::transmute::<*const c_void, End>(de),
                inflate_init2: std::mem::transmute::<*const c_void, InflateInit2>(ii),
                inflate: std::mem::transmute::<*const c_void, Step>(i),
                inflate_end: std::mem::transmute::<*const c_void, End>(ie),
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

/// Runs `step` over all of `src` until the stream ends, collecting its output.
fn pump(strm: &mut ZStream, src: &[u8], step: Step, flush: i32) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(src.len() / 2 + 64);
    let mut buf = vec![0u8; 1 << 16];
    let mut rest = src;
    loop {
        let take = rest.len().min(u32::MAX as usize);
        strm.next_in = rest.as_ptr();
        strm.avail_in = take as u32;
        strm.next_out = buf.as_mut_ptr();
        strm.avail_out = buf.len() as u32;
        let last = if take == rest.len() {
            flush
        } else {
            Z_NO_FLUSH
        };
        let rc = step(strm, last);
        let used = take - strm.avail_in as usize;
        rest = &rest[used..];
        out.extend_from_slice(&buf[..buf.len() - strm.avail_out as usize]);
        match rc {
            Z_STREAM_END => return Some(out),
            Z_OK => {}
            // No progress possible: the input ended before the stream did.
            Z_BUF_ERROR if rest.is_empty() && strm.avail_out != 0 => return None,
            Z_BUF_ERROR => {}
            _ => return None,
        }
    }
}

/// `src` as a gzip stream at `level` (0..9), as zlib's gzip writer makes it; None without
/// zlib or on its failure.
pub fn gzip(src: &[u8], level: i32) -> Option<Vec<u8>> {
    let z = zlib()?;
    let mut strm = ZStream::new();
    let size = std::mem::size_of::<ZStream>() as i32;
    // strm is a zeroed z_stream (zlib's default allocators); version is zlib's own string.
    let rc = (z.deflate_init2)(
        &mut strm,
        level,
        Z_DEFLATED,
        GZIP_WINDOW,
        8,
        0,
        z.version,
        size,
    );
    if rc != Z_OK {
        return None;
    }
    let out = pump(&mut strm, src, z.deflate, Z_FINISH);
    (z.deflate_end)(&mut strm);
    out
}

/// The data of gzip stream `src`; None when it is not one, or is cut short or corrupt.
pub fn gunzip(src: &[u8]) -> Option<Vec<u8>> {
    let z = zlib()?;
    let mut strm = ZStream::new();
    let size = std::mem::size_of::<ZStream>() as i32;
    let rc = (z.inflate_init2)(&mut strm, GZIP_WINDOW, z.version, size);
    if rc != Z_OK {
        return None;
    }
    let out = pump(&mut strm, src, z.inflate, Z_NO_FLUSH);
    (z.inflate_end)(&mut strm);
    out
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
        let g = super::gzip(&data, 9).unwrap();
        assert_eq!(&g[..4], &[0x1f, 0x8b, 8, 0]);
        assert_eq!(super::gunzip(&g).unwrap(), data);
        assert!(super::gunzip(&g[..g.len() - 1]).is_none());
        assert_eq!(super::gunzip(&super::gzip(b"", 6).unwrap()).unwrap(), b"");
    }
}
