//! Rows of one table found in another by key columns (`lj ij pj` and keyed lookups), hashing
//! each key column's machine words once: no object per row, one pass over each table.
//!
//! Each key column of the keyed side gets dense ids (`IdTable`); the probe side looks its
//! values up in the same table, so a value the keyed side lacks ends the match at once. Several
//! columns combine their ids as mixed-radix numbers (re-ranked when the product of the columns'
//! counts would overflow 64 bits), and the combined keys are looked up once more.

use super::hash::{self, words};
use super::idtable::IdTable;
use std::collections::HashMap;

use crate::obj::table::{columns, row_count};
use crate::obj::{item_size, Sym, K, KE, KF, KS, KZ, UU};

/// A probe row whose key the keyed side lacks.
const MISS: u64 = u64::MAX;

/// For each row of table `probe`, the first row of table `keys` that `probe`'s row matches
/// (`absent` where none): the key lookup of keyed joins, `kt,kt`, `kt,:y`, `t#kt` and keyed
/// arithmetic. Rows match when their column names and values do (floats exactly, as `?` finds
/// them, see `hash::ByMatch`); columns of one word type with the same names take `match_keys`'
/// pass over machine words, anything else each row's hash.
pub fn find_rows(keys: &K, probe: &K, absent: i64) -> Vec<i64> {
    let nk = row_count(keys);
    // Rows are dictionaries of their columns: other names (or order) match no row.
    if !super::compare::identical(columns(keys), columns(probe)) {
        return vec![absent; row_count(probe)];
    }
    let cols = |t: &K| t.table_dict().items()[1].items().to_vec();
    let (kc, pc) = (cols(keys), cols(probe));
    if let Some(rows) = match_keys(&kc, &pc, absent) {
        return rows;
    }
    // Each column's items, the keys' then the probe's, get ids equal where the items match;
    // the columns' ids fold pairwise into one id per row.
    let mut ids: Vec<u32> = vec![0; nk + row_count(probe)];
    for (k, p) in kc.iter().zip(&pc) {
        let col = column_ids(k, p);
        let mut pairs = IdTable::new(1024);
        let mut tick = crate::q::eval::stop::Ticker::default();
        for (a, b) in ids.iter_mut().zip(col) {
            tick.tick_unwinding();
            *a = pairs.id((*a as u64) << 32 | b as u64);
        }
    }
    let mut first: Vec<i64> = Vec::new();
    for (r, &id) in ids[..nk].iter().enumerate() {
        if id as usize == first.len() {
            first.push(r as i64);
        }
    }
    ids[nk..]
        .iter()
        .map(|&id| first.get(id as usize).copied().unwrap_or(absent))
        .collect()
}

/// Dense ids (in order of first occurrence) for the items of column `k` followed by those of
/// `p`: machine words for a simple column of one type on both sides, each item's hash key
/// otherwise (floats as `hash::keys` takes them: nulls equal, no tolerance).
fn column_ids(k: &K, p: &K) -> Vec<u32> {
    let mut ids = IdTable::new(1024);
    if k.t() == p.t() {
        if let (Some(kw), Some(pw)) = (words(k), words(p)) {
            return kw.iter().chain(&pw).map(|&w| ids.id(w)).collect();
        }
    }
    let mut seen: HashMap<hash::Key, u32, hash::Build> = HashMap::default();
    let (kk, pk) = if k.t() == p.t() {
        (hash::keys(k), hash::keys(p))
    } else {
        // Items of different types never match: each item keyed by its object.
        let any = |x: &K| {
            (0..super::kit::count(x))
                .map(|i| hash::Key::Any(hash::ByMatch(super::kit::item(x, i))))
                .collect::<Vec<_>>()
        };
        (any(k), any(p))
    };
    kk.into_iter()
        .chain(pk)
        .map(|key| {
            let next = seen.len() as u32;
            *seen.entry(key).or_insert(next)
        })
        .collect()
}

