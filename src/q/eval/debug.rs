//! Errors inside functions: where they happened (the statement or function text with a caret
//! under the application that failed), suspending into the console's debugger (`q))`), and
//! backtraces (`.Q.bt`, the second argument of `.Q.trp`'s handler, `.Q.sbt`).
//!
//! Each frame keeps the position of the application it is running (`Frame::pos`, the top
//! level's in `State::top_pos`); the parser records positions relative to the lambda's text.
//! An error raised by an application inside a function, with a debugger installed and no trap
//! around it, suspends right there: the debugger may return a value in place of the failed
//! application (`:v`) or abandon the evaluation (`\`), which then unwinds without suspending
//! again.

use std::sync::Arc;

use super::walk::{Ctx, Flow, R};
use crate::obj::*;
use crate::q::lang::ast::Pos;

/// The position of a frame the debugger pushed to evaluate in another frame's view: not a
/// level of its own.
pub const VIEW: Pos = Pos::MAX;

/// What the debugger decided.
pub enum Resume {
    /// Go on as if the failed application had returned this.
    Value(K),
    /// Abandon the evaluation: the error unwinds to the level that started it.
    Abort,
    /// `'e` at the prompt: the suspended function is destroyed and `e` raised in its caller
    /// (basics/debug.md, "Signal": "from the deepest frame available, destroying it").
    Signal(Error),
}

/// The console's debugger: runs when an error stops a function.
pub trait Suspender: Send + Sync {
    fn suspend(&self, cx: &mut Ctx, err: &Error) -> Resume;
    /// A line typed at the console (`read0 0`); None where there is no console.
    fn console_line(&self, _cx: &Ctx) -> Option<String> {
        None
    }
}

/// `read0 0`: the next line typed at the console (ref/read0.md), else of standard input; empty
/// at its end.
pub fn console_line(cx: &Ctx) -> String {
    if let Some(line) = cx.debug.suspender.as_ref().and_then(|s| s.console_line(cx)) {
        return line;
    }
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    line.trim_end_matches(['\n', '\r']).to_string()
}

/// What an application kept in case it fails (`.z.ex`, `.z.ey`), cheaply, since every
/// application in a debugging session makes one: a glyph by name, another function only when
/// it is not a lambda (a lambda's failures suspend inside it), and of the arguments, atoms by
/// value and values something else also holds by reference. A temporary only the
/// application holds is not kept, so primitives may still reuse it in place.
#[derive(Clone)]
pub struct Kept {
    f: KeptFn,
    args: [Arg; 2],
    /// Arguments past the second (`ssr[x;y;z]`).
    more: Vec<Arg>,
}

#[derive(Clone)]
enum KeptFn {
    /// A glyph; `true` for its unary form (`-:`).
    Glyph(Sym, bool),
    Value(K),
}

#[derive(Clone)]
enum Arg {
    Absent,
    /// An atom's type and 8-byte value.
    Atom(i8, u64),
    Held(K),
    /// Not kept (a temporary).
    Lost,
}

impl Arg {
    #[inline]
    fn of(x: &K) -> Arg {
        let t = x.t();
        if t < 0 && t != -UU && t != ERROR {
            Arg::Atom(t, x.j() as u64)
        } else if x.refcount() > 0 {
            Arg::Held(x.clone())
        } else {
            Arg::Lost
        }
    }

    fn value(&self) -> Option<K> {
        match self {
            Arg::Absent => None,
            Arg::Atom(t, w) => Some(K::atom_word(*t, *w)),
            Arg::Held(k) => Some(k.clone()),
            Arg::Lost => Some(K::identity()),
        }
    }
}

impl Kept {
    /// A glyph's application (`unary`: its `f:` form).
    #[inline]
    pub fn glyph(g: Sym, unary: bool, x: &K, y: Option<&K>) -> Kept {
        Kept {
            f: KeptFn::Glyph(g, unary),
            args: [Arg::of(x), y.map_or(Arg::Absent, Arg::of)],
            more: Vec::new(),
        }
    }

