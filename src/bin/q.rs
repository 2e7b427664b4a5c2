//! An interactive q console on the embedded engine: `q [script.q] [-p port] [-c r c] [-P n]`.

use std::sync::atomic::Ordering;

use q::q::session::{input, repl};
use q::q::Engine;

fn main() {
    let eng = Engine::global();
    eng.exit_allowed.store(true, Ordering::Relaxed);
    // What q prints appears as it is printed, not when the entry ends.
    eng.direct_output.store(true, Ordering::Relaxed);
    // Ctrl-C stops the running evaluation ('stop); it never ends the session.
    q::sys::sigint::install(&eng.stop);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let stdin = input::stdin();
    repl::start(eng, &args, stdin);
}
