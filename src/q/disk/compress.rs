//! kdb+'s compressed files (`kxzipped`): the plain file cut into blocks of 2^lbs bytes, each
//! compressed on its own, then a trailer that says where each block is.
//!
//! ```text
//! "kxzipped" | block 0 | block 1 | ...                      T = 8 + the blocks' sizes
//! T:  i32 3 | u8 algorithm | u8 level | 00 00 | i64 plain length | i64 T | i64 block size
//!     nb x { i32 compressed size, i32 algorithm used (0: stored as is) } | i64 nb
//! ```
//!
//! Algorithm 1 is kdb+'s IPC compression (each block compressed as an IPC message with an
//! 8-byte header of its own); 2 is zlib (`compress2`), the same bytes kdb+ writes; 3, 4 and 5
//! are a raw snappy block, a raw LZ4 block (`LZ4_compress_HC`) and a zstd frame, through the
//! libraries kdb+ loads (`sys::codecs`). A block that would not get smaller is stored.

use crate::obj::*;
use crate::sys::codecs::{self, Codec};
use crate::sys::zlib;

pub const MAGIC: &[u8; 8] = b"kxzipped";
const TRAILER: usize = 32;

/// Whether the bytes start a compressed file.
pub fn is_compressed(head: &[u8]) -> bool {
    head.len() >= 8 && &head[..8] == MAGIC
}

/// What the trailer says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Info {
    pub algorithm: u8,
    pub level: u8,
    pub plain_len: usize,
    pub block_size: usize,
    /// (offset in the file, compressed size, algorithm used) per block.
    pub blocks: Vec<(usize, usize, u8)>,
}

fn bad() -> Error {
    Error::new("bad meta data in file")
}

fn le<const N: usize>(b: &[u8], at: usize) -> Result<[u8; N]> {
    b.get(at..at + N)
        .map(|s| s.try_into().expect("N bytes"))
        .ok_or_else(bad)
}

/// Reads and checks the trailer.
pub fn info(file: &[u8]) -> Result<Info> {
    let len = file.len();
    if !is_compressed(file) || len < 8 + TRAILER + 8 {
        return Err(bad());
    }
    let nb = u64::from_le_bytes(le(file, len - 8)?) as usize;
    let t = len
        .checked_sub(8 + TRAILER)
        .and_then(|r| r.checked_sub(nb.checked_mul(8)?))
        .ok_or_else(bad)?;
    let algorithm = file[t + 4];
    let level = file[t + 5];
    let plain_len = u64::from_le_bytes(le(file, t + 8)?) as usize;
    let stated_t = u64::from_le_bytes(le(file, t + 16)?) as usize;
    let block_size = u64::from_le_bytes(le(file, t + 24)?) as usize;
    if stated_t != t
        || !block_size.is_power_of_two()
        || !(1 << 12..=1 << 20).contains(&block_size)
        || nb != plain_len.div_ceil(block_size)
    {
        return Err(bad());
    }
    let mut blocks = Vec::with_capacity(nb);
    let mut at = 8;
    for i in 0..nb {
        let e = t + TRAILER + 8 * i;
        let size = u32::from_le_bytes(le(file, e)?) as usize;
        let alg = u32::from_le_bytes(le(file, e + 4)?) as u8;
        if at + size > t {
            return Err(bad());
        }
        blocks.push((at, size, alg));
        at += size;
    }
    if at != t {
        return Err(bad());
    }
    Ok(Info {
        algorithm,
        level,
        plain_len,
        block_size,
        blocks,
    })
}

fn block_error(b: usize, path: &[u8]) -> Error {
    let mut msg = format!("decompression error at block {b} in ").into_bytes();
    msg.extend_from_slice(path);
    Error::new(msg)
}

/// The plain bytes of a compressed file (`path` names it in errors).
pub fn decompress(file: &[u8], path: &[u8]) -> Result<Vec<u8>> {
    let info = info(file)?;
    let mut out = Vec::with_capacity(info.plain_len);
    for (b, &(at, size, alg)) in info.blocks.iter().enumerate() {
        let want = info.block_size.min(info.plain_len - b * info.block_size);
        let src = &file[at..at + size];
        let plain = match alg {
            0 if size == want => src.to_vec(),
            1 => crate::wire::decompress(src)
                .ok()
                .filter(|m| m.len() == want + 8)
                .map(|m| m[8..].to_vec())
                .ok_or_else(|| block_error(b, path))?,
            2 => zlib::uncompress(src, want).ok_or_else(|| {
                if zlib::available() {
                    block_error(b, path)
                } else {
                    Error::new("need zlib to decompress")
                }
            })?,
            3..=5 => {
                let codec = codec_of(alg).expect("3..=5");
                codecs::uncompress(codec, src, want)
                    .map_err(|e| missing(codec, "decompress", path, &e))?
                    .ok_or_else(|| block_error(b, path))?
            }
            _ => return Err(block_error(b, path)),
        };
        out.extend_from_slice(&plain);
    }
    Ok(out)
}

/// Compression parameters: log2 of the block size, algorithm, level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    pub lbs: u32,
    pub algorithm: u8,
    pub level: u8,
}

