//! Views: `v::expr` at the top level defines `v` as the value of `expr`, computed whenever `v`
//! is read (kdb+ caches it until a dependency changes; computing on each read gives the same
//! values). `view` gives a view's text, `views` the names of the root's views, `.z.b` the
//! views that depend on each name.
//!
//! A view is kept as a global whose value is a marker: a lambda-typed list of the expression's
//! text, its namespace, no parameters, and the symbol `view` (lambdas have three items).

use crate::obj::*;
use crate::q::eval::Ctx;
use crate::q::lang::ast::Node;

fn marker_tag() -> Sym {
    Sym::new("view")
}

/// Whether `node`, assigned with `::` at the top level, defines a view (constants and
/// lambdas are stored as they are).
pub fn defines_view(node: &Node) -> bool {
    !matches!(node, Node::Const(_) | Node::Lambda(_) | Node::Nil)
}

/// `name::text` at the top level.
pub fn define(cx: &mut Ctx, name: Sym, text: &[u8]) -> Result<K> {
    let marker = K::list_of_type(
        LAMBDA,
        vec![
            K::string(without_comment(text)),
            K::sym(cx.ns()),
            K::from_slice::<Sym>(KS, &[]),
            K::sym(marker_tag()),
        ],
    );
    cx.assign(name, marker.clone(), true)?;
    cx.eng.view_cache.name(&marker, name);
    Ok(K::identity())
}

/// The text before a trailing comment (` /...` outside strings), trimmed.
fn without_comment(text: &[u8]) -> &[u8] {
    let b = text;
    let mut in_string = false;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'/' if !in_string && i > 0 && b[i - 1].is_ascii_whitespace() => {
                return text[..i].trim_ascii_end()
            }
            _ => {}
        }
        i += 1;
    }
    text.trim_ascii_end()
}

fn text_of(v: &K) -> Option<&K> {
    if v.t() != LAMBDA {
        return None;
    }
    match v.items() {
        [text, _, _, tag] if tag.t() == -KS && tag.s() == marker_tag() => Some(text),
        _ => None,
    }
}

pub fn is_view(v: &K) -> bool {
    text_of(v).is_some()
}

/// Views' computed values, by view (its marker's address), until any global changes
/// (kdb+ keeps those whose own dependencies did not change; recomputing gives the same values).
/// Apart from the values, which views kdb+ would count as up to date: computed since none of
/// the names their expression reads (or the views those are) changed; the others are pending
/// (`\B`).
#[derive(Default)]
pub struct Cache {
    values: parking_lot::Mutex<std::collections::HashMap<usize, K>>,
    fresh: parking_lot::Mutex<Fresh>,
}

/// Up-to-date views (marker address to the names read) and the view names (marker address).
#[derive(Default)]
struct Fresh {
    reads: std::collections::HashMap<usize, Vec<Sym>>,
    names: std::collections::HashMap<usize, Sym>,
}

impl Cache {
    /// Global `name` changed: every value goes; views reading it, directly or through other
    /// views, become pending.
    pub fn invalidate(&self, name: Sym) {
        {
            let mut values = self.values.lock();
            if !values.is_empty() {
                values.clear();
            }
        }
        let mut fresh = self.fresh.lock();
        if fresh.reads.is_empty() {
            return;
        }
        let mut changed = vec![name];
        while let Some(n) = changed.pop() {
            let stale: Vec<usize> = fresh
                .reads
                .iter()
                .filter(|(_, reads)| reads.contains(&n))
                .map(|(p, _)| *p)
                .collect();
            for p in stale {
                fresh.reads.remove(&p);
                if let Some(v) = fresh.names.get(&p) {
                    changed.push(*v);
                }
            }
        }
    }

    fn get(&self, view: &K) -> Option<K> {
        self.values.lock().get(&(view.as_ptr() as usize)).cloned()
    }

    fn put(&self, view: &K, v: K, reads: Vec<Sym>) {
        let p = view.as_ptr() as usize;
        self.values.lock().insert(p, v);
        self.fresh.lock().reads.insert(p, reads);
    }

