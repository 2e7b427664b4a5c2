//! Group ids for several key columns at once, as one packed integer key per row.
//!
//! Each key column becomes order-preserving codes: an integer column of small range directly
//! as its value less its minimum (no hashing, no ranking), anything else as `groupid`'s dense
//! ranks. The codes of all the keys pack into one word per row, the first key's most
//! significant (bit fields when their widths fit 64 bits, else mixed radix), so that words
//! order as the keys do lexicographically and grouping many keys is grouping one integer.
//!
//! The words are ranked three ways: a small range by a counting table; few distinct words by
//! hashing; many (db-benchmark's six keys, nearly a group per row) by sorting: the rows are
//! partitioned by the words' top bits into buckets a cache holds, each bucket sorted on its
//! own, and the groups then read off in order with their first rows and sizes. Where the
//! groups are many, each group's key values are read back from its word (a shift and a mask
//! per key, then a small table of the key's values) instead of gathered at each group's first
//! row from the whole columns (a cache miss per key per group).

use super::groupid::{column_codes, sort_ids_by_word, Groups};
use super::idtable::IdTable;
use crate::obj::{Sym, K, *};

/// Codes of an integer column whose range is below this are its values less its minimum.
const DIRECT_RANGE: i64 = 1 << 24;
/// Groups from which keys are read back from the packed words rather than gathered.
const DECODE_GROUPS: usize = 1 << 14;
/// Rows per bucket the sorting ranker aims for (a bucket's words and rows stay in L2).
const BUCKET_ROWS: usize = 1 << 11;

/// How one key column's codes read back as its values.
enum Decode {
    /// The value is the code plus this (integers, read at their own width).
    Offset(i64),
    /// The value is item `code` of the column's representative rows (`reps`).
    Values,
    /// Not exactly recoverable from the code (floats: 0.0 and -0.0, NaNs share one): gathered
    /// at each group's first row.
    Gather,
}

/// A key column's codes per row.
enum Codes {
    Offset(i64),
    Ranked(Vec<u32>),
}

struct Column {
    codes: Codes,
    /// Codes are below this.
    card: u64,
    decode: Decode,
}

/// How each group's key values read back from its word: per key, the word's digit and how
/// the digit reads as the key's value.
pub struct PackedKeys {
    /// Each group's word, groups in order.
    words: Vec<u64>,
    /// Per key: its digit's base and stride (word / stride % base), its decoding, and for
    /// `Decode::Values` its values by code.
    digits: Vec<(u64, u64)>,
    decode: Vec<Decode>,
    values: Vec<Option<K>>,
}

