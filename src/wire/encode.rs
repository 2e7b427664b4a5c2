//! Serialization: a K object to kdb+'s IPC bytes, in two passes over the object. The first
//! measures (and refuses what the capability cannot carry), the second writes into a buffer of
//! exactly that size, so a big vector costs one allocation and one copy.
//!
//! Payload per object, little-endian:
//!
//! ```text
//! atom          type byte (negative), value (symbols and errors: bytes then NUL)
//! vector        type, attribute, count (int32; int64 with attribute bit 0x80 when the count
//!               does not fit, capability 6), items (symbols NUL-terminated)
//! table         98, attribute, its column dictionary
//! dict          99 (127 when the keys are `s#), keys, values
//! lambda        100, namespace name NUL-terminated ("" for root), source as a char vector
//! primitive     101/102/103, kdb+'s code byte
//! projection    104/105, int32 count, items
//! iterator      106..=111, the function it derives from
//! ```

use super::enums;
use super::header::{Header, HEADER_LEN, MAX_LARGE_LEN, MAX_PLAIN_LEN};
use super::MAX_DEPTH;
use crate::obj::layout::*;
use crate::obj::{Error, Result, Sym, K};

/// What the receiving side can take, and whether enumerations go out as symbols.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The IPC capability: 0 no timestamp/timespan, 1..2 no guid, 3 all types, 5 messages over
    /// 2GB, 6 also vectors of more than 2^31-1 items.
    pub capability: u8,
    pub unenumerate: bool,
    /// The C API's in-process form (`b9` with a negative mode, as libe.so writes it): header
    /// byte 2 is 3 and symbols travel as their interned pointers, 8 bytes each.
    pub in_process: bool,
    /// The C API's `b9` writes attributes above 4 as 4, as libe.so does.
    pub clamp_attributes: bool,
}

impl Options {
    pub fn network(capability: u8) -> Options {
        Options::new(capability, true)
    }

    pub fn new(capability: u8, unenumerate: bool) -> Options {
        Options {
            capability,
            unenumerate,
            in_process: false,
            clamp_attributes: false,
        }
    }

    fn attr(&self, u: u8) -> u8 {
        if self.clamp_attributes {
            u.min(4)
        } else {
            u
        }
    }
}

fn limit() -> Error {
    Error::new("limit")
}

fn stack() -> Error {
    Error::new("stack")
}

/// Serializes `x` as a whole message (header included) into a fresh byte vector.
pub fn encode_vec(x: &K, msg_type: u8, opts: Options) -> Result<Vec<u8>> {
    let mut enc = Encoder {
        opts,
        domains: Vec::new(),
    };
    let total = enc.message_len(x)?;
    let mut buf = vec![0u8; total];
    enc.write_message(x, msg_type, total, &mut buf);
    Ok(buf)
}

/// As `encode_vec`, into `out` (resized to the message), reusing its memory: every byte of
/// the message is written, so only growth is zero-filled first.
pub fn encode_into(x: &K, msg_type: u8, opts: Options, out: &mut Vec<u8>) -> Result<()> {
    let mut enc = Encoder {
        opts,
        domains: Vec::new(),
    };
    let total = enc.message_len(x)?;
    out.resize(total, 0);
    enc.write_message(x, msg_type, total, out);
    Ok(())
}

/// As `encode_vec`, straight into a q byte vector.
pub fn encode_k(x: &K, msg_type: u8, opts: Options) -> Result<K> {
    let mut enc = Encoder {
        opts,
        domains: Vec::new(),
    };
    let total = enc.message_len(x)?;
    let mut out = K::vector(KG, total);
    enc.write_message(x, msg_type, total, out.as_mut_slice::<u8>());
    Ok(out)
}

struct Encoder {
    opts: Options,
    /// Domains looked up while measuring, so writing sees the very same ones.
    domains: Vec<(i8, K)>,
}

impl Encoder {
    fn message_len(&mut self, x: &K) -> Result<usize> {
        let total = self
            .size(x, 0)?
            .checked_add(HEADER_LEN as u64)
            .ok_or_else(limit)?;
        let max = if self.opts.capability >= 5 {
            MAX_LARGE_LEN
        } else {
            MAX_PLAIN_LEN
        };
        if total > max || total > isize::MAX as u64 {
            return Err(limit());
        }
        Ok(total as usize)
    }

    fn write_message(&mut self, x: &K, msg_type: u8, total: usize, buf: &mut [u8]) {
        let header = Header {
            little_endian: true,
            msg_type,
            compressed: 0,
            len: total as u64,
        };
        buf[..HEADER_LEN].copy_from_slice(&header.to_bytes());
        if self.opts.in_process {
            buf[2] = 3;
        }
        let mut w = Writer {
            buf,
            pos: HEADER_LEN,
            in_process: self.opts.in_process,
        };
        self.write(&mut w, x);
        debug_assert_eq!(w.pos, total, "measured and written sizes differ");
    }

