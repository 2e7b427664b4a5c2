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
    // script loaded at the prompt names its line, at level [2] above the prompt's line and
    // `\l` (basics/debug.md: a function line 4 of a `\l`'d script calls fails at [3]).
    let t = script("top.q", "a:1\n1+`b\n");
    let stdin = format!("x\n\\\n\\l {}\n", t.to_str().unwrap());
    let (_, out) = run(&[full], &stdin, &[]);
    let top = std::fs::canonicalize(&t).unwrap();
    let want = format!(
        "'type\n  [1]  {full}:1: f:{{2+x}}\n{}^\nq))`a\nq))q)'type\n  [2]  {}:2: 1+`b\n{}^\nq)",
        " ".repeat(7 + full.len() + 8),
        top.display(),
        " ".repeat(7 + top.display().to_string().len() + 5),
    );
    assert_eq!(out, want);
}

/// A port nothing listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits (bounded) until a server accepts connections on `port`.
fn wait_listening(port: u16) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "server never listened"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn error_trap_mode_2_dumps_async_and_http_errors_with_their_stack() {
    use std::io::Read;
    let port = free_port();
    let s = script("e2.q", "f:{x+`a}\ng:{f x}\n.z.ph:{g 3}\n\\e 2\n");
    let mut server = q()
        .args([s.to_str().unwrap(), "-p", &port.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_listening(port);
    // Async: the stack goes to the server's stderr. Sync: mode 0 (the client gets 'type and
    // nothing is dumped).
    let (_, out) = run(
        &[],
        &format!("h:hopen {port}\nneg[h]\"g 1\"\n@[h;\"g 2\";{{-1\"sync: \",x;}}]\nh\"1+1\"\n"),
        &[],
    );
    assert!(out.contains("sync: type\n"), "{out}");
    // HTTP: into the answer.
    let mut c = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    c.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    c.write_all(b"GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut reply = String::new();
    c.read_to_string(&mut reply).unwrap();
    server.kill().unwrap();
    let out = server.wait_with_output().unwrap();
    let stack = |arg: u8| {
        let path = s.display();
        format!(
            "'type\n  [2]  {path}:1: f:{{x+`a}}\n{}^\n  [1]  {path}:2: g:{{f x}}\n{}^\n  [0]  g {arg}\n       ^\n",
            // The caret under `+` and under `f`, after "  [n]  " and "path:n: ".
            " ".repeat(7 + path.to_string().len() + 8),
            " ".repeat(7 + path.to_string().len() + 7),
        )
    };
    assert_eq!(String::from_utf8_lossy(&out.stderr), stack(1));
    assert!(reply.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{reply}");
    // The handler is called with a value: no text typed or sent at the top.
    let path = s.display().to_string();
    let http_stack = stack(3).replace(
        "  [0]  g 3\n       ^\n",
        &format!(
            "  [1]  {path}:3: .z.ph:{{g 3}}\n{}^\n",
            " ".repeat(7 + path.len() + 11)
        ),
    );
    let http_stack = http_stack
        .replacen("  [2]", "  [3]", 1)
        .replacen("  [1]", "  [2]", 1);
    assert!(reply.ends_with(&http_stack), "{reply}\n{http_stack}");
}

#[test]
fn requests_wait_while_the_console_is_suspended_in_the_debugger() {
    // kdb+ (basics/syscmds.md, \e): a suspended server "does not process other requests until
    // the stack is cleared". The client's request is answered once `\` leaves the debugger.
    let port = free_port();
    let mut server = q()
        .args(["-p", &port.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut input = server.stdin.take().unwrap();
    wait_listening(port);
    input.write_all(b"f:{x+`a}\nf 1\n").unwrap();
    input.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let mut client = q()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    client
        .stdin
        .take()
        .unwrap()
        .write_all(format!("-1 string(hopen {port})\"6*7\";\n\\\\\n").as_bytes())
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1000));
    assert!(
        client.try_wait().unwrap().is_none(),
        "answered while suspended"
    );
    input.write_all(b"\\\n").unwrap();
    input.flush().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while client.try_wait().unwrap().is_none() {
        assert!(std::time::Instant::now() < deadline, "never answered");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = client.wait_with_output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("42\n"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    drop(input);
    server.kill().unwrap();
    let _ = server.wait();
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

#[test]
fn scripts_not_in_the_current_directory_are_sought_in_qhome_then_qlic_and_qinit_runs_first() {
    // basics/files.md: relative paths are sought in the current directory, QHOME, QLIC;
    // by-topic.md: QINIT (default $QHOME/q.q) runs before the script.
    let home = script("q.q", "-1\"q.q\";from:`qhome\n");
    let home = home.parent().unwrap().to_str().unwrap().to_string();
    std::fs::write(format!("{home}/inhome.q"), "-1\"inhome \",string from;\n").unwrap();
    let lic = script("inlic.q", "-1\"inlic\";\n");
    let lic = lic.parent().unwrap().to_str().unwrap().to_string();
    let env = [("QHOME", home.as_str()), ("QLIC", lic.as_str())];
    let (_, out) = run(&["inhome.q"], "\\l inlic.q\n\\l inhome.q\n", &env);
    assert_eq!(out, "q.q\ninhome qhome\nq)inlic\nq)inhome qhome\nq)");
    let init = script("init.q", "from:`qinit\n");
    let env = [("QHOME", home.as_str()), ("QINIT", init.to_str().unwrap())];
    let (_, out) = run(&["inhome.q"], "", &env);
    assert_eq!(out, "inhome qinit\nq)");
    // `\l` shows nothing, whatever the script's last line gives (basics/debug.md).
    std::fs::write(format!("{home}/last.q"), "b:1\n2+3\n").unwrap();
    let (_, out) = run(&[], "\\l last.q\nb\n", &[("QHOME", home.as_str())]);
    assert_eq!(out, "q.q\nq)q)1\nq)");
}

/// Deep anonymous recursion through `.z.s` stops with `'stack` and the debugger's prompt; the
/// frame's location is found without recursing (it once overflowed the console's own stack).
#[test]
fn runaway_recursion_through_z_s_is_stack_at_the_console() {
    let (status, out) = run(&[], "{$[x;1+.z.s x-1;0]} 100000\n\\\n1+1\n", &[]);
    assert_eq!(status, 0, "{out}");
    assert!(out.starts_with("q)'stack\n  ["), "{out}");
    assert!(out.contains("]  {$[x;1+.z.s x-1;0]}\n"), "{out}");
    assert!(out.ends_with("q))q)2\nq)"), "{out}");
}

#[test]
fn the_debugger_numbers_frames_and_signals_as_kdb_documents() {
    // basics/debug.md: a script loaded at the prompt counts two levels below its own (its
    // function fails at [3]); `:v` resumes it; a nested debugger counts its own hidden frame
    // and the line typed at its prompt ([2] suspended, {x+y} fails at [5]); `'e` at the
    // prompt destroys the deepest frame and signals e in its caller.
    let t = script(
        "test.q",
        "/ test script\na:b:0\nfunc:{1+x}\na:func`a\nb:1\n",
    );
    let top = std::fs::canonicalize(&t).unwrap();
    let top = top.display().to_string();
    let stdin = format!(
        "\\l {top}\n:42\na\nb\nf:{{g[x;2#y]}}\ng:{{a:x*2;a+y}}\nf[3;\"hello\"]\n\
         {{x+y}}[a;y]\nx\n\\\n'myerror\n\\\n"
    );
    let (_, out) = run(&[], &stdin, &[]);
    let want = format!(
        "q)'type\n  [3]  {top}:3: func:{{1+x}}\n{}^\nq))q)42\nq)1\nq)q)q)'type\n\
         \x20 [2]  g:{{a:x*2;a+y}}\n{}^\nq))'type\n  [5]  {{x+y}}\n{}^\nq)))6\nq)))q))'myerror\n\
         \x20 [1]  f:{{g[x;2#y]}}\n{}^\nq))q)",
        " ".repeat(7 + top.len() + 11),
        " ".repeat(7 + 10),
        " ".repeat(7 + 2),
        " ".repeat(7 + 3),
    );
    assert_eq!(out, want);
}

#[test]
fn text_run_by_value_sees_globals_and_the_debugger_prompt_sees_the_locals() {
    // ref/value.md: `value` evaluates a string in the current context, so the lambda's local
    // `d` is not the text's `d`; when the text fails, the prompt of the suspended lambda still
    // evaluates with its locals (basics/debug.md), and `\` leaves it to the globals again.
    let (_, out) = run(
        &[],
        "d:0\n{d:4;value \"d\"}[]\nk:{d:4;value \"d+`x\"}\nk[]\nd\n\\\nd\n",
        &[],
    );
    // Between these, the backtrace: level [1] is k with the caret under `value`.
    assert!(
        out.starts_with("q)q)0\nq)q)'type\n  [1]  k:{d:4;value"),
        "{out:?}"
    );
    assert!(out.ends_with("\nq))4\nq))q)0\nq)"), "{out:?}");
}

#[test]
fn read0_of_handle_0_reads_the_next_line_of_the_console() {
    // ref/read0.md, "System or process handle".
    let (_, out) = run(
        &[],
        "rl:{1\">> \";read0 0}\nrl`\nxiskso\na:read0 0\nwhatever\na[4+til 4]\n",
        &[],
    );
    assert_eq!(out, "q)q)>> \"xiskso\"\nq)q)\"ever\"\nq)");
}

#[test]
fn sigterm_is_exit_0_after_the_running_task_with_the_exit_hook() {
    // ChangesIn2.6.md: SIGTERM has the same effect as `exit 0`, processed when the current
    // task has completed.
    sigterm_at_the_console(&[]);
}

#[test]
fn sigterm_is_exit_0_with_a_dedicated_owner_thread_too() {
    // LIBQ_THREADING=1: the console reads, the library's own thread owns the engine and runs
    // each entry; SIGTERM still waits for the running entry and runs .z.exit.
    sigterm_at_the_console(&[("LIBQ_THREADING", "1")]);
}

fn sigterm_at_the_console(env: &[(&str, &str)]) {
    use std::io::Read;
    let mut child = q()
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting q");
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    stdin
        .write_all(b".z.exit:{-1\"bye \",string x}\nsystem\"sleep 1\";-1\"done\";\n")
        .unwrap();
    // Once the second prompt is out the sleep is running (and the handler long installed).
    let mut seen = Vec::new();
    let mut byte = [0u8];
    while !seen.ends_with(b"q)q)") {
        assert_eq!(stdout.read(&mut byte).unwrap(), 1, "q ended: {seen:?}");
        seen.push(byte[0]);
    }
    // With a dedicated owner the second entry goes from the console thread to the owner just
    // after the prompt: give it that moment.
    std::thread::sleep(std::time::Duration::from_millis(200));
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    stdout.read_to_end(&mut seen).unwrap();
    let status = child.wait().unwrap();
    drop(stdin);
    assert_eq!(status.code(), Some(0));
    // With a dedicated owner too: the owner shows each prompt after its entry, before it takes
    // the signal.
    assert_eq!(String::from_utf8_lossy(&seen), "q)q)done\nq)bye 0\n");
}

#[test]
fn an_error_in_the_exit_hook_suspends_and_the_process_still_exits() {
    // ref/dotz.md .z.exit: the handler cannot cancel the exit; an error in it suspends the
    // session, which exits when the suspension is over (here `'`up` there, or end of input).
    let stdin = ".z.exit:{`thiswontwork+x}\n\\\\\nx\n'`up\n1+1\n";
    let (code, out) = run(&[], stdin, &[]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "q)q)'type\n  [1]  .z.exit:{`thiswontwork+x}\n                             ^\nq))0\nq))'up\n"
    );
    let s = script("hookfails.q", ".z.exit:{`thiswontwork+x}\nexit 3\n");
    let (code, _) = run(&[s.to_str().unwrap()], "", &[]);
    assert_eq!(code, 3);
}

#[test]
fn the_first_file_handle_is_3_and_a_file_handle_answers_with_itself() {
    // basics/handles.md: in a fresh process hopen gives 3; `3 "text"` is 3, `-3 lines` -3.
    let f = script("h.txt", "");
    let f = f.to_str().unwrap();
    let stdin = format!(
        "h:hopen`:{f}\nh\n3 \"quick brown fox\"\n-3 (\"quick\";\"brown\";\"fox\")\n\
         h each (\" for all\";\" good men\")\nhclose h\nread0`:{f}\n"
    );
    let (_, out) = run(&[], &stdin, &[]);
    assert_eq!(
        out,
        "q)q)3i\nq)3\nq)-3\nq)3 3i\nq)q)\"quick brown foxquick\"\n\"brown\"\n\"fox\"\n\" for all good men\"\nq)"
    );
}

#[test]
fn a_script_loaded_with_q_runs_in_trap_mode_2() {
    // basics/debug.md: mode 2 (dump the stack and abort) is the default for loading scripts
    // non-interactively (-q): an error prints with every level and does not suspend; the
    // console then reads its own input.
    let s = script("dump.q", "f:{g x}\ng:{1+`a}\nf 1\n-1\"not reached\";\n");
    let full = std::fs::canonicalize(&s).unwrap();
    let full = full.to_str().unwrap();
    let (_, out) = run(&[full, "-q"], "1+1\n", &[]);
    let pad = |n: usize| " ".repeat(7 + full.len() + n);
    assert_eq!(
        out,
        format!(
            "'type\n  [2]  {full}:2: g:{{1+`a}}\n{}^\n  [1]  {full}:1: f:{{g x}}\n{}^\n  \
             [0]  {full}:3: f 1\n{}^\nq)2\nq)",
            pad(8),
            pad(7),
            pad(4)
        )
    );
}

#[test]
fn a_glyph_applied_prefix_fails_at_parse_time_with_its_place() {
    // basics/parsetrees.md: "In q (not k), the unary form of operators such as (+, $, ., &
    // etc.) is disabled" (`$42` is `'$`); basics/debug.md: `parse` signals it with the
    // location, its text a level above `(.q.parse)`; basics/qsql.md: the console shows that
    // innermost level (`parse"select b by b from t"` at [2]). Nothing of the entry runs. A
    // stray closer is named with its place too (ref/apply.md: `@[2+;"42";{)}]`).
    let stdin = "a:1;+2\na\n2+2;+2\nparse \"2+2;+2\"\nvalue \"2+2;+2\"\nvalue \"1+`a\"\n\
                 .Q.trp[parse;\"2+2;+2\";{1@.Q.sbt 2#y}];\n\
                 .Q.trp[value;\"2+2;+2\";{1@.Q.sbt y}];\n\
                 t:([]c:3 1 2)\nselect[2;<c] from t\n-1\nx:3;-x\n@[2+;\"42\";{)}]\n\\\\\n";
    let (_, out) = run(&[], stdin, &[]);
    let want = "q)'+\n  [0]  a:1;+2\n           ^\n\
                q)'a\n  [0]  a\n       ^\n\
                q)'+\n  [0]  2+2;+2\n           ^\n\
                q)'+\n  [2]  2+2;+2\n           ^\n\
                q)'+\n  [1]  2+2;+2\n           ^\n\
                q)'type\n  [1]  1+`a\n        ^\n\
                q)  [3]  2+2;+2\n           ^\n  [2]  (.q.parse)\n\n\
                q)  [2]  2+2;+2\n           ^\n  [1]  (.Q.trp)\n\n\
                \x20 [0]  .Q.trp[value;\"2+2;+2\";{1@.Q.sbt y}];\n       ^\n\
                q)q)c\n-\n1\n2\nq)-1\nq)-3\n\
                q)')\n  [0]  @[2+;\"42\";{)}]\n                  ^\nq)";
    assert_eq!(out, want);
}

/// `\_` reports whether client write access is blocked (`-b`; basics/syscmds.md `\_`);
/// `\_ f.q` (a locked script in KX's undocumented format) is `'nyi`.
#[test]
fn backslash_underscore_reports_blocked_write_access() {
    let (_, out) = run(&[], "\\_\n\\_ f.q\n", &[]);
    assert_eq!(out, "q)0b\nq)'nyi\nq)");
    let (_, out) = run(&["-b"], "\\_\n", &[]);
    assert_eq!(out, "q)1b\nq)");
}

/// `-u 1` reads no password file named `1` and confines clients only: the console (handle 0)
/// still runs system commands and reaches any file (basics/cmdline.md `-u`). `-U file` and
/// `-u file` disable `\x`, on the console too.
#[test]
fn user_options_at_the_console() {
    let (_, out) = run(
        &["-u", "1"],
        "system\"echo hi\"\ncount read0`:/etc/hostname\n",
        &[],
    );
    assert_eq!(out, "q)\"hi\"\nq)1\nq)");
    let users = script("users", "alice:pass1\n");
    let (_, out) = run(
        &["-U", users.to_str().unwrap()],
        "\\x .z.pg\nsystem\"echo hi\"\n",
        &[],
    );
    assert_eq!(out, "q)'access\nq)\"hi\"\nq)");
    // `-u file` is `-u 1 -U file`.
    let (_, out) = run(&["-u", users.to_str().unwrap()], "\\x .z.pg\n", &[]);
    assert_eq!(out, "q)'access\nq)");
}
