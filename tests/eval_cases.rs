//! Runs `tests/eval/*.q`: each case is one input line followed by the exact console output
//! (`/ ` lines) or the error it signals (`/ 'name`), on one engine per file, in order.

use std::path::PathBuf;

use q::q::{console, Engine};

fn run_file(path: &PathBuf) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("reading case file");
    let eng = Engine::new();
    let mut failures = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with('/') || line.trim().is_empty() {
            continue;
        }
        let mut expected = Vec::new();
        while let Some(next) = lines.peek() {
            match next.strip_prefix("/ ") {
                Some(out) if !next.starts_with("/ The") => {
                    expected.push(out.to_string());
                    lines.next();
                }
                _ => break,
            }
        }
        let want = expected.join("\n");
        let got = match console::entry(&eng, line) {
            Ok(out) => out
                .lines()
                .map(str::trim_end)
                .collect::<Vec<_>>()
                .join("\n"),
            Err(e) => format!("{e}"),
        };
        if got != want {
            failures.push(format!("{line}\n  want: {want:?}\n  got:  {got:?}"));
        }
    }
    failures
}

#[test]
fn eval_case_files() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/eval");
    let mut failures = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/eval")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "q"))
    {
        for f in run_file(p) {
            failures.push(format!("{}: {f}", p.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