    fn domain(&mut self, t: i8) -> Result<K> {
        let t = t.checked_abs().unwrap_or(0);
        if let Some((_, d)) = self.domains.iter().find(|(dt, _)| *dt == t) {
            return Ok(d.clone());
        }
        let d = enums::domain(t)?;
        self.domains.push((t, d.clone()));
        Ok(d)
    }

    fn cached_domain(&self, t: i8) -> &K {
        let t = t.checked_abs().unwrap_or(0);
        &self
            .domains
            .iter()
            .find(|(dt, _)| *dt == t)
            .expect("domain measured before writing")
            .1
    }

    fn allows(&self, t: i8) -> Result<()> {
        let needed = match t.checked_abs().unwrap_or(0) {
            KP | KN => 1,
            UU => 3,
            _ => 0,
        };
        if self.opts.capability < needed {
            return Err(Error::type_());
        }
        Ok(())
    }

    /// Bytes of a vector's type, attribute and count.
    fn vector_head(&self, n: usize) -> Result<u64> {
        if n <= i32::MAX as usize {
            Ok(6)
        } else if self.opts.capability >= 6 {
            Ok(10)
        } else {
            Err(limit())
        }
    }

    fn size(&mut self, x: &K, depth: usize) -> Result<u64> {
        if depth > MAX_DEPTH {
            return Err(stack());
        }
        let t = x.t();
        let n = x.n();
        let sum_items = |enc: &mut Encoder, items: &[K]| -> Result<u64> {
            items
                .iter()
                .try_fold(0u64, |acc, item| Ok(acc + enc.size(item, depth + 1)?))
        };
        Ok(match t {
            ERROR => 2 + x.s().as_bytes().len() as u64,
            t if t == -KS && self.opts.in_process => 9,
            t if t == -KS => 2 + x.s().as_bytes().len() as u64,
            t if (ENUM_FIRST..=ENUM_LAST).contains(&-t) => {
                if self.opts.unenumerate {
                    let d = self.domain(t)?;
                    2 + enums::symbol_at(&d, x.j()).as_bytes().len() as u64
                } else {
                    9
                }
            }
            t if (-KT..0).contains(&t) && t != -3 => {
                self.allows(t)?;
                1 + atom_size(t) as u64
            }
            0 => self.vector_head(n)? + sum_items(self, x.items())?,
            KS if self.opts.in_process => self.vector_head(n)? + 8 * n as u64,
            KS => self.vector_head(n)? + symbols_size(x.as_slice::<Sym>()),
            ENUM_FIRST..=ENUM_LAST => {
                if self.opts.unenumerate {
                    let d = self.domain(t)?;
                    let syms = x.as_slice::<i64>().iter().map(|&i| enums::symbol_at(&d, i));
                    self.vector_head(n)? + syms.map(|s| s.as_bytes().len() as u64 + 1).sum::<u64>()
                } else {
                    self.vector_head(n)? + 8 * n as u64
                }
            }
            1..=KT if t != 3 => {
                self.allows(t)?;
                self.vector_head(n)? + (n as u64) * item_size(t) as u64
            }
            XT => 2 + self.size(x.table_dict(), depth + 1)?,
            XD if n == 2 => 1 + sum_items(self, x.items())?,
            LAMBDA => {
                let (ns, source) = lambda_parts(x)?;
                1 + ns.len() as u64 + 1 + self.size(source, depth + 1)?
            }
            UNARY | BINARY | TERNARY => 2,
            PROJECTION | COMPOSITION => {
                if n > i32::MAX as usize {
                    return Err(limit());
                }
                5 + sum_items(self, x.items())?
            }
            EACH..=EACH_LEFT => {
                let f = x.items().first().ok_or_else(Error::type_)?;
                1 + self.size(f, depth + 1)?
            }
            _ => return Err(Error::type_()),
        })
    }

