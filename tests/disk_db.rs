//! Databases on disk: `.Q.en` against a sym file (two processes at once keep one domain),
//! partitioned databases written with `.Q.dpft` and loaded with `\l` (queries map only the
//! partitions their where clauses keep), `.Q.par .Q.pv .Q.pd .Q.cn .Q.view`, par.txt segments.
//! Each test runs the console binary on scripts in a fresh directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("libq-db-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn q_process(script: &str, dir: &Path, name: &str) -> std::process::Child {
    let path = dir.join(name);
    std::fs::write(&path, format!("{script}\nexit 0\n")).unwrap();
    Command::new(env!("CARGO_BIN_EXE_q"))
        .arg(&path)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .expect("starting q")
}

/// Runs a script in a fresh q process; what it printed.
fn run_q(script: &str, dir: &Path) -> String {
    let out = q_process(script, dir, "run.q")
        .wait_with_output()
        .expect("running q");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn two_processes_enumerating_at_once_keep_one_domain() {
    let d = TempDir::new("en");
    let script = |tag: &str| {
        format!(
            "do[300;`:db/sym?`$\"{tag}\",string 300?3000]; \
             r:{{x~value `:db/sym?x}}`$\"c\",/:string til 100; -1 string r;"
        )
    };
    let a = q_process(&script("a"), &d.0, "a.q");
    let b = q_process(&script("b"), &d.0, "b.q");
    for p in [a, b] {
        let out = p.wait_with_output().unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "1\n");
    }
    let out = run_q(
        "s:get`:db/sym; -1 string (count s)=count distinct s; -1 string all(`$\"c\",/:string til 100)in s;",
        &d.0,
    );
    assert_eq!(out, "1\n1\n");
}

#[test]
fn partitioned_databases_load_and_query_only_the_partitions_needed() {
    let d = TempDir::new("par");
    run_q(
        "{trade::([]sym:3#x;price:1 2 3f+y;size:10 20 30+y);.Q.dpft[`:db;2020.01.01+y;`sym;`trade]}'[(`a`b`c;`b`c`d;`c`d`e);0 1 2];",
        &d.0,
    );
    // The third partition made unreadable: queries that keep it out still work.
    std::fs::remove_file(d.0.join("db/2020.01.03/trade/price")).unwrap();
    let out = run_q(
        "\\l db\n\
         -1 .Q.s1 .Q.pv;\n\
         -1 .Q.s1 .Q.pf;\n\
         -1 .Q.s1 select from trade where date=2020.01.02;\n\
         -1 .Q.s1 exec sum size from trade where date within 2020.01.01 2020.01.02;\n\
         -1 .Q.s1 .Q.par[`:.;2020.01.02;`trade];\n\
         -1 .Q.s1 @[{select from trade};::;{x}];\n\
         -1 .Q.s1 get`:sym;\n\
         -1 .Q.s1 sym;",
        &d.0,
    );
    assert_eq!(
        out,
        "2020.01.01 2020.01.02 2020.01.03\n\
         `date\n\
         +`date`sym`price`size!(2020.01.02 2020.01.02 2020.01.02;`sym$`b`c`d;2 3 4f;11 21 31)\n\
         123\n\
         `:./2020.01.02/trade\n\
         \"./2020.01.03/trade/price. OS reports: No such file or directory\"\n\
         `a`b`c`d`e\n\
         `a`b`c`d`e\n"
    );
}