impl Params {
    /// From q's `(lbs;alg;lvl)`; None for "no compression" (algorithm 0).
    pub fn from_ints(v: &[i64]) -> Result<Option<Params>> {
        let [lbs, alg, lvl] = v else {
            return Err(Error::length());
        };
        if *alg == 0 {
            return Ok(None);
        }
        if !(12..=20).contains(lbs) {
            return Err(Error::new("disk compression - bad logicalBlockSize"));
        }
        // Levels (kb/file-compression.md): q IPC and snappy 0, gzip 0-9, lz4hc 0-16 (more
        // works as 16), zstd -7-22 (kept in the trailer's byte as a signed one).
        match alg {
            1 | 3 if *lvl == 0 => {}
            2 if (0..=9).contains(lvl) => {}
            4 if (0..=255).contains(lvl) => {}
            5 if (-7..=22).contains(lvl) => {}
            1..=5 => return Err(Error::new("disk compression - bad level")),
            _ => return Err(Error::new("disk compression - bad algorithm")),
        }
        Ok(Some(Params {
            lbs: *lbs as u32,
            algorithm: *alg as u8,
            level: *lvl as i8 as u8,
        }))
    }
}

fn codec_of(algorithm: u8) -> Option<Codec> {
    match algorithm {
        3 => Some(Codec::Snappy),
        4 => Some(Codec::Lz4hc),
        5 => Some(Codec::Zstd),
        _ => None,
    }
}

/// kdb+'s error when a codec's library cannot be loaded, the loader's message appended
/// (ChangesIn4.0.md 2021.01.20: `snappy libs required to compress a$. dlopen(...)`).
fn missing(codec: Codec, what: &str, path: &[u8], dlerror: &str) -> Error {
    let mut msg = format!("{} libs required to {what} ", codec.name()).into_bytes();
    msg.extend_from_slice(path);
    msg.extend_from_slice(b". ");
    msg.extend_from_slice(dlerror.as_bytes());
    Error::new(msg)
}

/// One block compressed, or None to store it as it is.
fn block(plain: &[u8], p: Params, path: &[u8]) -> Result<Option<Vec<u8>>> {
    match p.algorithm {
        1 => {
            let mut msg = Vec::with_capacity(plain.len() + 8);
            msg.extend_from_slice(&[1, 0, 0, 0]);
            msg.extend_from_slice(&((plain.len() + 8) as u32).to_le_bytes());
            msg.extend_from_slice(plain);
            Ok(crate::wire::compress(&msg))
        }
        2 => {
            let z = zlib::compress(plain, p.level as i32)
                .ok_or_else(|| Error::new("need zlib to compress"))?;
            Ok((z.len() < plain.len()).then_some(z))
        }
        a => {
            // Params::from_ints admits algorithms 1 to 5 only.
            let codec =
                codec_of(a).ok_or_else(|| Error::new("disk compression - bad algorithm"))?;
            let level = match codec {
                Codec::Lz4hc => i32::from(p.level).min(16),
                Codec::Zstd => i32::from(p.level as i8),
                Codec::Snappy => 0,
            };
            let z = codecs::compress(codec, plain, level)
                .map_err(|e| missing(codec, "compress", path, &e))?;
            Ok(z.filter(|z| z.len() < plain.len()))
        }
    }
}

/// The compressed file for plain bytes, to be written at `path` (named in errors: kdb+ names
/// the temporary file, `path$`).
pub fn compress(plain: &[u8], p: Params, path: &[u8]) -> Result<Vec<u8>> {
    let bs = 1usize << p.lbs;
    let mut out = MAGIC.to_vec();
    let mut table = Vec::new();
    for chunk in plain.chunks(bs) {
        match block(chunk, p, path)? {
            Some(z) => {
                table.push((z.len() as u32, p.algorithm as u32));
                out.extend_from_slice(&z);
            }
            None => {
                table.push((chunk.len() as u32, 0));
                out.extend_from_slice(chunk);
            }
        }
    }
    let t = out.len() as u64;
    out.extend_from_slice(&3i32.to_le_bytes());
    out.extend_from_slice(&[p.algorithm, p.level, 0, 0]);
    out.extend_from_slice(&(plain.len() as u64).to_le_bytes());
    out.extend_from_slice(&t.to_le_bytes());
    out.extend_from_slice(&(bs as u64).to_le_bytes());
    for (size, alg) in &table {
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&alg.to_le_bytes());
    }
    out.extend_from_slice(&(table.len() as u64).to_le_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_algorithms_round_trip_and_incompressible_blocks_are_stored() {
        let mut plain = vec![0xfe, 0x20, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        for i in 0..20000i64 {
            plain.extend((i % 7).to_le_bytes());
        }
        for alg in [1u8, 2, 3, 4, 5] {
            // scripts/test.sh installs zlib, snappy, lz4 and zstd: a missing one fails here.
            assert!(
                (alg != 2 || zlib::available()) && codec_of(alg).is_none_or(codecs::available),
                "the library for algorithm {alg} is missing"
            );
            let p = Params {
                lbs: 12,
                algorithm: alg,
                level: [0, 0, 6, 0, 9, 3][alg as usize],
            };
            let z = compress(&plain, p, b"f$").unwrap();
            let i = info(&z).unwrap();
            assert_eq!(i.plain_len, plain.len());
            assert_eq!(i.blocks.len(), plain.len().div_ceil(4096));
            assert_eq!(decompress(&z, b"f").unwrap(), plain);
        }
        let noise: Vec<u8> = (0..5000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        let p = Params {
            lbs: 12,
            algorithm: 1,
            level: 0,
        };
        let z = compress(&noise, p, b"f$").unwrap();
        assert!(info(&z).unwrap().blocks.iter().all(|b| b.2 == 0));
        assert_eq!(decompress(&z, b"f").unwrap(), noise);
        assert!(info(&z[..z.len() - 1]).is_err());
    }
}
