//! Group ids for many distinct keys on the secondary threads, with no merge of per-thread
//! tables: rows are radix-partitioned by a hash of their key word, and each partition is then
//! hashed on its own.
//!
//! Why: hashing row ranges apart and merging the ranges' tables costs a serial pass over
//! threads x distinct keys, which grows with the thread count and, with many distinct keys, is
//! the whole work again. Partitioning by hash instead sends every row of one key to the same
//! partition, so partitions' keys are disjoint: each partition's table is built independently
//! (and small enough to stay in cache, which pays even on one thread), and nothing is merged.
//!
//! The steps, each split across the threads but the third:
//! 1. each thread sorts its contiguous chunk of rows' key words by partition (a counting sort
//!    on the hash's top bits; a partition's rows stay in row order): `groupparts::scatter_items`
//!    (the words themselves, so that step 2 reads them in order, not all over the column);
//! 2. each partition gives its rows local ids in its order of first occurrence (`IdTable`);
//! 3. the partitions' distinct keys, concatenated, are ranked in key order: O(distinct), the
//!    only serial step (a radix sort of words, or a sort of symbol names by text);
//! 4. each thread writes its chunk's ids in row order, taking each row's local id from its
//!    partition's list (one cursor per partition: where that chunk's rows begin in it).
//!
//! The hash is a different multiplier's top bits than `IdTable`'s, so that a partition's keys
//! (which share these bits) still spread over its table.

use super::groupparts::scatter_items;
use super::idtable::IdTable;
use super::split;

/// Rows below which the partitioned path does not pay.
const MIN_ROWS: usize = 1 << 18;

/// Whether partitioning pays over one pass with one table: it moves every row's key about
/// three more times, which four threads repay whatever the keys; with two or three it pays
/// only where one table of all the keys would be far beyond the caches (about a million
/// distinct keys, estimated from a sample spread over the rows: s draws with c repeats
/// suggest about s^2/2c distinct).
pub fn pays(n: usize, threads: usize, word: &dyn Fn(usize) -> u64) -> bool {
    if threads < 2 || n < MIN_ROWS {
        return false;
    }
    if threads >= 4 {
        return true;
    }
    let s = n.min(1 << 14);
    let mut index = IdTable::new(s);
    (0..s).for_each(|k| {
        index.id(word(k * (n / s)));
    });
    let repeats = (s - index.words.len()).max(1);
    s * s / (2 * repeats) >= 1 << 20
}

/// What a row puts in its partition: its key word (and, for symbols, its row).
trait Keyed: Copy + Default + Send + Sync {
    fn word(self) -> u64;
}

impl Keyed for u64 {
    fn word(self) -> u64 {
        self
    }
}

impl Keyed for (u64, u32) {
    fn word(self) -> u64 {
        self.0
    }
}

/// The partitions: each one's local ids (in its row order) and distinct items (first seen).
struct Hashed<T> {
    bits: u32,
    /// Each chunk's count of rows in each partition (prefix offsets).
    offs: Vec<Vec<usize>>,
    local: Vec<Vec<u32>>,
    distinct: Vec<Vec<T>>,
}

fn part_of(w: u64, bits: u32) -> usize {
    if bits == 0 {
        0
    } else {
        (w.wrapping_mul(0xD6E8_FEB8_6659_FD93) >> (64 - bits)) as usize
    }
}

fn hash_partition<T: Keyed>(
    n: usize,
    threads: usize,
    item: impl Fn(usize) -> T + Sync,
) -> Hashed<T> {
    // About 32k rows a partition (tables stay in cache), at least four per thread.
    let parts = (n >> 15)
        .max(threads * 4)
        .clamp(1, 1 << 12)
        .next_power_of_two();
    let bits = parts.trailing_zeros();
    let chunks = scatter_items(n, threads, parts, |i| part_of(item(i).word(), bits), &item);
    let per = split::map_items(parts, threads, |j| {
        let mut index = IdTable::new(1024);
        let mut local = Vec::new();
        let mut distinct = Vec::new();
        for (items, off) in &chunks {
            for &x in &items[off[j]..off[j + 1]] {
                let g = index.id(x.word());
                if g as usize == distinct.len() {
                    distinct.push(x);
                }
                local.push(g);
            }
        }
        (local, distinct)
    });
    let (local, distinct) = per.into_iter().unzip();
    Hashed {
        bits,
        offs: chunks.into_iter().map(|c| c.1).collect(),
        local,
        distinct,
    }
}

