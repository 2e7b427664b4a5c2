//! Rows arranged by contiguous ranges of group ids, so that per-group aggregation splits across
//! the secondary threads by groups rather than by rows.
//!
//! Why by groups: a float sum, a float extreme (which of two equal zeros survives) and a product
//! depend on the order their items are met. Splitting rows across threads and merging partial
//! results changes that order; splitting groups does not, when each group's rows are all
//! visited by one thread, in row order, by the same kernel the serial path runs. Results with
//! `\s 0` and `\s N` are then equal to the bit by construction. It also needs no per-thread
//! table of all groups (memory and a merge of threads x groups), so it scales with the thread
//! count and with the number of groups alike.
//!
//! The layout: the rows are cut into one contiguous chunk per thread; each thread sorts its
//! chunk's row indices by part (a counting sort on the group id's high bits, each part's rows
//! staying in row order). Part j's rows are then its segment of every chunk, chunk after chunk:
//! all of its rows, in row order. Parts are equal ranges of group ids (a power of two wide,
//! so a row's part is a shift), about four per thread so that uneven parts balance.

use super::split;

/// The rows a kernel visits: a range of rows (all of them in the serial pass), or a part's
/// segments in row order.
pub enum Rows<'a> {
    Range(std::ops::Range<usize>),
    Segs(Vec<&'a [u32]>),
}

impl Rows<'_> {
    /// `f` of each row, in row order.
    #[inline(always)]
    pub fn each(&self, mut f: impl FnMut(usize)) {
        match self {
            Rows::Range(r) => r.clone().for_each(f),
            Rows::Segs(segs) => {
                for seg in segs {
                    for &r in *seg {
                        f(r as usize)
                    }
                }
            }
        }
    }

    /// `f(group - lo, item)` of each row, in row order (a range walks `id` and `v` side by
    /// side, as a one-pass loop does).
    #[inline(always)]
    pub fn pairs<T: Copy>(&self, id: &[u32], lo: usize, v: &[T], mut f: impl FnMut(usize, T)) {
        match self {
            Rows::Range(r) => id[r.clone()]
                .iter()
                .zip(&v[r.clone()])
                .for_each(|(&g, &x)| f(g as usize - lo, x)),
            Rows::Segs(segs) => {
                for seg in segs {
                    for &r in *seg {
                        let r = r as usize;
                        f(id[r] as usize - lo, v[r])
                    }
                }
            }
        }
    }
}

/// Rows by ranges of group ids (see the module header).
pub struct Parts {
    /// Part j holds groups `j << shift .. (j + 1) << shift` (the last one fewer).
    shift: u32,
    parts: usize,
    count: usize,
    /// Each chunk's rows, arranged part after part, and where each part starts in it.
    chunks: Vec<(Vec<u32>, Vec<usize>)>,
}

/// Parts per thread: enough that a thread finishing early takes another.
const PARTS_PER_THREAD: usize = 4;

impl Parts {
    /// The layout of `id` (groups 0..count) for `threads` threads, built on them.
    pub fn build(id: &[u32], count: usize, threads: usize) -> Parts {
        let want = (threads * PARTS_PER_THREAD).max(1);
        let shift = count
            .div_ceil(want)
            .max(1)
            .next_power_of_two()
            .trailing_zeros();
        let parts = count.div_ceil(1 << shift).max(1);
        let chunks = scatter(id.len(), threads, parts, |i| (id[i] >> shift) as usize);
        Parts {
            shift,
            parts,
            count,
            chunks,
        }
    }

    pub fn part_count(&self) -> usize {
        self.parts
    }

    /// Part j's groups.
    pub fn groups(&self, j: usize) -> std::ops::Range<usize> {
        (j << self.shift)..((j + 1) << self.shift).min(self.count)
    }

    /// Part j's rows, in row order.
    pub fn rows(&self, j: usize) -> Rows<'_> {
        part_rows(&self.chunks, j)
    }
}

/// Row indices 0..n cut into one contiguous chunk per thread, each chunk's rows sorted by
/// `part_of` (0..parts; a counting sort, each part's rows staying in row order), with where
/// each part starts in the chunk; built on the threads.
pub fn scatter(
    n: usize,
    threads: usize,
    parts: usize,
    part_of: impl Fn(usize) -> usize + Sync,
) -> Vec<(Vec<u32>, Vec<usize>)> {
    scatter_items(n, threads, parts, part_of, |i| i as u32)
}

