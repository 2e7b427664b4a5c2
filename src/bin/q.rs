//! An interactive q console on the embedded engine: `q [script.q] [-p port] [-c r c] [-P n]`.

use std::io::{BufRead, Write};
use std::sync::atomic::Ordering;

use q::q::console;
use q::q::Engine;

fn main() {
    let eng = Engine::global();
    eng.exit_allowed.store(true, Ordering::Relaxed);
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Err(e) = eng.start(&args) {
        println!("{e}");
    }
    print!("{}", eng.take_output());
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    loop {
        print!("{}", console::prompt(eng));
        let _ = std::io::stdout().flush();
        let Some(Ok(mut text)) = lines.next() else {
            break;
        };
        while !console::balanced(&text) {
            match lines.next() {
                Some(Ok(more)) => {
                    text.push('\n');
                    text.push_str(&more);
                }
                _ => break,
            }
        }
        if text.trim() == "\\\\" {
            break;
        }
        if text.trim().is_empty() {
            continue;
        }
        match console::entry(eng, &text) {
            Ok(out) if out.is_empty() => {}
            Ok(out) => println!("{out}"),
            Err(e) => println!("{e}"),
        }
    }
}
