//! Runs the kdb+ documentation examples (`corpus/kxdocs/cases_ref_basics.jsonl`) page by page
//! on a fresh engine and compares what the console prints. Cases whose output depends on the
//! machine (random numbers, sockets, threads) are not run; clock, timing and memory cases
//! run and compare in shape (any number for a number); system commands run when they only read
//! or set the session (`\P 3`, `\d .ns`, `\c 5 5`, `\ts`, ...) or load and change directories
//! (`\l`, `\cd`). Pages that use files run in a fresh directory of their own (absolute `/tmp/`
//! paths in their inputs are taken inside it). Errors inside functions suspend into the
//! engine's debugger, which takes the cases the page shows at its `q))` prompt.
//!
//! `tests/conformance/pass.txt` lists the cases that pass; a listed case that fails is a
//! regression and fails this test. `LIBQ_UPDATE_PASS=1` rewrites the list;
//! `LIBQ_CONF_VERBOSE=1` prints every failing case; `LIBQ_CONF_PAGE=substring` runs only the
//! matching pages. A block the page shows running in a fresh session (`FRESH_SESSION_BLOCKS`,
//! each with its evidence) starts a new engine.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use q::q::{console, Engine};

#[derive(Clone, Debug, Default)]
struct Case {
    id: String,
    source: String,
    prompt: String,
    input: String,
    expected: String,
    expect_error: bool,
    error: String,
    tags: Vec<String>,
}

// ---- a small JSON reader, enough for the corpus's flat records -------------------------------

enum Json {
    Str(String),
    Bool(bool),
    Null,
    Num,
    /// An array; only its strings are kept (the records' arrays are lists of tags).
    Arr(Vec<String>),
}

fn parse_record(line: &str) -> Option<BTreeMap<String, Json>> {
    let b = line.as_bytes();
    let mut i = 0;
    let mut out = BTreeMap::new();
    let ws = |i: &mut usize| {
        while *i < b.len() && (b[*i] as char).is_whitespace() {
            *i += 1;
        }
    };
    ws(&mut i);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    loop {
        ws(&mut i);
        if b.get(i) == Some(&b'}') {
            break;
        }
        let key = string(b, &mut i)?;
        ws(&mut i);
        if b.get(i) != Some(&b':') {
            return None;
        }
        i += 1;
        ws(&mut i);
        let v = value(b, &mut i)?;
        out.insert(key, v);
        ws(&mut i);
        match b.get(i) {
            Some(b',') => i += 1,
            Some(b'}') => break,
            _ => return None,
        }
    }
    Some(out)
}

fn value(b: &[u8], i: &mut usize) -> Option<Json> {
    match b.get(*i)? {
        b'"' => Some(Json::Str(string(b, i)?)),
        b't' => {
            *i += 4;
            Some(Json::Bool(true))
        }
        b'f' => {
            *i += 5;
            Some(Json::Bool(false))
        }
        b'n' => {
            *i += 4;
            Some(Json::Null)
        }
        b'[' => {
            let mut depth = 0;
            let mut strings = Vec::new();
            loop {
                match b.get(*i)? {
                    b'[' => depth += 1,
                    b']' => {
                        depth -= 1;
                        if depth == 0 {
                            *i += 1;
                            return Some(Json::Arr(strings));
                        }
                    }
                    b'"' => {
                        strings.push(string(b, i)?);
                        continue;
                    }
                    _ => {}
                }
                *i += 1;
            }
        }
        _ => {
            while *i < b.len() && (b[*i].is_ascii_digit() || b"-+.eE".contains(&b[*i])) {
                *i += 1;
            }
            Some(Json::Num)
        }
    }
}

