//! `select` aggregates over a partitioned table with secondary threads (`-s N`, `\s N`): as
//! kdb+ does, the query is mapped over the partitions, each on a pool thread (read-only in the
//! engine lock's sense, as `peach` runs), and the partial results are reduced: a sum of sums, a
//! sum of counts, a min of mins, the first of firsts, `avg` as a sum over a count.
//!
//! Only queries whose reduction gives exactly what the query over all partitions at once gives
//! take this path: columns `f c` with `f` one of `sum count min max first last avg` (`sum` and
//! `avg` of long columns only, `avg` while every group's sum is exact in a float), grouped by
//! plain columns or not at all, where clauses only comparisons of the partition field with
//! constants (already applied in choosing the partitions). Anything else, and any error on the
//! way, leaves the query to the path that joins the partitions first.

use super::frame::Expr;
use super::functional::functional_select;
use super::{partitions_in_view, Cols, Group, Query};
use crate::obj::*;
use crate::q::eval::Ctx;
use crate::q::lang::ast::{Node, SqlKind};

#[derive(Clone, Copy, PartialEq)]
enum Agg {
    Sum,
    Count,
    Min,
    Max,
    First,
    Last,
    Avg,
}

/// The query as keys and aggregates of columns.
struct Plan {
    /// (result name, column), or None for an ungrouped select.
    keys: Option<Vec<(Sym, Sym)>>,
    /// (result name, aggregate, column).
    aggs: Vec<(Sym, Agg, Sym)>,
}

/// The query's result computed partition by partition on the secondary threads, or None
/// where it must run over the partitions joined.
pub(super) fn map_reduce(cx: &mut Ctx, q: &Query, p: &K) -> Option<Result<K>> {
    if q.kind != SqlKind::Select
        || q.limit.is_some()
        || q.order.is_some()
        || q.distinct
        || crate::q::eval::peach::in_secondary()
    {
        return None;
    }
    let threads = cx.eng.settings.lock().session.threads.max(0) as usize;
    if threads < 1 {
        return None;
    }
    let db = crate::q::disk::partition::db(cx).ok()?;
    let mut names = vec![db.field];
    names.extend_from_slice(p.table_dict().items()[0].as_slice::<Sym>());
    let plan = plan(q, db.field, &names)?;
    let which = partitions_in_view(cx, q, p).ok()??;
    if which.len() < 2 {
        return None;
    }
    let partials = map(cx, p, &which, &plan, threads)?;
    reduce(cx, &plan, partials).map(Ok)
}

fn plan(q: &Query, field: Sym, names: &[Sym]) -> Option<Plan> {
    let column = |n: &Node| match n {
        Node::Name(c) if names.contains(c) => Some(*c),
        _ => None,
    };
    let keys = match &q.by {
        Group::None => None,
        Group::Named(v) => Some(
            v.iter()
                .map(|(s, e)| match e {
                    Expr::Ast(n) => column(n).map(|c| (*s, c)),
                    Expr::Tree(_) => None,
                })
                .collect::<Option<Vec<_>>>()?,
        ),
        Group::Unnamed(_) => return None,
    };
    let Cols::Named(cols) = &q.cols else {
        return None;
    };
    let mut aggs = Vec::with_capacity(cols.len());
    for (s, e) in cols {
        let Expr::Ast(n) = e else { return None };
        let (f, x) = match n {
            Node::Monad(f, x, _) => (&**f, &**x),
            Node::Apply(f, args, _) if args.len() == 1 => (&**f, &args[0]),
            _ => return None,
        };
        let Node::Name(f) = f else { return None };
        if names.contains(f) {
            return None;
        }
        let agg = match &*f.as_str() {
            "sum" => Agg::Sum,
            "count" => Agg::Count,
            "min" => Agg::Min,
            "max" => Agg::Max,
            "first" => Agg::First,
            "last" => Agg::Last,
            "avg" => Agg::Avg,
            _ => return None,
        };
        let c = match x {
            Node::Name(i) if agg == Agg::Count && i.as_bytes() == b"i" && !names.contains(i) => *i,
            x => column(x)?,
        };
        aggs.push((*s, agg, c));
    }
    if aggs.is_empty() || !q.wheres.iter().all(|w| on_field(w, field)) {
        return None;
    }
    Some(Plan { keys, aggs })
}

