//! Pattern matching (q 4.1): `(a;b):v`, `([k:p]):d`, ``(p:`f):v``, `{[(a;b);c]...}` and
//! `:[v;p1;r1;...]`.
//!
//! The parser writes a pattern as an expression and `from_node` reads it back as a pattern.
//! Matching first checks the whole value and collects what to set, then sets it: a failed
//! match changes no variable.

use super::values::{collapse, count, identical, item};
use super::verbs;
use super::{Ctx, Flow};
use crate::obj::*;
use crate::q::lang::ast::{Node, Pattern};

/// Type letters by type number (`.Q.t`), for type-check patterns.
const TYPE_LETTERS: &[u8; 20] = b" bg xhijefcspmdznuvt";

/// Reads the expression written where a pattern belongs as that pattern. An expression that
/// is no pattern basics/pattern.md describes (`(1+2):3`) is 'nyi: what kdb+ answers there is
/// not documented.
pub fn from_node(n: Node) -> Result<Pattern> {
    super::stack::guard();
    Ok(match n {
        Node::Elided | Node::Nil => Pattern::Any,
        Node::Const(k) => Pattern::Value(k),
        Node::Name(s) => Pattern::Name(s),
        Node::Apply(f, idx, _) => match *f {
            Node::Name(s) => Pattern::Indexed(s, idx),
            _ => return Err(Error::new("nyi")),
        },
        Node::List(items) => {
            Pattern::List(items.into_iter().map(from_node).collect::<Result<_>>()?)
        }
        Node::Dyad(op, keys, vals, _) if matches!(&*op, Node::Verb(g) if g.as_bytes() == b"!") => {
            if is_constant(&keys) {
                let vals = match *vals {
                    Node::List(items) => items,
                    v => vec![v],
                };
                Pattern::Keyed(
                    *keys,
                    vals.into_iter().map(from_node).collect::<Result<_>>()?,
                )
            } else {
                Pattern::Dict(Box::new(from_node(*keys)?), Box::new(from_node(*vals)?))
            }
        }
        Node::Monad(f, x, _) => match *f {
            Node::Name(s) if s.as_bytes() == b"flip" => Pattern::Flip(Box::new(from_node(*x)?)),
            // `(v i):y` indexes by juxtaposition, as `(v[i]):y` does.
            Node::Name(s) => Pattern::Indexed(s, vec![*x]),
            _ => return Err(Error::new("nyi")),
        },
        Node::Assign(a) if !a.global && a.op.is_none() => {
            let a = *a;
            let target = match a.index {
                None => Pattern::Name(a.name),
                Some(idx) => Pattern::Indexed(a.name, idx),
            };
            checked(target, a.value)
        }
        Node::Return(check) => checked(Pattern::Any, *check),
        Node::Match(p, check) => checked(*p, *check),
        Node::Table(keys, cols) if cols.is_empty() && !keys.is_empty() => {
            let names: Vec<Sym> = keys.iter().map(|(s, _)| *s).collect();
            let ps = keys
                .into_iter()
                .map(|(_, n)| from_node(n))
                .collect::<Result<_>>()?;
            Pattern::Keyed(Node::Const(K::from_slice(KS, &names)), ps)
        }
        Node::Table(keys, cols) => {
            let named = |v: Vec<(Sym, Node)>| -> Result<Vec<(Sym, Pattern)>> {
                v.into_iter().map(|(s, n)| Ok((s, from_node(n)?))).collect()
            };
            Pattern::Table(named(keys)?, named(cols)?)
        }
        _ => return Err(Error::new("nyi")),
    })
}

/// `p:x`: a type check when `x` is a type letter as a symbol, else a filter function.
fn checked(p: Pattern, check: Node) -> Pattern {
    if let Node::Const(k) = &check {
        if let Some(letter) = type_letter(k) {
            return Pattern::Typed(Box::new(p), letter);
        }
    }
    Pattern::Filter(Box::new(p), check)
}

