//! Parse trees as q values: `parse` makes them from source, `eval` and `value` run them.
//!
//! A tree is a general list whose first item is the function and the rest its arguments; a
//! symbol is a name to look up; a one-item symbol list (`` ,`a ``) is the constant symbol;
//! anything else is itself.

use crate::obj::*;
use crate::q::eval::atoms::*;
use crate::q::eval::values::*;
use crate::q::eval::verbs;
use crate::q::eval::Ctx;
use crate::q::lang::ast::{Node, Pattern};

pub fn eval(cx: &mut Ctx, x: &K) -> Result<K> {
    crate::q::eval::stack::guard();
    cx.check_stack()?;
    match x.t() {
        A_KS => {
            let s = x.s();
            if s.is_empty() {
                return Ok(x.clone());
            }
            cx.lookup(s)
        }
        KS if x.n() == 1 => Ok(K::sym(x.as_slice::<Sym>()[0])),
        // `,x`: an enlisted constant, not evaluated.
        0 if x.n() == 1 => Ok(x.items()[0].clone()),
        0 if x.n() > 0 => {
            let items = x.items();
            let head = &items[0];
            // Assignment: (:;`a;v), and global assignment (::;`a;v).
            let global = verbs::is_identity(head);
            if (global || matches!(verbs::decode(head), Some(verbs::PrimRef::Glyph(":"))))
                && items.len() == 3
                && items[1].t() == A_KS
            {
                let v = eval(cx, &items[2])?;
                cx.assign(items[1].s(), v.clone(), global)?;
                return Ok(v);
            }
            // Cond: ($;c;t;f).
            if matches!(verbs::decode(head), Some(verbs::PrimRef::Glyph("$"))) && items.len() >= 4 {
                let mut i = 1;
                while i + 1 < items.len() {
                    if truthy(&eval(cx, &items[i])?)? {
                        return eval(cx, &items[i + 1]);
                    }
                    i += 2;
                }
                return if i < items.len() {
                    eval(cx, &items[i])
                } else {
                    Ok(K::identity())
                };
            }
            // (/;f): an iterator applied to a function.
            if head.t() == TERNARY && items.len() == 2 {
                let code = head.g() as usize;
                let glyph = ["'", "/", "\\", "':", "/:", "\\:"]
                    .get(code)
                    .copied()
                    .ok_or_else(Error::type_)?;
                let f = eval(cx, &items[1])?;
                return Ok(crate::q::eval::iter::derive(f, glyph));
            }
            let f = if head.t() == A_KS || head.t() == 0 {
                eval(cx, head)?
            } else {
                head.clone()
            };
            let mut args = Vec::with_capacity(items.len() - 1);
            for a in items[1..].iter().rev() {
                args.push(eval(cx, a)?);
            }
            args.reverse();
            if args.is_empty() {
                return Ok(f);
            }
            if f.t() < LAMBDA && f.t() != XT {
                // A list of data: the items evaluated.
                let mut all = vec![f];
                all.extend(args);
                return Ok(collapse(all));
            }
            cx.apply(f, args)
        }
        _ => Ok(x.clone()),
    }
}

/// `parse "..."`: the tree of the last statement.
pub fn parse(src: &[u8]) -> Result<K> {
    trees(&crate::q::lang::parse::parse(src)?)
}

/// The tree `parse` gives for parsed statements: the last one's, or `(";";...)` of several.
pub fn trees(stmts: &[Node]) -> Result<K> {
    let last = stmts.last().ok_or_else(|| Error::new("parse"))?;
    if stmts.len() > 1 {
        let mut items = vec![K::sym(Sym::new(";"))];
        for s in stmts {
            items.push(tree(s)?);
        }
        return Ok(K::list(items));
    }
    tree(last)
}

fn glyph(g: &str) -> K {
    verbs::glyph_value(g).unwrap_or_else(K::identity)
}

fn unary(g: &str) -> K {
    verbs::unary_glyph_value(g).unwrap_or_else(K::identity)
}

/// An iterator as a value in a parse tree: type 103 with its code.
pub fn iterator_value(a: &str) -> K {
    let code = ["'", "/", "\\", "':", "/:", "\\:"]
        .iter()
        .position(|x| *x == a)
        .unwrap_or(0);
    K::atom_word(TERNARY, code as u64)
}

