//! The C API's serialization: `b9`, `d9` and `okx` of k.h exactly as KX's libe.so does them,
//! checked against it by the differential test (`c-tests/differential`). They differ from the
//! interpreter's `-8!`/`-9!` (`super::b9`, `super::d9`) in ways hosts depend on:
//!
//! - `b9(mode, x)`: a negative mode is the in-process form (header byte 2 is 3, symbols as
//!   their interned pointers); modes 0..7 are capabilities, never compressed; modes 8 and up
//!   are capability `mode & 7`, compressed when the payload is over 2000 bytes and it pays.
//!   Attributes above 4 go out as 4.
//! - `d9(x)`: takes any simple vector's bytes (PyKX passes char vectors); fewer than 10 bytes is
//!   `'length`; the header's length and any bytes after the object are ignored; an error message
//!   is 0 with its text pending; a lambda comes back as its body (the source string); nesting is
//!   not limited (the decoder keeps its own stack). Where libe.so reads past the end of the
//!   buffer or crashes (counts beyond the bytes, unknown types, primitive codes past its tables,
//!   symbol pointers that are not symbols) this is `'badmsg`.
//! - `okx(x)`: libe.so's checks: the header, a length field equal to the byte count (either byte
//!   order), then for an uncompressed message an object that fills it exactly with attributes up
//!   to 4, booleans 0 or 1, and no enumerations, errors or kdb+-internal types inside;
//!   compressed messages pass. Enumerations are refused by both (libe.so reads them as 4-byte
//!   items with no domain).

use super::compress;
use super::encode::{self, Options};
use super::header::{badmsg, HEADER_LEN};
use crate::obj::layout::*;
use crate::obj::{sym, Error, Guid, Result, Sym, K};

/// Payloads over this many bytes are compressed by `b9` modes 8 and up.
const COMPRESS_OVER: usize = 2000;

/// Codes past these have no primitive in libe.so's tables (it crashes on them).
const MAX_CODE: [u8; 3] = [44, 36, 5];

pub fn b9(mode: i32, x: &K) -> Result<K> {
    if x.has_holes() {
        return Err(Error::type_());
    }
    let mut opts = Options::new(if mode < 0 { 6 } else { (mode & 7) as u8 }, false);
    opts.in_process = mode < 0;
    opts.clamp_attributes = true;
    let msg = encode::encode_k(x, super::ASYNC, opts)?;
    if mode > 7 && msg.n() - HEADER_LEN > COMPRESS_OVER {
        if let Some(z) = compress(msg.as_slice::<u8>()) {
            return Ok(K::from_slice(KG, &z));
        }
    }
    Ok(msg)
}

/// The bytes a host passes to `d9`/`okx`: the first `n` bytes of any simple vector.
pub fn bytes_of(x: &K) -> Result<&[u8]> {
    let t = x.t();
    if !(1..=KT).contains(&t) || t == 3 {
        return Err(Error::type_());
    }
    Ok(&x.bytes()[..x.n()])
}

pub fn d9(bytes: &[u8]) -> Result<K> {
    if bytes.len() <= 9 {
        return Err(Error::length());
    }
    let plain;
    let mut msg = bytes;
    if matches!(bytes[2], 1 | 2) {
        let mut inflated = super::decompress(bytes).map_err(|_| badmsg())?;
        inflated[2] = 0;
        if !okx(&inflated) {
            return Err(badmsg());
        }
        plain = inflated;
        msg = &plain;
    }
    if msg[HEADER_LEN] == ERROR as u8 {
        let text = &msg[HEADER_LEN + 1..];
        let nul = text.iter().position(|&b| b == 0).ok_or_else(badmsg)?;
        return Err(Error(Sym::new(&text[..nul])));
    }
    let mut r = Reader {
        buf: &msg[HEADER_LEN..],
        pos: 0,
        swap: msg[0] != 1,
        in_process: msg[2] == 3,
    };
    decode(&mut r)
}

