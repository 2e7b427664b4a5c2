//! qSQL: `select exec update delete`, and their functional forms `?[t;c;b;a]`, `![t;c;b;a]`.
//!
//! Both forms become one `Query` that `run` evaluates here: where clauses narrow the rows,
//! `by` groups them, and the columns are computed per row set. Parts: `frame` (column
//! expressions run with the columns as locals, so a column name reads as the column restricted
//! to the rows in play, and `i` as the row index), `groups`, `parsed` (qSQL as written, and the
//! functional form `parse` shows) and `functional` (`?[t;c;b;a]`, `?[t;i;p]`, `![t;c;b;a]`).
//! Beside them, `windowjoin` (`wj wj1`), which runs its aggregates over row sets too.

mod aggplan;
mod frame;
mod functional;
mod groups;
mod parsed;
mod partitioned;
pub mod windowjoin;

pub use functional::{functional_select, functional_update, simple_exec};
pub use groups::positions_by_value;
pub use parsed::{eval, parse_tree};

use crate::obj::*;
use crate::q::eval::atoms::*;
use crate::q::eval::index::gather;
use crate::q::eval::values::*;
use crate::q::eval::Ctx;
use crate::q::lang::ast::{Node, SqlKind};
use frame::{columns, eval_in, filter, make_table, Expr};
use groups::{group_key, groups};

