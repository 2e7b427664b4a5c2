//! TEMPORARY: a minimal stand-in for `crate::wire` (being written on another branch) so the
//! network layer can be tested before the merge: atoms and vectors of fixed-size types, chars,
//! symbols, errors, general lists, `::`. No compression. Removed when wt-wire is merged.

use crate::obj::{self, Error, Result, Sym, K};

pub fn encode(x: &K, msg_type: u8, _capability: u8) -> Result<Vec<u8>> {
    let mut v = vec![1, msg_type, 0, 0, 0, 0, 0, 0];
    put(&mut v, x)?;
    let n = v.len() as u32;
    v[4..8].copy_from_slice(&n.to_le_bytes());
    Ok(v)
}

fn put(v: &mut Vec<u8>, x: &K) -> Result<()> {
    let t = x.t();
    v.push(t as u8);
    match t {
        obj::ERROR | -11 => {
            v.extend_from_slice(x.s().as_bytes());
            v.push(0);
        }
        -19..=-1 => {
            let w = x.j().to_le_bytes();
            v.extend_from_slice(&w[..obj::item_size(-t)]);
        }
        obj::UNARY => v.push(0),
        0 => {
            v.push(x.attr());
            v.extend_from_slice(&(x.n() as u32).to_le_bytes());
            for i in x.items() {
                put(v, i)?;
            }
        }
        11 => {
            v.push(x.attr());
            v.extend_from_slice(&(x.n() as u32).to_le_bytes());
            for s in x.as_slice::<Sym>() {
                v.extend_from_slice(s.as_bytes());
                v.push(0);
            }
        }
        1..=19 => {
            v.push(x.attr());
            v.extend_from_slice(&(x.n() as u32).to_le_bytes());
            v.extend_from_slice(x.bytes());
        }
        _ => return Err(Error::nyi()),
    }
    Ok(())
}

pub fn d9(bytes: &[u8]) -> Result<K> {
    if bytes.len() < 9 || bytes[2] != 0 {
        return Err(Error::nyi());
    }
    let mut at = 8;
    let k = get(bytes, &mut at)?;
    if at != bytes.len() {
        return Err(Error::new("badmsg"));
    }
    Ok(k)
}

fn take<'a>(b: &'a [u8], at: &mut usize, n: usize) -> Result<&'a [u8]> {
    let s = b.get(*at..at.checked_add(n).ok_or_else(|| Error::new("badmsg"))?).ok_or_else(|| Error::new("badmsg"))?;
    *at += n;
    Ok(s)
}

fn cstr(b: &[u8], at: &mut usize) -> Result<Sym> {
    let rest = &b[*at..];
    let n = rest.iter().position(|&c| c == 0).ok_or_else(|| Error::new("badmsg"))?;
    *at += n + 1;
    Ok(Sym::new(&rest[..n]))
}

fn get(b: &[u8], at: &mut usize) -> Result<K> {
    let t = take(b, at, 1)?[0] as i8;
    Ok(match t {
        obj::ERROR => K::error(cstr(b, at)?),
        -11 => K::sym(cstr(b, at)?),
        -19..=-1 if t != -2 => {
            let size = obj::item_size(-t);
            let mut w = [0u8; 8];
            w[..size].copy_from_slice(take(b, at, size)?);
            K::atom_word(t, u64::from_le_bytes(w))
        }
        obj::UNARY => {
            take(b, at, 1)?;
            K::identity()
        }
        0 | 1..=19 if t != 2 => {
            let attr = take(b, at, 1)?[0];
            let n = u32::from_le_bytes(take(b, at, 4)?.try_into().unwrap()) as usize;
            let mut k = if t == 0 {
                let mut items = Vec::new();
                for _ in 0..n {
                    items.push(get(b, at)?);
                }
                K::list(items)
            } else if t == 11 {
                let mut syms = Vec::new();
                for _ in 0..n {
                    syms.push(cstr(b, at)?);
                }
                K::from_slice(11, &syms)
            } else {
                let data = take(b, at, n.checked_mul(obj::item_size(t)).ok_or_else(|| Error::new("badmsg"))?)?;
                match obj::item_size(t) {
                    1 => K::from_slice::<u8>(t, data),
                    2 => K::from_slice::<i16>(t, &data.chunks(2).map(|c| i16::from_le_bytes(c.try_into().unwrap())).collect::<Vec<_>>()),
                    4 => K::from_slice::<i32>(t, &data.chunks(4).map(|c| i32::from_le_bytes(c.try_into().unwrap())).collect::<Vec<_>>()),
                    _ => K::from_slice::<i64>(t, &data.chunks(8).map(|c| i64::from_le_bytes(c.try_into().unwrap())).collect::<Vec<_>>()),
                }
            };
            k.set_attr(attr);
            k
        }
        _ => return Err(Error::nyi()),
    })
}

pub fn compress(_msg: &[u8]) -> Option<Vec<u8>> {
    None
}

pub fn should_compress(capability: u8, len: usize, peer_is_local: bool) -> bool {
    capability >= 1 && len > 2000 && !peer_is_local
}