#[test]
fn views_counts_and_segments() {
    let d = TempDir::new("seg");
    std::fs::create_dir_all(d.0.join("db")).unwrap();
    std::fs::write(
        d.0.join("db/par.txt"),
        format!(
            "{}\n{}\n",
            d.0.join("s0").display(),
            d.0.join("s1").display()
        ),
    )
    .unwrap();
    run_q(
        "{t::([]sym:x;v:y);.Q.dpft[`:db;z;`sym;`t]}'[(`a`b;`c`d`e;`f);(1 2;3 4 5;6);2020.01.01 2020.01.02 2020.01.03];",
        &d.0,
    );
    assert!(
        d.0.join("s1/2020.01.01/t/.d").exists(),
        "round-robin segments"
    );
    assert!(d.0.join("s0/2020.01.02/t/.d").exists());
    let out = run_q(
        "\\l db\n\
         -1 .Q.s1 .Q.cn t;\n\
         -1 .Q.s1 count .Q.pd;\n\
         .Q.view 2020.01.01 2020.01.03;\n\
         -1 .Q.s1 exec v from t;\n\
         .Q.view[];\n\
         -1 .Q.s1 exec v from t where date>2020.01.01;",
        &d.0,
    );
    assert_eq!(out, "2 3 1\n3\n1 2 6\n3 4 5 6\n");
}

#[test]
fn partitions_added_later_join_every_segment_that_has_them() {
    // .Q.li on a segmented database (par.txt): a partition found in two segments joins from
    // both, in the order `\l` gives (value, then segment), with .Q.D per segment and .Q.u
    // saying a partition is in more than one; a fresh `\l` agrees. .Q.chk fills the tables
    // missing from the partitions of every segment, as the latest partition has them.
    let d = TempDir::new("segli");
    std::fs::create_dir_all(d.0.join("db")).unwrap();
    let s0 = d.0.join("s0").display().to_string();
    let s1 = d.0.join("s1").display().to_string();
    std::fs::write(d.0.join("db/par.txt"), format!("{s0}\n{s1}\n")).unwrap();
    let out = run_q(
        "{t::([]sym:x;v:y);.Q.dpft[`:db;z;`sym;`t]}'[(`a`b;`c`d`e);(1 2;3 4 5);2020.01.01 2020.01.02];\n\
         \\l db\n\
         -1 .Q.s1 (.Q.PV;.Q.PD;.Q.D;.Q.u);\n\
         {(`$string[.Q.par[`:.;x;`t]],\"/\")set .Q.en[`:.]([]sym:`f`g;v:y)}'[2020.01.03 2020.01.04;(6 7;8 9)];\n\
         (`$string[.Q.P 1],\"/2020.01.04/t/\")set .Q.en[`:.]([]sym:enlist`h;v:enlist 10);\n\
         .Q.li 2020.01.04 2020.01.03 2020.01.09 2020.01.01;\n\
         -1 .Q.s1 (.Q.PV;.Q.PD;.Q.D;.Q.u);\n\
         -1 .Q.s1 (exec v from t;.Q.cn t;date);\n\
         -1 .Q.s1 exec v from t where date=2020.01.04;\n\
         a:(.Q.PV;.Q.PD;.Q.D;.Q.u;exec v from t);\n\
         \\l .\n\
         -1 .Q.s1 a~(.Q.PV;.Q.PD;.Q.D;.Q.u;exec v from t);\n\
         (`$string[.Q.P 1],\"/2020.01.04/q/\")set .Q.en[`:.]([]sym:enlist`z;w:enlist 1);\n\
         -1 .Q.s1 .Q.chk`:.;\n\
         \\l .\n\
         -1 .Q.s1 (.Q.pt;exec w from q;.Q.cn q);",
        &d.0,
    );
    assert_eq!(
        out,
        format!(
            "(2020.01.01 2020.01.02;`:{s1}`:{s0};(,2020.01.02;,2020.01.01);1b)\n\
         (2020.01.01 2020.01.02 2020.01.03 2020.01.04 2020.01.04;\
         `:{s1}`:{s0}`:{s1}`:{s0}`:{s1};\
         (2020.01.02 2020.01.04;2020.01.01 2020.01.03 2020.01.04);0b)\n\
         (1 2 3 4 5 6 7 8 9 10;2 3 2 2 1;2020.01.01 2020.01.02 2020.01.03 2020.01.04 2020.01.04)\n\
         8 9 10\n\
         1b\n\
         (,`:{s1}/2020.01.01;,`:{s0}/2020.01.02;,`:{s1}/2020.01.03;,`:{s0}/2020.01.04;())\n\
         (`q`t;,1;0 0 0 0 1)\n"
        )
    );
}

