//! The parser: tokens to a tree, with q's right-to-left reading.
//!
//! An expression is a run of terms. Reading from the left: a verb followed by something is
//! applied to everything on its right; a noun followed by a verb is that verb's left argument;
//! a noun followed by a noun is applied to (or indexed by) everything on its right.

use std::cell::Cell;
use std::sync::Arc;

use super::ast::*;
use super::lex::{lex, Tok, Token};
use crate::obj::{Error, Result, Sym, K};

/// Keywords that q reads infix, as glyphs are (`x in y`, `f each x`).
pub const INFIX: &[&str] = &[
    "and", "or", "mod", "div", "xbar", "xexp", "xlog", "in", "within", "like", "bin", "binr", "ss",
    "sv", "vs", "xasc", "xdesc", "xcol", "xcols", "xkey", "xgroup", "xrank", "cross", "except",
    "inter", "union", "lj", "ljf", "ij", "ijf", "uj", "ujf", "pj", "asof", "ej", "cut", "set",
    "upsert", "insert", "rotate", "sublist", "fby", "each", "peach", "prior", "over", "scan",
    "cor", "cov", "scov", "wavg", "wsum", "mmu", "lsq", "xprev", "msum", "mavg", "mmax", "mmin",
    "mcount", "mdev", "ema", "dsave", "setenv",
];

pub fn is_infix(name: &str) -> bool {
    INFIX.contains(&name)
}

/// Parses a whole input: statements separated by `;` or newlines. Input that starts `k)` is
/// k, where a glyph applied prefix takes its unary form (`k)+d` is `flip d`). Source is bytes
/// (q strings are): what is not UTF-8 reaches string literals and lambda texts as it is.
pub fn parse(src: &[u8]) -> Result<Vec<Node>> {
    parse_located(src).map_err(|l| l.err)
}

/// A parse error and, where the parser knows it, the byte offset in the source it points at
/// (kdb+ puts its caret there: `'+` under the `+` of `2+2;+2`).
#[derive(Clone, Copy)]
pub struct Located {
    pub err: Error,
    pub at: Option<usize>,
}

impl From<Located> for Error {
    fn from(l: Located) -> Error {
        l.err
    }
}

/// `parse`, with the offset of the error where it has one.
pub fn parse_located(whole: &[u8]) -> std::result::Result<Vec<Node>, Located> {
    let (src, k) = match whole.strip_prefix(b"k)") {
        Some(rest) => (rest, true),
        None => (whole, false),
    };
    let unlocated = |err| Located { err, at: None };
    let offset = whole.len() - src.len();
    let toks = lex(src).map_err(unlocated)?;
    check_nesting(&toks).map_err(|(err, at)| Located {
        err,
        at: at.map(|a| a + offset),
    })?;
    let mut p = Parser {
        toks: &toks,
        i: 0,
        src,
        base: 0,
        k,
        sql: false,
        sort: false,
        err_at: Cell::new(None),
    };
    let located = |p: &Parser, err| Located {
        err,
        at: p.err_at.get().map(|a| a + offset),
    };
    let body = p.stmts().map_err(|e| located(&p, e))?;
    if p.i < toks.len() {
        return Err(Located {
            err: Error::new(match toks[p.i].tok {
                Tok::RParen => ")",
                Tok::RBracket => "]",
                Tok::RBrace => "}",
                _ => "parse",
            }),
            at: Some(toks[p.i].pos + offset),
        });
    }
    Ok(body)
}

/// Parses a lambda's source text (`{...}`) into its definition.
pub fn parse_lambda(src: &[u8]) -> Result<Arc<LambdaDef>> {
    let toks = lex(src)?;
    check_nesting(&toks).map_err(|(e, _)| e)?;
    let mut p = Parser {
        toks: &toks,
        i: 0,
        src,
        base: 0,
        k: false,
        sql: false,
        sort: false,
        err_at: Cell::new(None),
    };
    if !matches!(p.peek(), Some(Tok::LBrace)) {
        return Err(Error::new("parse"));
    }
    match p.lambda()? {
        Node::Lambda(d) => Ok(d),
        _ => Err(Error::new("parse")),
    }
}

/// Checks that brackets pair up (a stray or mismatched closer is the error, named by
/// itself, at its offset: ref/apply.md shows `@[2+;"42";{)}]`'s caret under the `)`) and that
/// nesting stays within what the parser follows.
fn check_nesting(toks: &[Token]) -> std::result::Result<(), (Error, Option<usize>)> {
    let mut open: Vec<&Tok> = Vec::new();
    let mut terms = 0usize;
    for t in toks {
        match &t.tok {
            Tok::LParen | Tok::LBracket | Tok::LBrace => {
                open.push(&t.tok);
                if open.len() > MAX_NESTING {
                    return Err((Error::new("stack"), None));
                }
            }
            closer @ (Tok::RParen | Tok::RBracket | Tok::RBrace) => {
                let paired = matches!(
                    (open.pop(), closer),
                    (Some(Tok::LParen), Tok::RParen)
                        | (Some(Tok::LBracket), Tok::RBracket)
                        | (Some(Tok::LBrace), Tok::RBrace)
                );
                if !paired {
                    let name = match closer {
                        Tok::RParen => ")",
                        Tok::RBracket => "]",
                        _ => "}",
                    };
                    return Err((Error::new(name), Some(t.pos)));
                }
            }
            Tok::Semi => terms = 0,
            _ => {
                terms += 1;
                if terms > MAX_TERMS {
                    return Err((Error::new("stack"), None));
                }
            }
        }
    }
    Ok(())
}

