//! Binary files and `1:`: `read1` (a file's bytes, or a range of them), writing raw bytes
//! (`` `:f 1: x ``, a vector's or an atom's data as it is in memory, compressed with
//! `(f;lbs;alg;lvl) 1: x`; a list of lists in the nested format), and reading fixed-width
//! binary records (`("ih";4 2) 1: x`).

use crate::obj::*;
use crate::q::eval::atoms::*;
use crate::sys::file;

use super::compress::{self, Params};
use super::path;

/// `read1 x`: bytes of a file, of `(file;offset;length)`, or of a byte vector passed through.
pub fn read1(x: &K) -> Result<K> {
    if let Some(p) = path::of(x) {
        return Ok(K::from_slice(KG, &super::datafile::read_bytes(&p)?));
    }
    if x.t() == 0 && (2..=3).contains(&x.n()) && path::is_file_sym(&x.items()[0]) {
        return Ok(K::from_slice(KG, &super::text::range(x)?));
    }
    Err(Error::type_())
}

/// The raw bytes `1:` writes for `x`: a simple vector's data, an atom's value.
fn raw(x: &K) -> Result<Vec<u8>> {
    let t = x.t();
    if (1..=KT).contains(&t) && t != KS {
        return Ok(x.bytes().to_vec());
    }
    if t == A_KC || t == A_KG || t == A_KB {
        return Ok(vec![x.g()]);
    }
    if (-KT..0).contains(&t) && t != -KS && t != -UU {
        let w = atom_size(t);
        return Ok(x.j().to_le_bytes()[..w].to_vec());
    }
    if t == -UU {
        return Ok(x.guid().0.to_vec());
    }
    Err(Error::type_())
}

/// `` f 1: x ``: f a file symbol, or `(file;lbs;alg;lvl)`.
pub fn write(f: &K, x: &K) -> Result<K> {
    let (target, params) = if path::is_file_sym(f) {
        (f.clone(), None)
    } else if f.t() == 0 && f.n() == 4 && path::is_file_sym(&f.items()[0]) {
        let ints: Vec<i64> = f.items()[1..]
            .iter()
            .map(|v| crate::q::eval::values::as_long(v).ok_or_else(Error::type_))
            .collect::<Result<_>>()?;
        (f.items()[0].clone(), Params::from_ints(&ints)?)
    } else {
        return Err(Error::type_());
    };
    let p = path::required(&target)?;
    // A list of lists is written in the nested (anymap) format, as `set` writes it.
    if x.t() == 0 && x.n() > 0 {
        super::datafile::set(&p, x, params)?;
        return Ok(target);
    }
    let bytes = raw(x)?;
    let bytes = match params {
        Some(z) => compress::compress(&bytes, z, &[&p[..], b"$"].concat())?,
        None => bytes,
    };
    path::io(&p, file::write_whole(&path::os(&p), &[&bytes]))?;
    Ok(target)
}

/// `(types;widths) 1: x`: records of fixed-width binary fields, one column per type letter
/// (a space skips a field, `*` keeps its bytes as chars); `(widths;types)` reads big-endian.
pub fn records(spec: &K, x: &K) -> Result<K> {
    if spec.t() != 0 || spec.n() != 2 {
        return Err(Error::type_());
    }
    let letters = |k: &K| -> Option<Vec<u8>> {
        match k.t() {
            KC => Some(k.bytes().to_vec()),
            A_KC => Some(vec![k.g()]),
            _ => None,
        }
    };
    let (a, b) = (&spec.items()[0], &spec.items()[1]);
    let (types, widths, big) = match (letters(a), letters(b)) {
        (Some(t), None) => (t, b, false),
        (None, Some(t)) => (t, a, true),
        _ => return Err(Error::type_()),
    };
    let widths = crate::q::eval::values::as_longs(widths).ok_or_else(Error::type_)?;
    if widths.len() != types.len() || widths.iter().any(|&w| w < 0) {
        return Err(Error::length());
    }
    let bytes = match x.t() {
        KG | KC => x.bytes().to_vec(),
        _ => read1(x)?.bytes().to_vec(),
    };
    let rec: usize = widths.iter().map(|&w| w as usize).sum();
    if rec == 0 {
        return Err(Error::length());
    }
    let n = bytes.len() / rec;
    let mut cols = Vec::new();
    let mut off = 0usize;
    for (&t, &w) in types.iter().zip(&widths) {
        let w = w as usize;
        let field = |r: usize| &bytes[r * rec + off..r * rec + off + w];
        match t {
            b' ' => {}
            b'*' => cols.push(K::list((0..n).map(|r| K::string(field(r))).collect())),
            _ => {
                let ty = b" bg xhijefcspmdznuvt"
                    .iter()
                    .position(|&c| c == t.to_ascii_lowercase())
                    .filter(|&i| i != 11 && i != 0)
                    .ok_or_else(Error::type_)? as i8;
                if plain_item_size(ty) != w {
                    return Err(Error::length());
                }
                let mut data = Vec::with_capacity(n * w);
                for r in 0..n {
                    if big {
                        data.extend(field(r).iter().rev());
                    } else {
                        data.extend_from_slice(field(r));
                    }
                }
                cols.push(K::from_bytes(ty, &data));
            }
        }
        off += w;
    }
    Ok(K::list(cols))
}
