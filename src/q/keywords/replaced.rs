//! `-n!x` forms that kdb+ has replaced by keywords and `.Q`/`.j` functions
//! (basics/internal.md, "Replaced"): each applies its replacement, so code written against
//! the old forms runs.

use crate::obj::*;
use crate::q::eval::Ctx;

/// The internal function's number and the name of what replaced it. (`-3!` and `-5!` are
/// served where the interpreter formats and parses; `-37!` is `.Q.prf0`, which is 'nyi.)
const REPLACED: &[(i64, &str)] = &[
    (-1, "hsym"),
    (-2, "attr"),
    (-6, "eval"),
    (-7, "hcount"),
    (-12, ".Q.host"),
    (-13, ".Q.addr"),
    (-15, "md5"),
    (-20, ".Q.gc"),
    (-24, "reval"),
    (-29, ".j.k"),
    (-31, ".j.jd"),
    (-32, ".Q.btoa"),
    (-35, ".Q.gz"),
];

/// `-n!y` through its replacement; None when `n` is none of these.
pub fn apply(cx: &mut Ctx, n: i64, y: &K) -> Option<Result<K>> {
    let (_, name) = REPLACED.iter().find(|(k, _)| *k == n)?;
    // `-20!0` is `.Q.gc[]`: the argument is no parameter of the collection.
    let arg = if n == -20 { K::identity() } else { y.clone() };
    Some(
        cx.lookup(Sym::new(name))
            .and_then(|f| cx.apply(f, vec![arg])),
    )
}
