//! Test values written the way the documentation writes them (`` ([]a:1 2;b:`x`y) ``,
//! `(1;"a";2 3f)`, or as the console displays them, `,9 9`), built by the interpreter itself,
//! so the formatter's tests and the parser agree on what a literal means.

use crate::obj::K;
use crate::q::session::engine::Engine;

thread_local! {
    /// One engine per test thread: tests run in parallel and must not share globals.
    static ENGINE: Engine = Engine::new();
}

/// The value of `src`; panics (failing the test) when q signals an error.
pub fn q(src: &str) -> K {
    try_eval(src).unwrap_or_else(|e| panic!("{src}: '{e}"))
}

/// Like `q`, but `None` when q signals an error (a console cell such as `dog` names nothing).
pub fn try_q(src: &str) -> Option<K> {
    try_eval(src).ok()
}

fn try_eval(src: &str) -> Result<K, String> {
    if src.trim_start().starts_with('/') {
        // A console cell such as a file path; to q it would be a comment.
        return Err("comment".into());
    }
    let text = enlists_spelled_out(src);
    ENGINE
        .with(|e| e.eval_str(&text))
        .map_err(|e| e.msg().as_str().to_string())
}

/// The console shows a one-item list as `,x`, k's enlist; q's parser has no unary `,`, so each
/// such comma (one that starts an expression or follows an attribute's `#`, outside strings) becomes `enlist `.
fn enlists_spelled_out(src: &str) -> String {
    let mut out = String::with_capacity(src.len() + 16);
    let mut in_string = false;
    let mut prev = None;
    let mut chars = src.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                '\\' => out.extend(chars.next()),
                '"' => in_string = false,
                _ => {}
            }
        } else if c == ','
            && matches!(
                prev,
                None | Some('(' | ';' | '[' | '!' | ':' | '#' | ',' | ' ')
            )
        {
            out.push_str("enlist ");
        } else {
            in_string = c == '"';
            out.push(c);
        }
        prev = Some(c);
    }
    out
}