/// Whether a where clause compares the partition field with a constant (so it keeps whole
/// partitions, as choosing the partitions found).
fn on_field(w: &Expr, field: Sym) -> bool {
    let Expr::Ast(Node::Dyad(op, x, y, _)) = w else {
        return false;
    };
    let op = match &**op {
        Node::Verb(s) => matches!(s.as_bytes(), b"=" | b"<" | b">" | b"<=" | b">=" | b"<>"),
        Node::Name(s) => matches!(s.as_bytes(), b"within" | b"in"),
        _ => false,
    };
    let constant = match &**y {
        Node::Const(_) => true,
        Node::List(v) => v.iter().all(|n| matches!(n, Node::Const(_))),
        _ => false,
    };
    op && constant && matches!(&**x, Node::Name(s) if *s == field)
}

fn builtin(name: &str) -> K {
    crate::q::eval::verbs::reserved(Sym::new(name)).expect("a reserved word")
}

fn apply(f: &str, x: K) -> K {
    K::list(vec![builtin(f), x])
}

/// The partial columns an aggregate needs, named after its position.
fn partials(j: usize, agg: Agg, c: Sym) -> Vec<(Sym, K)> {
    let name = |tag: &str| Sym::new(format!("{j}{tag}"));
    let col = K::sym(c);
    match agg {
        Agg::Avg => vec![
            (name("s"), apply("sum", col.clone())),
            (
                name("n"),
                apply("sum", apply("not", apply("null", col.clone()))),
            ),
            (name("m"), apply("max", apply("abs", col))),
        ],
        Agg::Sum => vec![(name("s"), apply("sum", col))],
        Agg::Count => vec![(name("c"), apply("count", col))],
        Agg::Min => vec![(name("v"), apply("min", col))],
        Agg::Max => vec![(name("v"), apply("max", col))],
        Agg::First => vec![(name("v"), apply("first", col))],
        Agg::Last => vec![(name("v"), apply("last", col))],
    }
}

/// The by clause of a functional select over `keys` read from columns `cols`.
fn by(keys: &Option<Vec<(Sym, Sym)>>, cols: impl Fn(&(Sym, Sym)) -> Sym) -> K {
    match keys {
        None => K::bool(false),
        Some(k) => {
            let names: Vec<Sym> = k.iter().map(|x| x.0).collect();
            let from: Vec<Sym> = k.iter().map(cols).collect();
            K::dict(K::from_slice(KS, &names), K::from_slice(KS, &from))
        }
    }
}

fn columns_dict(cols: Vec<(Sym, K)>) -> K {
    let (names, trees): (Vec<Sym>, Vec<K>) = cols.into_iter().unzip();
    K::dict(K::from_slice(KS, &names), K::list(trees))
}

