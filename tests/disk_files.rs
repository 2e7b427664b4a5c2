//! Files on disk in kdb+'s formats: kdb+-written files (`tests/disk/vectors`, sources and
//! licences in its SOURCES.md) read as what they hold, and written again byte for byte by
//! `set`; values of every kind round-trip through files; a second process reads what the
//! first wrote.

use std::path::{Path, PathBuf};

use q::q::{console, Engine};

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/disk/vectors")
}

/// A fresh directory under the system's temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("libq-disk-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    fn path(&self, rel: &str) -> String {
        self.0.join(rel).display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Enumeration domains are the process's, not an engine's: tests that enumerate take turns.
static DOMAINS: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    DOMAINS.lock().unwrap_or_else(|e| e.into_inner())
}

/// What the console prints for `src` (an error as `'msg`).
fn q(eng: &Engine, src: &str) -> String {
    match console::entry(eng, src) {
        Ok(out) => out.trim_end().to_string(),
        Err(e) => format!("{e}"),
    }
}

fn file_sym(p: &Path) -> String {
    format!("`:{}", p.display())
}

fn same_bytes(a: &Path, b: &Path) {
    let x = std::fs::read(a).unwrap_or_else(|e| panic!("{}: {e}", a.display()));
    let y = std::fs::read(b).unwrap_or_else(|e| panic!("{}: {e}", b.display()));
    assert!(x == y, "{} and {} differ", a.display(), b.display());
}

#[test]
fn kdb_written_splayed_tables_are_written_again_byte_for_byte() {
    let _turn = serial();
    let eng = Engine::new();
    let out = TempDir::new("rewrite");
    let src = vectors().join("dolphindb");
    // The domain first: the enumerated column names it.
    q(
        &eng,
        &format!("sym:get {}", file_sym(&src.join("allDataTypes/sym"))),
    );
    assert_eq!(q(&eng, "sym"), "`ww`787`uih_ww");
    for dir in [
        "allDataTypes/splayedTable",
        "charArrayVector",
        "intArrayVector",
    ] {
        let from = src.join(dir);
        let to = out.0.join(dir);
        let r = q(
            &eng,
            &format!("{}/ set get {}/", file_sym(&to), file_sym(&from)),
        );
        assert!(r.starts_with("`:"), "{dir}: {r}");
        for e in std::fs::read_dir(&from).unwrap() {
            let name = e.unwrap().file_name();
            same_bytes(&from.join(&name), &to.join(&name));
        }
    }
    q(&eng, &format!("{} set sym", file_sym(&out.0.join("sym"))));
    same_bytes(&src.join("allDataTypes/sym"), &out.0.join("sym"));
}