    fn name(&self, view: &K, name: Sym) {
        self.fresh.lock().names.insert(view.as_ptr() as usize, name);
    }

    /// Whether view (marker) `view` has not been computed since a dependency changed.
    pub fn pending(&self, view: &K) -> bool {
        !self
            .fresh
            .lock()
            .reads
            .contains_key(&(view.as_ptr() as usize))
    }
}

/// A global's value: a view's, computed unless cached; anything else as it is.
pub fn resolve(cx: &Ctx, v: K) -> Result<K> {
    let Some(text) = text_of(&v) else {
        return Ok(v);
    };
    if let Some(cached) = cx.eng.view_cache.get(&v) {
        return Ok(cached);
    }
    // Views are recalculated on the main thread only (multithreaded input mode).
    cx.eng.writable()?;
    crate::q::eval::stack::guard();
    let mut top = Ctx::new(cx.eng);
    let value = top.run(text.bytes()).map(|(v, _)| v)?;
    cx.eng
        .view_cache
        .put(&v, value.clone(), names_read(text.bytes()));
    Ok(value)
}

/// `view `v`: the text of view v.
pub fn view(cx: &Ctx, name: &K) -> Result<K> {
    if name.t() != -KS {
        return Err(Error::type_());
    }
    let v = cx.eng.get_global(name.s()).ok_or(Error(name.s()))?;
    text_of(&v).cloned().ok_or_else(Error::type_)
}

/// `views[]`: the root namespace's views, sorted.
pub fn views(cx: &Ctx) -> K {
    let mut names: Vec<Sym> = cx
        .eng
        .names_in(b"")
        .into_iter()
        .filter(|n| cx.eng.get_global(*n).is_some_and(|v| is_view(&v)))
        .collect();
    names.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    let mut out = K::from_slice(KS, &names);
    // kdb+ shows no views as a plain empty list.
    if !names.is_empty() {
        out.set_attr(ATTR_SORTED);
    }
    out
}

/// `value` of a view as the root dictionary holds it: its cached value (`::` while pending),
/// parse tree, the names it reads, and its text.
pub fn definition(cx: &Ctx, v: &K) -> Option<Result<K>> {
    let text = text_of(v)?;
    let src = text.bytes();
    let cached = cx.eng.view_cache.get(v).unwrap_or_else(K::identity);
    Some(super::parsetree::parse(src).map(|tree| {
        K::list(vec![
            cached,
            tree,
            K::from_slice(KS, &names_read(src)),
            text.clone(),
        ])
    }))
}

/// `.z.b`: for each name a view reads, the views that read it.
pub fn dependencies(cx: &Ctx) -> K {
    let mut deps: Vec<(Sym, Vec<Sym>)> = Vec::new();
    for v in views(cx).as_slice::<Sym>() {
        let Some(text) = cx.eng.get_global(*v).and_then(|m| text_of(&m).cloned()) else {
            continue;
        };
        for name in names_read(text.bytes()) {
            match deps.iter_mut().find(|(n, _)| *n == name) {
                Some((_, vs)) => vs.push(*v),
                None => deps.push((name, vec![*v])),
            }
        }
    }
    deps.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let keys: Vec<Sym> = deps.iter().map(|(n, _)| *n).collect();
    let vals: Vec<K> = deps.iter().map(|(_, vs)| K::from_slice(KS, vs)).collect();
    K::dict(K::from_slice(KS, &keys), K::list(vals))
}

/// The names an expression reads, in order, each once (keywords excluded).
fn names_read(src: &[u8]) -> Vec<Sym> {
    let mut out: Vec<Sym> = Vec::new();
    for t in crate::q::lang::lex::token_texts(src).unwrap_or_default() {
        let b = &t[..];
        let is_name = b
            .first()
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'.')
            && b.iter()
                .all(|c| c.is_ascii_alphanumeric() || *c == b'.' || *c == b'_');
        // A name is ASCII (checked above).
        if is_name && !crate::q::eval::verbs::is_keyword(&String::from_utf8_lossy(b)) {
            let s = Sym::new(&t);
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}
