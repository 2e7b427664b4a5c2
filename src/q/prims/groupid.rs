//! Group ids: each row's group as a dense number, groups numbered in the order of their keys
//! (q's `iasc` order), for one key column or many, without an object per row or per group.
//!
//! Each key column becomes order-preserving codes: integers and temporal values directly by
//! value when their range is small (a counting pass, no hashing), otherwise by hashing their
//! machine words and ranking the distinct values; symbols hash their interned pointers and rank
//! the distinct names by text. Several keys combine their codes as mixed-radix numbers, which
//! keeps lexicographic order, and are ranked the same way (re-ranked early if the product of
//! the key counts would overflow 64 bits). `` `g#``/`` `p#``/`` `s#`` key columns need no hashing:
//! a sorted or parted column's runs are its groups.

use std::cell::OnceCell;

use super::groupparts::{by_groups, by_rows, Parts, Rows};
use super::idtable::IdTable;
use super::split;
use crate::obj::{Sym, K, *};
use crate::q::eval::stop;

/// Rows grouped by key.
pub struct Groups {
    /// Each row's group, groups numbered in key order.
    pub id: Vec<u32>,
    /// The number of groups.
    pub count: usize,
    sizes: OnceCell<Vec<i64>>,
    rows: OnceCell<(Vec<u32>, Vec<usize>)>,
    parts: OnceCell<Option<Parts>>,
    firsts: OnceCell<Vec<i64>>,
    /// Several keys' groups: each group's key values read back from its packed key.
    keys: Option<super::groupkeys::PackedKeys>,
}

impl Groups {
    pub fn new(id: Vec<u32>, count: usize) -> Groups {
        Groups {
            id,
            count,
            sizes: OnceCell::new(),
            rows: OnceCell::new(),
            parts: OnceCell::new(),
            firsts: OnceCell::new(),
            keys: None,
        }
    }

    /// With each group's size already known.
    pub fn with_sizes(self, sizes: Vec<i64>) -> Groups {
        let _ = self.sizes.set(sizes);
        self
    }

    /// With each group's first row already known.
    pub fn with_firsts(self, firsts: Vec<i64>) -> Groups {
        let _ = self.firsts.set(firsts);
        self
    }

    pub fn with_keys(mut self, keys: super::groupkeys::PackedKeys) -> Groups {
        self.keys = Some(keys);
        self
    }

    /// Key column `k` of the grouping (`x`, one item per row) at each group: read back from
    /// the groups' packed keys where it can be, else gathered at each group's first row.
    pub fn key_column(&self, k: usize, x: &K) -> K {
        if let Some(v) = self.keys.as_ref().and_then(|p| p.column(k, x)) {
            return v;
        }
        super::kit::gather(x, &self.firsts())
    }

    /// The rows by ranges of groups, when the rows split across four secondary threads or
    /// more: the layout moves every row once more (a scatter and gathered reads), which two
    /// or three threads do not repay (measured: `sum`/`avg` by 100k symbols at 10M rows took
    /// 1.5x its one-thread time with two).
    pub fn parts(&self) -> Option<&Parts> {
        self.parts
            .get_or_init(|| {
                let t = split::parts(self.id.len());
                (t >= 4 && self.count > 1).then(|| Parts::build(&self.id, self.count, t))
            })
            .as_ref()
    }

    /// One value per group by `kernel(rows, first group, groups)`, each group's rows visited
    /// in row order by one thread: for what depends on that order (float sums, extremes).
    pub fn ordered<T: Send>(
        &self,
        kernel: impl Fn(&Rows, usize, usize) -> Vec<T> + Sync,
    ) -> Vec<T> {
        by_groups(self.parts(), self.count, self.id.len(), kernel)
    }

    /// As `ordered`, for values that chunks of rows can compute apart and `merge` (exactly):
    /// few groups split by rows (no layout to build), many by groups.
    pub fn merged<T: Send + Sync + Copy>(
        &self,
        kernel: impl Fn(&Rows, usize, usize) -> Vec<T> + Sync,
        merge: impl Fn(T, T) -> T + Sync,
    ) -> Vec<T> {
        let (n, t) = (self.id.len(), split::parts(self.id.len()));
        if t > 1 && self.count.saturating_mul(8) <= n && self.parts.get().is_none() {
            return by_rows(n, self.count, t, kernel, merge);
        }
        self.ordered(kernel)
    }

