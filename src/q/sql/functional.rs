//! qSQL's functional forms: `?[t;c;b;a]` (and its limit and sort), `?[t;i;p]`, `![t;c;b;a]`,
//! whose column expressions are parse trees.

use super::frame::{columns, eval_in, Expr};
use super::{run, Cols, Group, Query};
use crate::obj::*;
use crate::q::eval::atoms::*;
use crate::q::eval::values::*;
use crate::q::eval::Ctx;
use crate::q::lang::ast::SqlKind;

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

/// The functional form's `a`: `()` for every column, a dict of named columns, else one value.
fn tree_cols(a: &K) -> Result<Cols<'static>> {
    Ok(match a.t() {
        XD => Cols::Named(tree_pairs(a)?),
        t if t >= 0 && count(a) == 0 => Cols::All,
        _ => Cols::One(Expr::Tree(a.clone())),
    })
}

/// The functional form's `b`: a boolean (no groups), `()`, a dict of named keys, else one key.
fn tree_group(b: &K) -> Result<Group<'static>> {
    Ok(match b.t() {
        XD => Group::Named(tree_pairs(b)?),
        // A symbol list groups by no columns at all: one group.
        KS => Group::Named(Vec::new()),
        A_KB => Group::None,
        t if t >= 0 && count(b) == 0 => Group::None,
        _ => Group::Unnamed(Expr::Tree(b.clone())),
    })
}

/// The functional form's sort as an index expression: `parse` shows it enlisted, with k's
/// grades `<:` and `>:`, which are q's `iasc` and `idesc`.
fn tree_sort(o: K) -> K {
    let o = if o.t() == 0 && o.n() == 1 && o.items()[0].t() == 0 {
        o.items()[0].clone()
    } else {
        o
    };
    if o.t() != 0 || o.n() != 2 {
        return o;
    }
    let grade = match crate::q::eval::verbs::decode(&o.items()[0]) {
        Some(crate::q::eval::verbs::PrimRef::UnaryGlyph("<")) => "iasc",
        Some(crate::q::eval::verbs::PrimRef::UnaryGlyph(">")) => "idesc",
        _ => return o,
    };
    match crate::q::eval::verbs::keyword_value(grade) {
        Some(f) => K::list(vec![f, o.items()[1].clone()]),
        None => o,
    }
}

/// `?[t;c;b;a]` (select when `b` is a boolean, `1b` for distinct; exec otherwise), with a
/// limit `?[t;c;b;a;n]` and a sort `?[t;c;b;a;n;(f;col)]`.
pub fn functional_select(cx: &mut Ctx, args: Vec<K>) -> Result<K> {
    if !(4..=6).contains(&args.len()) {
        return Err(Error::rank());
    }
    let mut it = args.into_iter();
    let (Some(t), Some(c), Some(b), Some(a)) = (it.next(), it.next(), it.next(), it.next()) else {
        return Err(Error::rank());
    };
    let limit = it.next().filter(|n| !(n.t() == A_KJ && n.j() == i64::MAX));
    let order = it.next().map(|o| Expr::Tree(tree_sort(o)));
    let q = Query {
        kind: if b.t() == A_KB {
            SqlKind::Select
        } else {
            SqlKind::Exec
        },
        limit,
        order,
        distinct: b.t() == A_KB && b.g() != 0,
        cols: tree_cols(&a)?,
        by: tree_group(&b)?,
        wheres: tree_wheres(&c),
        drop: Vec::new(),
    };
    run(cx, q, t)
}

/// `?[t;i;p]`: the parse tree p evaluated on rows i of t.
pub fn simple_exec(cx: &mut Ctx, args: Vec<K>) -> Result<K> {
    let [t, i, p] = <[K; 3]>::try_from(args).map_err(|_| Error::rank())?;
    let t = if t.t() == A_KS {
        cx.lookup_global(t.s())?
    } else {
        t
    };
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
    let delete = a.t() == KS || a.t() == A_KS || a.t() == 0 && a.n() == 0;
    let q = Query {
        kind: if delete {
            SqlKind::Delete
        } else {
            SqlKind::Update
        },
        limit: None,
        order: None,
        distinct: false,
        cols: if delete {
            Cols::All
        } else {
            Cols::Named(tree_pairs(&a)?)
        },
        by: tree_group(&b)?,
        wheres: tree_wheres(&c),
        drop: if delete {
            syms(&a).unwrap_or_default()
        } else {
            Vec::new()
        },
    };
    run(cx, q, t)
}