pub fn okx(bytes: &[u8]) -> bool {
    let n = bytes.len();
    if n <= 9 || bytes[0] > 1 || bytes[1] > 2 || bytes[2] > 2 {
        return false;
    }
    let low: [u8; 4] = bytes[4..8].try_into().expect("4 bytes");
    let high = (bytes[3] as u64) << 32;
    if high | u32::from_le_bytes(low) as u64 != n as u64
        && high | u32::from_be_bytes(low) as u64 != n as u64
    {
        return false;
    }
    if bytes[2] != 0 {
        return true;
    }
    let body = &bytes[HEADER_LEN..];
    if body[0] == ERROR as u8 {
        return body[1..].iter().position(|&b| b == 0) == Some(body.len() - 2);
    }
    let mut r = Reader {
        buf: body,
        pos: 0,
        swap: bytes[0] != 1,
        in_process: false,
    };
    measure(&mut r) == Some(body.len())
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    swap: bool,
    in_process: bool,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len())?;
        let b = &self.buf[self.pos..end];
        self.pos = end;
        Some(b)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn int(&mut self) -> Option<i32> {
        let b: [u8; 4] = self.take(4)?.try_into().ok()?;
        Some(if self.swap {
            i32::from_be_bytes(b)
        } else {
            i32::from_le_bytes(b)
        })
    }

    fn long(&mut self) -> Option<i64> {
        let b: [u8; 8] = self.take(8)?.try_into().ok()?;
        Some(if self.swap {
            i64::from_be_bytes(b)
        } else {
            i64::from_le_bytes(b)
        })
    }

    /// A vector's count after its attribute byte (8 bytes when the attribute has bit 0x80).
    fn count(&mut self, attr: u8) -> Option<usize> {
        let n = if attr & 0x80 != 0 {
            self.long()?
        } else {
            self.int()? as i64
        };
        usize::try_from(n).ok()
    }

    /// A NUL-terminated string's bytes.
    fn text(&mut self) -> Option<&'a [u8]> {
        let rest = &self.buf[self.pos..];
        let nul = rest.iter().position(|&b| b == 0)?;
        self.pos += nul + 1;
        Some(&rest[..nul])
    }

    fn symbol(&mut self) -> Option<Sym> {
        if self.in_process {
            return sym::from_table_pointer(self.long()? as usize);
        }
        Some(Sym::new(self.text()?))
    }

    /// `n` items of `size` bytes, byte-swapped into this machine's order when needed.
    fn items(&mut self, n: usize, size: usize) -> Option<Vec<u8>> {
        let bytes = self.take(n.checked_mul(size)?)?;
        let mut v = bytes.to_vec();
        if self.swap && size > 1 {
            let unit = if size == 16 { 1 } else { size };
            for item in v.chunks_exact_mut(unit) {
                item.reverse();
            }
        }
        Some(v)
    }
}

/// What a type byte is, as libe.so reads it.
enum Shape {
    /// An atom whose value has this many bytes.
    Atom(usize),
    /// A vector of items of this many bytes (0 for a general list, 8 for symbols).
    Vector(usize),
    Symbol,
    Error,
    Table,
    Dict,
    SortedDict,
    Lambda,
    Code,
    Composite,
    Derived,
}

fn shape(t: i8) -> Option<Shape> {
    Some(match t {
        ERROR => Shape::Error,
        t if t == -KS => Shape::Symbol,
        t if t == -UU => Shape::Atom(16),
        t if (-KT..0).contains(&t) && t != -3 => Shape::Atom(atom_size(t)),
        0 => Shape::Vector(0),
        t if (1..=KT).contains(&t) && t != 3 => Shape::Vector(item_size(t)),
        // Enumerations (20..76) are refused: libe.so reads them as 4-byte items with no
        // domain, which no kdb+ since 3.0 sends.
        XT => Shape::Table,
        XD => Shape::Dict,
        127 => Shape::SortedDict,
        LAMBDA => Shape::Lambda,
        UNARY | BINARY | TERNARY => Shape::Code,
        PROJECTION | COMPOSITION => Shape::Composite,
        EACH..=EACH_LEFT => Shape::Derived,
        _ => return None,
    })
}

/// A container being filled: its type, attribute, the items decoded so far and how many it
/// needs.
struct Frame {
    t: i8,
    attr: u8,
    items: Vec<K>,
    want: usize,
}

