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
    // qSQL written in a lambda sees its locals, the columns shadowing them; a functional
    // query's parse tree is data, not the lambda's code, and like `eval` sees the columns
    // and globals only.
    let enclosing = cx.frames.last().filter(|_| matches!(e, Expr::Ast(_)));
    let mut locals: Vec<(Sym, K)> = enclosing.map(|f| f.locals.clone()).unwrap_or_default();
    let declared = enclosing.and_then(|f| f.declared.clone());
    // Only the columns the expression reads are restricted to the rows in play.
    let read = match e {
        Expr::Ast(node) => {
            let mut names = Vec::new();
            names_read(node, &mut names).then_some(names)
        }
        Expr::Tree(_) => None,
    };
    let wanted = |s: &Sym| read.as_ref().is_none_or(|r| r.contains(s));
    locals.extend(cols.iter().filter(|(s, _)| wanted(s)).map(|(s, c)| {
        (
            *s,
            match rows {
                Some(r) => gather(c, r),
                None => c.clone(),
            },
        )
    }));
    let i = Sym::new("i");
    if wanted(&i) {
        let idx: Vec<i64> = match rows {
            Some(r) => r.to_vec(),
            None => (0..n as i64).collect(),
        };
        locals.push((i, K::from_slice(KJ, &idx)));
    }
    let ns = cx.ns();
    cx.frames.push(Frame {
        locals,
        ns,
        me: K::identity(),
        declared,
        pos: 0,
        globals: false,
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
    // None: every row (the first constraint sees the columns as they are). Each constraint
    // after it sees only the rows the ones before it kept.
    let mut rows: Option<Vec<i64>> = None;
    for w in wheres {
        let m = eval_in(cx, cols, rows.as_deref(), n, w)?;
        let len = rows.as_ref().map_or(n, Vec::len);
        let at = |j: usize| rows.as_ref().map_or(j as i64, |r| r[j]);
        let keep: Vec<i64> = match m.t() {
            KB => {
                if m.n() != len {
                    return Err(Error::length());
                }
                let mask = m.as_slice::<u8>();
                let kept = mask.iter().filter(|&&b| b != 0).count();
                if kept == len {
                    // Every row stays: no list of them (`not null v` on data without nulls).
                    continue;
                }
                let mut keep = Vec::with_capacity(kept);
                keep.extend((0..len).filter(|&j| mask[j] != 0).map(at));
                keep
            }
            A_KB => {
                if m.g() != 0 {
                    (0..len).map(at).collect()
                } else {
                    Vec::new()
                }
            }
            KJ | KI => {
                let js = as_longs(&m).unwrap_or_default();
                js.iter()
                    .filter(|&&j| j >= 0 && (j as usize) < len)
                    .map(|&j| at(j as usize))
                    .collect()
            }
            _ => return Err(Error::type_()),
        };
        rows = Some(keep);
    }
    Ok(rows)
}

/// Adds the names `e` reads to `out`; false when it may read names it does not spell out
/// (`value "c"`, a nested query, patterns), so every column must be in scope.
fn names_read(e: &Node, out: &mut Vec<Sym>) -> bool {
    crate::q::eval::stack::guard();
    let all = |ns: &[Node], out: &mut Vec<Sym>| ns.iter().all(|n| names_read(n, out));
    match e {
        Node::Const(_) | Node::Verb(_) | Node::UnaryVerb(_) | Node::Elided | Node::Nil => true,
        // A lambda's body sees its own locals and globals, not the query's columns.
        Node::Lambda(_) => true,
        Node::Name(s) => {
            let b = s.as_bytes();
            if matches!(b, b"value" | b"eval" | b"reval" | b"get" | b"parse") {
                return false;
            }
            out.push(*s);
            // `time.minute`: the column `time`.
            if let Some(p) = b.iter().position(|&c| c == b'.').filter(|&p| p > 0) {
                out.push(Sym::new(&b[..p]));
            }
            true
        }
        Node::List(items) | Node::Cond(items) | Node::If(items) | Node::Do(items) => {
            all(items, out)
        }
        Node::While(items) => all(items, out),
        Node::Apply(f, args, _) => names_read(f, out) && all(args, out),
        Node::Monad(f, x, _) | Node::Compose(f, x) => names_read(f, out) && names_read(x, out),
        Node::Dyad(f, x, y, _) => names_read(f, out) && names_read(x, out) && names_read(y, out),
        Node::Adverb(f, _) => names_read(f, out),
        Node::Return(x) | Node::Signal(x, _) => names_read(x, out),
        Node::Assign(a) => {
            out.push(a.name);
            names_read(&a.value, out)
                && a.index.as_ref().is_none_or(|ix| all(ix, out))
                && a.op.as_ref().is_none_or(|op| names_read(op, out))
        }
        Node::Table(k, c) => k.iter().chain(c).all(|(_, n)| names_read(n, out)),
        Node::Sql(_) | Node::Match(..) | Node::MatchCond(..) => false,
    }
}
