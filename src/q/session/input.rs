//! Where the console's lines come from: standard input, read key by key through the line
//! editor in raw mode on a terminal (so Ctrl-C abandons the line instead of killing anything),
//! or line by line from a pipe or file, with the prompt still written, as q does.
//!
//! `Keyboard` keeps what was read ahead (a pipe delivers many lines at once), so the owner's
//! event loop, which reads when standard input is ready, and the debugger, which waits for its
//! next line in the middle of an evaluation, take lines from the same place in order.

use std::collections::VecDeque;
use std::io::{BufRead, Write};
use std::sync::Arc;

use parking_lot::Mutex;

use super::lineedit::{Editor, Event};
use crate::sys::terminal::{self, RawMode};

/// One read.
pub enum Input {
    Line(String),
    /// Ctrl-C while the line was being written.
    Interrupt,
    /// End of input.
    Eof,
}

/// A source of console lines that waits for the next one.
pub trait LineSource: Send {
    /// Writes `prompt` and reads a line.
    fn read(&mut self, prompt: &str) -> Input;
    /// Reads a line typed after `shown`, text already on the screen's line (`read0 0` after
    /// `1">> "`): the line editor keeps it in front of what it draws.
    fn read_after(&mut self, _shown: &str) -> Input {
        self.read("")
    }
}

/// Standard input as the console reads it.
pub struct Keyboard {
    /// A terminal on both standard input and output: the line editor runs.
    tty: bool,
    editor: Editor,
    /// Bytes read and not yet taken.
    pending: VecDeque<u8>,
    /// A pipe's line so far.
    line: Vec<u8>,
    raw: Option<RawMode>,
    prompt: String,
    width: usize,
    ended: bool,
}

impl Keyboard {
    pub fn stdin() -> Keyboard {
        Keyboard {
            tty: terminal::is_terminal(0) && terminal::is_terminal(1),
            editor: Editor::new(),
            pending: VecDeque::new(),
            line: Vec::new(),
            raw: None,
            prompt: String::new(),
            width: 80,
            ended: false,
        }
    }

    /// Writes the prompt and starts a line (raw mode on a terminal).
    pub fn begin(&mut self, prompt: &str) {
        crate::sys::stdio::forget_line_tail();
        self.prompt = prompt.to_string();
        if self.tty {
            if self.raw.is_none() {
                self.raw = RawMode::enter(0);
            }
            self.width = terminal::columns(1).unwrap_or(80);
            self.editor.begin();
            write(&self.editor.render(prompt, self.width));
        } else {
            write(prompt);
        }
    }

    /// The next line from what has been read, if one is complete (or input has ended).
    pub fn take_line(&mut self) -> Option<Input> {
        if self.tty && self.raw.is_some() {
            while let Some(b) = self.pending.pop_front() {
                match self.editor.key(b) {
                    Event::Pending => {}
                    Event::Redraw => write(&self.editor.render(&self.prompt, self.width)),
                    Event::Done(line) => {
                        write("\n");
                        return Some(Input::Line(line));
                    }
                    Event::Interrupt => {
                        write("\n");
                        return Some(Input::Interrupt);
                    }
                    Event::Eof => {
                        write("\n");
                        return Some(Input::Eof);
                    }
                }
            }
            return self.ended.then_some(Input::Eof);
        }
        while let Some(b) = self.pending.pop_front() {
            if b == b'\n' {
                return Some(Input::Line(line_text(&mut self.line)));
            }
            self.line.push(b);
        }
        match (self.ended, self.line.is_empty()) {
            (true, true) => Some(Input::Eof),
            // The last line had no newline.
            (true, false) => Some(Input::Line(line_text(&mut self.line))),
            _ => None,
        }
    }

    /// Reads what standard input has, waiting for something; false at its end.
    pub fn fill(&mut self) -> bool {
        if self.ended {
            return false;
        }
        let stdin = std::io::stdin();
        let mut lock = stdin.lock();
        let chunk = loop {
            match lock.fill_buf() {
                Ok(b) => break b.to_vec(),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => break Vec::new(),
            }
        };
        lock.consume(chunk.len());
        if chunk.is_empty() {
            self.ended = true;
            return false;
        }
        self.pending.extend(chunk);
        true
    }

    /// The line is done: the terminal goes back to normal for what runs and prints.
    pub fn end(&mut self) {
        self.raw = None;
    }
}

fn line_text(line: &mut Vec<u8>) -> String {
    let mut l = std::mem::take(line);
    if l.last() == Some(&b'\r') {
        l.pop();
    }
    String::from_utf8_lossy(&l).into_owned()
}

fn write(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// A keyboard shared by the event loop and the debugger.
pub type SharedKeyboard = Arc<Mutex<Keyboard>>;

/// Reading a whole line from a shared keyboard, waiting as long as it takes (the debugger's
/// way, and the console's when another thread owns the engine).
pub struct Waiting(pub SharedKeyboard);

impl LineSource for Waiting {
    fn read_after(&mut self, shown: &str) -> Input {
        let tty = self.0.lock().tty;
        self.read(if tty { shown } else { "" })
    }

    fn read(&mut self, prompt: &str) -> Input {
        let mut k = self.0.lock();
        k.begin(prompt);
        loop {
            if let Some(got) = k.take_line() {
                k.end();
                return got;
            }
            k.fill();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipe_lines_are_taken_in_order_whoever_reads() {
        let mut k = Keyboard::stdin();
        k.tty = false;
        k.pending.extend(b"1+1\r\nf`a\nx".iter().copied());
        assert!(matches!(k.take_line(), Some(Input::Line(l)) if l == "1+1"));
        assert!(matches!(k.take_line(), Some(Input::Line(l)) if l == "f`a"));
        assert!(k.take_line().is_none());
        k.ended = true;
        assert!(matches!(k.take_line(), Some(Input::Line(l)) if l == "x"));
        assert!(matches!(k.take_line(), Some(Input::Eof)));
    }
}
