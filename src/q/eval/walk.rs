//! The evaluator: walks the parse tree right to left over K values.
//!
//! A `Ctx` is one evaluation: the engine it reads and writes, the call frames of the lambdas
//! being run (their locals), and the guards that turn runaway recursion into `'stack`.

use super::atoms::*;
use std::sync::Arc;

use super::debug::Kept;
use super::values::{collapse, truthy};
use super::verbs;
use crate::obj::*;
use crate::q::lang::ast::*;
use crate::q::session::engine::{qualify, Engine};

/// Control flow out of an expression: an error, or `:x` returning from a lambda.
pub enum Flow {
    Err(Error),
    Ret(K),
}

impl From<Error> for Flow {
    fn from(e: Error) -> Flow {
        Flow::Err(e)
    }
}

pub type R = std::result::Result<K, Flow>;

/// One lambda call: its locals and the namespace its body runs in.
pub struct Frame {
    pub locals: Vec<(Sym, K)>,
    /// Names the running lambda declares local by assigning them (unset ones read as `()`):
    /// its definition, when it assigns any.
    pub declared: Option<Arc<LambdaDef>>,
    pub ns: Sym,
    /// The running lambda (`.z.s`).
    pub me: K,
    /// The application it is running (for error locations).
    pub pos: Pos,
    /// Text `value` runs (`text.rs`): no locals of its own and none of its caller's seen, and
    /// what it assigns is global.
    pub globals: bool,
}

/// Deepest lambda nesting before `'stack`, whatever the stack size.
const MAX_DEPTH: usize = 4000;

pub struct Ctx<'e> {
    pub eng: &'e Engine,
    pub frames: Vec<Frame>,
    /// Below this stack address evaluation stops with `'stack`.
    stack_floor: usize,
    /// Inside `.z.vs` (which does not call itself).
    in_hook: bool,
    /// Error locations, the debugger and backtraces (`debug.rs`).
    pub debug: super::debug::State,
    /// Emptied local lists of returned calls, reused so a lambda call allocates none.
    spare_locals: Vec<Vec<(Sym, K)>>,
    /// Emptied argument lists of lambda calls, reused by the next application's arguments.
    spare_args: Vec<Vec<K>>,
    /// The running call: interrupts and its timeout.
    call: super::call::Call,
    /// Functions read from globals while none changed.
    known: super::known::Known,
    /// The definitions of lambdas this evaluation ran, by the address of their source text
    /// (the entry holds the text, so the address cannot pass to another).
    defs: [Option<(K, Arc<LambdaDef>)>; DEFS],
}

/// Definitions an evaluation keeps at hand.
const DEFS: usize = 8;