    /// The first row of each group.
    pub fn firsts(&self) -> Vec<i64> {
        if let Some(f) = self.firsts.get() {
            return f.clone();
        }
        let id = &self.id[..];
        // Rows in order until every group has been met: with few groups, a short prefix. With
        // threads, only the first thread's share of rows before the split pass below.
        let scan = id.len().div_ceil(split::parts(id.len()));
        let rows = id[..scan].iter().enumerate().map(|(r, &g)| (r, g));
        let (f, every) = first_met(self.count, rows);
        if every || scan == id.len() {
            return f;
        }
        self.merged(
            |rows, lo, n| {
                let mut f = vec![-1i64; n];
                match rows {
                    // Backwards, so that the first row of each group is written last.
                    Rows::Range(r) => {
                        for (i, &g) in id[r.clone()].iter().enumerate().rev() {
                            f[g as usize - lo] = (r.start + i) as i64;
                        }
                    }
                    _ => rows.each(|r| {
                        let a = &mut f[id[r] as usize - lo];
                        if *a < 0 {
                            *a = r as i64;
                        }
                    }),
                }
                f
            },
            |a, b| if a < 0 { b } else { a },
        )
    }

    /// The last row of each group.
    pub fn lasts(&self) -> Vec<i64> {
        let id = &self.id[..];
        // Rows backwards until every group has been met (as `firsts`).
        let scan = id.len().div_ceil(split::parts(id.len()));
        let from = id.len() - scan;
        let rows = id[from..]
            .iter()
            .enumerate()
            .rev()
            .map(|(i, &g)| (from + i, g));
        let (f, every) = first_met(self.count, rows);
        if every || scan == id.len() {
            return f;
        }
        self.merged(
            |rows, lo, n| {
                let mut f = vec![-1i64; n];
                match rows {
                    Rows::Range(r) => {
                        for (i, &g) in id[r.clone()].iter().enumerate() {
                            f[g as usize - lo] = (r.start + i) as i64;
                        }
                    }
                    _ => rows.each(|r| f[id[r] as usize - lo] = r as i64),
                }
                f
            },
            |a, b| if b < 0 { a } else { b },
        )
    }

    /// The number of rows in each group.
    pub fn sizes(&self) -> &[i64] {
        self.sizes.get_or_init(|| {
            let id = &self.id[..];
            self.merged(
                |rows, lo, n| {
                    let mut c = vec![0i64; n];
                    rows.pairs(id, lo, id, |k, _| c[k] += 1);
                    c
                },
                |a, b| a + b,
            )
        })
    }

    /// The rows of every group, group after group (each group's rows in order), and where each
    /// group starts in them (count+1 offsets): a counting sort of the rows by group.
    pub fn rows(&self) -> (&[u32], &[usize]) {
        let (rows, start) = self.rows.get_or_init(|| {
            let mut start = vec![0usize; self.count + 1];
            for (g, &c) in self.sizes().iter().enumerate() {
                start[g + 1] = start[g] + c as usize;
            }
            let mut at = start.clone();
            let mut rows = vec![0u32; self.id.len()];
            for (r, &g) in self.id.iter().enumerate() {
                rows[at[g as usize]] = r as u32;
                at[g as usize] += 1;
            }
            (rows, start)
        });
        (rows, start)
    }
}

