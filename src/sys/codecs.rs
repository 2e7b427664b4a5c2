//! Snappy, lz4 and zstd, found at run time as kdb+ finds them (`libsnappy.so.1`, `liblz4.so.1`,
//! `libzstd.so.1`, kb/file-compression.md), for file compression algorithms 3, 4 and 5. Calling
//! the same functions of the same libraries gives the bytes kdb+ writes: a raw snappy block
//! (`snappy_compress`), a raw LZ4 block (`LZ4_compress_HC`, no frame), a zstd frame
//! (`ZSTD_compress`). No kdb+-written file of these algorithms is in the public samples; a
//! third-party reader of kdb+'s files (dolphindb/DolphinDBPlugin kdb/src/qfile.cpp) decodes
//! algorithms 3 and 4 per block the same way (snappy's raw uncompress, `LZ4_decompress_safe`).

use std::ffi::c_void;
use std::sync::OnceLock;

use super::dl::Library;

/// The three libraries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    Snappy,
    Lz4hc,
    Zstd,
}

impl Codec {
    /// The name kdb+ uses in its error (`snappy libs required to compress ...`).
    pub fn name(self) -> &'static str {
        match self {
            Codec::Snappy => "snappy",
            Codec::Lz4hc => "lz4",
            Codec::Zstd => "zstd",
        }
    }

    fn soname(self) -> &'static [u8] {
        match self {
            Codec::Snappy => b"libsnappy.so.1",
            Codec::Lz4hc => b"liblz4.so.1",
            Codec::Zstd => b"libzstd.so.1",
        }
    }
}

// snappy-c.h: status 0 is SNAPPY_OK.
type SnappyCompress = extern "C" fn(*const u8, usize, *mut u8, *mut usize) -> i32;
type SnappyUncompress = extern "C" fn(*const u8, usize, *mut u8, *mut usize) -> i32;
type SnappyBound = extern "C" fn(usize) -> usize;
// lz4.h / lz4hc.h: sizes are ints; a result <= 0 is a failure.
type Lz4CompressHc = extern "C" fn(*const u8, *mut u8, i32, i32, i32) -> i32;
type Lz4Decompress = extern "C" fn(*const u8, *mut u8, i32, i32) -> i32;
type Lz4Bound = extern "C" fn(i32) -> i32;
// zstd.h: results are sizes or error codes told apart by ZSTD_isError.
type ZstdCompress = extern "C" fn(*mut u8, usize, *const u8, usize, i32) -> usize;
type ZstdDecompress = extern "C" fn(*mut u8, usize, *const u8, usize) -> usize;
type ZstdBound = extern "C" fn(usize) -> usize;
type ZstdIsError = extern "C" fn(usize) -> u32;

enum Functions {
    Snappy(SnappyCompress, SnappyUncompress, SnappyBound),
    Lz4(Lz4CompressHc, Lz4Decompress, Lz4Bound),
    Zstd(ZstdCompress, ZstdDecompress, ZstdBound, ZstdIsError),
}

fn load(codec: Codec) -> Result<Functions, String> {
    let lib = Library::open(codec.soname())?;
    let f = |name: &[u8]| lib.symbol(name);
    // SAFETY: each pointer is the named function of the library's public C header, with the
    // signature given by the type it becomes (size_t is usize, int i32 on 64-bit Linux); the
    // library is never unloaded.
    unsafe {
        Ok(match codec {
            Codec::Snappy => Functions::Snappy(
                std::mem::transmute::<*const c_void, SnappyCompress>(f(b"snappy_compress")?),
                std::mem::transmute::<*const c_void, SnappyUncompress>(f(b"snappy_uncompress")?),
                std::mem::transmute::<*const c_void, SnappyBound>(f(
                    b"snappy_max_compressed_length",
                )?),
            ),
            Codec::Lz4hc => Functions::Lz4(
                std::mem::transmute::<*const c_void, Lz4CompressHc>(f(b"LZ4_compress_HC")?),
                std::mem::transmute::<*const c_void, Lz4Decompress>(f(b"LZ4_decompress_safe")?),
                std::mem::transmute::<*const c_void, Lz4Bound>(f(b"LZ4_compressBound")?),
            ),
            Codec::Zstd => Functions::Zstd(
                std::mem::transmute::<*const c_void, ZstdCompress>(f(b"ZSTD_compress")?),
                std::mem::transmute::<*const c_void, ZstdDecompress>(f(b"ZSTD_decompress")?),
                std::mem::transmute::<*const c_void, ZstdBound>(f(b"ZSTD_compressBound")?),
                std::mem::transmute::<*const c_void, ZstdIsError>(f(b"ZSTD_isError")?),
            ),
        })
    }
}

