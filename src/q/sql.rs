//! qSQL: `select exec update delete`, and their functional forms `?[t;c;b;a]`, `![t;c;b;a]`.
//!
//! Column expressions run in a frame whose locals are the table's columns (and `i`, the row
//! index), so a column name reads as the column, restricted to the rows in play.

use std::cmp::Ordering;

use super::ast::{Node, Sql, SqlKind};
use super::atoms::*;
use super::eval::{Ctx, Flow, Frame};
use super::index::gather;
use super::values::*;
use crate::obj::*;

/// A column expression: from the parser, or a parse tree of the functional form.
enum Expr<'a> {
    Ast(&'a Node),
    Tree(K),
}

/// The columns of a table as (name, column) pairs.
fn columns(t: &K) -> Vec<(Sym, K)> {
    let d = t.table_dict();
    let names = d.items()[0].as_slice::<Sym>().to_vec();
    names
        .into_iter()
        .zip(d.items()[1].items().iter().cloned())
        .collect()
}

fn make_table(cols: Vec<(Sym, K)>) -> Result<K> {
    let names: Vec<Sym> = cols.iter().map(|c| c.0).collect();
    let vals: Vec<K> = cols.into_iter().map(|c| c.1).collect();
    table::table_from_dict(K::dict(K::from_slice(KS, &names), K::list(vals)))
}

/// Evaluates `e` with the columns (restricted to `rows`, all when None) as locals.
fn eval_in(cx: &mut Ctx, cols: &[(Sym, K)], rows: Option<&[i64]>, n: usize, e: &Expr) -> Result<K> {
    // The enclosing lambda's locals stay visible; columns shadow them.
    let mut locals: Vec<(Sym, K)> = cx
        .frames
        .last()
        .map(|f| f.locals.clone())
        .unwrap_or_default();
    locals.extend(cols.iter().map(|(s, c)| {
        (
            *s,
            match rows {
                Some(r) => gather(c, r),
                None => c.clone(),
            },
        )
    }));
    let idx: Vec<i64> = match rows {
        Some(r) => r.to_vec(),
        None => (0..n as i64).collect(),
    };
    locals.push((Sym::new("i"), K::from_slice(KJ, &idx)));
    let ns = cx.ns();
    let declared = cx.frames.last().and_then(|f| f.declared.clone());
    cx.frames.push(Frame {
        locals,
        ns,
        me: K::identity(),
        declared,
    });
    let r = match e {
        Expr::Ast(node) => match cx.eval(node) {
            Ok(v) => Ok(v),
            Err(Flow::Ret(v)) => Ok(v),
            Err(Flow::Err(e)) => Err(e),
        },
        Expr::Tree(t) => super::parsetree::eval(cx, t),
    };
    cx.frames.pop();
    r
}

/// Row indices satisfying every where clause, applied one after another.
fn filter(cx: &mut Ctx, cols: &[(Sym, K)], n: usize, wheres: &[Expr]) -> Result<Option<Vec<i64>>> {
    if wheres.is_empty() {
        return Ok(None);
    }
    let mut rows: Vec<i64> = (0..n as i64).collect();
    for w in wheres {
        let m = eval_in(cx, cols, Some(&rows), n, w)?;
        let keep: Vec<i64> = match m.t() {
            KB => rows
                .iter()
                .zip(m.as_slice::<u8>())
                .filter(|(_, b)| **b != 0)
                .map(|(r, _)| *r)
                .collect(),
            A_KB => {
                if m.g() != 0 {
                    rows.clone()
                } else {
                    Vec::new()
                }
            }
            KJ | KI => {
                let js = as_longs(&m).unwrap_or_default();
                js.iter()
                    .filter_map(|&j| rows.get(j as usize).copied())
                    .collect()
            }
            _ => return Err(Error::type_()),
        };
        if m.t() == KB && m.n() != rows.len() {
            return Err(Error::length());
        }
        rows = keep;
    }
    Ok(Some(rows))
}

