//! An interactive q console on the embedded engine: `q [script.q] [-p port] [-c r c] [-P n]`.
//!
//! The console's thread is the engine's owner and runs the owner's event loop: standard input
//! is one of the descriptors it watches, beside the server's sockets, the timer and other
//! threads' calls. A line typed at a terminal goes through the line editor key by key as the
//! keys arrive; a complete entry runs there and then. The debugger (`q))`) waits for its lines
//! in the middle of an evaluation, from the same keyboard. When standard input ends the console
//! stops reading, and goes on serving if it listens on a port or runs a timer (as kdb+ servers
//! are run, `q s.q -p 5000 </dev/null`); otherwise the session ends (after `.z.exit`).

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;

use q::q::console;
use q::q::session::input::{Input, Keyboard, SharedKeyboard, Waiting};
use q::q::session::repl;
use q::q::Engine;

/// The entry being written: lines so far while its brackets are open.
#[derive(Default)]
struct Entry {
    open: Option<String>,
}

fn prompt(eng: &Engine, keyboard: &SharedKeyboard, entry: &Entry) {
    let p = if entry.open.is_some() {
        String::new()
    } else {
        console::prompt(eng)
    };
    keyboard.lock().begin(&p);
}

/// Standard input is ready: takes what arrived and runs each complete entry.
fn on_stdin(eng: &Engine, keyboard: &SharedKeyboard, entry: &Mutex<Entry>) {
    keyboard.lock().fill();
    loop {
        // The keyboard is not held while an entry runs: the debugger reads from it.
        let got = keyboard.lock().take_line();
        let mut e = entry.lock();
        match got {
            None => return,
            Some(Input::Line(line)) => {
                keyboard.lock().end();
                let text = match e.open.take() {
                    Some(mut open) => {
                        open.push('\n');
                        open.push_str(&line);
                        open
                    }
                    None => line,
                };
                if !console::balanced(&text) {
                    e.open = Some(text);
                } else {
                    drop(e);
                    repl::evaluate(eng, &text);
                    e = entry.lock();
                }
                prompt(eng, keyboard, &e);
            }
            Some(Input::Interrupt) => {
                e.open = None;
                prompt(eng, keyboard, &e);
            }
            Some(Input::Eof) => {
                keyboard.lock().end();
                if let Some(open) = e.open.take() {
                    drop(e);
                    repl::evaluate(eng, &open);
                }
                end_of_input(eng);
                return;
            }
        }
    }
}

/// Standard input ended: a server or timer goes on, else the session ends.
fn end_of_input(eng: &Engine) {
    q::owner::unwatch_fd(0);
    let serving = q::net::server::port() != 0 || q::net::server::threaded::port() != 0;
    if !serving && q::net::server::timer() == 0 {
        repl::end_of_input(eng);
        std::process::exit(0);
    }
}

/// Puts SIGTERM's bell on the owner's loop (run on the owner): it exits between tasks.
fn watch_sigterm() {
    if let Some(fd) = q::sys::sigterm::install() {
        q::owner::watch_fd(
            fd,
            Arc::new(|_| {
                q::sys::sigterm::drain();
                repl::end_of_input(Engine::global());
                std::process::exit(0);
            }),
        );
    }
}

fn main() {
    let eng = Engine::global();
    eng.exit_allowed.store(true, Ordering::Relaxed);
    // What q prints appears as it is printed, not when the entry ends.
    eng.direct_output.store(true, Ordering::Relaxed);
    // Ctrl-C stops the running evaluation ('stop); it never ends the session.
    Engine::catch_interrupts(q::sys::signals::WhenIdle::Nothing);
    // Become the owner now, so the server's requests and other threads' calls come to this
    // thread's loop.
    let owner = q::owner::serve(Some(Duration::ZERO)).is_ok();
    let keyboard: SharedKeyboard = Arc::new(Mutex::new(Keyboard::stdin()));
    let waiting: repl::Source = Arc::new(Mutex::new(Box::new(Waiting(keyboard.clone()))));
    repl::install_debugger(eng, waiting.clone());
    let args: Vec<String> = std::env::args().skip(1).collect();
    let started = q::owner::owner_bound(move || repl::start_script(Engine::global(), &args));
    if let Err(e) = started {
        println!("{e}");
    }
    // SIGTERM is `exit 0` once the running task is done (.z.exit runs), in either mode: the
    // bell is watched by whichever thread owns the engine (this one, or the dedicated owner).
    let _ = q::owner::owner_bound(watch_sigterm);
    if !owner {
        // Another thread owns the engine (dedicated mode): read here, run each entry there.
        // The owner shows each prompt after its entry (repl::run says why).
        let exec = |text: &str| {
            let text = text.to_string();
            q::owner::owner_bound(move || {
                repl::evaluate(Engine::global(), &text);
                repl::show_prompt(Engine::global())
            })
            .unwrap_or_else(|e| {
                println!("{e}");
                String::new()
            })
        };
        let first = q::owner::owner_bound(|| repl::show_prompt(Engine::global()));
        repl::run(&waiting, first.unwrap_or_default(), &exec);
        let _ = q::owner::owner_bound(|| end_of_input(Engine::global()));
        // Standard input ended and the server goes on: the owner thread serves it.
        loop {
            std::thread::park();
        }
    }
    let entry = Arc::new(Mutex::new(Entry::default()));
    prompt(eng, &keyboard, &entry.lock());
    let kb = keyboard.clone();
    q::owner::watch_fd(
        0,
        Arc::new(move |_| on_stdin(Engine::global(), &kb, &entry)),
    );
    loop {
        if q::owner::serve(None).is_err() {
            return;
        }
    }
}