fn string(b: &[u8], i: &mut usize) -> Option<String> {
    if b.get(*i) != Some(&b'"') {
        return None;
    }
    *i += 1;
    let mut out: Vec<u8> = Vec::new();
    while *i < b.len() {
        let c = b[*i];
        *i += 1;
        match c {
            b'"' => return String::from_utf8(out).ok(),
            b'\\' => {
                let e = *b.get(*i)?;
                *i += 1;
                match e {
                    b'n' => out.push(b'\n'),
                    b't' => out.push(b'\t'),
                    b'r' => out.push(b'\r'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'u' => {
                        let hex = std::str::from_utf8(b.get(*i..*i + 4)?).ok()?;
                        *i += 4;
                        let mut cp = u32::from_str_radix(hex, 16).ok()?;
                        if (0xD800..0xDC00).contains(&cp) && b.get(*i) == Some(&b'\\') {
                            let lo = u32::from_str_radix(
                                std::str::from_utf8(b.get(*i + 2..*i + 6)?).ok()?,
                                16,
                            )
                            .ok()?;
                            *i += 6;
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        }
                        let ch = char::from_u32(cp).unwrap_or('?');
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                    }
                    other => out.push(other),
                }
            }
            _ => out.push(c),
        }
    }
    None
}

fn load(path: &PathBuf) -> Vec<Case> {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let r = parse_record(line).unwrap_or_else(|| panic!("bad record: {line}"));
        let s = |k: &str| match r.get(k) {
            Some(Json::Str(s)) => s.clone(),
            _ => String::new(),
        };
        out.push(Case {
            id: s("id"),
            source: s("source"),
            prompt: s("prompt"),
            // Some pages carry a no-break space where the session had a space (an artefact of
            // the docs' markup, not q input).
            input: s("input").replace('\u{a0}', " "),
            expected: s("expected").replace('\u{a0}', " "),
            expect_error: matches!(r.get("expect_error"), Some(Json::Bool(true))),
            error: s("error"),
            tags: match r.get("tags") {
                Some(Json::Arr(tags)) => tags.clone(),
                _ => Vec::new(),
            },
        });
    }
    out
}

fn corpus_dir() -> PathBuf {
    if let Ok(p) = std::env::var("LIBQ_SHARED") {
        return PathBuf::from(p).join("corpus/kxdocs");
    }
    let beside = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if beside.join("corpus/kxdocs").exists() {
        return beside.join("corpus/kxdocs");
    }
    PathBuf::from("/work/shared/corpus/kxdocs")
}

// ---- running ---------------------------------------------------------------------------------

/// What happened to one case.
enum Outcome {
    Pass,
    Fail(String),
}

/// Cases whose shown output describes the machine KX's documentation was written on; each
/// counts only where this host matches it, so CI's environment cannot fail them.
const HOST_DEPENDENT: &[HostDependent] = &[HostDependent {
    case: "docs/ref/getenv.md#b1.1",
    host_matches: || std::env::var("SHELL").as_deref() == Ok("/bin/bash"),
}];

struct HostDependent {
    case: &'static str,
    host_matches: fn() -> bool,
}

/// Tags (from the corpus's tagger) of cases that are not run. Clock and timing cases run and
/// compare in shape (`judge`).
const MACHINE_TAGS: &[&str] = &["random", "ipc", "peach"];

/// System commands that only read or set the session: precision, namespaces, console size,
/// variables, views, handlers, error trap, seed, threads, offset, timing and memory; and
/// `mkdir`, which makes a directory in the page's own.
const SESSION_COMMANDS: &[&str] = &[
    "P", "d", "a", "b", "B", "c", "f", "v", "x", "z", "e", "o", "S", "s", "t", "ts", "w", "l",
    "cd", "mkdir",
];

/// Scripts the pages load that kdb+ ships (`\l sp.q`): the harness runs its own copy, made
/// from the tables as the pages print them. Loading one is setup, not a case.
const SCRIPTS: &[(&str, &str)] = &[("sp.q", include_str!("conformance/sp.q"))];

/// The text of the shipped script a case loads, if it loads one.
fn shipped_script(c: &Case) -> Option<&'static str> {
    let cmd = c.input.split(" /").next()?.trim();
    let name = cmd.strip_prefix("\\l ")?.trim();
    SCRIPTS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// A fresh working directory for a page that uses files; the previous one comes back and
/// the directory goes when it is dropped.
struct PageDir {
    dir: PathBuf,
    before: PathBuf,
}