/// Orders atoms for grouping: numbers by value, symbols and chars by text.
fn cmp_atoms(a: &K, b: &K) -> Ordering {
    match (a.t(), b.t()) {
        (A_KS, A_KS) => a.s().as_bytes().cmp(b.s().as_bytes()),
        (A_KF, _) | (_, A_KF) | (A_KE, _) | (_, A_KE) => {
            let f = |k: &K| {
                if k.t() == A_KE {
                    k.e() as f64
                } else if k.t() == A_KF {
                    k.f()
                } else {
                    as_long(k).unwrap_or(0) as f64
                }
            };
            f(a).partial_cmp(&f(b)).unwrap_or(Ordering::Equal)
        }
        (ta, tb) if ta < 0 && tb < 0 => {
            let v = |k: &K| match item_size(-k.t()) {
                1 => k.g() as i64,
                2 => k.h() as i64,
                4 => k.i() as i64,
                _ => k.j(),
            };
            v(a).cmp(&v(b))
        }
        _ => super::fmt::text1(a).cmp(&super::fmt::text1(b)),
    }
}

/// Groups of row indices by the values of the `by` columns, ordered by key.
fn groups(keys: &[K], rows: &[i64]) -> Vec<(Vec<K>, Vec<i64>)> {
    let mut out: Vec<(Vec<K>, Vec<i64>)> = Vec::new();
    let mut index: std::collections::HashMap<Vec<u8>, usize> = std::collections::HashMap::new();
    for (p, &r) in rows.iter().enumerate() {
        let key: Vec<K> = keys.iter().map(|k| item(k, p)).collect();
        let mut fp = Vec::new();
        for k in &key {
            fp.extend_from_slice(super::fmt::text1(k).as_bytes());
            fp.push(0);
        }
        match index.get(&fp) {
            Some(&g) => out[g].1.push(r),
            None => {
                index.insert(fp, out.len());
                out.push((key, vec![r]));
            }
        }
    }
    out.sort_by(|a, b| {
        for (x, y) in a.0.iter().zip(&b.0) {
            let c = cmp_atoms(x, y);
            if c != Ordering::Equal {
                return c;
            }
        }
        Ordering::Equal
    });
    out
}

