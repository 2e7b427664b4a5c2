//! The q binary as a process: scripts run non-interactively end with `\\` or `exit`, `.z.exit`
//! runs on each way out, `.z.x .z.f .z.X` describe the command line, `getenv`/`setenv` reach the
//! real environment (a child process sees it), and the clock follows `TZ` and `-o`.

use std::io::Write;
use std::process::{Command, Stdio};

fn q() -> Command {
    Command::new(env!("CARGO_BIN_EXE_q"))
}

/// A script file in a fresh directory of its own.
fn script(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("libq-proc-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Runs q with `args`, feeding `stdin`; (exit status, stdout).
fn run(args: &[&str], stdin: &str, env: &[(&str, &str)]) -> (i32, String) {
    let mut c = q();
    c.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    let mut child = c.spawn().expect("starting q");
    // A script that exits may be gone before its input is written (a broken pipe).
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn a_script_ending_in_a_double_backslash_exits_after_the_exit_hook() {
    let s = script(
        "quit.q",
        ".z.exit:{-1\"bye \",string x}\n-1\"ran\";\n\\\\\n-1\"not reached\";\n",
    );
    let (code, out) = run(&[s.to_str().unwrap()], "-1\"console\";\n", &[]);
    assert_eq!(code, 0);
    assert_eq!(out, "ran\nbye 0\n");
}

#[test]
fn exit_n_runs_the_hook_and_sets_the_status() {
    let s = script("exit.q", ".z.exit:{-1\"code \",string x}\nexit 3\n");
    let (code, out) = run(&[s.to_str().unwrap()], "", &[]);
    assert_eq!(code, 3);
    assert_eq!(out, "code 3\n");
}

#[test]
fn end_of_input_and_double_backslash_at_the_console_run_the_hook() {
    let (code, out) = run(&[], ".z.exit:{-1\"hook \",string x}\n", &[]);
    assert_eq!((code, out.as_str()), (0, "q)q)hook 0\n"));
    let (code, out) = run(&[], ".z.exit:{-1\"hook \",string x}\n\\\\\n1+1\n", &[]);
    assert_eq!((code, out.as_str()), (0, "q)q)hook 0\n"));
}

#[test]
fn command_line_values() {
    let s = script(
        "args.q",
        "-1 .Q.s1 (.z.x;.z.f);\n-1 .Q.s1 1_.z.X;\nexit 0\n",
    );
    let path = s.to_str().unwrap();
    let (_, out) = run(&[path, "-P", "5", "-abc", "123", "-q"], "", &[]);
    let want = format!(
        "((\"-abc\";\"123\");`{path})\n(\"{path}\";\"-P\";,\"5\";\"-abc\";\"123\";\"-q\")\n"
    );
    assert_eq!(out, want);
}

#[test]
fn setenv_reaches_the_process_environment() {
    let s = script(
        "env.q",
        "setenv[`LIBQ_TEST_VAR;\"set by q\"]\n-1 getenv`LIBQ_TEST_VAR;\n-1 getenv`LIBQ_FROM_PARENT;\n-1 .Q.s1 getenv`LIBQ_UNSET_VAR;\n-1 .Q.s1 @[setenv[`$\"A=B\"];\"x\";{x}];\nexit 0\n",
    );
    let (_, out) = run(
        &[s.to_str().unwrap()],
        "",
        &[("LIBQ_FROM_PARENT", "inherited")],
    );
    assert_eq!(out, "set by q\ninherited\n\"\"\n\"domain\"\n");
}

#[test]
fn local_time_follows_tz_and_the_offset_option() {
    // Tokyo has no daylight saving: always 9 hours ahead.
    let s = script(
        "clock.q",
        "-1 string `minute$.z.P-.z.p;\n-1 string `int$1440*.z.Z-.z.z;\n-1 string .z.D-.z.d;\nexit 0\n",
    );
    let (_, out) = run(&[s.to_str().unwrap()], "", &[("TZ", "Asia/Tokyo")]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "09:00");
    assert_eq!(lines[1], "540");
    assert!(lines[2] == "0" || lines[2] == "1", "{out}");
    let (_, out) = run(
        &[s.to_str().unwrap(), "-o", "-5"],
        "",
        &[("TZ", "Asia/Tokyo")],
    );
    assert_eq!(out.lines().next(), Some("-05:00"));
    // setenv TZ takes effect at once.
    let s = script(
        "tz.q",
        "setenv[`TZ;\"Asia/Kolkata\"]\n-1 string `minute$.z.P-.z.p;\nexit 0\n",
    );
    let (_, out) = run(&[s.to_str().unwrap()], "", &[("TZ", "UTC")]);
    assert_eq!(out, "05:30\n");
}

#[test]
fn clock_values_have_their_types_and_agree() {
    let s = script(
        "types.q",
        "-1 .Q.s1 type each (.z.p;.z.P;.z.t;.z.T;.z.d;.z.D;.z.z;.z.Z;.z.n;.z.N);\n-1 .Q.s1 (.z.d=`date$.z.p;.z.t<=`time$.z.p+1000000);\n-1 .Q.s1 (type .z.i;.z.i>0;type .z.c;.z.c>0;type .z.h;.z.u~`$getenv`LOGNAME`USER .z.u~`$getenv`USER;count .z.l);\nexit 0\n",
    );
    let (_, out) = run(&[s.to_str().unwrap()], "", &[]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "-12 -12 -19 -19 -14 -14 -15 -15 -16 -16h");
    assert_eq!(lines[1], "11b");
    assert!(lines[2].starts_with("(-6h;1b;-6h;1b;-11h;"), "{out}");
    assert!(lines[2].ends_with(";9)"), "{out}");
}

#[test]
fn timing_runs_n_times_and_measures_memory() {
    let s = script(
        "ts.q",
        "r:system\"ts:10 til 1000000\";\n-1 .Q.s1 (type r;count r;r[1]>=8000000;r[1]<9000000);\nn:0;f:{n+:1};\n\\t:7 f[]\n-1 string n;\nexit 0\n",
    );
    let (_, out) = run(&[s.to_str().unwrap()], "", &[]);
    assert_eq!(out, "(7h;2;1b;1b)\n7\n");
}

#[test]
fn the_console_through_a_pseudo_terminal() {
    // Keys, Ctrl-C, the debug prompt and streaming output, checked by a script that drives
    // the console through a pty (Python's pty module).
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/console/pty_session.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_q"))
        .output()
        .expect("python3 runs the pty session");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn script_errors_say_file_and_line() {
    let s = script("where.q", "f:{2+x}\n/ a comment\nf`a\n");
    let full = std::fs::canonicalize(&s).unwrap();
    let full = full.to_str().unwrap();
    // The error suspends in f (defined on line 1); \ leaves, then a top-level error in a
    // script loaded at the prompt names its line.
    let t = script("top.q", "a:1\n1+`b\n");
    let stdin = format!("x\n\\\n\\l {}\n", t.to_str().unwrap());
    let (_, out) = run(&[full], &stdin, &[]);
    let top = std::fs::canonicalize(&t).unwrap();
    let want = format!(
        "'type\n  [1]  {full}:1: f:{{2+x}}\n{}^\nq))`a\nq))q)'type\n  [0]  {}:2: 1+`b\n{}^\nq)",
        " ".repeat(7 + full.len() + 8),
        top.display(),
        " ".repeat(7 + top.display().to_string().len() + 5),
    );
    assert_eq!(out, want);
}

/// A directory on the command line is a database, loaded as `\l dir` loads it (`q /path/hdb`,
/// as kdb+tick's HDB starts): its tables are there and the process works in it.
#[test]
fn a_directory_on_the_command_line_is_loaded_as_a_database() {
    let db = script("db", "").parent().unwrap().join("hdb");
    let d = db.to_str().unwrap();
    let s = script(
        "mkdb.q",
        &format!("`:{d}/2020.01.02/t/ set ([]a:1 2 3);`:{d}/2020.01.03/t/ set ([]a:4 5);\n"),
    );
    let (code, _) = run(&[s.to_str().unwrap()], "", &[]);
    assert_eq!(code, 0);
    let (code, out) = run(
        &[d],
        "select count i by date from t\n(last \"/\"vs system\"cd\")~\"hdb\"\n",
        &[],
    );
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "q)date      | x\n----------| -\n2020.01.02| 3\n2020.01.03| 2\nq)1b\nq)"
    );
}
