//! Items as hash keys, so `distinct group ? in union inter except` run in linear time.
//!
//! Simple vectors hash their raw bits (floats with one null and one zero); general lists, table
//! rows and anything else hash their structure and compare as `~` does but with floats exact:
//! KX's basics/precision.md lists `? distinct except group in inter union xgroup` among the
//! keywords that do not use comparison tolerance.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

use super::compare::identical;
use super::kit::{count, item};
use crate::obj::{Guid, Sym, K, *};
use crate::q::eval::stop;

/// Multiply-rotate hashing: keys are machine words or short byte runs.
#[derive(Default)]
pub struct WordHasher(u64);

impl Hasher for WordHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for c in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..c.len()].copy_from_slice(c);
            self.write_u64(u64::from_le_bytes(w));
        }
    }
    #[inline]
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    #[inline]
    fn write_usize(&mut self, v: usize) {
        self.write_u64(v as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 29)
    }
}

pub type Build = BuildHasherDefault<WordHasher>;

/// An item as a key.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum Key {
    Word(u64),
    Guid(Guid),
    Any(ByMatch),
}

/// A K object that hashes its structure and compares with `~`, floats exactly (nulls equal,
/// zeros equal), as `hash::keys` takes simple float vectors.
#[derive(Clone)]
pub struct ByMatch(pub K);

impl PartialEq for ByMatch {
    fn eq(&self, o: &Self) -> bool {
        identical(&self.0, &o.0)
    }
}
impl Eq for ByMatch {}

impl Hash for ByMatch {
    fn hash<H: Hasher>(&self, h: &mut H) {
        hash_k(&self.0, h)
    }
}

pub fn hash_k<H: Hasher>(k: &K, h: &mut H) {
    crate::q::eval::stack::guard();
    let t = k.t();
    h.write_i8(t);
    match t {
        XT => hash_k(k.table_dict(), h),
        _ if owns_items(t) => k.items().iter().for_each(|i| hash_k(i, h)),
        KE => k
            .as_slice::<f32>()
            .iter()
            .for_each(|&v| h.write_u64(float_word(v as f64))),
        KF | KZ => k
            .as_slice::<f64>()
            .iter()
            .for_each(|&v| h.write_u64(float_word(v))),
        t if t == -KE => h.write_u64(float_word(k.e() as f64)),
        t if t == -KF || t == -KZ => h.write_u64(float_word(k.f())),
        t if t >= UNARY => {}
        t if t < 0 && t != -UU => h.write_u64(super::kit::raw_word(k, 0)),
        _ => h.write(k.bytes()),
    }
}

/// A float as a word that is equal where `?` finds it equal: every null one word, -0 as 0.
pub(super) fn float_word(v: f64) -> u64 {
    if v.is_nan() {
        u64::MAX
    } else if v == 0.0 {
        0
    } else {
        v.to_bits()
    }
}

/// The keys of every item of a list (rows of a table).
pub fn keys(x: &K) -> Vec<Key> {
    let t = x.t();
    match t {
        KB | KG | KC => x
            .as_slice::<u8>()
            .iter()
            .map(|&v| Key::Word(v as u64))
            .collect(),
        KH => x
            .as_slice::<i16>()
            .iter()
            .map(|&v| Key::Word(v as u64))
            .collect(),
        KE => x
            .as_slice::<f32>()
            .iter()
            .map(|&v| Key::Word(float_word(v as f64)))
            .collect(),
        KF | KZ => x
            .as_slice::<f64>()
            .iter()
            .map(|&v| Key::Word(float_word(v)))
            .collect(),
        KS => x
            .as_slice::<Sym>()
            .iter()
            .map(|s| Key::Word(s.as_ptr() as usize as u64))
            .collect(),
        UU => x.as_slice::<Guid>().iter().map(|&g| Key::Guid(g)).collect(),
        _ if t > 0 && t < XT && !owns_items(t) && item_size(t) == 4 => x
            .as_slice::<i32>()
            .iter()
            .map(|&v| Key::Word(v as u32 as u64))
            .collect(),
        _ if t > 0 && t < XT && !owns_items(t) && item_size(t) == 8 => x
            .as_slice::<i64>()
            .iter()
            .map(|&v| Key::Word(v as u64))
            .collect(),
        _ => {
            let mut t = stop::Ticker::default();
            (0..count(x))
                .map(|i| {
                    t.tick_unwinding();
                    Key::Any(ByMatch(item(x, i)))
                })
                .collect()
        }
    }
}

