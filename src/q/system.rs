//! System commands: `\d \c \P \l \p \t \ts \v \f \a \e \\`, and `system "..."`.

use std::time::Instant;

use super::engine::Engine;
use crate::obj::*;

fn ns_sym(ns: Sym) -> K {
    K::sym(if ns.is_empty() { Sym::new(".") } else { ns })
}

/// Runs `\cmd` (the text after the backslash); the value the console shows.
pub fn command(eng: &Engine, cmd: &str) -> Result<K> {
    let cmd = cmd.trim();
    let (name, arg) = match cmd.find(' ') {
        Some(p) => (&cmd[..p], cmd[p + 1..].trim()),
        None => (cmd, ""),
    };
    match name {
        "d" => {
            if arg.is_empty() {
                return Ok(ns_sym(eng.settings.lock().ns));
            }
            let ns = if arg == "." {
                Sym::empty()
            } else {
                Sym::new(arg)
            };
            if !arg.starts_with('.') {
                return Err(Error::new("domain"));
            }
            eng.settings.lock().ns = ns;
            Ok(K::identity())
        }
        "c" => {
            if arg.is_empty() {
                let (r, c) = eng.settings.lock().console;
                return Ok(K::from_slice(KI, &[r as i32, c as i32]));
            }
            let v: Vec<usize> = arg
                .split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect();
            if v.len() != 2 {
                return Err(Error::type_());
            }
            eng.settings.lock().console = (v[0].clamp(10, 10_000), v[1].clamp(10, 10_000));
            Ok(K::identity())
        }
        "P" => {
            if arg.is_empty() {
                return Ok(K::int(eng.settings.lock().precision as i32));
            }
            let p: usize = arg.parse().map_err(|_| Error::type_())?;
            eng.settings.lock().precision = p.min(17);
            Ok(K::identity())
        }
        "p" => {
            if arg.is_empty() {
                return Ok(K::int(eng.settings.lock().port as i32));
            }
            let p: i64 = arg.parse().map_err(|_| Error::type_())?;
            eng.settings.lock().port = p;
            Ok(K::identity())
        }
        "l" => {
            let text = std::fs::read_to_string(arg).map_err(|_| Error::new(arg))?;
            eng.run_script(&text)?;
            Ok(K::identity())
        }
        "t" | "ts" => {
            let (reps, expr) = match name.len() {
                _ if arg.starts_with(':') => {
                    let e = arg.find(' ').unwrap_or(arg.len());
                    (arg[1..e].parse::<u64>().unwrap_or(1), arg[e..].trim())
                }
                _ => (1, arg),
            };
            let start = Instant::now();
            for _ in 0..reps.max(1) {
                eng.eval_str(expr)?;
            }
            let ms = start.elapsed().as_millis() as i64;
            if name == "t" {
                Ok(K::long(ms))
            } else {
                Ok(K::from_slice(KJ, &[ms, 0]))
            }
        }
        "v" | "f" | "a" => {
            let ns = if arg.is_empty() {
                let n = eng.settings.lock().ns;
                n.as_bytes().to_vec()
            } else if arg == "." {
                Vec::new()
            } else {
                arg.as_bytes().to_vec()
            };
            let names = eng.names_in(&ns);
            let keep: Vec<Sym> = names
                .into_iter()
                .filter(|n| {
                    let full = if ns.is_empty() {
                        *n
                    } else {
                        super::engine::qualify(*n, Sym::new(&ns))
                    };
                    let v = eng.get_global(full);
                    match name {
                        "f" => v.is_some_and(|v| v.t() >= LAMBDA && v.t() != 112),
                        "a" => v.is_some_and(|v| v.t() == XT),
                        _ => true,
                    }
                })
                .collect();
            Ok(K::from_slice(KS, &keep))
        }
        "\\" => eng.exit(0),
        "e" | "g" | "o" | "s" | "S" | "T" | "W" | "z" | "b" | "B" | "x" | "r" | "u" | "w" => {
            Ok(K::identity())
        }
        _ => Err(Error::nyi()),
    }
}

/// `system "..."`: the command's value.
pub fn system_value(eng: &Engine, s: &str) -> Result<K> {
    let s = s.strip_prefix('\\').unwrap_or(s);
    command(eng, s)
}