struct Term {
    node: Node,
    verb: bool,
    /// Where the term starts (see `Pos`).
    pos: Pos,
}

struct Parser<'a> {
    toks: &'a [Token],
    i: usize,
    src: &'a [u8],
    /// Where the lambda being read starts in `src` (0 outside lambdas): positions are
    /// relative to it.
    base: usize,
    /// Reading k rather than q.
    k: bool,
    /// Reading a qSQL phrase, where `$[...]` is `$` applied, not Cond.
    sql: bool,
    /// Reading `select[n;>c]`'s brackets, where `<c` and `>c` are the sort, not glyphs
    /// applied prefix.
    sort: bool,
    /// Where in `src` the error being returned points, when it points somewhere.
    err_at: Cell<Option<usize>>,
}

/// Deepest bracket nesting the parser follows; deeper input signals `'stack` rather than
/// exhausting the thread's stack.
const MAX_NESTING: usize = 200;
/// Most terms in one expression (each nests the tree one level deeper).
const MAX_TERMS: usize = 2000;

impl<'a> Parser<'a> {
    /// A source offset relative to the lambda being read.
    fn rel(&self, pos: usize) -> Pos {
        pos.saturating_sub(self.base).min(Pos::MAX as usize) as Pos
    }

    fn peek(&self) -> Option<&'a Tok> {
        self.toks.get(self.i).map(|t| &t.tok)
    }

    fn peek_at(&self, k: usize) -> Option<&'a Tok> {
        self.toks.get(self.i + k).map(|t| &t.tok)
    }

    fn expect(&mut self, want: fn(&Tok) -> bool, name: &str) -> Result<()> {
        match self.peek() {
            Some(t) if want(t) => {
                self.i += 1;
                Ok(())
            }
            _ => Err(Error::new(name)),
        }
    }

    /// Statements up to a closing token or the end.
    fn stmts(&mut self) -> Result<Vec<Node>> {
        let mut out = Vec::new();
        loop {
            let e = self.expr()?;
            out.push(e);
            match self.peek() {
                Some(Tok::Semi) => self.i += 1,
                _ => return Ok(out),
            }
        }
    }

    /// Bracketed arguments after `[` has been seen: `Elided` for empty slots.
    fn bracket_args(&mut self) -> Result<Vec<Node>> {
        self.i += 1;
        let args = self.stmts()?;
        self.expect(|t| matches!(t, Tok::RBracket), "]")?;
        Ok(args
            .into_iter()
            .map(|n| {
                if matches!(n, Node::Nil) {
                    Node::Elided
                } else {
                    n
                }
            })
            .collect())
    }

    fn at_end(&self) -> bool {
        matches!(
            self.peek(),
            None | Some(Tok::Semi | Tok::RParen | Tok::RBracket | Tok::RBrace)
        )
    }

    fn expr(&mut self) -> Result<Node> {
        if self.at_end() {
            return Ok(Node::Nil);
        }
        if matches!(self.peek(), Some(Tok::Colon))
            && !self.next_ends(1)
            && !self.bracket_at(1)
            && (!matches!(self.peek_at(1), Some(Tok::Adverb(_))) || self.toks[self.i + 1].spaced)
        {
            self.i += 1;
            return Ok(Node::Return(Box::new(self.expr()?)));
        }
        let mut terms: Vec<Term> = Vec::new();
        while !self.at_end() {
            if matches!(self.peek(), Some(Tok::Colon)) && self.bracket_at(1) {
                self.i += 1;
                terms.push(Term {
                    node: self.match_cond()?,
                    verb: false,
                    pos: 0,
                });
                continue;
            }
            if matches!(self.peek(), Some(Tok::Signal))
                && matches!(self.peek_at(1), Some(Tok::LBracket))
                && !self.toks[self.i + 1].spaced
            {
                // `'[f;g]` composes; `'[f]` is `f'`.
                self.i += 1;
                let mut args = self.bracket_args()?;
                let node = match args.len() {
                    1 => Node::Adverb(Box::new(args.remove(0)), "'"),
                    2 => {
                        let g = args.pop().unwrap_or(Node::Nil);
                        let f = args.pop().unwrap_or(Node::Nil);
                        Node::Compose(Box::new(f), Box::new(g))
                    }
                    _ => return Err(Error::rank()),
                };
                let t = self.postfix(Term {
                    node,
                    verb: false,
                    pos: 0,
                })?;
                terms.push(t);
                continue;
            }
            if matches!(self.peek(), Some(Tok::Signal)) {
                let at = self.rel(self.toks[self.i].pos);
                self.i += 1;
                let v = self.expr()?;
                terms.push(Term {
                    node: Node::Signal(Box::new(v), at),
                    verb: false,
                    pos: 0,
                });
                break;
            }
            // A trailing `::` after a noun leaves it as it is (`3 ::` is 3, not `3[::]`).
            if matches!(self.peek(), Some(Tok::DColon))
                && self.next_ends(1)
                && terms.last().is_some_and(|t| !t.verb)
            {
                self.i += 1;
                continue;
            }
            if let Some(a) = self.assignment()? {
                terms.push(Term {
                    node: a,
                    verb: false,
                    pos: 0,
                });
                break;
            }
            let t = self.term()?;
            terms.push(t);
        }
        let q = !self.k && !self.sort;
        build(terms, self.k, q).map_err(|(e, at)| {
            self.err_at.set(Some(self.base + at as usize));
            e
        })
    }

    /// `:[v;p1;r1;...;rd]` after the colon: the value, then pattern and result pairs, then
    /// the default.
    fn match_cond(&mut self) -> Result<Node> {
        let mut args = self.bracket_args()?.into_iter();
        let value = args.next().ok_or_else(|| Error::new("parse"))?;
        let mut branches = vec![value];
        let mut patterns = Vec::new();
        while let Some(a) = args.next() {
            match args.next() {
                Some(r) => {
                    patterns.push(crate::q::eval::pattern::from_node(a)?);
                    branches.push(r);
                }
                None => branches.push(a),
            }
        }
        Ok(Node::MatchCond(branches, patterns))
    }

    /// Whether the token `k` ahead is a `[` attached to what precedes it.
    fn bracket_at(&self, k: usize) -> bool {
        matches!(self.peek_at(k), Some(Tok::LBracket)) && !self.toks[self.i + k].spaced
    }

    fn next_ends(&self, k: usize) -> bool {
        matches!(
            self.peek_at(k),
            None | Some(Tok::Semi | Tok::RParen | Tok::RBracket | Tok::RBrace)
        )
    }

    /// `name:v`, `name::v`, `name+:v`, `name[i]:v`, `name[i]+:v`: consumes the rest of the
    /// expression as the value.
    fn assignment(&mut self) -> Result<Option<Node>> {
        if let Some(Tok::LParen) = self.peek() {
            return self.destructure();
        }
        let Some(Tok::Name(name)) = self.peek() else {
            return Ok(None);
        };
        let start = self.i;
        self.i += 1;
        let mut index = None;
        if matches!(self.peek(), Some(Tok::LBracket)) && !self.toks[self.i].spaced {
            // Look past the brackets for a colon before committing.
            let close = self.matching(self.i);
            if !matches!(
                close.and_then(|c| self.toks.get(c + 1)).map(|t| &t.tok),
                Some(Tok::Colon | Tok::VerbColon(_))
            ) {
                self.i = start;
                return Ok(None);
            }
            index = Some(self.bracket_args()?);
        }
        let (global, op) = match self.peek() {
            Some(Tok::Colon) => (false, None),
            Some(Tok::DColon) if index.is_none() => (true, None),
            Some(Tok::VerbColon(g)) => (false, Some(Node::Verb(Sym::new(g)))),
            _ => {
                self.i = start;
                return Ok(None);
            }
        };
        self.i += 1;
        let from = self.toks.get(self.i).map_or(self.src.len(), |t| t.pos);
        // `x,:` with nothing after is not an assignment of nothing; q reads `x:` as `x:(::)`.
        let value = self.expr()?;
        let to = self.toks.get(self.i).map_or(self.src.len(), |t| t.pos);
        let text = (global && op.is_none())
            .then(|| self.src.get(from..to).unwrap_or(b"").trim_ascii().into());
        Ok(Some(Node::Assign(Box::new(Assign {
            name: Sym::new(name),
            global,
            index,
            op,
            value,
            text,
        }))))
    }

    /// `(pattern):value`: matches the value to the pattern in the parentheses.
    fn destructure(&mut self) -> Result<Option<Node>> {
        let Some(close) = self.matching(self.i) else {
            return Ok(None);
        };
        if !matches!(self.toks.get(close + 1).map(|t| &t.tok), Some(Tok::Colon)) {
            return Ok(None);
        }
        let lhs = self.paren()?.node;
        self.i = close + 2;
        let value = self.expr()?;
        Ok(Some(Node::Match(
            Box::new(crate::q::eval::pattern::from_node(lhs)?),
            Box::new(value),
        )))
    }

    /// Index of the bracket closing the one at `open`.
    fn matching(&self, open: usize) -> Option<usize> {
        let mut depth = 0;
        for (k, t) in self.toks.iter().enumerate().skip(open) {
            match t.tok {
                Tok::LParen | Tok::LBracket | Tok::LBrace => depth += 1,
                Tok::RParen | Tok::RBracket | Tok::RBrace => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(k);
                    }
                }
                _ => {}
            }
        }
        None
    }

    fn term(&mut self) -> Result<Term> {
        let tok = &self.toks[self.i];
        let start = self.rel(tok.pos);
        let mut t = match &tok.tok {
            Tok::Lit(k) => {
                self.i += 1;
                Term {
                    node: Node::Const(k.clone()),
                    verb: false,
                    pos: 0,
                }
            }
            Tok::Name(n) => {
                self.i += 1;
                let bracket = matches!(self.peek(), Some(Tok::LBracket));
                match n.as_str() {
                    "if" if bracket => Term {
                        node: Node::If(self.bracket_args()?),
                        verb: false,
                        pos: 0,
                    },
                    "do" if bracket => Term {
                        node: Node::Do(self.bracket_args()?),
                        verb: false,
                        pos: 0,
                    },
                    "while" if bracket => Term {
                        node: Node::While(self.bracket_args()?),
                        verb: false,
                        pos: 0,
                    },
                    "select" | "exec" | "update" | "delete" => {
                        let kind = match n.as_str() {
                            "select" => SqlKind::Select,
                            "exec" => SqlKind::Exec,
                            "update" => SqlKind::Update,
                            _ => SqlKind::Delete,
                        };
                        return Ok(Term {
                            node: self.sql(kind)?,
                            verb: false,
                            pos: 0,
                        });
                    }
                    _ => Term {
                        node: Node::Name(Sym::new(n)),
                        verb: is_infix(n),
                        pos: 0,
                    },
                }
            }
            Tok::Verb(g) => {
                self.i += 1;
                if g == "$"
                    && !self.sql
                    && matches!(self.peek(), Some(Tok::LBracket))
                    && !self.toks[self.i].spaced
                {
                    Term {
                        node: Node::Cond(self.bracket_args()?),
                        verb: false,
                        pos: 0,
                    }
                } else {
                    Term {
                        node: Node::Verb(Sym::new(g)),
                        verb: true,
                        pos: 0,
                    }
                }
            }
            Tok::VerbColon(g) => {
                self.i += 1;
                Term {
                    node: Node::UnaryVerb(Sym::new(g)),
                    verb: true,
                    pos: 0,
                }
            }
            Tok::Colon => {
                self.i += 1;
                Term {
                    node: Node::Verb(Sym::new(":")),
                    verb: true,
                    pos: 0,
                }
            }
            Tok::DColon => {
                self.i += 1;
                Term {
                    node: Node::Const(K::identity()),
                    verb: false,
                    pos: 0,
                }
            }
            Tok::LParen => self.paren()?,
            Tok::LBrace => Term {
                node: self.lambda()?,
                verb: false,
                pos: 0,
            },
            Tok::Adverb(a) => {
                // An iterator with nothing before it: applies to what follows, e.g. `/:`.
                self.i += 1;
                Term {
                    node: Node::Adverb(Box::new(Node::Nil), a),
                    verb: true,
                    pos: 0,
                }
            }
            Tok::Signal => return Err(Error::new("'")),
            Tok::LBracket => {
                // A bracketed block on its own: its statements in order, the last one's value.
                let items = self.bracket_args()?;
                Term {
                    node: Node::Apply(Box::new(Node::Const(K::identity())), items, 0),
                    verb: false,
                    pos: 0,
                }
            }
            Tok::RParen | Tok::RBracket | Tok::RBrace | Tok::Semi => {
                return Err(Error::new("parse"))
            }
        };
        t.pos = start;
        self.postfix(t)
    }

    /// Postfix: brackets apply, iterators derive.
    fn postfix(&mut self, mut t: Term) -> Result<Term> {
        loop {
            match self.peek() {
                Some(Tok::LBracket) if !self.toks[self.i].spaced || !t.verb => {
                    let args = self.bracket_args()?;
                    t = Term {
                        node: Node::Apply(Box::new(t.node), args, t.pos),
                        verb: false,
                        pos: t.pos,
                    };
                }
                Some(Tok::Adverb(a)) if !self.toks[self.i].spaced => {
                    self.i += 1;
                    t = Term {
                        node: Node::Adverb(Box::new(t.node), a),
                        verb: true,
                        pos: 0,
                    };
                }
                _ => return Ok(t),
            }
        }
    }

    fn paren(&mut self) -> Result<Term> {
        self.i += 1;
        if matches!(self.peek(), Some(Tok::LBracket)) {
            return self.table();
        }
        if matches!(self.peek(), Some(Tok::RParen)) {
            self.i += 1;
            return Ok(Term {
                node: Node::Const(K::list(Vec::new())),
                verb: false,
                pos: 0,
            });
        }
        let items = self.stmts()?;
        self.expect(|t| matches!(t, Tok::RParen), ")")?;
        let node = if items.len() == 1 {
            items.into_iter().next().unwrap_or(Node::Nil)
        } else {
            Node::List(
                items
                    .into_iter()
                    .map(|n| {
                        if matches!(n, Node::Nil) {
                            Node::Elided
                        } else {
                            n
                        }
                    })
                    .collect(),
            )
        };
        // A parenthesised verb is a noun: `(+)`.
        Ok(Term {
            node,
            verb: false,
            pos: 0,
        })
    }

    fn table(&mut self) -> Result<Term> {
        self.i += 1;
        let keys = self.stmts()?;
        self.expect(|t| matches!(t, Tok::RBracket), "]")?;
        let cols = if matches!(self.peek(), Some(Tok::RParen)) {
            Vec::new()
        } else {
            self.stmts()?
        };
        self.expect(|t| matches!(t, Tok::RParen), ")")?;
        let keys = named_columns(keys, 0);
        let cols = named_columns(cols, keys.len());
        Ok(Term {
            node: Node::Table(keys, cols),
            verb: false,
            pos: 0,
        })
    }

    fn lambda(&mut self) -> Result<Node> {
        let open = self.i;
        let close = self.matching(open).ok_or_else(|| Error::new("{"))?;
        self.i += 1;
        let mut params = Vec::new();
        let mut patterns = Vec::new();
        let mut explicit = false;
        if matches!(self.peek(), Some(Tok::LBracket)) {
            explicit = true;
            let mut slots = self.bracket_args()?;
            if slots.len() == 1 && matches!(slots[0], Node::Elided) {
                slots.clear();
            }
            if slots.len() > 8 {
                return Err(Error::new("params"));
            }
            for (k, slot) in slots.into_iter().enumerate() {
                match slot {
                    Node::Name(n) => params.push(n),
                    slot => {
                        params.push(Sym::empty());
                        match crate::q::eval::pattern::from_node(slot)? {
                            Pattern::Any => {}
                            p => patterns.push((k, p)),
                        }
                    }
                }
            }
        } else {
            params = implicit_params(&self.toks[open + 1..close]);
        }
        // A lambda's body is q again, even inside a qSQL phrase.
        let sql = std::mem::replace(&mut self.sql, false);
        let base = std::mem::replace(&mut self.base, self.toks[open].pos);
        let body = self.stmts();
        self.base = base;
        self.sql = sql;
        let body = body?;
        self.expect(|t| matches!(t, Tok::RBrace), "}")?;
        let from = self.toks[open].pos;
        let to = self.toks[close].pos + 1;
        let src = self.src[from..to].to_vec();
        let mut locals = Vec::new();
        for n in &body {
            assigned_names(n, &mut locals);
        }
        for (_, p) in &patterns {
            crate::q::eval::pattern::names(p, &mut locals);
        }
        locals.retain(|l| !params.contains(l));
        // A name assigned globally (`::`) before the body declares it local is an error,
        // named by the name (after the local declaration, `::` assigns the local).
        let mut order = Vec::new();
        for n in &body {
            assignment_order(n, &mut order);
        }
        for (k, (name, global)) in order.iter().enumerate() {
            if *global
                && !order[..k].iter().any(|(n, _)| n == name)
                && order[k..].iter().any(|(n, g)| n == name && !g)
            {
                return Err(Error(*name));
            }
        }
        Ok(Node::Lambda(Arc::new(LambdaDef {
            src,
            params,
            patterns,
            explicit,
            body,
            locals,
            origin: Default::default(),
        })))
    }

    /// `select[n] cols by keys from t where c1, c2` (also exec, update, delete).
    fn sql(&mut self, kind: SqlKind) -> Result<Node> {
        let (mut limit, mut order) = (None, None);
        if matches!(self.peek(), Some(Tok::LBracket)) && !self.toks[self.i].spaced {
            let sort = std::mem::replace(&mut self.sort, true);
            let args = self.bracket_args();
            self.sort = sort;
            let mut args = args?;
            if args.last().is_some_and(is_sort) {
                order = args.pop();
            }
            limit = args.pop();
        }
        let distinct =
            kind == SqlKind::Select && matches!(self.peek(), Some(Tok::Name(n)) if n == "distinct");
        if distinct {
            self.i += 1;
        }
        // Find the extent: up to the end of this expression.
        let start = self.i;
        let mut depth = 0;
        let mut end = start;
        while end < self.toks.len() {
            match self.toks[end].tok {
                Tok::LParen | Tok::LBracket | Tok::LBrace => depth += 1,
                Tok::RParen | Tok::RBracket | Tok::RBrace if depth == 0 => break,
                Tok::RParen | Tok::RBracket | Tok::RBrace => depth -= 1,
                Tok::Semi if depth == 0 => break,
                _ => {}
            }
            end += 1;
        }
        let word = |k: usize, w: &str| depth_zero_name(&self.toks[start..end], k, w);
        let mut by_at = None;
        let mut from_at = None;
        let mut where_at = None;
        for k in 0..end - start {
            if by_at.is_none() && from_at.is_none() && word(k, "by") {
                by_at = Some(start + k);
            } else if from_at.is_none() && word(k, "from") {
                from_at = Some(start + k);
            } else if from_at.is_some() && where_at.is_none() && word(k, "where") {
                where_at = Some(start + k);
            }
        }
        let from_at = from_at.ok_or_else(|| Error::new("from"))?;
        let cols_end = by_at.unwrap_or(from_at);
        let cols = self.sub_exprs(start, cols_end)?;
        let by = match by_at {
            Some(b) => self.sub_exprs(b + 1, from_at)?,
            None => Vec::new(),
        };
        let from_end = where_at.unwrap_or(end);
        let from = self.sub_expr(from_at + 1, from_end)?;
        let wheres = match where_at {
            Some(w) => self
                .sub_exprs(w + 1, end)?
                .into_iter()
                .map(|(_, n)| n)
                .collect(),
            None => Vec::new(),
        };
        self.i = end;
        Ok(Node::Sql(Box::new(Sql {
            kind,
            limit,
            order,
            distinct,
            cols,
            by,
            has_by: by_at.is_some(),
            from,
            wheres,
        })))
    }

    fn sub_expr(&self, from: usize, to: usize) -> Result<Node> {
        let mut p = Parser {
            toks: &self.toks[from..to],
            i: 0,
            src: self.src,
            base: self.base,
            k: self.k,
            sql: true,
            sort: false,
            err_at: Cell::new(None),
        };
        let n = p.expr().inspect_err(|_| self.err_at.set(p.err_at.get()))?;
        if p.i < p.toks.len() {
            return Err(Error::new("parse"));
        }
        Ok(n)
    }

    /// Comma-separated column expressions, each with its explicit name (`name:expr`).
    fn sub_exprs(&self, from: usize, to: usize) -> Result<Vec<(Option<Sym>, Node)>> {
        let mut out = Vec::new();
        let mut depth = 0;
        let mut st = from;
        for k in from..=to {
            let sep = k == to
                || match &self.toks[k].tok {
                    Tok::LParen | Tok::LBracket | Tok::LBrace => {
                        depth += 1;
                        false
                    }
                    Tok::RParen | Tok::RBracket | Tok::RBrace => {
                        depth -= 1;
                        false
                    }
                    // `,'` (join each) is a verb of the expression, not a separator.
                    Tok::Verb(v) => {
                        depth == 0
                            && v == ","
                            && !matches!(self.toks.get(k + 1).map(|t| &t.tok), Some(Tok::Adverb(_)))
                    }
                    _ => false,
                };
            if sep {
                if k > st {
                    let n = self.sub_expr(st, k)?;
                    out.push(match n {
                        Node::Assign(a) if a.index.is_none() && a.op.is_none() => {
                            (Some(a.name), a.value)
                        }
                        n => (None, n),
                    });
                }
                st = k + 1;
            }
        }
        Ok(out)
    }
}

