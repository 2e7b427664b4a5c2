//! Tables at the console: a header of column names, a rule of dashes, then one line per row,
//! every column padded to its widest cell or name and the columns one space apart. A keyed
//! table sets its key columns apart with `| ` on every line, the rule included.

use super::columns::{self, pad_to};
use crate::obj::table::{keyed_parts, row_count};
use crate::obj::*;

/// The lines of table `t` with at most `rows` data rows (the caller cuts to the console).
pub fn lines(t: &K, rows: usize, limit: usize, precision: usize) -> Vec<String> {
    let block = block(t, row_count(t).min(rows), limit, precision);
    let mut out = vec![block.header, "-".repeat(block.width)];
    out.extend(block.rows);
    out
}

/// The lines of keyed table `kt` (a dictionary of key table to value table).
pub fn keyed_lines(kt: &K, rows: usize, limit: usize, precision: usize) -> Vec<String> {
    let (k, v) = keyed_parts(kt).expect("caller checked the keyed table");
    // A key table without columns still has as many rows as the values (`?[t;();`a`b;...]`).
    let nrows = row_count(k).max(row_count(v)).min(rows);
    let (k, v) = (
        block(k, nrows, limit, precision),
        block(v, nrows, limit, precision),
    );
    let mut out = vec![
        format!("{}| {}", k.header, v.header),
        format!("{}| {}", "-".repeat(k.width), "-".repeat(v.width)),
    ];
    out.extend(
        k.rows
            .into_iter()
            .zip(v.rows)
            .map(|(a, b)| format!("{a}| {b}")),
    );
    out
}

/// True for a dictionary whose keys and values are both tables that lay out.
pub fn is_keyed(x: &K) -> bool {
    keyed_parts(x).is_ok_and(|(k, v)| is_laid_out(k) && is_laid_out(v))
}

/// A dictionary between a table and a list of as many items (exec's `exec q:f by k` and
/// `exec f by k:k`), as a keyed table whose list side is one column with an empty name.
pub fn half_keyed(x: &K) -> Option<K> {
    let [k, v] = x.items() else { return None };
    let as_table = |l: &K| -> Option<K> {
        let ok = l.t() >= 0 && l.t() < XT && is_laid_out_other(x, l);
        ok.then(|| {
            K::table(K::dict(
                K::from_slice(KS, &[Sym::empty()]),
                K::list(vec![l.clone()]),
            ))
        })
    };
    let (k, v) = match (k.t(), v.t()) {
        (XT, XT) => return None,
        (XT, _) => (k.clone(), as_table(v)?),
        (_, XT) => (as_table(k)?, v.clone()),
        _ => return None,
    };
    let kt = K::dict(k, v);
    is_keyed(&kt).then_some(kt)
}

/// True when list `l` has one item per row of the table on the other side of dict `x`.
fn is_laid_out_other(x: &K, l: &K) -> bool {
    let [k, v] = x.items() else { return false };
    let t = if k.t() == XT { k } else { v };
    is_laid_out(t) && row_count(t) == l.n()
}

/// True for a table whose columns are in memory; a splayed table's dictionary holds a path
/// (`` +(,`a)!`:./s/ ``), which prints on one line.
pub fn is_laid_out(t: &K) -> bool {
    let [names, cols] = t.table_dict().items() else {
        return false;
    };
    names.t() == KS && (cols.t() == 0 || cols.n() == 0) && names.n() == cols.n()
}

/// A table laid out: header, rows, and their common width.
struct Block {
    header: String,
    rows: Vec<String>,
    width: usize,
}

/// One table as a block of `nrows` equal-width lines.
fn block(t: &K, nrows: usize, limit: usize, precision: usize) -> Block {
    let d = t.table_dict();
    let [names, cols] = d.items() else {
        unreachable!("a dictionary has keys and values")
    };
    let mut header = String::new();
    let mut lines = vec![String::new(); nrows];
    let ncols = names.n();
    for j in 0..ncols {
        if header.len() > limit {
            break;
        }
        let name = if names.t() == KS {
            names.as_slice::<Sym>()[j].as_str().into_owned()
        } else {
            String::new()
        };
        let cells = columns::column(&cols.items()[j], nrows, limit, precision);
        let w = cells.width().max(name.len());
        let last = j + 1 == ncols;
        for (line, c) in lines.iter_mut().zip(&cells.lines) {
            let start = line.len();
            line.push_str(c);
            pad_to(line, start + w);
            if !last {
                line.push(' ');
            }
        }
        let start = header.len();
        header.push_str(&name);
        pad_to(&mut header, start + w);
        if !last {
            header.push(' ');
        }
    }
    Block {
        width: header.len(),
        header,
        rows: lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syms(names: &[&str]) -> K {
        K::from_slice(KS, &names.iter().map(Sym::new).collect::<Vec<_>>())
    }
    fn table(names: &[&str], cols: Vec<K>) -> K {
        K::table(K::dict(syms(names), K::list(cols)))
    }
    fn show(lines: Vec<String>) -> String {
        lines
            .iter()
            .map(|l| l.trim_end())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn simple_table() {
        let t = table(
            &["a", "b", "c"],
            vec![
                K::from_slice(KJ, &[1i64, 2, 3]),
                syms(&["I", "J", "K"]),
                K::from_slice(KJ, &[10i64, 20, 30]),
            ],
        );
        assert_eq!(
            lines(&t, 100, 80, 7).join("\n"),
            "a b c \n------\n1 I 10\n2 J 20\n3 K 30"
        );
    }

    #[test]
    fn keyed_table_with_nulls() {
        let k = table(&["a"], vec![K::from_slice(KJ, &[1i64, 2])]);
        let v = table(
            &["b", "c"],
            vec![syms(&["", "z"]), K::from_slice(KJ, &[1i64, NJ])],
        );
        let kt = K::dict(k, v);
        assert_eq!(
            show(keyed_lines(&kt, 100, 80, 7)),
            "a| b c\n-| ---\n1|   1\n2| z"
        );
    }
}
