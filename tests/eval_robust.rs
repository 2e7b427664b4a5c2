//! Hostile q input never takes the host down: random expressions from a grammar of q (literals
//! of every type, dicts, tables, lambdas, projections, iterators, every glyph and keyword,
//! indexing, amends, pattern assignment, qSQL, casts, conditionals, deep nesting) each give a
//! value or a q error. A panic (reported through the panic hook: errors raised on purpose by
//! unwinding do not run it), a primitive that ignores the interrupt, or a dead test process is a
//! bug in the engine.
//!
//! `LIBQ_ROBUST_N` sets how many expressions (default a few seconds' worth), `LIBQ_ROBUST_SEED`
//! the first seed, `LIBQ_ROBUST_TRACE=1` prints each expression before it runs (to find the one
//! that killed the process). Literals like `0Wi` are left out: `where 0Wi` is honest work of
//! 16 GB, not a bug; long runs under `ulimit -v` test that refused memory is 'wsfull.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use q::q::{console, Engine};

/// splitmix64: small, seedable, good enough to pick grammar productions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.below(v.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const ATOMS: &[&str] = &[
    "0b",
    "1b",
    "0x00",
    "0xff",
    "7h",
    "0Nh",
    "0Wh",
    "-0Wh",
    "3i",
    "0Ni",
    "-0Wi",
    "0",
    "1",
    "2",
    "-1",
    "5",
    "42",
    "0N",
    "0W",
    "-0W",
    "1000000",
    "1.5e",
    "0Ne",
    "0We",
    "1.5",
    "-2.25",
    "0n",
    "0w",
    "-0w",
    "0.0",
    "-0.0",
    "1e300",
    "\"a\"",
    "\" \"",
    "`a",
    "`b",
    "`",
    "`abc",
    "0Ng",
    "2000.01.01D01:02:03.000000001",
    "0Np",
    "0Wp",
    "2000.01m",
    "0Nm",
    "2001.02.03",
    "0Nd",
    "0Wd",
    "2000.01.01T01:02:03.004",
    "0Nz",
    "0D01:02:03.000000004",
    "0Nn",
    "01:02",
    "0Nu",
    "01:02:03",
    "0Nv",
    "01:02:03.456",
    "0Nt",
    "0Wt",
    "::",
    "x",
    "y",
    "z",
    "a",
    "b",
    "t",
    "k",
    "d",
    "f",
];

const VECTORS: &[&str] = &[
    "1 2 3",
    "3 1 2 1",
    "0 1 0N",
    "0N 0W -0W",
    "1.5 0n 2",
    "0w -0w 0n",
    "101b",
    "0x0102",
    "1 2 3h",
    "1 0N 3i",
    "1 2e",
    "\"abc\"",
    "\"\"",
    "`a`b`c",
    "`b`a`b",
    "`$()",
    "()",
    "0#0",
    "0#0.",
    "0#`",
    "0#0b",
    "0#\"\"",
    "enlist 1",
    "enlist`a",
    ",\"a\"",
    "2000.01.01 2000.01.02",
    "00:01 00:02",
    "1 2 3:00:00",
    "(1;`a;\"x\")",
    "(1 2;3 4)",
    "(1 2;3 4 5)",
    "((1;2);(3;(4;5)))",
    "(();())",
    "(\"ab\";\"cd\")",
    "(`a;1 2)",
    "til 5",
    "til 0",
    "10?10",
    "-5?`3",
    "3 3#til 9",
    "(0N;0n;` )",
    "(+;-)",
    "({x};1)",
    "`s#1 2 3",
    "`u#`a`b",
    "`g#1 1 2",
    "`p#1 1 2",
    "en",
    "`e$`c`a",
    "e?`a`z",
    "1#en",
    "0#en",
    "enlist 0Ng",
    "2?0Ng",
    "(en;1)",
    "-1 0 1f",
    "(enlist enlist 1;enlist())",
    "(`a`b!1 2;`a`b!3 4)",
    "((`a`b!1 2);`c`d!3 4)",
];

const DICTS: &[&str] = &[
    "`a`b!1 2",
    "`a`b!(1;`x)",
    "(`a`b!1 2)",
    "1 2!3 4",
    "(`$())!()",
    "(0#0)!0#0",
    "`a`a!1 2",
    "`x`y!(1 2;3 4)",
    "([]a:1 2;b:`x`y)",
    "([]a:();b:())",
    "([]a:1 2 3;b:1.5 0n 2;c:\"abc\")",
    "([k:1 2]v:3 4)",
    "([k:`a`b]v:(1 2;3))",
    "([]a:enlist 1)",
    "([a:1 2;b:3 4]c:5 6)",
    "flip`a`b!(1 2;`x`y)",
    "`a xkey([]a:1 1 2;b:3 4 5)",
];