/// A node as a parse tree.
pub fn tree(n: &Node) -> Result<K> {
    crate::q::eval::stack::guard();
    Ok(match n {
        Node::Const(k) => match k.t() {
            A_KS => K::from_slice(KS, &[k.s()]),
            KS => K::list(vec![k.clone()]),
            _ => k.clone(),
        },
        // Keywords appear as their function values (`count` as `#:`, `sums` as `+\`), as
        // kdb+'s parse trees hold them.
        Node::Name(s) => match verbs::keyword_code(&s.as_str()) {
            Some((t, c)) => K::atom_word(t, c as u64),
            _ => K::sym(*s),
        },
        Node::Verb(g) => glyph(&g.as_str()),
        Node::UnaryVerb(g) => unary(&g.as_str()),
        Node::Lambda(d) => {
            crate::q::eval::lambda::remember(d);
            K::list_of_type(
                LAMBDA,
                vec![
                    K::string(&d.src),
                    K::sym(Sym::empty()),
                    K::from_slice(KS, &d.params),
                ],
            )
        }
        Node::List(items) => {
            let mut v = vec![verbs::keyword_value("enlist").unwrap_or_else(K::identity)];
            for i in items {
                v.push(tree(i)?);
            }
            K::list(v)
        }
        Node::Apply(f, args, _) => {
            let mut v = vec![tree(f)?];
            for a in args {
                v.push(tree(a)?);
            }
            K::list(v)
        }
        Node::Monad(f, x, _) => {
            let fv = match &**f {
                Node::Verb(g) => unary(&g.as_str()),
                f => tree(f)?,
            };
            K::list(vec![fv, tree(x)?])
        }
        Node::Dyad(op, l, r, _) => K::list(vec![tree(op)?, tree(l)?, tree(r)?]),
        Node::Adverb(f, a) => K::list(vec![iterator_value(a), tree(f)?]),
        Node::Assign(a) => {
            let op = match &a.op {
                None if a.global => K::identity(),
                None => glyph(":"),
                Some(o) => K::list(vec![tree(o)?, glyph(":")]),
            };
            let target = match &a.index {
                None => K::sym(a.name),
                Some(idx) => {
                    let mut v = vec![K::sym(a.name)];
                    for i in idx {
                        v.push(tree(i)?);
                    }
                    K::list(v)
                }
            };
            K::list(vec![op, target, tree(&a.value)?])
        }
        Node::Cond(args) => {
            let mut v = vec![glyph("$")];
            for a in args {
                v.push(tree(a)?);
            }
            K::list(v)
        }
        Node::If(args) | Node::Do(args) | Node::While(args) => {
            let name = match n {
                Node::If(_) => "if",
                Node::Do(_) => "do",
                _ => "while",
            };
            let mut v = vec![K::sym(Sym::new(name))];
            for a in args {
                v.push(tree(a)?);
            }
            K::list(v)
        }
        Node::Return(x) => K::list(vec![glyph(":"), tree(x)?]),
        Node::Signal(x, _) => K::list(vec![K::sym(Sym::new("'")), tree(x)?]),
        Node::Sql(q) => crate::q::sql::parse_tree(q, &tree)?,
        Node::Compose(f, g) => K::list(vec![K::sym(Sym::new("'")), tree(f)?, tree(g)?]),
        Node::Match(p, v) => K::list(vec![glyph(":"), pattern_tree(p)?, tree(v)?]),
        Node::MatchCond(branches, patterns) => {
            let mut v = vec![glyph(":"), tree(&branches[0])?];
            for (k, p) in patterns.iter().enumerate() {
                v.push(pattern_tree(p)?);
                v.push(tree(&branches[k + 1])?);
            }
            if let Some(d) = branches.get(patterns.len() + 1) {
                v.push(tree(d)?);
            }
            K::list(v)
        }
        Node::Table(_, _) | Node::Elided | Node::Nil => K::identity(),
    })
}

/// A pattern as the tree of the expression it was written as (its names as symbols).
fn pattern_tree(p: &Pattern) -> Result<K> {
    crate::q::eval::stack::guard();
    Ok(match p {
        Pattern::Any => K::identity(),
        Pattern::Value(k) => tree(&Node::Const(k.clone()))?,
        Pattern::Name(s) => K::sym(*s),
        Pattern::List(ps) => {
            let mut v = vec![verbs::keyword_value("enlist").unwrap_or_else(K::identity)];
            for p in ps {
                v.push(pattern_tree(p)?);
            }
            K::list(v)
        }
        Pattern::Typed(p, c) => K::list(vec![
            glyph(":"),
            pattern_tree(p)?,
            K::from_slice(KS, &[Sym::new([*c])]),
        ]),
        Pattern::Filter(p, f) => K::list(vec![glyph(":"), pattern_tree(p)?, tree(f)?]),
        Pattern::Dict(k, v) => K::list(vec![glyph("!"), pattern_tree(k)?, pattern_tree(v)?]),
        Pattern::Flip(p) => K::list(vec![unary("+"), pattern_tree(p)?]),
        Pattern::Indexed(..) | Pattern::Keyed(..) | Pattern::Table(..) => K::identity(),
    })
}

/// `value` of a lambda: kdb+'s compiled parts (`lambdaparts.rs`).
pub fn lambda_value(f: &K) -> Result<K> {
    let def = crate::q::eval::lambda::definition(f)?;
    Ok(super::lambdaparts::of(f, &def))
}