/// Decodes one object without recursion: containers wait on an explicit stack while their
/// items are read, so nesting depth costs heap, not the calling thread's stack.
fn decode(r: &mut Reader) -> Result<K> {
    let mut stack: Vec<Frame> = Vec::new();
    loop {
        let mut done = match start(r, &mut stack)? {
            Some(k) => k,
            None => continue,
        };
        // Hand finished objects up until a container still needs more.
        loop {
            let Some(top) = stack.last_mut() else {
                return Ok(done);
            };
            top.items.push(done);
            if top.items.len() < top.want {
                break;
            }
            let f = stack.pop().expect("a frame");
            done = finish(f)?;
        }
    }
}

/// Reads one object's head: a leaf comes back whole; a container is pushed (or, when empty,
/// finished at once).
fn start(r: &mut Reader, stack: &mut Vec<Frame>) -> Result<Option<K>> {
    let t = r.byte().ok_or_else(badmsg)? as i8;
    let push = |stack: &mut Vec<Frame>, t: i8, attr: u8, want: usize| -> Result<Option<K>> {
        if want == 0 {
            return finish(Frame {
                t,
                attr,
                items: Vec::new(),
                want,
            })
            .map(Some);
        }
        stack.push(Frame {
            t,
            attr,
            items: Vec::with_capacity(want.min(1 << 16)),
            want,
        });
        Ok(None)
    };
    let bad = badmsg;
    Ok(match shape(t).ok_or_else(bad)? {
        Shape::Error => Some(K::error(Sym::new(r.text().ok_or_else(bad)?))),
        Shape::Symbol => Some(K::sym(r.symbol().ok_or_else(bad)?)),
        Shape::Atom(16) => {
            let b = r.take(16).ok_or_else(bad)?;
            Some(K::guid_atom(Guid(b.try_into().expect("16 bytes"))))
        }
        Shape::Atom(size) => {
            let mut word = [0u8; 8];
            word[..size].copy_from_slice(r.take(size).ok_or_else(bad)?);
            if r.swap {
                word[..size].reverse();
            }
            Some(K::atom_word(t, u64::from_le_bytes(word)))
        }
        Shape::Vector(size) => {
            let attr = r.byte().ok_or_else(bad)?;
            let n = r.count(attr).ok_or_else(bad)?;
            let attr = attr & 0x7f;
            if t == 0 {
                // Each item takes at least two bytes: a count beyond them is refused before
                // anything is allocated.
                if n > r.buf.len() - r.pos {
                    return Err(bad());
                }
                return push(stack, 0, attr, n);
            }
            let mut v = if t == KS {
                if n > r.buf.len() - r.pos {
                    return Err(bad());
                }
                let mut v = K::vector(KS, n);
                for s in v.as_mut_slice::<Sym>() {
                    *s = r.symbol().ok_or_else(bad)?;
                }
                v
            } else {
                K::from_bytes(t, &r.items(n, size).ok_or_else(bad)?)
            };
            v.set_attr(attr);
            Some(v)
        }
        Shape::Table => {
            let attr = r.byte().ok_or_else(bad)? & 0x7f;
            push(stack, XT, attr, 1)?
        }
        Shape::Dict => push(stack, XD, 0, 2)?,
        Shape::SortedDict => push(stack, XD, ATTR_SORTED, 2)?,
        Shape::Lambda => {
            r.text().ok_or_else(bad)?; // the namespace: libe.so keeps only the body
            push(stack, LAMBDA, 0, 1)?
        }
        Shape::Code => {
            let code = r.byte().ok_or_else(bad)?;
            if code > MAX_CODE[(t - UNARY) as usize] {
                return Err(bad());
            }
            Some(K::atom_word(t, code as u64))
        }
        Shape::Composite => {
            let n = usize::try_from(r.int().ok_or_else(bad)?).map_err(|_| bad())?;
            if n > r.buf.len() - r.pos {
                return Err(bad());
            }
            push(stack, t, 0, n)?
        }
        Shape::Derived => push(stack, t, 0, 1)?,
    })
}

fn finish(f: Frame) -> Result<K> {
    let mut items = f.items;
    Ok(match f.t {
        XT => {
            let d = items.pop().expect("a table's dictionary");
            if d.t() != XD {
                return Err(badmsg()); // libe.so crashes
            }
            let mut t = K::table(d);
            t.set_attr(f.attr);
            t
        }
        LAMBDA => items.pop().expect("a lambda's body"),
        t => {
            let mut k = K::list_of_type(t, items);
            k.set_attr(f.attr);
            k
        }
    })
}