    /// A function value's application; None for a lambda.
    #[inline]
    pub fn function(f: &K, args: &[K]) -> Option<Kept> {
        if f.t() == LAMBDA {
            return None;
        }
        let arg = |i: usize| args.get(i).map_or(Arg::Absent, Arg::of);
        Some(Kept {
            f: KeptFn::Value(f.clone()),
            args: [arg(0), arg(1)],
            more: args.iter().skip(2).map(Arg::of).collect(),
        })
    }

    /// A function value applied to one or two arguments; None for a lambda.
    #[inline]
    pub fn function2(f: &K, x: &K, y: Option<&K>) -> Option<Kept> {
        (f.t() != LAMBDA).then(|| Kept {
            f: KeptFn::Value(f.clone()),
            args: [Arg::of(x), y.map_or(Arg::Absent, Arg::of)],
            more: Vec::new(),
        })
    }

    /// `.z.ex` and `.z.ey`.
    pub fn values(&self) -> (K, K) {
        let f = match &self.f {
            KeptFn::Glyph(g, unary) => {
                let g = g.as_str();
                let f = if *unary {
                    super::verbs::unary_glyph_value(&g)
                } else {
                    super::verbs::glyph_value(&g)
                };
                f.unwrap_or_else(K::identity)
            }
            KeptFn::Value(f) => f.clone(),
        };
        let args: Vec<K> = self
            .args
            .iter()
            .chain(&self.more)
            .filter_map(Arg::value)
            .collect();
        (f, arguments(&args))
    }
}

/// A frame's place in the source: its text and where the caret goes.
#[derive(Clone)]
pub struct Location {
    pub text: String,
    pub caret: Option<usize>,
}

/// Text that `value` runs or `parse` reads: a level of its own in backtraces (basics/debug.md:
/// `.Q.trp[parse;"2+2;+2";..]` shows the text with its caret, above a `(.q.parse)` level; a
/// string `value` runs shows as its own level, e.g. `[2]  f `a` in ref/dotq.md's `.z.pg`).
pub struct TextLevel {
    /// `frames.len()` when it started: it sits above those frames.
    pub depth: usize,
    /// The text (a char vector).
    pub text: K,
    /// The application it is running, or where the parser stopped.
    pub pos: Pos,
    /// Read by `parse`: the level below it is `(.q.parse)`.
    pub parse: bool,
}

/// An evaluation's debugging state.
#[derive(Default)]
pub struct State {
    pub suspender: Option<Arc<dyn Suspender>>,
    /// An abandoned error is unwinding: nothing suspends on it again.
    pub unwinding: bool,
    /// Frames at or below this depth belong to a suspended level (the debugger's own
    /// expressions run above them without suspending at that level).
    pub floor: usize,
    /// Traps (`@[f;x;h]`, `.Q.trp`) being run: errors under them do not suspend.
    pub traps: u32,
    /// `.z.ex` and `.z.ey`: the failed primitive and its arguments.
    pub failure: Option<Kept>,
    /// The top-level text and the position of the application it is running.
    pub top_text: Option<Arc<str>>,
    pub top_pos: Pos,
    /// Where the statement starts in `top_text` (after a script's `path:line: `).
    pub top_base: usize,
    /// Levels kdb+ counts below this evaluation's top level (a script loaded by `\l`: 2 per
    /// nested load).
    pub level_base: usize,
    /// The frame the debugger looks at (`` ` `` and `.` move it), 0 for the top level.
    pub current: Option<usize>,
    /// Depths at which `.Q.trp` is running (its level, and how many `texts` were running
    /// then), and the backtrace taken where an error under the innermost one arose.
    pub trp_depths: Vec<(usize, usize)>,
    pub captured: Option<K>,
    /// A signal (`'x`) raised by the statement running at this frame depth: it does not
    /// suspend the function that signalled but the one that called it, and the debugger shows
    /// where it was raised (`signal_loc`) above the caller's location.
    pub signal: Option<usize>,
    pub signal_loc: Option<Location>,
    /// The signal ends a function the debugger destroyed (`'e` at its prompt): its place is
    /// not shown.
    pub signal_quiet: bool,
    /// Under `\e 2`, this client request's error has been written to stderr.
    pub dumped: bool,
    /// Error-trap mode 2 for a script loaded non-interactively (basics/debug.md: the default
    /// "for loading scripts non-interactively (e.g. with -q)"): nothing suspends, and the
    /// stack where the error arose is kept to be printed with it.
    pub dump: bool,
    pub dump_trace: Option<String>,
    /// Texts being run by `value` or read by `parse`, outermost first.
    pub texts: Vec<TextLevel>,
    /// The innermost level an untrapped error ended inside such a text: its number and place,
    /// what the console shows under the error.
    pub text_failure: Option<(usize, Location)>,
}

