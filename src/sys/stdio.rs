//! What q prints (`show`, `0N!`, `-1`, `1 "..."`, `-2`, `2 "..."`) goes out through C's own
//! `stdout` and `stderr` streams, flushed at once: a C host that loaded the library shares
//! those streams, so what it printed before a `k()` call comes out before what q printed
//! during it, and q's text reaches a pipe while the call runs, not when the host flushes.
//! Anything the console printed through Rust's buffered stdout goes first, for the same reason.

use std::io::Write;
use std::sync::Mutex;

/// What standard output's last line holds so far (after its last newline, at most
/// `TAIL_MAX` bytes): the console's line editor shows it before a line `read0 0` reads.
static LINE_TAIL: Mutex<Vec<u8>> = Mutex::new(Vec::new());
const TAIL_MAX: usize = 256;

/// The text written to standard output since its last newline.
pub fn line_tail() -> Vec<u8> {
    LINE_TAIL.lock().map(|t| t.clone()).unwrap_or_default()
}

/// Forgets that text (the console starts a line of its own).
pub fn forget_line_tail() {
    if let Ok(mut t) = LINE_TAIL.lock() {
        t.clear();
    }
}

fn note_output(bytes: &[u8]) {
    if let Ok(mut t) = LINE_TAIL.lock() {
        match bytes.iter().rposition(|&b| b == b'\n') {
            Some(nl) => {
                t.clear();
                t.extend_from_slice(&bytes[nl + 1..]);
            }
            None => t.extend_from_slice(bytes),
        }
        if t.len() > TAIL_MAX {
            t.clear();
        }
    }
}

extern "C" {
    // glibc's standard streams (`FILE *stdout`, `FILE *stderr`), defined since GLIBC_2.2.5.
    static stdout: *mut libc::FILE;
    static stderr: *mut libc::FILE;
}

/// Which standard stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Out,
    Err,
}

/// Writes `bytes` to the stream and flushes it. Errors (a closed descriptor, a full disk) are
/// ignored, as q ignores them.
pub fn write(stream: Stream, bytes: &[u8]) {
    write_parts(stream, &[bytes]);
}

/// Writes the parts one after another, then flushes once.
pub fn write_parts(stream: Stream, parts: &[&[u8]]) {
    let _ = std::io::stdout().flush();
    // SAFETY: reading the address glibc keeps in its own global stream pointers; glibc sets
    // them before any code of ours runs and a host may only replace them with other streams.
    let file = unsafe {
        match stream {
            Stream::Out => stdout,
            Stream::Err => stderr,
        }
    };
    if file.is_null() {
        return;
    }
    for bytes in parts.iter().filter(|b| !b.is_empty()) {
        if stream == Stream::Out {
            note_output(bytes);
        }
        // SAFETY: `bytes` is valid for `len` reads; `file` is a live stream (above). fwrite
        // takes the stream's own lock.
        unsafe { libc::fwrite(bytes.as_ptr().cast(), 1, bytes.len(), file) };
    }
    // SAFETY: as above.
    unsafe { libc::fflush(file) };
}