#[test]
fn kdb_written_files_read_as_they_were_written() {
    let _turn = serial();
    let eng = Engine::new();
    let v = vectors();
    let get = |rel: &str, expr: &str| q(&eng, &format!("{expr} get {}", file_sym(&v.join(rel))));
    let t = "dolphindb/allDataTypes/splayedTable/";
    q(
        &eng,
        &format!(
            "sym:get {}",
            file_sym(&v.join("dolphindb/allDataTypes/sym"))
        ),
    );
    assert_eq!(get(&format!("{t}int"), "5#"), "12 44535 0 0N -234566i");
    assert_eq!(
        get(&format!("{t}month"), "5#"),
        "1960.01 2000.01 2000.12 1900.01 0Nm"
    );
    assert_eq!(get(&format!("{t}char"), "5#"), "\"c0| a\"");
    assert_eq!(get(&format!("{t}str"), "count"), "2000");
    assert_eq!(get(&format!("{t}str"), "3#"), "`sym$`ww`787`uih_ww");
    assert_eq!(
        get("dolphindb/intArrayVector/lh", ""),
        "\"abc\"\n\"c\"\n\"u\"\n\"dolphindb\""
    );
    // Compressed with gzip, .d included.
    assert_eq!(
        get("dolphindb/compressCharArrayVector/", "3#"),
        "id    nestChar\n--------------\n12    \"aa\"    \n44535 \"a\"     \n0     \"\""
    );
    assert_eq!(get("dolphindb/2022.06.17/Daily/presettle", "count"), "5408");
    // kdb+ 3.2: compressed with q IPC compression (algorithm 1), old 32-bit enumerations.
    q(
        &eng,
        &format!("sym:get {}", file_sym(&v.join("torq-finance/hdb/sym"))),
    );
    assert_eq!(
        get(
            "torq-finance/hdb/2015.01.07/trade/stop",
            "{(count x;sum x)}"
        ),
        "196519\n9931i"
    );
    assert_eq!(
        get("torq-finance/hdb/2015.01.07/trade/sym", "{(count x;x 0)}"),
        "196519\n`sym$`MSFT"
    );
    assert_eq!(
        q(
            &eng,
            &format!(
                "hcount {}",
                file_sym(&v.join("torq-finance/hdb/2015.01.07/trade/stop"))
            )
        ),
        "196535"
    );
    // Pre-3.6 nested column: end offsets and the raw characters.
    let db = "torq-finance/dqe/dqcdb/database";
    q(
        &eng,
        &format!("sym:get {}", file_sym(&v.join(format!("{db}/sym")))),
    );
    assert_eq!(
        get(&format!("{db}/2020.04.17/configtable/params"), "first"),
        "\"`comp`vars!(0b;(`quote;5;`minute))\""
    );
    assert_eq!(
        get(&format!("{db}/2020.04.17/configtable/action"), "count"),
        "12"
    );
    // Logs: a general list read to the end of the file.
    assert_eq!(
        get(
            "torq/tests/stp/tickerlog/logs/stpnone/stpnone_20201006204450",
            "{(count x;x[;1])}"
        ),
        "2\n`trade`quote"
    );
    assert_eq!(get("so/out_log_one_chunk", "{(count x;x[0;1])}"), "1 3");
}

#[test]
fn values_of_every_kind_round_trip() {
    let _turn = serial();
    let eng = Engine::new();
    let d = TempDir::new("roundtrip");
    let cases = [
        "10 20 30",
        "1b",
        "`a`b`c",
        "\"hello\"",
        "0x0102",
        "2024.01.02 2024.01.03",
        "12:00 13:00",
        "1 2 3h",
        "1.5 2.5e",
        "0Ng,1?0Ng",
        "(1 2 3;\"abc\";`a`b)",
        "(\"ab\";\"\";\"cde\")",
        "`a`b!1 2",
        "([]a:1 2;b:`x`y;c:(\"p\";\"qq\"))",
        "([k:1 2]v:`x`y)",
        "42",
        "`sym",
        "()",
        "(1;`a;\"b\";2.5)",
        "`s#1 2 3",
    ];
    for (i, c) in cases.iter().enumerate() {
        let f = format!("`:{}", d.path(&format!("v{i}")));
        let r = q(&eng, &format!("x:{c}; {f} set x; x~get {f}"));
        assert_eq!(r, "1b", "{c}");
    }
    // Paths join with `sv`; `key` lists a directory sorted.
    assert_eq!(q(&eng, "` sv `:db`2020.01.01`t"), "`:db/2020.01.01/t");
    // Lambdas come back as their text (the engine's `~` also compares its parsed form).
    let f = format!("`:{}", d.path("lambda"));
    assert_eq!(q(&eng, &format!("{f} set {{x+y}}; get {f}")), "{x+y}");
    // Splayed: nested and enumerated columns come back; unenumerated symbols are 'type.
    let t = format!("`:{}/", d.path("t"));
    assert_eq!(q(&eng, &format!("{t} set ([]a:1 2;b:`x`y)")), "'type");
    q(&eng, "sym:`x`y`z");
    let r = q(
        &eng,
        &format!("x:([]a:1 2;b:`sym$`x`z;c:(1 2;3 4 5)); {t} set x; x~get {t}"),
    );
    assert_eq!(r, "1b");
    assert_eq!(q(&eng, &format!("key {t}")), "`s#`.d`a`b`c`c#");
    assert_eq!(
        q(&eng, &format!("hdel `:{}", d.path("v0"))),
        format!("`:{}", d.path("v0"))
    );
    assert_eq!(q(&eng, &format!("key `:{}", d.path("v0"))), "()");
    assert_eq!(
        q(&eng, &format!("get `:{}", d.path("nosuch"))),
        format!(
            "'{}. OS reports: No such file or directory",
            d.path("nosuch")
        )
    );
}

