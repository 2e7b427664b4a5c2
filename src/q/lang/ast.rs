//! The parse tree the evaluator walks.

use std::sync::Arc;

use crate::obj::{Sym, K};

/// Where an application is in its source: the byte offset of the function (`f[x]`, `f x`) or
/// the verb (`x+y`) from the start of the enclosing lambda's text (or of the statement's text
/// outside lambdas). Error messages put their caret there.
pub type Pos = u32;

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
    Apply(Box<Node>, Vec<Node>, Pos),
    /// `f x`: prefix application (a glyph in `f` takes its unary form).
    Monad(Box<Node>, Box<Node>, Pos),
    /// `x f y`: infix application; `y` is `Elided` in a projection such as `2+`.
    Dyad(Box<Node>, Box<Node>, Box<Node>, Pos),
    /// `f g` where `g` lacks its right argument, or `'[f;g]`: the composition of f after g.
    Compose(Box<Node>, Box<Node>),
    /// `(pattern):value`: matches a value to a pattern, setting its names (q 4.1).
    Match(Box<Pattern>, Box<Node>),
    /// `:[v;p1;r1;...;rd]`: the result for the first pattern `v` matches.
    MatchCond(Vec<Node>, Vec<Pattern>),
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
    /// `'x`, and where the `'` is.
    Signal(Box<Node>, Pos),
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
    pub text: Option<Box<[u8]>>,
}

/// A pattern: the left side of `(...):v`, a lambda parameter, or a branch of `:[...]`.
pub enum Pattern {
    /// Matches anything (an elided item or parameter).
    Any,
    /// Matches only an equal value (`~`), else `'match`.
    Value(K),
    /// Sets the variable to the value.
    Name(Sym),
    /// `a[i]`: amends the variable at the index (an expression, not a pattern).
    Indexed(Sym, Vec<Node>),
    /// `(p;q;...)`: a list of the same count, item by item.
    List(Vec<Pattern>),
    /// `k!(p;q)` with constant keys, or `([a:p;b:q])`: the values at those keys.
    Keyed(Node, Vec<Pattern>),
    /// `([k:p]c:q)`: a table's (or keyed table's) columns by name.
    Table(Vec<(Sym, Pattern)>, Vec<(Sym, Pattern)>),
    /// `p!q`: a dictionary's keys and values.
    Dict(Box<Pattern>, Box<Pattern>),
    /// `flip p`: a table as its dictionary of columns.
    Flip(Box<Pattern>),
    /// ``p:`x``: a type check (lower case an atom, upper case a list of that type).
    Typed(Box<Pattern>, u8),
    /// `p:f`: the value passed through `f`, then matched to `p`.
    Filter(Box<Pattern>, Node),
}

pub struct LambdaDef {
    /// The source text, `{` to `}`, as bytes.
    pub src: Vec<u8>,
    /// Parameter names; a parameter written as a pattern has the empty name.
    pub params: Vec<Sym>,
    /// The parameters written as patterns, by position.
    pub patterns: Vec<(usize, Pattern)>,
    /// Whether the parameters were written out (`{[a;b]...}`).
    pub explicit: bool,
    pub body: Vec<Node>,
    /// Names the body assigns with `:` (not in nested lambdas): its locals.
    pub locals: Vec<Sym>,
    /// Where a script defined it (`/path/test.q:5`), for error locations.
    pub origin: std::sync::OnceLock<String>,
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
    /// `select[n;>c]`-style sort (`<c` up, `>c` down).
    pub order: Option<Node>,
    /// `select distinct`.
    pub distinct: bool,
    /// Columns and groups with their explicit names (`name:expr`); `sql` derives the others.
    pub cols: Vec<(Option<Sym>, Node)>,
    pub by: Vec<(Option<Sym>, Node)>,
    pub has_by: bool,
    pub from: Node,
    pub wheres: Vec<Node>,
}