#[test]
fn loading_scripts_data_files_and_directories() {
    let d = TempDir::new("load");
    std::fs::write(d.0.join("a.q"), "qa:1+1\nf:{x*2}\n").unwrap();
    std::fs::write(d.0.join("b.k"), "kb:+/1 2 3\n").unwrap();
    run_q(
        "`:v set 10 20; `:db/sp/ set ([]a:1 2;b:3 4.); `:db/x set `a`b; `:db/init.q 0: enlist\"fromscript:42\";",
        &d.0,
    );
    let out = run_q(
        "\\l a.q\n\\l b.k\n\\l v\n-1 .Q.s1 (qa;f 3;kb;v);\n\\l db\n-1 .Q.s1 (sp;x;fromscript);\n-1 .Q.s1 select from sp;\n-1 .Q.s1 tables[];\n-1 last \"/\" vs first system \"pwd\";",
        &d.0,
    );
    // A splayed table is kdb+'s placeholder until used.
    assert_eq!(
        out,
        "(2;6;6;10 20)\n(+`a`b!`:./sp/;`a`b;42)\n+`a`b!(1 2;3 4f)\n,`sp\ndb\n"
    );
}

#[test]
fn hdpf_saves_every_table_and_chk_fills_missing_ones() {
    let d = TempDir::new("hdpf");
    let out = run_q(
        "trade:([]sym:`b`a`b;px:1 2 3.); quote:([]sym:`a`b;bid:1 2.);\n\
         .Q.hdpf[::;`:db;2020.01.01;`sym];\n\
         -1 .Q.s1 (count trade;count quote);\n\
         quote:([]sym:enlist`c;bid:enlist 5.); .Q.dpft[`:db;2020.01.02;`sym;`quote];\n\
         trade:([]sym:enlist`a;px:enlist 9.); .Q.dpft[`:db;2020.01.03;`sym;`trade];\n\
         quote:([]sym:enlist`d;bid:enlist 6.); .Q.dpft[`:db;2020.01.03;`sym;`quote];\n\
         -1 .Q.s1 .Q.chk[`:db];\n\
         \\l db\n\
         -1 .Q.s1 exec sym from trade;\n\
         -1 .Q.s1 .Q.cn trade;",
        &d.0,
    );
    assert_eq!(out, "0 0\n(();,`:db/2020.01.02;())\n`sym$`a`b`b`a\n3 0 1\n");
}

#[test]
fn tables_missing_from_partitions_partitions_added_later_and_loading_without_cd() {
    // ref/dotq.md: .Q.bv builds .Q.vp so that a table missing from some partitions reads as
    // empty there; .Q.li adds partitions found on disk; .Q.lo loads without changing
    // directory or running scripts; .Q.l is \l.
    let d = TempDir::new("bvli");
    let out = run_q(
        "t:([]time:09:00:00.000+til 4;sym:`a`b`a`b;num:til 4)\n\
         .Q.dpft[`:.;;`sym;`t]each 2010.01.01+til 3;\n\
         tt:t\n.Q.dpft[`:.;;`sym;`tt]last 2010.01.01+til 3;\n\
         \\l .\n-1 .Q.s1 tt;\n\
         @[get;\"select from tt\";-2@];\n\
         .Q.bv[];\n-1 .Q.s1 .Q.vp;\n-1 string count select from tt;\n",
        &d.0,
    );
    assert_eq!(
        out,
        "+`sym`time`num!`tt\n\
         (,`tt)!,+`date`sym`time`num!(`date$();`sym$();`time$();`long$())\n4\n"
    );
    let out = run_q(
        "`:db/2001.01.01/t/ set tt:.Q.en[`:db]([]sym:`A`B`C;price:1 2 3f);\n\
         .Q.lo[`:db;0;0];\n-1 .Q.s1 `run.q in key`:.;\n\
         -1 .Q.s1 .Q.pd;\n\
         `:db/2001.01.02/t/`:db/2001.01.03/t/ set\\:tt;\n\
         .Q.li[2001.01.02 2001.01.09];-1 .Q.s1 date;\n\
         .Q.li 2001.01.03;-1 .Q.s1 exec count i by date from t;\n\
         .Q.l`db;-1 .Q.s1 date;\n",
        &d.0,
    );
    assert_eq!(
        out,
        "1b\n,`:db\n2001.01.01 2001.01.02\n\
         2001.01.01 2001.01.02 2001.01.03!3 3 3\n2001.01.01 2001.01.02 2001.01.03\n"
    );
}