#[test]
fn compressed_files_are_written_and_read() {
    let _turn = serial();
    let eng = Engine::new();
    let d = TempDir::new("compress");
    for (alg, lvl) in [(1, 0), (2, 6)] {
        let f = format!("`:{}", d.path(&format!("z{alg}")));
        let r = q(
            &eng,
            &format!("x:10000#til 100; ({f};17;{alg};{lvl}) set x; (x~get {f};hcount {f})"),
        );
        assert_eq!(r, "1b\n80016", "algorithm {alg}");
        let bytes = std::fs::read(d.0.join(format!("z{alg}"))).unwrap();
        assert_eq!(&bytes[..8], b"kxzipped");
    }
    // The gzip blocks are zlib's compress2, as kdb+'s: the DolphinDB file again, bit for bit.
    let src = vectors().join("dolphindb/compressCharArrayVector");
    let f = format!("`:{}/", d.path("c"));
    q(&eng, &format!("({f};17;2;6) set get {}/", file_sym(&src)));
    for name in ["id", "nestChar", "nestChar#", ".d"] {
        same_bytes(&src.join(name), &d.0.join("c").join(name));
    }
}

/// The console binary on a script: what it prints.
/// `key` of nothing is `()`, and `.[`:f;();:;x]` writes a file that is not there yet (as
/// kdb+tick's `.u.ld` starts a log: `if[not type key L;.[L;();:;()]]`).
#[test]
fn a_missing_file_has_no_key_and_amending_it_whole_writes_it() {
    let d = TempDir::new("amendnew");
    let eng = Engine::new();
    let f = d.path("log");
    assert_eq!(q(&eng, &format!("type key `:{f}")), "0h");
    assert_eq!(q(&eng, &format!("key `:{}", d.path("nodir/x"))), "()");
    std::fs::create_dir(d.path("empty")).unwrap();
    assert_eq!(q(&eng, &format!("key `:{}", d.path("empty"))), "`symbol$()");
    std::fs::write(d.path("empty/b"), "").unwrap();
    std::fs::write(d.path("empty/a"), "").unwrap();
    assert_eq!(q(&eng, &format!("key `:{}", d.path("empty"))), "`s#`a`b");
    assert_eq!(q(&eng, &format!(".[`:{f};();:;()]")), format!("`:{f}"));
    assert_eq!(q(&eng, &format!("get `:{f}")), "()");
    assert_eq!(q(&eng, &format!("-11!(-2;`:{f})")), "0");
    assert_eq!(q(&eng, &format!(".[`:{f};();:;1 2 3]")), format!("`:{f}"));
    assert_eq!(q(&eng, &format!("get `:{f}")), "1 2 3");
    // Amending part of a missing file still needs the file.
    let g = d.path("nosuch");
    assert_eq!(
        q(&eng, &format!("@[`:{g};0;:;1]")),
        format!("'{g}. OS reports: No such file or directory")
    );
}

fn run_q(script: &str, dir: &Path) -> String {
    let path = dir.join(format!("s{}.q", script.len()));
    std::fs::write(&path, script).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_q"))
        .arg(&path)
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("running q");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_second_process_reads_what_the_first_wrote() {
    let d = TempDir::new("twoproc");
    run_q(
        "sym:`a`b`c\n`:db/t/ set ([]x:1 2 3;s:`sym$`a`c`b;n:(1 2;`x`y;\"z\"))\n`:db/sym set sym\n`:v set 1 2 3.5\nexit 0\n",
        &d.0,
    );
    let out = run_q(
        "sym:get`:db/sym\n-1 .Q.s1 get`:db/t/;\n-1 .Q.s1 get`:v;\nexit 0\n",
        &d.0,
    );
    assert_eq!(
        out,
        "+`x`s`n!(1 2 3;`sym$`a`c`b;(1 2;`x`y;\"z\"))\n1 2 3.5\n"
    );
}
