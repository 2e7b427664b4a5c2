//! A list laid out as a column, one item per line: the rows of a general list at the console,
//! a dictionary's keys or values, a table's column.
//!
//! A simple vector gives bare cells (`1`, `a`, `2024.01.02`; nulls blank). A general list whose
//! items are lists of one common count is a matrix: each row's items become cells aligned in
//! columns (`0  1 2 3` over `11 8 9 10`). Any other general list gives each item's one-line
//! text (`(8 9;10;11 12)`). Rows of bits, bytes or chars alone are not a matrix: they read
//! best as `11111b`, `0x0102`, `"abc"`.

use super::items::{self, Style};
use super::oneline;
use crate::obj::*;

/// The lines of a column. Bare cells and matrix rows are cut from one block of text, so every
/// line has the same width (q pads them); one-line texts of items stand alone.
pub struct Column {
    pub lines: Vec<String>,
}

impl Column {
    /// The widest line.
    pub fn width(&self) -> usize {
        self.lines.iter().map(String::len).max().unwrap_or(0)
    }
}

/// The first `rows` items of `x` as a column; `limit` bounds the work per line.
pub fn column(x: &K, rows: usize, limit: usize, precision: usize) -> Column {
    let rows = rows.min(x.n());
    let t = x.t();
    if (1..=ENUM_LAST).contains(&t) {
        let lines = (0..rows).map(|i| cell(x, i, precision)).collect();
        return pad(lines);
    }
    if t != 0 {
        // Not a list: one line with its text.
        return Column {
            lines: vec![oneline::text(x, precision)],
        };
    }
    // Like q, judge the shape by the rows that show.
    let items = &x.items()[..rows];
    if is_matrix(items) {
        return matrix(items, limit, precision);
    }
    let lines = items
        .iter()
        .map(|item| {
            let mut s = String::new();
            oneline::write(item, &mut s, limit, precision);
            s
        })
        .collect();
    Column { lines }
}

/// Item `i` of the simple vector `x` as a bare cell.
pub fn cell(x: &K, i: usize, precision: usize) -> String {
    let mut s = String::new();
    items::write(&mut s, x.t(), items::at(x, i), Style::Cell, precision);
    s
}

/// Pads every line to the widest, as one block of text.
fn pad(mut lines: Vec<String>) -> Column {
    let w = lines.iter().map(String::len).max().unwrap_or(0);
    for l in &mut lines {
        pad_to(l, w);
    }
    Column { lines }
}

/// Pads `s` with spaces to `w` bytes.
pub fn pad_to(s: &mut String, w: usize) {
    while s.len() < w {
        s.push(' ');
    }
}

/// Lists of one common count (and not only bit, byte or char vectors of one type). Empty
/// rows of one count make empty lines: `2 0N#0#0` shows nothing on its two lines.
fn is_matrix(items: &[K]) -> bool {
    let Some(first) = items.first() else {
        return false;
    };
    let count = first.n();
    let is_list = |k: &K| (0..=ENUM_LAST).contains(&k.t());
    if !items.iter().all(|k| is_list(k) && k.n() == count) {
        return false;
    }
    let t = first.t();
    !(matches!(t, KB | KG | KC) && items.iter().all(|k| k.t() == t))
}

fn matrix(rows: &[K], limit: usize, precision: usize) -> Column {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let mut out = Vec::new();
            let mut used = 0;
            for i in 0..row.n() {
                if used > limit {
                    break;
                }
                let c = if row.t() == 0 {
                    let mut s = String::new();
                    oneline::write(&row.items()[i], &mut s, limit, precision);
                    s
                } else {
                    cell(row, i, precision)
                };
                used += c.len() + 1;
                out.push(c);
            }
            out
        })
        .collect();
    let ncols = cells.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..ncols)
        .map(|j| {
            cells
                .iter()
                .filter_map(|r| r.get(j))
                .map(String::len)
                .max()
                .unwrap_or(0)
        })
        .collect();
    let lines = cells
        .into_iter()
        .map(|row| {
            let mut line = String::new();
            for (j, w) in widths.iter().enumerate() {
                if j > 0 {
                    line.push(' ');
                }
                let start = line.len();
                line.push_str(row.get(j).map_or("", String::as_str));
                pad_to(&mut line, start + w);
            }
            line
        })
        .collect();
    Column { lines }
}
