//! Dense ids for machine words in order of first occurrence: an open-addressing table with
//! linear probing, the inner loop of grouping (`groupid`) and of joins on key columns.
//!
//! A general-purpose map hashes each key through a `Hasher`, checks control bytes and stores
//! entries it never needs; grouping only asks "which id does this word have, or the next one".
//! Here a probe is one multiply, one shift and (at the table's load of at most a half) about
//! one comparison.

/// Words mapped to ids 0, 1, 2, ... in the order they were first seen.
pub struct IdTable {
    /// (word, id + 1); an id slot of 0 is empty.
    slots: Vec<(u64, u32)>,
    shift: u32,
    /// The distinct words, by id.
    pub words: Vec<u64>,
}

impl IdTable {
    /// A table expecting about `hint` distinct words (it grows as needed).
    pub fn new(hint: usize) -> IdTable {
        let bits = (hint.max(8) * 2).next_power_of_two().trailing_zeros();
        IdTable {
            slots: vec![(0, 0); 1 << bits],
            shift: 64 - bits,
            words: Vec::new(),
        }
    }

    #[inline]
    fn home(&self, w: u64) -> usize {
        (w.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// The id of `w`, giving it the next id if it is new.
    #[inline]
    pub fn id(&mut self, w: u64) -> u32 {
        let mask = self.slots.len() - 1;
        let mut at = self.home(w);
        loop {
            let (k, v) = self.slots[at];
            if v == 0 {
                return self.insert(at, w);
            }
            if k == w {
                return v - 1;
            }
            at = (at + 1) & mask;
        }
    }

    /// The id of `w` if it has one.
    #[inline]
    pub fn get(&self, w: u64) -> Option<u32> {
        let mask = self.slots.len() - 1;
        let mut at = self.home(w);
        loop {
            let (k, v) = self.slots[at];
            if v == 0 {
                return None;
            }
            if k == w {
                return Some(v - 1);
            }
            at = (at + 1) & mask;
        }
    }

    /// Makes room for `n` distinct words in all without growing again.
    pub fn reserve(&mut self, n: usize) {
        while self.slots.len() < n.saturating_mul(2) {
            self.grow();
        }
    }

    #[cold]
    fn grow(&mut self) {
        let bits = 64 - self.shift + 1;
        let old = std::mem::replace(&mut self.slots, vec![(0, 0); 1 << bits]);
        self.shift = 64 - bits;
        let mask = self.slots.len() - 1;
        for (k, v) in old.into_iter().filter(|s| s.1 != 0) {
            let mut at = self.home(k);
            while self.slots[at].1 != 0 {
                at = (at + 1) & mask;
            }
            self.slots[at] = (k, v);
        }
    }

    fn insert(&mut self, at: usize, w: u64) -> u32 {
        let id = self.words.len() as u32;
        self.words.push(w);
        self.slots[at] = (w, id + 1);
        if self.words.len() * 2 > self.slots.len() {
            self.grow();
        }
        id
    }

    /// The number of distinct words seen.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_order_of_first_occurrence_through_growth() {
        let mut t = IdTable::new(1);
        let ws: Vec<u64> = (0..10_000u64).map(|i| (i % 3000) * 0x1_0000_0001).collect();
        let ids: Vec<u32> = ws.iter().map(|&w| t.id(w)).collect();
        assert_eq!(t.len(), 3000);
        for (i, &id) in ids.iter().enumerate() {
            assert_eq!(id as usize, i % 3000);
        }
        assert_eq!(t.get(5 * 0x1_0000_0001), Some(5));
        assert_eq!(t.get(7), None);
        assert_eq!(t.id(u64::MAX), 3000);
        assert_eq!(t.id(0), 0);
    }
}
