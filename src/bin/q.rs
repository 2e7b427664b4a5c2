//! An interactive q console on the embedded engine: `q [script.q] [-p port] [-c r c] [-P n]`.
//!
//! The console's thread is the engine's owner and runs the owner's event loop: standard input
//! is one of the descriptors it watches, beside the server's sockets, the timer and other
//! threads' calls. When standard input ends the console stops reading, and goes on serving if
//! it listens on a port or runs a timer (as kdb+ servers are run, `q s.q -p 5000 </dev/null`);
//! otherwise it exits.

use std::io::{BufRead, Write};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use q::q::console;
use q::q::Engine;

/// Console input not yet evaluated: a partial line, and lines of an entry whose brackets are
/// still open.
#[derive(Default)]
struct Input {
    line: Vec<u8>,
    entry: Option<String>,
}

fn prompt(eng: &Engine) {
    print!("{}", console::prompt(eng));
    let _ = std::io::stdout().flush();
}

/// One complete line typed (without its newline): evaluated once the entry it belongs to is
/// complete.
fn line(eng: &Engine, input: &mut Input, text: String) {
    let text = match input.entry.take() {
        Some(mut open) => {
            open.push('\n');
            open.push_str(&text);
            open
        }
        None => text,
    };
    if !console::balanced(&text) {
        input.entry = Some(text);
        return;
    }
    if text.trim() == "\\\\" {
        std::process::exit(0);
    }
    if !text.trim().is_empty() {
        match console::entry(eng, &text) {
            Ok(out) if out.is_empty() => {}
            Ok(out) => println!("{out}"),
            Err(e) => println!("{e}"),
        }
    }
    prompt(eng);
}

/// Standard input became readable: takes what arrived and evaluates each complete entry.
fn on_stdin(eng: &Engine, input: &Mutex<Input>) {
    let mut input = input.lock().unwrap_or_else(|p| p.into_inner());
    let stdin = std::io::stdin();
    let mut lock = stdin.lock();
    let chunk = match lock.fill_buf() {
        Ok(b) => b.to_vec(),
        Err(_) => Vec::new(),
    };
    lock.consume(chunk.len());
    drop(lock);
    if chunk.is_empty() {
        end_of_input(eng, &mut input);
        return;
    }
    input.line.extend_from_slice(&chunk);
    while let Some(nl) = input.line.iter().position(|&c| c == b'\n') {
        let mut l: Vec<u8> = input.line.drain(..=nl).collect();
        l.pop();
        if l.last() == Some(&b'\r') {
            l.pop();
        }
        line(eng, &mut input, String::from_utf8_lossy(&l).into_owned());
    }
}

fn end_of_input(eng: &Engine, input: &mut Input) {
    if !input.line.is_empty() {
        let rest = String::from_utf8_lossy(&std::mem::take(&mut input.line)).into_owned();
        line(eng, input, rest);
    }
    if let Some(open) = input.entry.take() {
        if let Err(e) = console::entry(eng, &open) {
            println!("{e}");
        }
    }
    q::owner::unwatch_fd(0);
    let serving = q::net::server::port() != 0 || q::net::server::threaded::port() != 0;
    if !serving && q::net::server::timer() == 0 {
        std::process::exit(0);
    }
}

fn main() {
    let eng = Engine::global();
    eng.exit_allowed.store(true, Ordering::Relaxed);
    // Become the owner now, so the server's requests and other threads' calls come to this
    // thread's loop.
    let owner = q::owner::serve(Some(Duration::ZERO)).is_ok();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Err(e) = eng.start(&args) {
        println!("{e}");
    }
    print!("{}", eng.take_output());
    prompt(eng);
    if !owner {
        // Another thread owns the engine (dedicated mode): read stdin on this one.
        let input = Mutex::new(Input::default());
        loop {
            on_stdin(eng, &input);
        }
    }
    let input = Arc::new(Mutex::new(Input::default()));
    q::owner::watch_fd(0, Arc::new(move |_| on_stdin(Engine::global(), &input)));
    loop {
        if q::owner::serve(None).is_err() {
            return;
        }
    }
}
