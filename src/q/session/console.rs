//! The console's reading and printing: when an entry is complete (brackets balanced), and the
//! text q prints for it (what `show` printed, then the value, or `'error`).

use super::engine::Engine;
use crate::obj::Error;

/// True when `text` closes every bracket it opens (outside strings and comments).
pub fn balanced(text: &str) -> bool {
    let mut depth = 0i32;
    let mut in_str = false;
    let mut prev = b' ';
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if in_str {
            if c == b'\\' {
                i += 2;
                continue;
            }
            if c == b'"' {
                in_str = false;
            }
        } else {
            match c {
                b'"' => in_str = true,
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth -= 1,
                b'/' if prev == b' ' || prev == b'\n' || prev == b'\t' => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                    continue;
                }
                _ => {}
            }
        }
        prev = c;
        i += 1;
    }
    // An unterminated string does not continue onto the next line; q reports it.
    depth <= 0
}

/// Runs one console entry and returns what q prints for it (without a final newline), or the
/// error it signals.
pub fn entry(eng: &Engine, text: &str) -> Result<String, Error> {
    let trimmed = text.trim_start();
    // A failure deep inside ('wsfull from an allocation, 'stack from a primitive recursing
    // over deeply nested data) unwinds to here and is reported like any error; the console
    // goes on.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if let Some(cmd) = trimmed.strip_prefix('\\') {
            super::system::command(eng, cmd).map(|v| {
                if crate::q::eval::verbs::is_identity(&v) {
                    None
                } else {
                    Some(eng.render(&v))
                }
            })
        } else if trimmed.starts_with('/') && !trimmed.contains('\n') {
            Ok(None)
        } else if let Some(handler) = eng.get_global(crate::obj::Sym::new(".z.pi")) {
            input_handler(eng, handler, text)
        } else {
            eng.console_eval(text)
        }
    }))
    .unwrap_or_else(|payload| Err(Error::from_panic(payload)));
    let mut out = eng.take_output();
    // What was printed before an error stays on the screen, followed by the error.
    let v = match result {
        Err(e) if !out.is_empty() => return Ok(format!("{out}{e}")),
        r => r?,
    };
    if let Some(v) = v {
        out.push_str(&v);
    } else if out.ends_with('\n') {
        out.pop();
    }
    Ok(out)
}

/// `.z.pi`, when the session defines it, takes each console line (with its newline) in
/// place of the console's own evaluation; the text it returns is printed as it is.
fn input_handler(
    eng: &Engine,
    handler: crate::obj::K,
    text: &str,
) -> Result<Option<String>, Error> {
    let mut cx = crate::q::eval::Ctx::new(eng);
    let line = crate::obj::K::string(format!("{text}\n"));
    let r = cx.apply(handler, vec![line])?;
    if r.t() == crate::obj::KC {
        eng.emit_raw(r.bytes());
    }
    Ok(None)
}

/// The prompt for the current namespace: `q)` or `q.ns)`.
pub fn prompt(eng: &Engine) -> String {
    let ns = eng.settings.lock().ns;
    if ns.is_empty() {
        "q)".to_string()
    } else {
        format!("q{})", ns.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_continue_while_brackets_are_open() {
        assert!(balanced("1+2"));
        assert!(!balanced("f:{[x]"));
        assert!(balanced("f:{[x]\n  x+1}"));
        assert!(balanced("\"(\""));
        assert!(balanced("x / a comment with ( in it"));
        assert!(balanced("\"unterminated"));
    }

    #[test]
    fn entry_prints_show_output_then_the_value() {
        let eng = Engine::new();
        assert_eq!(entry(&eng, "show 1 2; 3").unwrap(), "1 2\n3");
        assert_eq!(entry(&eng, "a:1").unwrap(), "");
        assert_eq!(entry(&eng, "\\d .x").unwrap(), "");
        assert_eq!(prompt(&eng), "q.x)");
        assert_eq!(entry(&eng, "1+`a").unwrap_err().msg().as_str(), "type");
    }
}