const MONADS: &[&str] = &[
    "-",
    "+",
    "*",
    "%",
    "&",
    "|",
    "^",
    "=",
    "<",
    ">",
    "~",
    "$",
    ",",
    "#",
    "_",
    "!",
    "?",
    "@",
    ".",
    "abs",
    "all",
    "any",
    "asc",
    "asin",
    "acos",
    "atan",
    "attr",
    "avg",
    "avgs",
    "ceiling",
    "cols",
    "count",
    "cos",
    "deltas",
    "desc",
    "dev",
    "differ",
    "distinct",
    "enlist",
    "eval",
    "exp",
    "fills",
    "first",
    "flip",
    "floor",
    "get",
    "group",
    "hcount",
    "iasc",
    "idesc",
    "inv",
    "key",
    "keys",
    "last",
    "log",
    "lower",
    "ltrim",
    "max",
    "maxs",
    "md5",
    "med",
    "meta",
    "min",
    "mins",
    "neg",
    "next",
    "not",
    "null",
    "parse",
    "prd",
    "prds",
    "prev",
    "rank",
    "ratios",
    "raze",
    "reciprocal",
    "reverse",
    "rtrim",
    "sdev",
    "show",
    "signum",
    "sin",
    "sqrt",
    "string",
    "sum",
    "sums",
    "svar",
    "tables",
    "til",
    "trim",
    "type",
    "ungroup",
    "upper",
    "value",
    "var",
    "where",
    "-8!",
    "-9!",
    "-9!-8!",
    "-3!",
    "-4!",
    "-5!",
    "-6!",
    "-10!",
    "-11!",
    "-27!",
    ".Q.s",
    ".Q.s1",
    ".j.j",
    ".j.k",
    ".Q.id",
    ".Q.ff",
    ".Q.an",
    "sv",
    "vs",
    "gtime",
    "ltime",
    "(+/)",
    "(,/)",
    "(|/)",
    "(&\\)",
    "(+':)",
    "({x}each)",
    "(count each)",
    "(first each)",
    "(raze/)",
];

const DYADS: &[&str] = &[
    "+", "-", "*", "%", "&", "|", "^", "=", "<", ">", "<=", ">=", "<>", "~", "$", ",", "#", "_",
    "!", "?", "@", ".", "and", "or", "mod", "div", "xexp", "xlog", "in", "within", "like", "ss",
    "sv", "vs", "cross", "except", "inter", "union", "bin", "binr", "cor", "cov", "wavg", "wsum",
    "xbar", "xprev", "rotate", "sublist", "mmu", "lsq", "msum", "mavg", "mmax", "mmin", "mdev",
    "mcount", "ema", "fills", "xasc", "xdesc", "xcol", "xcols", "xkey", "xgroup", "ij", "lj",
    "ljf", "pj", "uj", "ujf", "ej", "asof", "upsert", "insert", "set", "each", "peach", "scan",
    "over", "prior", "-8!", "0:", "\\", "/", "'", "/:", "\\:", "':", "+/", "+\\", ",'", ",/:",
    ",\\:", "#'", "_'", "!'", "?'", "@'", ".'", "~'", "=':", "{x+y}'", "{x,y}/",
];

const CAST_TYPES: &[&str] = &[
    "`boolean",
    "`byte",
    "`short",
    "`int",
    "`long",
    "`real",
    "`float",
    "`char",
    "`symbol",
    "`timestamp",
    "`month",
    "`date",
    "`datetime",
    "`timespan",
    "`minute",
    "`second",
    "`time",
    "`guid",
    "\"b\"",
    "\"x\"",
    "\"h\"",
    "\"i\"",
    "\"j\"",
    "\"e\"",
    "\"f\"",
    "\"c\"",
    "\"s\"",
    "\"p\"",
    "\"m\"",
    "\"d\"",
    "\"z\"",
    "\"n\"",
    "\"u\"",
    "\"v\"",
    "\"t\"",
    "\"g\"",
    "\"B\"",
    "\"X\"",
    "\"H\"",
    "\"I\"",
    "\"J\"",
    "\"E\"",
    "\"F\"",
    "\"S\"",
    "\"P\"",
    "\"M\"",
    "\"D\"",
    "\"Z\"",
    "\"N\"",
    "\"U\"",
    "\"V\"",
    "\"T\"",
    "\"G\"",
    "\"*\"",
    "`",
    "0h",
    "1h",
    "-7h",
    "11h",
    "20h",
    "98h",
    "99h",
    "100h",
    "\"\"",
    "`$\"x\"",
    "`a`b",
];

