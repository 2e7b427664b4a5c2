//! Deserialization: kdb+'s IPC payload bytes to a K object, in either byte order.
//!
//! Nothing read from the bytes is trusted: every count is checked against the bytes that remain
//! before anything is allocated (a general list's items take at least two bytes each, a
//! symbol at least one), nesting is bounded, and the payload must be used up exactly. Any
//! violation is `'badmsg` (`'stack` for nesting beyond `MAX_DEPTH`).

use super::header::badmsg;
use super::MAX_DEPTH;
use crate::obj::layout::*;
use crate::obj::{table, Error, Guid, Item, Result, Sym, K};

/// Smallest serialized object: a type byte and one byte of value (`0b`, `::`, `` ` ``).
const MIN_OBJECT: usize = 2;

/// The sorted-dictionary type byte: a dictionary whose keys are `s#`.
const SORTED_DICT: i8 = 127;

/// Decodes one object that must fill `payload` exactly.
pub fn decode_payload(payload: &[u8], little_endian: bool) -> Result<K> {
    let mut r = Reader {
        buf: payload,
        pos: 0,
        little_endian,
    };
    let x = r.object(0)?;
    if r.pos != payload.len() {
        return Err(badmsg());
    }
    Ok(x)
}

/// Decodes the object at the start of `payload` (little-endian), which may hold more after
/// it: the object and the bytes it took. How a log file's messages, written back to back, are
/// read one at a time.
pub fn decode_prefix(payload: &[u8]) -> Result<(K, usize)> {
    let mut r = Reader {
        buf: payload,
        pos: 0,
        little_endian: true,
    };
    let x = r.object(0)?;
    Ok((x, r.pos))
}

/// Fixed-width numbers as they appear on the wire.
trait Wire: Item {
    const SIZE: usize;
    fn from_le(b: &[u8]) -> Self;
    fn from_be(b: &[u8]) -> Self;
}

macro_rules! wire_number {
    ($($t:ty),*) => {$(
        impl Wire for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            #[inline(always)]
            fn from_le(b: &[u8]) -> $t {
                <$t>::from_le_bytes(b.try_into().expect("chunk of SIZE bytes"))
            }
            #[inline(always)]
            fn from_be(b: &[u8]) -> $t {
                <$t>::from_be_bytes(b.try_into().expect("chunk of SIZE bytes"))
            }
        }
    )*};
}
wire_number!(i16, i32, i64, f32, f64);

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    little_endian: bool,
}

