//! Parsed lambda bodies, remembered by source text.
//!
//! A lambda value carries its source (item 0), as kdb+'s does; the evaluator keeps the parsed
//! body in a process-wide cache keyed by that text, so a lambda that arrives from the wire or
//! from `value` is parsed once and then runs like one defined at the prompt.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use parking_lot::Mutex;

use crate::obj::*;
use crate::q::lang::ast::LambdaDef;

/// Compiled lambdas by source text.
type Compiled = Mutex<HashMap<Box<[u8]>, Arc<LambdaDef>>>;

fn cache() -> &'static Compiled {
    static CACHE: OnceLock<Compiled> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Records a definition the parser made (so running it needs no second parse).
pub fn remember(def: &Arc<LambdaDef>) {
    let mut c = cache().lock();
    if !c.contains_key(&def.src[..]) {
        c.insert(def.src.as_slice().into(), def.clone());
    }
}

/// Definitions recently run on this thread, by their source string: a call finds its body
/// with one load and one comparison of addresses, not a hash of the text under a lock. The
/// entry holds the string, so its address cannot pass to another string while it is there.
const RECENT: usize = 64;
type Recent = std::cell::RefCell<[Option<(K, Arc<LambdaDef>)>; RECENT]>;
thread_local! {
    static RECENTLY_RUN: Recent = const { std::cell::RefCell::new([const { None }; RECENT]) };
}

/// The definition behind a lambda value.
pub fn definition(f: &K) -> Result<Arc<LambdaDef>> {
    let src = f
        .items()
        .first()
        .filter(|s| s.t() == KC)
        .ok_or_else(Error::type_)?;
    let at = src.as_ptr();
    let slot = (at as usize >> 4) % RECENT;
    let hit = RECENTLY_RUN.with(|r| {
        r.borrow()[slot]
            .as_ref()
            .filter(|(s, _)| s.as_ptr() == at)
            .map(|(_, d)| d.clone())
    });
    if let Some(d) = hit {
        return Ok(d);
    }
    let d = lookup(src)?;
    RECENTLY_RUN.with(|r| r.borrow_mut()[slot] = Some((src.clone(), d.clone())));
    Ok(d)
}

fn lookup(src: &K) -> Result<Arc<LambdaDef>> {
    if let Some(d) = cache().lock().get(src.bytes()) {
        return Ok(d.clone());
    }
    let def = crate::q::lang::parse::parse_lambda(src.bytes())?;
    cache().lock().insert(src.bytes().into(), def.clone());
    Ok(def)
}

/// The number of parameters of a lambda value.
pub fn rank(f: &K) -> usize {
    match f.items().get(2) {
        Some(p) if p.t() == KS => p.n(),
        _ => definition(f).map(|d| d.params.len()).unwrap_or(1),
    }
}
