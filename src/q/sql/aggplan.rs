//! Column expressions of a grouped query that are aggregates of columns, computed for every
//! group at once (`prims::grouped`) instead of once per group with the group's rows gathered.
//!
//! An expression qualifies when it is an aggregate keyword applied to column names (`sum v`,
//! `w wavg v`, `cor[x;y]`, `count i`), or atomic verbs over such aggregates and atoms
//! (`(max v1)-min v2`, `(v1 cor v2) xexp 2`): an atomic verb applied to each group's values
//! gives, item by item, what it gives applied to the vector of them. A whole expression that
//! is a chain of primitives over one column (`2 sublist desc v`, `distinct v`, `v` itself) runs
//! natively per group on the group's items: no interpreter call, no frame per group.
//!
//! qSQL as written (`Node`) and the functional form's parse trees (`K`) lower to the same
//! `Term`s first, so `?[t;c;b;a]` and `![t;c;b;a]` run the same plans as `select` and `update`.

use super::frame::Expr;
use crate::obj::*;
use crate::q::eval::atoms::{A_KI, A_KJ, A_KS};
use crate::q::eval::Ctx;
use crate::q::lang::ast::Node;
use crate::q::prims::grouped::{aggregate, Agg};
use crate::q::prims::groupid::Groups;

/// A column expression as aggregates combined by atomic verbs, or one chain per group.
pub enum Plan {
    Agg(Agg, Vec<Sym>),
    Atom(K),
    /// An atomic unary keyword or `-` (negate) of a plan.
    Monad(Sym, Box<Plan>),
    /// An atomic glyph or keyword between plans.
    Dyad(Sym, Box<Plan>, Box<Plan>),
    /// A column's items per group with primitives applied in turn (innermost first).
    Chain(Sym, Vec<Step>),
}

/// One primitive of a chain: unary, or binary with a constant on its left or right.
pub enum Step {
    Monad(Sym),
    Left(Sym, K),
    Right(Sym, K),
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

/// Unary primitives a chain may apply to a group's items (beside `MONADS` and the aggregates).
const CHAIN_MONADS: [&str; 16] = [
    "asc", "desc", "reverse", "distinct", "sums", "prds", "maxs", "mins", "deltas", "ratios",
    "fills", "first", "last", "count", "sum", "max",
];

/// Binary primitives a chain may apply with a constant argument (beside `DYADS`).
const CHAIN_DYADS: [&str; 5] = ["sublist", "#", "_", "in", "within"];

/// An expression reduced to what a plan needs: columns, atoms and named primitives.
enum Term {
    Col(Sym),
    Atom(K),
    Call(Sym, Vec<Term>),
}

/// The plan for `e`, or None when it is not made of aggregates of the columns `names` (or `i`).
pub fn plan(e: &Expr, names: &[Sym]) -> Option<Plan> {
    let t = match e {
        Expr::Ast(n) => from_node(n, names)?,
        Expr::Tree(k) => from_tree(k, names)?,
    };
    if let Some(p) = lower(&t) {
        if has_agg(&p) {
            return Some(p);
        }
    }
    chain(&t)
}

fn has_agg(p: &Plan) -> bool {
    match p {
        Plan::Agg(..) | Plan::Chain(..) => true,
        Plan::Atom(_) => false,
        Plan::Monad(_, x) => has_agg(x),
        Plan::Dyad(_, x, y) => has_agg(x) || has_agg(y),
    }
}

fn is_column(s: Sym, names: &[Sym]) -> bool {
    names.contains(&s) || s.as_bytes() == b"i"
}

fn from_node(e: &Node, names: &[Sym]) -> Option<Term> {
    // A keyword, not a column of that name.
    let keyword = |n: &Node| match n {
        Node::Name(s) if !names.contains(s) => Some(*s),
        _ => None,
    };
    let all =
        |v: &[&Node]| -> Option<Vec<Term>> { v.iter().map(|x| from_node(x, names)).collect() };
    match e {
        Node::Name(s) if is_column(*s, names) => Some(Term::Col(*s)),
        Node::Const(k) if k.is_atom() => Some(Term::Atom(k.clone())),
        Node::Monad(f, x, _) => {
            let s = match &**f {
                Node::Verb(g) if g.as_bytes() == b"-" => Sym::new("neg"),
                f => keyword(f)?,
            };
            Some(Term::Call(s, all(&[x])?))
        }
        Node::Apply(f, args, _) => {
            let s = keyword(f)?;
            let args: Vec<&Node> = args.iter().collect();
            Some(Term::Call(s, all(&args)?))
        }
        Node::Dyad(op, x, y, _) => {
            let s = match &**op {
                Node::Verb(g) => *g,
                op => keyword(op)?,
            };
            Some(Term::Call(s, all(&[x, y])?))
        }
        _ => None,
    }
}

fn from_tree(k: &K, names: &[Sym]) -> Option<Term> {
    use crate::q::eval::verbs::{decode, PrimRef};
    match k.t() {
        A_KS if is_column(k.s(), names) => Some(Term::Col(k.s())),
        // A name that is not a column (a variable) is read at run time: not planned.
        A_KS => None,
        KS if k.n() == 1 => Some(Term::Atom(K::sym(k.as_slice::<Sym>()[0]))),
        0 if k.n() == 1 && k.items()[0].is_atom() => Some(Term::Atom(k.items()[0].clone())),
        0 if k.n() >= 2 => {
            let items = k.items();
            let args = &items[1..];
            let name = match (decode(&items[0])?, args.len()) {
                (PrimRef::Keyword(n, _), _) => n,
                (PrimRef::Glyph(g), 2) => g,
                (PrimRef::UnaryGlyph(g), 1) => unary_keyword(g)?,
                _ => return None,
            };
            let args: Option<Vec<Term>> = args.iter().map(|a| from_tree(a, names)).collect();
            Some(Term::Call(Sym::new(name), args?))
        }
        t if t < 0 && t > -20 => Some(Term::Atom(k.clone())),
        _ => None,
    }
}

/// The keyword kdb+ spells as glyph `g`'s unary form (`#:` is `count`).
fn unary_keyword(g: &str) -> Option<&'static str> {
    let code = crate::q::eval::verbs::GLYPHS.iter().position(|x| *x == g)? as u8;
    crate::q::prims::KEYWORD_UNARY
        .iter()
        .find(|(_, c)| *c == code)
        .map(|(n, _)| *n)
}

