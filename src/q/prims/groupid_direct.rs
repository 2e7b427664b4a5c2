//! Group ids for one integer key whose values span a small range (db-benchmark's `id4`: 100
//! values in 10M rows): the value's offset from the minimum is its slot, so one pass writing
//! each row's slot and counting the slots gives the ids and the group sizes, with no hashing
//! and no intermediate word per row. The minimum and maximum come from the first rows when
//! they hold the column's (few distinct values), otherwise from a pass of their own. Slots in
//! value order are groups in key order (`groupid`'s numbering); only when some value in the
//! range does not occur are the slots renumbered densely, in one more pass.
//!
//! Secondary threads split the rows into contiguous parts; the extremes, the slots and the
//! counts of parts merge exactly, so `\s N` gives the ids `\s 0` gives.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use super::groupid::Groups;
use super::split;
use crate::obj::{K, *};

/// The groups of one key column when it is an integer type (booleans, bytes, chars, shorts,
/// ints, longs, temporal types) with no attribute and a range of values no wider than the
/// rows allow a table for; None otherwise (the caller ranks the column's words).
pub fn small_range(x: &K) -> Option<Groups> {
    let t = x.t();
    if x.attr() != ATTR_NONE || t <= 0 || t >= XT || matches!(t, KE | KF | KZ | KS | UU) {
        return None;
    }
    if owns_items(t) {
        return None;
    }
    match item_size(t) {
        1 => direct(x.as_slice::<u8>(), |v| v as i64),
        2 => direct(x.as_slice::<i16>(), |v| v as i64),
        4 => direct(x.as_slice::<i32>(), |v| v as i64),
        8 => direct(x.as_slice::<i64>(), |v| v),
        _ => None,
    }
}

/// The widest range given a slot table, for `n` rows: as `groupid::rank_words` bounds its
/// counting table (twice the rows, at least 2^17, below 2^28).
fn fits(span: u64, n: usize) -> bool {
    span < (n as u64).max(1 << 16).saturating_mul(2) && span < 1 << 28
}

fn direct<T: Copy + Sync>(v: &[T], value: impl Fn(T) -> i64 + Sync) -> Option<Groups> {
    let n = v.len();
    if n == 0 || n > u32::MAX as usize {
        return None;
    }
    let parts = split::parts(n);
    let extremes = |v: &[T]| {
        v.iter().fold((i64::MAX, i64::MIN), |(l, h), &x| {
            let x = value(x);
            (l.min(x), h.max(x))
        })
    };
    // The extremes of a first part of the rows: with few distinct values, met early, they are
    // the column's, and one pass over the rows writes the slots (a row outside them stops it).
    let (lo, hi) = extremes(&v[..n.min(1 << 14)]);
    if !fits((hi as i128 - lo as i128) as u64, n) {
        return None;
    }
    if let Some(g) = slots(v, &value, lo, hi, parts) {
        return Some(g);
    }
    let (lo, hi) = split::map_ranges(n, parts, |r| extremes(&v[r]))
        .into_iter()
        .fold((i64::MAX, i64::MIN), |(l, h), (a, b)| (l.min(a), h.max(b)));
    if !fits((hi as i128 - lo as i128) as u64, n) {
        return None;
    }
    slots(v, &value, lo, hi, parts)
}