fn type_letter(k: &K) -> Option<u8> {
    if k.t() != -KS {
        return None;
    }
    match k.s().as_bytes() {
        [c] if *c != b' ' && TYPE_LETTERS.contains(&c.to_ascii_lowercase()) => Some(*c),
        _ => None,
    }
}

fn is_constant(n: &Node) -> bool {
    match n {
        Node::Const(_) => true,
        Node::List(items) => items.iter().all(is_constant),
        _ => false,
    }
}

/// The names a pattern sets (a lambda's locals).
pub fn names(p: &Pattern, out: &mut Vec<Sym>) {
    super::stack::guard();
    match p {
        Pattern::Name(s) => {
            if !out.contains(s) {
                out.push(*s);
            }
        }
        Pattern::List(ps) | Pattern::Keyed(_, ps) => ps.iter().for_each(|p| names(p, out)),
        Pattern::Table(ks, cs) => ks.iter().chain(cs).for_each(|(_, p)| names(p, out)),
        Pattern::Dict(k, v) => {
            names(k, out);
            names(v, out);
        }
        Pattern::Flip(p) | Pattern::Typed(p, _) | Pattern::Filter(p, _) => names(p, out),
        Pattern::Any | Pattern::Value(_) | Pattern::Indexed(..) => {}
    }
}

fn has_filter(p: &Pattern) -> bool {
    match p {
        Pattern::Filter(..) => true,
        Pattern::List(ps) => ps.iter().any(has_filter),
        Pattern::Typed(p, _) => has_filter(p),
        _ => false,
    }
}

/// What a successful match sets: a name or indexed-name pattern and its value.
pub type Bindings<'p> = Vec<(&'p Pattern, K)>;

/// Whether an error means only that a value did not fit a pattern.
pub fn is_mismatch(e: &Error) -> bool {
    matches!(e.msg().as_bytes(), b"match" | b"type" | b"length")
}

