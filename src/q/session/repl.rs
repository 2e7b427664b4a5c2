//! The interactive session: read an entry (continuing while brackets are open), run it, print
//! what q prints, and again; and the debugger an error inside a function suspends into.
//!
//! Output goes to the terminal as it is printed. An error prints as `'name` and the location
//! line with a caret; inside a function it suspends at the `q))` prompt, where expressions see
//! the function's locals, `` ` `` and `.` move up and down the stack, `.z.ex`/`.z.ey` are the
//! failed primitive and its arguments, `:v` goes on with `v` as the failed application's
//! value, and `\` abandons the evaluation. `\\`, `exit` and end of input leave (after
//! `.z.exit`); Ctrl-C stops the running evaluation (`'stop`) or abandons the line being written.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use parking_lot::Mutex;

use super::console;
use super::engine::Engine;
use super::input::{Input, LineSource};
use crate::obj::*;
use crate::q::eval::debug::{format_location, Resume, Suspender};
use crate::q::eval::Ctx;

type Source = Arc<Mutex<Box<dyn LineSource>>>;

/// Starts a session from q's command line (the script runs first, with the debugger
/// installed), then runs the console on `input` until the session ends.
pub fn start(eng: &Engine, args: &[String], input: Box<dyn LineSource>) {
    let input: Source = Arc::new(Mutex::new(input));
    eng.set_suspender(Some(Arc::new(Debugger {
        input: input.clone(),
        depth: AtomicUsize::new(0),
    })));
    if let Err(e) = eng.start(args) {
        print(&format!("{e}\n"));
    }
    print(&eng.take_output());
    run(eng, &input);
}

/// Runs the console on `input` until the session ends.
fn run(eng: &Engine, input: &Source) {
    loop {
        let prompt = console::prompt(eng);
        let Some(text) = read_entry(eng, input, &prompt) else {
            return;
        };
        if text.trim().is_empty() {
            continue;
        }
        eng.stop.store(false, Ordering::Relaxed);
        let shown = run_entry(eng, &text);
        print(&shown);
    }
}

/// Reads a complete entry: lines until brackets balance. None at end of input, once the
/// session has been told to end (it may refuse: `.z.exit` signalled).
fn read_entry(eng: &Engine, input: &Source, prompt: &str) -> Option<String> {
    let first = input.lock().read(prompt);
    let mut text = match first {
        Input::Line(l) => l,
        Input::Interrupt => return Some(String::new()),
        Input::Eof => {
            end_of_input(eng);
            return None;
        }
    };
    while !console::balanced(&text) {
        match input.lock().read("") {
            Input::Line(more) => {
                text.push('\n');
                text.push_str(&more);
            }
            Input::Interrupt => return Some(String::new()),
            Input::Eof => break,
        }
    }
    Some(text)
}

/// End of input: the session ends as `\\` ends it.
fn end_of_input(eng: &Engine) {
    if let Err(e) = super::system::exit(eng, 0) {
        print(&format!("{e}\n"));
    }
}

fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Runs an entry at the top level; the text to print after what it printed itself.
fn run_entry(eng: &Engine, text: &str) -> String {
    let trimmed = text.trim_start();
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if trimmed.starts_with('\\') || eng.get_global(Sym::new(".z.pi")).is_some() {
            // System commands and the input handler: as the console entry runs them.
            return match console::entry(eng, text) {
                Ok(out) if out.is_empty() => String::new(),
                Ok(out) => format!("{out}\n"),
                Err(e) => format!("{e}\n"),
            };
        }
        if trimmed.starts_with('/') && !trimmed.contains('\n') {
            return String::new();
        }
        let mut cx = Ctx::new(eng);
        match cx.run(text) {
            Ok((v, show)) => shown_value(eng, &v, show),
            // Abandoned in the debugger: already reported.
            Err(_) if cx.debug.unwinding => String::new(),
            Err(e) => format!("{e}\n{}", format_location(0, &cx.location(0), false)),
        }
    }));
    r.unwrap_or_else(|payload| format!("{}\n", Error::from_panic(payload)))
}

