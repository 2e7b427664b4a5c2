//! An interactive q console on the embedded engine: `q [script.q] [-p port] [-c r c] [-P n]`.

use std::io::{BufRead, Write};
use std::sync::atomic::Ordering;

use q::q::console;
use q::q::Engine;

fn main() {
    let eng = Engine::global();
    eng.exit_allowed.store(true, Ordering::Relaxed);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut script = None;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if let Some(opt) = a.strip_prefix('-') {
            let mut vals = Vec::new();
            while i + 1 < args.len() && !args[i + 1].starts_with('-') || (i + 1 < args.len() && args[i + 1].parse::<i64>().is_ok()) {
                vals.push(args[i + 1].clone());
                i += 1;
                if opt != "c" || vals.len() == 2 {
                    break;
                }
            }
            let joined = vals.join(" ");
            match opt {
                "p" | "c" | "P" => {
                    let _ = q::q::system::command(eng, &format!("{opt} {joined}"));
                }
                _ => {}
            }
            eng.settings.lock().options.push((opt.to_string(), joined));
        } else if script.is_none() {
            script = Some(a.clone());
        }
        i += 1;
    }
    if let Some(path) = script {
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                if let Err(e) = eng.run_script(&text) {
                    println!("{e}");
                }
                print!("{}", eng.take_output());
            }
            Err(_) => println!("'{path}"),
        }
    }
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    loop {
        print!("{}", console::prompt(eng));
        let _ = std::io::stdout().flush();
        let Some(Ok(mut text)) = lines.next() else { break };
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