/// libe.so's `na`: the bytes one object takes, or None where it is not a valid message object
/// (`okx` fails). Iterative for the same reason as `decode`.
fn measure(r: &mut Reader) -> Option<usize> {
    let mut pending: usize = 1;
    while pending > 0 {
        pending -= 1;
        let t = r.byte()? as i8;
        match shape(t)? {
            Shape::Error => return None,
            Shape::Symbol => {
                r.text()?;
            }
            Shape::Atom(size) => {
                let v = r.take(size)?;
                if t == -KB && v[0] > 1 {
                    return None;
                }
            }
            Shape::Vector(size) => {
                let attr = r.byte()?;
                if attr & 0x7f > 4 {
                    return None;
                }
                let n = r.count(attr)?;
                match t {
                    0 => pending = pending.checked_add(n)?,
                    KS => {
                        for _ in 0..n {
                            r.text()?;
                        }
                    }
                    _ => {
                        let v = r.take(n.checked_mul(size)?)?;
                        if t == KB && v.iter().any(|&b| b > 1) {
                            return None;
                        }
                    }
                }
            }
            Shape::Table => {
                if r.byte()? & 0x7f > 4 {
                    return None;
                }
                pending += 1;
            }
            Shape::Dict | Shape::SortedDict => pending += 2,
            Shape::Lambda => {
                r.text()?;
                pending += 1;
            }
            Shape::Code => {
                r.byte()?;
            }
            Shape::Composite => {
                let n = usize::try_from(r.int()?).ok()?;
                pending = pending.checked_add(n)?;
            }
            Shape::Derived => pending += 1,
        }
    }
    Some(r.pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(body: &[u8]) -> Vec<u8> {
        let mut m = vec![1, 2, 0, 0];
        m.extend_from_slice(&((body.len() + 8) as u32).to_le_bytes());
        m.extend_from_slice(body);
        m
    }

    #[test]
    fn errors_lambdas_and_trailing_bytes_as_libe() {
        let e = message(b"\x80boom\0");
        assert!(okx(&e));
        assert_eq!(d9(&e).unwrap_err(), Error::new("boom"));
        let lambda = message(b"\x64\0\x0a\0\x03\0\0\0{x}");
        let body = d9(&lambda).unwrap();
        assert_eq!((body.t(), body.as_slice::<u8>()), (KC, &b"{x}"[..]));
        let mut long = message(b"\xf9\x05\0\0\0\0\0\0\0");
        long.extend_from_slice(&[0, 0]);
        assert!(!okx(&long));
        assert_eq!(d9(&long).unwrap().j(), 5);
        assert_eq!(d9(&long[..9]).unwrap_err(), Error::length());
    }

    #[test]
    fn deep_nesting_needs_no_stack() {
        let mut body = Vec::new();
        for _ in 0..200_000 {
            body.extend_from_slice(&[0, 0, 1, 0, 0, 0]);
        }
        body.extend_from_slice(&[0xf9, 1, 0, 0, 0, 0, 0, 0, 0]);
        let m = message(&body);
        assert!(okx(&m));
        let mut x = d9(&m).unwrap();
        let mut depth = 0;
        while x.t() == 0 {
            x = x.items()[0].clone();
            depth += 1;
        }
        assert_eq!((depth, x.j()), (200_000, 1));
    }

    #[test]
    fn in_process_symbols_are_pointers_into_the_table() {
        let s = K::sym(Sym::new("in_process"));
        let b = b9(-1, &s).unwrap();
        let bytes = b.as_slice::<u8>();
        assert_eq!((bytes[2], bytes.len()), (3, 17));
        assert_eq!(d9(bytes).unwrap().s(), Sym::new("in_process"));
        let mut forged = bytes.to_vec();
        forged[9..17].copy_from_slice(&(bytes.as_ptr() as u64).to_le_bytes());
        assert_eq!(d9(&forged).unwrap_err(), badmsg());
        // A pointer into the middle of an interned symbol names no symbol (its tail would be
        // interned as a new one): 'badmsg.
        let tail = (Sym::new("in_process").as_ptr() as u64 + 3).to_le_bytes();
        forged[9..17].copy_from_slice(&tail);
        assert_eq!(d9(&forged).unwrap_err(), badmsg());
    }
}