/// As `scatter`, each row given as `item(row)` (what the part's work reads, so that it reads
/// it in order rather than from all over the column).
pub fn scatter_items<T: Copy + Default + Send>(
    n: usize,
    threads: usize,
    parts: usize,
    part_of: impl Fn(usize) -> usize + Sync,
    item: impl Fn(usize) -> T + Sync,
) -> Vec<(Vec<T>, Vec<usize>)> {
    split::map_ranges(n, threads, |r| {
        let mut off = vec![0usize; parts + 1];
        r.clone().for_each(|i| off[part_of(i) + 1] += 1);
        for j in 0..parts {
            off[j + 1] += off[j];
        }
        let mut at = off.clone();
        let mut items = vec![T::default(); r.len()];
        r.for_each(|i| {
            let j = part_of(i);
            items[at[j]] = item(i);
            at[j] += 1;
        });
        (items, off)
    })
}

/// Part j's rows of `scatter`'s chunks: its segment of each chunk, chunk after chunk.
pub fn part_rows(chunks: &[(Vec<u32>, Vec<usize>)], j: usize) -> Rows<'_> {
    Rows::Segs(
        chunks
            .iter()
            .map(|(rows, off)| &rows[off[j]..off[j + 1]])
            .collect(),
    )
}

/// `kernel(rows, first group, groups)` giving one result per group: over the parts on the
/// threads when `parts` is given (their results joined in group order), else over all rows.
pub fn by_groups<T: Send>(
    parts: Option<&Parts>,
    count: usize,
    rows: usize,
    kernel: impl Fn(&Rows, usize, usize) -> Vec<T> + Sync,
) -> Vec<T> {
    match parts {
        None => kernel(&Rows::Range(0..rows), 0, count),
        Some(p) => {
            let per = split::map_items(p.part_count(), split::threads(), |j| {
                let g = p.groups(j);
                kernel(&p.rows(j), g.start, g.len())
            });
            let mut out = Vec::with_capacity(count);
            per.into_iter().for_each(|v| out.extend(v));
            out
        }
    }
}

/// `kernel(rows, 0, count)` over contiguous chunks of the rows on the threads, the chunks'
/// results merged item by item (`merge` must give what one pass gives), the merge itself split
/// by groups when there are many.
pub fn by_rows<T: Send + Sync + Copy>(
    rows: usize,
    count: usize,
    threads: usize,
    kernel: impl Fn(&Rows, usize, usize) -> Vec<T> + Sync,
    merge: impl Fn(T, T) -> T + Sync,
) -> Vec<T> {
    let mut all = split::map_ranges(rows, threads, |r| kernel(&Rows::Range(r), 0, count));
    let rest = all.split_off(1.min(all.len()));
    let mut acc = all.pop().unwrap_or_default();
    let merge_parts = split::parts(count * rest.len().max(1) * 8).min(threads);
    split::fill(&mut acc, merge_parts, |first, out| {
        for p in &rest {
            out.iter_mut()
                .zip(&p[first..])
                .for_each(|(a, &b)| *a = merge(*a, b));
        }
    });
    acc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_hold_each_groups_rows_in_row_order() {
        let id: Vec<u32> = (0..200_000u32).map(|i| (i * 7919) % 1000).collect();
        let p = Parts::build(&id, 1000, 3);
        assert!(p.part_count() > 3);
        let mut seen = 0;
        for j in 0..p.part_count() {
            let g = p.groups(j);
            let mut last = None;
            p.rows(j).each(|r| {
                assert!(g.contains(&(id[r] as usize)));
                assert!(last < Some(r));
                last = Some(r);
                seen += 1;
            });
        }
        assert_eq!(seen, id.len());
        let sizes = split::with_threads(3, || {
            by_groups(Some(&p), 1000, id.len(), |rows, lo, n| {
                let mut c = vec![0u32; n];
                rows.each(|r| c[id[r] as usize - lo] += 1);
                c
            })
        });
        assert_eq!(sizes, vec![200u32; 1000]);
    }
}
