//! The engine: the state one q session keeps (globals in a namespace tree, console settings)
//! and the safe entry points the C exports, the console and the tests call.
//!
//! Globals live in one map keyed by full name (`a`, `.ns.a`) behind a `parking_lot` RwLock; a
//! namespace read as a value (`.ns`) is assembled from its members.

use std::collections::HashMap;

use crate::q::prims::hash::Build as SymHash;
use std::sync::OnceLock;

use parking_lot::{Mutex, RwLock};

use crate::obj::*;
use crate::q::eval::Ctx;

pub struct Settings {
    /// The current namespace (`\d`): empty for the root.
    pub ns: Sym,
    /// `\c`: console rows and columns.
    pub console: (usize, usize),
    /// `\P`: float display precision.
    pub precision: usize,
    /// `-p`: listening port (kept for the server).
    pub port: i64,
    /// Command-line options as q keeps them (`.z.x` and `\` options).
    pub options: Vec<(String, String)>,
    /// The command line after the program name as given (`.z.x`), the whole of it with the
    /// program name (`.z.X`), and the script it named (`.z.f`).
    pub options_raw: Vec<String>,
    pub command_line: Vec<String>,
    pub script: String,
    /// Stack bytes an evaluation may use before `'stack` (the thread's own stack limits it too).
    pub stack_budget: usize,
    /// Session values the system commands only keep and report: `\o` (hours from UTC, null
    /// for the system's), `\s` (secondary threads), `\z` (date order), `\e` (error trap).
    pub session: super::system::SessionValues,
}

/// The statements of one source text, shared by every evaluation of it.
type Parsed = std::sync::Arc<Vec<crate::q::lang::ast::Node>>;

pub struct Engine {
    /// Symbols hash as machine words (SipHash costs more than the rest of a lookup).
    globals: RwLock<HashMap<Sym, K, SymHash>>,
    /// Changes to `globals` so far (sets and removals), for what evaluations remember of them
    /// (`eval::known`).
    globals_version: std::sync::atomic::AtomicU64,
    /// Every namespace a global has been set in (`.a` and `.a.b` for `.a.b.c`), never removed:
    /// a dotted name that is neither a global nor one of these is not a namespace either, known
    /// without a look at every global.
    namespaces_seen: RwLock<std::collections::HashSet<Sym, SymHash>>,
    /// Parsed statements by source text, so repeated `k(0,"...")` calls parse once.
    parsed: Mutex<HashMap<Box<[u8]>, Parsed>>,
    pub settings: Mutex<Settings>,
    /// Text printed by `show`, `0N!`, `-1` and `1` during an evaluation, kept for the caller
    /// (`take_output`) unless it goes straight out.
    output: Mutex<Vec<u8>>,
    /// Whether printed text goes straight to standard output (the process's engine: the C
    /// API's and the console's) instead of being kept (an engine a test or a harness runs).
    pub direct_output: std::sync::atomic::AtomicBool,
    /// Interrupts so far (`interrupt`): every call running when it changes stops with
    /// `'stop`, and nothing needs resetting (`eval::call`). Leaked (8 bytes an engine) so that
    /// long primitives reach it through a thread-local, without a reference to the engine
    /// (`eval::stop`).
    interrupts: &'static std::sync::atomic::AtomicU64,
    /// Whether `exit` ends the process (the console) or signals (an embedded host or a test).
    pub exit_allowed: std::sync::atomic::AtomicBool,
    /// Views' values computed since the last change to a global (`views.rs`).
    pub view_cache: crate::q::keywords::views::Cache,
    /// The debugger errors in functions suspend into (the console's; none elsewhere).
    suspender: Mutex<Option<std::sync::Arc<dyn crate::q::eval::debug::Suspender>>>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

static GLOBAL: OnceLock<Engine> = OnceLock::new();

/// A namespace prefix for a name written in namespace `ns` (`.ns.name`), or the name itself.
pub fn qualify(name: Sym, ns: Sym) -> Sym {
    if ns.is_empty() || name.as_bytes().first() == Some(&b'.') {
        return name;
    }
    // Functions in a namespace qualify the same few names again and again: each pair is
    // interned once per thread.
    thread_local! {
        static QUALIFIED: std::cell::RefCell<HashMap<(Sym, Sym), Sym, SymHash>> = Default::default();
    }
    QUALIFIED.with(|q| {
        *q.borrow_mut().entry((name, ns)).or_insert_with(|| {
            let mut v = ns.as_bytes().to_vec();
            v.push(b'.');
            v.extend_from_slice(name.as_bytes());
            Sym::new(v)
        })
    })
}

impl Engine {
    pub fn new() -> Engine {
        // Keywords the evaluator implements print as q shows them (`deltas` is `-':`).
        crate::q::fmt::set_primitive_namer(crate::q::eval::shown::shown);
        Engine {
            globals: RwLock::new(HashMap::default()),
            globals_version: std::sync::atomic::AtomicU64::new(0),
            namespaces_seen: RwLock::new(Default::default()),
            parsed: Mutex::new(HashMap::new()),
            settings: Mutex::new(Settings {
                ns: Sym::empty(),
                console: (25, 80),
                precision: 7,
                port: 0,
                options: Vec::new(),
                options_raw: Vec::new(),
                command_line: Vec::new(),
                script: String::new(),
                stack_budget: 1 << 30,
                session: Default::default(),
            }),
            output: Mutex::new(Vec::new()),
            direct_output: std::sync::atomic::AtomicBool::new(false),
            exit_allowed: std::sync::atomic::AtomicBool::new(false),
            interrupts: Box::leak(Box::new(std::sync::atomic::AtomicU64::new(0))),
            view_cache: Default::default(),
            suspender: Mutex::new(None),
        }
    }

