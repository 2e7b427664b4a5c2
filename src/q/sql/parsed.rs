//! qSQL as parsed (`select a by b from t where c`): column names, the query it runs, and the
//! functional form `parse` shows.

use super::frame::Expr;
use super::{run, Cols, Group, Query};
use crate::obj::*;
use crate::q::eval::atoms::*;
use crate::q::eval::values::*;
use crate::q::eval::{Ctx, Flow};
use crate::q::lang::ast::{Node, Sql, SqlKind};

/// The name a column expression gives its column: its explicit name, else one derived from
/// the expression, else `x`.
fn column_name(name: &Option<Sym>, n: &Node) -> Sym {
    name.or_else(|| crate::q::lang::parse::column_name(n))
        .unwrap_or_else(|| Sym::new("x"))
}

/// Column names made unique as kdb+ does: a repeated name gets the first free numeric suffix.
fn unique_names(names: Vec<Sym>) -> Vec<Sym> {
    let mut out: Vec<Sym> = Vec::with_capacity(names.len());
    for s in names {
        let mut name = s;
        let mut k = 1;
        while out.contains(&name) {
            name = Sym::new(format!("{}{k}", s.as_str()));
            k += 1;
        }
        out.push(name);
    }
    out
}

fn named_exprs(v: &[(Option<Sym>, Node)]) -> Vec<(Sym, Expr<'_>)> {
    let names = unique_names(v.iter().map(|(s, n)| column_name(s, n)).collect());
    names
        .into_iter()
        .zip(v.iter().map(|(_, n)| Expr::Ast(n)))
        .collect()
}

/// `select b by b from t`: a name may not be both a column and a group.
fn check_names(q: &Sql) -> Result<()> {
    if q.kind != SqlKind::Select {
        return Ok(());
    }
    let by: Vec<Sym> = q.by.iter().map(|(s, n)| column_name(s, n)).collect();
    match q
        .cols
        .iter()
        .map(|(s, n)| column_name(s, n))
        .find(|c| by.contains(c))
    {
        Some(dup) => Err(Error::new(format!(
            "dup names for cols/groups {}",
            dup.as_str()
        ))),
        None => Ok(()),
    }
}

/// A qSQL query's columns: exec gives a lone unnamed column as its value.
fn parsed_cols(q: &Sql, kind: SqlKind) -> Cols<'_> {
    match q.cols.as_slice() {
        [] => Cols::All,
        [(None, n)] if kind == SqlKind::Exec => Cols::One(Expr::Ast(n)),
        v => Cols::Named(named_exprs(v)),
    }
}

/// A qSQL query's grouping: exec groups by a lone unnamed key as a list.
fn parsed_group(q: &Sql) -> Group<'_> {
    match q.by.as_slice() {
        _ if !q.has_by => Group::None,
        [(None, n)] if q.kind == SqlKind::Exec => Group::Unnamed(Expr::Ast(n)),
        v => Group::Named(named_exprs(v)),
    }
}

fn eval_node(cx: &mut Ctx, n: &Node) -> Result<K> {
    match cx.eval(n) {
        Ok(v) | Err(Flow::Ret(v)) => Ok(v),
        Err(Flow::Err(e)) => Err(e),
    }
}

/// `select ... from ...` and friends as parsed.
pub fn eval(cx: &mut Ctx, q: &Sql) -> Result<K> {
    check_names(q)?;
    // A partitioned table is taken as it is, so the query maps only the partitions it needs.
    let from = match &q.from {
        Node::Name(s) => match crate::q::disk::partition::raw(cx, *s) {
            Some(p) => p,
            None => eval_node(cx, &q.from)?,
        },
        _ => eval_node(cx, &q.from)?,
    };
    let limit = match &q.limit {
        Some(n) => Some(eval_node(cx, n)?),
        None => None,
    };
    let delete = q.kind == SqlKind::Delete;
    // `exec a,b by 0b from t` makes a table: a select.
    let by_false =
        matches!(q.by.as_slice(), [(None, Node::Const(k))] if k.t() == A_KB && k.g() == 0);
    let kind = if q.kind == SqlKind::Exec && by_false {
        SqlKind::Select
    } else {
        q.kind
    };
    let query = Query {
        kind,
        limit,
        order: q.order.as_ref().map(Expr::Ast),
        distinct: q.distinct,
        cols: if delete {
            Cols::All
        } else {
            parsed_cols(q, kind)
        },
        by: if by_false {
            Group::None
        } else {
            parsed_group(q)
        },
        wheres: q.wheres.iter().map(Expr::Ast).collect(),
        drop: if delete {
            q.cols.iter().map(|(s, n)| column_name(s, n)).collect()
        } else {
            Vec::new()
        },
    };
    run(cx, query, from)
}

/// The functional form of a parsed query, as `parse` shows it: `(?;t;c;b;a)` or `(!;t;c;b;a)`.
pub fn parse_tree(q: &Sql, tree: &dyn Fn(&Node) -> Result<K>) -> Result<K> {
    check_names(q)?;
    let pairs = |v: &[(Option<Sym>, Node)]| -> Result<K> {
        let names = unique_names(v.iter().map(|(s, n)| column_name(s, n)).collect());
        let vals: Vec<K> = v.iter().map(|(_, n)| tree(n)).collect::<Result<_>>()?;
        Ok(K::dict(K::from_slice(KS, &names), collapse(vals)))
    };
    let wheres: Vec<K> = q.wheres.iter().map(tree).collect::<Result<_>>()?;
    // The where list is a constant in the tree, so it is enlisted.
    let c = if wheres.is_empty() {
        K::list(wheres)
    } else {
        K::list(vec![K::list(wheres)])
    };
    let exec = q.kind == SqlKind::Exec;
    let b = match q.by.as_slice() {
        _ if !q.has_by && exec => K::list(Vec::new()),
        _ if !q.has_by => K::bool(q.distinct),
        [(None, n)] if exec => tree(n)?,
        v => pairs(v)?,
    };
    let a = match q.cols.as_slice() {
        [] => K::list(Vec::new()),
        [(None, n)] if exec => tree(n)?,
        v if q.kind == SqlKind::Delete => K::from_slice(
            KS,
            &v.iter().map(|(s, n)| column_name(s, n)).collect::<Vec<_>>(),
        ),
        v => pairs(v)?,
    };
    let head = match q.kind {
        SqlKind::Select | SqlKind::Exec => "?",
        _ => "!",
    };
    let head = crate::q::eval::verbs::glyph_value(head).ok_or_else(Error::type_)?;
    let mut out = vec![head, tree(&q.from)?, c, b, a];
    if q.limit.is_some() || q.order.is_some() {
        out.push(match &q.limit {
            Some(n) => tree(n)?,
            None => K::long(i64::MAX),
        });
    }
    if let Some(o) = &q.order {
        // The sort shows enlisted, as a one-item list of sorts.
        out.push(K::list(vec![tree(o)?]));
    }
    Ok(K::list(out))
}
