//! Several `avg`s of long columns by the same groups in one pass over the group ids
//! (db-benchmark q4): each row's group read once for all the columns, the groups' integer sums
//! side by side. Each result is the one `grouped::aggregate` gives alone, to the bit; a column
//! this pass does not settle (one with a null, or too large for exact integer sums) is left to
//! it. Sums are not fused: their pass alone is lighter (no extremes), and fused they measured
//! slower (q5's by 100k groups 147 -> 175 ms CPU at 10M rows).

use super::grouped::{aggregate, Agg};
use super::groupid::Groups;
use crate::obj::*;

/// Most columns one pass takes (the sums of a group stay on one cache line).
const MOST: usize = 4;

/// Most groups fused: beyond, the groups' sums side by side outgrow the caches and a pass per
/// column is faster (10M rows, two avgs: by 100 groups 100 -> 82 ms CPU fused, by 10k 141 ->
/// 126, by 100k 61 -> 84).
const MOST_GROUPS: usize = 1 << 14;

/// `aggs[c]` of `cols[c]` per group, for each c, or None for a column not computed here
/// (not a long column, not `avg`, or fewer than two such).
pub fn avgs(g: &Groups, aggs: &[Agg], cols: &[&K]) -> Vec<Option<K>> {
    let fits = |c: usize| aggs[c] == Agg::Avg && cols[c].t() == KJ && cols[c].n() == g.id.len();
    let mut out: Vec<Option<K>> = (0..cols.len()).map(|_| None).collect();
    if g.count > MOST_GROUPS {
        return out;
    }
    let picked: Vec<usize> = (0..cols.len()).filter(|&c| fits(c)).collect();
    for part in picked.chunks(MOST) {
        match part.len() {
            1 => {}
            2 => settle_part::<2>(g, aggs, cols, part, &mut out),
            3 => settle_part::<3>(g, aggs, cols, part, &mut out),
            _ => settle_part::<4>(g, aggs, cols, part, &mut out),
        }
    }
    out
}

/// The results of the `M` columns `part` from one fused pass.
fn settle_part<const M: usize>(
    g: &Groups,
    aggs: &[Agg],
    cols: &[&K],
    part: &[usize],
    out: &mut [Option<K>],
) {
    let vs: Vec<&[i64]> = part.iter().map(|&c| cols[c].as_slice::<i64>()).collect();
    let (s, lo, hi) = fused::<M>(g, &vs);
    for (j, &c) in part.iter().enumerate() {
        out[c] = settle(g, aggs[c], cols[c], &s, g.count, M, j, lo[j], hi[j]);
    }
}

/// Column j's avgs from the fused sums (`m` columns, `n` groups), or what `avg` alone gives
/// where a null (the minimum is null) or the size of the items rules those out.
#[allow(clippy::too_many_arguments)]
fn settle(
    g: &Groups,
    agg: Agg,
    x: &K,
    s: &[i64],
    n: usize,
    m: usize,
    j: usize,
    lo: i64,
    hi: i64,
) -> Option<K> {
    if lo == NJ {
        return aggregate(g, agg, &[x]);
    }
    // Every group's sum below 2^53 in magnitude: exact as floats, as `avg` alone has it.
    let top = lo.unsigned_abs().max(hi.unsigned_abs()) as u128;
    if top * (g.id.len() as u128) >= 1 << 53 {
        return aggregate(g, agg, &[x]);
    }
    let avg: Vec<f64> = (0..n)
        .zip(g.sizes())
        .map(|(k, &c)| s[k * m + j] as f64 / c as u64 as f64)
        .collect();
    Some(K::from_slice(KF, &avg))
}

/// Per group the wrapping sums of the `M` columns (group k's at k*M..), and each column's
/// smallest and largest item, in one pass over the rows (split as `Groups::merged` splits).
#[allow(clippy::type_complexity)]
fn fused<const M: usize>(g: &Groups, vs: &[&[i64]]) -> (Vec<i64>, [i64; M], [i64; M]) {
    use std::sync::Mutex;
    let vs: [&[i64]; M] = std::array::from_fn(|c| vs[c]);
    let id = &g.id[..];
    let ext = Mutex::new(([i64::MAX; M], [i64::MIN; M]));
    let s = g.merged(
        |rows, first, n| {
            let mut s = vec![[0i64; M]; n];
            let (mut l, mut h) = ([i64::MAX; M], [i64::MIN; M]);
            rows.each(|r| {
                let a = &mut s[id[r] as usize - first];
                for c in 0..M {
                    let v = vs[c][r];
                    a[c] = a[c].wrapping_add(v);
                    l[c] = l[c].min(v);
                    h[c] = h[c].max(v);
                }
            });
            let mut e = ext.lock().unwrap_or_else(|p| p.into_inner());
            for c in 0..M {
                e.0[c] = e.0[c].min(l[c]);
                e.1[c] = e.1[c].max(h[c]);
            }
            s
        },
        |a, b| std::array::from_fn(|c| a[c].wrapping_add(b[c])),
    );
    let (lo, hi) = ext.into_inner().unwrap_or_else(|p| p.into_inner());
    (s.into_iter().flatten().collect(), lo, hi)
}
