//! Which rows of a keyed table a batch of records lands on (`kt,:y`), hashing every key once
//! instead of scanning the table per record.
//!
//! Each key column's values, the table's rows then the records', get dense ids that are equal
//! exactly where `~` holds (bits for a simple column of one type on both sides, the item's
//! structure otherwise); several columns fold their ids pairwise into one id per row.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use super::values::{count, identical, item};
use crate::obj::K;
use crate::q::prims::hash::{self, Build};
use crate::q::prims::idtable::IdTable;

/// An item hashed by its structure and compared with `~` exactly (floats by value, as `,:`
/// compares keys).
struct Exact(K);

impl PartialEq for Exact {
    fn eq(&self, o: &Self) -> bool {
        identical(&self.0, &o.0)
    }
}
impl Eq for Exact {}
impl Hash for Exact {
    fn hash<H: Hasher>(&self, h: &mut H) {
        hash::hash_k(&self.0, h)
    }
}

/// One id per row of `keys` (the table's key columns) followed by one per row of `probe` (the
/// records' key columns, in the same order): equal ids exactly where every column's items
/// match.
pub fn row_ids(keys: &[K], probe: &[K]) -> Vec<u32> {
    let mut acc: Option<Vec<u32>> = None;
    for (k, p) in keys.iter().zip(probe) {
        let ids = column_ids(k, p);
        acc = Some(match acc {
            None => ids,
            Some(prev) => {
                let mut pairs = IdTable::new(1024);
                prev.iter()
                    .zip(&ids)
                    .map(|(&a, &b)| pairs.id((a as u64) << 32 | b as u64))
                    .collect()
            }
        });
    }
    acc.unwrap_or_default()
}

fn column_ids(k: &K, p: &K) -> Vec<u32> {
    let simple = k.t() == p.t() && (1..20).contains(&k.t());
    if simple {
        if let (Some(kw), Some(pw)) = (hash::words(k), hash::words(p)) {
            let mut ids = IdTable::new(1024);
            return kw.iter().chain(&pw).map(|&w| ids.id(w)).collect();
        }
        return dense(hash::keys(k).into_iter().chain(hash::keys(p)));
    }
    let items = |x: &K| (0..count(x)).map(|i| Exact(item(x, i))).collect::<Vec<_>>();
    dense(items(k).into_iter().chain(items(p)))
}

/// Ids 0, 1, 2... in order of first occurrence.
fn dense<T: Hash + Eq>(xs: impl Iterator<Item = T>) -> Vec<u32> {
    let mut seen: HashMap<T, u32, Build> = HashMap::with_hasher(Build::default());
    xs.map(|x| {
        let next = seen.len() as u32;
        *seen.entry(x).or_insert(next)
    })
    .collect()
}
