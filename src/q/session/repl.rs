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
use std::sync::Arc;

use parking_lot::Mutex;

use super::console;
use super::debugger::{DebugIo, Debugger};
use super::engine::Engine;
use super::input::{Input, LineSource};
use crate::obj::*;
use crate::q::eval::debug::format_location;
use crate::q::eval::Ctx;

pub type Source = Arc<Mutex<Box<dyn LineSource>>>;

/// Installs the console's debugger, reading its lines from `input`.
pub fn install_debugger(eng: &Engine, input: Source) {
    eng.set_suspender(Some(Arc::new(Debugger::new(ConsoleIo { input }))));
}

/// Starts a session from q's command line: options, then the script (its errors printed as
/// the console prints them), then what it printed.
pub fn start_script(eng: &Engine, args: &[String]) {
    super::scripts::take_error_report();
    if let Err(e) = eng.start_process(args) {
        print(&super::scripts::error_text(&e));
    }
    print(&eng.take_output());
}

/// Runs one complete entry at the top level and prints what q prints for it.
pub fn evaluate(eng: &Engine, text: &str) {
    if text.trim().is_empty() {
        return;
    }
    let shown = run_entry(eng, text);
    print(&shown);
}

/// Runs the console on `input` until it ends, when another thread owns the engine. `shown` is
/// the prompt already on the screen; `exec` runs an entry where the owner is and shows the next
/// prompt there, returning it. The owner shows it, not this thread, so whatever the owner does
/// between entries (SIGTERM's exit and `.z.exit`, a timer) prints after the prompt, never
/// before it.
pub fn run(input: &Source, mut shown: String, exec: &dyn Fn(&str) -> String) {
    while let Some(text) = read_entry_after(input, &shown) {
        shown = exec(&text);
    }
}

/// Shows the console's prompt (`q)`, or `q.ns)` in another namespace); returns it.
pub fn show_prompt(eng: &Engine) -> String {
    let prompt = console::prompt(eng);
    print(&prompt);
    prompt
}

/// Reads a complete entry: lines until brackets balance (an empty one after Ctrl-C). None at
/// end of input.
pub fn read_entry(input: &Source, prompt: &str) -> Option<String> {
    let first = input.lock().read(prompt);
    rest_of_entry(input, first)
}

/// As `read_entry`, with its prompt already shown.
fn read_entry_after(input: &Source, shown: &str) -> Option<String> {
    let first = input.lock().read_after(shown);
    rest_of_entry(input, first)
}

fn rest_of_entry(input: &Source, first: Input) -> Option<String> {
    let mut text = match first {
        Input::Line(l) => l,
        Input::Interrupt => return Some(String::new()),
        Input::Eof => return None,
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
pub fn end_of_input(eng: &Engine) {
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
pub fn run_entry(eng: &Engine, text: &str) -> String {
    let trimmed = text.trim_start();
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if trimmed.starts_with('\\') || eng.get_global(Sym::new(".z.pi")).is_some() {
            // System commands and the input handler: as the console entry runs them.
            super::scripts::take_error_report();
            return match console::entry(eng, text) {
                Ok(out) if out.is_empty() => String::new(),
                Ok(out) => format!("{out}\n"),
                Err(e) => super::scripts::error_text(&e),
            };
        }
        if trimmed.starts_with('/') && !trimmed.contains('\n') {
            return String::new();
        }
        let mut cx = Ctx::new(eng);
        match cx.run(text.as_bytes()) {
            Ok((v, show)) => shown_value(eng, &v, show),
            // Abandoned in the debugger: already reported.
            Err(_) if cx.debug.unwinding => String::new(),
            // The innermost level shows: text `value` ran or `parse` read, else the entry.
            Err(e) => {
                let (n, loc) = cx.debug.text_failure.take().unwrap_or((0, cx.location(0)));
                format!("{e}\n{}", format_location(n, &loc, false))
            }
        }
    }));
    r.unwrap_or_else(|payload| format!("{}\n", Error::from_panic(payload)))
}

pub fn shown_value(eng: &Engine, v: &K, show: bool) -> String {
    if !show || crate::q::eval::verbs::is_identity(v) {
        String::new()
    } else {
        format!("{}\n", eng.render(v))
    }
}

/// The debugger at the terminal: lines from the console's input, text to standard output.
struct ConsoleIo {
    input: Source,
}

impl DebugIo for ConsoleIo {
    fn read(&self, eng: &Engine, prompt: &str) -> Option<String> {
        let got = read_entry(&self.input, prompt);
        if got.is_none() {
            // End of input at the debug prompt ends the session.
            end_of_input(eng);
        }
        got
    }
    fn print(&self, text: &str) {
        print(text);
    }
    fn read_line(&self) -> Option<String> {
        let shown = String::from_utf8_lossy(&crate::sys::stdio::line_tail()).into_owned();
        match self.input.lock().read_after(&shown) {
            Input::Line(l) => Some(l),
            Input::Interrupt | Input::Eof => Some(String::new()),
        }
    }
}