/// `<c` or `>c`: qSQL's sort in `select[n;>c]`.
fn is_sort(n: &Node) -> bool {
    matches!(n, Node::Monad(f, _, _) if matches!(&**f, Node::Verb(g) | Node::UnaryVerb(g) if matches!(g.as_bytes(), b"<" | b">")))
}

fn depth_zero_name(toks: &[Token], k: usize, w: &str) -> bool {
    let mut depth = 0;
    for t in &toks[..k] {
        match t.tok {
            Tok::LParen | Tok::LBracket | Tok::LBrace => depth += 1,
            Tok::RParen | Tok::RBracket | Tok::RBrace => depth -= 1,
            _ => {}
        }
    }
    depth == 0 && matches!(&toks[k].tok, Tok::Name(n) if n == w)
}

/// The name a qSQL column expression gives its column: its first name that is not a keyword
/// (nor `i`).
pub fn column_name(n: &Node) -> Option<Sym> {
    crate::q::eval::stack::guard();
    match n {
        Node::Name(s) => {
            let name = s.as_str();
            // Keywords and the virtual column `i` name no column.
            if crate::q::eval::verbs::is_keyword(&name) || &*name == "i" {
                None
            } else {
                let short = name.rsplit('.').next().unwrap_or(&name).to_string();
                Some(Sym::new(short))
            }
        }
        Node::Monad(f, x, _) => column_name(f).or_else(|| column_name(x)),
        // Only the left argument names: `c2+c3` is c2, `2*c2` is x; an iterated verb names
        // nothing (`id,'4` is x).
        Node::Dyad(f, _, _, _) if matches!(**f, Node::Adverb(..)) => None,
        Node::Dyad(_, x, _, _) => column_name(x),
        Node::Apply(f, args, _) => column_name(f).or_else(|| args.iter().find_map(column_name)),
        Node::Adverb(f, _) => column_name(f),
        Node::List(items) => items.iter().find_map(column_name),
        _ => None,
    }
}

