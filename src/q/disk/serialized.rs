//! Serialized-object files: `ff 01` and then exactly the bytes `-8!x` gives after its 8-byte
//! header. kdb+ writes symbol lists this way (`.d`, the `sym` domain), tables and dictionaries
//! saved to one file, atoms, lambdas, and logs (a general list whose items are appended one
//! after another).
//!
//! The count of a top-level symbol list or general list is not to be trusted (kdb+ 4.x writes
//! 0 and appends never update it), so those are read to the end of the file. Written lists
//! carry count 0 as kdb+ 4.x writes them.

use crate::obj::*;
use crate::wire;

pub const MAGIC: [u8; 2] = [0xff, 0x01];

/// `-8!x` without its header; capability 6 where a vector is too long for 3.
pub fn payload(x: &K) -> Result<Vec<u8>> {
    let msg = match wire::encode(x, 0, 3) {
        Ok(m) => m,
        Err(e) if e.msg().as_str() == "limit" => wire::encode(x, 0, 6)?,
        Err(e) => return Err(e),
    };
    Ok(msg[8..].to_vec())
}

/// The whole file for `x`.
pub fn bytes(x: &K) -> Result<Vec<u8>> {
    let mut p = payload(x)?;
    // kdb+ 4.x leaves the count of a top-level symbol or general list at 0 (readers take the
    // items to the end of the file).
    if matches!(x.t(), 0 | KS) && x.attr() == 0 && p.len() >= 6 && p[1] & 0x80 == 0 {
        p[2..6].fill(0);
    }
    let mut out = Vec::with_capacity(p.len() + 2);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&p);
    Ok(out)
}

/// The object in a file's bytes (magic included). `'badtail` for a general list whose last
/// item is cut short, `'type` for what cannot be read.
pub fn read(bytes: &[u8]) -> Result<K> {
    let body = bytes.get(2..).ok_or_else(Error::type_)?;
    match body {
        [t, attr, ..] if *t as i8 == KS && attr & 0x80 == 0 => symbols(body.get(6..), *attr),
        [0, attr, ..] if attr & 0x80 == 0 => list_to_end(body.get(6..).unwrap_or(&[])),
        _ => wire::decode::decode_payload(body, true).map_err(|_| Error::type_()),
    }
}

/// NUL-terminated names to the end of the file (a trailing unterminated one is dropped).
fn symbols(data: Option<&[u8]>, attr: u8) -> Result<K> {
    let data = data.ok_or_else(Error::type_)?;
    let mut names = Vec::new();
    let mut rest = data;
    while let Some(end) = rest.iter().position(|&b| b == 0) {
        names.push(Sym::new(&rest[..end]));
        rest = &rest[end + 1..];
    }
    let mut v = K::from_slice(KS, &names);
    v.set_attr(attr & 0x7f);
    Ok(v)
}

/// The items of a general list written back to back to the end of the file.
fn list_to_end(mut data: &[u8]) -> Result<K> {
    let mut items = Vec::new();
    while !data.is_empty() {
        let (x, used) = wire::decode::decode_prefix(data).map_err(|_| Error::new("badtail"))?;
        items.push(x);
        data = &data[used..];
    }
    Ok(K::list(items))
}

/// Walks the items of a log (a general list file): each item's bytes, until the end or the
/// first one that does not parse whole. Returns the items' (offset, length) and whether the
/// file ends cleanly.
pub fn chunks(bytes: &[u8]) -> (Vec<(usize, usize)>, bool) {
    let mut out = Vec::new();
    if bytes.len() < 8 || bytes[..3] != [0xff, 0x01, 0] {
        return (out, false);
    }
    let mut at = 8;
    while at < bytes.len() {
        match wire::decode::decode_prefix(&bytes[at..]) {
            Ok((_, used)) => {
                out.push((at, used));
                at += used;
            }
            Err(_) => return (out, false),
        }
    }
    (out, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbol_lists_are_read_to_the_end_whatever_their_count() {
        let x = K::from_slice(KS, &[Sym::new("a"), Sym::new("bc")]);
        let b = bytes(&x).unwrap();
        assert_eq!(b, b"\xff\x01\x0b\x00\x00\x00\x00\x00a\x00bc\x00");
        assert_eq!(read(&b).unwrap().as_slice::<Sym>(), x.as_slice::<Sym>());
        let log = b"\xff\x01\x00\x00\x00\x00\x00\x00\xf9\x03\0\0\0\0\0\0\0\xf9\x04\0\0\0\0\0\0\0";
        let v = read(log).unwrap();
        assert_eq!(v.n(), 2);
        assert_eq!(v.items()[1].j(), 4);
        assert_eq!(chunks(log), (vec![(8, 9), (17, 9)], true));
        assert_eq!(chunks(&log[..20]), (vec![(8, 9)], false));
        assert_eq!(read(&log[..20]).unwrap_err().msg().as_str(), "badtail");
    }
}
