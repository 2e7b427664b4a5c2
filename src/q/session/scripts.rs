//! Running a script: statement by statement as q reads them, system commands included, `\`
//! alone ending it. From a file, errors say where: the location line reads
//! `/path/test.q:3: a:func`a` and a lambda the script defined shows as
//! `/path/test.q:2: func:{1+x}`.

use std::cell::RefCell;

use super::engine::Engine;
use crate::obj::*;
use crate::q::eval::debug::format_location;
use crate::q::lang::ast::Node;

thread_local! {
    /// How the console should report the last error a script statement raised: its location
    /// line to print under it, or (abandoned in the debugger) nothing at all.
    static REPORT: RefCell<Option<Report>> = const { RefCell::new(None) };
}

thread_local! {
    /// Scripts being loaded by `\l`, one inside another.
    static LOADS: RefCell<usize> = const { RefCell::new(0) };
    /// Scripts run in error-trap mode 2 (`-q`: loaded non-interactively).
    static DUMPING: RefCell<bool> = const { RefCell::new(false) };
}

/// Runs `f` with the scripts it runs in error-trap mode 2: an error in one does not suspend,
/// and prints with the whole stack where it arose (basics/debug.md, "Error trap modes").
pub fn dumping<T>(f: impl FnOnce() -> T) -> T {
    struct Dumping(bool);
    impl Drop for Dumping {
        fn drop(&mut self) {
            DUMPING.with(|d| *d.borrow_mut() = self.0);
        }
    }
    let _restore = Dumping(DUMPING.with(|d| d.replace(true)));
    f()
}

/// Runs `f` as the load of a script by `\l` (its levels are numbered above the loader's).
pub fn loading<T>(f: impl FnOnce() -> T) -> T {
    struct Loading;
    impl Drop for Loading {
        fn drop(&mut self) {
            LOADS.with(|l| *l.borrow_mut() -= 1);
        }
    }
    LOADS.with(|l| *l.borrow_mut() += 1);
    let _loading = Loading;
    f()
}

pub enum Report {
    Location(String),
    Abandoned,
}

/// Takes the report of the last script error (once).
pub fn take_error_report() -> Option<Report> {
    REPORT.with(|l| l.borrow_mut().take())
}

/// The text the console prints for an error a command or script raised.
pub fn error_text(e: &Error) -> String {
    match take_error_report() {
        Some(Report::Abandoned) => String::new(),
        Some(Report::Location(at)) => format!("{e}\n{at}"),
        None => format!("{e}\n"),
    }
}

impl Engine {
    /// Runs `text` (bytes: its strings need not be UTF-8), read from `file` (its full path)
    /// when given.
    pub fn run_script_from(&self, text: &[u8], file: Option<&str>) -> Result<K> {
        let mut last = K::identity();
        for (line, stmt) in crate::q::lang::script::numbered_statements(text) {
            if let Some(cmd) = stmt.strip_prefix(b"\\") {
                // A line of `\` alone ends the script; `\\` ends the process.
                if cmd.trim_ascii().is_empty() {
                    break;
                }
                last = super::system::command(self, &String::from_utf8_lossy(cmd))?;
                continue;
            }
            last = match file {
                None => self.eval_source(&stmt)?,
                Some(file) => self.eval_located(&stmt, &format!("{file}:{line}"))?,
            };
        }
        Ok(last)
    }

    /// Evaluates a statement from `origin` (`path:line`): lambdas it assigns remember where
    /// they were written, and its own location line starts with the origin.
    fn eval_located(&self, stmt: &[u8], origin: &str) -> Result<K> {
        for node in self.parse_cached(stmt)?.iter() {
            if let Node::Assign(a) = node {
                if let Node::Lambda(def) = &a.value {
                    let _ = def.origin.set(origin.to_string());
                }
            }
        }
        let mut cx = crate::q::eval::Ctx::new(self);
        cx.debug.level_base = 2 * LOADS.with(|l| *l.borrow());
        cx.debug.dump = DUMPING.with(|d| *d.borrow());
        let prefix = format!("{origin}: ");
        cx.debug.top_base = prefix.len();
        // For error locations (display only): text that is not UTF-8 shows replaced.
        let shown = String::from_utf8_lossy(stmt);
        cx.debug.top_text = Some(format!("{prefix}{shown}").into());
        let r = cx.run(stmt).map(|(v, _)| v);
        if r.is_err() {
            let report = if let Some(trace) = cx.debug.dump_trace.take() {
                Report::Location(trace)
            } else if cx.debug.unwinding {
                Report::Abandoned
            } else {
                Report::Location(format_location(cx.number(0), &cx.location(0), false))
            };
            REPORT.with(|l| *l.borrow_mut() = Some(report));
        }
        r
    }
}
