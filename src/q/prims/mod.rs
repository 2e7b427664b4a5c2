//! Primitive verbs and keywords over data, one file per family, reached through one table.
//!
//! The evaluator looks a glyph or keyword up here and applies the entry for the number of
//! arguments it has. Arguments are owned, so a primitive may reuse a uniquely held argument's
//! memory for its result.

use crate::obj::{Result, K};

pub type Monad = fn(K) -> Result<K>;
pub type Dyad = fn(K, K) -> Result<K>;
pub type Triad = fn(K, K, K) -> Result<K>;

/// One primitive: its name as q spells it, and its forms by rank.
pub struct Prim {
    pub name: &'static str,
    pub monad: Option<Monad>,
    pub dyad: Option<Dyad>,
    pub triad: Option<Triad>,
}

/// The primitive spelled `name` (a glyph such as `+` or `?`, or a keyword such as `til`).
pub fn lookup(name: &str) -> Option<&'static Prim> {
    let _ = name;
    None
}
