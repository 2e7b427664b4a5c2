//! Running out of memory is `'wsfull`, never an abort (issue 14): each case runs in a child
//! process under a 512 MB address-space limit (`ulimit -v`), and the child must report
//! `'wsfull` and go on working afterwards.

use std::io::Write;
use std::process::{Command, Stdio};

const LIMIT_KB: u32 = 512 * 1024;

/// Runs `program` (with `args`) under the address-space limit, `input` on its stdin; its
/// stdout and whether it exited normally.
fn limited(program: &str, args: &[&str], input: &str, env: &[(&str, &str)]) -> (String, bool) {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -v {LIMIT_KB} && exec \"$0\" \"$@\""))
        .arg(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawning the limited child");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("writing input");
    let out = child.wait_with_output().expect("waiting for the child");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.success(),
    )
}

#[test]
fn console_allocation_failures_are_wsfull() {
    let q = env!("CARGO_BIN_EXE_q");
    for expr in [
        "(til 300000) cross til 300000",
        "100000000000 0N#0",
        "count string til 10000000",
        "count 1000000000#\"a\"",
        "`$string til 10000000",
    ] {
        let (out, ok) = limited(q, &[], &format!("{expr}\n1+1\n"), &[]);
        assert!(ok, "{expr}: the process died: {out}");
        assert!(
            out.contains("'wsfull") && out.contains("q)2"),
            "{expr}: want 'wsfull then 2, got {out:?}"
        );
    }
}

/// What the child does: allocate with `ktn` until it fails, free, then intern new symbols
/// with `ss` until that fails; prints each failure's error. Not a test of its own: ignored, so
/// a normal run does not count it; the parent runs it by name with `--ignored` under the limit
/// (and it does nothing without the parent's environment variable, so `--include-ignored`
/// never runs the loops unlimited).
#[test]
#[ignore = "the child of host_loops_of_ktn_and_ss_are_wsfull, run by it"]
fn host_loops_child() {
    if std::env::var_os("LIBQ_WSFULL_CHILD").is_none() {
        return;
    }
    use q::ffi::{lists::ktn, symbols::ss};
    let mut held = Vec::new();
    loop {
        let k = ktn(7, 1 << 20);
        if k.is_null() {
            let e = q::obj::pending::take().map(|e| format!("{e:?}"));
            println!("ktn: {}", e.unwrap_or_default());
            break;
        }
        held.push(k);
    }
    for k in held.drain(..) {
        q::ffi::misc::r0(k);
    }
    let mut i = 0u64;
    loop {
        let name = std::ffi::CString::new(format!("sym{i:030}")).expect("name");
        let s = ss(name.as_ptr().cast_mut());
        if s.is_null() {
            let e = q::obj::pending::take().map(|e| format!("{e:?}"));
            println!("ss: {}", e.unwrap_or_default());
            break;
        }
        i += 1;
    }
    // Still working after both.
    let k = ktn(7, 10);
    println!("after: {}", if k.is_null() { "null" } else { "ok" });
}

#[test]
fn host_loops_of_ktn_and_ss_are_wsfull() {
    let me = std::env::current_exe().expect("test binary");
    let me = me.to_str().expect("utf-8 path");
    let (out, ok) = limited(
        me,
        &[
            "--exact",
            "host_loops_child",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ],
        "",
        &[("LIBQ_WSFULL_CHILD", "1")],
    );
    assert!(ok, "the child died: {out}");
    assert!(out.contains("ktn: 'wsfull"), "{out}");
    assert!(out.contains("ss: 'wsfull"), "{out}");
    assert!(out.contains("after: ok"), "{out}");
}