impl Ctx<'_> {
    /// Matches `v` to `p` and sets its names; the value as the pattern's filters left it.
    pub fn match_and_set(&mut self, p: &Pattern, v: K) -> std::result::Result<K, Flow> {
        let mut binds = Vec::new();
        let r = self.match_pattern(p, v, &mut binds)?;
        self.set_bindings(binds)?;
        Ok(r)
    }

    /// `:[v;p1;r1;...;rd]`.
    pub fn match_cond(
        &mut self,
        branches: &[Node],
        patterns: &[Pattern],
    ) -> std::result::Result<K, Flow> {
        let v = self.eval(&branches[0])?;
        for (k, p) in patterns.iter().enumerate() {
            let mut binds = Vec::new();
            match self.match_pattern(p, v.clone(), &mut binds) {
                Ok(_) => {
                    self.set_bindings(binds)?;
                    return self.eval(&branches[k + 1]);
                }
                Err(e) if is_mismatch(&e) => {}
                Err(e) => return Err(e.into()),
            }
        }
        match branches.get(patterns.len() + 1) {
            Some(default) => self.eval(default),
            None => Ok(K::identity()),
        }
    }

    fn set_bindings(&mut self, binds: Bindings) -> std::result::Result<(), Flow> {
        for (p, v) in binds {
            match p {
                Pattern::Name(s) => self.assign(*s, v, false)?,
                Pattern::Indexed(s, idx) => {
                    self.assign_at(*s, false, idx, None, v)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn node_value(&mut self, n: &Node) -> Result<K> {
        match self.eval(n) {
            Ok(v) | Err(Flow::Ret(v)) => Ok(v),
            Err(Flow::Err(e)) => Err(e),
        }
    }

    /// Checks `v` against `p`, collecting the names to set.
    pub fn match_pattern<'p>(
        &mut self,
        p: &'p Pattern,
        v: K,
        binds: &mut Bindings<'p>,
    ) -> Result<K> {
        self.check_stack()?;
        match p {
            Pattern::Any => Ok(v),
            Pattern::Value(k) if identical(k, &v) => Ok(v),
            Pattern::Value(_) => Err(Error::new("match")),
            Pattern::Name(_) | Pattern::Indexed(..) => {
                binds.push((p, v.clone()));
                Ok(v)
            }
            Pattern::List(ps) => {
                if v.is_atom() || count(&v) != ps.len() {
                    return Err(Error::length());
                }
                let mut items = Vec::with_capacity(ps.len());
                for (k, p) in ps.iter().enumerate() {
                    items.push(self.match_pattern(p, item(&v, k), binds)?);
                }
                Ok(if has_filter(p) { collapse(items) } else { v })
            }
            Pattern::Keyed(keys, ps) => {
                let keys = self.node_value(keys)?;
                let wanted: Vec<K> = if keys.is_atom() {
                    vec![keys]
                } else {
                    (0..count(&keys)).map(|k| item(&keys, k)).collect()
                };
                if wanted.len() != ps.len() {
                    return Err(Error::length());
                }
                let (dk, dv) = dict_parts(&v)?;
                for (key, p) in wanted.iter().zip(ps) {
                    let at = (0..count(&dk))
                        .find(|k| identical(&item(&dk, *k), key))
                        .ok_or_else(|| Error::new("match"))?;
                    self.match_pattern(p, item(&dv, at), binds)?;
                }
                Ok(v)
            }
            Pattern::Table(keys, cols) => {
                if keys.is_empty() {
                    if v.t() != XT {
                        return Err(Error::type_());
                    }
                    self.match_columns(cols, v.table_dict(), binds)?;
                } else {
                    let (kt, vt) = dict_parts(&v)?;
                    if kt.t() != XT || vt.t() != XT {
                        return Err(Error::type_());
                    }
                    self.match_columns(keys, kt.table_dict(), binds)?;
                    self.match_columns(cols, vt.table_dict(), binds)?;
                }
                Ok(v)
            }
            Pattern::Dict(pk, pv) => {
                let (dk, dv) = dict_parts(&v)?;
                self.match_pattern(pk, dk, binds)?;
                self.match_pattern(pv, dv, binds)?;
                Ok(v)
            }
            Pattern::Flip(inner) => {
                let flip = verbs::keyword_value("flip").ok_or_else(Error::type_)?;
                let flipped = self.apply(flip, vec![v.clone()])?;
                self.match_pattern(inner, flipped, binds)?;
                Ok(v)
            }
            Pattern::Typed(inner, letter) => {
                let t = TYPE_LETTERS
                    .iter()
                    .position(|c| *c == letter.to_ascii_lowercase())
                    .unwrap_or(0) as i8;
                let want = if letter.is_ascii_lowercase() { -t } else { t };
                if v.t() != want {
                    return Err(Error::type_());
                }
                self.match_pattern(inner, v, binds)
            }
            Pattern::Filter(inner, f) => {
                let f = self.node_value(f)?;
                let filtered = self.apply(f, vec![v])?;
                self.match_pattern(inner, filtered, binds)
            }
        }
    }

    fn match_columns<'p>(
        &mut self,
        cols: &'p [(Sym, Pattern)],
        d: &K,
        binds: &mut Bindings<'p>,
    ) -> Result<()> {
        let (names, vals) = (&d.items()[0], &d.items()[1]);
        for (name, p) in cols {
            let at = names
                .as_slice::<Sym>()
                .iter()
                .position(|s| s == name)
                .ok_or_else(|| Error::new("match"))?;
            self.match_pattern(p, item(vals, at), binds)?;
        }
        Ok(())
    }
}

/// A dictionary's keys and values (a keyed table's key and value tables).
fn dict_parts(v: &K) -> Result<(K, K)> {
    if v.t() != XD {
        return Err(Error::type_());
    }
    Ok((v.items()[0].clone(), v.items()[1].clone()))
}