/// For each row of the `probe` columns, the first row of the `keys` columns with equal values
/// (`absent` where none); None when a pair of columns is not of one type whose equality is bit
/// equality (integers, temporal values, symbols, chars, booleans).
pub fn match_keys(keys: &[K], probe: &[K], absent: i64) -> Option<Vec<i64>> {
    if keys.is_empty() || keys.len() != probe.len() {
        return None;
    }
    let nk = keys[0].n();
    let np = probe[0].n();
    for (k, p) in keys.iter().zip(probe) {
        if k.t() != p.t() || k.n() != nk || p.n() != np {
            return None;
        }
    }
    if let [k] = keys {
        // One column: its ids, given in order of first occurrence, already name the keys.
        let mut ids = Coder::new(k)?;
        let mut first: Vec<i64> = Vec::new();
        each_word(k, |r, w| {
            if ids.id(w) as usize == first.len() {
                first.push(r as i64);
            }
        })?;
        let mut rows = vec![absent; np];
        each_word(&probe[0], |r, w| {
            if let Some(id) = ids.get(w) {
                rows[r] = first[id as usize];
            }
        })?;
        return Some(rows);
    }
    let mut kc: Vec<u64> = vec![0; nk];
    let mut pc: Vec<u64> = vec![0; np];
    let mut span: u64 = 1;
    for (k, p) in keys.iter().zip(probe) {
        let mut ids = Coder::new(k)?;
        let mut kid: Vec<u32> = Vec::with_capacity(nk);
        each_word(k, |_, w| kid.push(ids.id(w)))?;
        let card = ids.len().max(1) as u64;
        if span.checked_mul(card).is_none() {
            (span, kc, pc) = rerank(kc, pc);
        }
        for (c, id) in kc.iter_mut().zip(kid) {
            *c = *c * card + id as u64;
        }
        each_word(p, |r, w| {
            let c = &mut pc[r];
            if *c != MISS {
                *c = match ids.get(w) {
                    Some(id) => *c * card + id as u64,
                    None => MISS,
                };
            }
        })?;
        span *= card;
    }
    // The first row of each distinct key, then each probe row's: by address where the
    // combined keys are few enough (the span of the columns' ids), else by hash.
    if span <= direct_limit(nk) {
        let mut first: Vec<i64> = vec![absent; span as usize];
        for (r, &c) in kc.iter().enumerate().rev() {
            first[c as usize] = r as i64;
        }
        return Some(
            pc.iter()
                .map(|&c| match c {
                    MISS => absent,
                    c => first[c as usize],
                })
                .collect(),
        );
    }
    let mut index = IdTable::new(nk);
    let mut first: Vec<i64> = Vec::with_capacity(nk);
    for (r, &c) in kc.iter().enumerate() {
        if index.id(c) as usize == first.len() {
            first.push(r as i64);
        }
    }
    Some(
        pc.iter()
            .map(|&c| match c {
                MISS => absent,
                c => index.get(c).map_or(absent, |id| first[id as usize]),
            })
            .collect(),
    )
}

/// Calls `f` with each item's index and machine word (as `hash::words` gives them), reading
/// symbols and 8-byte integers in place rather than copying the column; None (before any call)
/// for a type `words` does not take.
/// Every row's word, checking for `'stop` (by unwinding: `eval::stop`) every chunk of rows.
fn each_word(x: &K, mut f: impl FnMut(usize, u64)) -> Option<()> {
    let t = x.t();
    let mut tick = crate::q::eval::stop::Ticker::default();
    if t == KS {
        for (i, s) in x.as_slice::<Sym>().iter().enumerate() {
            tick.tick_unwinding();
            f(i, s.as_ptr() as usize as u64);
        }
    } else if t > 0 && t < 20 && !matches!(t, KE | KF | KZ | UU) && item_size(t) == 8 {
        for (i, &v) in x.as_slice::<i64>().iter().enumerate() {
            tick.tick_unwinding();
            f(i, v as u64);
        }
    } else {
        for (i, w) in words(x)?.into_iter().enumerate() {
            tick.tick_unwinding();
            f(i, w);
        }
    }
    Some(())
}