/// Each partition's partial table (empty partitions left out), in partition order.
fn map(cx: &Ctx, p: &K, which: &[usize], plan: &Plan, threads: usize) -> Option<Vec<K>> {
    let b = by(&plan.keys, |k| k.1);
    let a = columns_dict(
        plan.aggs
            .iter()
            .enumerate()
            .flat_map(|(j, &(_, agg, c))| partials(j, agg, c))
            .collect(),
    );
    let (eng, limit) = (cx.eng, cx.limit());
    let mut results: Vec<Option<Result<Option<K>>>> = vec![None; which.len()];
    let jobs: Vec<Box<dyn FnOnce() + Send + '_>> = which
        .iter()
        .zip(results.iter_mut())
        .map(|(&i, slot)| {
            let (p, b, a) = (p.clone(), b.clone(), a.clone());
            Box::new(move || {
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    crate::q::eval::peach::as_secondary(|| {
                        let mut w = Ctx::within(eng, limit);
                        let t = crate::q::disk::partition::materialize(&w, &p, &[i])?;
                        if table::row_count(&t) == 0 {
                            return Ok(None);
                        }
                        functional_select(&mut w, vec![t, K::list(Vec::new()), b, a]).map(Some)
                    })
                }));
                *slot = Some(r.unwrap_or_else(|p| Err(Error::from_panic(p))));
            }) as Box<dyn FnOnce() + Send + '_>
        })
        .collect();
    crate::sys::pool::run_all(jobs, threads);
    let mut out = Vec::with_capacity(which.len());
    for r in results {
        if let Some(t) = r?.ok()? {
            out.push(t);
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The partial tables joined and reduced to the query's result; None where the reduction
/// would not give exactly the query's result.
fn reduce(cx: &mut Ctx, plan: &Plan, tables: Vec<K>) -> Option<K> {
    let mut all = None;
    for t in tables {
        let t = if plan.keys.is_some() {
            table::unkey(t).ok()?
        } else {
            t
        };
        all = Some(match all {
            None => t,
            Some(a) => crate::q::prims::join::join(a, t).ok()?,
        });
    }
    let all = all?;
    let mut reduced: Vec<(Sym, K)> = Vec::new();
    for (j, &(_, agg, c)) in plan.aggs.iter().enumerate() {
        for (name, _) in partials(j, agg, c) {
            let f = match (agg, name.as_bytes().last()) {
                (Agg::Min, _) => "min",
                (Agg::Max, _) | (Agg::Avg, Some(b'm')) => "max",
                (Agg::First, _) => "first",
                (Agg::Last, _) => "last",
                _ => "sum",
            };
            reduced.push((name, apply(f, K::sym(name))));
        }
    }
    for (j, &(_, agg, _)) in plan.aggs.iter().enumerate() {
        let s = Sym::new(format!("{j}s"));
        // Only long partials: a partition's sum of a shorter type is already narrowed to its
        // type (the whole-table sum and avg are not), so those take the general path.
        if matches!(agg, Agg::Sum | Agg::Avg) && column(&all, s)?.t() != KJ {
            return None;
        }
    }
    let b = by(&plan.keys, |k| k.0);
    let r = functional_select(cx, vec![all, K::list(Vec::new()), b, columns_dict(reduced)]).ok()?;
    let (keys, values) = match plan.keys {
        Some(_) if r.t() == XD => (Some(r.items()[0].clone()), r.items()[1].clone()),
        None if r.t() == XT => (None, r),
        _ => return None,
    };
    let mut names = Vec::with_capacity(plan.aggs.len());
    let mut cols = Vec::with_capacity(plan.aggs.len());
    for (j, &(name, agg, _)) in plan.aggs.iter().enumerate() {
        let part = |tag: &str| column(&values, Sym::new(format!("{j}{tag}")));
        names.push(name);
        cols.push(match agg {
            Agg::Avg => average(&part("s")?, &part("n")?, &part("m")?)?,
            Agg::Sum => part("s")?,
            Agg::Count => part("c")?,
            _ => part("v")?,
        });
    }
    let values = table::table_from_dict(K::dict(K::from_slice(KS, &names), K::list(cols))).ok()?;
    Some(match keys {
        Some(k) => K::dict(k, values),
        None => values,
    })
}

fn column(t: &K, name: Sym) -> Option<K> {
    let d = t.table_dict();
    let at = d.items()[0]
        .as_slice::<Sym>()
        .iter()
        .position(|&n| n == name)?;
    Some(d.items()[1].items()[at].clone())
}

/// `avg` from each group's integer sum, count of non-nulls and largest magnitude: exactly
/// what `avg` over the group gives while the group's sum of magnitudes stays below 2^53 (a
/// float then holds every partial sum exactly, in any order); None beyond.
fn average(s: &K, n: &K, m: &K) -> Option<K> {
    use crate::q::prims::num::column as floats;
    let (s, n, m) = (floats::<f64>(s), floats::<f64>(n), floats::<f64>(m));
    let mut out = Vec::with_capacity(s.len());
    for ((&s, &n), &m) in s.iter().zip(n.iter()).zip(m.iter()) {
        if !m.is_nan() && m * n >= (1u64 << 53) as f64 {
            return None;
        }
        out.push(s / n);
    }
    Some(K::from_slice(KF, &out))
}