fn lower(t: &Term) -> Option<Plan> {
    match t {
        Term::Atom(k) => Some(Plan::Atom(k.clone())),
        Term::Col(_) => None,
        Term::Call(s, args) => {
            let name = s.as_str();
            if let Some((agg, arity)) = Agg::named(&name) {
                let cols: Option<Vec<Sym>> = args
                    .iter()
                    .map(|a| match a {
                        Term::Col(c) => Some(*c),
                        _ => None,
                    })
                    .collect();
                return (args.len() == arity).then_some(Plan::Agg(agg, cols?));
            }
            match args.as_slice() {
                [x] if MONADS.contains(&&*name) => Some(Plan::Monad(*s, Box::new(lower(x)?))),
                [x, y] if DYADS.contains(&&*name) => {
                    Some(Plan::Dyad(*s, Box::new(lower(x)?), Box::new(lower(y)?)))
                }
                _ => None,
            }
        }
    }
}

/// A chain of primitives over one column, or None.
fn chain(t: &Term) -> Option<Plan> {
    let mut steps = Vec::new();
    let mut at = t;
    loop {
        match at {
            Term::Col(c) => {
                steps.reverse();
                return Some(Plan::Chain(*c, steps));
            }
            Term::Atom(_) => return None,
            Term::Call(s, args) => {
                let name = s.as_str();
                match args.as_slice() {
                    [x] if MONADS.contains(&&*name)
                        || CHAIN_MONADS.contains(&&*name)
                        || matches!(Agg::named(&name), Some((_, 1))) =>
                    {
                        steps.push(Step::Monad(*s));
                        at = x;
                    }
                    [Term::Atom(k), x]
                        if DYADS.contains(&&*name) || CHAIN_DYADS.contains(&&*name) =>
                    {
                        steps.push(Step::Left(*s, k.clone()));
                        at = x;
                    }
                    [x, Term::Atom(k)]
                        if DYADS.contains(&&*name) || CHAIN_DYADS.contains(&&*name) =>
                    {
                        steps.push(Step::Right(*s, k.clone()));
                        at = x;
                    }
                    _ => return None,
                }
            }
        }
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
        // `count i`: the group sizes, without a row index written for every row.
        Plan::Agg(Agg::Count, names) if matches!(names[..], [s] if s.as_bytes() == b"i") => {
            K::from_slice(KJ, g.sizes())
        }
        Plan::Agg(agg, names) => {
            let cols: Option<Vec<K>> = names.iter().map(|&s| col(s)).collect();
            let Some(cols) = cols else { return Ok(None) };
            let refs: Vec<&K> = cols.iter().collect();
            match aggregate(g, *agg, &refs) {
                Some(v) => v,
                None => return Ok(None),
            }
        }
        Plan::Chain(c, steps) => {
            let Some(x) = col(*c) else { return Ok(None) };
            if x.t() <= 0 || x.t() >= XT || x.n() != g.id.len() {
                return Ok(None);
            }
            per_group_chain(cx, &x, steps, g)?
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
            apply2(cx, *f, x, y)?
        }
    }))
}

fn apply2(cx: &mut Ctx, f: Sym, x: K, y: K) -> Result<K> {
    let name = f.as_str();
    if name.len() == 1 {
        crate::q::eval::apply::glyph_dyad(cx, &name, x, y)
    } else {
        crate::q::eval::apply::call_keyword(cx, &name, vec![x, y])
    }
}

