//! An interactive q console on the embedded engine: `q [script.q] [-p port] [-c r c] [-P n]`.
//!
//! The console's thread is the engine's owner and runs the owner's event loop: the server's
//! sockets, the timer and other threads' calls. Console lines are read on a thread of their
//! own (the line editor on a terminal, plain lines from a pipe) and each entry is handed to the
//! owner to run, so the process serves while a line is being typed. When standard input ends
//! the console stops reading, and goes on serving if it listens on a port or runs a timer (as
//! kdb+ servers are run, `q s.q -p 5000 </dev/null`); otherwise it exits.

use std::sync::atomic::Ordering;
use std::time::Duration;

use q::q::session::{input, repl};
use q::q::Engine;

fn main() {
    let eng = Engine::global();
    eng.exit_allowed.store(true, Ordering::Relaxed);
    // What q prints appears as it is printed, not when the entry ends.
    eng.direct_output.store(true, Ordering::Relaxed);
    // Ctrl-C stops the running evaluation ('stop); it never ends the session.
    q::sys::sigint::install(&eng.stop);
    // Become the owner now, so the server's requests and other threads' calls come to this
    // thread's loop.
    let owner = q::owner::serve(Some(Duration::ZERO)).is_ok();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let console = repl::start(eng, &args, input::stdin());
    if !owner {
        // Another thread owns the engine (dedicated mode): read here, run there.
        console.run(eng, &|f| {
            let _ = q::owner::owner_bound(f);
        });
        return;
    }
    std::thread::spawn(move || {
        console.run(Engine::global(), &|f| {
            let _ = q::owner::owner_bound(f);
        })
    });
    loop {
        if q::owner::serve(None).is_err() {
            return;
        }
    }
}