    /// The debugger evaluations suspend into, if any.
    pub fn suspender(&self) -> Option<std::sync::Arc<dyn crate::q::eval::debug::Suspender>> {
        self.suspender.lock().clone()
    }

    /// Installs (or with None removes) the debugger.
    pub fn set_suspender(&self, s: Option<std::sync::Arc<dyn crate::q::eval::debug::Suspender>>) {
        *self.suspender.lock() = s;
    }

    /// The name of a global holding this very object (for error locations), if any.
    pub fn name_of(&self, v: &K) -> Option<Sym> {
        let g = self.globals.read();
        let mut names: Vec<Sym> = g
            .iter()
            .filter(|(_, x)| x.as_ptr() == v.as_ptr())
            .map(|(k, _)| *k)
            .collect();
        names.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        names.into_iter().next()
    }

    /// The process-wide engine behind the C API. What it prints goes out as it is printed,
    /// as at kdb+'s console, and nothing of it is kept.
    pub fn global() -> &'static Engine {
        GLOBAL.get_or_init(|| {
            let e = Engine::new();
            e.direct_output
                .store(true, std::sync::atomic::Ordering::Relaxed);
            e
        })
    }

    /// The process-wide engine if it was made already (one atomic load: fine in a signal
    /// handler, which must not make it).
    pub fn global_if_made() -> Option<&'static Engine> {
        GLOBAL.get()
    }

    // ---- globals -------------------------------------------------------------------------

    /// A global by full name, or a namespace assembled as a dictionary.
    pub fn get_global(&self, name: Sym) -> Option<K> {
        let g = self.globals.read();
        if let Some(v) = g.get(&name) {
            return Some(v.clone());
        }
        let n = name.as_bytes();
        if let Some(root) = n
            .strip_prefix(b"..")
            .filter(|r| !r.is_empty() && r[0] != b'.')
        {
            // `..a` names `a` in the root namespace from any namespace.
            return g.get(&Sym::new(root)).cloned();
        }
        if n == b"." {
            // The root namespace: its variables as a dictionary.
            let mut names: Vec<Sym> = g
                .keys()
                .filter(|k| k.as_bytes().first() != Some(&b'.'))
                .copied()
                .collect();
            names.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
            let vals: Vec<K> = names.iter().map(|k| g[k].clone()).collect();
            let mut keys = vec![Sym::empty()];
            keys.extend(names);
            let mut all = vec![K::identity()];
            all.extend(vals);
            return Some(K::dict(K::from_slice(KS, &keys), K::list(all)));
        }
        if n.first() == Some(&b'.') && self.namespaces_seen.read().contains(&name) {
            return self.namespace_dict(&g, n);
        }
        None
    }

    fn namespace_dict(&self, g: &HashMap<Sym, K, SymHash>, prefix: &[u8]) -> Option<K> {
        let mut p = prefix.to_vec();
        if p != b"." {
            p.push(b'.');
        }
        let mut names: Vec<Sym> = Vec::new();
        for k in g.keys() {
            let b = k.as_bytes();
            if b.len() > p.len() && b.starts_with(&p) {
                let rest = &b[p.len()..];
                let first = rest.split(|c| *c == b'.').next().unwrap_or(rest);
                let s = Sym::new(first);
                if !names.contains(&s) {
                    names.push(s);
                }
            }
        }
        if names.is_empty() {
            return None;
        }
        names.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        let mut keys = vec![Sym::empty()];
        let mut vals = vec![K::identity()];
        for s in names {
            let mut full = p.clone();
            full.extend_from_slice(s.as_bytes());
            let v = g
                .get(&Sym::new(&full))
                .cloned()
                .or_else(|| self.namespace_dict(g, &full));
            if let Some(v) = v {
                keys.push(s);
                vals.push(v);
            }
        }
        Some(K::dict(K::from_slice(KS, &keys), K::list(vals)))
    }

    /// Sets a global; `'noupdate` on a thread that evaluates read-only.
    pub fn set_global(&self, name: Sym, v: K) -> Result<()> {
        self.writable()?;
        // Enumerations over this name show its current symbols (or key, or rows).
        if matches!(v.t(), KS | XT | XD) {
            crate::q::keywords::enums::refresh(name, &v);
        }
        self.view_cache.invalidate(name);
        let mut g = self.globals.write();
        let new = g.insert(name, v).is_none();
        self.changed();
        if new && name.as_bytes().first() == Some(&b'.') {
            let b = name.as_bytes();
            let mut seen = self.namespaces_seen.write();
            for (i, _) in b.iter().enumerate().skip(1).filter(|(_, c)| **c == b'.') {
                seen.insert(Sym::new(&b[..i]));
            }
        }
        Ok(())
    }

    /// Whether this thread may change globals: not while it evaluates read-only, where kdb+
    /// signals `'noupdate`: a connection thread of multithreaded input mode and a reader of
    /// read-parallel mode (both hold the engine lock's shared side), peach's secondary threads
    /// (`engine_lock::with_read_only`). One check, `sys::engine_lock`'s; every global write
    /// comes through here.
    pub fn writable(&self) -> Result<()> {
        if crate::sys::engine_lock::read_only() {
            return Err(Error::new("noupdate"));
        }
        Ok(())
    }

    /// Removes a global and hands it back (for in-place updates); put it back with
    /// `set_global`.
    pub fn take_global(&self, name: Sym) -> Result<Option<K>> {
        self.writable()?;
        self.view_cache.invalidate(name);
        let mut g = self.globals.write();
        let v = g.remove(&name);
        self.changed();
        Ok(v)
    }

    /// Counts a change to the globals (made under their write lock).
    fn changed(&self) {
        self.globals_version
            .fetch_add(1, std::sync::atomic::Ordering::Release);
    }

    /// Changes to the globals so far: a value read after this was read, and remembered with
    /// it, is current while it has not changed.
    #[inline]
    pub fn globals_version(&self) -> u64 {
        self.globals_version
            .load(std::sync::atomic::Ordering::Acquire)
    }

    /// Whether `name` (`.foo`, `.foo.bar`) is a namespace some global lives in.
    pub fn namespaces_contain(&self, name: Sym) -> bool {
        self.namespaces_seen.read().contains(&name)
    }

    /// The session's namespaces under the root (`foo` for `.foo.x`).
    pub fn namespaces(&self) -> Vec<Sym> {
        let g = self.globals.read();
        let mut out: Vec<Sym> = Vec::new();
        for k in g.keys() {
            let b = k.as_bytes();
            if b.first() == Some(&b'.') {
                if let Some(name) = b[1..].split(|c| *c == b'.').next() {
                    let s = Sym::new(name);
                    if !out.contains(&s) {
                        out.push(s);
                    }
                }
            }
        }
        out.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        out
    }

    /// Names defined directly in namespace `ns` (empty: the root), sorted.
    pub fn names_in(&self, ns: &[u8]) -> Vec<Sym> {
        let g = self.globals.read();
        let mut out: Vec<Sym> = g
            .keys()
            .filter(|k| {
                let b = k.as_bytes();
                if ns.is_empty() {
                    b.first() != Some(&b'.')
                } else {
                    b.len() > ns.len() + 1
                        && b.starts_with(ns)
                        && b[ns.len()] == b'.'
                        && !b[ns.len() + 1..].contains(&b'.')
                }
            })
            .map(|k| {
                if ns.is_empty() {
                    *k
                } else {
                    Sym::new(&k.as_bytes()[ns.len() + 1..])
                }
            })
            .collect();
        out.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        out
    }

    // ---- evaluation ----------------------------------------------------------------------

    /// The parsed statements of `src`, from the cache when it was seen before.
    pub fn parse_cached(
        &self,
        src: &[u8],
    ) -> std::result::Result<
        std::sync::Arc<Vec<crate::q::lang::ast::Node>>,
        crate::q::lang::parse::Located,
    > {
        if let Some(p) = self.parsed.lock().get(src) {
            return Ok(p.clone());
        }
        let p = std::sync::Arc::new(crate::q::lang::parse::parse_located(src)?);
        let mut cache = self.parsed.lock();
        // A bounded cache: forget everything when it fills (queries repeat; one-offs do not).
        if cache.len() >= 4096 {
            cache.clear();
        }
        cache.insert(src.into(), p.clone());
        Ok(p)
    }

    /// Evaluates q source text; the value of its last statement.
    pub fn eval_str(&self, src: &str) -> Result<K> {
        self.eval_source(src.as_bytes())
    }

    /// Evaluates q source as bytes (a q string: what is not UTF-8 stays as it is).
    pub fn eval_source(&self, src: &[u8]) -> Result<K> {
        let mut cx = Ctx::new(self);
        cx.run(src).map(|(v, _)| v)
    }

    /// Applies a function (or indexes a value) with arguments.
    pub fn apply(&self, f: K, args: Vec<K>) -> Result<K> {
        let mut cx = Ctx::new(self);
        cx.apply(f, args)
    }

    /// Evaluates one console entry: the text q would print (None when it prints nothing).
    pub fn console_eval(&self, src: &str) -> Result<Option<String>> {
        let mut cx = Ctx::new(self);
        let (v, show) = cx.run(src.as_bytes())?;
        if !show || crate::q::eval::verbs::is_identity(&v) {
            return Ok(None);
        }
        Ok(Some(self.render(&v)))
    }

    /// The console text of a value.
    pub fn render(&self, v: &K) -> String {
        // A splayed or partitioned table's placeholder shows as its rows, as kdb+'s console
        // shows it (`.Q.s1` and `-3!` show the placeholder itself).
        if crate::q::disk::partition::is_partitioned(v) {
            let cx = Ctx::new(self);
            // One whose data cannot be read shows as the placeholder.
            if let Ok(t) = crate::q::disk::partition::materialize_all(&cx, v) {
                return crate::q::fmt::console(&t, &self.fmt_options());
            }
        }
        crate::q::fmt::console(v, &self.fmt_options())
    }

    /// `\c` and `\P` as the formatter takes them.
    pub fn fmt_options(&self) -> crate::q::fmt::Options {
        let s = self.settings.lock();
        crate::q::fmt::Options {
            height: s.console.0,
            width: s.console.1,
            precision: s.precision,
        }
    }

    /// Prints a line as part of the current evaluation's output (`show`, `0N!`, `-1`).
    pub fn emit(&self, text: &[u8]) {
        if self.direct() {
            return crate::sys::stdio::write_parts(crate::sys::stdio::Stream::Out, &[text, b"\n"]);
        }
        let mut o = self.output.lock();
        o.extend_from_slice(text);
        o.push(b'\n');
    }

    /// Prints text without a newline (`1 "text"`).
    pub fn emit_raw(&self, text: &[u8]) {
        if self.direct() {
            return crate::sys::stdio::write(crate::sys::stdio::Stream::Out, text);
        }
        self.output.lock().extend_from_slice(text);
    }

    fn direct(&self) -> bool {
        self.direct_output
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Takes what `show` and friends printed since the last call (nothing when printed text
    /// goes straight out).
    pub fn take_output(&self) -> String {
        String::from_utf8_lossy(&std::mem::take(&mut *self.output.lock())).into_owned()
    }

    /// Stops every running evaluation at its next step with `'stop` (a call started later
    /// runs). One atomic add: safe in a signal handler.
    pub fn interrupt(&self) {
        self.interrupts
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// From now on SIGINT (Ctrl-C) interrupts the process's engine (`interrupt`) while it is
    /// busy (`sys::signals`); `when_idle` says what it does otherwise.
    pub fn catch_interrupts(when_idle: crate::sys::signals::WhenIdle) -> bool {
        crate::sys::signals::install_interrupt(
            crate::sys::signals::InterruptHooks {
                busy: crate::sys::engine_lock::busy,
                interrupt: || {
                    if let Some(e) = Engine::global_if_made() {
                        e.interrupt()
                    }
                },
            },
            when_idle,
        )
    }

    /// How many interrupts so far (`eval::call` compares it with a call's start).
    #[inline]
    pub fn interrupt_count(&self) -> u64 {
        self.interrupts.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The interrupt count itself, for evaluations' long primitives (`eval::stop`).
    pub fn interrupts(&self) -> &'static std::sync::atomic::AtomicU64 {
        self.interrupts
    }

    /// `exit n`.
    pub fn exit(&self, code: i32) -> Result<K> {
        if self.exit_allowed.load(std::sync::atomic::Ordering::Relaxed) {
            use std::io::Write;
            let _ = std::io::stdout().flush();
            // Async messages held for the end of a batch were sent before the exit.
            crate::net::server::held::release();
            std::process::exit(code);
        }
        Err(Error::new("exit"))
    }

    /// Runs a script's text (as `\l` does): blocks of lines separated the way q reads them.
    pub fn run_script(&self, text: &str) -> Result<K> {
        self.run_script_from(text.as_bytes(), None)
    }
}
