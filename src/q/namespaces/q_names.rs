//! The `.q` namespace: the keywords as a dictionary of their function values, in kdb+'s order.
//!
//! kdb+ defines most keywords in q itself, in the `.q` namespace, and `key `.q` lists them in
//! the order they are defined: ref/key.md shows the list beginning
//! `` ``neg`not`null`string`reciprocal`floor`ceiling`signum`mod`xbar`xlog`and`or`ea.. ``. The
//! order after that is the one of the definitions in kdb+ 4.0's own `q.k` (K 2021.04.26), as a
//! public copy of that file shows (github.com/co-dh/dotfiles, q.k); only the names of this
//! engine's keywords are taken from it. Keywords kdb+ implements natively (`sum`, `within`,
//! ...) follow, as this engine has them too.

use crate::obj::*;
use crate::q::eval::verbs;

/// The names kdb+ defines in `.q`, in its order.
const ORDER: &[&str] = &[
    "neg",
    "not",
    "null",
    "string",
    "reciprocal",
    "floor",
    "ceiling",
    "signum",
    "mod",
    "xbar",
    "xlog",
    "and",
    "or",
    "each",
    "scan",
    "over",
    "prior",
    "mmu",
    "lsq",
    "inv",
    "md5",
    "ltime",
    "gtime",
    "count",
    "first",
    "svar",
    "sdev",
    "scov",
    "med",
    "all",
    "any",
    "rand",
    "sums",
    "prds",
    "mins",
    "maxs",
    "fills",
    "deltas",
    "ratios",
    "avgs",
    "differ",
    "prev",
    "next",
    "rank",
    "reverse",
    "iasc",
    "idesc",
    "asc",
    "desc",
    "msum",
    "mcount",
    "mavg",
    "mdev",
    "xrank",
    "mmin",
    "mmax",
    "xprev",
    "rotate",
    "ema",
    "distinct",
    "group",
    "where",
    "flip",
    "type",
    "key",
    "til",
    "value",
    "get",
    "attr",
    "cut",
    "set",
    "upsert",
    "raze",
    "union",
    "inter",
    "except",
    "cross",
    "sv",
    "vs",
    "sublist",
    "read0",
    "read1",
    "hclose",
    "hdel",
    "hsym",
    "hcount",
    "peach",
    "system",
    "ltrim",
    "rtrim",
    "trim",
    "lower",
    "upper",
    "ssr",
    "view",
    "tables",
    "views",
    "cols",
    "xcols",
    "keys",
    "xkey",
    "xcol",
    "xasc",
    "xdesc",
    "fkeys",
    "meta",
    "lj",
    "ljf",
    "aj",
    "aj0",
    "ajf",
    "ajf0",
    "ij",
    "ijf",
    "pj",
    "asof",
    "uj",
    "ujf",
    "wj",
    "wj1",
    "fby",
    "xgroup",
    "ungroup",
    "ej",
    "save",
    "load",
    "rsave",
    "rload",
    "dsave",
    "show",
    "csv",
    "parse",
    "eval",
    "reval",
];

/// `.q`: after the empty name and `::` that begin every namespace (PyKX's context interface
/// tells a namespace from other dictionaries by them), kdb+'s names in its order, then the
/// other keywords.
pub fn dictionary() -> K {
    let mut names: Vec<&str> = ORDER.to_vec();
    for n in verbs::keyword_names() {
        if !names.contains(&n) {
            names.push(n);
        }
    }
    let mut syms = vec![Sym::empty()];
    let mut vals = vec![K::identity()];
    for n in names {
        // `csv` is data in kdb+ (`csv:","`), the comma `csv 0: t` uses.
        let v = if n == "csv" {
            Some(K::char(b','))
        } else {
            verbs::keyword_value(n)
        };
        if let Some(v) = v {
            syms.push(Sym::new(n));
            vals.push(v);
        }
    }
    K::dict(K::from_slice(KS, &syms), K::list(vals))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_name_in_the_order_is_a_keyword() {
        for n in super::ORDER {
            assert!(
                *n == "csv" || crate::q::eval::verbs::keyword_value(n).is_some(),
                "{n}"
            );
        }
    }
}
