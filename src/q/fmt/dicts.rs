//! Dictionaries at the console: the keys as a column padded to the widest, then `| ` and the
//! values as a column (`a| 1` over `b| 2`).

use super::columns::{self, pad_to};
use super::oneline;
use crate::obj::*;

/// The lines of dictionary `d` with at most `rows` entries (the caller cuts to the console).
pub fn lines(d: &K, rows: usize, limit: usize, precision: usize) -> Vec<String> {
    let [keys, values] = d.items() else {
        unreachable!("a dictionary has keys and values")
    };
    let is_list = |x: &K| (0..=ENUM_LAST).contains(&x.t());
    // Keyed by a table with no columns (functional exec by an empty by list): each key row
    // shows as nothing, so each value as `| v`.
    if keys.t() == XT && keys.table_dict().items()[0].n() == 0 && is_list(values) {
        let values = columns::column(values, rows, limit, precision);
        return values.lines.into_iter().map(|v| format!("| {v}")).collect();
    }
    if keys.n() == 0 || !is_list(keys) || !is_list(values) || keys.n() != values.n() {
        // Nothing to lay out in columns, or a shape such as a splayed table's `` (,`a)!`:./t/ ``
        // or a half-keyed one: one line, as `-3!` has it.
        return vec![oneline::text(d, precision)];
    }
    let keys = columns::column(keys, rows, limit, precision);
    let values = columns::column(values, rows, limit, precision);
    let w = keys.width();
    keys.lines
        .into_iter()
        .zip(values.lines)
        .map(|(mut k, v)| {
            pad_to(&mut k, w);
            k.push_str("| ");
            k.push_str(&v);
            k
        })
        .collect()
}