#[test]
fn a_named_pipe_streams_its_whole_lines_through_q_fpn() {
    // ref/dotq.md .Q.fps/.Q.fpn, kb/named-pipes.md: lumps of complete records from a fifo.
    let d = TempDir::new("fpn");
    let fifo = d.0.join("ff");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, "a,1\nb,2\nc,3").unwrap())
    };
    let out = run_q("r:();n:.Q.fpn[{r,:enlist x};`:ff;5];-1 .Q.s1(n;r);\n", &d.0);
    writer.join().unwrap();
    assert_eq!(out, "(11;(,\"a,1\";,\"b,2\";,\"c,3\"))\n");
}

#[test]
fn rows_by_index_across_partitions_and_script_line_groups() {
    // ref/dotq.md: .Q.ind picks rows of a partitioned table by their index over all
    // partitions; .Q.u says each partition is in one segment; .Q.ld groups a script's lines.
    let d = TempDir::new("ind");
    std::fs::write(
        d.0.join("funcs.q"),
        "/ multi line func\nf:{\n  x+y\n }\n/ single line func\ng:{x*y}\n",
    )
    .unwrap();
    let out = run_q(
        "-1 .Q.s1 .Q.ld read0`:funcs.q;\n\
         t:([]sym:`a`b`c`a`b;p:til 5);\n.Q.dpft[`:.;;`sym;`t]each 2010.01.01+til 3;\n\
         \\l .\n-1 .Q.s1 .Q.u;\n-1 .Q.s1 exec p from .Q.ind[t;2 3 4 5 11];\n",
        &d.0,
    );
    assert_eq!(
        out,
        "(1 2 5 6;(\"/ multi line func\";\"f:{\\n  x+y\\n }\";\"/ single line func\";\"g:{x*y}\"))\n\
         1b\n1 4 2 0 3\n"
    );
}

#[test]
fn aggregates_over_partitions_on_secondary_threads_match_one_thread() {
    // With \s N a select of sums, counts, mins, maxs, firsts, lasts and averages over small
    // partitions runs over the partitions joined (a query per partition would cost more than
    // the threads save); each result must be the one the query gives with \s 0, including
    // nulls, an empty partition, huge values (avg past 2^53) and float sums.
    let d = TempDir::new("mapreduce");
    run_q(
        "{t::([]sym:`a`b`c`a`b`c`a;v:(7?100)*x;w:0N 1 2 0N 4 5 6i;f:7?1.0;b:7?01b;h:(x=2)+1 2 3 4 5 6 7*(x=3)*1000000000000000);if[x=4;t::0#t];.Q.dpft[`:db;2020.01.01+x;`sym;`t]} each til 8;",
        &d.0,
    );
    let out = run_q(
        "\\l db\n\
         qs:(\"select sum v, avg v by sym from t\";\
         \"select c:count i, mn:min f, mx:max f, fs:first v, lv:last v, sw:sum w, aw:avg w, sb:sum b by sym, date from t where date within 2020.01.02 2020.01.06\";\
         \"select sum v, avg v, count i, max f, first sym, last w from t\";\
         \"select sum f by sym from t\";\
         \"select avg h, sum h by sym from t\";\
         \"select avg w by sym from t where date=2020.01.01\";\
         \"select avg v by sym from t where v>10\");\n\
         system \"s 0\"; r0:value each qs;\n\
         system \"s 2\"; r2:value each qs;\n\
         -1 .Q.s1 r0~'r2;\n\
         -1 .Q.s1 value qs 4;",
        &d.0,
    );
    assert_eq!(
        out,
        "1111111b\n\
         (+(,`sym)!,`sym$`a`b`c)!+`h`h1!(5.714286e+14 5e+14 6.428571e+14;12000000000000003 7000000000000002 9000000000000002)\n"
    );
}

