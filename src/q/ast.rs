//! The parse tree the evaluator walks.

use std::sync::Arc;

use crate::obj::{Sym, K};

pub enum Node {
    /// A literal value.
    Const(K),
    /// A variable or keyword, read at evaluation time.
    Name(Sym),
    /// A primitive glyph (`+`), or `:` as a verb.
    Verb(Sym),
    /// A glyph's unary form written `+:` (k style): the unary primitive.
    UnaryVerb(Sym),
    Lambda(Arc<LambdaDef>),
    /// `(a;b;c)`.
    List(Vec<Node>),
    /// `f[a;;b]`: application with `Elided` for empty slots.
    Apply(Box<Node>, Vec<Node>),
    /// `f x`: prefix application (a glyph in `f` takes its unary form).
    Monad(Box<Node>, Box<Node>),
    /// `x f y`: infix application; `y` is `Elided` in a projection such as `2+`.
    Dyad(Box<Node>, Box<Node>, Box<Node>),
    /// `f g` where `g` lacks its right argument, or `'[f;g]`: the composition of f after g.
    Compose(Box<Node>, Box<Node>),
    /// `(a;b):value`: a list's items to names (None skips an item).
    Destructure(Vec<Option<Sym>>, Box<Node>),
    /// `f'`, `f/`, ...: an iterator applied to a function or value.
    Adverb(Box<Node>, &'static str),
    Assign(Box<Assign>),
    /// `$[c;t;f;...]`.
    Cond(Vec<Node>),
    If(Vec<Node>),
    Do(Vec<Node>),
    While(Vec<Node>),
    /// `:x` in a lambda.
    Return(Box<Node>),
    /// `'x`.
    Signal(Box<Node>),
    /// `([k:..] c:..)`: key columns then value columns.
    Table(Vec<(Sym, Node)>, Vec<(Sym, Node)>),
    /// qSQL: `select`/`exec`/`update`/`delete`.
    Sql(Box<Sql>),
    /// An empty argument slot or list item.
    Elided,
    /// An empty statement: evaluates to `::`.
    Nil,
}

/// `name:value`, `name::value`, `name[i]:value`, `name op: value`, `name[i] op: value`.
pub struct Assign {
    pub name: Sym,
    pub global: bool,
    pub index: Option<Vec<Node>>,
    /// The glyph or function of a compound assignment (`+` in `x+:1`).
    pub op: Option<Node>,
    pub value: Node,
    /// The value's source text, for `name::value` (a view when written at the top level).
    pub text: Option<Box<str>>,
}

pub struct LambdaDef {
    pub src: String,
    pub params: Vec<Sym>,
    /// Whether the parameters were written out (`{[a;b]...}`).
    pub explicit: bool,
    pub body: Vec<Node>,
    /// Names the body assigns with `:` (not in nested lambdas): its locals.
    pub locals: Vec<Sym>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum SqlKind {
    Select,
    Exec,
    Update,
    Delete,
}

/// A qSQL query. Column expressions keep their names (`a:expr` or the name the expression
/// implies).
pub struct Sql {
    pub kind: SqlKind,
    /// `select[n]`-style limit expression.
    pub limit: Option<Node>,
    pub cols: Vec<(Option<Sym>, Node)>,
    pub by: Vec<(Option<Sym>, Node)>,
    pub has_by: bool,
    pub from: Node,
    pub wheres: Vec<Node>,
}