impl<'e> Ctx<'e> {
    pub fn new(eng: &'e Engine) -> Ctx<'e> {
        Ctx::for_call(eng, std::time::Duration::ZERO)
    }

    /// An evaluation that stops with `'stop` once `timeout` has passed (zero: never).
    #[inline]
    pub fn for_call(eng: &'e Engine, timeout: std::time::Duration) -> Ctx<'e> {
        // First: what can fail (read the clock) comes before the debug state is built, which
        // then goes straight where it lives rather than aside and copied (240 bytes).
        let call = super::call::Call::enter(eng, timeout);
        Ctx::with_call(eng, call)
    }

    /// An evaluation on this thread doing work for another one (`peach`, a partition of a
    /// query), stopped by the same interrupts and deadline (`Ctx::limit` there). Its errors go
    /// back to that evaluation, which alone may suspend into the debugger.
    pub fn within(eng: &'e Engine, limit: super::call::Limit) -> Ctx<'e> {
        let mut cx = Ctx::with_call(eng, super::call::Call::within(eng, limit));
        cx.debug.suspender = None;
        cx
    }

    /// This evaluation's interrupt start and deadline, for work it hands to other threads.
    pub fn limit(&self) -> super::call::Limit {
        self.call.limit()
    }

    #[inline(always)]
    fn with_call(eng: &'e Engine, call: super::call::Call) -> Ctx<'e> {
        // Memory used up by an earlier evaluation's 'wsfull is held back again for this one.
        crate::sys::reserve::recover();
        let budget = eng.settings.lock().stack_budget;
        let here = super::stack::here();
        let low = super::stack::thread_low();
        // The tighter of: the thread's real stack less a margin, and the configured budget.
        let floor = if low == 0 {
            here.saturating_sub(budget)
        } else {
            (low + super::stack::MARGIN).max(here.saturating_sub(budget))
        };
        Ctx {
            eng,
            frames: Vec::new(),
            stack_floor: floor,
            in_hook: false,
            debug: super::debug::State {
                suspender: eng.suspender(),
                ..Default::default()
            },
            spare_locals: Vec::new(),
            spare_args: Vec::new(),
            call,
            known: Default::default(),
            defs: Default::default(),
        }
    }

    /// An empty argument list with room for `n`: one a returned lambda call gave back, so
    /// iterators and applications do not allocate one per call.
    #[inline]
    pub fn arg_list(&mut self, n: usize) -> Vec<K> {
        let mut v = self.spare_args.pop().unwrap_or_default();
        v.reserve(n);
        v
    }

    /// Interrupts that came before now no longer stop this evaluation (the debugger's
    /// prompt: what is typed there runs, and so does a function resumed from there).
    pub fn resume(&mut self) {
        self.call.resume(self.eng);
    }

    /// Fails with `'stack` when this evaluation has used its stack budget.
    #[inline]
    pub fn check_stack(&self) -> Result<()> {
        let here = super::stack::here();
        if here < self.stack_floor || self.frames.len() > MAX_DEPTH {
            return Err(Error::new("stack"));
        }
        if self.call.stopped(self.eng) {
            return Err(Error::new("stop"));
        }
        Ok(())
    }

    /// The namespace code is running in.
    pub fn ns(&self) -> Sym {
        match self.frames.last() {
            Some(f) => f.ns,
            None => self.eng.settings.lock().ns,
        }
    }

    /// Parses and runs source text; the last statement's value, and whether the console shows
    /// it (not after an assignment).
    pub fn run(&mut self, src: &[u8]) -> Result<(K, bool)> {
        if self.debug.top_text.is_none() {
            // For error locations (display only): text that is not UTF-8 shows replaced.
            self.debug.top_text = Some(String::from_utf8_lossy(src).into());
        }
        let stmts = self.eng.parse_cached(src).map_err(|l| {
            // The caret goes where the parser stopped (basics/debug.md).
            if let Some(at) = l.at {
                self.at(at.min(Pos::MAX as usize) as Pos);
            }
            l.err
        })?;
        let mut last = K::identity();
        let mut show = true;
        for s in stmts.iter() {
            show = !matches!(s, Node::Assign(_) | Node::Nil | Node::Match(..));
            last = match self.eval(s) {
                Ok(v) => v,
                Err(Flow::Ret(v)) => return Ok((v, true)),
                Err(Flow::Err(e)) => return Err(e),
            };
        }
        Ok((last, show))
    }

    // ---- names ---------------------------------------------------------------------------

    pub fn lookup(&self, name: Sym) -> Result<K> {
        if let Some(f) = self.frames.last() {
            if let Some((_, v)) = f.locals.iter().rev().find(|(n, _)| *n == name) {
                return Ok(v.clone());
            }
            // A local not yet assigned hides the global of the same name.
            if f.declared
                .as_ref()
                .is_some_and(|d| d.locals.contains(&name))
            {
                return Ok(K::list(Vec::new()));
            }
        }
        self.global_in(name, self.ns())
    }

    /// The current namespace (`\d`), whatever function runs: where a name given as a symbol
    /// is found.
    pub fn dir(&self) -> Sym {
        self.eng.settings.lock().ns
    }

    /// The value of a name as a global (in the current namespace `\d`, then the root), a
    /// local of the same name not seen: what a function given the name as a symbol reads
    /// (`` `a set 2 ``, `` @[`a;0;:;9] ``, `` `t insert x ``). "Local assignments are strictly
    /// local: invisible to other functions applied during evaluation" (basics/function-
    /// notation.md, Name scope); and a function's own namespace is not where they look
    /// (kdb+tick's `.u.tick`, defined in `.u`, amends the root's tables by name).
    pub fn lookup_global(&self, name: Sym) -> Result<K> {
        self.global_in(name, self.dir())
    }

    /// The value of global `name` for code running in namespace `ns`.
    fn global_in(&self, name: Sym, ns: Sym) -> Result<K> {
        // Read before the globals are: a change after it makes what is read now stale.
        let version = self.eng.globals_version();
        if let Some(v) = self.known.get(version, name, ns) {
            return Ok(v);
        }
        if let Some(v) = verbs::reserved(name) {
            // Kept too (`reverse` in `{x,reverse x}`): a reference instead of a new value.
            self.known.put(version, name, ns, &v);
            return Ok(v);
        }
        if !ns.is_empty() {
            if let Some(v) = self.eng.get_global(qualify(name, ns)) {
                self.known.put(version, name, ns, &v);
                return crate::q::keywords::views::resolve(self, v);
            }
        }
        if let Some(v) = self.eng.get_global(name) {
            self.known.put(version, name, ns, &v);
            return crate::q::keywords::views::resolve(self, v);
        }
        let s = name.as_str();
        if s == ".z.s" {
            if let Some(f) = self.frames.last().filter(|f| !f.globals) {
                return Ok(f.me.clone());
            }
        }
        if let Some(v) = crate::q::keywords::builtins::special_value(self, &s) {
            return Ok(v);
        }
        // `t.c`, `d.k`: a dotted name whose head is a variable indexes it by the rest.
        if let Some((head, rest)) = s.split_once('.').filter(|(h, _)| !h.is_empty()) {
            if let Ok(v) = self.lookup(Sym::new(head)) {
                // A foreign key or link column leads to the rows it points at (`s.name`).
                let linked = |v: K| crate::q::keywords::enums::follow(&v).unwrap_or(v);
                let mut v = linked(v);
                if matches!(v.t(), XT | XD) {
                    for part in rest.split('.') {
                        v = member(&linked(v), Sym::new(part)).ok_or(Error(name))?;
                    }
                    return Ok(v);
                }
                // `time.minute`, `d.year`: a temporal value's field is the cast to it.
                if (KP..=KT).contains(&v.t().wrapping_abs()) && is_temporal_field(rest) {
                    return crate::q::prims::cast::cast(K::sym(Sym::new(rest)), v);
                }
            }
        }
        if let Some(v) = verbs::keyword_value(s.strip_prefix(".q.").unwrap_or(&s)) {
            return Ok(v);
        }
        Err(Error(name))
    }

    /// Assigns a name: a local inside a lambda (unless `global`), else a global in the
    /// current namespace.
    pub fn assign(&mut self, name: Sym, v: K, global: bool) -> Result<()> {
        if let Some(f) = self.frames.last_mut().filter(|f| !f.globals) {
            let local = f.locals.iter().position(|(n, _)| *n == name);
            if !global || local.is_some() {
                match local {
                    Some(i) => f.locals[i].1 = v,
                    None => f.locals.push((name, v)),
                }
                return Ok(());
            }
        }
        if verbs::keyword_code(&name.as_str()).is_some() && !name.as_str().starts_with('.') {
            return Err(Error::new("assign"));
        }
        let full = qualify(name, self.ns());
        self.eng.set_global(full, v)?;
        self.value_set_hook(full, K::list(Vec::new()))
    }

    /// `.z.vs`: called with the name and the indices after a global is set.
    pub fn value_set_hook(&mut self, name: Sym, index: K) -> Result<()> {
        let Some(hook) = self.eng.get_global(Sym::new(".z.vs")) else {
            return Ok(());
        };
        if name.as_bytes() == b".z.vs" || self.in_hook {
            return Ok(());
        }
        self.in_hook = true;
        let r = self.apply(hook, vec![K::sym(name), index]);
        self.in_hook = false;
        r.map(|_| ())
    }

    /// Whether `name` is a local of the running lambda (assigned, a parameter, or declared).
    fn is_local(&self, name: Sym) -> bool {
        self.frames.last().is_some_and(|f| {
            f.locals.iter().any(|(n, _)| *n == name)
                || f.declared
                    .as_ref()
                    .is_some_and(|d| d.locals.contains(&name))
        })
    }

    /// Takes a variable's value out for an in-place update (so it is uniquely held).
    pub fn take_var(&mut self, name: Sym, global: bool) -> Result<K> {
        if let Some(f) = self.frames.last_mut() {
            if let Some(i) = f.locals.iter().position(|(n, _)| *n == name) {
                return Ok(std::mem::replace(&mut f.locals[i].1, K::identity()));
            }
            let _ = global;
        }
        let ns = self.ns();
        let full = qualify(name, ns);
        if let Some(v) = self.eng.take_global(full)? {
            return Ok(v);
        }
        self.lookup(name)
    }

    // ---- evaluation ----------------------------------------------------------------------

    /// A name's value, the running lambda's locals first, inline: most names a lambda reads
    /// are its own (`lookup` does the rest).
    #[inline(always)]
    fn read_name(&self, name: Sym) -> Result<K> {
        if let Some(f) = self.frames.last() {
            if let Some((_, v)) = f.locals.iter().rev().find(|(n, _)| *n == name) {
                return Ok(v.clone());
            }
        }
        self.lookup(name)
    }

    /// A constant's value or a local's, borrowed (what evaluating the node would give,
    /// without a reference taken); None for anything else.
    #[inline(always)]
    fn peek<'a>(&'a self, n: &'a Node) -> Option<&'a K> {
        match n {
            Node::Const(k) => Some(k),
            Node::Name(s) => self
                .frames
                .last()?
                .locals
                .iter()
                .rev()
                .find(|(n, _)| n == s)
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// Evaluates an operand: a constant or a name without a call of `eval` (what `eval`
    /// gives for them), anything else through it. Not inlined in a debug build, where each
    /// inlined copy would add its own stack slots to `eval`'s frame, which every level of a
    /// nested expression pays (a 300-term `1+1+...` no longer fit a 2 MB thread).
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn operand(&mut self, n: &Node) -> R {
        match n {
            Node::Const(k) => Ok(k.clone()),
            Node::Name(s) => Ok(self.read_name(*s)?),
            // `x-1` as an argument: answered without entering `eval`.
            Node::Dyad(op, l, r, _) => match self.leaf_dyad(op, l, r) {
                Some(v) => Ok(v),
                None => self.eval(n),
            },
            n => self.eval(n),
        }
    }

    /// `l op r` for a glyph of `fast` and two constants or locals holding long or float
    /// atoms: no step can recur or loop, and the values are only read, not taken (no
    /// reference counts change). None for anything else (evaluated the general way).
    #[inline]
    fn leaf_dyad(&self, op: &Node, l: &Node, r: &Node) -> Option<K> {
        match (op, self.peek(l), self.peek(r)) {
            (Node::Verb(g), Some(lv), Some(rv)) => super::fast::atom_dyad(*g, lv, rv),
            _ => None,
        }
    }

    pub fn eval(&mut self, node: &Node) -> R {
        match node {
            Node::Const(k) => Ok(k.clone()),
            Node::Name(s) => Ok(self.lookup(*s)?),
            Node::Verb(g) => Ok(verbs::glyph_value(&g.as_str())
                .or_else(|| verbs::keyword_value(&g.as_str()))
                .ok_or_else(|| Error::new(g.as_str().as_ref()))?),
            Node::UnaryVerb(g) => Ok(verbs::unary_glyph_value(&g.as_str())
                .ok_or_else(|| Error::new(g.as_str().as_ref()))?),
            Node::Lambda(def) => Ok(self.lambda_value(def)),
            Node::List(items) if items.iter().any(|n| matches!(n, Node::Elided)) => {
                // A list with holes is a projection of enlist: `(1;;3) 2`.
                let mut vals = Vec::with_capacity(items.len() + 1);
                for n in items.iter().rev() {
                    vals.push(match n {
                        Node::Elided => verbs::elided(),
                        n => self.eval(n)?,
                    });
                }
                vals.push(verbs::keyword_value("enlist").unwrap_or_else(K::identity));
                vals.reverse();
                Ok(K::list_of_type(PROJECTION, vals))
            }
            Node::List(items) => {
                let mut vals = Vec::with_capacity(items.len());
                for n in items.iter().rev() {
                    vals.push(match n {
                        Node::Elided => K::identity(),
                        n => self.eval(n)?,
                    });
                }
                vals.reverse();
                Ok(collapse(vals))
            }
            Node::Apply(f, args, pos) => {
                self.check_stack()?;
                let mut vals = self.arg_list(args.len());
                for a in args.iter().rev() {
                    vals.push(match a {
                        Node::Elided => verbs::elided(),
                        a => self.operand(a)?,
                    });
                }
                if vals.len() > 1 {
                    vals.reverse();
                }
                // `f[]` passes the generic null.
                if vals.len() == 1 && verbs::is_elided(&vals[0]) {
                    vals[0] = K::identity();
                }
                let fv = self.operand(f)?;
                self.at(*pos);
                if fv.t() == LAMBDA {
                    // The debugger keeps nothing for a lambda (its own frame shows where it
                    // failed); one given all its arguments is called straight away (the stack
                    // and the interrupts were checked above, at this depth).
                    let r = if vals.len() == super::lambda::rank(&fv)
                        && !vals.iter().any(verbs::is_elided)
                    {
                        self.call_lambda(fv, vals)
                    } else {
                        self.apply(fv, vals)
                    };
                    return match r {
                        Ok(v) => Ok(v),
                        Err(e) => self.failed(e, None),
                    };
                }
                let kept = if self.debug.keeps() {
                    Kept::function(&fv, &vals)
                } else {
                    None
                };
                match self.apply(fv, vals) {
                    Ok(v) => Ok(v),
                    Err(e) => self.failed(e, kept),
                }
            }
            Node::Monad(f, x, pos) => {
                self.check_stack()?;
                let xv = self.operand(x)?;
                match &**f {
                    // q keeps only `-` of the glyphs' prefix (unary) forms; `+x` signals '+.
                    Node::Verb(g)
                        if !matches!(g.as_bytes(), b"-" | b"'" | b"0:" | b"1:" | b"2:") =>
                    {
                        Err(Error(*g).into())
                    }
                    Node::Verb(g) | Node::UnaryVerb(g) => {
                        self.at(*pos);
                        let kept = self.debug.keeps().then(|| Kept::glyph(*g, true, &xv, None));
                        match super::apply::glyph_monad(self, &g.as_str(), xv) {
                            Ok(v) => Ok(v),
                            Err(e) => self.failed(e, kept),
                        }
                    }
                    f => {
                        let fv = self.eval(f)?;
                        self.at(*pos);
                        let kept = if self.debug.keeps() {
                            Kept::function2(&fv, &xv, None)
                        } else {
                            None
                        };
                        match self.apply(fv, vec![xv]) {
                            Ok(v) => Ok(v),
                            Err(e) => self.failed(e, kept),
                        }
                    }
                }
            }
            Node::Dyad(op, l, r, pos) => {
                if let Some(v) = self.leaf_dyad(op, l, r) {
                    return Ok(v);
                }
                self.check_stack()?;
                let rv = match &**r {
                    Node::Elided => verbs::elided(),
                    r => self.operand(r)?,
                };
                let lv = self.operand(l)?;
                self.dyad(op, lv, rv, *pos)
            }
            Node::Adverb(f, a) => {
                let fv = match &**f {
                    // An iterator alone is a value: `(/;+)`.
                    Node::Nil => return Ok(crate::q::keywords::parsetree::iterator_value(a)),
                    f => self.eval(f)?,
                };
                Ok(super::iter::derive(fv, a))
            }
            Node::Assign(a) => self.eval_assign(a),
            Node::Compose(f, g) => {
                let gv = self.eval(g)?;
                let fv = self.eval(f)?;
                let fv = match &**f {
                    // A glyph composed on the left applies its unary form.
                    Node::Verb(s) => verbs::unary_glyph_value(&s.as_str()).unwrap_or(fv),
                    _ => fv,
                };
                Ok(K::list_of_type(COMPOSITION, vec![fv, gv]))
            }
            Node::Match(p, value) => {
                let v = self.eval(value)?;
                self.match_and_set(p, v)
            }
            Node::MatchCond(branches, patterns) => self.match_cond(branches, patterns),
            Node::Cond(args) => {
                if args.len() < 3 {
                    // `$[c;t]` is not valid q; `$[x]` is an error too.
                    if args.len() == 1 {
                        return self.eval(&args[0]);
                    }
                    return Err(Error::new("cond").into());
                }
                let mut i = 0;
                while i + 1 < args.len() {
                    if self.condition(&args[i])? {
                        return self.operand(&args[i + 1]);
                    }
                    i += 2;
                }
                if i < args.len() {
                    self.eval(&args[i])
                } else {
                    Ok(K::identity())
                }
            }
            Node::If(args) => {
                if self.condition(args.first().ok_or_else(Error::rank)?)? {
                    for s in &args[1..] {
                        self.eval(s)?;
                    }
                }
                Ok(K::identity())
            }
            Node::Do(args) => {
                let n = self.eval(args.first().ok_or_else(Error::rank)?)?;
                let n = super::values::as_long(&n).ok_or_else(Error::type_)?;
                for _ in 0..n.max(0) {
                    // An empty or constant body evaluates nothing that sees the interrupt.
                    self.check_stack()?;
                    for s in &args[1..] {
                        self.eval(s)?;
                    }
                }
                Ok(K::identity())
            }
            Node::While(args) => {
                let c = args.first().ok_or_else(Error::rank)?;
                while self.condition(c)? {
                    self.check_stack()?;
                    for s in &args[1..] {
                        self.eval(s)?;
                    }
                }
                Ok(K::identity())
            }
            Node::Return(x) => {
                let v = self.eval(x)?;
                Err(Flow::Ret(v))
            }
            Node::Signal(x, pos) => {
                let v = self.eval(x)?;
                self.at(*pos);
                self.signalled();
                Err(Flow::Err(signal_error(&v)))
            }
            Node::Table(keys, cols) => Ok(self.table(keys, cols)?),
            Node::Sql(q) => Ok(crate::q::sql::eval(self, q)?),
            Node::Elided => Ok(verbs::elided()),
            Node::Nil => Ok(K::identity()),
        }
    }

    /// `x op y` once both sides are evaluated.
    fn dyad(&mut self, op: &Node, lv: K, rv: K, pos: Pos) -> R {
        match op {
            Node::Verb(g) if !verbs::is_elided(&rv) => {
                if let Some(v) = super::fast::atom_dyad(*g, &lv, &rv) {
                    return Ok(v);
                }
                self.at(pos);
                // `-16!x` and the other internal functions inspect x itself
                // (its reference count): nothing extra may hold it.
                let kept = (self.debug.keeps() && g.as_bytes() != b"!")
                    .then(|| Kept::glyph(*g, false, &lv, Some(&rv)));
                match super::apply::glyph_dyad(self, &g.as_str(), lv, rv) {
                    Ok(v) => Ok(v),
                    Err(e) => self.failed(e, kept),
                }
            }
            op => {
                let fv = self.eval(op)?;
                self.at(pos);
                let kept = if self.debug.keeps() {
                    Kept::function2(&fv, &lv, Some(&rv))
                } else {
                    None
                };
                // `2+` is kdb+'s `+[2]`: a projection of the left argument alone
                // (a derived function keeps its hole: `2*'` is not `*'` of 2).
                let args = if verbs::is_elided(&rv) && fv.t() == BINARY {
                    vec![lv]
                } else {
                    vec![lv, rv]
                };
                match self.apply(fv, args) {
                    Ok(v) => Ok(v),
                    Err(e) => self.failed(e, kept),
                }
            }
        }
    }

    /// Whether `$[c;...]`'s condition holds: a comparison of two long or float atoms answers
    /// without making its boolean; anything else is evaluated and tested.
    #[inline]
    fn condition(&mut self, c: &Node) -> std::result::Result<bool, Flow> {
        let Node::Dyad(op, l, r, pos) = c else {
            return Ok(truthy(&self.operand(c)?)?);
        };
        if !matches!(&**op, Node::Verb(_)) || matches!(&**r, Node::Elided) {
            return Ok(truthy(&self.eval(c)?)?);
        }
        if let (Node::Verb(g), Some(lv), Some(rv)) = (&**op, self.peek(l), self.peek(r)) {
            if let Some(b) = super::fast::atom_holds(*g, lv, rv) {
                return Ok(b);
            }
        }
        self.check_stack()?;
        let rv = self.operand(r)?;
        let lv = self.operand(l)?;
        if let Node::Verb(g) = &**op {
            if let Some(b) = super::fast::atom_holds(*g, &lv, &rv) {
                return Ok(b);
            }
        }
        Ok(truthy(&self.dyad(op, lv, rv, *pos)?)?)
    }

    fn lambda_value(&mut self, def: &Arc<LambdaDef>) -> K {
        super::lambda::remember(def);
        let params = K::from_slice(KS, &def.params);
        K::list_of_type(LAMBDA, vec![K::string(&def.src), K::sym(self.ns()), params])
    }

    fn eval_assign(&mut self, a: &Assign) -> R {
        if let (Some(text), true) = (
            a.text.as_deref(),
            self.frames.is_empty() && crate::q::keywords::views::defines_view(&a.value),
        ) {
            return Ok(crate::q::keywords::views::define(self, a.name, text)?);
        }
        let v = self.eval(&a.value)?;
        match (&a.index, &a.op) {
            (None, None) => {
                self.assign(a.name, v.clone(), a.global)?;
                Ok(v)
            }
            (None, Some(op)) => {
                // `x+:y` on a name the lambda does not own updates the global.
                let global = a.global || !self.is_local(a.name);
                let a = &Assign {
                    name: a.name,
                    global,
                    index: None,
                    op: None,
                    value: Node::Nil,
                    text: None,
                };
                let op: &Node = op;
                if matches!(op, Node::Verb(g) if g.as_bytes() == b",") {
                    return self.append_to(a.name, a.global, v);
                }
                let old = self.take_var(a.name, a.global)?;
                let r = match op {
                    Node::Verb(g) => super::apply::glyph_dyad(self, &g.as_str(), old.clone(), v),
                    op => {
                        let f = self.eval(op)?;
                        self.apply(f, vec![old.clone(), v])
                    }
                };
                match r {
                    Ok(r) => {
                        self.assign(a.name, r.clone(), a.global)?;
                        Ok(r)
                    }
                    Err(e) => {
                        self.assign(a.name, old, a.global)?;
                        Err(e.into())
                    }
                }
            }
            (Some(index), op) => self.assign_at(a.name, a.global, index, op.as_ref(), v),
        }
    }

    /// `name[i]:v` and `name[i] op: v`: amends the variable at the index; the result is the
    /// amended items.
    pub fn assign_at(
        &mut self,
        name: Sym,
        global: bool,
        index: &[Node],
        op: Option<&Node>,
        v: K,
    ) -> R {
        let global = global || !self.is_local(name);
        let a = &Assign {
            name,
            global,
            index: None,
            op: None,
            value: Node::Nil,
            text: None,
        };
        let mut idx = Vec::with_capacity(index.len());
        for n in index.iter().rev() {
            idx.push(match n {
                Node::Elided => K::identity(),
                n => self.eval(n)?,
            });
        }
        idx.reverse();
        let f = match op {
            None => verbs::glyph_value(":").unwrap_or_else(K::identity),
            Some(Node::Verb(g)) => verbs::glyph_value(&g.as_str()).ok_or_else(Error::type_)?,
            Some(op) => self.eval(op)?,
        };
        let path = if idx.len() == 1 {
            idx[0].clone()
        } else {
            super::values::collapse(idx.clone())
        };
        let mut old = self.take_var(a.name, a.global)?;
        // `v[i]:x` with an atom of v's type writes in place.
        if op.is_none()
            && idx.len() == 1
            && old.t() > 0
            && old.t() < XT
            && v.t() == -old.t()
            && old.t() != UU
        {
            if let Some(j) =
                super::values::as_long(&idx[0]).filter(|j| *j >= 0 && (*j as usize) < old.n())
            {
                let j = j as usize;
                match item_size(old.t()) {
                    1 => old.as_mut_slice::<u8>()[j] = v.g(),
                    2 => old.as_mut_slice::<i16>()[j] = v.h(),
                    4 => old.as_mut_slice::<i32>()[j] = v.i(),
                    _ => old.as_mut_slice::<i64>()[j] = v.j(),
                }
                self.assign(a.name, old, a.global)?;
                if !self.is_local(a.name) {
                    self.value_set_hook(qualify(a.name, self.ns()), path)?;
                }
                return Ok(v);
            }
        }
        // Plain `v[i]:x` into a simple vector takes only items of its own type.
        if op.is_none() && idx.len() == 1 && (1..20).contains(&old.t()) && mistyped(&old, &v) {
            self.assign(a.name, old, a.global)?;
            return Err(Error::type_().into());
        }
        let keep = old.clone();
        let r = if idx.len() == 1 {
            super::amend::at(self, old, idx[0].clone(), f, Some(v))
        } else {
            super::amend::dot(self, old, &idx, f, Some(v))
        };
        match r {
            Ok(r) => {
                drop(keep);
                // A general list whose items now share one type becomes a vector, as in kdb+.
                let r = if uniform_atoms(&r) {
                    collapse(r.items().to_vec())
                } else {
                    r
                };
                let amended = self.apply(r.clone(), idx).unwrap_or_else(|_| K::identity());
                let is_local = self
                    .frames
                    .last()
                    .is_some_and(|f| f.locals.iter().any(|(n, _)| *n == a.name));
                let hook = self.in_hook;
                self.in_hook = true;
                self.assign(a.name, r, a.global)?;
                self.in_hook = hook;
                if !is_local {
                    self.value_set_hook(qualify(a.name, self.ns()), path)?;
                }
                Ok(amended)
            }
            Err(e) => {
                self.assign(a.name, keep, a.global)?;
                Err(e.into())
            }
        }
    }

    /// `([k..] c..)`: atoms are extended to the row count. With keys only, `([a:1;b:2])` is a
    /// dictionary (q 4.1).
    fn table(&mut self, keys: &[(Sym, Node)], cols: &[(Sym, Node)]) -> Result<K> {
        let mut names = Vec::new();
        let mut vals = Vec::new();
        for (n, node) in keys.iter().chain(cols) {
            names.push(*n);
            vals.push(match self.eval(node) {
                Ok(v) => v,
                Err(Flow::Err(e)) => return Err(e),
                Err(Flow::Ret(v)) => v,
            });
        }
        if cols.is_empty() && !keys.is_empty() {
            return Ok(K::dict(K::from_slice(KS, &names), collapse(vals)));
        }
        let rows = vals
            .iter()
            .filter(|v| !v.is_atom())
            .map(super::values::count)
            .max()
            .unwrap_or(1);
        let vals: Vec<K> = vals
            .into_iter()
            .map(|v| {
                if v.is_atom() {
                    collapse(vec![v; rows])
                } else {
                    v
                }
            })
            .collect();
        if vals.iter().any(|v| super::values::count(v) != rows) {
            return Err(Error::length());
        }
        let nk = keys.len();
        let mk = |names: &[Sym], vals: Vec<K>| -> Result<K> {
            table::table_from_dict(K::dict(K::from_slice(KS, names), K::list(vals)))
        };
        if nk == 0 {
            return mk(&names, vals);
        }
        let mut vals = vals;
        let vcols = vals.split_off(nk);
        let kt = mk(&names[..nk], vals)?;
        let vt = mk(&names[nk..], vcols)?;
        Ok(K::dict(kt, vt))
    }

    // ---- application ---------------------------------------------------------------------

    pub fn apply(&mut self, f: K, args: Vec<K>) -> Result<K> {
        super::apply::apply(self, f, args)
    }

    /// Calls a lambda with exactly its arguments (`apply` checked the stack just before);
    /// the frame keeps the lambda itself (`.z.s`), no second reference to it.
    pub fn call_lambda(&mut self, f: K, args: Vec<K>) -> Result<K> {
        let def = self.definition(&f)?;
        let ns = f
            .items()
            .get(1)
            .filter(|s| s.t() == A_KS)
            .map(|s| s.s())
            .unwrap_or_else(Sym::empty);
        // Lambdas from the wire name their namespace without the dot (`d` for `.d`).
        let ns = if ns.is_empty() || ns.as_bytes()[0] == b'.' {
            ns
        } else {
            Sym::new([b".", ns.as_bytes()].concat())
        };
        // Most lambdas have no pattern parameters: nothing to set aside for them.
        let matched: Vec<K> = if def.patterns.is_empty() {
            Vec::new()
        } else {
            def.patterns
                .iter()
                .map(|(k, _)| args.get(*k).cloned().unwrap_or_else(K::identity))
                .collect()
        };
        let mut locals = self.spare_locals.pop().unwrap_or_default();
        let mut args = args;
        for (n, a) in def.params.iter().zip(args.drain(..)) {
            if !n.is_empty() {
                locals.push((*n, a));
            }
        }
        if self.spare_args.len() < 64 {
            self.spare_args.push(args);
        }
        self.frames.push(Frame {
            locals,
            ns,
            me: f,
            // Only what `lookup` needs it for: names assigned but not yet set (a lambda with
            // none keeps no second reference, and its call no atomic count changes for it;
            // `debug` finds the definition from `me` when it must).
            declared: (!def.locals.is_empty()).then(|| def.clone()),
            pos: 0,
            globals: false,
        });
        let mut last = Ok(K::identity());
        if !matched.is_empty() {
            for ((_, p), v) in def.patterns.iter().zip(matched) {
                if let Err(e) = self.match_and_set(p, v) {
                    self.end_call();
                    return Err(match e {
                        Flow::Err(e) => e,
                        Flow::Ret(_) => Error::new("match"),
                    });
                }
            }
        }
        for s in &def.body {
            match self.eval(s) {
                Ok(v) => last = Ok(v),
                Err(Flow::Ret(v)) => {
                    last = Ok(v);
                    break;
                }
                Err(Flow::Err(e)) => match self.statement_failed(e) {
                    // The debugger gave the statement a value: go on with the next one.
                    Ok(v) => last = Ok(v),
                    Err(e) => {
                        last = Err(e);
                        break;
                    }
                },
            }
        }
        self.end_call();
        // A body ending in `;` (an empty last statement) gives `::`.
        last
    }

    /// The definition behind a lambda value: one this evaluation ran before is found by the
    /// address of its source text, without `lambda::definition`'s thread-wide table.
    #[inline]
    fn definition(&mut self, f: &K) -> Result<Arc<LambdaDef>> {
        let Some(src) = f.items().first() else {
            return super::lambda::definition(f);
        };
        let at = src.as_ptr() as usize;
        let slot = (at >> 4) % DEFS;
        if let Some((s, d)) = &self.defs[slot] {
            if s.as_ptr() == src.as_ptr() {
                return Ok(d.clone());
            }
        }
        let d = super::lambda::definition(f)?;
        self.defs[slot] = Some((src.clone(), d.clone()));
        Ok(d)
    }

    /// Pops a lambda's frame, keeping its emptied locals list for the next call.
    fn end_call(&mut self) {
        if let Some(f) = self.frames.pop() {
            let mut locals = f.locals;
            locals.clear();
            if self.spare_locals.len() < 64 {
                self.spare_locals.push(locals);
            }
        }
    }
}

/// Whether a general list holds atoms of one type only (checked cheaply: most general lists
/// fail at their first item).
fn uniform_atoms(x: &K) -> bool {
    x.t() == 0 && x.n() > 0 && {
        let t = x.items()[0].t();
        t < 0 && x.items().iter().all(|i| i.t() == t)
    }
}

/// Whether `v` (an atom or a vector) has a type other than the simple vector `old`'s.
fn mistyped(old: &K, v: &K) -> bool {
    match v.t() {
        t if t < 0 => t != -old.t(),
        t if (1..20).contains(&t) => t != old.t(),
        _ => false,
    }
}

/// A dictionary's value or a table's column by symbol key.
fn member(v: &K, key: Sym) -> Option<K> {
    let d = match v.t() {
        XT => v.table_dict(),
        XD => v,
        _ => return None,
    };
    let keys = &d.items()[0];
    if keys.t() != KS {
        return None;
    }
    let p = keys.as_slice::<Sym>().iter().position(|k| *k == key)?;
    Some(super::values::item(&d.items()[1], p))
}

/// The error a signal raises: a symbol's or a string's text.
pub fn signal_error(v: &K) -> Error {
    match v.t() {
        A_KS => Error(v.s()),
        KC => Error::new(v.bytes()),
        _ => Error::new("stype"),
    }
}

/// The fields dot notation takes from a temporal value (`t.minute`, `d.year`).
fn is_temporal_field(f: &str) -> bool {
    matches!(
        f,
        "year"
            | "month"
            | "mm"
            | "dd"
            | "date"
            | "hh"
            | "minute"
            | "uu"
            | "second"
            | "ss"
            | "time"
            | "timespan"
            | "timestamp"
            | "datetime"
    )
}
