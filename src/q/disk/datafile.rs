//! One data file: what `get` reads and `set` writes, whatever its format. The first bytes say
//! which (`ff 01` serialized, `fe 20`/`fd 20` mappable, `kxzipped` compressed, `fe` an old
//! enumeration); `set` picks the format kdb+ 4.x picks for the value:
//!
//! - a simple vector: mappable (`mappable.rs`), mapped again by `get`;
//! - an enumeration: the 3.6 enumeration file, naming its domain;
//! - a non-empty general list of data: anymap, three files (`anymap.rs`);
//! - anything else (symbol lists, atoms, dictionaries, tables, functions, `()`): serialized.
//!
//! Files are written whole under a temporary name and renamed, so a failed write leaves the
//! file that was there.

use crate::obj::*;
use crate::q::eval::Ctx;
use crate::sys::file;

use super::anymap;
use super::attrindex;
use super::compress::{self, Params};
use super::mappable::{self, Layout, PAGE};
use super::path;
use super::serialized;

/// A file's plain bytes: decompressed when it is compressed.
pub fn read_bytes(p: &[u8]) -> Result<Vec<u8>> {
    let bytes = path::io(p, file::read(&path::os(p)))?;
    if compress::is_compressed(&bytes) {
        return compress::decompress(&bytes, p);
    }
    Ok(bytes)
}

/// Our enumeration type for a domain named in a file.
fn enum_type(cx: &Ctx, domain: &[u8]) -> Result<i8> {
    crate::q::keywords::enums::type_of_domain(cx, Sym::new(domain))
}

/// `get` of a data file (not a directory).
pub fn get(cx: &Ctx, p: &[u8]) -> Result<K> {
    let os = path::os(p);
    let f = path::io(p, file::open(&os))?;
    let len = path::io(p, f.metadata())?.len() as usize;
    let head = path::io(p, file::read_at(&os, 0, PAGE))?;
    if compress::is_compressed(&head) {
        let bytes = read_bytes(p)?;
        return from_bytes(cx, p, &bytes);
    }
    if head.starts_with(&serialized::MAGIC) {
        return serialized::read(&path::io(p, file::read(&os))?);
    }
    let layout = mappable::layout(&head, len).ok_or_else(Error::type_)?;
    let mut et = |d: &[u8]| enum_type(cx, d);
    if let Some(r) = mappable::map(&f, len, &layout, &mut et) {
        return r;
    }
    drop(f);
    from_layout(cx, p, &path::io(p, file::read(&os))?, &layout)
}

/// A data file's value from its plain bytes (a decompressed file).
pub fn from_bytes(cx: &Ctx, p: &[u8], bytes: &[u8]) -> Result<K> {
    if bytes.starts_with(&serialized::MAGIC) {
        return serialized::read(bytes);
    }
    let layout = mappable::layout(bytes, bytes.len()).ok_or_else(Error::type_)?;
    from_layout(cx, p, bytes, &layout)
}

fn from_layout(cx: &Ctx, p: &[u8], bytes: &[u8], layout: &Layout) -> Result<K> {
    let mut et = |d: &[u8]| enum_type(cx, d);
    if let Some(r) = mappable::copy(bytes, layout, &mut et) {
        return r;
    }
    match layout {
        Layout::AnyMap { .. } => {
            let heap = read_bytes(&[p, b"#"].concat())?;
            let syms_path = [p, b"##"].concat();
            let syms = if file::exists(&path::os(&syms_path)) {
                serialized::read(&read_bytes(&syms_path)?)?
            } else {
                K::from_slice::<Sym>(KS, &[])
            };
            if syms.t() != KS {
                return Err(Error::type_());
            }
            anymap::read(bytes, &heap, syms.as_slice::<Sym>())
        }
        Layout::OldNested { t, n } => {
            let data = read_bytes(&[p, b"#"].concat())?;
            old_nested(bytes, &data, *t, *n)
        }
        _ => Err(Error::type_()),
    }
}

/// A pre-3.6 nested column: `n` end offsets (in items) into the raw items of `col#`.
fn old_nested(index: &[u8], data: &[u8], t: i8, n: usize) -> Result<K> {
    let w = plain_item_size(t);
    if w == 0 || t == KS {
        return Err(Error::type_());
    }
    let mut start = 0usize;
    let mut items = Vec::with_capacity(n);
    for c in index[16..16 + 8 * n].chunks_exact(8) {
        let end = u64::from_le_bytes(c.try_into().expect("8 bytes")) as usize;
        let bytes = end
            .checked_mul(w)
            .filter(|&e| end >= start && e <= data.len())
            .map(|e| &data[start * w..e])
            .ok_or_else(Error::type_)?;
        items.push(K::from_bytes(t, bytes));
        start = end;
    }
    Ok(K::list(items))
}

