//! Enumerating against a domain kept in a file: `` `:db/sym?x `` (what `.Q.en` is built on).
//! Under an exclusive lock on the file, the names already there are read, the new ones of `x`
//! are appended (never rewriting what is there, so positions other processes hold stay valid),
//! and the global named as the file (`sym`) becomes the whole domain. Two processes
//! enumerating at once therefore extend one domain, each seeing the other's names.
//!
//! A domain file that is not a symbol list, or whose last name is cut short, is `'type`, and is
//! left as it is.

use std::io::Read;

use crate::obj::*;
use crate::q::eval::Ctx;
use crate::sys::file;

use super::path;
use super::serialized;

/// The header of a fresh domain file: a symbol list with count 0, as kdb+ 4.x leaves it.
const EMPTY: [u8; 8] = [0xff, 0x01, KS as u8, 0, 0, 0, 0, 0];

/// The names in a domain file's bytes; `'type` when it is not a clean symbol list.
fn names(bytes: &[u8]) -> Result<Vec<Sym>> {
    if bytes.is_empty() {
        return Ok(Vec::new());
    }
    if bytes.len() < 8 || bytes[..3] != EMPTY[..3] || bytes.len() > 8 && bytes.last() != Some(&0) {
        return Err(Error::type_());
    }
    let v = serialized::read(bytes)?;
    Ok(v.as_slice::<Sym>().to_vec())
}

/// `` `:dir/name?x ``: x's symbols enumerated against the domain in file `p`, which gains
/// the ones it lacks.
pub fn extend(cx: &mut Ctx, p: &[u8], x: &K) -> Result<K> {
    let plain = crate::q::keywords::enums::unenumerate(x);
    let syms =
        crate::q::eval::values::syms(plain.as_ref().unwrap_or(x)).ok_or_else(Error::type_)?;
    let os = path::os(p);
    let mut lock = path::io(p, file::Lock::exclusive(&os))?;
    let mut bytes = Vec::new();
    path::io(p, lock.file().read_to_end(&mut bytes))?;
    if super::compress::is_compressed(&bytes) {
        return Err(Error::new("no append to zipped enums"));
    }
    let mut all = names(&bytes)?;
    let mut index: std::collections::HashMap<Sym, i64> = all
        .iter()
        .enumerate()
        .map(|(i, s)| (*s, i as i64))
        .collect();
    let mut fresh = Vec::new();
    if bytes.is_empty() {
        fresh.extend_from_slice(&EMPTY);
    }
    let mut idx = Vec::with_capacity(syms.len());
    for s in syms {
        let i = *index.entry(s).or_insert_with(|| {
            all.push(s);
            fresh.extend_from_slice(s.as_bytes());
            fresh.push(0);
            all.len() as i64 - 1
        });
        idx.push(i);
    }
    if !fresh.is_empty() {
        path::io(p, file::append(lock.file(), &fresh))?;
        path::io(p, file::sync(lock.file()))?;
    }
    drop(lock);
    let name = Sym::new(
        path::trim_slash(p)
            .rsplit(|&c| c == b'/')
            .next()
            .unwrap_or(p),
    );
    let domain = K::from_slice(KS, &all);
    cx.eng.set_global(name, domain)?;
    let t = crate::q::keywords::enums::type_of_domain(cx, name)?;
    Ok(if x.is_atom() {
        K::atom_i64(-t, idx[0])
    } else {
        let mut v = K::from_slice(KJ, &idx);
        v.retype(t);
        v
    })
}