/// What a query computes per row set: every column, one unnamed value (exec's `exec c`), or
/// named columns.
enum Cols<'a> {
    All,
    One(Expr<'a>),
    Named(Vec<(Sym, Expr<'a>)>),
}

/// How a query groups: not at all, by one unnamed key (exec's `by c`, a list of keys), or by
/// named keys (a key table).
enum Group<'a> {
    None,
    Unnamed(Expr<'a>),
    Named(Vec<(Sym, Expr<'a>)>),
}

/// The shared core of select, exec, update and delete.
struct Query<'a> {
    kind: SqlKind,
    /// `select[n]`: a count (negative from the end) or an `offset count` pair.
    limit: Option<K>,
    /// The functional form's sort: an index expression over the rows in play.
    order: Option<Expr<'a>>,
    /// `select distinct`.
    distinct: bool,
    cols: Cols<'a>,
    by: Group<'a>,
    wheres: Vec<Expr<'a>>,
    /// delete's column list.
    drop: Vec<Sym>,
}

impl Query<'_> {
    fn grouped(&self) -> bool {
        !matches!(self.by, Group::None)
    }

    /// The named columns update computes (select and exec name theirs the same way).
    fn named(&self) -> &[(Sym, Expr<'_>)] {
        match &self.cols {
            Cols::Named(v) => v,
            _ => &[],
        }
    }
}

fn run(cx: &mut Ctx, q: Query, from: K) -> Result<K> {
    crate::q::eval::stack::guard();
    // `delete a from `.` removes globals.
    if from.t() == A_KS && from.s().as_bytes() == b"." && q.kind == SqlKind::Delete {
        for name in &q.drop {
            cx.eng.take_global(*name)?;
        }
        return Ok(from);
    }
    // A symbol names a global table: update and delete write it back (not a partitioned one).
    if from.t() == A_KS && matches!(q.kind, SqlKind::Update | SqlKind::Delete) {
        if crate::q::disk::partition::raw(cx, from.s()).is_some() {
            return Err(Error::new("par"));
        }
        let name = from.s();
        let t = cx.lookup_global(name)?;
        let r = run(cx, q, t)?;
        cx.eng_set(name, r)?;
        return Ok(from);
    }
    let from = if from.t() == A_KS {
        match crate::q::disk::partition::raw(cx, from.s()) {
            Some(p) => p,
            None => cx.lookup_global(from.s())?,
        }
    } else {
        from
    };
    let from = if crate::q::disk::partition::is_partitioned(&from) {
        if let Some(r) = partitioned::map_reduce(cx, &q, &from) {
            return r;
        }
        partitions_for(cx, &q, &from)?
    } else {
        from
    };
    // `delete k from d`: a dictionary without those keys.
    if from.t() == XD
        && from.items()[0].t() == KS
        && q.kind == SqlKind::Delete
        && !q.drop.is_empty()
    {
        let keys = from.items()[0].as_slice::<Sym>().to_vec();
        let keep: Vec<i64> = (0..keys.len() as i64)
            .filter(|&j| !q.drop.contains(&keys[j as usize]))
            .collect();
        let k = gather(&from.items()[0], &keep);
        let v = gather(&from.items()[1], &keep);
        return Ok(K::dict(k, v));
    }
    // Keyed tables: work on the plain table, key the result again for select and update.
    if from.t() == XD && from.items()[0].t() == XT {
        let nk = from.items()[0].table_dict().items()[0].n();
        let plain = table::unkey(from)?;
        let rekey = match q.kind {
            SqlKind::Exec => false,
            SqlKind::Select => !q.grouped() && matches!(q.cols, Cols::All),
            // Update and delete keep the rows and their keys, grouped or not.
            SqlKind::Update | SqlKind::Delete => true,
        };
        let r = run(cx, q, plain)?;
        return if rekey && r.t() == XT {
            table::key_first(nk as i64, r.clone()).or(Ok(r))
        } else {
            Ok(r)
        };
    }
    if from.t() != XT {
        return Err(Error::type_());
    }
    let n = table::row_count(&from);
    let cols = columns(&from);
    // Grouping and aggregation may split their rows across the secondary threads (not from
    // inside peach, whose threads they are), no more of them than the CPUs this process may
    // run on: the kernels are CPU-bound, and on 2 CPUs \s 4's layout made them 2.4x slower.
    let threads = if crate::q::eval::peach::in_secondary() {
        0
    } else {
        let set = cx.eng.settings.lock().session.threads.max(0) as usize;
        set.min(crate::q::prims::split::cpus())
    };
    crate::q::prims::split::with_threads(threads, || {
        let rows = filter(cx, &cols, n, &q.wheres)?;
        match q.kind {
            SqlKind::Select => select(cx, &q, &cols, n, rows),
            SqlKind::Exec => exec(cx, &q, &cols, n, rows),
            SqlKind::Update => update(cx, &q, cols, n, rows),
            SqlKind::Delete => delete(&q, cols, n, rows),
        }
    })
}

/// A partitioned table as the query needs it: its leading where clauses that read only the
/// partition field are evaluated on the partition values, and only the partitions they keep
/// are mapped (the clauses run again on the rows, which they keep whole).
fn partitions_for(cx: &mut Ctx, q: &Query, p: &K) -> Result<K> {
    match partitions_in_view(cx, q, p)? {
        None => crate::q::disk::partition::materialize_all(cx, p),
        Some(which) => crate::q::disk::partition::materialize(cx, p, &which),
    }
}

/// The partitions (indices into `.Q.pv`) a query over partitioned table `p` reads, after its
/// leading where clauses on the partition field; None for a splayed table's placeholder.
fn partitions_in_view(cx: &mut Ctx, q: &Query, p: &K) -> Result<Option<Vec<usize>>> {
    let target = &p.table_dict().items()[1];
    if target.s().as_bytes().starts_with(b":") {
        return Ok(None);
    }
    let db = crate::q::disk::partition::db(cx).map_err(|_| Error(target.s()))?;
    if !cx
        .eng
        .get_global(Sym::new(".Q.pt"))
        .and_then(|pt| syms(&pt))
        .is_some_and(|pt| pt.contains(&target.s()))
    {
        return Err(Error(target.s()));
    }
    // kdb+ itself answers `select[n]` over a partitioned table with 'nyi (ref/flip-splayed.md:
    // `select[1] from flip enlist[`a]!`t` is 'nyi): kept as kdb+'s own answer.
    if q.limit.is_some() {
        return Err(Error::nyi());
    }
    let mut names: Vec<Sym> = vec![db.field];
    names.extend_from_slice(p.table_dict().items()[0].as_slice::<Sym>());
    let mut keep: Vec<i64> = (0..db.values.n() as i64).collect();
    for w in &q.wheres {
        if !reads_only(w, db.field, &names) {
            break;
        }
        let cols = vec![(db.field, gather(&db.values, &keep))];
        if let Some(rows) = filter(cx, &cols, keep.len(), std::slice::from_ref(w))? {
            keep = rows.iter().map(|&r| keep[r as usize]).collect();
        }
    }
    Ok(Some(keep.iter().map(|&i| i as usize).collect()))
}

/// Whether a where clause reads no column but `field` (nor the row index `i`).
fn reads_only(w: &Expr, field: Sym, cols: &[Sym]) -> bool {
    let ok = |s: Sym| s == field || !cols.contains(&s) && s.as_bytes() != b"i";
    fn node(n: &Node, ok: &dyn Fn(Sym) -> bool) -> bool {
        match n {
            Node::Name(s) => ok(*s),
            Node::Const(_)
            | Node::Verb(_)
            | Node::UnaryVerb(_)
            | Node::Lambda(_)
            | Node::Elided
            | Node::Nil => true,
            Node::List(v) | Node::Cond(v) => v.iter().all(|x| node(x, ok)),
            Node::Apply(f, args, _) => node(f, ok) && args.iter().all(|x| node(x, ok)),
            Node::Monad(f, x, _) | Node::Compose(f, x) => node(f, ok) && node(x, ok),
            Node::Dyad(f, x, y, _) => node(f, ok) && node(x, ok) && node(y, ok),
            Node::Adverb(f, _) => node(f, ok),
            _ => false,
        }
    }
    fn tree(k: &K, ok: &dyn Fn(Sym) -> bool) -> bool {
        match k.t() {
            A_KS => ok(k.s()),
            0 => k.items().iter().all(|x| tree(x, ok)),
            _ => true,
        }
    }
    match w {
        Expr::Ast(n) => node(n, &ok),
        Expr::Tree(k) => tree(k, &ok),
    }
}

fn all_rows(rows: Option<Vec<i64>>, n: usize) -> Vec<i64> {
    rows.unwrap_or_else(|| (0..n as i64).collect())
}

/// The rows a grouped query works on, None for every row in order: a query without a sort or
/// a limit needs no list of all the rows (10M rows: an 80 MB list written and scanned).
fn grouped_rows(
    cx: &mut Ctx,
    q: &Query,
    cols: &[(Sym, K)],
    n: usize,
    rows: Option<Vec<i64>>,
) -> Result<Option<Vec<i64>>> {
    if rows.is_none() && q.order.is_none() && q.limit.is_none() {
        return Ok(None);
    }
    order_and_limit(cx, q, cols, n, all_rows(rows, n)).map(Some)
}

/// Extends atoms to `n` rows.
fn widen(v: K, n: usize) -> K {
    if v.is_atom() {
        collapse(vec![v; n])
    } else {
        v
    }
}

/// A sort's indices into the rows in play: qSQL's `<c` (`>c`) grades c up (down); the
/// functional form's sort is any index expression.
fn sort_indices(cx: &mut Ctx, cols: &[(Sym, K)], rows: &[i64], n: usize, e: &Expr) -> Result<K> {
    if let Expr::Ast(Node::Monad(f, x, _)) = e {
        if let Node::Verb(g) | Node::UnaryVerb(g) = &**f {
            let grade = match g.as_bytes() {
                b"<" => Some("iasc"),
                b">" => Some("idesc"),
                _ => None,
            };
            if let Some(grade) = grade {
                let v = eval_in(cx, cols, Some(rows), n, &Expr::Ast(x))?;
                return crate::q::eval::apply::call_keyword(cx, grade, vec![v]);
            }
        }
    }
    eval_in(cx, cols, Some(rows), n, e)
}

/// The rows in play, sorted by the query's order then cut to its limit.
fn order_and_limit(
    cx: &mut Ctx,
    q: &Query,
    cols: &[(Sym, K)],
    n: usize,
    rows: Vec<i64>,
) -> Result<Vec<i64>> {
    let rows = match &q.order {
        Some(e) => {
            let perm = sort_indices(cx, cols, &rows, n, e)?;
            let perm = as_longs(&perm).ok_or_else(Error::type_)?;
            perm.iter()
                .map(|&p| rows.get(p as usize).copied().ok_or_else(Error::length))
                .collect::<Result<Vec<i64>>>()?
        }
        None => rows,
    };
    let Some(lim) = &q.limit else { return Ok(rows) };
    let len = rows.len() as i64;
    let (from, to) = match (as_long(lim), as_longs(lim).as_deref()) {
        (Some(take), _) if lim.is_atom() => {
            if take >= 0 {
                (0, take.min(len))
            } else {
                (len.saturating_add(take).max(0), len)
            }
        }
        (_, Some([offset, take])) => (
            (*offset).clamp(0, len),
            offset.saturating_add(*take).clamp(0, len),
        ),
        _ => return Err(Error::type_()),
    };
    Ok(rows[from as usize..to.max(from) as usize].to_vec())
}

fn select(
    cx: &mut Ctx,
    q: &Query,
    cols: &[(Sym, K)],
    n: usize,
    rows: Option<Vec<i64>>,
) -> Result<K> {
    let t = if q.grouped() {
        let rows = grouped_rows(cx, q, cols, n, rows)?;
        grouped(cx, q, cols, n, rows.as_deref())?
    } else {
        let rows = order_and_limit(cx, q, cols, n, all_rows(rows, n))?;
        let out = match &q.cols {
            Cols::All => cols
                .iter()
                .map(|(s, c)| (*s, gather(c, &rows)))
                .collect::<Vec<_>>(),
            Cols::One(e) => vec![(Sym::new("x"), eval_in(cx, cols, Some(&rows), n, e)?)],
            Cols::Named(named) => {
                let mut vals = Vec::new();
                for (s, e) in named {
                    vals.push((*s, eval_in(cx, cols, Some(&rows), n, e)?));
                }
                let len = vals
                    .iter()
                    .filter(|(_, v)| !v.is_atom())
                    .map(|(_, v)| count(v))
                    .max()
                    .unwrap_or(1);
                if vals.iter().any(|(_, v)| !v.is_atom() && count(v) != len) {
                    return Err(Error::length());
                }
                vals.into_iter().map(|(s, v)| (s, widen(v, len))).collect()
            }
        };
        make_table(out)?
    };
    if q.distinct {
        return crate::q::eval::apply::call_prim("distinct", vec![t]);
    }
    Ok(t)
}

/// Evaluates `e` on each group's rows: one column of per-group results.
fn per_group(cx: &mut Ctx, cols: &[(Sym, K)], n: usize, gs: &[Vec<i64>], e: &Expr) -> Result<K> {
    let mut per = Vec::with_capacity(gs.len());
    for g in gs {
        per.push(eval_in(cx, cols, Some(g), n, e)?);
    }
    Ok(if per.is_empty() {
        K::list(per)
    } else {
        collapse_column(per)
    })
}

/// Whether the rows in play are every row in order (so columns need no gathering).
fn every_row(rows: &[i64], n: usize) -> bool {
    rows.len() == n && rows.iter().enumerate().all(|(k, &r)| r == k as i64)
}

/// A grouped select or exec: the group keys (a list, or a key table), each mapped to its
/// results (a list, or a table).
/// `rows`: the rows in play, None for every row in order.
fn grouped(
    cx: &mut Ctx,
    q: &Query,
    cols: &[(Sym, K)],
    n: usize,
    rows: Option<&[i64]>,
) -> Result<K> {
    let key_exprs: Vec<(Sym, &Expr)> = match &q.by {
        Group::None => Vec::new(),
        Group::Unnamed(e) => vec![(Sym::new("x"), e)],
        Group::Named(v) => v.iter().map(|(s, e)| (*s, e)).collect(),
    };
    let in_play = rows.filter(|r| !every_row(r, n));
    let m = in_play.map_or(n, <[i64]>::len);
    let mut keys = Vec::new();
    for (_, e) in &key_exprs {
        keys.push(group_key(eval_in(cx, cols, in_play, n, e)?, m)?);
    }
    if !keys.is_empty() && m > 0 {
        if let Some(g) = crate::q::prims::groupid::groups(&keys) {
            return by_ids(cx, q, cols, n, in_play, &key_exprs, &keys, &g);
        }
    }
    let every: Vec<i64>;
    let rows = match in_play {
        Some(r) => r,
        None => {
            every = (0..n as i64).collect();
            &every
        }
    };
    // No key columns: one group of every row.
    let gs = if keys.is_empty() {
        vec![(Vec::new(), rows.to_vec())]
    } else {
        groups(&keys, rows)?
    };
    let key_col = |k: usize| collapse(gs.iter().map(|g| g.0[k].clone()).collect());
    let key = match &q.by {
        Group::Unnamed(_) => key_col(0),
        _ => make_table(
            key_exprs
                .iter()
                .enumerate()
                .map(|(k, (s, _))| (*s, key_col(k)))
                .collect(),
        )?,
    };
    let lists: Vec<Vec<i64>> = gs.into_iter().map(|g| g.1).collect();
    let value = match &q.cols {
        Cols::One(e) => per_group(cx, cols, n, &lists, e)?,
        Cols::Named(named) => {
            let mut out = Vec::new();
            for (s, e) in named {
                out.push((*s, per_group(cx, cols, n, &lists, e)?));
            }
            make_table(out)?
        }
        Cols::All => {
            // `select by k from t`: the last row of each group.
            let last: Vec<i64> = lists.iter().map(|g| *g.last().unwrap_or(&0)).collect();
            non_key_columns_at(cols, key_exprs.as_slice(), &last)?
        }
    };
    Ok(K::dict(key, value))
}

/// A grouped select or exec over group ids: keys from each group's first row, aggregates of
/// columns computed for all groups at once, anything else per group. `rows`: the rows in
/// play, None for every row in order.
#[allow(clippy::too_many_arguments)]
fn by_ids(
    cx: &mut Ctx,
    q: &Query,
    cols: &[(Sym, K)],
    n: usize,
    rows: Option<&[i64]>,
    key_exprs: &[(Sym, &Expr)],
    keys: &[K],
    g: &crate::q::prims::groupid::Groups,
) -> Result<K> {
    let key = match &q.by {
        Group::Unnamed(_) => g.key_column(0, &keys[0]),
        _ => make_table(
            key_exprs
                .iter()
                .zip(keys)
                .enumerate()
                .map(|(k, ((s, _), x))| (*s, g.key_column(k, x)))
                .collect(),
        )?,
    };
    let names: Vec<Sym> = cols.iter().map(|c| c.0).collect();
    // A column (or `i`) restricted to the rows in play.
    let col = |s: Sym| -> Option<K> {
        // `i` is the row index, even beside a column named i (as per group).
        if s.as_bytes() == b"i" {
            return Some(match rows {
                Some(r) => K::from_slice(KJ, r),
                None => K::from_fn(KJ, n, |r| r as i64),
            });
        }
        let c = &cols.iter().find(|c| c.0 == s)?.1;
        Some(match rows {
            Some(r) => gather(c, r),
            None => c.clone(),
        })
    };
    let mut lists: Option<Vec<Vec<i64>>> = None;
    let mut column = |cx: &mut Ctx, e: &Expr| -> Result<K> {
        if let Some(p) = aggplan::plan(e, &names) {
            if let Some(v) = aggplan::run(cx, &p, g, &col)? {
                return Ok(v);
            }
        }
        let lists = lists.get_or_insert_with(|| group_lists(g, rows));
        per_group(cx, cols, n, lists, e)
    };
    let value = match &q.cols {
        Cols::One(e) => column(cx, e)?,
        Cols::Named(named) => {
            // Avgs of long columns together, in one pass over the group ids.
            let plans: Vec<_> = named
                .iter()
                .map(|(_, e)| aggplan::plan(e, &names))
                .collect();
            let mut fused = aggplan::run_fused(&plans, g, &col);
            let mut out = Vec::new();
            for ((s, e), v) in named.iter().zip(&mut fused) {
                let v = match v.take() {
                    Some(v) => v,
                    None => column(cx, e)?,
                };
                out.push((*s, v));
            }
            make_table(out)?
        }
        Cols::All => {
            // `select by k from t`: the last row of each group.
            let last: Vec<i64> = match rows {
                Some(rows) => g.lasts().iter().map(|&r| rows[r as usize]).collect(),
                None => g.lasts(),
            };
            non_key_columns_at(cols, key_exprs, &last)?
        }
    };
    Ok(K::dict(key, value))
}

/// `select by k from t`'s value table: the columns that are not keys, at the rows given.
fn non_key_columns_at(cols: &[(Sym, K)], key_exprs: &[(Sym, &Expr)], rows: &[i64]) -> Result<K> {
    make_table(
        cols.iter()
            .filter(|(s, _)| !key_exprs.iter().any(|(k, _)| k == s))
            .map(|(s, c)| (*s, gather(c, rows)))
            .collect(),
    )
}

/// The rows (of the table) of each group, given each row in play's group (`rows`: the rows in
/// play, None for every row in order).
fn group_lists(g: &crate::q::prims::groupid::Groups, rows: Option<&[i64]>) -> Vec<Vec<i64>> {
    let (order, start) = g.rows();
    (0..g.count)
        .map(|k| {
            let of = order[start[k]..start[k + 1]].iter();
            match rows {
                Some(rows) => of.map(|&r| rows[r as usize]).collect(),
                None => of.map(|&r| r as i64).collect(),
            }
        })
        .collect()
}

/// Per-group results as one column: atoms collapse; lists stay a list of lists.
fn collapse_column(per: Vec<K>) -> K {
    if per.iter().all(|v| v.is_atom()) {
        collapse(per)
    } else {
        K::list(per)
    }
}

fn exec(cx: &mut Ctx, q: &Query, cols: &[(Sym, K)], n: usize, rows: Option<Vec<i64>>) -> Result<K> {
    if q.grouped() {
        let rows = grouped_rows(cx, q, cols, n, rows)?;
        return grouped(cx, q, cols, n, rows.as_deref());
    }
    let rows = order_and_limit(cx, q, cols, n, all_rows(rows, n))?;
    match &q.cols {
        Cols::One(e) => eval_in(cx, cols, Some(&rows), n, e),
        Cols::All => {
            // `exec from t`: the last row, as a dictionary.
            let last = *rows.last().ok_or_else(Error::type_)?;
            let names: Vec<Sym> = cols.iter().map(|c| c.0).collect();
            let vals: Vec<K> = cols.iter().map(|c| item(&c.1, last as usize)).collect();
            Ok(K::dict(K::from_slice(KS, &names), collapse(vals)))
        }
        Cols::Named(named) => {
            let mut names = Vec::new();
            let mut vals = Vec::new();
            for (s, e) in named {
                names.push(*s);
                vals.push(eval_in(cx, cols, Some(&rows), n, e)?);
            }
            Ok(K::dict(K::from_slice(KS, &names), K::list(vals)))
        }
    }
}

/// Column `old` (None for a new column) with each group's value (a list for its rows, or an
/// atom) written at the group's rows: one join and one gather, however many groups.
fn write_groups(
    cx: &mut Ctx,
    old: Option<&K>,
    n: usize,
    groups: &[Vec<i64>],
    parts: Vec<K>,
) -> Result<K> {
    if let ([rows], [v]) = (groups, parts.as_slice()) {
        if rows.len() == n && rows.iter().enumerate().all(|(k, r)| *r == k as i64) {
            return Ok(widen(v.clone(), n));
        }
    }
    let widened: Vec<K> = groups
        .iter()
        .zip(parts)
        .map(|(g, v)| widen(v, g.len()))
        .collect();
    let vals = match widened.len() {
        1 => widened
            .into_iter()
            .next()
            .unwrap_or_else(|| K::list(Vec::new())),
        _ => crate::q::eval::apply::call_keyword(cx, "raze", vec![K::list(widened)])?,
    };
    // Row r reads the old column at r, or the new values after it (out of range: null).
    let offset = old.map_or(0, |c| count(c) as i64);
    let mut idx: Vec<i64> = if old.is_some() {
        (0..n as i64).collect()
    } else {
        vec![-1; n]
    };
    for (k, &r) in groups.iter().flatten().enumerate() {
        idx[r as usize] = offset + k as i64;
    }
    let src = match old {
        Some(c) => crate::q::eval::apply::glyph_dyad(cx, ",", c.clone(), vals)?,
        None => vals,
    };
    let col = gather(&src, &idx);
    Ok(if col.t() == 0 && col.n() > 0 {
        collapse(items_of(&col))
    } else {
        col
    })
}

fn update(
    cx: &mut Ctx,
    q: &Query,
    mut cols: Vec<(Sym, K)>,
    n: usize,
    rows: Option<Vec<i64>>,
) -> Result<K> {
    let rows = all_rows(rows, n);
    let key_exprs: Vec<&Expr> = match &q.by {
        Group::None => Vec::new(),
        Group::Unnamed(e) => vec![e],
        Group::Named(v) => v.iter().map(|(_, e)| e).collect(),
    };
    // Group ids when the keys allow them; the row lists of the groups only when a column
    // is not planned.
    let mut ids = None;
    let mut groups_rows: Option<Vec<Vec<i64>>> = None;
    if key_exprs.is_empty() {
        groups_rows = Some(vec![rows]);
    } else {
        let mut keys = Vec::new();
        for e in key_exprs {
            keys.push(group_key(
                eval_in(cx, &cols, Some(&rows), n, e)?,
                rows.len(),
            )?);
        }
        match crate::q::prims::groupid::groups(&keys).filter(|_| !rows.is_empty()) {
            Some(g) => ids = Some((g, rows)),
            None => groups_rows = Some(groups(&keys, &rows)?.into_iter().map(|g| g.1).collect()),
        }
    };
    let snapshot = cols.clone();
    let names: Vec<Sym> = snapshot.iter().map(|c| c.0).collect();
    for (s, e) in q.named() {
        let old = snapshot.iter().find(|c| c.0 == *s).map(|c| &c.1);
        if let Some((g, rows)) = &ids {
            if let Some(col) = update_planned(cx, &snapshot, &names, n, g, rows, e, old)? {
                match cols.iter_mut().find(|c| c.0 == *s) {
                    Some(c) => c.1 = col,
                    None => cols.push((*s, col)),
                }
                continue;
            }
        }
        let groups_rows = groups_rows.get_or_insert_with(|| match &ids {
            Some((g, rows)) => group_lists(g, Some(rows)),
            None => Vec::new(),
        });
        let mut parts = Vec::with_capacity(groups_rows.len());
        for g in groups_rows.iter() {
            let v = eval_in(cx, &snapshot, Some(g), n, e)?;
            if !v.is_atom() && count(&v) != g.len() {
                return Err(Error::length());
            }
            parts.push(v);
        }
        let col = write_groups(cx, old, n, groups_rows, parts)?;
        match cols.iter_mut().find(|c| c.0 == *s) {
            Some(c) => c.1 = col,
            None => cols.push((*s, col)),
        }
    }
    make_table(cols)
}

/// An update-by column computed by a grouped plan (`aggplan`): an atom per group spread to
/// the group's rows by group id, or a list per group written at its rows. None when the
/// expression has no plan.
#[allow(clippy::too_many_arguments)]
fn update_planned(
    cx: &mut Ctx,
    cols: &[(Sym, K)],
    names: &[Sym],
    n: usize,
    g: &crate::q::prims::groupid::Groups,
    rows: &[i64],
    e: &Expr,
    old: Option<&K>,
) -> Result<Option<K>> {
    let Some(p) = aggplan::plan(e, names) else {
        return Ok(None);
    };
    let all = every_row(rows, n);
    let col = |s: Sym| -> Option<K> {
        if s.as_bytes() == b"i" {
            return Some(K::from_slice(KJ, rows));
        }
        let c = &cols.iter().find(|c| c.0 == s)?.1;
        Some(if all { c.clone() } else { gather(c, rows) })
    };
    let Some(v) = aggplan::run(cx, &p, g, &col)? else {
        return Ok(None);
    };
    if v.is_atom() || count(&v) != g.count {
        return Err(Error::length());
    }
    if v.t() > 0 && v.t() < XT {
        // One atom per group: each row takes its group's.
        let id: Vec<i64> = g.id.iter().map(|&k| k as i64).collect();
        let spread = gather(&v, &id);
        return Ok(Some(write_groups(
            cx,
            old,
            n,
            &[rows.to_vec()],
            vec![spread],
        )?));
    }
    let lists = group_lists(g, Some(rows));
    let parts = items_of(&v);
    for (part, rows) in parts.iter().zip(&lists) {
        if !part.is_atom() && count(part) != rows.len() {
            return Err(Error::length());
        }
    }
    Ok(Some(write_groups(cx, old, n, &lists, parts)?))
}

fn delete(q: &Query, cols: Vec<(Sym, K)>, n: usize, rows: Option<Vec<i64>>) -> Result<K> {
    if !q.drop.is_empty() {
        return make_table(
            cols.into_iter()
                .filter(|c| !q.drop.contains(&c.0))
                .collect(),
        );
    }
    let gone = all_rows(rows, n);
    let keep: Vec<i64> = (0..n as i64)
        .filter(|r| gone.binary_search(r).is_err())
        .collect();
    make_table(
        cols.into_iter()
            .map(|(s, c)| (s, gather(&c, &keep)))
            .collect(),
    )
}
