//! Profiling aid for the interpreter's own costs: runs one expression on the embedded engine
//! after defining the lambda benchmark's `fib` (and an optional setup expression), and prints
//! whether it succeeded and its wall time. Under callgrind it gives the instruction counts the
//! lambda commits cite:
//!
//!     valgrind --tool=callgrind target/release/examples/prof_lambda "fib 18"
//!     valgrind --tool=callgrind target/release/examples/prof_lambda "{x+y*2}/[0;til 20000]"
//!     ... prof_lambda "count {x,reverse x} each strs" "strs:string til 20000"
//!
//! Timings against CPython come from scripts/bench-groupby.sh --only lambda.

use q::q::Engine;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(expr) = args.get(1) else {
        eprintln!("usage: prof_lambda EXPR [SETUP]");
        std::process::exit(2);
    };
    let eng = Engine::new();
    eng.eval_str("fib:{$[x<2;x;fib[x-1]+fib[x-2]]}")
        .expect("setup");
    if let Some(setup) = args.get(2) {
        eng.eval_str(setup).expect("setup");
    }
    let t = std::time::Instant::now();
    let r = eng.eval_str(expr);
    eprintln!("{} {:.3} ms", r.is_ok(), t.elapsed().as_secs_f64() * 1e3);
}