/// The groups of the rows of `keys` (columns of equal count), or None when a key's type is not
/// one this handles (the caller groups by value then).
pub fn groups(keys: &[K]) -> Option<Groups> {
    let n = keys.first()?.n();
    if n > u32::MAX as usize || keys.iter().any(|k| k.t() <= 0 || k.t() >= XT || k.n() != n) {
        return None;
    }
    if let [k] = keys {
        if let Some(g) = super::groupid_direct::small_range(k) {
            return Some(g);
        }
        // One key: its codes are already dense ranks.
        let (id, count) = column_codes(k)?;
        return Some(Groups::new(id, count));
    }
    if let Some(g) = super::groupkeys::groups(keys) {
        return Some(g);
    }
    let mut acc: Option<(Vec<u64>, u64)> = None;
    for k in keys {
        let (codes, card) = column_codes(k)?;
        acc = Some(match acc {
            None => (codes.into_iter().map(u64::from).collect(), card as u64),
            Some((mut words, span)) => {
                let (mut words, span) = match span.checked_mul(card.max(1) as u64) {
                    Some(_) => (words, span),
                    None => {
                        // Re-rank what we have so the product fits again.
                        let (ids, c) = rank_words(&words);
                        words.clear();
                        words.extend(ids.into_iter().map(u64::from));
                        (words, c as u64)
                    }
                };
                let card = card.max(1) as u64;
                split::fill(&mut words, split::parts(n), |first, out| {
                    out.iter_mut()
                        .zip(&codes[first..])
                        .for_each(|(w, &c)| *w = *w * card + c as u64);
                });
                (words, span * card)
            }
        });
    }
    let (words, _) = acc?;
    let (id, count) = rank_words(&words);
    Some(Groups::new(id, count))
}

/// Order-preserving dense codes of a simple vector and how many distinct values it has.
pub(super) fn column_codes(x: &K) -> Option<(Vec<u32>, usize)> {
    if x.attr() != ATTR_NONE {
        if let Some(r) = runs(x) {
            return Some(r);
        }
    }
    if x.t() == KS {
        return Some(rank_syms(x.as_slice::<Sym>()));
    }
    let words = order_words(x)?;
    Some(rank_words(&words))
}

/// A sorted or parted column's runs of equal items, numbered in order (sorted: runs are in key
/// order; parted: each value has one run, ranked by value afterwards).
fn runs(x: &K) -> Option<(Vec<u32>, usize)> {
    let n = x.n();
    let same: Box<dyn Fn(usize) -> bool> = match item_size(x.t()) {
        _ if x.t() == KS => {
            let v = x.as_slice::<Sym>();
            Box::new(move |i| v[i] == v[i - 1])
        }
        _ if matches!(x.t(), KE | KF | KZ | UU) || owns_items(x.t()) => return None,
        1 => {
            let v = x.as_slice::<u8>();
            Box::new(move |i| v[i] == v[i - 1])
        }
        2 => {
            let v = x.as_slice::<i16>();
            Box::new(move |i| v[i] == v[i - 1])
        }
        4 => {
            let v = x.as_slice::<i32>();
            Box::new(move |i| v[i] == v[i - 1])
        }
        8 => {
            let v = x.as_slice::<i64>();
            Box::new(move |i| v[i] == v[i - 1])
        }
        _ => return None,
    };
    match x.attr() {
        ATTR_SORTED => {
            let mut id = Vec::with_capacity(n);
            let mut g = 0u32;
            for i in 0..n {
                if i > 0 && !same(i) {
                    g += 1;
                }
                id.push(g);
            }
            Some((id, if n == 0 { 0 } else { g as usize + 1 }))
        }
        ATTR_PARTED => {
            // Run numbers, then the runs ranked by their values.
            let mut id = Vec::with_capacity(n);
            let mut starts = Vec::new();
            for i in 0..n {
                if i == 0 || !same(i) {
                    starts.push(i as i64);
                }
                id.push(starts.len() as u32 - 1);
            }
            let heads = super::kit::gather(x, &starts);
            let (rank, count) = column_codes_plain(&heads)?;
            id.iter_mut().for_each(|g| *g = rank[*g as usize]);
            Some((id, count))
        }
        _ => None,
    }
}

fn column_codes_plain(x: &K) -> Option<(Vec<u32>, usize)> {
    if x.t() == KS {
        return Some(rank_syms(x.as_slice::<Sym>()));
    }
    Some(rank_words(&order_words(x)?))
}

