//! Vector primitives on 10 million longs and floats, and the cost of small `k(0,"...")` calls,
//! timed on the embedded engine. Prints one `name seconds` line per measurement (best of
//! several runs); scripts/bench-q.sh puts numpy's figures beside them.

use std::time::Instant;

use q::q::Engine;

fn best(eng: &Engine, expr: &str, runs: usize) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..runs {
        let t = Instant::now();
        let r = eng.eval_str(expr);
        let dt = t.elapsed().as_secs_f64();
        if let Err(e) = r {
            eprintln!("{expr}: {e}");
            return f64::NAN;
        }
        best = best.min(dt);
    }
    best
}

fn main() {
    let eng = Engine::new();
    let n = 10_000_000;
    eng.eval_str(&format!(
        "x:til {n}; y:reverse x; f:0.5*x; g:0.25*y; b:x<{}; d:x mod 1000",
        n / 2
    ))
    .expect("setup");
    let cases = [
        ("til_long", format!("til {n}")),
        ("add_long", "x+y".to_string()),
        ("add_float", "f+g".to_string()),
        ("mul_long", "x*y".to_string()),
        ("mul_float", "f*g".to_string()),
        ("sum_long", "sum x".to_string()),
        ("sum_float", "sum f".to_string()),
        ("where_bool", "where b".to_string()),
        ("lt_long", "x<y".to_string()),
        ("lt_float", "f<g".to_string()),
        ("distinct_long", "distinct d".to_string()),
        // One lookup in 10M sorted items: a binary search, not a pass (was 45 ms at 400k).
        ("bin_one", "x bin 1234567".to_string()),
    ];
    for (name, expr) in &cases {
        println!("{name} {:.6}", best(&eng, expr, 5));
    }
    // A million small calls through the same path as k(0,"...").
    let calls = 1_000_000;
    let t = Instant::now();
    for _ in 0..calls {
        let _ = eng.k(b"1+2", Vec::new());
    }
    let per = t.elapsed().as_secs_f64() / calls as f64;
    println!("k_small_call {per:.9}");
    let t = Instant::now();
    for i in 0..calls {
        let _ = eng.k(b"{x+y}", vec![q::obj::K::long(i), q::obj::K::long(1)]);
    }
    let per = t.elapsed().as_secs_f64() / calls as f64;
    println!("k_lambda_call {per:.9}");
}