impl State {
    /// Whether applications keep what `.z.ex`/`.z.ey` need in case they fail.
    #[inline]
    pub fn keeps(&self) -> bool {
        self.suspender.is_some()
    }
}

impl Ctx<'_> {
    /// Records the position of the application about to run.
    #[inline]
    pub fn at(&mut self, pos: Pos) {
        if let Some(t) = self.debug.texts.last_mut() {
            if t.depth == self.frames.len() {
                t.pos = pos;
                return;
            }
        }
        if self.frames.len() > self.debug.floor {
            if let Some(f) = self.frames.last_mut() {
                f.pos = pos;
                return;
            }
        }
        self.debug.top_pos = pos;
    }

    /// Whether an error raised now suspends into the debugger.
    fn may_suspend(&self) -> bool {
        self.debug.suspender.is_some()
            && !self.debug.dump
            && !self.debug.unwinding
            && self.debug.traps == 0
            && self.frames.len() > self.debug.floor
            // A qSQL phrase's columns are a frame too, but not a function's.
            && self.frames[self.debug.floor..]
                .iter()
                .any(|f| f.me.t() == LAMBDA && f.pos != VIEW)
            && self.console_may_suspend()
    }

    /// A client's request suspends the console only under `\e 1`, and never from a
    /// connection's own thread (multithreaded input mode): by default its error goes back to
    /// the client.
    fn console_may_suspend(&self) -> bool {
        if crate::q::server::context::handle() == 0 {
            return true;
        }
        !crate::sys::engine_lock::read_only() && self.eng.settings.lock().session.error_trap == 1
    }

    /// The frames that are lambdas' (qSQL phrases push frames of their own): level `i` of a
    /// backtrace is the lambda of `self.frames[lambda_frames()[i - 1]]`.
    pub fn lambda_frames(&self) -> Vec<usize> {
        (0..self.frames.len())
            .filter(|&k| self.frames[k].me.t() == LAMBDA && self.frames[k].pos != VIEW)
            .collect()
    }

    /// An application failed with `e`; `kept` is the function and arguments (`.z.ex`,
    /// `.z.ey`) when `keeps()`.
    #[cold]
    pub fn failed(&mut self, e: Error, kept: Option<Kept>) -> R {
        if !self.may_suspend() {
            self.capture_for_trap();
            self.dump_for_client(&e);
            return Err(Flow::Err(e));
        }
        self.debug.failure = kept;
        match self.suspend(&e) {
            Resume::Value(v) => Ok(v),
            Resume::Abort => Err(Flow::Err(e)),
            Resume::Signal(s) => Err(Flow::Err(self.destroy_frame(s))),
        }
    }

    /// The suspended function ends with `e`, which its caller receives as a signal it raised
    /// (suspending there, if anywhere) without showing the destroyed function's place.
    fn destroy_frame(&mut self, e: Error) -> Error {
        self.debug.signal = Some(self.frames.len());
        self.debug.signal_quiet = true;
        e
    }

    /// A signal is being raised here.
    pub fn signalled(&mut self) {
        self.debug.signal = Some(self.frames.len());
        self.debug.signal_loc = None;
    }

    /// A statement of the running lambda failed with `e` (raised by something other than an
    /// application, or not suspended there): suspends, or passes it on.
    #[cold]
    pub fn statement_failed(&mut self, e: Error) -> std::result::Result<K, Error> {
        if self.debug.signal.take() == Some(self.frames.len()) {
            // The function that signalled is not suspended; its caller is.
            let level = self.levels() - 1;
            self.debug.signal_loc =
                (!std::mem::take(&mut self.debug.signal_quiet)).then(|| self.location(level));
            return Err(e);
        }
        if !self.may_suspend() {
            self.capture_for_trap();
            self.dump_for_client(&e);
            return Err(e);
        }
        self.debug.failure = None;
        match self.suspend(&e) {
            Resume::Value(v) => Ok(v),
            Resume::Abort => Err(e),
            Resume::Signal(s) => Err(self.destroy_frame(s)),
        }
    }

    fn suspend(&mut self, e: &Error) -> Resume {
        let Some(s) = self.debug.suspender.clone() else {
            return Resume::Abort;
        };
        let r = s.suspend(self, e);
        if matches!(r, Resume::Abort) {
            self.debug.unwinding = true;
        }
        r
    }

    /// `\e 2`: an untrapped error in an async message's or HTTP request's handler dumps its
    /// stack where it arose (once), to stderr or, for HTTP, into the answer; a sync request
    /// runs with trap mode 0 whatever `\e` says (basics/debug.md).
    fn dump_for_client(&mut self, e: &Error) {
        use crate::q::server::context;
        if self.debug.dumped
            || self.debug.traps > 0
            || context::handle() == 0
            || context::is_sync()
            || self.eng.settings.lock().session.error_trap != 2
        {
            return;
        }
        self.debug.dumped = true;
        let text = format!("'{}\n{}", e.msg().as_str(), self.backtrace_text());
        if !context::keep_dump(&text) {
            use std::io::Write;
            let mut err = std::io::stderr().lock();
            let _ = err.write_all(text.as_bytes());
            let _ = err.flush();
        }
    }

    /// Under `.Q.trp`, the first failure takes the backtrace its handler gets; in trap mode 2
    /// (a script loaded non-interactively) an untrapped one takes the stack to print.
    pub(super) fn capture_for_trap(&mut self) {
        if !self.debug.trp_depths.is_empty() && self.debug.captured.is_none() {
            self.debug.captured = Some(self.backtrace_value());
        }
        if self.debug.dump && self.debug.traps == 0 && self.debug.dump_trace.is_none() {
            self.debug.dump_trace = Some(self.backtrace_text());
        }
    }

    /// The location of level `i`: 0 the top level, `i` the lambda of frame `i - 1`.
    pub fn location(&self, i: usize) -> Location {
        if i == 0 {
            let text = self.debug.top_text.as_deref().unwrap_or("").to_string();
            return Location {
                text,
                caret: Some(self.debug.top_base + self.debug.top_pos as usize),
            };
        }
        let Some(f) = self.lambda_frames().get(i - 1).map(|&k| &self.frames[k]) else {
            return Location {
                text: String::new(),
                caret: None,
            };
        };
        let src =
            f.me.items()
                .first()
                .filter(|s| s.t() == KC)
                .map(|s| String::from_utf8_lossy(s.bytes()).into_owned())
                .unwrap_or_default();
        let prefix = self.frame_prefix(i);
        Location {
            caret: Some(prefix.len() + f.pos as usize),
            text: prefix + &src,
        }
    }

    /// What q writes before a lambda's text: `name:` for a global, `name@:` for a lambda
    /// run by a named one, nothing for an anonymous one.
    fn frame_prefix(&self, i: usize) -> String {
        let name = match self.frame_name(i) {
            Some(n) => format!("{n}:"),
            None => String::new(),
        };
        // A lambda a script defined says where: `/path/test.q:5: myfun:`.
        let origin = self
            .lambda_frames()
            .get(i - 1)
            .and_then(|&k| {
                let f = &self.frames[k];
                f.declared
                    .clone()
                    .or_else(|| super::lambda::definition(&f.me).ok())
            })
            .and_then(|d| d.origin.get().cloned());
        match origin {
            Some(o) => format!("{o}: {name}"),
            None => name,
        }
    }

    /// The name of level `i`'s lambda: its global's, or `f@` for a lambda written inside the
    /// one that runs it (`f@@` two deep...). A loop, not recursion: it runs when an error
    /// suspends a deep recursion, with little stack left.
    fn frame_name(&self, i: usize) -> Option<String> {
        let frames = self.lambda_frames();
        let text = |k: usize| self.frames[k].me.items().first().map(|s| s.bytes());
        let mut level = i;
        let mut written_inside = 0;
        loop {
            let k = *frames.get(level.checked_sub(1)?)?;
            if let Some(name) = self.eng.name_of(&self.frames[k].me) {
                return Some(name.as_str().into_owned() + &"@".repeat(written_inside));
            }
            let parent = *frames.get(level.checked_sub(2)?)?;
            let (inner, outer) = (text(k)?, text(parent)?);
            if !outer.windows(inner.len().max(1)).any(|w| w == inner) {
                return None;
            }
            written_inside += 1;
            level -= 1;
        }
    }

    /// The number kdb+ shows for level `i`. kdb+ counts frames this engine does not keep:
    /// below a nested debugger's levels, the debugger's own (hidden) and the line typed at
    /// its prompt (debug.md: suspended at [2], `{x+y}[a;y]` fails at [5]); below a script's,
    /// `\l` and the statement that loaded it (`\l test.q` typed at the console: a function
    /// the script's fourth line calls fails at [3]).
    pub fn number(&self, i: usize) -> usize {
        let frames = self.lambda_frames();
        let views = match i.checked_sub(1).and_then(|l| frames.get(l)) {
            Some(&k) => self.frames[..k].iter().filter(|f| f.pos == VIEW).count(),
            None => 0,
        };
        self.debug.level_base + i + 2 * views
    }

    /// The number of levels: the top level and one per frame.
    pub fn levels(&self) -> usize {
        self.lambda_frames().len() + 1
    }

    /// `.Q.bt`'s text: every level, innermost first, `>>` at the debugger's current one (no
    /// top level when nothing was typed or sent: a handler called with a value).
    pub fn backtrace_text(&self) -> String {
        let mut out = String::new();
        let first = usize::from(self.debug.top_text.is_none() && self.levels() > 1);
        for i in (first..self.levels()).rev() {
            out.push_str(&format_location(
                self.number(i),
                &self.location(i),
                self.debug.current == Some(i),
            ));
        }
        out
    }

    /// A backtrace as a q value (innermost first): for each level, its number, text and caret
    /// column (-1 for none). `.Q.sbt` writes it.
    pub fn backtrace_value(&self) -> K {
        let levels = self
            .all_levels()
            .into_iter()
            .rev()
            .map(|(n, loc)| level_value(n, &loc.text, loc.caret.map_or(-1, |c| c as i64)))
            .collect();
        K::list(levels)
    }

    /// Every level, outermost first, with its number: the top level and the lambdas' (as
    /// `location` numbers them), and between them `.Q.trp`'s and the texts run by `value`
    /// or read by `parse` (each just above the level that started it).
    pub fn all_levels(&self) -> Vec<(usize, Location)> {
        let mut out: Vec<Location> = Vec::new();
        // Numbers count the levels shown plus what `number` adds below a lambda level.
        let mut extra = Vec::new();
        let trp = self.debug.trp_depths.last().copied();
        let frames = self.lambda_frames();
        let builtin = |name: &str| Location {
            text: name.to_string(),
            caret: None,
        };
        let mut t = 0;
        for i in 0..self.levels() {
            let add = self.number(i) - self.debug.level_base - i;
            out.push(self.location(i));
            extra.push(add);
            // The texts started at this level: above its frame, below the next lambda's.
            let next = frames.get(i).copied().unwrap_or(usize::MAX);
            loop {
                if trp == Some((i, t)) {
                    out.push(builtin("(.Q.trp)"));
                    extra.push(add);
                }
                let Some(text) = self.debug.texts.get(t).filter(|x| x.depth <= next) else {
                    break;
                };
                if text.parse {
                    out.push(builtin("(.q.parse)"));
                    extra.push(add);
                }
                out.push(Location {
                    text: String::from_utf8_lossy(text.text.bytes()).into_owned(),
                    caret: Some(text.pos as usize),
                });
                extra.push(add);
                t += 1;
            }
        }
        out.into_iter()
            .zip(extra)
            .enumerate()
            .map(|(k, (loc, add))| (self.debug.level_base + k + add, loc))
            .collect()
    }
}