/// Each item as an unsigned word whose order is q's order (nulls first), for the numeric,
/// temporal, char and boolean types; None for others.
fn order_words(x: &K) -> Option<Vec<u64>> {
    const SIGN: u64 = 1 << 63;
    let float = |v: f64| -> u64 {
        if v.is_nan() {
            0
        } else if v == 0.0 {
            SIGN
        } else if v.is_sign_negative() {
            !v.to_bits()
        } else {
            v.to_bits() | SIGN
        }
    };
    Some(match x.t() {
        KB | KG | KC => x.as_slice::<u8>().iter().map(|&v| v as u64).collect(),
        KH => x
            .as_slice::<i16>()
            .iter()
            .map(|&v| (v as i64 as u64) ^ SIGN)
            .collect(),
        KE => x
            .as_slice::<f32>()
            .iter()
            .map(|&v| float(v as f64))
            .collect(),
        KF | KZ => x.as_slice::<f64>().iter().map(|&v| float(v)).collect(),
        t if t < XT && t != KS && t != UU && !owns_items(t) && item_size(t) == 4 => x
            .as_slice::<i32>()
            .iter()
            .map(|&v| (v as i64 as u64) ^ SIGN)
            .collect(),
        t if t < XT && t != KS && t != UU && !owns_items(t) && item_size(t) == 8 => x
            .as_slice::<i64>()
            .iter()
            .map(|&v| (v as u64) ^ SIGN)
            .collect(),
        _ => return None,
    })
}

/// Dense ranks of words (equal words share a rank; ranks follow the words' order), and how
/// many distinct words there are. A small range is counted directly; a wide one is hashed and
/// its distinct words sorted.
pub fn rank_words(w: &[u64]) -> (Vec<u32>, usize) {
    let n = w.len();
    if n == 0 {
        return (Vec::new(), 0);
    }
    let (lo, hi) = w
        .iter()
        .fold((u64::MAX, 0u64), |(l, h), &v| (l.min(v), h.max(v)));
    let span = hi - lo;
    let parts = split::parts(n);
    if span < (n as u64).max(1 << 16).saturating_mul(2) && span < 1 << 28 {
        let mut rank = vec![0u32; span as usize + 1];
        if parts > 1 && span < n as u64 {
            // Each part marks the values it has; the marks are merged.
            let marks = split::map_ranges(n, parts, |r| {
                let mut m = vec![0u8; span as usize + 1];
                for &v in &w[r] {
                    m[(v - lo) as usize] = 1;
                }
                m
            });
            // Merged by ranges of values on the threads: no serial pass over parts x values.
            split::fill(&mut rank, parts, |first, out| {
                for m in &marks {
                    out.iter_mut()
                        .zip(&m[first..])
                        .for_each(|(r, &m)| *r |= m as u32);
                }
            });
        } else {
            for &v in w {
                rank[(v - lo) as usize] = 1;
            }
        }
        let mut next = 0u32;
        for r in rank.iter_mut() {
            let seen = *r;
            *r = next;
            next += seen;
        }
        let mut id = vec![0u32; n];
        split::fill(&mut id, parts, |first, part| {
            for (g, &v) in part.iter_mut().zip(&w[first..]) {
                *g = rank[(v - lo) as usize];
            }
        });
        return (id, next as usize);
    }
    if parts > 1 && few_distinct(n, &|i| w[i]) {
        let p = hash_parts(n, parts, &|i| w[i]);
        let order = sort_ids_by_word(&p.distinct);
        return p.ranked(n, parts, &order);
    }
    if super::groupid_radix::pays(n, parts, &|i| w[i]) {
        return super::groupid_radix::rank_words(w, parts);
    }
    // Hash to ids in order of first occurrence, then rank the distinct words.
    let mut index = IdTable::new(1024);
    // Mostly distinct words in a first part: size the table for all of them at once.
    let probe = n.min(1 << 14);
    let mut id: Vec<u32> = Vec::with_capacity(n);
    id.extend(w[..probe].iter().map(|&v| index.id(v)));
    if index.len() * 4 > probe * 3 {
        index.reserve(n);
    }
    for part in w[probe..].chunks(stop::CHUNK) {
        stop::check_unwinding();
        id.extend(part.iter().map(|&v| index.id(v)));
    }
    let order = sort_ids_by_word(&index.words);
    relabel(id, &order)
}