/// Names table columns written `a:expr`, `a`, or unnamed (`x`, `x1`, ...).
fn named_columns(nodes: Vec<Node>, offset: usize) -> Vec<(Sym, Node)> {
    let mut out = Vec::new();
    for (k, n) in nodes.into_iter().enumerate() {
        match n {
            Node::Nil => {}
            Node::Assign(a) if a.index.is_none() && a.op.is_none() && !a.global => {
                out.push((a.name, a.value))
            }
            n => {
                let name = column_name(&n).unwrap_or_else(|| {
                    let i = k + offset;
                    Sym::new(if i == 0 {
                        "x".to_string()
                    } else {
                        format!("x{i}")
                    })
                });
                out.push((name, n))
            }
        }
    }
    out
}

/// `x`, `y`, `z` used in a lambda body without a parameter list (nested lambdas excluded,
/// and names in a qSQL query's select, by and where phrases, which name columns).
fn implicit_params(toks: &[Token]) -> Vec<Sym> {
    let mut braces = 0;
    let mut depth = 0i32;
    // The bracket depth of the qSQL query being read, and whether its current phrase masks.
    let mut query: Option<i32> = None;
    let mut masked = false;
    let mut rank = 0;
    for t in toks {
        match &t.tok {
            Tok::LBrace => {
                braces += 1;
                depth += 1;
            }
            Tok::RBrace => {
                braces -= 1;
                depth -= 1;
            }
            Tok::LParen | Tok::LBracket => depth += 1,
            Tok::RParen | Tok::RBracket => depth -= 1,
            Tok::Name(n) if braces == 0 => match (n.as_str(), query) {
                ("select" | "exec" | "update" | "delete", None) => {
                    query = Some(depth);
                    masked = true;
                }
                ("from", Some(d)) if d == depth => masked = false,
                ("where", Some(d)) if d == depth => masked = true,
                ("x", _) if !masked => rank = rank.max(1),
                ("y", _) if !masked => rank = rank.max(2),
                ("z", _) if !masked => rank = rank.max(3),
                _ => {}
            },
            _ => {}
        }
        let ends_query =
            matches!(t.tok, Tok::Semi) && query == Some(depth) || query.is_some_and(|d| depth < d);
        if ends_query {
            query = None;
            masked = false;
        }
    }
    ["x", "y", "z"][..rank.max(1)]
        .iter()
        .map(Sym::new)
        .collect()
}