impl PageDir {
    fn enter(n: usize) -> PageDir {
        let dir = std::env::temp_dir().join(format!("libq-conf-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("tmp")).expect("page directory");
        let before = std::env::current_dir().expect("current directory");
        std::env::set_current_dir(&dir).expect("entering the page directory");
        PageDir { dir, before }
    }
}

impl Drop for PageDir {
    fn drop(&mut self) {
        let _ = std::env::set_current_dir(&self.before);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Whether the case runs: nothing machine-dependent, and every system command it gives (as
/// `\cmd` or `system"cmd"`) is a session command.
fn runs_here(c: &Case) -> bool {
    if shipped_script(c).is_some() {
        return true;
    }
    if sets_handler(c) {
        return true;
    }
    if c.tags.iter().any(|t| MACHINE_TAGS.contains(&t.as_str())) || host_differs(&c.id) {
        return false;
    }
    // A timing the page shows taking 100 ms or more in kdb+ runs far longer in a debug build
    // on a busy machine: whether it finishes before the harness gives up would decide it.
    if c.tags.iter().any(|t| t == "timing_or_memory")
        && c.input.trim_start().starts_with("\\t")
        && c.expected
            .split_whitespace()
            .next()
            .and_then(|ms| ms.parse::<u64>().ok())
            .is_some_and(|ms| ms >= 100)
    {
        return false;
    }
    // Setup from the clock that also draws random symbols (`n?`2`, which the tagger did not
    // mark random) builds tables no later case can be checked against.
    if describes_machine(c) && c.expected.is_empty() && c.input.contains("?`") {
        return false;
    }
    if !c.tags.iter().any(|t| t == "system_cmd") {
        return true;
    }
    let text = c.input.trim_start();
    let mut commands: Vec<&str> = text.strip_prefix('\\').into_iter().collect();
    commands.extend(
        text.split("system")
            .skip(1)
            .map(|rest| rest.trim_start().trim_start_matches('"')),
    );
    !commands.is_empty()
        && commands.iter().all(|cmd| {
            let word = cmd
                .split(|ch: char| !ch.is_ascii_alphanumeric())
                .next()
                .unwrap_or("");
            SESSION_COMMANDS.contains(&word)
        })
}

/// Whether the case only sets a message handler (`.z.ps:{...}`): the tagger marks those `ipc`,
/// but setting one touches nothing outside the session, and later cases (`0 "2+2"`) use it.
fn sets_handler(c: &Case) -> bool {
    let Some(rest) = c.input.trim().strip_prefix(".z.") else {
        return false;
    };
    let name: String = rest
        .chars()
        .take_while(|ch| ch.is_ascii_alphabetic())
        .collect();
    c.expected.is_empty()
        && !c.tags.iter().any(|t| t == "random" || t == "peach")
        && rest[name.len()..].starts_with(":{")
        && !c.input.contains("hopen")
}

/// Blocks the page shows starting from a fresh q session: what the block prints cannot come
/// from the page's earlier blocks run in the same session, so the harness gives the block (and
/// the blocks after it) a new engine. Each entry says what shows it.
const FRESH_SESSION_BLOCKS: &[FreshBlock] = &[FreshBlock {
    // Block 3's first `\B` lists only `a`: block 2's view `b::x+1` would be pending too in
    // the same session (x is undefined until block 3 sets it).
    page: "docs/basics/syscmds.md",
    block: "3",
}];

struct FreshBlock {
    page: &'static str,
    block: &'static str,
}

/// Whether the page started case `c`'s block in a fresh session.
fn starts_fresh_session(c: &Case) -> bool {
    FRESH_SESSION_BLOCKS
        .iter()
        .any(|f| f.page == c.source && f.block == block_of(&c.id))
}

/// The block of a case id (`docs/ref/x.md#b3.2` -> "3").
fn block_of(id: &str) -> &str {
    id.rsplit_once("#b")
        .and_then(|(_, b)| b.split('.').next())
        .unwrap_or("")
}

fn host_differs(id: &str) -> bool {
    HOST_DEPENDENT
        .iter()
        .any(|h| h.case == id && !(h.host_matches)())
}

fn trim_lines(s: &str) -> String {
    let lines: Vec<&str> = s.lines().map(|l| l.trim_end()).collect();
    let mut v = lines;
    while v.last().is_some_and(|l| l.is_empty()) {
        v.pop();
    }
    v.join("\n")
}

/// The text a case printed (its values, then its error as `'name` and the location lines).
fn printed(r: &Result<String, q::obj::Error>) -> String {
    match r {
        Ok(out) => out.clone(),
        Err(e) => format!("{e}"),
    }
}

/// Whether what a case printed is what the page shows. An error is its first line; the
/// location lines after it are not compared. Cases whose values describe the machine (clock,
/// timings, memory) compare in shape: each run of digits stands for any number.
fn judge(c: &Case, out: &str) -> Outcome {
    let shape = |s: &str| -> String {
        if !describes_machine(c) {
            return trim_lines(s);
        }
        let mut o = String::new();
        let mut digits = false;
        for ch in trim_lines(s).chars() {
            if ch.is_ascii_digit() {
                if !digits {
                    o.push('9');
                }
                digits = true;
            } else {
                digits = false;
                o.push(ch);
            }
        }
        o
    };
    let error = out
        .strip_prefix('\'')
        .map(|rest| rest.lines().next().unwrap_or(""));
    if c.expect_error {
        // The whole message (kdb+'s can have spaces), without a doc comment after it.
        let want = c.error.trim().trim_start_matches('\'');
        let want = want.split(" / ").next().unwrap_or("").trim_end();
        return match error {
            Some(e) if e == want => Outcome::Pass,
            Some(e) => Outcome::Fail(format!("error '{e} (want '{want})")),
            None => Outcome::Fail(format!("no error (want '{want}), printed:\n{out}")),
        };
    }
    match error {
        Some(_) if !c.expected.starts_with('\'') => Outcome::Fail(format!("error {out}")),
        _ if shape(out) == shape(&c.expected) => Outcome::Pass,
        _ if shape(out) == shape(&without_comments(&c.expected)) => Outcome::Pass,
        _ if c.expected.is_empty() => Outcome::Pass,
        _ => Outcome::Fail(format!("printed:\n{out}")),
    }
}

/// The shown output without the notes the pages write beside it (`1 2 3      / same as`):
/// a `/` after two spaces, outside quotes, starts a note running to the end of the line.
fn without_comments(expected: &str) -> String {
    let strip = |line: &str| -> String {
        let b = line.as_bytes();
        let mut quoted = false;
        for (i, &ch) in b.iter().enumerate() {
            match ch {
                b'"' if i == 0 || b[i - 1] != b'\\' => quoted = !quoted,
                b'/' if !quoted && i >= 2 && b[i - 1] == b' ' && b[i - 2] == b' ' => {
                    return line[..i].trim_end().to_string();
                }
                _ => {}
            }
        }
        line.to_string()
    };
    expected.lines().map(strip).collect::<Vec<_>>().join("\n")
}

fn describes_machine(c: &Case) -> bool {
    c.tags
        .iter()
        .any(|t| t == "clock_or_env" || t == "timing_or_memory")
}

fn run_case(eng: &Engine, c: &Case) -> Result<String, q::obj::Error> {
    if let Some(text) = shipped_script(c) {
        eng.run_script(text)?;
        return Ok(String::new());
    }
    // The k) prompt shows input read as k; the console takes that prefix for one line.
    let input = if c.prompt == "k)" {
        format!("k){}", c.input)
    } else {
        c.input.clone()
    };
    console::entry(eng, &input)
}

/// A page being run, shared by the loop over its cases and the debugger, which takes the
/// cases shown at its `q))` prompt (their input starts with one `)` per level).
struct Page {
    cases: Vec<Case>,
    /// The next case not yet started.
    next: usize,
    /// The case whose output is being written, and that output.
    current: Option<(usize, String)>,
    tx: mpsc::Sender<(usize, Outcome)>,
}

impl Page {
    /// Judges the current case on what it printed.
    fn finish_current(&mut self) {
        if let Some((k, out)) = self.current.take() {
            let o = judge(&self.cases[k], &out);
            let _ = self.tx.send((k, o));
        }
    }
}

/// The debugger's input and output in this harness: the page's next cases while they are
/// at its level, and the current case's output.
struct PageIo(Arc<parking_lot::Mutex<Page>>);

impl q::q::session::debugger::DebugIo for PageIo {
    fn read(&self, _eng: &Engine, prompt: &str) -> Option<String> {
        let depth = prompt.chars().rev().take_while(|c| *c == ')').count() - 1;
        let mut p = self.0.lock();
        p.finish_current();
        let k = p.next;
        let c = p.cases.get(k)?;
        // The pages go on with a suspended session across blocks; a case without the
        // prompt's parentheses is back at a shallower level.
        let parens = c.input.chars().take_while(|ch| *ch == ')').count();
        if parens < depth {
            return None;
        }
        let input = c.input[depth..].to_string();
        p.next += 1;
        p.current = Some((k, String::new()));
        Some(input)
    }

    fn print(&self, text: &str) {
        if let Some((_, out)) = self.0.lock().current.as_mut() {
            out.push_str(text);
        }
    }
}

/// Runs one page on its own thread; results arrive case by case, so a page that panics or
/// runs away loses only the cases it had not finished.
fn run_page(cases: Vec<Case>, timeout: Duration) -> Vec<(Case, Outcome)> {
    let (tx, rx) = mpsc::channel::<(usize, Outcome)>();
    let eng = Arc::new(Engine::new());
    eng.settings.lock().stack_budget = 48 << 20;
    let page = Arc::new(parking_lot::Mutex::new(Page {
        cases: cases.clone(),
        next: 0,
        current: None,
        tx,
    }));
    eng.set_suspender(Some(Arc::new(q::q::session::debugger::Debugger::new(
        PageIo(page.clone()),
    ))));
    let e2 = eng.clone();
    let handle = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let (precision, console, ns) = {
                let s = e2.settings.lock();
                (s.precision, s.console, s.ns)
            };
            let mut previous: Option<String> = None;
            loop {
                let c = {
                    let mut p = page.lock();
                    let k = p.next;
                    let Some(c) = p.cases.get(k).cloned() else {
                        return;
                    };
                    p.next += 1;
                    p.current = Some((k, String::new()));
                    (k, c)
                };
                let (k, c) = c;
                // Display settings and the namespace a block changes (\P, \c, \d) are that
                // example's: the pages show later blocks with the defaults again.
                if previous.as_deref().is_some_and(|b| b != block_of(&c.id)) {
                    let mut s = e2.settings.lock();
                    (s.precision, s.console, s.ns) = (precision, console, ns);
                    drop(s);
                    // So are the handlers it sets (.z.pi, .z.vs, ...).
                    for h in e2.names_in(b".z") {
                        let _ = e2.take_global(q::obj::Sym::new(format!(".z.{}", h.as_str())));
                    }
                }
                previous = Some(block_of(&c.id).to_string());
                let r = catch_unwind(AssertUnwindSafe(|| run_case(&e2, &c)))
                    .unwrap_or_else(|_| Ok("panicked".into()));
                let mut p = page.lock();
                match p.current.take() {
                    // No debugger ran: judge the case on its result.
                    Some((j, _)) if j == k => {
                        let o = judge(&c, &printed(&r));
                        if p.tx.send((k, o)).is_err() {
                            return;
                        }
                    }
                    // The debugger took cases after this one: what the entry printed once
                    // the debugger returned belongs to the last of them.
                    Some((j, mut out)) => {
                        out.push_str(&printed(&r));
                        p.current = Some((j, out));
                        p.finish_current();
                    }
                    None => {}
                }
            }
        });
    let mut got: Vec<Option<Outcome>> = cases.iter().map(|_| None).collect();
    // Interrupts sent to the case now running without an answer yet.
    let mut interrupted = 0;
    let pending = |got: &[Option<Outcome>]| got.iter().position(Option::is_none);
    while let Some(missing) = pending(&got) {
        // Timing cases (`\t:100 ...`) run long by design: they get longer before an interrupt.
        let wait = if interrupted == 0 && cases.get(missing).is_some_and(describes_machine) {
            timeout * 8
        } else {
            timeout
        };
        match rx.recv_timeout(wait) {
            Ok((k, o)) => {
                got[k] = Some(o);
                interrupted = 0;
            }
            // A runaway case (some documented examples never return, and long primitives
            // like ref/file-text.md's 0: of ten million lines outlast the timeout under
            // load): stop it with 'stop, as Ctrl-C would, and go on with the page. A long
            // primitive stops at its next chunk (eval::stop); the interrupt is sent again
            // each timeout, in case one came before the case's evaluation began, until the
            // case has had 15 timeouts to answer.
            Err(mpsc::RecvTimeoutError::Timeout) if interrupted < 15 => {
                if interrupted == 0 && std::env::var("LIBQ_CONF_VERBOSE").is_ok() {
                    println!(
                        "interrupting {}",
                        cases.get(missing).map_or("", |c| c.id.as_str())
                    );
                }
                eng.interrupt();
                interrupted += 1;
            }
            Err(_) => {
                println!(
                    "page stopped: {}",
                    cases.first().map_or("", |c| c.source.as_str())
                );
                break;
            }
        }
    }
    if let Ok(h) = handle {
        if pending(&got).is_none() {
            let _ = h.join();
        }
    }
    cases
        .into_iter()
        .zip(got)
        .map(|(c, o)| {
            (
                c,
                o.unwrap_or_else(|| Outcome::Fail("not run (page stopped)".into())),
            )
        })
        .collect()
}

#[test]
fn conformance_kxdocs() {
    // Panics inside a case are counted as failures; their messages would only be noise.
    if std::env::var("LIBQ_CONF_PANICS").is_err() {
        std::panic::set_hook(Box::new(|_| {}));
    }
    let dir = corpus_dir();
    let cases = load(&dir.join("cases_ref_basics.jsonl"));
    let filter = std::env::var("LIBQ_CONF_PAGE").ok();
    let verbose = std::env::var("LIBQ_CONF_VERBOSE").is_ok();
    let mut pages: Vec<(String, Vec<Case>)> = Vec::new();
    for c in cases {
        if filter.as_deref().is_some_and(|f| !c.source.contains(f)) || !runs_here(&c) {
            continue;
        }
        // A block the page ran in a fresh session begins a new run of the page.
        let fresh = starts_fresh_session(&c)
            && pages
                .last()
                .and_then(|(_, v)| v.last())
                .is_some_and(|p| p.source == c.source && block_of(&p.id) != block_of(&c.id));
        match pages.last_mut() {
            Some((s, v)) if *s == c.source && !fresh => v.push(c),
            _ => pages.push((c.source.clone(), vec![c])),
        }
    }
    let mut passing = BTreeSet::new();
    let mut shown = 0;
    let mut fail_by_page: BTreeMap<String, usize> = BTreeMap::new();
    for (n, (page, mut cases)) in pages.into_iter().enumerate() {
        let files = cases
            .iter()
            .any(|c| c.tags.iter().any(|t| t == "filesystem"));
        let _dir = files.then(|| PageDir::enter(n));
        if let Some(d) = &_dir {
            let tmp = format!("{}/tmp/", d.dir.display());
            for c in &mut cases {
                c.input = c
                    .input
                    .replace("`:/tmp/", &format!("`:{tmp}"))
                    .replace(" /tmp/", &format!(" {tmp}"));
            }
        }
        for (c, o) in run_page(cases, Duration::from_secs(4)) {
            let counted =
                (c.expect_error || !c.expected.is_empty()) && shipped_script(&c).is_none();
            if !counted {
                if let (true, Outcome::Fail(why)) = (verbose, &o) {
                    if why.starts_with("error") {
                        println!("SETUP {}\n  input: {}\n  got: {}", c.id, c.input, why);
                    }
                }
                continue;
            }
            shown += 1;
            match o {
                Outcome::Pass => {
                    passing.insert(c.id.clone());
                }
                Outcome::Fail(why) => {
                    *fail_by_page.entry(page.clone()).or_default() += 1;
                    if verbose {
                        println!(
                            "FAIL {}\n  input: {}\n  expected{}: {}\n  got: {}",
                            c.id,
                            c.input,
                            if c.expect_error { " error" } else { "" },
                            if c.expect_error {
                                &c.error
                            } else {
                                &c.expected
                            },
                            why
                        );
                    }
                }
            }
        }
    }
    // Panics inside cases were silenced; this test's own verdict must be seen.
    let _ = std::panic::take_hook();
    println!(
        "conformance: {} of {} cases with shown output pass",
        passing.len(),
        shown
    );
    let mut worst: Vec<(&String, &usize)> = fail_by_page.iter().collect();
    worst.sort_by(|a, b| b.1.cmp(a.1));
    for (p, n) in worst.iter().take(25) {
        println!("  {n:4} failing in {p}");
    }
    let list = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/pass.txt");
    if std::env::var("LIBQ_UPDATE_PASS").is_ok_and(|v| v == "1") {
        let text: String = passing.iter().map(|id| format!("{id}\n")).collect();
        std::fs::write(&list, text).expect("writing pass.txt");
        println!("rewrote {}", list.display());
        return;
    }
    let before: BTreeSet<String> = std::fs::read_to_string(&list)
        .unwrap_or_default()
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let fresh: Vec<&String> = passing.iter().filter(|id| !before.contains(*id)).collect();
    if !fresh.is_empty() {
        println!(
            "{} newly passing cases (run with LIBQ_UPDATE_PASS=1 to record them)",
            fresh.len()
        );
    }
    if filter.is_none() {
        let lost: Vec<&String> = before
            .iter()
            .filter(|id| !passing.contains(*id) && !host_differs(id))
            .collect();
        assert!(lost.is_empty(), "{} regressions: {:?}", lost.len(), lost);
    }
}
