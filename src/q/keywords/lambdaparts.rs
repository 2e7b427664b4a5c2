//! `value` of a lambda: the parts kdb+ 4.x lists for a compiled function, in its positions:
//!
//! ```text
//! 0 bytecode   1 parameters   2 locals   3 namespace, then the globals it names
//! 4.. one item per constant   then: source offsets, name, file, line, source text
//! ```
//!
//! This engine walks a parse tree rather than running kdb+'s bytecode, so item 0 is an empty
//! byte vector and the offsets (per bytecode) an empty long vector; every other item is what
//! kdb+ gives. The name is the empty string (a lambda value here does not record the global
//! it was first assigned to), the file and line are where a script defined it ("" and -1 at
//! the prompt).

use crate::obj::*;
use crate::q::eval::atoms::A_KS;
use crate::q::eval::verbs;
use crate::q::lang::ast::{LambdaDef, Node, Pattern, Sql};

/// What the body names and holds, in order of first appearance.
#[derive(Default)]
struct Parts {
    globals: Vec<Sym>,
    constants: Vec<K>,
}

impl Parts {
    fn global(&mut self, def: &LambdaDef, s: Sym) {
        let known = def.params.contains(&s) || def.locals.contains(&s) || self.globals.contains(&s);
        if !known && !is_keyword(s) {
            self.globals.push(s);
        }
    }

    fn nodes(&mut self, def: &LambdaDef, ns: &[Node]) {
        ns.iter().for_each(|n| self.node(def, n));
    }

    fn node(&mut self, def: &LambdaDef, n: &Node) {
        crate::q::eval::stack::guard();
        match n {
            Node::Const(k) => self.constants.push(k.clone()),
            Node::Name(s) => self.global(def, *s),
            Node::Lambda(d) => self.constants.push(K::list_of_type(
                LAMBDA,
                vec![K::string(&d.src), K::sym(Sym::empty())],
            )),
            Node::List(v) | Node::Cond(v) | Node::If(v) | Node::Do(v) | Node::While(v) => {
                self.nodes(def, v)
            }
            Node::Apply(f, v, _) => {
                self.node(def, f);
                self.nodes(def, v);
            }
            Node::Monad(f, x, _) | Node::Compose(f, x) => {
                self.node(def, f);
                self.node(def, x);
            }
            Node::Dyad(f, x, y, _) => {
                self.node(def, x);
                self.node(def, f);
                self.node(def, y);
            }
            Node::Adverb(f, _) | Node::Return(f) | Node::Signal(f, _) => self.node(def, f),
            Node::Assign(a) => {
                let local = !a.global && def.locals.contains(&a.name);
                if !local {
                    self.global(def, a.name);
                }
                if let Some(i) = &a.index {
                    self.nodes(def, i);
                }
                if let Some(op) = &a.op {
                    self.node(def, op);
                }
                self.node(def, &a.value);
            }
            Node::Match(p, v) => {
                self.pattern(def, p);
                self.node(def, v);
            }
            Node::MatchCond(v, ps) => {
                self.nodes(def, v);
                ps.iter().for_each(|p| self.pattern(def, p));
            }
            Node::Table(k, c) => k.iter().chain(c).for_each(|(_, n)| self.node(def, n)),
            Node::Sql(q) => self.sql(def, q),
            Node::Verb(_) | Node::UnaryVerb(_) | Node::Elided | Node::Nil => {}
        }
    }

    fn pattern(&mut self, def: &LambdaDef, p: &Pattern) {
        crate::q::eval::stack::guard();
        match p {
            Pattern::Value(k) => self.constants.push(k.clone()),
            Pattern::List(ps) => ps.iter().for_each(|p| self.pattern(def, p)),
            Pattern::Typed(p, _) | Pattern::Flip(p) => self.pattern(def, p),
            Pattern::Filter(p, f) => {
                self.pattern(def, p);
                self.node(def, f);
            }
            Pattern::Dict(k, v) => {
                self.pattern(def, k);
                self.pattern(def, v);
            }
            Pattern::Indexed(_, i) => self.nodes(def, i),
            Pattern::Keyed(k, ps) => {
                self.node(def, k);
                ps.iter().for_each(|p| self.pattern(def, p));
            }
            Pattern::Table(k, c) => k.iter().chain(c).for_each(|(_, p)| self.pattern(def, p)),
            Pattern::Any | Pattern::Name(_) => {}
        }
    }

    /// A query inside the body: its table is named as a global; column expressions name
    /// columns, which are not globals.
    fn sql(&mut self, def: &LambdaDef, q: &Sql) {
        match &q.from {
            Node::Name(s) => self.global(def, *s),
            n => self.node(def, n),
        }
    }
}

fn is_keyword(s: Sym) -> bool {
    let b = s.as_bytes();
    verbs::keyword_code(&s.as_str()).is_some() || b.is_empty()
}

/// kdb+'s `value` of lambda `f` (its source in item 0, its namespace in item 1).
pub fn of(f: &K, def: &LambdaDef) -> K {
    let mut parts = Parts::default();
    parts.nodes(def, &def.body);
    let ns = match f.items().get(1) {
        Some(s) if s.t() == A_KS && !s.s().as_bytes().is_empty() => Sym::new(
            s.s()
                .as_bytes()
                .strip_prefix(b".")
                .unwrap_or(s.s().as_bytes()),
        ),
        _ => Sym::empty(),
    };
    let mut globals = vec![ns];
    globals.extend(parts.globals);
    let (file, line) = match def.origin.get().and_then(|o| o.rsplit_once(':')) {
        Some((file, line)) => (file.to_string(), line.parse::<i64>().unwrap_or(-1)),
        None => (String::new(), -1),
    };
    let mut out = vec![
        K::vector(KG, 0),
        K::from_slice(KS, &def.params),
        K::from_slice(KS, &def.locals),
        K::from_slice(KS, &globals),
    ];
    out.extend(parts.constants);
    out.extend([
        K::vector(KJ, 0),
        K::string(""),
        K::string(&file),
        K::long(line),
        f.items()[0].clone(),
    ]);
    K::list(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_of_the_reference_pages_example() {
        // ref/value.md: {[a;b]d::neg c:a*b+5;c+e} has locals ,`c, globals ``d`e, constant 5.
        let src = "{[a;b]d::neg c:a*b+5;c+e}";
        let def = crate::q::lang::parse::parse_lambda(src.as_bytes()).unwrap();
        let f = K::list_of_type(LAMBDA, vec![K::string(src), K::sym(Sym::empty())]);
        let v = of(&f, &def);
        let items = v.items();
        assert_eq!(items.len(), 10);
        assert_eq!(items[1].as_slice::<Sym>(), &[Sym::new("a"), Sym::new("b")]);
        assert_eq!(items[2].as_slice::<Sym>(), &[Sym::new("c")]);
        assert_eq!(
            items[3].as_slice::<Sym>(),
            &[Sym::empty(), Sym::new("d"), Sym::new("e")]
        );
        assert_eq!(items[4].j(), 5);
        assert_eq!(items[8].j(), -1);
        assert_eq!(items[9].bytes(), src.as_bytes());
    }
}