/// Plain assignments of a lambda's top-level statements in evaluation order (right to left
/// within a statement): the name and whether it was `::`.
fn assignment_order(n: &Node, out: &mut Vec<(Sym, bool)>) {
    crate::q::eval::stack::guard();
    if let Node::Assign(a) = n {
        assignment_order(&a.value, out);
        if a.index.is_none() && a.op.is_none() {
            out.push((a.name, a.global));
        }
    }
}

/// Names assigned with a plain `:` in a lambda body (nested lambdas have their own).
fn assigned_names(n: &Node, out: &mut Vec<Sym>) {
    crate::q::eval::stack::guard();
    let each = |v: &[Node], out: &mut Vec<Sym>| v.iter().for_each(|x| assigned_names(x, out));
    match n {
        Node::Assign(a) => {
            if !a.global && a.index.is_none() && a.op.is_none() && !out.contains(&a.name) {
                out.push(a.name);
            }
            if let Some(i) = &a.index {
                each(i, out);
            }
            assigned_names(&a.value, out);
        }
        Node::Match(p, v) => {
            crate::q::eval::pattern::names(p, out);
            assigned_names(v, out);
        }
        Node::MatchCond(v, ps) => {
            ps.iter()
                .for_each(|p| crate::q::eval::pattern::names(p, out));
            each(v, out);
        }
        Node::List(v) | Node::Cond(v) | Node::If(v) | Node::Do(v) | Node::While(v) => each(v, out),
        Node::Apply(f, v, _) => {
            assigned_names(f, out);
            each(v, out);
        }
        Node::Monad(f, x, _) | Node::Compose(f, x) => {
            assigned_names(f, out);
            assigned_names(x, out);
        }
        Node::Dyad(f, x, y, _) => {
            assigned_names(f, out);
            assigned_names(x, out);
            assigned_names(y, out);
        }
        Node::Adverb(f, _) | Node::Return(f) | Node::Signal(f, _) => assigned_names(f, out),
        _ => {}
    }
}