/// The shared core of select, exec, update and delete.
struct Query<'a> {
    kind: SqlKind,
    limit: Option<K>,
    cols: Vec<(Sym, Expr<'a>)>,
    by: Vec<(Sym, Expr<'a>)>,
    has_by: bool,
    wheres: Vec<Expr<'a>>,
    /// delete's column list.
    drop: Vec<Sym>,
}

fn run(cx: &mut Ctx, q: Query, from: K) -> Result<K> {
    crate::q::stack::guard();
    // `delete a from `.` removes globals.
    if from.t() == A_KS && from.s().as_bytes() == b"." && q.kind == SqlKind::Delete {
        for name in &q.drop {
            cx.eng.take_global(*name);
        }
        return Ok(from);
    }
    // A symbol names a global table: update and delete write it back.
    if from.t() == A_KS && matches!(q.kind, SqlKind::Update | SqlKind::Delete) {
        let name = from.s();
        let t = cx.lookup(name)?;
        let r = run(cx, q, t)?;
        cx.eng_set(name, r)?;
        return Ok(from);
    }
    let from = if from.t() == A_KS {
        cx.lookup(from.s())?
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
        let rekey = q.kind != SqlKind::Exec
            && !q.has_by
            && (q.cols.is_empty() || q.kind == SqlKind::Update);
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
    let rows = filter(cx, &cols, n, &q.wheres)?;
    match q.kind {
        SqlKind::Select => select(cx, &q, &cols, n, rows),
        SqlKind::Exec => exec(cx, &q, &cols, n, rows),
        SqlKind::Update => update(cx, &q, cols, n, rows),
        SqlKind::Delete => delete(&q, cols, n, rows),
    }
}

fn all_rows(rows: Option<Vec<i64>>, n: usize) -> Vec<i64> {
    rows.unwrap_or_else(|| (0..n as i64).collect())
}

/// Extends atoms to `n` rows.
fn widen(v: K, n: usize) -> K {
    if v.is_atom() {
        collapse(vec![v; n])
    } else {
        v
    }
}

fn select(
    cx: &mut Ctx,
    q: &Query,
    cols: &[(Sym, K)],
    n: usize,
    rows: Option<Vec<i64>>,
) -> Result<K> {
    let rows = all_rows(rows, n);
    if !q.has_by {
        let out = if q.cols.is_empty() {
            cols.iter()
                .map(|(s, c)| (*s, gather(c, &rows)))
                .collect::<Vec<_>>()
        } else {
            let mut vals = Vec::new();
            for (s, e) in &q.cols {
                vals.push((*s, eval_in(cx, cols, Some(&rows), n, e)?));
            }
            let len = vals
                .iter()
                .filter(|(_, v)| !v.is_atom())
                .map(|(_, v)| count(v))
                .max()
                .unwrap_or(1);
            vals.into_iter().map(|(s, v)| (s, widen(v, len))).collect()
        };
        let t = make_table(out)?;
        return limit(t, &q.limit);
    }
    // Grouped.
    let mut keys = Vec::new();
    for (_, e) in &q.by {
        keys.push(eval_in(cx, cols, Some(&rows), n, e)?);
    }
    let gs = groups(&keys, &rows);
    let key_cols: Vec<(Sym, K)> =
        q.by.iter()
            .enumerate()
            .map(|(k, (s, _))| (*s, collapse(gs.iter().map(|g| g.0[k].clone()).collect())))
            .collect();
    let mut val_cols: Vec<(Sym, K)> = Vec::new();
    if q.cols.is_empty() {
        // `select by k from t`: the last row of each group.
        for (s, c) in cols {
            if q.by.iter().any(|(b, _)| b == s) {
                continue;
            }
            let last: Vec<i64> = gs.iter().map(|g| *g.1.last().unwrap_or(&0)).collect();
            val_cols.push((*s, gather(c, &last)));
        }
    } else {
        for (s, e) in &q.cols {
            let mut per = Vec::with_capacity(gs.len());
            for g in &gs {
                per.push(eval_in(cx, cols, Some(&g.1), n, e)?);
            }
            val_cols.push((
                *s,
                if per.is_empty() {
                    K::list(per)
                } else {
                    collapse_column(per)
                },
            ));
        }
    }
    let kt = make_table(key_cols)?;
    if q.by.is_empty() {
        return make_table(val_cols);
    }
    let vt = make_table(val_cols)?;
    Ok(K::dict(kt, vt))
}

/// Per-group results as one column: atoms collapse; lists stay a list of lists.
fn collapse_column(per: Vec<K>) -> K {
    if per.iter().all(|v| v.is_atom()) {
        collapse(per)
    } else {
        K::list(per)
    }
}

fn limit(t: K, lim: &Option<K>) -> Result<K> {
    let Some(l) = lim else { return Ok(t) };
    let n = table::row_count(&t) as i64;
    let take = as_long(l).ok_or_else(Error::type_)?;
    let idx: Vec<i64> = if take >= 0 {
        (0..take.min(n)).collect()
    } else {
        ((n + take).max(0)..n).collect()
    };
    let cols = columns(&t)
        .into_iter()
        .map(|(s, c)| (s, gather(&c, &idx)))
        .collect();
    make_table(cols)
}

fn exec(cx: &mut Ctx, q: &Query, cols: &[(Sym, K)], n: usize, rows: Option<Vec<i64>>) -> Result<K> {
    let rows = all_rows(rows, n);
    if !q.has_by || q.by.is_empty() {
        if q.cols.len() == 1 {
            return eval_in(cx, cols, Some(&rows), n, &q.cols[0].1);
        }
        if q.cols.is_empty() {
            let last = *rows.last().ok_or_else(Error::type_)?;
            let names: Vec<Sym> = cols.iter().map(|c| c.0).collect();
            let vals: Vec<K> = cols.iter().map(|c| item(&c.1, last as usize)).collect();
            return Ok(K::dict(K::from_slice(KS, &names), collapse(vals)));
        }
        let mut names = Vec::new();
        let mut vals = Vec::new();
        for (s, e) in &q.cols {
            names.push(*s);
            vals.push(eval_in(cx, cols, Some(&rows), n, e)?);
        }
        return Ok(K::dict(K::from_slice(KS, &names), K::list(vals)));
    }
    let mut keys = Vec::new();
    for (_, e) in &q.by {
        keys.push(eval_in(cx, cols, Some(&rows), n, e)?);
    }
    let gs = groups(&keys, &rows);
    let key = if q.by.len() == 1 {
        collapse(gs.iter().map(|g| g.0[0].clone()).collect())
    } else {
        make_table(
            q.by.iter()
                .enumerate()
                .map(|(k, (s, _))| (*s, collapse(gs.iter().map(|g| g.0[k].clone()).collect())))
                .collect(),
        )?
    };
    if q.cols.len() == 1 {
        let mut per = Vec::new();
        for g in &gs {
            per.push(eval_in(cx, cols, Some(&g.1), n, &q.cols[0].1)?);
        }
        return Ok(K::dict(key, collapse_column(per)));
    }
    let mut out = Vec::new();
    for (s, e) in &q.cols {
        let mut per = Vec::new();
        for g in &gs {
            per.push(eval_in(cx, cols, Some(&g.1), n, e)?);
        }
        out.push((*s, collapse_column(per)));
    }
    Ok(K::dict(key, make_table(out)?))
}

/// Writes `v` (a column for `rows`, or an atom) into column `old` at `rows`.
fn scatter(old: Option<&K>, n: usize, rows: &[i64], v: K) -> Result<K> {
    let whole = rows.len() == n && rows.iter().enumerate().all(|(k, r)| *r == k as i64);
    if whole {
        return Ok(widen(v, n));
    }
    let base = match old {
        Some(c) => items_of(c),
        None => {
            let fill = if v.is_atom() || is_simple(v.t()) {
                null_atom(v.t())
            } else {
                K::list(Vec::new())
            };
            vec![fill; n]
        }
    };
    let mut items = base;
    for (k, &r) in rows.iter().enumerate() {
        let x = if v.is_atom() { v.clone() } else { item(&v, k) };
        items[r as usize] = x;
    }
    Ok(if items.is_empty() {
        old.cloned().unwrap_or_else(|| K::list(Vec::new()))
    } else {
        collapse(items)
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
    let groups_rows: Vec<Vec<i64>> = if q.has_by && !q.by.is_empty() {
        let mut keys = Vec::new();
        for (_, e) in &q.by {
            keys.push(eval_in(cx, &cols, Some(&rows), n, e)?);
        }
        groups(&keys, &rows).into_iter().map(|g| g.1).collect()
    } else {
        vec![rows]
    };
    let snapshot = cols.clone();
    for (s, e) in &q.cols {
        let mut col = snapshot.iter().find(|c| c.0 == *s).map(|c| c.1.clone());
        for g in &groups_rows {
            let v = eval_in(cx, &snapshot, Some(g), n, e)?;
            if !v.is_atom() && count(&v) != g.len() {
                return Err(Error::length());
            }
            col = Some(scatter(col.as_ref(), n, g, v)?);
        }
        let col = col.unwrap_or_else(|| K::list(Vec::new()));
        match cols.iter_mut().find(|c| c.0 == *s) {
            Some(c) => c.1 = col,
            None => cols.push((*s, col)),
        }
    }
    make_table(cols)
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

/// `select ... from ...` and friends as parsed.
pub fn eval(cx: &mut Ctx, q: &Sql) -> Result<K> {
    let from = match cx.eval(&q.from) {
        Ok(v) => v,
        Err(Flow::Err(e)) => return Err(e),
        Err(Flow::Ret(v)) => v,
    };
    let limit = match &q.limit {
        Some(n) => Some(match cx.eval(n) {
            Ok(v) => v,
            Err(Flow::Err(e)) => return Err(e),
            Err(Flow::Ret(v)) => v,
        }),
        None => None,
    };
    let name = |s: &Option<Sym>| s.unwrap_or_else(|| Sym::new("x"));
    let mut drop = Vec::new();
    if q.kind == SqlKind::Delete {
        for (s, n) in &q.cols {
            match n {
                Node::Name(c) => drop.push(*c),
                _ => drop.push(name(s)),
            }
        }
    }
    let query = Query {
        kind: q.kind,
        limit,
        cols: if q.kind == SqlKind::Delete {
            Vec::new()
        } else {
            q.cols
                .iter()
                .map(|(s, n)| (name(s), Expr::Ast(n)))
                .collect()
        },
        by: q.by.iter().map(|(s, n)| (name(s), Expr::Ast(n))).collect(),
        has_by: q.has_by,
        wheres: q.wheres.iter().map(Expr::Ast).collect(),
        drop,
    };
    run(cx, query, from)
}

fn tree_pairs(d: &K) -> Result<Vec<(Sym, Expr<'static>)>> {
    if d.t() != XD {
        return Err(Error::type_());
    }
    let names = syms(&d.items()[0]).ok_or_else(Error::type_)?;
    let vals = items_of(&d.items()[1]);
    Ok(names
        .into_iter()
        .zip(vals.into_iter().map(Expr::Tree))
        .collect())
}

fn tree_wheres(c: &K) -> Vec<Expr<'static>> {
    match c.t() {
        0 => c.items().iter().cloned().map(Expr::Tree).collect(),
        _ if count(c) == 0 => Vec::new(),
        _ => vec![Expr::Tree(c.clone())],
    }
}

/// `?[t;c;b;a]` (select, or exec when `b` is `()`), and `?[t;c;b;a;n]` with a row limit.
pub fn functional_select(cx: &mut Ctx, args: Vec<K>) -> Result<K> {
    let [t, c, b, a] = <[K; 4]>::try_from(args.into_iter().take(4).collect::<Vec<_>>())
        .map_err(|_| Error::rank())?;
    // `()` for b means exec; `0b` or a dict, select.
    let exec = b.t() == 0 && b.n() == 0;
    let (by, has_by) = match b.t() {
        XD => (tree_pairs(&b)?, true),
        _ => (Vec::new(), false),
    };
    let cols = match a.t() {
        XD => tree_pairs(&a)?,
        _ if count(&a) == 0 && a.t() >= 0 => Vec::new(),
        _ => vec![(Sym::new("x"), Expr::Tree(a.clone()))],
    };
    let q = Query {
        kind: if exec { SqlKind::Exec } else { SqlKind::Select },
        limit: None,
        cols,
        by,
        has_by,
        wheres: tree_wheres(&c),
        drop: Vec::new(),
    };
    run(cx, q, t)
}

/// `?[t;i;p]`: the parse tree p evaluated on rows i of t.
pub fn simple_exec(cx: &mut Ctx, args: Vec<K>) -> Result<K> {
    let [t, i, p] = <[K; 3]>::try_from(args).map_err(|_| Error::rank())?;
    let t = if t.t() == A_KS { cx.lookup(t.s())? } else { t };
    if t.t() != XT {
        return Err(Error::type_());
    }
    let n = table::row_count(&t);
    let rows = as_longs(&i)
        .or_else(|| as_long(&i).map(|j| vec![j]))
        .ok_or_else(Error::type_)?;
    let cols = columns(&t);
    eval_in(cx, &cols, Some(&rows), n, &Expr::Tree(p))
}

/// `![t;c;b;a]`: update with a dict of columns, delete with a symbol list (or rows by `c`).
pub fn functional_update(cx: &mut Ctx, args: Vec<K>) -> Result<K> {
    let [t, c, b, a] = <[K; 4]>::try_from(args).map_err(|_| Error::rank())?;
    let (by, has_by) = match b.t() {
        XD => (tree_pairs(&b)?, true),
        _ => (Vec::new(), false),
    };
    let delete = a.t() == KS || a.t() == A_KS || a.t() == 0 && a.n() == 0;
    let q = Query {
        kind: if delete {
            SqlKind::Delete
        } else {
            SqlKind::Update
        },
        limit: None,
        cols: if delete { Vec::new() } else { tree_pairs(&a)? },
        by,
        has_by,
        wheres: tree_wheres(&c),
        drop: if delete {
            syms(&a).unwrap_or_default()
        } else {
            Vec::new()
        },
    };
    run(cx, q, t)
}