#[test]
fn aggregates_over_large_partitions_map_onto_secondary_threads_and_match_one_thread() {
    // Partitions big enough to be mapped one per thread and reduced (a sum of sums, a min of
    // mins, avg as a sum over a count ...), one of them empty, nulls among the values: each
    // result with \s 2 must be the \s 0 one to the bit.
    let d = TempDir::new("mapreduce-large");
    run_q(
        "{n:$[x=2;0;70000+x];t::([]sym:n?`a`b`c`d;v:n?100;w:@[n?1000i;where 0=n?20;:;0Ni];f:n?1.0);.Q.dpft[`:db;2020.01.01+x;`sym;`t]} each til 4;",
        &d.0,
    );
    let out = run_q(
        "\\l db\n\
         qs:(\"select sum v, avg v by sym from t\";\
         \"select c:count i, mn:min f, mx:max f, fs:first v, lv:last v, sw:sum w, aw:avg w by sym, date from t where date within 2020.01.01 2020.01.03\";\
         \"select sum v, avg v, count i, max f, first sym, last w from t\";\
         \"select sum f by sym from t\");\n\
         system \"s 0\"; r0:value each qs;\n\
         system \"s 2\"; r2:value each qs;\n\
         -1 .Q.s1 {(-8!x)~-8!y}'[r0;r2];\n\
         -1 .Q.s1 count each r0;",
        &d.0,
    );
    assert_eq!(out, "1111b\n4 8 1 4\n");
}

#[test]
fn grouped_aggregates_on_secondary_threads_match_one_thread_to_the_bit() {
    // In memory, over enough rows that grouping and aggregation split across the threads: keys
    // with few values (rows split and merged), many symbols and wide longs (radix-partitioned
    // hashing), a small range of ints (counting), several keys at once; floats chosen so that a
    // different order of additions changes the sum (1e20 beside 1e-10, signs, -0.0, nulls,
    // infinities). Each answer with \s 4 (the least that splits by groups and partitions keys
    // by hash) and \s 2 must be the \s 0 answer to the bit (`-8!`).
    let d = TempDir::new("threads");
    let out = run_q(
        "n:300000;\n\
         f:(n?1e10)*(n?-1 1f)*n?(1f;1e-10;1e20;1e-300);f[n?n]:0n;f[n?n]:-0f;f[10?n]:-0w 0w 0w 1 1 1 1 1 1 1f;\n\
         t:([]s:n?`$string til 150000;few:n?`a`b`c`d;w:(n?1000000)*1000000007;r:n?300000;d:n?100;e:n?7h;f:f;g:reverse f);\n\
         aggs:\"sf:sum f,af:avg f,mn:min f,mx:max f,fs:first f,ls:last f,c:count i,sd:sum d,ad:avg d,md:max d,pe:prd e,vf:var f,dg:dev g,wa:wavg[d;f],ws:wsum[d;g],cr:cor[f;g],me:med f\";\n\
         qs:{\"select \",aggs,\" by \",x,\" from t\"} each (\"few\";\"s\";\"w\";\"r\";\"few,r\";\"s,few,d\";\"d,e\");\n\
         system \"s 0\"; r0:value each qs;\n\
         system \"s 2\"; r2:value each qs;\n\
         system \"s 4\"; r4:value each qs;\n\
         -1 .Q.s1 {(-8!x)~-8!y}'[r0;r2],{(-8!x)~-8!y}'[r0;r4];\n\
         -1 .Q.s1 count each r0;\n\
         -1 .Q.s1 all {(key x)~asc key x} each r0;",
        &d.0,
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.first(), Some(&"11111111111111b"), "{out}");
    assert_eq!(lines.get(2), Some(&"1b"), "{out}");
}