/// Combines a run of terms right to left (in k, a glyph applied prefix is its unary form).
/// `q`: a glyph applied prefix is refused, as q's parser refuses it (basics/parsetrees.md:
/// "In q (not k), the unary form of operators such as (+, $, ., & etc.) is disabled": `+d` is
/// `'+`), naming the glyph at its position (basics/debug.md: `parse"2+2;+2"` fails with its
/// caret under the second `+`). q keeps `-x` (neg) and `'x` (signal), and `0: 1: 2:` applied
/// prefix are the file verbs.
fn build(mut terms: Vec<Term>, k: bool, q: bool) -> std::result::Result<Node, (Error, Pos)> {
    if terms.is_empty() {
        return Ok(Node::Nil);
    }
    let mut acc: Option<Node> = None;
    // A trailing verb with a noun on its left and nothing on its right: a projection (`2+`);
    // whatever is applied to it on the left composes with it (`til count@`).
    let n = terms.len();
    let mut composing = false;
    if n >= 2 && terms[n - 1].verb && !terms[n - 2].verb {
        let op_pos = terms[n - 1].pos;
        let op = terms.pop().map(|t| t.node).unwrap_or(Node::Nil);
        let left = terms.pop().map(|t| t.node).unwrap_or(Node::Nil);
        acc = Some(Node::Dyad(
            Box::new(op),
            Box::new(left),
            Box::new(Node::Elided),
            op_pos,
        ));
        composing = true;
    } else if n >= 3 && terms[n - 1].verb && terms[n - 2].verb {
        // `(0|+)`: a trailing verb after another verb is composed with what precedes it.
        acc = terms.pop().map(|t| t.node);
        composing = true;
    }
    // Walk from the right, folding into the accumulated right-hand side.
    while let Some(t) = terms.pop() {
        acc = Some(match acc {
            None => t.node,
            Some(rhs) => {
                if t.verb {
                    // Is this verb infix (a noun on its left)?
                    if terms.last().is_some_and(|l| !l.verb) {
                        let left = terms.pop().map(|l| l.node).unwrap_or(Node::Nil);
                        if composing {
                            // `105>sum@`: the projection `105>` after `sum@`.
                            let outer = Node::Dyad(
                                Box::new(t.node),
                                Box::new(left),
                                Box::new(Node::Elided),
                                t.pos,
                            );
                            Node::Compose(Box::new(outer), Box::new(rhs))
                        } else {
                            Node::Dyad(Box::new(t.node), Box::new(left), Box::new(rhs), t.pos)
                        }
                    } else if composing {
                        Node::Compose(Box::new(t.node), Box::new(rhs))
                    } else {
                        let f = match t.node {
                            Node::Verb(g) if k => Node::UnaryVerb(g),
                            Node::Verb(g) if q && !prefix_in_q(&g) => {
                                return Err((Error(g), t.pos))
                            }
                            f => f,
                        };
                        Node::Monad(Box::new(f), Box::new(rhs), t.pos)
                    }
                } else if composing {
                    Node::Compose(Box::new(t.node), Box::new(rhs))
                } else {
                    // A glyph in parentheses applied prefix is its unary form: `(+)d` flips.
                    let f = match t.node {
                        Node::Verb(g) => Node::UnaryVerb(g),
                        f => f,
                    };
                    Node::Monad(Box::new(f), Box::new(rhs), t.pos)
                }
            }
        });
    }
    Ok(acc.unwrap_or(Node::Nil))
}

