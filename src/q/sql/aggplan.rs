//! Column expressions of a grouped query that are aggregates of columns, computed for every
//! group at once (`prims::grouped`) instead of once per group with the group's rows gathered.
//!
//! An expression qualifies when it is an aggregate keyword applied to column names (`sum v`,
//! `w wavg v`, `cor[x;y]`, `count i`), or atomic verbs over such aggregates and atoms
//! (`(max v1)-min v2`, `(v1 cor v2) xexp 2`): an atomic verb applied to each group's values
//! gives, item by item, what it gives applied to the vector of them.

use crate::obj::*;
use crate::q::eval::Ctx;
use crate::q::lang::ast::Node;
use crate::q::prims::grouped::{aggregate, Agg};
use crate::q::prims::groupid::Groups;

/// A column expression as aggregates combined by atomic verbs.
pub enum Plan {
    Agg(Agg, Vec<Sym>),
    Atom(K),
    /// An atomic unary keyword or `-` (negate) of a plan.
    Monad(Sym, Box<Plan>),
    /// An atomic glyph or keyword between plans.
    Dyad(Sym, Box<Plan>, Box<Plan>),
}

/// Atomic unary keywords, lifted over the groups' results.
const MONADS: [&str; 11] = [
    "neg",
    "abs",
    "sqrt",
    "exp",
    "log",
    "floor",
    "ceiling",
    "signum",
    "reciprocal",
    "not",
    "null",
];

/// Atomic binary glyphs and keywords.
const DYADS: [&str; 14] = [
    "+", "-", "*", "%", "&", "|", "=", "<", ">", "xexp", "xlog", "div", "mod", "xbar",
];

/// The plan for `e`, or None when it is not made of aggregates of the columns `names` (or `i`).
pub fn plan(e: &Node, names: &[Sym]) -> Option<Plan> {
    let p = lower(e, names)?;
    has_agg(&p).then_some(p)
}

fn has_agg(p: &Plan) -> bool {
    match p {
        Plan::Agg(..) => true,
        Plan::Atom(_) => false,
        Plan::Monad(_, x) => has_agg(x),
        Plan::Dyad(_, x, y) => has_agg(x) || has_agg(y),
    }
}

fn lower(e: &Node, names: &[Sym]) -> Option<Plan> {
    let column = |n: &Node| match n {
        Node::Name(s) if names.contains(s) || s.as_bytes() == b"i" => Some(*s),
        _ => None,
    };
    // A keyword, not a column of that name.
    let keyword = |n: &Node| match n {
        Node::Name(s) if !names.contains(s) => Some(*s),
        _ => None,
    };
    match e {
        Node::Const(k) if k.is_atom() => Some(Plan::Atom(k.clone())),
        Node::Monad(f, x, _) => {
            if let Some(s) = keyword(f) {
                let name = s.as_str();
                if let (Some((agg, 1)), Some(c)) = (Agg::named(&name), column(x)) {
                    return Some(Plan::Agg(agg, vec![c]));
                }
                if MONADS.contains(&&*name) {
                    return Some(Plan::Monad(s, Box::new(lower(x, names)?)));
                }
                return None;
            }
            match &**f {
                Node::Verb(g) if g.as_bytes() == b"-" => {
                    Some(Plan::Monad(Sym::new("neg"), Box::new(lower(x, names)?)))
                }
                _ => None,
            }
        }
        Node::Apply(f, args, _) => {
            let s = keyword(f)?;
            let name = s.as_str();
            if let Some((agg, arity)) = Agg::named(&name) {
                let cols: Option<Vec<Sym>> = args.iter().map(column).collect();
                return (args.len() == arity).then_some(Plan::Agg(agg, cols?));
            }
            match args.as_slice() {
                [x] if MONADS.contains(&&*name) => Some(Plan::Monad(s, Box::new(lower(x, names)?))),
                [x, y] if DYADS.contains(&&*name) => Some(Plan::Dyad(
                    s,
                    Box::new(lower(x, names)?),
                    Box::new(lower(y, names)?),
                )),
                _ => None,
            }
        }
        Node::Dyad(op, x, y, _) => {
            let s = match &**op {
                Node::Verb(g) => *g,
                op => keyword(op)?,
            };
            let name = s.as_str();
            if let Some((agg, 2)) = Agg::named(&name) {
                return Some(Plan::Agg(agg, vec![column(x)?, column(y)?]));
            }
            DYADS.contains(&&*name).then_some(())?;
            Some(Plan::Dyad(
                s,
                Box::new(lower(x, names)?),
                Box::new(lower(y, names)?),
            ))
        }
        _ => None,
    }
}

/// Runs a plan over the groups: one item per group. `col` gives a column (or `i`) restricted
/// to the rows in play. None when an aggregate does not handle its column's type here.
pub fn run(
    cx: &mut Ctx,
    p: &Plan,
    g: &Groups,
    col: &dyn Fn(Sym) -> Option<K>,
) -> Result<Option<K>> {
    Ok(Some(match p {
        Plan::Atom(k) => k.clone(),
        Plan::Agg(agg, names) => {
            let cols: Option<Vec<K>> = names.iter().map(|&s| col(s)).collect();
            let Some(cols) = cols else { return Ok(None) };
            let refs: Vec<&K> = cols.iter().collect();
            match aggregate(g, *agg, &refs) {
                Some(v) => v,
                None => return Ok(None),
            }
        }
        Plan::Monad(f, x) => {
            let Some(x) = run(cx, x, g, col)? else {
                return Ok(None);
            };
            crate::q::eval::apply::call_keyword(cx, &f.as_str(), vec![x])?
        }
        Plan::Dyad(f, x, y) => {
            let Some(y) = run(cx, y, g, col)? else {
                return Ok(None);
            };
            let Some(x) = run(cx, x, g, col)? else {
                return Ok(None);
            };
            let name = f.as_str();
            if name.len() == 1 {
                crate::q::eval::apply::glyph_dyad(cx, &name, x, y)?
            } else {
                crate::q::eval::apply::call_keyword(cx, &name, vec![x, y])?
            }
        }
    }))
}
