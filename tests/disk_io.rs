//! File I/O from q: text (`0:`, `read0`), binary (`1:`, `read1`), handles on files, logs
//! replayed with `-11!` (kdb+-written tickerplant logs from `tests/disk/vectors/torq`, and
//! copies cut short), `save load rsave rload`, compression (`-19! -21!`), and `2:` loading a C
//! function from a shared object built here against `include/k.h`.

use std::path::{Path, PathBuf};

use q::q::{console, Engine};

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("libq-io-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    fn sym(&self, rel: &str) -> String {
        format!("`:{}", self.0.join(rel).display())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn q(eng: &Engine, src: &str) -> String {
    match console::entry(eng, src) {
        Ok(out) => out.trim_end().to_string(),
        Err(e) => format!("{e}"),
    }
}

fn vector(rel: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/disk/vectors")
        .join(rel);
    format!("`:{}", p.display())
}

#[test]
fn text_files_and_delimited_text() {
    let eng = Engine::new();
    let d = TempDir::new("text");
    let f = d.sym("t.csv");
    assert_eq!(
        q(
            &eng,
            &format!("{f} 0: (\"a,b,c\";\"1,x,2.5\";\"2,y,\";\"3,\\\"z,q\\\",4\")")
        ),
        f
    );
    assert_eq!(
        q(&eng, &format!("read0 {f}")),
        "\"a,b,c\"\n\"1,x,2.5\"\n\"2,y,\"\n\"3,\\\"z,q\\\",4\""
    );
    assert_eq!(
        q(&eng, &format!("(\"JSF\";enlist\",\")0:{f}")),
        "a b   c  \n---------\n1 x   2.5\n2 y      \n3 z,q 4"
    );
    assert_eq!(
        q(&eng, "csv 0: ([]a:1 2;b:`x`y)"),
        "\"a,b\"\n\"1,x\"\n\"2,y\""
    );
    assert_eq!(
        q(
            &eng,
            "csv 0: ([]d:2022.03.14 2022.03.15;t:16:12:57.427 16:12:57.428)"
        ),
        "\"d,t\"\n\"2022-03-14,16:12:57.427\"\n\"2022-03-15,16:12:57.428\""
    );
    assert_eq!(
        q(&eng, "-1@\",\"0:([]x:(\"foo\";\"bar,baz\";\"qu\\\"ux\"));"),
        "x\nfoo\n\"bar,baz\"\nqu\"ux"
    );
    assert_eq!(
        q(
            &eng,
            "(\"DT\";8 9)0:(\"20130315185540686\";\"20130315185540686\")"
        ),
        "2013.03.15   2013.03.15  \n18:55:40.686 18:55:40.686"
    );
    assert_eq!(
        q(&eng, "0N!\"I=*,\"0:\"5=\\\"hello,world\\\",6=1\";"),
        "(5 6i;(\"hello,world\";,\"1\"))"
    );
    // .Q.fs reads whole lines in chunks.
    assert_eq!(
        q(&eng, &format!("n:0;.Q.fsn[{{n::n+count x}};{f};12]")),
        "29"
    );
    assert_eq!(q(&eng, "n"), "4");
}

#[test]
fn binary_files_and_records() {
    let eng = Engine::new();
    let d = TempDir::new("bin");
    let f = d.sym("b");
    q(&eng, &format!("{f} 1: 0x0100000002000300"));
    assert_eq!(q(&eng, &format!("read1 {f}")), "0x0100000002000300");
    assert_eq!(q(&eng, &format!("read1({f};4;2)")), "0x0200");
    assert_eq!(q(&eng, &format!("(\"ih\";4 2)1:{f}")), "1\n2");
    assert_eq!(q(&eng, &format!("hcount {f} 1: 1 2 3i")), "12");
}

#[test]
fn handles_append_in_the_files_own_format() {
    let eng = Engine::new();
    let d = TempDir::new("handles");
    let (log, v, txt) = (d.sym("log"), d.sym("v"), d.sym("txt"));
    q(&eng, &format!("{log} set ()"));
    q(
        &eng,
        &format!("h:hopen {log}; h enlist(`upd;`t;1 2); h((`upd;`t;3);(`upd;`t;4)); hclose h"),
    );
    // The bytes kdb+ writes: a general list header with count 0, then each message.
    assert_eq!(
        q(&eng, &format!("10#read1 {log}")),
        "0xff010000000000000000"
    );
    q(&eng, "upd:{[t;x]r,:x}; r:()");
    assert_eq!(q(&eng, &format!("-11!{log}")), "3");
    assert_eq!(q(&eng, "r"), "1 2 3 4");
    assert_eq!(q(&eng, &format!("-11!(-2;{log})")), "3");
    assert_eq!(q(&eng, &format!("r:();-11!(2;{log})")), "2");
    assert_eq!(q(&eng, "r"), "1 2 3");
    q(
        &eng,
        &format!("{v} set 1 2 3; h:hopen {v}; h 4; h 5 6; hclose h"),
    );
    assert_eq!(q(&eng, &format!("get {v}")), "1 2 3 4 5 6");
    assert_eq!(
        q(
            &eng,
            &format!("h:hopen {v}; r:@[{{h x}};`a;{{x}}]; hclose h; r")
        ),
        "\"type\""
    );
    q(
        &eng,
        &format!("h:hopen {txt}; h \"abc\"; neg[h](\"de\";\"f\"); hclose h"),
    );
    assert_eq!(q(&eng, &format!("read0 {txt}")), "\"abcde\"\n,\"f\"");
}

#[test]
fn kdb_tickerplant_logs_replay_and_bad_tails_are_found() {
    let eng = Engine::new();
    let log = vector("torq/tests/merge/tplogreplay/testlogs/stp1_trade20220616122504");
    q(&eng, "n:0; upd:{[t;x] n::n+1}");
    assert_eq!(q(&eng, &format!("-11!(-2;{log})")), "306");
    assert_eq!(q(&eng, &format!("-11!{log}")), "306");
    assert_eq!(q(&eng, "n"), "306");
    // Copies cut short (SOURCES.md): the good part's count and length.
    assert_eq!(
        q(
            &eng,
            &format!(
                "-11!(-2;{})",
                vector("torq/DERIVED_trade20201006204520_truncated390")
            )
        ),
        "0 8"
    );
    let cut = vector("torq/DERIVED_stpnone_20201006204450_truncated800");
    assert_eq!(q(&eng, &format!("-11!(-2;{cut})")), "1 400");
    assert_eq!(q(&eng, &format!("n:0; -11!{cut}")), "'badtail");
    assert_eq!(q(&eng, "n"), "1");
    // Without upd: the message names what is missing.
    assert_eq!(q(&eng, &format!("delete upd from `.; -11!{log}")), "'upd");
}

#[test]
fn save_load_and_splayed_by_name() {
    let eng = Engine::new();
    let d = TempDir::new("save");
    q(&eng, &format!("\\cd {}", d.0.display()));
    q(&eng, "t:([]x:2 3 5; y:`ibm`amd`intel; z:\"npn\")");
    assert_eq!(q(&eng, "save `t"), "`:t");
    // The bytes of `save `t` as KX's documentation prints them.
    assert_eq!(
        q(&eng, "first read0 `:t"),
        "\"\\377\\001b\\000c\\013\\000\\003\\000\\000\\000x\\000y\\000z\\000\\000\\000\\003\\000\\000\\00.."
    );
    assert_eq!(q(&eng, "save `t.csv"), "`:t.csv");
    assert_eq!(
        q(&eng, "read0`:t.csv"),
        "\"x,y,z\"\n\"2,ibm,n\"\n\"3,amd,p\"\n\"5,intel,n\""
    );
    assert_eq!(q(&eng, "delete t from `.; load `t; t`y"), "`ibm`amd`intel");
    q(&eng, "sp:([]a:1 2;b:3 4.)");
    assert_eq!(q(&eng, "rsave `sp"), "`:sp/");
    assert_eq!(q(&eng, "delete sp from `.; rload `sp; sp`b"), "3 4f");
    assert_eq!(
        q(
            &eng,
            "`:sp/ upsert ([]a:enlist 9;b:enlist 9.); exec a from get`:sp/"
        ),
        "1 2 9"
    );
    assert_eq!(q(&eng, "\\ls sp"), ",\"a\"\n,\"b\"");
    assert_eq!(q(&eng, "system \"exit 3\""), "'os");
}

#[test]
fn compressing_existing_files() {
    let eng = Engine::new();
    let d = TempDir::new("z");
    let (a, b) = (d.sym("a"), d.sym("b"));
    q(&eng, &format!("{a} set 1000#til 10"));
    assert_eq!(q(&eng, &format!("-19!({a};{b};17;2;6)")), b);
    assert_eq!(
        q(&eng, &format!("-21!{b}")),
        "compressedLength  | 132\nuncompressedLength| 8016\nalgorithm         | 2i\nlogicalBlockSize  | 17i\nzipLevel          | 6i"
    );
    assert_eq!(q(&eng, &format!("(get {a})~get {b}")), "1b");
    assert_eq!(q(&eng, &format!("-21!{a}")), "()!()");
    // .z.zd: set compresses by default.
    q(&eng, &format!(".z.zd:17 1 0; {a} set til 100000"));
    assert_eq!(q(&eng, &format!("(-21!{a})`algorithm")), "1i");
    assert_eq!(q(&eng, &format!("sum get {a}")), "4999950000");
}

/// Builds a kdb+ C extension against our `include/k.h` with the system's C compiler.
fn build_extension(dir: &Path) -> Option<PathBuf> {
    let src = dir.join("ext.c");
    std::fs::write(
        &src,
        "#include \"k.h\"\nK add3(K x,K y,K z){return kj(x->j+y->j+z->j);}\nK fail(K x){return krr(\"nope\");}\n",
    )
    .unwrap();
    let so = dir.join("ext.so");
    let include = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("include");
    let ok = std::process::Command::new("cc")
        .args(["-shared", "-fPIC", "-o"])
        .arg(&so)
        .arg(&src)
        .arg("-I")
        .arg(&include)
        .status()
        .ok()?
        .success();
    ok.then_some(so)
}

#[test]
fn c_extensions_load_with_two_colon() {
    let d = TempDir::new("ext");
    let Some(_so) = build_extension(&d.0) else {
        eprintln!("no C compiler: skipped");
        return;
    };
    let eng = Engine::new();
    let lib = d.sym("ext");
    assert_eq!(q(&eng, &format!("f:{lib} 2:(`add3;3); f[1;2;3]")), "6");
    assert_eq!(q(&eng, &format!("g:{lib} 2:(`fail;1); g 0")), "'nope");
    assert!(q(&eng, &format!("{lib} 2:(`nosuch;1)")).contains("undefined symbol"));
}