/// Evaluations that never end by themselves.
const RUNAWAY: &[&str] = &[
    "while[1b;]",
    "do[0W;]",
    "0W neg/1",
    "(not/)[{1b};1b]",
    "{x}\\[{1b};1]",
    "{x+1}/[0]",
    "{.z.s x}0",
];

const NAMES: &[&str] = &[
    "x", "y", "z", "a", "b", "t", "k", "d", "f", ".a.b", "a.b", "en", "e",
];

/// Builds one random q expression of at most `depth` levels.
struct Gen {
    rng: Rng,
}

impl Gen {
    fn noun(&mut self) -> String {
        match self.rng.below(10) {
            0..=3 => self.rng.pick(ATOMS).into(),
            4..=6 => self.rng.pick(VECTORS).into(),
            7 | 8 => self.rng.pick(DICTS).into(),
            _ => {
                let s: String = (0..self.rng.below(5))
                    .map(|_| {
                        self.rng
                            .pick(&["a", "b", " ", "1", "x", "`", "(", ")", ";", "."])
                    })
                    .collect();
                format!("\"{s}\"")
            }
        }
    }

    fn expr(&mut self, depth: usize) -> String {
        if depth == 0 || self.rng.chance(20) {
            return self.noun();
        }
        let d = depth - 1;
        match self.rng.below(32) {
            0..=4 => format!("{} {}", self.rng.pick(MONADS), self.expr(d)),
            5..=10 => format!("({}){}{}", self.expr(d), self.rng.pick(DYADS), self.expr(d)),
            11 => format!("{}[{};{}]", self.verb(), self.expr(d), self.expr(d)),
            12 => format!("({})[{}]", self.expr(d), self.index(d)),
            13 => format!("({})[{};{}]", self.expr(d), self.index(d), self.index(d)),
            14 => format!("{}:{}", self.rng.pick(NAMES), self.expr(d)),
            15 => {
                let op = self.rng.pick(&["", "+", ",", "-", "|", "_", "#"]);
                format!(
                    "{}[{}]{op}:{}",
                    self.rng.pick(NAMES),
                    self.index(d),
                    self.expr(d)
                )
            }
            16 => format!(
                "{}{}:{}",
                self.rng.pick(NAMES),
                self.rng.pick(DYADS),
                self.expr(d)
            ),
            17 => {
                let g = self.rng.pick(&["@", "."]);
                let f = self.func(d);
                if self.rng.chance(50) {
                    format!("{g}[{};{};{f}]", self.expr(d), self.index(d))
                } else {
                    format!(
                        "{g}[{};{};{f};{}]",
                        self.expr(d),
                        self.index(d),
                        self.expr(d)
                    )
                }
            }
            18 => format!("{}[{}]", self.func(d), self.args(d)),
            19 => self.lambda(d),
            20 => format!("$[{};{};{}]", self.expr(d), self.expr(d), self.expr(d)),
            21 => format!("?[{};{};{}]", self.expr(d), self.expr(d), self.expr(d)),
            22 => self.sql(d),
            23 => format!("{}${}", self.rng.pick(CAST_TYPES), self.expr(d)),
            24 => format!("({};{})", self.expr(d), self.expr(d)),
            25 => self.pattern(d),
            26 => format!("{}!{}", self.expr(d), self.expr(d)),
            27 => self.control(d),
            28 => format!("@[{};{};{}]", self.func(d), self.expr(d), self.expr(d)),
            29 => {
                let text = self.expr(d);
                let q = no_system_command(&text)
                    .replace('\\', "\\\\")
                    .replace('"', "\\\"");
                format!(
                    "{} \"{q}\"",
                    self.rng.pick(&["value", "parse", "-5!", "eval parse"])
                )
            }
            30 => self.deep(),
            _ => format!("{}\n{}", self.expr(d), self.expr(d)).replace('\n', ";"),
        }
    }

    fn verb(&mut self) -> String {
        if self.rng.chance(50) {
            self.rng.pick(DYADS).into()
        } else {
            self.rng.pick(MONADS).into()
        }
    }

    fn func(&mut self, depth: usize) -> String {
        match self.rng.below(5) {
            0 => format!("({})", self.verb()),
            1 => self.lambda(depth),
            2 => format!(
                "{}[;{}]",
                self.rng.pick(&["+", "{x,y}", "#", "?"]),
                self.expr(depth)
            ),
            3 => self.rng.pick(NAMES).into(),
            _ => format!(
                "({}{})",
                self.verb(),
                self.rng.pick(&["'", "/", "\\", "':", "/:"])
            ),
        }
    }

