//! Where the console's lines come from: a terminal, read key by key through the line editor
//! in raw mode (so Ctrl-C abandons the line instead of killing anything), or a pipe or file,
//! read line by line with the prompt still written, as q does.

use std::io::{BufRead, Read, Write};

use super::lineedit::{Editor, Event};

/// One read.
pub enum Input {
    Line(String),
    /// Ctrl-C while the line was being written.
    Interrupt,
    /// End of input.
    Eof,
}

/// A source of console lines.
pub trait LineSource: Send {
    /// Writes `prompt` and reads a line.
    fn read(&mut self, prompt: &str) -> Input;
}

/// Standard input: the line editor on a terminal, plain lines otherwise.
pub fn stdin() -> Box<dyn LineSource> {
    if crate::sys::terminal::is_terminal(0) && crate::sys::terminal::is_terminal(1) {
        Box::new(Terminal {
            editor: Editor::new(),
        })
    } else {
        Box::new(Plain)
    }
}

struct Plain;

impl LineSource for Plain {
    fn read(&mut self, prompt: &str) -> Input {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(prompt.as_bytes());
        let _ = out.flush();
        drop(out);
        let mut line = String::new();
        match std::io::stdin().lock().read_line(&mut line) {
            Ok(0) | Err(_) => Input::Eof,
            Ok(_) => {
                if line.ends_with('\n') {
                    line.pop();
                    if line.ends_with('\r') {
                        line.pop();
                    }
                }
                Input::Line(line)
            }
        }
    }
}

struct Terminal {
    editor: Editor,
}

impl LineSource for Terminal {
    fn read(&mut self, prompt: &str) -> Input {
        let Some(_raw) = crate::sys::terminal::RawMode::enter(0) else {
            return Plain.read(prompt);
        };
        let width = crate::sys::terminal::columns(1).unwrap_or(80);
        self.editor.begin();
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(self.editor.render(prompt, width).as_bytes());
        let _ = out.flush();
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        let mut byte = [0u8; 1];
        loop {
            match input.read(&mut byte) {
                Ok(0) => return Input::Eof,
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => return Input::Eof,
            }
            match self.editor.key(byte[0]) {
                Event::Pending => continue,
                Event::Redraw => {
                    let _ = out.write_all(self.editor.render(prompt, width).as_bytes());
                }
                Event::Done(line) => {
                    let _ = out.write_all(b"\n");
                    let _ = out.flush();
                    return Input::Line(line);
                }
                Event::Interrupt => {
                    let _ = out.write_all(b"\n");
                    let _ = out.flush();
                    return Input::Interrupt;
                }
                Event::Eof => {
                    let _ = out.write_all(b"\n");
                    let _ = out.flush();
                    return Input::Eof;
                }
            }
            let _ = out.flush();
        }
    }
}