/// Small integer views of a column, for direct codes.
enum Ints<'a> {
    U8(&'a [u8]),
    I16(&'a [i16]),
    I32(&'a [i32]),
    I64(&'a [i64]),
}

fn ints(x: &K) -> Option<Ints<'_>> {
    let t = x.t();
    // Enumerations and other types beyond the temporal ones are left to `column_codes`.
    if t == KS || t == UU || matches!(t, KE | KF | KZ) || !(1..=KT).contains(&t) {
        return None;
    }
    Some(match item_size(t) {
        1 => Ints::U8(x.as_slice::<u8>()),
        2 => Ints::I16(x.as_slice::<i16>()),
        4 => Ints::I32(x.as_slice::<i32>()),
        8 => Ints::I64(x.as_slice::<i64>()),
        _ => return None,
    })
}

/// An integer item read as a long.
trait Wide: Copy {
    fn wide(self) -> i64;
}

macro_rules! wide {
    ($($t:ty),*) => {$(
        impl Wide for $t {
            #[inline]
            fn wide(self) -> i64 {
                self.into()
            }
        }
    )*};
}
wide!(u8, i16, i32, i64);

/// Runs `$body` with `$v` bound to the column's items.
macro_rules! with_ints {
    ($ints:expr, $v:ident, $body:expr) => {
        match $ints {
            Ints::U8($v) => $body,
            Ints::I16($v) => $body,
            Ints::I32($v) => $body,
            Ints::I64($v) => $body,
        }
    };
}

fn column(x: &K) -> Option<Column> {
    if let Some(v) = ints(x) {
        let (lo, hi) = with_ints!(v, s, {
            s.iter().fold((i64::MAX, i64::MIN), |(l, h), &a| {
                let a = a.wide();
                (l.min(a), h.max(a))
            })
        });
        if hi >= lo && (hi as i128 - lo as i128) < DIRECT_RANGE as i128 {
            return Some(Column {
                codes: Codes::Offset(lo),
                card: (hi - lo) as u64 + 1,
                decode: Decode::Offset(lo),
            });
        }
    }
    let (codes, card) = column_codes(x)?;
    let decode = if matches!(x.t(), KE | KF | KZ) || !(1..=KT).contains(&x.t()) {
        Decode::Gather
    } else {
        Decode::Values
    };
    Some(Column {
        codes: Codes::Ranked(codes),
        card: card as u64,
        decode,
    })
}

/// The groups of several key columns (of equal count, at least one row), or None where a key
/// is of a type this does not handle or the keys' codes do not pack into 64 bits (the caller
/// then groups as before).
pub fn groups(keys: &[K]) -> Option<Groups> {
    let n = keys.first()?.n();
    let cols: Vec<Column> = keys.iter().map(column).collect::<Option<_>>()?;
    let product = cols
        .iter()
        .try_fold(1u64, |p, c| p.checked_mul(c.card.max(1)))?;
    // A small product is ranked by a counting table, whose size is the product: mixed radix.
    // Otherwise bit fields where they fit, so that a key reads back with a shift and a mask.
    let small = product < (n as u64).max(1 << 16).saturating_mul(2) && product < 1 << 28;
    let bits: u32 = cols.iter().map(|c| bits_for(c.card)).sum();
    let fields = !small && bits <= 64;
    let base = |c: &Column| {
        if fields {
            1u64 << bits_for(c.card)
        } else {
            c.card.max(1)
        }
    };
    let mut words: Vec<u64> = vec![0; n];
    let mut reps: Vec<Option<Vec<u32>>> = Vec::with_capacity(cols.len());
    for (k, (c, x)) in cols.iter().zip(keys).enumerate() {
        let b = base(c);
        let first = k == 0;
        match &c.codes {
            Codes::Offset(lo) => {
                let lo = *lo;
                with_ints!(ints(x)?, v, {
                    for (w, &a) in words.iter_mut().zip(v) {
                        let code = a.wide().wrapping_sub(lo) as u64;
                        *w = if first { code } else { *w * b + code };
                    }
                });
                reps.push(None);
            }
            Codes::Ranked(codes) => {
                for (w, &code) in words.iter_mut().zip(codes) {
                    *w = if first {
                        code as u64
                    } else {
                        *w * b + code as u64
                    };
                }
                // Representative rows of each code, for reading values back (many groups
                // only: they come from the codes' last use here).
                reps.push((!small && matches!(c.decode, Decode::Values)).then(|| {
                    let mut r = vec![u32::MAX; c.card as usize];
                    for (i, &code) in codes.iter().enumerate().rev() {
                        r[code as usize] = i as u32;
                    }
                    r
                }));
            }
        }
    }
    let mut stride = 1u64;
    let mut digits = vec![(0u64, 0u64); cols.len()];
    for (k, c) in cols.iter().enumerate().rev() {
        digits[k] = (base(c), stride);
        stride = stride.wrapping_mul(base(c));
    }
    let values: Vec<Option<K>> = reps
        .iter()
        .zip(keys)
        .map(|(r, x)| {
            r.as_ref().map(|r| {
                let at: Vec<i64> = r.iter().map(|&i| i as i64).collect();
                super::kit::gather(x, &at)
            })
        })
        .collect();
    let decode: Vec<Decode> = cols.into_iter().map(|c| c.decode).collect();
    let gather = decode.iter().any(|d| matches!(d, Decode::Gather));
    let packed = |words: Vec<u64>| PackedKeys {
        words,
        digits,
        decode,
        values,
    };
    if small {
        let (id, count, distinct) = rank_counted(&words);
        return Some(if count >= DECODE_GROUPS {
            Groups::new(id, count).with_keys(packed(distinct))
        } else {
            Groups::new(id, count)
        });
    }
    if many_distinct(&words) {
        let s = rank_sorted(&words);
        // First rows are kept only where a key must be read at them.
        let g = Groups::new(s.id, s.count).with_sizes(s.sizes);
        let g = if gather { g.with_firsts(s.firsts) } else { g };
        return Some(g.with_keys(packed(s.words)));
    }
    let (id, count, distinct) = rank_hashed(&words);
    Some(if count >= DECODE_GROUPS {
        Groups::new(id, count).with_keys(packed(distinct))
    } else {
        Groups::new(id, count)
    })
}

/// Bits that hold codes below `card`.
fn bits_for(card: u64) -> u32 {
    64 - card.saturating_sub(1).leading_zeros()
}

impl PackedKeys {
    /// Key `k`'s column (whose rows were grouped) with each group's value, or None where the
    /// value must be read at the group's first row.
    pub fn column(&self, k: usize, x: &K) -> Option<K> {
        let (base, stride) = self.digits[k];
        let count = self.words.len();
        let w = &self.words;
        let fields = base.is_power_of_two() && stride.is_power_of_two();
        let (shift, mask) = (stride.trailing_zeros(), base.wrapping_sub(1));
        let code = |g: usize| -> usize {
            if fields {
                ((w[g] >> shift) & mask) as usize
            } else {
                ((w[g] / stride) % base) as usize
            }
        };
        let t = x.t();
        match self.decode[k] {
            Decode::Gather => None,
            Decode::Offset(lo) => Some(match item_size(t) {
                1 => K::from_fn(t, count, |g| (lo + code(g) as i64) as u8),
                2 => K::from_fn(t, count, |g| (lo + code(g) as i64) as i16),
                4 => K::from_fn(t, count, |g| (lo + code(g) as i64) as i32),
                _ => K::from_fn(t, count, |g| lo + code(g) as i64),
            }),
            Decode::Values => {
                let v = self.values[k].as_ref()?;
                if v.t() != t {
                    return None;
                }
                Some(match t {
                    KS => {
                        let s = v.as_slice::<Sym>();
                        let mut out = K::vector(KS, count);
                        for (g, o) in out.as_mut_slice::<Sym>().iter_mut().enumerate() {
                            *o = s[code(g)];
                        }
                        out
                    }
                    _ => match item_size(t) {
                        1 => pick(v.as_slice::<u8>(), t, count, code),
                        2 => pick(v.as_slice::<i16>(), t, count, code),
                        4 => pick(v.as_slice::<i32>(), t, count, code),
                        8 => pick(v.as_slice::<i64>(), t, count, code),
                        _ => return None,
                    },
                })
            }
        }
    }
}

fn pick<T: Item>(v: &[T], t: i8, count: usize, code: impl Fn(usize) -> usize) -> K {
    K::from_fn(t, count, |g| v[code(g)])
}

/// Dense ranks of words of a small range by a counting table, how many, and the distinct
/// words in order.
fn rank_counted(w: &[u64]) -> (Vec<u32>, usize, Vec<u64>) {
    let hi = w.iter().copied().max().unwrap_or(0);
    let mut rank = vec![0u32; hi as usize + 1];
    for &v in w {
        rank[v as usize] = 1;
    }
    let mut distinct = Vec::new();
    for (v, r) in rank.iter_mut().enumerate() {
        if *r != 0 {
            *r = distinct.len() as u32;
            distinct.push(v as u64);
        }
    }
    let id: Vec<u32> = w.iter().map(|&v| rank[v as usize]).collect();
    let count = distinct.len();
    (id, count, distinct)
}

/// Dense ranks of words by hashing (ids in order of first occurrence, then the distinct words
/// sorted), how many, and the distinct words in order.
fn rank_hashed(w: &[u64]) -> (Vec<u32>, usize, Vec<u64>) {
    let mut index = IdTable::new(1024);
    let mut id: Vec<u32> = w.iter().map(|&v| index.id(v)).collect();
    let order = sort_ids_by_word(&index.words);
    let mut rank = vec![0u32; order.len()];
    for (k, &g) in order.iter().enumerate() {
        rank[g as usize] = k as u32;
    }
    id.iter_mut().for_each(|g| *g = rank[*g as usize]);
    let distinct: Vec<u64> = order.iter().map(|&g| index.words[g as usize]).collect();
    (id, order.len(), distinct)
}

/// Whether a sample spread over the rows suggests many distinct words (s draws with c repeats
/// suggest about s^2/2c distinct): then sorting beats a hash table beyond the caches.
fn many_distinct(w: &[u64]) -> bool {
    let n = w.len();
    if n < 1 << 16 {
        return false;
    }
    let s = n.min(1 << 14);
    let mut index = IdTable::new(s);
    (0..s).for_each(|k| {
        index.id(w[k * (n / s)]);
    });
    let repeats = (s - index.words.len()).max(1);
    s * s / (2 * repeats) >= 1 << 16
}

/// Groups found by sorting.
struct Sorted {
    id: Vec<u32>,
    count: usize,
    sizes: Vec<i64>,
    firsts: Vec<i64>,
    /// Each group's word.
    words: Vec<u64>,
}

/// Ranks words by sorting them with their rows: a counting pass on the words' top bits
/// partitions the rows into buckets (each bucket's rows kept in row order), then each bucket
/// is sorted on its own and its runs of equal words are its groups, in order. A bucket's
/// entries are its word's low bits and the entry's place in the bucket packed in one word
/// (its row is looked up by that place) where they fit, else (word, row) pairs.
fn rank_sorted(w: &[u64]) -> Sorted {
    let n = w.len();
    let (lo, hi) = w
        .iter()
        .fold((u64::MAX, 0u64), |(l, h), &v| (l.min(v), h.max(v)));
    let span_bits = 64 - (hi - lo).leading_zeros();
    let want = (n / BUCKET_ROWS)
        .max(2)
        .next_power_of_two()
        .trailing_zeros();
    let radix = want.min(span_bits).min(16);
    let shift = span_bits - radix;
    let buckets = 1usize << radix;
    let bucket = |v: u64| ((v - lo) >> shift) as usize;
    let mut start = vec![0usize; buckets + 1];
    for &v in w {
        start[bucket(v) + 1] += 1;
    }
    let biggest = start.iter().copied().max().unwrap_or(0) as u64;
    for b in 0..buckets {
        start[b + 1] += start[b];
    }
    let low_mask = if shift == 0 {
        0
    } else {
        u64::MAX >> (64 - shift)
    };
    let place_bits = bits_for(biggest);
    // Room for a group per row: untouched room costs address space only, and no group list
    // is copied as it grows.
    let mut out = Sorted {
        id: vec![0u32; n],
        count: 0,
        sizes: Vec::with_capacity(n),
        firsts: Vec::with_capacity(n),
        words: Vec::with_capacity(n),
    };
    let mut rows = vec![0u32; n];
    if shift + place_bits <= 64 {
        let mut keys = vec![0u64; n];
        let mut at = start.clone();
        for (r, &v) in w.iter().enumerate() {
            let b = bucket(v);
            let p = at[b];
            at[b] = p + 1;
            keys[p] = (((v - lo) & low_mask) << place_bits) | (p - start[b]) as u64;
            rows[p] = r as u32;
        }
        let place_mask = if place_bits == 0 {
            0
        } else {
            u64::MAX >> (64 - place_bits)
        };
        for b in 0..buckets {
            let (s, e) = (start[b], start[b + 1]);
            let part = &mut keys[s..e];
            part.sort_unstable();
            let high = lo + ((b as u64) << shift);
            let mut prev = u64::MAX;
            for &k in part.iter() {
                let low = k >> place_bits;
                let row = rows[s + (k & place_mask) as usize];
                out.take(low != prev, high + low, row);
                prev = low;
            }
        }
    } else {
        let mut pairs = vec![(0u64, 0u32); n];
        let mut at = start.clone();
        for (r, &v) in w.iter().enumerate() {
            let b = bucket(v);
            pairs[at[b]] = (v, r as u32);
            at[b] += 1;
        }
        for b in 0..buckets {
            let part = &mut pairs[start[b]..start[b + 1]];
            part.sort_unstable();
            let mut prev = None;
            for &(v, row) in part.iter() {
                out.take(prev != Some(v), v, row);
                prev = Some(v);
            }
        }
    }
    drop(rows);
    out.count = out.words.len();
    out
}

impl Sorted {
    /// The next row in sorted order: a new group's first row when `new`.
    #[inline]
    fn take(&mut self, new: bool, word: u64, row: u32) {
        if new {
            self.words.push(word);
            self.firsts.push(row as i64);
            self.sizes.push(0);
        }
        let g = self.words.len() - 1;
        self.sizes[g] += 1;
        self.id[row as usize] = g as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The groups the ranks of one combined column give: ids by key order, first rows, sizes.
    fn reference(keys: &[K]) -> (Vec<u32>, usize, Vec<i64>, Vec<i64>) {
        let n = keys[0].n();
        let mut rows: Vec<usize> = (0..n).collect();
        let codes: Vec<Vec<u32>> = keys.iter().map(|k| column_codes(k).unwrap().0).collect();
        let key = |r: usize| -> Vec<u32> { codes.iter().map(|c| c[r]).collect() };
        rows.sort_by_key(|&r| (key(r), r));
        let mut id = vec![0u32; n];
        let (mut firsts, mut sizes) = (Vec::new(), Vec::<i64>::new());
        let mut prev: Option<Vec<u32>> = None;
        for &r in &rows {
            if prev.as_ref() != Some(&key(r)) {
                firsts.push(r as i64);
                sizes.push(0);
                prev = Some(key(r));
            }
            *sizes.last_mut().unwrap() += 1;
            id[r] = firsts.len() as u32 - 1;
        }
        (id, firsts.len(), firsts, sizes)
    }

    fn check(keys: &[K]) {
        let g = groups(keys).expect("groups");
        let (id, count, firsts, sizes) = reference(keys);
        assert_eq!(g.count, count);
        assert_eq!(g.id, id);
        assert_eq!(g.firsts(), firsts);
        assert_eq!(g.sizes(), &sizes[..]);
        for (k, x) in keys.iter().enumerate() {
            let want = super::super::kit::gather(x, &firsts);
            let got = g.key_column(k, x);
            assert_eq!((got.t(), got.n()), (want.t(), want.n()));
            assert_eq!(got.bytes(), want.bytes(), "key {k}");
        }
    }

    fn lcg(seed: &mut u64) -> u64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *seed >> 33
    }

    #[test]
    fn six_keys_of_many_groups_sort_and_read_back() {
        let n = 300_000;
        let mut seed = 7u64;
        let names: Vec<Sym> = (0..150).map(|i| Sym::new(format!("id{i:03}"))).collect();
        let mut sym = |m: u64| -> K {
            let v: Vec<Sym> = (0..n)
                .map(|_| names[(lcg(&mut seed) % m) as usize])
                .collect();
            K::from_slice(KS, &v)
        };
        let (a, b) = (sym(100), sym(150));
        let mut long = |m: u64, off: i64| K::from_fn(KJ, n, |_| off + (lcg(&mut seed) % m) as i64);
        let (c, d) = (long(100_000, -5), long(100, 1));
        let e = K::from_fn(KI, n, |i| ((i * 7919) % 90) as i32 - 40);
        let f = K::from_fn(KF, n, |i| [0.0, -0.0, 1.5, f64::NAN][(i * 31) % 4]);
        check(&[
            a.clone(),
            b.clone(),
            c.clone(),
            d.clone(),
            e.clone(),
            f.clone(),
        ]);
        check(&[f, c.clone(), a.clone()]);
        // Wide longs (ranked, not direct) beside syms.
        let wide = K::from_fn(KJ, n, |i| ((i % 5000) as i64 - 2500) * (1 << 40));
        check(&[wide, a, d]);
    }

    #[test]
    fn few_keys_count_or_hash() {
        let n = 100_000;
        let a = K::from_fn(KJ, n, |i| (i % 37) as i64 * 1000);
        let b = K::from_fn(KH, n, |i| ((i * 13) % 11) as i16);
        let c = K::from_fn(KG, n, |i| (i % 200) as u8);
        check(&[a.clone(), b.clone()]);
        check(&[b, c, a]);
        // Nulls order first.
        let d = K::from_fn(KJ, n, |i| if i % 7 == 0 { NJ } else { (i % 3) as i64 });
        let e = K::from_fn(KJ, n, |i| (i / 3 % 40_000) as i64 * 77);
        check(&[d, e]);
    }

    /// The three rankers agree, on words whose buckets pack (word, place) in one word and on
    /// words whose do not.
    #[test]
    fn rankers_agree() {
        let mut seed = 11u64;
        for (n, spread) in [(70_000usize, 1u64 << 20), (200_000, u64::MAX >> 1), (5, 9)] {
            let w: Vec<u64> = (0..n)
                .map(|_| (lcg(&mut seed) << 31 ^ lcg(&mut seed)) % spread)
                .collect();
            let (id, count, distinct) = rank_hashed(&w);
            let s = rank_sorted(&w);
            assert_eq!(
                (s.id, s.count, s.words),
                (id.clone(), count, distinct.clone())
            );
            let mut firsts = vec![-1i64; count];
            let mut sizes = vec![0i64; count];
            for (r, &g) in id.iter().enumerate().rev() {
                firsts[g as usize] = r as i64;
                sizes[g as usize] += 1;
            }
            assert_eq!((s.firsts, s.sizes), (firsts, sizes));
            if spread < 1 << 24 {
                assert_eq!(rank_counted(&w), (id, count, distinct));
            }
        }
    }
}