impl<T: Keyed> Hashed<T> {
    /// Every row's rank, given each distinct item's rank (numbered partition after partition).
    fn write(&self, n: usize, rank: &[u32], word: impl Fn(usize) -> u64 + Sync) -> Vec<u32> {
        let parts = self.local.len();
        let mut base = Vec::with_capacity(parts);
        let mut d = 0;
        for x in &self.distinct {
            base.push(d);
            d += x.len();
        }
        // Where each chunk's rows begin in each partition's list.
        let mut starts = vec![vec![0usize; parts]; self.offs.len()];
        for j in 0..parts {
            let mut at = 0;
            for (t, off) in self.offs.iter().enumerate() {
                starts[t][j] = at;
                at += off[j + 1] - off[j];
            }
        }
        let mut id = vec![0u32; n];
        let per = n.div_ceil(self.offs.len().max(1)).max(1);
        split::fill(&mut id, self.offs.len(), |first, out| {
            let mut at = starts[first / per].clone();
            for (i, g) in out.iter_mut().enumerate() {
                let j = part_of(word(first + i), self.bits);
                *g = rank[base[j] + self.local[j][at[j]] as usize];
                at[j] += 1;
            }
        });
        id
    }
}

/// Ranks from an order: `order[k]` gets rank k.
fn ranks(order: &[u32]) -> Vec<u32> {
    let mut rank = vec![0u32; order.len()];
    for (k, &g) in order.iter().enumerate() {
        rank[g as usize] = k as u32;
    }
    rank
}

/// Dense ranks of words (ranks follow the words' order) and how many distinct there are.
pub fn rank_words(w: &[u64], threads: usize) -> (Vec<u32>, usize) {
    let h = hash_partition(w.len(), threads, |i| w[i]);
    let all: Vec<u64> = h.distinct.concat();
    let rank = ranks(&super::groupid::sort_ids_by_word(&all));
    (h.write(w.len(), &rank, |i| w[i]), all.len())
}

/// Dense ranks of symbols (ranked by their text) and how many distinct there are.
pub fn rank_syms(s: &[crate::obj::Sym], threads: usize) -> (Vec<u32>, usize) {
    let word = |i: usize| s[i].as_ptr() as usize as u64;
    let h = hash_partition(s.len(), threads, |i| (word(i), i as u32));
    let names: Vec<crate::obj::Sym> = h
        .distinct
        .iter()
        .flatten()
        .map(|&(_, r)| s[r as usize])
        .collect();
    let mut order: Vec<u32> = (0..names.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| {
        super::compare::sym_order(&names[a as usize], &names[b as usize])
    });
    (h.write(s.len(), &ranks(&order), word), names.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::obj::Sym;

    #[test]
    fn partitioned_ranks_equal_one_pass_ranks() {
        let n = 300_000;
        let w: Vec<u64> = (0..n as u64)
            .map(|i| ((i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) % 50_021) << 20)
            .collect();
        let one = super::super::groupid::rank_words(&w);
        assert_eq!(rank_words(&w, 3), one);
        assert_eq!(one.1, 50_021);
        let names: Vec<Sym> = (0..5000).map(|i| Sym::new(format!("k{i}"))).collect();
        let s: Vec<Sym> = (0..n).map(|i| names[i * 7919 % 5000]).collect();
        let (id, count) = rank_syms(&s, 2);
        assert_eq!(count, 5000);
        // Ranked by text: k0 < k1 < k10 < k100 ...
        let mut sorted: Vec<&Sym> = names.iter().collect();
        sorted.sort_by(|a, b| super::super::compare::sym_order(a, b));
        assert!(id.iter().zip(&s).all(|(&g, v)| sorted[g as usize] == v));
        assert!(pays(n, 4, &|i| w[i]) && !pays(n, 2, &|i| w[i]) && !pays(n, 1, &|i| w[i]));
    }
}