/// The ids 0..n ordered by their words: a least-significant-byte radix sort, skipping the
/// bytes on which all words agree.
pub(super) fn sort_ids_by_word(w: &[u64]) -> Vec<u32> {
    let n = w.len();
    if n < 1 << 12 {
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_unstable_by_key(|&g| w[g as usize]);
        return order;
    }
    let (or, and) = w.iter().fold((0u64, u64::MAX), |(o, a), &v| (o | v, a & v));
    let mut keys: Vec<(u64, u32)> = w.iter().enumerate().map(|(i, &v)| (v, i as u32)).collect();
    let mut next = vec![(0u64, 0u32); n];
    for pass in 0..8 {
        let shift = pass * 8;
        if (or >> shift) & 0xff == (and >> shift) & 0xff {
            continue;
        }
        let mut count = [0usize; 257];
        for part in keys.chunks(stop::CHUNK) {
            stop::check_unwinding();
            for &(v, _) in part {
                count[((v >> shift) & 0xff) as usize + 1] += 1;
            }
        }
        for b in 0..256 {
            count[b + 1] += count[b];
        }
        for part in keys.chunks(stop::CHUNK) {
            stop::check_unwinding();
            for &kv in part {
                let d = ((kv.0 >> shift) & 0xff) as usize;
                next[count[d]] = kv;
                count[d] += 1;
            }
        }
        std::mem::swap(&mut keys, &mut next);
    }
    keys.into_iter().map(|(_, i)| i).collect()
}

/// Whether a sample of the first rows has few distinct words: only then do parts' tables stay
/// small enough for hashing part by part and merging to beat one pass.
fn few_distinct(n: usize, word: &dyn Fn(usize) -> u64) -> bool {
    let probe = n.min(1 << 14);
    let mut index = IdTable::new(1024);
    (0..probe).for_each(|i| {
        index.id(word(i));
    });
    index.len() * 16 <= probe
}

/// Rows' words hashed to ids part by part on the threads.
struct HashedParts {
    /// Each part's ids (in order of first occurrence in the part) and, for each of those ids,
    /// its id among `distinct`.
    parts: Vec<(Vec<u32>, Vec<u32>)>,
    /// The distinct words of all parts, in order of first occurrence, and a row of each.
    distinct: Vec<u64>,
    row: Vec<usize>,
}

fn hash_parts(n: usize, parts: usize, word: &(dyn Fn(usize) -> u64 + Sync)) -> HashedParts {
    let local = split::map_ranges(n, parts, |r| {
        let mut index = IdTable::new(1024);
        let mut last: Option<(u64, u32)> = None;
        let mut id: Vec<u32> = Vec::with_capacity(r.len());
        let mut rows: Vec<usize> = Vec::new();
        for i in r {
            let v = word(i);
            // Runs of one value are common (sorted or parted data): skip the hash for them.
            let g = match last {
                Some((p, g)) if p == v => g,
                _ => index.id(v),
            };
            if g as usize == rows.len() {
                rows.push(i);
            }
            last = Some((v, g));
            id.push(g);
        }
        (id, index.words, rows)
    });
    let mut all = IdTable::new(1024);
    let mut row = Vec::new();
    let parts = local
        .into_iter()
        .map(|(id, words, rows)| {
            let to_all = words
                .iter()
                .zip(rows)
                .map(|(&v, r)| {
                    let g = all.id(v);
                    if g as usize == row.len() {
                        row.push(r);
                    }
                    g
                })
                .collect();
            (id, to_all)
        })
        .collect();
    HashedParts {
        parts,
        distinct: all.words,
        row,
    }
}

impl HashedParts {
    /// Every row's rank, given the distinct words' ids in key order (`order[k]` has rank k),
    /// written part by part on the threads.
    fn ranked(&self, n: usize, parts: usize, order: &[u32]) -> (Vec<u32>, usize) {
        let mut rank = vec![0u32; order.len()];
        for (k, &g) in order.iter().enumerate() {
            rank[g as usize] = k as u32;
        }
        let per = n.div_ceil(parts.max(1)).max(1);
        let mut id = vec![0u32; n];
        split::fill(&mut id, parts, |first, out| {
            let (local, to_all) = &self.parts[first / per];
            for (g, &l) in out.iter_mut().zip(local) {
                *g = rank[to_all[l as usize] as usize];
            }
        });
        (id, order.len())
    }
}