fn shown_value(eng: &Engine, v: &K, show: bool) -> String {
    if !show || crate::q::eval::verbs::is_identity(v) {
        String::new()
    } else {
        format!("{}\n", eng.render(v))
    }
}

/// The console's debugger.
struct Debugger {
    input: Source,
    /// Suspended levels (the prompt has one `)` more per level).
    depth: AtomicUsize,
}

impl Suspender for Debugger {
    fn suspend(&self, cx: &mut Ctx, err: &Error) -> Resume {
        let innermost = cx.levels() - 1;
        print(&format!(
            "{err}\n{}",
            format_location(innermost, &cx.location(innermost), false)
        ));
        let depth = self.depth.fetch_add(1, Ordering::Relaxed) + 1;
        let saved = (cx.debug.current, cx.debug.floor, cx.debug.top_pos);
        let failure = cx.debug.failure.take();
        cx.debug.current = Some(innermost);
        let r = self.session(cx, err, depth, failure);
        (cx.debug.current, cx.debug.floor, cx.debug.top_pos) = saved;
        self.depth.fetch_sub(1, Ordering::Relaxed);
        r
    }
}

impl Debugger {
    fn session(&self, cx: &mut Ctx, err: &Error, depth: usize, failure: Option<(K, K)>) -> Resume {
        let eng = cx.eng;
        loop {
            cx.debug.failure = failure.clone();
            let prompt = format!("{}{}", console::prompt(eng), ")".repeat(depth));
            let Some(text) = read_entry(eng, &self.input, &prompt) else {
                return Resume::Abort;
            };
            let cmd = text.trim();
            let current = cx.debug.current.unwrap_or(0);
            eng.stop.store(false, Ordering::Relaxed);
            match cmd {
                "" => {}
                "\\" => return Resume::Abort,
                "`" | "." => {
                    let innermost = cx.levels() - 1;
                    let to = if cmd == "`" {
                        current.saturating_sub(1)
                    } else {
                        (current + 1).min(innermost)
                    };
                    cx.debug.current = Some(to);
                    print(&format_location(to, &cx.location(to), false));
                }
                "&" => print(&format!(
                    "{err}\n{}",
                    format_location(current, &cx.location(current), false)
                )),
                _ if cmd.starts_with('\\') => print(&run_entry(eng, cmd)),
                _ => {
                    // `:v` returns v; `::` alone is a value like any other.
                    let resume = cmd.starts_with(':') && !cmd.starts_with("::");
                    let src = if resume { &cmd[1..] } else { cmd };
                    match in_frame(cx, current, src) {
                        Ok((v, _)) if resume => return Resume::Value(v),
                        Ok((v, show)) => print(&shown_value(eng, &v, show)),
                        Err(_) if cx.debug.unwinding => cx.debug.unwinding = false,
                        Err(e) => print(&format!(
                            "{e}\n{}",
                            format_location(current, &cx.location(current), false)
                        )),
                    }
                }
            }
        }
    }
}

/// Evaluates `src` as if in level `level`'s function: its locals visible (a view of its frame
/// sits on top of the stack meanwhile, and what the expression assigns goes back to it).
fn in_frame(cx: &mut Ctx, level: usize, src: &str) -> Result<(K, bool)> {
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
            }
        }
        // The top level sees globals only.
        None => crate::q::eval::Frame {
            locals: Vec::new(),
            declared: None,
            ns: cx.eng.settings.lock().ns,
            me: K::identity(),
            pos: crate::q::eval::debug::VIEW,
        },
    };
    let depth = cx.frames.len();
    cx.frames.push(view);
    let saved = (cx.debug.floor, cx.debug.top_pos);
    cx.debug.floor = cx.frames.len();
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cx.run(src)))
        .unwrap_or_else(|payload| Err(Error::from_panic(payload)));
    cx.frames.truncate(depth + 1);
    if let (Some(view), Some(k)) = (cx.frames.pop(), target) {
        cx.frames[k].locals = view.locals;
    }
    (cx.debug.floor, cx.debug.top_pos) = saved;
    r
}
