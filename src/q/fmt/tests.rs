//! Console output checked against what real kdb+ printed (the corpus under
//! `/work/shared/corpus/kxdocs`), each value built by hand.

use super::{console, Options};
use crate::obj::*;

fn show(x: &K) -> String {
    // The corpus trims each line on the right; q pads table and matrix lines.
    console(x, &Options::default()).lines().map(str::trim_end).collect::<Vec<_>>().join("\n")
}

#[test]
fn generic_null_prints_nothing() {
    assert_eq!(console(&K::identity(), &Options::default()), "");
}