/// The key of an atom (or any object) looked up in a list of type `list_t`: None when it can
/// never be found there (a different type).
pub fn key_in(list_t: i8, y: &K) -> Option<Key> {
    let yt = y.t();
    if list_t > 0 && list_t < XT && !owns_items(list_t) {
        if yt != -list_t {
            return None;
        }
        return keys(&super::kit::unify(vec![y.clone()])).pop();
    }
    Some(Key::Any(ByMatch(y.clone())))
}

/// First index of each distinct key.
pub fn first_index(keys: &[Key]) -> HashMap<&Key, usize, Build> {
    let mut m: HashMap<&Key, usize, Build> =
        HashMap::with_capacity_and_hasher(keys.len().min(1 << 20), Build::default());
    stop::chunked_unwinding(keys.len(), |r| {
        for i in r {
            m.entry(&keys[i]).or_insert(i);
        }
    });
    m
}

/// The rows of `0..n` that `first` says are a first occurrence, in order, a chunk at a time
/// (unwinding with `'stop` when the evaluation must stop: `eval::stop`).
fn first_rows(n: usize, mut first: impl FnMut(usize) -> bool) -> Vec<i64> {
    let mut out = Vec::new();
    stop::chunked_unwinding(n, |r| out.extend(r.filter(|&i| first(i)).map(|i| i as i64)));
    out
}

/// Indices of the first occurrence of each distinct item, in order.
pub fn distinct_indices(x: &K) -> Vec<i64> {
    if x.t() == KJ {
        let v = x.as_slice::<i64>();
        let mut seen: std::collections::HashSet<i64, Build> =
            std::collections::HashSet::with_capacity_and_hasher(1024, Build::default());
        return first_rows(v.len(), |i| seen.insert(v[i]));
    }
    if let Some(w) = words(x) {
        let mut seen: std::collections::HashSet<u64, Build> =
            std::collections::HashSet::with_capacity_and_hasher(1024, Build::default());
        return first_rows(w.len(), |i| seen.insert(w[i]));
    }
    let ks = keys(x);
    let mut seen: std::collections::HashSet<&Key, Build> =
        std::collections::HashSet::with_capacity_and_hasher(1024, Build::default());
    first_rows(ks.len(), |i| seen.insert(&ks[i]))
}

/// The raw words of a simple vector of integers, temporal values or symbols (the types whose
/// equality is bit equality), or None.
pub fn words(x: &K) -> Option<Vec<u64>> {
    Some(match x.t() {
        KB | KG | KC => x.as_slice::<u8>().iter().map(|&v| v as u64).collect(),
        KH => x
            .as_slice::<i16>()
            .iter()
            .map(|&v| v as u16 as u64)
            .collect(),
        KS => x
            .as_slice::<Sym>()
            .iter()
            .map(|s| s.as_ptr() as usize as u64)
            .collect(),
        t if t > 0 && t < 20 && !matches!(t, KE | KF | KZ | UU) && item_size(t) == 4 => x
            .as_slice::<i32>()
            .iter()
            .map(|&v| v as u32 as u64)
            .collect(),
        t if t > 0 && t < 20 && !matches!(t, KE | KF | KZ | UU) && item_size(t) == 8 => {
            x.as_slice::<i64>().iter().map(|&v| v as u64).collect()
        }
        _ => return None,
    })
}

/// For each word of `probe`, its first index in `within` (None where absent): the fast path
/// of `?` and `in` between vectors of one such type.
pub fn find_words(within: &[u64], probe: &[u64]) -> Vec<Option<usize>> {
    let mut first: HashMap<u64, usize, Build> =
        HashMap::with_capacity_and_hasher(within.len().min(1 << 22), Build::default());
    stop::chunked_unwinding(within.len(), |r| {
        for i in r {
            first.entry(within[i]).or_insert(i);
        }
    });
    let mut out = Vec::with_capacity(probe.len());
    stop::chunked_unwinding(probe.len(), |r| {
        out.extend(probe[r].iter().map(|w| first.get(w).copied()))
    });
    out
}