/// The most slots a table indexed by key (rather than hashed) may have for `n` keys: a few
/// per key, so the table stays about the size of the keys themselves.
fn direct_limit(n: usize) -> u64 {
    4 * n as u64 + 4096
}

/// Dense ids for one key column's words, in order of first occurrence: by address where the
/// words (as signed integers) span a range not much wider than their count, so sequential or
/// small keys cost an array read rather than a hash probe that misses the cache; by hash
/// (`IdTable`) otherwise.
enum Coder {
    /// Slot `w - min` holds w's id + 1 (0: none yet).
    Direct {
        min: i64,
        slots: Vec<u32>,
        len: usize,
    },
    Hashed(IdTable),
}

impl Coder {
    /// A coder for the words of column `keys` (None if `words` does not take its type).
    fn new(keys: &K) -> Option<Coder> {
        let (mut lo, mut hi) = (i64::MAX, i64::MIN);
        each_word(keys, |_, w| {
            lo = lo.min(w as i64);
            hi = hi.max(w as i64);
        })?;
        let range = (hi as i128 - lo as i128).max(0) as u128;
        Some(if keys.n() > 0 && range < direct_limit(keys.n()) as u128 {
            Coder::Direct {
                min: lo,
                slots: vec![0; range as usize + 1],
                len: 0,
            }
        } else {
            Coder::Hashed(IdTable::new(1024))
        })
    }

    /// The id of `w`, giving it the next id if it is new (`w` one of the words `new` saw).
    #[inline]
    fn id(&mut self, w: u64) -> u32 {
        match self {
            Coder::Direct { min, slots, len } => {
                let s = &mut slots[(w as i64).wrapping_sub(*min) as u64 as usize];
                if *s == 0 {
                    *len += 1;
                    *s = *len as u32;
                }
                *s - 1
            }
            Coder::Hashed(t) => t.id(w),
        }
    }

    /// The id of `w` if it has one.
    #[inline]
    fn get(&self, w: u64) -> Option<u32> {
        match self {
            Coder::Direct { min, slots, .. } => {
                let at = (w as i64).wrapping_sub(*min) as u64;
                match slots.get(usize::try_from(at).ok()?) {
                    Some(&s) if s != 0 => Some(s - 1),
                    _ => None,
                }
            }
            Coder::Hashed(t) => t.get(w),
        }
    }

    /// The number of distinct words given ids.
    fn len(&self) -> usize {
        match self {
            Coder::Direct { len, .. } => *len,
            Coder::Hashed(t) => t.len(),
        }
    }
}

/// Combined keys renumbered densely (probe keys the keyed side lacks become misses), so more
/// columns fit: the new span and both sides' codes.
fn rerank(kc: Vec<u64>, pc: Vec<u64>) -> (u64, Vec<u64>, Vec<u64>) {
    let mut ids = IdTable::new(1024);
    let k: Vec<u64> = kc.iter().map(|&c| ids.id(c) as u64).collect();
    let p: Vec<u64> = pc
        .iter()
        .map(|&c| match c {
            MISS => MISS,
            c => ids.get(c).map_or(MISS, u64::from),
        })
        .collect();
    (ids.len().max(1) as u64, k, p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::obj::{Sym, KJ, KS};

    #[test]
    fn two_key_columns_first_match_and_misses() {
        let s = |v: &[&str]| K::from_slice(KS, &v.iter().map(|&t| Sym::new(t)).collect::<Vec<_>>());
        let keys = [
            s(&["a", "b", "a", "a"]),
            K::from_slice(KJ, &[1i64, 1, 2, 1]),
        ];
        let probe = [
            s(&["a", "c", "b", "a"]),
            K::from_slice(KJ, &[1i64, 1, 1, 2]),
        ];
        assert_eq!(match_keys(&keys, &probe, 4), Some(vec![0, 4, 1, 2]));
        // Different types: the general path.
        let other = [s(&["a"]), K::from_slice(crate::obj::KI, &[1i32])];
        assert_eq!(match_keys(&keys[..], &other, 4), None);
    }
}
