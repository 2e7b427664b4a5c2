//! Console output: the text the q console prints for a value (`\c` 25 80, `\P` 7 by default),
//! which is also `.Q.s`; the one-line text of `-3!` and `.Q.s1`; and the `string` keyword.
//!
//! Parts: `items` (one value of a simple type in its three styles), `floats` and `temporal`
//! (number and calendar text), `strings` (quoting chars), `vectors` (simple vectors on one
//! line), `oneline` (any value on one line), `functions` and `glyphs` (functions), `columns`
//! (a list laid out one item per line), `dicts` and `tables` (their layouts), `console` (the
//! top level), `options` (`\c`, `\P` and cutting to them), `stringify` (`string`), `enums`
//! (the evaluator's hook for enumeration domains).
//!
//! The rules, each checked against what kdb+ printed in the documentation corpus
//! (`tests/`, `testdata/`):
//! - a line is cut to `width - 1` bytes (`..` in its last two), a block to `height - 2` lines
//!   (the last one `..`), as `.Q.s` does with `\c`;
//! - vectors carry one type letter at the end where their items alone would not tell the
//!   type (`1 2i`, `1 2f` but `1.5 2`, `2024.01 2024.02m`, `0N 0Nd`);
//! - a general list prints one item per line; when its items are lists of one count it is a
//!   matrix whose cells line up in columns, except rows that are all bits, bytes or chars;
//! - table and dictionary cells are bare (no backtick, quote or suffix; nulls blank) when the
//!   column is a simple vector, and one-line texts otherwise; tables and matrices are blocks
//!   of equal-width lines, padded to the right like kdb+'s.

mod columns;
mod console;
mod dicts;
pub mod enums;
mod floats;
mod functions;
mod glyphs;
mod items;
mod oneline;
mod options;
mod stringify;
mod strings;
mod tables;
mod temporal;
mod vectors;

#[cfg(test)]
mod tests;

use crate::obj::{Result, K};

pub use glyphs::{set_namer as set_primitive_namer, Namer};
pub use options::Options;

/// Exactly what the console prints for `x`, without a trailing newline; empty for `::`.
pub fn console(x: &K, opts: &Options) -> String {
    console::lines(x, opts).join("\n")
}

/// `.Q.s x`: the console text with its newline ("" for `::`).
pub fn show(x: &K, opts: &Options) -> String {
    let mut lines = console::lines(x, opts);
    if lines.is_empty() {
        return String::new();
    }
    lines.push(String::new());
    lines.join("\n")
}

/// The `string` keyword (at `\P 7`).
pub fn string(x: K) -> Result<K> {
    stringify::string(x, Options::default().precision)
}

/// The `string` keyword under the session's `\P`.
pub fn string_with(x: K, opts: &Options) -> Result<K> {
    stringify::string(x, opts.precision)
}

/// `-3!x` and `.Q.s1 x`: the whole value on one line (`1 2 3`, `` `a`b!1 2 ``, `+[1]`).
pub fn text1(x: &K) -> String {
    oneline::text(x, Options::default().precision)
}

/// `-3!x` under a given `\P` precision.
pub fn text1_with(x: &K, opts: &Options) -> String {
    oneline::text(x, opts.precision)
}
