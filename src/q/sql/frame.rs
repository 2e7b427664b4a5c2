//! The frame column expressions run in: the table's columns (restricted to the rows in play)
//! and `i`, the row index, as locals over the enclosing lambda's.

use crate::obj::*;
use crate::q::eval::atoms::*;
use crate::q::eval::index::gather;
use crate::q::eval::values::*;
use crate::q::eval::{Ctx, Flow, Frame};
use crate::q::lang::ast::Node;

/// A column expression: from the parser, or a parse tree of the functional form.
pub enum Expr<'a> {
    Ast(&'a Node),
    Tree(K),
}

/// The columns of a table as (name, column) pairs.
pub fn columns(t: &K) -> Vec<(Sym, K)> {
    let d = t.table_dict();
    let names = d.items()[0].as_slice::<Sym>().to_vec();
    names
        .into_iter()
        .zip(d.items()[1].items().iter().cloned())
        .collect()
}

pub fn make_table(cols: Vec<(Sym, K)>) -> Result<K> {
    let names: Vec<Sym> = cols.iter().map(|c| c.0).collect();
    let vals: Vec<K> = cols.into_iter().map(|c| c.1).collect();
    table::table_from_dict(K::dict(K::from_slice(KS, &names), K::list(vals)))
}

/// Evaluates `e` with the columns (restricted to `rows`, all when None) as locals.
pub fn eval_in(
    cx: &mut Ctx,
    cols: &[(Sym, K)],
    rows: Option<&[i64]>,
    n: usize,
    e: &Expr,
) -> Result<K> {
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
        pos: 0,
    });
    let r = match e {
        Expr::Ast(node) => match cx.eval(node) {
            Ok(v) => Ok(v),
            Err(Flow::Ret(v)) => Ok(v),
            Err(Flow::Err(e)) => Err(e),
        },
        Expr::Tree(t) => crate::q::keywords::parsetree::eval(cx, t),
    };
    cx.frames.pop();
    r
}

/// Row indices satisfying every where clause, applied one after another.
pub fn filter(
    cx: &mut Ctx,
    cols: &[(Sym, K)],
    n: usize,
    wheres: &[Expr],
) -> Result<Option<Vec<i64>>> {
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