    fn lambda(&mut self, depth: usize) -> String {
        let params = self.rng.pick(&["", "[x]", "[a;b]", "[]", "[x;y;z]"]);
        let body = self.expr(depth);
        let tail = self.rng.pick(&["", ";", ";:x", ";'`oops"]);
        let app = self
            .rng
            .pick(&["", " 1", "[1;2]", " .z.s", "'[1 2]", "/[1 2]"]);
        format!("{{{params}{body}{tail}}}{app}")
    }

    fn index(&mut self, depth: usize) -> String {
        match self.rng.below(4) {
            0 => String::new(),
            1 => self
                .rng
                .pick(&["0", "1", "-1", "0N", "5", "0 1", "`a", "`b`a", "::", "()"])
                .into(),
            _ => self.expr(depth),
        }
    }

    fn args(&mut self, depth: usize) -> String {
        (0..1 + self.rng.below(4))
            .map(|_| self.index(depth))
            .collect::<Vec<_>>()
            .join(";")
    }

    fn sql(&mut self, depth: usize) -> String {
        let t = self
            .rng
            .pick(&["t", "([]a:1 2 3;b:`x`y`x)", "([k:1 2]v:3 4)", "([]a:())"]);
        let col = |g: &mut Gen| g.rng.pick(&["a", "b", "k", "v", "i", "c"]).to_string();
        let e = format!(
            "{} {}",
            self.rng.pick(&["sum", "count", "max", "last", ""]),
            col(self)
        );
        let w = if self.rng.chance(50) {
            format!(" where {}", self.expr(depth).replace(';', " "))
        } else {
            String::new()
        };
        let by = if self.rng.chance(40) {
            format!(" by {}", col(self))
        } else {
            String::new()
        };
        match self.rng.below(5) {
            0 => format!("select{by} from {t}{w}"),
            1 => format!("select {e}{by} from {t}{w}"),
            2 => format!("update {}:{}{by} from {t}{w}", col(self), e),
            3 => format!("delete {} from {t}{w}", col(self)),
            _ => format!("exec {e}{by} from {t}{w}"),
        }
    }

    fn pattern(&mut self, depth: usize) -> String {
        let p = self.rng.pick(&[
            "(a;b)",
            "(a;(b;d))",
            "`a`b#d",
            "(a:`long;b)",
            "(a;;b)",
            "(a:1;b)",
            "(::;a)",
        ]);
        format!("{p}:{}", self.expr(depth))
    }

    fn control(&mut self, depth: usize) -> String {
        let n = self.rng.pick(&["0", "1", "3", "-1", "0N", "1b"]);
        match self.rng.below(4) {
            0 => format!("do[{n};{}]", self.expr(depth)),
            1 => format!("if[{};{}]", self.expr(depth), self.expr(depth)),
            2 if self.rng.chance(2) => self.runaway(),
            2 => format!("while[0b;{}]", self.expr(depth)),
            _ => format!("@[{{{}}};0;{{x}}]", self.expr(depth)),
        }
    }

    /// Evaluations that never end by themselves: the interrupt must stop them.
    fn runaway(&mut self) -> String {
        self.rng.pick(RUNAWAY).into()
    }

    /// Nesting far deeper than ordinary code: parentheses, lists, lambdas, enlists.
    fn deep(&mut self) -> String {
        let n = [50, 500, 3000, 20000][self.rng.below(4)];
        let (open, close) = match self.rng.below(6) {
            0 => ("(", ")"),
            1 => ("(", ";1)"),
            2 => ("{", "}"),
            3 => ("enlist ", ""),
            4 => ("-", ""),
            _ => ("f[", "]"),
        };
        format!("{}1{}", open.repeat(n), close.repeat(n))
    }
}

/// The q text of expression number `seed`.
fn expression(seed: u64) -> String {
    let mut g = Gen {
        rng: Rng(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0x5EED),
    };
    let depth = 1 + g.rng.below(5);
    no_system_command(&g.expr(depth)).to_string()
}

/// Text that does not start with `\`: an entry or a `value`d string starting with one is a
/// system command, and random text must not reach the shell.
fn no_system_command(text: &str) -> &str {
    text.trim_start_matches(|c: char| c == '\\' || c.is_whitespace())
}

/// State the expressions refer to, set at the start of each engine.
const SETUP: &str = "x:1 2 3;y:`a`b!1 2;z:\"abc\";a:5;b:1.5;t:([]a:1 2 3;b:`x`y`x;c:\"abc\");\
k:([k:1 2]v:3 4);d:`a`b`c!(1;2 3;`x);f:{x+y};e:`a`b`c;en:`e$`a`b`a";