/// The glyphs q applies prefix (the rest of their unary forms are disabled in q).
fn prefix_in_q(g: &Sym) -> bool {
    matches!(g.as_bytes(), b"-" | b"'" | b"0:" | b"1:" | b"2:")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(n: &Node) -> String {
        crate::q::eval::stack::guard();
        match n {
            Node::Const(k) => format!("c{}", k.t()),
            Node::Name(s) => s.as_str().to_string(),
            Node::Verb(s) => s.as_str().to_string(),
            Node::Monad(f, x, _) => format!("({} {})", shape(f), shape(x)),
            Node::Dyad(f, x, y, _) => format!("({} {} {})", shape(x), shape(f), shape(y)),
            Node::Apply(f, a, _) => format!(
                "{}[{}]",
                shape(f),
                a.iter().map(shape).collect::<Vec<_>>().join(";")
            ),
            Node::Adverb(f, a) => format!("{}{}", shape(f), a),
            Node::Assign(a) => format!("{}:{}", a.name.as_str(), shape(&a.value)),
            Node::Elided => "_".into(),
            _ => "?".into(),
        }
    }

    #[test]
    fn right_to_left() {
        let p = parse(b"2*3+til 4").unwrap();
        assert_eq!(shape(&p[0]), "(c-7 * (c-7 + (til c-7)))");
        let p = parse(b"a:1+b:2").unwrap();
        assert_eq!(shape(&p[0]), "a:(c-7 + b:c-7)");
        let p = parse(b"+/[1 2 3]").unwrap();
        assert_eq!(shape(&p[0]), "+/[c7]");
        let p = parse(b"count each x").unwrap();
        assert_eq!(shape(&p[0]), "(count each x)");
        let p = parse(b"f[;1]").unwrap();
        assert_eq!(shape(&p[0]), "f[_;c-7]");
    }

    /// The error name and the offset it points at.
    fn refused(src: &str) -> (String, Option<usize>) {
        match parse_located(src.as_bytes()) {
            Ok(_) => ("parsed".into(), None),
            Err(l) => (l.err.msg().as_str().to_string(), l.at),
        }
    }

    #[test]
    fn q_refuses_a_glyph_applied_prefix_where_it_stands() {
        assert_eq!(refused("2+2;+2"), ("+".into(), Some(4)));
        assert_eq!(refused("$42"), ("$".into(), Some(0)));
        assert_eq!(refused("f:{x+y;+x}"), ("+".into(), Some(7)));
        assert_eq!(refused("(1;#x)"), ("#".into(), Some(3)));
        assert_eq!(refused("@[2+;\"42\";{)}]"), (")".into(), Some(11)));
        assert_eq!(refused("1+)"), (")".into(), Some(2)));
        assert_eq!(
            refused("a:1 2 3;select from t where c>#a"),
            ("#".into(), Some(30))
        );
        // k reads the unary form; `k)` is not part of the offset's text.
        assert_eq!(refused("k)+(1 2;3 4)").0, "parsed");
        for ok in [
            "-x",
            "2*-x",
            "-1",
            "'`oops",
            "(+)d",
            "+/[1 2 3]",
            "(+;1)",
            "+[2;3]",
            "f:+",
            "(#:)x",
            "|:[til 5]",
            "2+",
            "select[2;<c] from t",
            "select[>c] from t",
            "select[10 20;>price] from trade",
        ] {
            assert_eq!(refused(ok).0, "parsed", "{ok}");
        }
    }
}