/// The chain applied to each group's items of `x` (a simple vector, one item per row): the
/// per-group results as one column, atoms collapsed as a query per group collapses them.
fn per_group_chain(cx: &mut Ctx, x: &K, steps: &[Step], g: &Groups) -> Result<K> {
    if let Some(v) = top_per_group(x, steps, g) {
        return Ok(v);
    }
    let (rows, start) = g.rows();
    let mut per = Vec::with_capacity(g.count);
    let mut idx: Vec<i64> = Vec::new();
    for k in 0..g.count {
        idx.clear();
        idx.extend(rows[start[k]..start[k + 1]].iter().map(|&r| r as i64));
        let mut v = crate::q::prims::kit::gather(x, &idx);
        for s in steps {
            v = match s {
                Step::Monad(f) => crate::q::eval::apply::call_keyword(cx, &f.as_str(), vec![v])?,
                Step::Left(f, a) => apply2(cx, *f, a.clone(), v)?,
                Step::Right(f, a) => apply2(cx, *f, v, a.clone())?,
            };
        }
        per.push(v);
    }
    Ok(super::collapse_column(per))
}

/// `n sublist desc v` per group (db-benchmark's largest two) for a small n: the n largest
/// items of each group in one pass over its rows, as `desc` (a stable sort) orders them, nulls
/// smallest and equal items in row order, without sorting the group.
fn top_per_group(x: &K, steps: &[Step], g: &Groups) -> Option<K> {
    let [Step::Monad(d), Step::Left(f, n)] = steps else {
        return None;
    };
    let n = match n.t() {
        A_KJ => n.j(),
        A_KI => n.i() as i64,
        _ => return None,
    };
    if d.as_bytes() != b"desc" || f.as_bytes() != b"sublist" || !(0..=16).contains(&n) {
        return None;
    }
    let n = n as usize;
    let rows_of = |(top, len): (Vec<u32>, Vec<usize>)| -> Vec<K> {
        (0..g.count)
            .map(|k| {
                let idx: Vec<i64> = top[k * n..k * n + len[k]]
                    .iter()
                    .map(|&r| r as i64)
                    .collect();
                crate::q::prims::kit::gather(x, &idx)
            })
            .collect()
    };
    let out = match x.t() {
        // Nulls are smallest; -0.0 equals 0.0 (as the sort's keys have them).
        KF => rows_of(top_rows(g, x.as_slice::<f64>(), n, |a: f64, b: f64| {
            !a.is_nan() && (b.is_nan() || a > b)
        })),
        t if t > 0 && t < XT && item_size(t) == 8 && !owns_items(t) && t != KZ => {
            rows_of(top_rows(g, x.as_slice::<i64>(), n, |a: i64, b: i64| a > b))
        }
        _ => return None,
    };
    // The same per-group column a chain run per group gives.
    Some(super::collapse_column(out))
}

/// Each group's `n` best rows by `greater` (a strict order), best first and equal items in row
/// order, and how many each group has: the rows visited in order, each group's best values
/// kept beside its rows so that a row that does not make its group's list (most of them)
/// costs one comparison with the group's last kept value.
fn top_rows<T: Copy + Default>(
    g: &Groups,
    v: &[T],
    n: usize,
    greater: impl Fn(T, T) -> bool,
) -> (Vec<u32>, Vec<usize>) {
    let mut top = vec![0u32; g.count * n];
    let mut val = vec![T::default(); g.count * n];
    let mut len = vec![0usize; g.count];
    for (r, (&k, &x)) in g.id.iter().zip(v).enumerate() {
        let k = k as usize;
        let l = len[k];
        let vals = &mut val[k * n..k * n + n];
        if l == n && (n == 0 || !greater(x, vals[n - 1])) {
            continue;
        }
        // After every item not smaller than x.
        let at = vals[..l].partition_point(|&t| !greater(x, t));
        let end = (l + 1).min(n);
        let best = &mut top[k * n..k * n + n];
        best.copy_within(at..end - 1, at + 1);
        vals.copy_within(at..end - 1, at + 1);
        best[at] = r as u32;
        vals[at] = x;
        len[k] = end;
    }
    (top, len)
}

/// The results of those of `plans` that are avgs of long columns, computed together in one
/// pass over the group ids where there are several (`prims::groupedmany`); None for the
/// others, which `run` computes alone.
pub fn run_fused(
    plans: &[Option<Plan>],
    g: &Groups,
    col: &dyn Fn(Sym) -> Option<K>,
) -> Vec<Option<K>> {
    let mut aggs = Vec::new();
    let mut cols = Vec::new();
    let mut at = Vec::new();
    for (i, p) in plans.iter().enumerate() {
        if let Some(Plan::Agg(agg @ Agg::Avg, names)) = p {
            if let Some(x) = col(names[0]).filter(|x| x.t() == KJ) {
                aggs.push(*agg);
                cols.push(x);
                at.push(i);
            }
        }
    }
    let mut out: Vec<Option<K>> = plans.iter().map(|_| None).collect();
    if at.len() < 2 {
        return out;
    }
    let refs: Vec<&K> = cols.iter().collect();
    let done = crate::q::prims::groupedmany::avgs(g, &aggs, &refs);
    for (i, v) in at.into_iter().zip(done) {
        out[i] = v;
    }
    out
}
