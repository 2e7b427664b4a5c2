//! The debugger an error inside a function suspends into (the `q))` prompt): expressions see
//! the suspended function's locals, `` ` `` and `.` move up and down the stack, `&` shows the
//! error again, `.z.ex`/`.z.ey` are the failed primitive and its arguments, `:v` goes on with
//! `v` as the failed application's value, and `\` abandons the evaluation. Where its lines
//! come from and where its text goes is the caller's (`DebugIo`): the terminal, or a test.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::console;
use super::engine::Engine;
use crate::obj::*;
use crate::q::eval::debug::{format_location, Resume, Suspender};
use crate::q::eval::Ctx;

/// The debugger's input and output.
pub trait DebugIo: Send + Sync {
    /// Writes `prompt` and reads an entry; None abandons this level (end of input).
    fn read(&self, eng: &Engine, prompt: &str) -> Option<String>;
    fn print(&self, text: &str);
    /// One line as typed, for `read0 0`.
    fn read_line(&self) -> Option<String> {
        None
    }
}

pub struct Debugger<I: DebugIo> {
    io: I,
    /// Suspended levels (the prompt has one `)` more per level).
    depth: AtomicUsize,
}

impl<I: DebugIo> Debugger<I> {
    pub fn new(io: I) -> Debugger<I> {
        Debugger {
            io,
            depth: AtomicUsize::new(0),
        }
    }

    fn print(&self, eng: &Engine, text: &str) {
        // What the expression printed (when output is collected rather than written).
        let mut out = eng.take_output();
        out.push_str(text);
        self.io.print(&out);
    }
}

impl<I: DebugIo> Suspender for Debugger<I> {
    fn suspend(&self, cx: &mut Ctx, err: &Error) -> Resume {
        let innermost = cx.levels() - 1;
        // A signal shows where it was raised, a level below.
        let raised = cx
            .debug
            .signal_loc
            .take()
            .map(|loc| format_location(cx.number(innermost) + 1, &loc, false))
            .unwrap_or_default();
        self.print(
            cx.eng,
            &format!(
                "{err}\n{raised}{}",
                format_location(cx.number(innermost), &cx.location(innermost), false)
            ),
        );
        let depth = self.depth.fetch_add(1, Ordering::Relaxed) + 1;
        let saved = (cx.debug.current, cx.debug.floor, cx.debug.top_pos);
        let failure = cx.debug.failure.take();
        cx.debug.current = Some(innermost);
        let r = self.session(cx, err, depth, failure);
        (cx.debug.current, cx.debug.floor, cx.debug.top_pos) = saved;
        self.depth.fetch_sub(1, Ordering::Relaxed);
        r
    }

    fn console_line(&self, _cx: &Ctx) -> Option<String> {
        self.io.read_line()
    }
}

impl<I: DebugIo> Debugger<I> {
    fn session(
        &self,
        cx: &mut Ctx,
        err: &Error,
        depth: usize,
        failure: Option<crate::q::eval::debug::Kept>,
    ) -> Resume {
        let eng = cx.eng;
        loop {
            cx.debug.failure = failure.clone();
            let prompt = format!("{}{}", console::prompt(eng), ")".repeat(depth));
            let Some(text) = self.io.read(eng, &prompt) else {
                return Resume::Abort;
            };
            let cmd = text.trim();
            // The debugger's own commands may carry a comment (`` ` / up``).
            let word = cmd.split(" /").next().unwrap_or("").trim_end();
            let current = cx.debug.current.unwrap_or(0);
            // What is typed here runs, and so does a function resumed from here, whatever
            // interrupt stopped it.
            cx.resume();
            match word {
                "" => {}
                "\\" => return Resume::Abort,
                "`" | "." => {
                    let innermost = cx.levels() - 1;
                    let to = if word == "`" {
                        current.saturating_sub(1)
                    } else {
                        (current + 1).min(innermost)
                    };
                    cx.debug.current = Some(to);
                    self.print(
                        eng,
                        &format_location(cx.number(to), &cx.location(to), false),
                    );
                }
                "&" => self.print(
                    eng,
                    &format!(
                        "{err}\n{}",
                        format_location(cx.number(current), &cx.location(current), false)
                    ),
                ),
                _ if cmd.starts_with('\\') => self.print(eng, &super::repl::run_entry(eng, cmd)),
                _ => {
                    // `:v` returns v; `::` alone is a value like any other.
                    let resume = cmd.starts_with(':') && !cmd.starts_with("::");
                    let src = if resume { &cmd[1..] } else { cmd };
                    match in_frame(cx, current, src) {
                        Ok((v, _)) if resume => {
                            self.print(eng, "");
                            return Resume::Value(v);
                        }
                        // `'e` signals e from the suspended function, destroying it.
                        Err(e) if src.starts_with('\'') && !cx.debug.unwinding => {
                            return Resume::Signal(e);
                        }
                        Ok((v, show)) => self.print(eng, &super::repl::shown_value(eng, &v, show)),
                        Err(_) if cx.debug.unwinding => {
                            cx.debug.unwinding = false;
                            self.print(eng, "");
                        }
                        Err(e) => self.print(
                            eng,
                            &format!(
                                "{e}\n{}",
                                format_location(cx.number(current), &cx.location(current), false)
                            ),
                        ),
                    }
                }
            }
        }
    }
}

/// Evaluates `src` as if in level `level`'s function: its locals visible (a view of its frame
/// sits on top of the stack meanwhile, and what the expression assigns goes back to it).
pub fn in_frame(cx: &mut Ctx, level: usize, src: &str) -> Result<(K, bool)> {
    let frames = cx.lambda_frames();
    let target = level.checked_sub(1).and_then(|l| frames.get(l).copied());
    let view = match target {
        Some(k) => {
            let f = &cx.frames[k];
            crate::q::eval::Frame {
                locals: f.locals.clone(),
                declared: f.declared.clone(),
                ns: f.ns,
                me: f.me.clone(),
                pos: crate::q::eval::debug::VIEW,
                globals: false,
            }
        }
        // The top level sees globals only.
        None => crate::q::eval::Frame {
            locals: Vec::new(),
            declared: None,
            ns: cx.eng.settings.lock().ns,
            me: K::identity(),
            pos: crate::q::eval::debug::VIEW,
            globals: false,
        },
    };
    let depth = cx.frames.len();
    cx.frames.push(view);
    let saved = (cx.debug.floor, cx.debug.top_pos);
    cx.debug.floor = cx.frames.len();
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cx.run(src.as_bytes())))
        .unwrap_or_else(|payload| Err(Error::from_panic(payload)));
    cx.frames.truncate(depth + 1);
    if let (Some(view), Some(k)) = (cx.frames.pop(), target) {
        cx.frames[k].locals = view.locals;
    }
    (cx.debug.floor, cx.debug.top_pos) = saved;
    r
}