/// The groups of `v` given bounds of its values (the smallest occurring); None if a value is
/// outside them.
fn slots<T: Copy + Sync>(
    v: &[T],
    value: &(impl Fn(T) -> i64 + Sync),
    lo: i64,
    hi: i64,
    parts: usize,
) -> Option<Groups> {
    let n = v.len();
    let span = hi.wrapping_sub(lo) as u64;
    let width = span as usize + 1;
    let mut id: Vec<u32> = vec![0u32; n];
    let outside = AtomicBool::new(false);
    // Each part's slot counts, by its first row, added up after.
    let counted: Mutex<Vec<(usize, Vec<u32>)>> = Mutex::new(Vec::new());
    split::fill(&mut id, parts, |first, out| {
        let mut count = vec![0u32; width];
        for (g, &x) in out.iter_mut().zip(&v[first..]) {
            let s = value(x).wrapping_sub(lo) as u64;
            if s > span {
                outside.store(true, Ordering::Relaxed);
                return;
            }
            count[s as usize] += 1;
            *g = s as u32;
        }
        counted
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((first, count));
    });
    if outside.into_inner() {
        return None;
    }
    let counted = counted
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut sizes = vec![0i64; width];
    for (_, c) in &counted {
        sizes.iter_mut().zip(c).for_each(|(s, &c)| *s += c as i64);
    }
    if sizes.iter().all(|&c| c > 0) {
        return Some(Groups::new(id, width).with_sizes(sizes));
    }
    // Values missing from the range: slots renumbered to the dense ranks of those present.
    let mut rank = vec![0u32; width];
    let mut next = 0u32;
    for (r, &c) in rank.iter_mut().zip(&sizes) {
        *r = next;
        next += (c > 0) as u32;
    }
    split::fill(&mut id, parts, |_, out| {
        out.iter_mut().for_each(|g| *g = rank[*g as usize]);
    });
    sizes.retain(|&c| c > 0);
    Some(Groups::new(id, next as usize).with_sizes(sizes))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ids and count `groupid::rank_words` gives for the column's order words.
    fn ranked(x: &K) -> (Vec<u32>, usize) {
        let g = groupid_by_words(x);
        (g.id.clone(), g.count)
    }

    fn groupid_by_words(x: &K) -> Groups {
        let w: Vec<u64> = match item_size(x.t()) {
            1 => x.as_slice::<u8>().iter().map(|&v| v as u64).collect(),
            2 => x
                .as_slice::<i16>()
                .iter()
                .map(|&v| (v as i64 as u64) ^ (1 << 63))
                .collect(),
            4 => x
                .as_slice::<i32>()
                .iter()
                .map(|&v| (v as i64 as u64) ^ (1 << 63))
                .collect(),
            _ => x
                .as_slice::<i64>()
                .iter()
                .map(|&v| (v as u64) ^ (1 << 63))
                .collect(),
        };
        let (id, count) = super::super::groupid::rank_words(&w);
        Groups::new(id, count)
    }

    fn check(x: K) {
        let g = small_range(&x).expect("small range");
        let (id, count) = ranked(&x);
        assert_eq!(g.id, id);
        assert_eq!(g.count, count);
        let sizes = g.sizes().to_vec();
        let fresh = Groups::new(id, count);
        assert_eq!(sizes, fresh.sizes());
        // The same with secondary threads.
        let t = split::with_threads(3, || small_range(&x).expect("small range"));
        assert_eq!(t.id, g.id);
        assert_eq!(t.sizes(), g.sizes());
    }

    #[test]
    fn dense_and_gappy_ranges_rank_as_words_do() {
        let n = 300_001usize;
        check(K::from_fn(KJ, n, |i| (i * 7919 % 100) as i64 + 1));
        check(K::from_fn(KJ, n, |i| (i * 7919 % 100) as i64 * 3 - 150));
        check(K::from_fn(KI, n, |i| (i * 31 % 1000) as i32 - 500));
        check(K::from_fn(KH, n, |i| (i % 5) as i16 * 100));
        check(K::from_fn(KG, n, |i| (i * 13 % 256) as u8));
        check(K::from_fn(KD, n, |i| (i % 4000) as i32 * 2));
        // Extremes that the first rows do not hold: the rows are passed over for them.
        check(K::from_fn(KJ, n, |i| {
            if i == n - 1 {
                1000
            } else {
                (i % 10) as i64
            }
        }));
        check(K::from_fn(KI, n, |i| {
            if i == n / 2 {
                -7
            } else {
                (i % 10) as i32
            }
        }));
        check(K::from_slice(KJ, &[5i64, 5, 5]));
        check(K::from_slice(KJ, &[i64::MAX, i64::MAX - 3]));
        check(K::from_slice(KI, &[NI, NI + 5, NI + 1]));
    }

    #[test]
    fn wide_ranges_and_attributes_are_left_to_ranking() {
        assert!(small_range(&K::from_slice(KJ, &[NJ, 0, 1])).is_none());
        assert!(small_range(&K::from_slice(KJ, &[0i64, 1 << 40])).is_none());
        assert!(small_range(&K::from_slice(KF, &[1.0f64, 2.0])).is_none());
        let mut s = K::from_slice(KJ, &[1i64, 2, 3]);
        s.set_attr(ATTR_SORTED);
        assert!(small_range(&s).is_none());
    }
}