/// The library's functions, or the loader's message when it cannot be loaded.
fn functions(codec: Codec) -> Result<&'static Functions, String> {
    static LIBS: [OnceLock<Result<Functions, String>>; 3] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    LIBS[codec as usize]
        .get_or_init(|| load(codec))
        .as_ref()
        .map_err(Clone::clone)
}

/// Whether the codec's library can be loaded.
pub fn available(codec: Codec) -> bool {
    functions(codec).is_ok()
}

/// One block compressed at `level`; Err with the loader's message when the library is
/// missing, Ok(None) when the library fails (or the block is too large for lz4's ints).
pub fn compress(codec: Codec, src: &[u8], level: i32) -> Result<Option<Vec<u8>>, String> {
    Ok(match functions(codec)? {
        Functions::Snappy(compress, _, bound) => {
            let mut out = vec![0u8; bound(src.len())];
            let mut len = out.len();
            let rc = compress(src.as_ptr(), src.len(), out.as_mut_ptr(), &mut len);
            (rc == 0 && len <= out.len()).then(|| {
                out.truncate(len);
                out
            })
        }
        Functions::Lz4(compress, _, bound) => {
            let Ok(n) = i32::try_from(src.len()) else {
                return Ok(None);
            };
            let cap = bound(n);
            if cap <= 0 {
                return Ok(None);
            }
            let mut out = vec![0u8; cap as usize];
            let len = compress(src.as_ptr(), out.as_mut_ptr(), n, cap, level);
            (len > 0 && len <= cap).then(|| {
                out.truncate(len as usize);
                out
            })
        }
        Functions::Zstd(compress, _, bound, is_error) => {
            let mut out = vec![0u8; bound(src.len())];
            let len = compress(out.as_mut_ptr(), out.len(), src.as_ptr(), src.len(), level);
            (is_error(len) == 0 && len <= out.len()).then(|| {
                out.truncate(len);
                out
            })
        }
    })
}

/// A block decompressed into exactly `len` bytes: Ok(None) if it does not give exactly that;
/// Err with the loader's message when the library is missing.
pub fn uncompress(codec: Codec, src: &[u8], len: usize) -> Result<Option<Vec<u8>>, String> {
    let mut out = vec![0u8; len];
    Ok(match functions(codec)? {
        Functions::Snappy(_, uncompress, _) => {
            let mut got = len;
            let rc = uncompress(src.as_ptr(), src.len(), out.as_mut_ptr(), &mut got);
            (rc == 0 && got == len).then_some(out)
        }
        Functions::Lz4(_, decompress, _) => {
            let (Ok(n), Ok(cap)) = (i32::try_from(src.len()), i32::try_from(len)) else {
                return Ok(None);
            };
            let got = decompress(src.as_ptr(), out.as_mut_ptr(), n, cap);
            (got >= 0 && got as usize == len).then_some(out)
        }
        Functions::Zstd(_, decompress, _, is_error) => {
            let got = decompress(out.as_mut_ptr(), len, src.as_ptr(), src.len());
            (is_error(got) == 0 && got == len).then_some(out)
        }
    })
}
