//! The workloads of scripts/bench-groupby.sh on the embedded engine: db-benchmark's groupby
//! questions on G1 data, key joins on it, an asof join, a window join and a time-bucketed aggregation on ticks, and
//! lambda-heavy code. Loads the raw columns that scripts/bench/baselines.py generated and prints
//! `libq case median_seconds check...` lines, as the baselines do.
//!
//! Usage: bench_groupby groupby DIR REPS | joins DIR REPS | ticks DIR REPS | lambda REPS

use std::time::Instant;

use q::obj::{Sym, K, KF, KJ, KS, KT};
use q::q::Engine;

fn raw(dir: &str, name: &str) -> Vec<u8> {
    std::fs::read(format!("{dir}/{name}")).unwrap_or_else(|e| panic!("{dir}/{name}: {e}"))
}

fn i32s(bytes: &[u8]) -> Vec<i32> {
    bytes
        .chunks_exact(4)
        .map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// A symbol column from codes: code c is `prefix` then c+offset zero-padded to `width`.
fn syms(codes: &[i32], prefix: &str, width: usize, offset: i32) -> K {
    let top = codes.iter().copied().max().unwrap_or(0);
    let names: Vec<Sym> = (0..=top)
        .map(|c| Sym::new(format!("{prefix}{:0width$}", c + offset)))
        .collect();
    let v: Vec<Sym> = codes.iter().map(|&c| names[c as usize]).collect();
    K::from_slice(KS, &v)
}

fn table(cols: Vec<(&str, K)>) -> K {
    let names: Vec<Sym> = cols.iter().map(|c| Sym::new(c.0)).collect();
    let vals: Vec<K> = cols.into_iter().map(|c| c.1).collect();
    K::table(K::dict(K::from_slice(KS, &names), K::list(vals)))
}

/// Median seconds of `reps` runs of `expr`, and the check values of the last result
/// (`check` applied to it: a list of numbers).
fn measure(eng: &Engine, expr: &str, check: &str, reps: usize) -> (f64, Vec<f64>) {
    let mut ts = Vec::with_capacity(reps);
    for _ in 0..reps {
        let t = Instant::now();
        let r = eng.eval_str(&format!("ans:{expr};"));
        ts.push(t.elapsed().as_secs_f64());
        if let Err(e) = r {
            eprintln!("{expr}: '{e}");
            return (f64::NAN, Vec::new());
        }
    }
    ts.sort_by(|a, b| a.total_cmp(b));
    let c = eng
        .eval_str(&format!("\"f\"$({check})[ans]"))
        .map(|k| k.as_slice::<f64>().to_vec())
        .unwrap_or_default();
    (ts[ts.len() / 2], c)
}

fn show(case: &str, (t, check): (f64, Vec<f64>)) {
    let c: Vec<String> = check.iter().map(|v| format!("{v:.10e}")).collect();
    println!("libq {case} {t:.6} {}", c.join(" "));
}

/// `{count t, sum each t cols}` over the unkeyed result, nulls skipped by sum.
fn check_of(cols: &[&str]) -> String {
    let c: Vec<String> = cols.iter().map(|c| format!("`{c}")).collect();
    format!(
        "{{t:0!x; (count t),{{sum \"f\"$x}} each t[{}]}}",
        if c.len() == 1 {
            format!("enlist {}", c[0])
        } else {
            c.join("")
        }
    )
}

fn load_g1(eng: &Engine, dir: &str) {
    let col = |t: i8, name: &str| K::from_bytes(t, &raw(dir, name));
    let x = table(vec![
        ("id1", syms(&i32s(&raw(dir, "id1")), "id", 3, 1)),
        ("id2", syms(&i32s(&raw(dir, "id2")), "id", 3, 1)),
        ("id3", syms(&i32s(&raw(dir, "id3")), "id", 10, 1)),
        ("id4", col(KJ, "id4")),
        ("id5", col(KJ, "id5")),
        ("id6", col(KJ, "id6")),
        ("v1", col(KJ, "v1")),
        ("v2", col(KJ, "v2")),
        ("v3", col(KF, "v3")),
    ]);
    eng.set_global(Sym::new("x"), x).expect("global");
}

fn groupby(dir: &str, reps: usize) {
    let eng = Engine::new();
    load_g1(&eng, dir);
    let questions: [(&str, &str, &[&str]); 10] = [
        ("q1", "select v1:sum v1 by id1 from x", &["v1"]),
        ("q2", "select v1:sum v1 by id1,id2 from x", &["v1"]),
        (
            "q3",
            "select v1:sum v1, v3:avg v3 by id3 from x",
            &["v1", "v3"],
        ),
        (
            "q4",
            "select v1:avg v1, v2:avg v2, v3:avg v3 by id4 from x",
            &["v1", "v2", "v3"],
        ),
        (
            "q5",
            "select v1:sum v1, v2:sum v2, v3:sum v3 by id6 from x",
            &["v1", "v2", "v3"],
        ),
        (
            "q6",
            "select median_v3:med v3, sd_v3:sdev v3 by id4,id5 from x",
            &["median_v3", "sd_v3"],
        ),
        (
            "q7",
            "select range_v1_v2:(max v1)-min v2 by id3 from x",
            &["range_v1_v2"],
        ),
        (
            "q8",
            "ungroup select largest2_v3:2 sublist desc v3 by id6 from x where not null v3",
            &["largest2_v3"],
        ),
        (
            "q9",
            "select r2:(v1 cor v2) xexp 2 by id2,id4 from x",
            &["r2"],
        ),
        (
            "q10",
            "select v3:sum v3, cnt:count i by id1,id2,id3,id4,id5,id6 from x",
            &["v3", "cnt"],
        ),
    ];
    for (name, q, cols) in questions {
        show(name, measure(&eng, q, &check_of(cols), reps));
    }
    // The same questions with secondary threads (`-s N`), beside the single-threaded runs.
    let threads: usize = std::env::var("LIBQ_BENCH_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if threads > 1 {
        eng.eval_str(&format!("system \"s {threads}\""))
            .expect("\\s");
        for (name, q, cols) in questions {
            let case = format!("{name}_s{threads}");
            show(&case, measure(&eng, q, &check_of(cols), reps));
        }
        eng.eval_str("system \"s 0\"").expect("\\s");
    }
}

fn ticks(dir: &str, reps: usize) {
    let eng = Engine::new();
    let col = |t: i8, name: &str| K::from_bytes(t, &raw(dir, name));
    let t = table(vec![
        ("sym", syms(&i32s(&raw(dir, "t_sym")), "s", 2, 0)),
        ("time", col(KT, "t_time")),
        ("price", col(KF, "t_price")),
        ("size", col(KJ, "t_size")),
    ]);
    let q = table(vec![
        ("sym", syms(&i32s(&raw(dir, "q_sym")), "s", 2, 0)),
        ("time", col(KT, "q_time")),
        ("bid", col(KF, "q_bid")),
        ("ask", col(KF, "q_ask")),
    ]);
    eng.set_global(Sym::new("t"), t).expect("global");
    eng.set_global(Sym::new("q"), q).expect("global");
    // Quotes sorted by sym then time carry p# on sym, as a quote table in kdb+ does.
    if let Err(e) = eng.eval_str("q:update `p#sym from q") {
        eprintln!("p#sym: '{e}");
    }
    show(
        "aj",
        measure(&eng, "aj[`sym`time;t;q]", &check_of(&["bid", "ask"]), reps),
    );
    // A window join of each trade with the quotes of its sym in the minute before it.
    show(
        "wj1",
        measure(
            &eng,
            "wj1[-60000 0+\\:t.time;`sym`time;t;(q;(sum;`ask);(count;`bid))]",
            &check_of(&["ask", "bid"]),
            reps,
        ),
    );
    show(
        "bucket",
        measure(
            &eng,
            "select last price, sum size by sym, minute:1 xbar time.minute from t",
            &check_of(&["price", "size"]),
            reps,
        ),
    );
}

/// Key joins on the G1 table: `lj`/`ij` with a 2-key table of half the (id1, id4) pairs, `lj`
/// with a 1-key table of every other id6, and `uj` of two keyed tables of N/2 rows that
/// overlap by half (kdb+'s upsert: a full outer join, the right side's values winning).
fn joins(dir: &str, reps: usize) {
    let eng = Engine::new();
    load_g1(&eng, dir);
    eng.eval_str(
        "ids:asc distinct x`id1; \
         kt2:`id1`id4 xkey update w:(0.5*id4)+i div 50 from ungroup ([] id1:ids; id4:(count ids)#enlist 2*1+til 50); \
         kt1:`id6 xkey ([] id6:2*1+til (max x`id6) div 2; w:0.25*2*1+til (max x`id6) div 2); \
         m:(count x) div 2; ua:`k xkey ([] k:til m; v:1f*til m); ub:`k xkey ([] k:(m div 2)+til m; v:2f*(m div 2)+til m)",
    )
    .expect("setup");
    for (name, expr, cols) in [
        ("lj2", "x lj kt2", &["w"][..]),
        ("ij2", "x ij kt2", &["w"][..]),
        ("lj1", "x lj kt1", &["w"][..]),
        ("uj", "ua uj ub", &["v"][..]),
    ] {
        show(name, measure(&eng, expr, &check_of(cols), reps));
    }
}

fn lambda(reps: usize) {
    let eng = Engine::new();
    eng.eval_str("fib:{$[x<2;x;fib[x-1]+fib[x-2]]}; strs:string til 1000000")
        .expect("setup");
    for (name, expr) in [
        ("fib", "fib 25"),
        ("over", "{x+y*2}/[0;til 1000000]"),
        ("each_string", "count {x,reverse x} each strs"),
    ] {
        show(name, measure(&eng, expr, "enlist", reps));
    }
    // peach on secondary threads against the same work on the main thread.
    eng.eval_str("f:{sum sqrt til x}").expect("setup");
    for s in [0, 2] {
        eng.eval_str(&format!("system \"s {s}\"")).expect("\\s");
        show(
            &format!("peach_s{s}"),
            measure(&eng, "f peach 8#2000000", "{enlist sum x}", reps),
        );
    }
}

/// CPU seconds used by the whole process so far (every thread).
fn cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: ts is a valid timespec to write; the clock id is a constant the kernel knows.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let reps = |s: &str| s.parse::<usize>().expect("REPS");
    match args.get(1).map(String::as_str) {
        Some("groupby") => groupby(&args[2], reps(&args[3])),
        Some("ticks") => ticks(&args[2], reps(&args[3])),
        Some("joins") => joins(&args[2], reps(&args[3])),
        Some("lambda") => lambda(reps(&args[2])),
        // For looking into cases: the median wall and CPU time (all threads) of each
        // expression over REPS runs on the loaded G1 table (CPU time holds under a loaded
        // machine, where wall time does not).
        Some("time") => {
            let eng = Engine::new();
            load_g1(&eng, &args[2]);
            let n = reps(&args[3]);
            for e in &args[4..] {
                let (mut wall, mut cpu) = (Vec::new(), Vec::new());
                for _ in 0..n {
                    let (t, c) = (Instant::now(), cpu_seconds());
                    if let Err(err) = eng.eval_str(&format!("r:{e};")) {
                        println!("'{err}");
                    }
                    wall.push(t.elapsed().as_secs_f64());
                    cpu.push(cpu_seconds() - c);
                }
                wall.sort_by(|a, b| a.total_cmp(b));
                cpu.sort_by(|a, b| a.total_cmp(b));
                let (w, c) = (wall[n / 2] * 1e3, cpu[n / 2] * 1e3);
                println!("{w:9.2} ms wall {c:9.2} ms cpu  {e}");
            }
        }
        // For looking into a case: evaluates q on the loaded G1 table and prints the result.
        Some("eval") => {
            let eng = Engine::new();
            load_g1(&eng, &args[2]);
            for e in &args[3..] {
                match eng.eval_str(e) {
                    Ok(v) => println!("{}", eng.render(&v)),
                    Err(err) => println!("'{err}"),
                }
            }
        }
        _ => eprintln!(
            "usage: bench_groupby groupby DIR REPS | joins DIR REPS | ticks DIR REPS | lambda REPS"
        ),
    }
}
