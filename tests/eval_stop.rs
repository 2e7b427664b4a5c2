//! One long primitive call stops with `'stop` at an interrupt (Ctrl-C, the conformance
//! harness's timeout) and at a host call's `\T` limit, as a long evaluation of many steps
//! does: `0:` parsing a large text, `#` taking a huge count, sorting, splitting... Each runs
//! far longer than the limits below, so it must end with `'stop` rather than with a value;
//! the bounds are generous and assert nothing about speed. After it the engine answers, and
//! the global the expression assigned is not there (nothing half-made is kept).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use q::q::{console, Engine};

/// Text of `lines` CSV records of ten longs (`v`, 29 bytes a line, as ref/file-text.md's
/// example builds with ten million) and a vector to sort, group and search (`w`).
const SETUP: &str = "v:` sv 2000000#\",\"0:10 10#til 100;w:20000000?1000000";

/// Expressions each of which is one long primitive call, assigning `r`.
const LONG: &[&str] = &[
    "r:(10#\"J\";\",\")0:v",
    "r:(\"JJJJJJJJJJ\";10#3)0:v",
    "r:\",\" vs v",
    "r:\"\\n\" vs v",
    "r:100000000#(\"ab\";\"cd\";`e)",
    "r:iasc w",
    "r:group w",
    "r:distinct w",
    "r:w?w",
    "r:50000000?100",
];

/// Runs `src` on its own thread, interrupting the engine every 20 ms until it answers; the
/// error it gives (None: it gave a value) and how long it ran.
fn interrupted(eng: &Arc<Engine>, src: &str) -> (Option<String>, Duration) {
    let e2 = eng.clone();
    let text = src.to_string();
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let r = catch_unwind(AssertUnwindSafe(|| console::entry(&e2, &text)));
            let _ = tx.send(r.map(|r| r.err().map(|e| e.to_string())));
        })
        .expect("spawning");
    let began = Instant::now();
    loop {
        match rx.recv_timeout(Duration::from_millis(20)) {
            Ok(r) => return (r.expect("no panic"), began.elapsed()),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                assert!(
                    began.elapsed() < Duration::from_secs(120),
                    "{src} ignores the interrupt"
                );
                eng.interrupt();
            }
            Err(e) => panic!("{src}: {e}"),
        }
    }
}

#[test]
fn long_primitives_stop_at_the_interrupt() {
    let eng = Arc::new(Engine::new());
    console::entry(&eng, SETUP).expect("setup");
    for src in LONG {
        let (err, took) = interrupted(&eng, src);
        assert_eq!(err.as_deref(), Some("'stop"), "{src} after {took:?}");
        assert_eq!(console::entry(&eng, "1+1").expect("after"), "2", "{src}");
        assert!(console::entry(&eng, "r").is_err(), "{src}: r was assigned");
    }
    // A text file written while the evaluation stops keeps what it held: the lines are made
    // before the file is touched, and written through a temporary name.
    let path = std::env::temp_dir().join(format!("libq-eval-stop-{}.txt", std::process::id()));
    let file = format!("`:{}", path.display());
    console::entry(&eng, &format!("{file} 0: enlist\"old\"")).expect("small write");
    console::entry(&eng, "lines:30000000#enlist\"abcdef\"").expect("lines");
    let (err, took) = interrupted(&eng, &format!("{file} 0: lines"));
    assert_eq!(err.as_deref(), Some("'stop"), "write after {took:?}");
    assert_eq!(std::fs::read(&path).expect("file"), b"old\n");
    let _ = std::fs::remove_file(&path);
    // The text and the vector are intact, and a stopped parse leaves a short one working.
    assert_eq!(console::entry(&eng, "count v").unwrap(), "58000000");
    assert_eq!(
        console::entry(&eng, "(\"JJ\";\",\")0:\"1,2\\n3,4\"").unwrap(),
        "1 3\n2 4"
    );
}

/// Expressions each of which runs many times `\T 1`'s second even on a fast, quiet machine
/// (5-10 s here, where the slowest of `LONG` takes 3 s and the quickest under 1 s).
const LONGEST: &[&str] = &[
    "r:(10#\"J\";\",\")0:t",
    "r:\",\" vs t",
    "r:300000000#(\"ab\";\"cd\";`e)",
];

#[test]
fn long_primitives_stop_at_a_host_calls_time_limit() {
    let eng = Engine::new();
    console::entry(&eng, "t:` sv 6000000#\",\"0:10 10#til 100").expect("setup");
    // `\T` limits a host's calls (k(0,...)), as kdb+ limits a client's query. The deadline is
    // read by the same check as an interrupt (`Watch::stopped`), which
    // `long_primitives_stop_at_the_interrupt` runs through every primitive of `LONG`.
    console::entry(&eng, "\\T 1").expect("\\T");
    for src in LONGEST {
        let began = Instant::now();
        let r = eng.k(src.as_bytes(), Vec::new());
        let took = began.elapsed();
        assert_eq!(
            r.err().map(|e| e.to_string()).as_deref(),
            Some("'stop"),
            "{src} after {took:?}"
        );
        assert!(took < Duration::from_secs(60), "{src} took {took:?}");
        assert!(eng.k(b"r", Vec::new()).is_err(), "{src}: r was assigned");
    }
    console::entry(&eng, "\\T 0").expect("\\T 0");
    assert_eq!(console::entry(&eng, "count t").unwrap(), "174000000");
}