/// Dense ranks of symbols (ranked by their text, as `iasc` orders them).
fn rank_syms(s: &[Sym]) -> (Vec<u32>, usize) {
    let parts = split::parts(s.len());
    if parts > 1 && few_distinct(s.len(), &|i| s[i].as_ptr() as usize as u64) {
        let p = hash_parts(s.len(), parts, &|i| s[i].as_ptr() as usize as u64);
        let name = |g: u32| &s[p.row[g as usize]];
        let mut order: Vec<u32> = (0..p.distinct.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| super::compare::sym_order(name(a), name(b)));
        return p.ranked(s.len(), parts, &order);
    }
    if super::groupid_radix::pays(s.len(), parts, &|i| s[i].as_ptr() as usize as u64) {
        return super::groupid_radix::rank_syms(s, parts);
    }
    let mut index = IdTable::new(1024);
    let mut distinct: Vec<Sym> = Vec::new();
    let mut id: Vec<u32> = Vec::with_capacity(s.len());
    let mut last: Option<(Sym, u32)> = None;
    let mut t = stop::Ticker::default();
    for &v in s {
        t.tick_unwinding();
        // Runs of one symbol are common (sorted or parted data): skip the hash for them.
        if let Some((p, g)) = last {
            if p == v {
                id.push(g);
                continue;
            }
        }
        let g = index.id(v.as_ptr() as usize as u64);
        if g as usize == distinct.len() {
            distinct.push(v);
        }
        last = Some((v, g));
        id.push(g);
    }
    let mut order: Vec<u32> = (0..distinct.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| {
        super::compare::sym_order(&distinct[a as usize], &distinct[b as usize])
    });
    relabel(id, &order)
}

/// Ids renumbered so that id `order[k]` becomes k.
fn relabel(mut id: Vec<u32>, order: &[u32]) -> (Vec<u32>, usize) {
    let mut rank = vec![0u32; order.len()];
    for (k, &g) in order.iter().enumerate() {
        rank[g as usize] = k as u32;
    }
    id.iter_mut().for_each(|g| *g = rank[*g as usize]);
    (id, order.len())
}

/// The row each of `count` groups is first met at in `rows` (row, group id), -1 where not met;
/// true once every group is met (the rows after that are not read).
fn first_met(count: usize, rows: impl Iterator<Item = (usize, u32)>) -> (Vec<i64>, bool) {
    let mut f = vec![-1i64; count];
    let mut left = count;
    for (r, g) in rows {
        let a = &mut f[g as usize];
        if *a < 0 {
            *a = r as i64;
            left -= 1;
            if left == 0 {
                return (f, true);
            }
        }
    }
    (f, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_long_key_ranks_by_value_nulls_first() {
        let k = K::from_slice(KJ, &[5i64, NJ, 5, -3, 1 << 40]);
        let g = groups(&[k]).expect("longs");
        assert_eq!(g.id, vec![2, 0, 2, 1, 3]);
        assert_eq!(g.count, 4);
        assert_eq!(g.firsts(), vec![1, 3, 0, 4]);
    }

    #[test]
    fn symbols_rank_by_text() {
        let s: Vec<Sym> = ["b", "a", "c", "a"].iter().map(|&t| Sym::new(t)).collect();
        let g = groups(&[K::from_slice(KS, &s)]).expect("syms");
        assert_eq!(g.id, vec![1, 0, 2, 0]);
    }

    #[test]
    fn several_keys_order_lexicographically() {
        let a = K::from_slice(KJ, &[2i64, 1, 2, 1]);
        let b = K::from_slice(KF, &[0.5f64, 9.0, -1.0, 9.0]);
        let g = groups(&[a, b]).expect("two keys");
        assert_eq!(g.id, vec![2, 0, 1, 0]);
        let (rows, start) = g.rows();
        assert_eq!(rows, vec![1, 3, 2, 0]);
        assert_eq!(start, vec![0, 2, 3, 4]);
    }

    #[test]
    fn wide_keys_rerank_before_overflow() {
        let n = 1000usize;
        let keys: Vec<K> = (0..6)
            .map(|k| K::from_fn(KJ, n, |i| ((i * (k + 7) * 7919) % 997) as i64 * (1 << 40)))
            .collect();
        let g = groups(&keys).expect("six keys");
        assert!(g.count <= n && g.count > 900);
    }
}