/// One file's content: bytes, or a header, a vector's data written straight from the vector
/// (no copy of a big column) and its attribute's index.
pub enum Content {
    Bytes(Vec<u8>),
    Vector(Vec<u8>, K, Vec<u8>),
}

impl Content {
    fn parts(&self) -> [&[u8]; 3] {
        match self {
            Content::Bytes(b) => [b, &[], &[]],
            Content::Vector(h, v, i) => [h, v.bytes(), i],
        }
    }

    fn into_bytes(self) -> Vec<u8> {
        self.parts().concat()
    }
}

/// `x` with its header and attribute index (`enumeration`: as kdb+'s type-20 enumeration).
/// Where kdb+'s index for the attribute is not known (`attrindex.rs`: `u#`/`p#`/`g#` on items
/// other than 8- and 4-byte integers and enumerations) the file cannot be written as kdb+
/// writes it, and dropping the attribute would lose what the user set: `'nyi`.
fn vector(header: impl FnOnce(u8) -> Vec<u8>, x: &K, enumeration: bool) -> Result<Content> {
    if attrindex::writable(x) {
        Ok(Content::Vector(
            header(x.attr()),
            x.clone(),
            attrindex::index(x, enumeration),
        ))
    } else if x.attr() == 0 {
        Ok(Content::Vector(header(0), x.clone(), Vec::new()))
    } else {
        Err(Error::nyi())
    }
}

/// The files `set` writes for `x`, as (suffix, content): the file itself, and for anymap its
/// `#` and `##` files (written first, so the file that names them never comes alone).
pub fn files_for(x: &K) -> Result<Vec<(&'static [u8], Content)>> {
    let t = x.t();
    if (1..=KT).contains(&t) && t != KS {
        let header = |a| mappable::vector_header(x, a).to_vec();
        return Ok(vec![(b"", vector(header, x, false)?)]);
    }
    if (ENUM_FIRST..=ENUM_LAST).contains(&t) {
        let domain = crate::q::keywords::enums::domain_of(t).ok_or_else(Error::type_)?;
        let page = |a| mappable::enum_page(domain.as_bytes(), a, x.n());
        return Ok(vec![(b"", vector(page, x, true)?)]);
    }
    if t == 0 && x.n() > 0 && anymap::writable(x) {
        if !anymap::attributes_known(x) {
            // A file kdb+ could misread is worse than none (anymap.rs, `attributes_known`).
            return Err(Error::nyi());
        }
        let f = anymap::write(x);
        let mut out: Vec<(&'static [u8], Content)> = Vec::new();
        if let Some(s) = &f.syms {
            out.push((b"##", Content::Bytes(serialized::bytes(s)?)));
        }
        out.push((b"#", Content::Bytes(f.heap)));
        out.push((b"", Content::Bytes(f.index)));
        return Ok(out);
    }
    Ok(vec![(b"", Content::Bytes(serialized::bytes(x)?))])
}

/// Writes `x` as a data file at `p`, compressed with `params` when given.
pub fn set(p: &[u8], x: &K, params: Option<Params>) -> Result<()> {
    commit(stage(p, x, params)?)
}

/// The files of `x` at `p` written under temporary names, to be committed together.
pub fn stage(p: &[u8], x: &K, params: Option<Params>) -> Result<Vec<(Vec<u8>, file::Staged)>> {
    let mut out = Vec::new();
    for (suffix, content) in files_for(x)? {
        let fp = [p, suffix].concat();
        let staged = match params {
            Some(z) => {
                let bytes =
                    compress::compress(&content.into_bytes(), z, &[&fp[..], b"$"].concat())?;
                path::io(&fp, file::stage(&path::os(&fp), &[&bytes]))?
            }
            None => path::io(&fp, file::stage(&path::os(&fp), &content.parts()))?,
        };
        out.push((fp, staged));
    }
    Ok(out)
}

/// Puts staged files in place, in order.
pub fn commit(staged: Vec<(Vec<u8>, file::Staged)>) -> Result<()> {
    for (fp, s) in staged {
        path::io(&fp, s.commit())?;
    }
    Ok(())
}

/// The compression `.z.zd` asks for by default: for files without an extension.
pub fn default_params(cx: &Ctx, p: &[u8]) -> Result<Option<Params>> {
    let name = p.rsplit(|&c| c == b'/').next().unwrap_or(p);
    if name.contains(&b'.') {
        return Ok(None);
    }
    match cx.eng.get_global(Sym::new(".z.zd")) {
        Some(v) => match crate::q::eval::values::as_longs(&v) {
            Some(ints) if ints.len() == 3 => Params::from_ints(&ints),
            _ => Ok(None),
        },
        None => Ok(None),
    }
}