/// `.z.ex` and `.z.ey` (the failed primitive and its arguments) in a suspended evaluation.
pub fn special(cx: &Ctx, name: &str) -> Option<K> {
    if name != ".z.ex" && name != ".z.ey" {
        return None;
    }
    let (f, args) = cx.debug.failure.as_ref()?.values();
    Some(if name == ".z.ex" { f } else { args })
}

/// `.z.ey` for an application's arguments: the argument itself when there is one.
pub fn arguments(args: &[K]) -> K {
    match args {
        [x] => x.clone(),
        _ => K::list(args.to_vec()),
    }
}

fn level_value(n: usize, text: &str, caret: i64) -> K {
    K::list(vec![K::long(n as i64), K::string(text), K::long(caret)])
}

/// `.Q.sbt`: a backtrace value as text.
pub fn backtrace_string(bt: &K) -> Result<String> {
    if bt.t() != 0 {
        return Err(Error::type_());
    }
    let mut out = String::new();
    for level in bt.items() {
        let parts = level.items();
        if level.t() != 0 || parts.len() != 3 || parts[1].t() != KC {
            return Err(Error::type_());
        }
        let text = String::from_utf8_lossy(parts[1].bytes()).into_owned();
        let caret = usize::try_from(parts[2].j()).ok();
        out.push_str(&format_location(
            parts[0].j().max(0) as usize,
            &Location { text, caret },
            false,
        ));
    }
    Ok(out)
}