impl<'a> Reader<'a> {
    #[inline]
    fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    #[inline]
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.remaining() {
            return Err(badmsg());
        }
        let bytes = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(bytes)
    }

    #[inline]
    fn byte(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    #[inline]
    fn number<T: Wire>(&mut self) -> Result<T> {
        let b = self.take(T::SIZE)?;
        Ok(if self.little_endian {
            T::from_le(b)
        } else {
            T::from_be(b)
        })
    }

    /// A NUL-terminated symbol.
    fn symbol(&mut self) -> Result<Sym> {
        Ok(Sym::new(self.symbol_bytes()?))
    }

    /// A NUL-terminated symbol's bytes.
    #[inline]
    fn symbol_bytes(&mut self) -> Result<&'a [u8]> {
        let rest = &self.buf[self.pos..];
        let len = rest.iter().position(|&b| b == 0).ok_or_else(badmsg)?;
        self.pos += len + 1;
        Ok(&rest[..len])
    }

    /// A vector's count: int32, or int64 when the attribute has bit 0x80 (large messages).
    fn count(&mut self, attr: u8) -> Result<usize> {
        let n = if attr & 0x80 != 0 {
            self.number::<i64>()?
        } else {
            self.number::<i32>()? as i64
        };
        usize::try_from(n).map_err(|_| badmsg())
    }

    /// `n` items of at least `each` bytes must fit in what remains.
    fn check_fits(&self, n: usize, each: usize) -> Result<()> {
        match n.checked_mul(each) {
            Some(bytes) if bytes <= self.remaining() => Ok(()),
            _ => Err(badmsg()),
        }
    }

    fn object(&mut self, depth: usize) -> Result<K> {
        if depth > MAX_DEPTH {
            return Err(Error::new("stack"));
        }
        let t = self.byte()? as i8;
        match t {
            ERROR => Ok(K::error(self.symbol()?)),
            t if t == -KS => Ok(K::sym(self.symbol()?)),
            t if t == -UU => {
                let b = self.take(16)?;
                Ok(K::guid_atom(Guid(b.try_into().expect("16 bytes"))))
            }
            t if t < 0 && (t >= -KT && t != -3 || -t >= ENUM_FIRST && -t <= ENUM_LAST) => {
                self.atom(t)
            }
            t if (0..=KT).contains(&t) && t != 3 || (ENUM_FIRST..=ENUM_LAST).contains(&t) => {
                self.vector(t, depth)
            }
            XT => {
                let attr = self.byte()?;
                let d = self.object(depth + 1)?;
                if d.t() != XD {
                    return Err(badmsg());
                }
                let mut t = table::table_from_dict(d).map_err(|_| badmsg())?;
                t.set_attr(attr);
                Ok(t)
            }
            XD | SORTED_DICT => {
                let mut keys = self.object(depth + 1)?;
                let values = self.object(depth + 1)?;
                match (count_of(&keys), count_of(&values)) {
                    (Some(a), Some(b)) if a == b => {}
                    _ => return Err(badmsg()),
                }
                if t == SORTED_DICT {
                    keys.set_attr(ATTR_SORTED);
                }
                Ok(K::dict(keys, values))
            }
            LAMBDA => {
                let ns = self.symbol()?;
                let source = self.object(depth + 1)?;
                if source.t() != KC {
                    return Err(badmsg());
                }
                Ok(K::list_of_type(LAMBDA, vec![source, K::sym(ns)]))
            }
            UNARY | BINARY | TERNARY => {
                let code = self.byte()?;
                Ok(if t == UNARY && code == 0 {
                    K::identity()
                } else {
                    K::atom_word(t, code as u64)
                })
            }
            PROJECTION | COMPOSITION => {
                let n = usize::try_from(self.number::<i32>()?).map_err(|_| badmsg())?;
                if n == 0 {
                    return Err(badmsg());
                }
                self.check_fits(n, MIN_OBJECT)?;
                let items = self.objects(n, depth)?;
                Ok(K::list_of_type(t, items))
            }
            EACH..=EACH_LEFT => {
                let f = self.object(depth + 1)?;
                Ok(K::list_of_type(t, vec![f]))
            }
            _ => Err(badmsg()),
        }
    }

    fn objects(&mut self, n: usize, depth: usize) -> Result<Vec<K>> {
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            items.push(self.object(depth + 1)?);
        }
        Ok(items)
    }

    fn atom(&mut self, t: i8) -> Result<K> {
        let size = if t < -KT { 8 } else { atom_size(t) };
        let b = self.take(size)?;
        let mut word = [0u8; 8];
        if self.little_endian {
            word[..size].copy_from_slice(b);
        } else {
            for (w, &x) in word.iter_mut().zip(b.iter().rev()) {
                *w = x;
            }
        }
        Ok(K::atom_word(t, u64::from_le_bytes(word)))
    }

    fn vector(&mut self, t: i8, depth: usize) -> Result<K> {
        let attr = self.byte()?;
        let n = self.count(attr)?;
        let mut v = match t {
            0 => {
                self.check_fits(n, MIN_OBJECT)?;
                K::list(self.objects(n, depth)?)
            }
            KB | KG | KC => K::from_slice(t, self.take(n)?),
            UU => {
                self.check_fits(n, 16)?;
                let bytes = self.take(n * 16)?;
                let mut v = K::vector(UU, n);
                for (g, b) in v
                    .as_mut_slice::<Guid>()
                    .iter_mut()
                    .zip(bytes.chunks_exact(16))
                {
                    g.0.copy_from_slice(b);
                }
                v
            }
            KH => self.numbers::<i16>(t, n)?,
            KI | KM | KD | KU | KV | KT => self.numbers::<i32>(t, n)?,
            KE => self.numbers::<f32>(t, n)?,
            KF | KZ => self.numbers::<f64>(t, n)?,
            KS => {
                self.check_fits(n, 1)?;
                let mut v = K::vector(KS, n);
                // Sorted and parted columns repeat a name many times in a row: intern it once.
                let mut last: (&[u8], Sym) = (b"", Sym::empty());
                for s in v.as_mut_slice::<Sym>() {
                    let bytes = self.symbol_bytes()?;
                    if bytes != last.0 {
                        last = (bytes, Sym::new(bytes));
                    }
                    *s = last.1;
                }
                v
            }
            // KJ, KP, KN and enumerations: 8-byte integers.
            _ => self.numbers::<i64>(t, n)?,
        };
        v.set_attr(attr & 0x7f);
        Ok(v)
    }

    fn numbers<T: Wire>(&mut self, t: i8, n: usize) -> Result<K> {
        self.check_fits(n, T::SIZE)?;
        let bytes = self.take(n * T::SIZE)?;
        if self.little_endian && cfg!(target_endian = "little") {
            return Ok(K::from_bytes(t, bytes));
        }
        let mut v = K::vector(t, n);
        let dst = v.as_mut_slice::<T>();
        if self.little_endian {
            for (d, b) in dst.iter_mut().zip(bytes.chunks_exact(T::SIZE)) {
                *d = T::from_le(b);
            }
        } else {
            for (d, b) in dst.iter_mut().zip(bytes.chunks_exact(T::SIZE)) {
                *d = T::from_be(b);
            }
        }
        Ok(v)
    }
}

/// The count a dictionary's keys or values must agree on; None for what cannot be either.
fn count_of(x: &K) -> Option<usize> {
    match x.t() {
        XT => {
            let columns = &x.table_dict().items()[1];
            Some(if columns.t() == 0 {
                columns.items().first().map_or(0, K::n)
            } else {
                0
            })
        }
        t if (0..=ENUM_LAST).contains(&t) => Some(x.n()),
        _ => None,
    }
}
