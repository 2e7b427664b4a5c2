//! What the console prints for a value: atoms, vectors and functions on one line, general
//! lists as a column, dictionaries and tables laid out; all cut to `\c`. The generic null
//! `::` prints nothing.

use super::options::Options;
use super::{columns, dicts, oneline, tables};
use crate::obj::*;

/// The console's lines for `x`.
pub fn lines(x: &K, opts: &Options) -> Vec<String> {
    // One row more than fits tells the cutting that some were left out.
    let rows = opts.max_lines() + 1;
    let limit = opts.max_width();
    let p = opts.precision;
    let lines = match x.t() {
        UNARY if x.g() == 0 => return Vec::new(),
        0 if x.n() == 0 => vec!["()".to_string()],
        0 => columns::column(x, rows, limit, p).lines,
        XT if tables::is_laid_out(x) => tables::lines(x, rows, limit, p),
        // A dictionary of names to one symbol (a table placeholder's, `(,`a)!`t`): one line.
        XD if x.items()[1].is_atom() => {
            let mut s = String::new();
            oneline::write(x, &mut s, limit, p);
            vec![s]
        }
        XD if tables::is_keyed(x) => tables::keyed_lines(x, rows, limit, p),
        XD => match tables::half_keyed(x) {
            Some(kt) => tables::keyed_lines(&kt, rows, limit, p),
            None => dicts::lines(x, rows, limit, p),
        },
        _ => {
            let mut s = String::new();
            oneline::write(x, &mut s, limit, p);
            vec![s]
        }
    };
    opts.cut(lines)
}