/// Panic messages the hook saw since the last take: a panic not raised on purpose.
static PANICS: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let loc = info.location().map(|l| l.to_string()).unwrap_or_default();
        PANICS.lock().unwrap().push(format!("{msg} at {loc}"));
    }));
}

/// Whether an expression that panicked does so on a fresh engine too (else an earlier expression
/// of its chunk set up the state it needs).
fn alone(src: &str) -> &'static str {
    let eng = Engine::new();
    let _ = console::entry(&eng, SETUP);
    let _ = catch_unwind(AssertUnwindSafe(|| console::entry(&eng, src)));
    if std::mem::take(&mut *PANICS.lock().unwrap()).is_empty() {
        " (only after earlier expressions)"
    } else {
        ""
    }
}

enum Report {
    Done,
    Panic(u64, String),
}

/// Runs expressions `seeds` on one engine per `chunk`, on a thread with a large stack; the
/// bugs found (panics, runaway evaluations), each with the expression that shows it.
fn sweep(first: u64, n: u64, trace: bool) -> Vec<String> {
    const CHUNK: u64 = 64;
    let (tx, rx) = mpsc::channel::<Report>();
    let engine = Arc::new(Mutex::new(Arc::new(Engine::new())));
    let shared = engine.clone();
    let worker = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let mut eng = Arc::new(Engine::new());
            for seed in first..first + n {
                if (seed - first).is_multiple_of(CHUNK) {
                    eng = Arc::new(Engine::new());
                    eng.settings.lock().stack_budget = 48 << 20;
                    *shared.lock().unwrap() = eng.clone();
                    let _ = console::entry(&eng, SETUP);
                }
                let src = expression(seed);
                if trace {
                    eprintln!("{seed}: {src}");
                }
                let began = std::time::Instant::now();
                let _ = catch_unwind(AssertUnwindSafe(|| console::entry(&eng, &src)));
                if trace && began.elapsed() > Duration::from_millis(200) {
                    eprintln!("slow {seed}: {:?}", began.elapsed());
                }
                let seen = std::mem::take(&mut *PANICS.lock().unwrap());
                let report = match seen.first() {
                    Some(p) => Report::Panic(seed, format!("{p}{}", alone(&src))),
                    None => Report::Done,
                };
                if tx.send(report).is_err() {
                    return;
                }
            }
        })
        .expect("spawning the sweep thread");
    let mut bugs = Vec::new();
    let mut done = 0;
    while done < n {
        let r = match rx.recv_timeout(Duration::from_secs(2)) {
            Ok(r) => r,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                // A long evaluation must stop at the interrupt, as Ctrl-C stops q.
                engine.lock().unwrap().interrupt();
                match rx.recv_timeout(Duration::from_secs(30)) {
                    Ok(r) => r,
                    Err(_) => {
                        let seed = first + done;
                        bugs.push(format!("ignores the interrupt: {}", expression(seed)));
                        return bugs;
                    }
                }
            }
            Err(_) => break,
        };
        match r {
            Report::Done => {}
            Report::Panic(seed, p) => bugs.push(format!("panic {p}: {}", expression(seed))),
        }
        done += 1;
    }
    let _ = worker.join();
    bugs
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn random_expressions_give_values_or_errors() {
    install_hook();
    let n = env_u64("LIBQ_ROBUST_N", 2000);
    let first = env_u64("LIBQ_ROBUST_SEED", 0);
    let trace = std::env::var("LIBQ_ROBUST_TRACE").is_ok();
    let bugs = sweep(first, n, trace);
    // Back to the default hook, so the failure below is reported.
    drop(std::panic::take_hook());
    assert!(bugs.is_empty(), "{} bugs:\n{}", bugs.len(), bugs.join("\n"));
}

#[test]
fn runaway_evaluations_stop_at_the_interrupt() {
    for src in RUNAWAY {
        let eng = Arc::new(Engine::new());
        let e2 = eng.clone();
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn(move || {
                let r = catch_unwind(AssertUnwindSafe(|| console::entry(&e2, src)));
                let _ = tx.send(r.map(|r| r.map_err(|e| e.to_string())));
            })
            .expect("spawning");
        std::thread::sleep(Duration::from_millis(50));
        eng.interrupt();
        let got = rx.recv_timeout(Duration::from_secs(20));
        match got {
            Ok(Ok(Err(e))) => assert!(e == "'stop" || e == "'stack", "{src}: {e}"),
            other => panic!("{src} did not stop at the interrupt: {other:?}"),
        }
    }
}