    fn write(&self, w: &mut Writer, x: &K) {
        let t = x.t();
        match t {
            ERROR => {
                w.byte(t as u8);
                w.text(x.s());
            }
            t if t == -KS => {
                w.byte(t as u8);
                w.symbol(x.s());
            }
            t if (ENUM_FIRST..=ENUM_LAST).contains(&-t) => {
                if self.opts.unenumerate {
                    w.byte(-KS as u8);
                    w.symbol(enums::symbol_at(self.cached_domain(t), x.j()));
                } else {
                    w.byte(t as u8);
                    w.put(&x.j().to_le_bytes());
                }
            }
            t if t == -UU => {
                w.byte(t as u8);
                w.put(&x.guid().0);
            }
            t if t < 0 => {
                w.byte(t as u8);
                w.put(&x.j().to_le_bytes()[..atom_size(t)]);
            }
            0 => {
                w.vector_head(t, self.opts.attr(x.attr()), x.n());
                for item in x.items() {
                    self.write(w, item);
                }
            }
            KS => {
                w.vector_head(t, self.opts.attr(x.attr()), x.n());
                for &s in x.as_slice::<Sym>() {
                    w.symbol(s);
                }
            }
            ENUM_FIRST..=ENUM_LAST => {
                if self.opts.unenumerate {
                    w.vector_head(KS, self.opts.attr(x.attr()), x.n());
                    let d = self.cached_domain(t);
                    for &i in x.as_slice::<i64>() {
                        w.symbol(enums::symbol_at(d, i));
                    }
                } else {
                    w.vector_head(t, self.opts.attr(x.attr()), x.n());
                    w.items(x.bytes(), 8);
                }
            }
            UU => {
                w.vector_head(t, self.opts.attr(x.attr()), x.n());
                w.put(x.bytes());
            }
            1..=KT => {
                w.vector_head(t, self.opts.attr(x.attr()), x.n());
                w.items(x.bytes(), item_size(t));
            }
            XT => {
                w.byte(XT as u8);
                w.byte(self.opts.attr(x.attr()));
                self.write(w, x.table_dict());
            }
            XD => {
                let [keys, values] = x.items() else {
                    unreachable!("a dictionary has two items")
                };
                // A sorted dictionary: the interpreter marks its keys `s#`; the C API (as
                // libe.so) marks the dictionary itself.
                let sorted = if self.opts.clamp_attributes {
                    x.attr() == ATTR_SORTED
                } else {
                    keys.attr() == ATTR_SORTED
                };
                w.byte(if sorted { 127 } else { XD as u8 });
                self.write(w, keys);
                self.write(w, values);
            }
            LAMBDA => {
                let (ns, source) = lambda_parts(x).expect("lambda measured before writing");
                w.byte(LAMBDA as u8);
                w.put(ns);
                w.byte(0);
                self.write(w, source);
            }
            UNARY | BINARY | TERNARY => {
                w.byte(t as u8);
                w.byte(x.g());
            }
            PROJECTION | COMPOSITION => {
                w.byte(t as u8);
                w.put(&(x.n() as i32).to_le_bytes());
                for item in x.items() {
                    self.write(w, item);
                }
            }
            _ => {
                // EACH..=EACH_LEFT (anything else was refused while measuring).
                w.byte(t as u8);
                self.write(w, &x.items()[0]);
            }
        }
    }
}

/// A lambda's namespace name as sent (without a leading dot; empty for root) and its source.
fn lambda_parts(x: &K) -> Result<(&'static [u8], &K)> {
    let items = x.items();
    let source = items
        .first()
        .filter(|s| s.t() == KC)
        .ok_or_else(Error::type_)?;
    let ns = match items.get(1) {
        Some(ns) if ns.t() == -KS => ns.s().as_bytes(),
        Some(_) => return Err(Error::type_()),
        None => b"",
    };
    Ok((ns.strip_prefix(b".").unwrap_or(ns), source))
}

fn symbols_size(syms: &[Sym]) -> u64 {
    syms.iter().map(|s| s.as_bytes().len() as u64 + 1).sum()
}

struct Writer<'a> {
    buf: &'a mut [u8],
    pos: usize,
    /// Symbols as their pointers (the C API's in-process form).
    in_process: bool,
}

impl Writer<'_> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        self.buf[self.pos..self.pos + bytes.len()].copy_from_slice(bytes);
        self.pos += bytes.len();
    }

    #[inline]
    fn byte(&mut self, b: u8) {
        self.buf[self.pos] = b;
        self.pos += 1;
    }

    #[inline]
    fn symbol(&mut self, s: Sym) {
        if self.in_process {
            self.put(&(s.as_ptr() as usize as u64).to_le_bytes());
        } else {
            self.text(s);
        }
    }

    /// Bytes then a NUL (errors' texts, and symbols outside the in-process form).
    #[inline]
    fn text(&mut self, s: Sym) {
        self.put(s.as_bytes());
        self.byte(0);
    }

    fn vector_head(&mut self, t: i8, attr: u8, n: usize) {
        self.byte(t as u8);
        if n <= i32::MAX as usize {
            self.byte(attr);
            self.put(&(n as u32).to_le_bytes());
        } else {
            self.byte(attr | 0x80);
            self.put(&(n as u64).to_le_bytes());
        }
    }

    /// A simple vector's items, each `size` bytes, in little-endian order.
    fn items(&mut self, bytes: &[u8], size: usize) {
        if cfg!(target_endian = "little") || size == 1 {
            self.put(bytes);
        } else {
            for item in bytes.chunks_exact(size) {
                for &b in item.iter().rev() {
                    self.byte(b);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoder(capability: u8) -> Encoder {
        Encoder {
            opts: Options::network(capability),
            domains: Vec::new(),
        }
    }

    #[test]
    fn counts_over_int32_need_capability_6() {
        let big = i32::MAX as usize + 1;
        assert_eq!(encoder(6).vector_head(i32::MAX as usize).unwrap(), 6);
        assert_eq!(encoder(6).vector_head(big).unwrap(), 10);
        assert_eq!(encoder(5).vector_head(big).unwrap_err(), limit());
        assert_eq!(encoder(3).vector_head(big).unwrap_err(), limit());
        let mut buf = [0u8; 10];
        Writer {
            buf: &mut buf,
            pos: 0,
            in_process: false,
        }
        .vector_head(KJ, ATTR_SORTED, big);
        assert_eq!(buf, [7, 0x81, 0, 0, 0, 0x80, 0, 0, 0, 0]);
    }
}
