//! Text that `value` runs and `parse` reads is a level of its own while it runs: an error in it
//! shows the text with a caret (where the parser stopped, or under the application that
//! failed), and `parse` adds a `(.q.parse)` level below it (basics/debug.md, ref/dotq.md).

use super::debug::TextLevel;
use super::walk::{Ctx, Flow, Frame};
use crate::obj::*;
use crate::q::lang::ast::Pos;

impl Ctx<'_> {
    /// `value "text"` (`x` the text as given, `src` its bytes): the last statement's value.
    ///
    /// The text runs in the current context (ref/value.md), as if typed at the console: the
    /// calling lambda's locals are not seen and what it assigns is global (`{a:1;value"a"}[]`
    /// reads the global `a`). It runs in a frame of its own, so the caller's frame stays on the
    /// stack for backtraces and the debugger.
    pub fn run_text(&mut self, x: &K, src: &[u8]) -> Result<K> {
        self.in_globals(|cx| cx.run_statements(x, src))
    }

    /// Runs `run` as text `value` runs and parse trees `eval` runs: in the current context, a
    /// frame of its own over a running lambda's, so the lambda's locals are not seen (kdb+'s
    /// locals have no names to look up: kb/faq-listbox.md) and what it assigns is global. The
    /// lambda's frame stays on the stack for backtraces and the debugger.
    pub fn in_globals<T>(&mut self, run: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        // At the top level the text sees globals already; in a query's frame it keeps seeing
        // the columns, as it did before (what kdb+ does there is not established).
        if self.frames.last().is_none_or(|f| f.me.t() != LAMBDA) {
            return run(self);
        }
        let depth = self.frames.len();
        self.frames.push(Frame {
            locals: Vec::new(),
            declared: None,
            ns: self.eng.settings.lock().ns,
            me: K::identity(),
            pos: 0,
            globals: true,
        });
        let r = run(self);
        self.frames.truncate(depth);
        r
    }

    fn run_statements(&mut self, x: &K, src: &[u8]) -> Result<K> {
        self.in_text(x, src, false, |cx| {
            let stmts = cx.parse_text(src)?;
            let mut last = K::identity();
            for s in stmts.iter() {
                last = match cx.eval(s) {
                    Ok(v) => v,
                    Err(Flow::Ret(v)) => return Ok(v),
                    Err(Flow::Err(e)) => return Err(e),
                };
            }
            Ok(last)
        })
    }

    /// `parse "text"`: `tree` of its statements, read as a level of its own.
    pub fn read_text<T>(
        &mut self,
        x: &K,
        src: &[u8],
        tree: impl FnOnce(&[crate::q::lang::ast::Node]) -> Result<T>,
    ) -> Result<T> {
        self.in_text(x, src, true, |cx| tree(&cx.parse_text(src)?))
    }

    fn parse_text(&mut self, src: &[u8]) -> Result<std::sync::Arc<Vec<crate::q::lang::ast::Node>>> {
        self.eng.parse_cached(src).map_err(|l| {
            if let (Some(at), Some(t)) = (l.at, self.debug.texts.last_mut()) {
                t.pos = at.min(Pos::MAX as usize) as Pos;
            }
            l.err
        })
    }

    fn in_text<T>(
        &mut self,
        x: &K,
        src: &[u8],
        parse: bool,
        run: impl FnOnce(&mut Self) -> Result<T>,
    ) -> Result<T> {
        let outer = self.debug.texts.len();
        self.debug.texts.push(TextLevel {
            depth: self.frames.len(),
            text: if x.t() == KC {
                x.clone()
            } else {
                K::string(src)
            },
            pos: 0,
            parse,
        });
        let r = run(self);
        if r.is_err() {
            // Where the error arose, if nothing deeper took the backtrace already.
            self.capture_for_trap();
            if self.debug.traps == 0 && self.debug.text_failure.is_none() {
                self.debug.text_failure = self.all_levels().pop();
            }
        }
        self.debug.texts.truncate(outer);
        r
    }
}