/// One level as q prints it: `  [n]  text`, then the caret under the failed application (a
/// blank line when there is none). Of a text over several lines, the line with the caret.
pub fn format_location(n: usize, loc: &Location, current: bool) -> String {
    let head = format!("{}[{n}]  ", if current { ">>" } else { "  " });
    let (line, caret) = match loc.caret {
        Some(c) => {
            let c = c.min(loc.text.len());
            let start = loc.text[..c].rfind('\n').map_or(0, |p| p + 1);
            let end = loc.text[c..].find('\n').map_or(loc.text.len(), |p| c + p);
            (
                &loc.text[start..end],
                Some(loc.text[start..c].chars().count()),
            )
        }
        None => (loc.text.lines().next().unwrap_or(""), None),
    };
    let mut out = format!("{head}{line}\n");
    if let Some(c) = caret {
        out.push_str(&" ".repeat(head.len() + c));
        out.push('^');
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_put_the_caret_under_the_application() {
        let loc = Location {
            text: "g:{a:x*2;a+y}".into(),
            caret: Some(10),
        };
        assert_eq!(
            format_location(2, &loc, false),
            "  [2]  g:{a:x*2;a+y}\n                 ^\n"
        );
        assert_eq!(
            format_location(1, &loc, true),
            ">>[1]  g:{a:x*2;a+y}\n                 ^\n"
        );
        let loc = Location {
            text: "(.Q.trp)".into(),
            caret: None,
        };
        assert_eq!(format_location(1, &loc, false), "  [1]  (.Q.trp)\n\n");
        let loc = Location {
            text: "f:{a:1;\n  a+`b}".into(),
            caret: Some(11),
        };
        assert_eq!(
            format_location(1, &loc, false),
            "  [1]    a+`b}\n          ^\n"
        );
    }
}
