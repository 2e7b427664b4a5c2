//! The console's line editor: keys in, a line out. Arrow keys move and recall history,
//! Home/End and Ctrl-A/E jump, Backspace/Delete and Ctrl-K/U/W cut, Ctrl-C abandons the line,
//! Ctrl-D on an empty line ends input. Terminal escape sequences are read whole (CSI `ESC [`
//! parameters and a final byte, SS3 `ESC O x`, or `ESC x`), so none of their bytes (the `[` of an
//! arrow key above all) ever lands in the line. Knows no terminal: `render` says what to write.

/// What a key did.
#[derive(Debug, PartialEq, Eq)]
pub enum Event {
    /// The line changed or the cursor moved: write `render`.
    Redraw,
    /// Nothing visible happened (a byte in the middle of a sequence or a character).
    Pending,
    /// Enter: the line is done.
    Done(String),
    /// Ctrl-C: the line is abandoned.
    Interrupt,
    /// Ctrl-D on an empty line: no more input.
    Eof,
}

/// Where an escape sequence stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Escape {
    None,
    /// After ESC.
    Started,
    /// After `ESC [`, collecting parameter bytes.
    Csi,
    /// After `ESC O`.
    Ss3,
}

pub struct Editor {
    line: Vec<char>,
    cursor: usize,
    history: Vec<String>,
    /// The history entry shown (history.len() for the line being written).
    recalled: usize,
    /// The line being written while history is shown.
    draft: Vec<char>,
    escape: Escape,
    params: Vec<u8>,
    /// Bytes of a UTF-8 character not yet complete.
    partial: Vec<u8>,
}

impl Default for Editor {
    fn default() -> Self {
        Editor::new()
    }
}

impl Editor {
    pub fn new() -> Editor {
        Editor {
            line: Vec::new(),
            cursor: 0,
            history: Vec::new(),
            recalled: 0,
            draft: Vec::new(),
            escape: Escape::None,
            params: Vec::new(),
            partial: Vec::new(),
        }
    }

    /// Starts a new line.
    pub fn begin(&mut self) {
        self.line.clear();
        self.cursor = 0;
        self.recalled = self.history.len();
        self.draft.clear();
        self.escape = Escape::None;
        self.partial.clear();
    }

    /// The line so far.
    pub fn text(&self) -> String {
        self.line.iter().collect()
    }

    /// Takes one byte from the terminal.
    pub fn key(&mut self, b: u8) -> Event {
        match self.escape {
            Escape::Started => {
                self.escape = match b {
                    b'[' => Escape::Csi,
                    b'O' => Escape::Ss3,
                    // Alt and a key, or a lone ESC followed by a key: both are dropped.
                    _ => Escape::None,
                };
                self.params.clear();
                return Event::Pending;
            }
            Escape::Csi => {
                if (0x40..=0x7e).contains(&b) {
                    self.escape = Escape::None;
                    let params = std::mem::take(&mut self.params);
                    return self.csi(&params, b);
                }
                // Parameter and intermediate bytes; anything else aborts the sequence.
                if !(0x20..=0x3f).contains(&b) {
                    self.escape = Escape::None;
                }
                self.params.push(b);
                return Event::Pending;
            }
            Escape::Ss3 => {
                self.escape = Escape::None;
                return self.csi(&[], b);
            }
            Escape::None => {}
        }
        if !self.partial.is_empty() || b >= 0x80 {
            return self.utf8(b);
        }
        match b {
            0x1b => {
                self.escape = Escape::Started;
                Event::Pending
            }
            b'\r' | b'\n' => {
                let text = self.text();
                if !text.trim().is_empty() && self.history.last() != Some(&text) {
                    self.history.push(text.clone());
                }
                Event::Done(text)
            }
            0x03 => Event::Interrupt,
            0x04 => {
                if self.line.is_empty() {
                    Event::Eof
                } else {
                    self.delete_forward()
                }
            }
            0x7f | 0x08 => {
                if self.cursor == 0 {
                    return Event::Pending;
                }
                self.cursor -= 1;
                self.line.remove(self.cursor);
                Event::Redraw
            }
            0x01 => self.move_to(0),
            0x05 => self.move_to(self.line.len()),
            0x02 => self.move_to(self.cursor.saturating_sub(1)),
            0x06 => self.move_to((self.cursor + 1).min(self.line.len())),
            0x0b => {
                self.line.truncate(self.cursor);
                Event::Redraw
            }
            0x15 => {
                self.line.drain(..self.cursor);
                self.cursor = 0;
                Event::Redraw
            }
            0x17 => {
                let mut start = self.cursor;
                while start > 0 && self.line[start - 1] == ' ' {
                    start -= 1;
                }
                while start > 0 && self.line[start - 1] != ' ' {
                    start -= 1;
                }
                self.line.drain(start..self.cursor);
                self.cursor = start;
                Event::Redraw
            }
            0x0c => Event::Redraw,
            0x10 => self.recall(-1),
            0x0e => self.recall(1),
            b'\t' => self.insert(' '),
            c if c >= 0x20 => self.insert(c as char),
            // Other control keys do nothing.
            _ => Event::Pending,
        }
    }

    /// A complete `ESC [ params final` (or `ESC O final`) sequence.
    fn csi(&mut self, params: &[u8], last: u8) -> Event {
        match (params, last) {
            (_, b'A') => self.recall(-1),
            (_, b'B') => self.recall(1),
            (_, b'C') => self.move_to((self.cursor + 1).min(self.line.len())),
            (_, b'D') => self.move_to(self.cursor.saturating_sub(1)),
            (_, b'H') | (b"1" | b"7", b'~') => self.move_to(0),
            (_, b'F') | (b"4" | b"8", b'~') => self.move_to(self.line.len()),
            (b"3", b'~') => self.delete_forward(),
            // Insert, page keys, function keys, mouse reports...: nothing.
            _ => Event::Pending,
        }
    }

    fn utf8(&mut self, b: u8) -> Event {
        self.partial.push(b);
        match std::str::from_utf8(&self.partial) {
            Ok(s) => {
                let c = s.chars().next().unwrap_or('?');
                self.partial.clear();
                self.insert(c)
            }
            Err(e) if e.error_len().is_none() && self.partial.len() < 4 => Event::Pending,
            Err(_) => {
                self.partial.clear();
                Event::Pending
            }
        }
    }

    fn insert(&mut self, c: char) -> Event {
        self.line.insert(self.cursor, c);
        self.cursor += 1;
        Event::Redraw
    }

    fn delete_forward(&mut self) -> Event {
        if self.cursor < self.line.len() {
            self.line.remove(self.cursor);
        }
        Event::Redraw
    }

    fn move_to(&mut self, to: usize) -> Event {
        self.cursor = to;
        Event::Redraw
    }

    /// Up (-1) or down (+1) through history; below the newest entry is the line being written.
    fn recall(&mut self, step: i64) -> Event {
        let n = self.history.len();
        let to = self.recalled as i64 + step;
        if to < 0 || to > n as i64 {
            return Event::Pending;
        }
        if self.recalled == n {
            self.draft = self.line.clone();
        }
        self.recalled = to as usize;
        self.line = if self.recalled == n {
            self.draft.clone()
        } else {
            self.history[self.recalled].chars().collect()
        };
        self.cursor = self.line.len();
        Event::Redraw
    }

    /// The bytes that show the prompt and line with the cursor in place: back to the start of
    /// the row, the text, clear what is left of the old one, then back over what follows the
    /// cursor. A line wider than `width` shows the part around the cursor.
    pub fn render(&self, prompt: &str, width: usize) -> String {
        let room = width.saturating_sub(prompt.chars().count() + 1).max(8);
        let start = if self.cursor >= room {
            self.cursor + 1 - room
        } else {
            0
        };
        let end = (start + room).min(self.line.len());
        let shown: String = self.line[start..end].iter().collect();
        let mut out = format!("\r{prompt}{shown}\x1b[K");
        let back = end - self.cursor;
        if back > 0 {
            out.push_str(&format!("\x1b[{back}D"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(e: &mut Editor, keys: &[u8]) -> Vec<Event> {
        keys.iter().map(|&k| e.key(k)).collect()
    }

    fn line(e: &mut Editor, keys: &[u8]) -> String {
        e.begin();
        match typed(e, keys).pop() {
            Some(Event::Done(s)) => s,
            other => panic!("no line: {other:?}"),
        }
    }

    #[test]
    fn arrows_move_the_cursor_and_never_insert_brackets() {
        let mut e = Editor::new();
        // "ab", left, "X", right, "Y": aXbY
        assert_eq!(line(&mut e, b"ab\x1b[DX\x1b[CY\r"), "aXbY");
        // Home/End in their several spellings.
        assert_eq!(line(&mut e, b"bc\x1b[Ha\x1b[Fd\r"), "abcd");
        assert_eq!(line(&mut e, b"bc\x1bOHa\x1bOFd\r"), "abcd");
        assert_eq!(line(&mut e, b"bc\x1b[1~a\x1b[4~d\r"), "abcd");
        // Ctrl-arrows and function keys are swallowed whole.
        assert_eq!(line(&mut e, b"1\x1b[1;5C+\x1b[15~2\r"), "1+2");
        // Delete removes under the cursor.
        assert_eq!(line(&mut e, b"abc\x1b[D\x1b[D\x1b[3~\r"), "ac");
    }

    #[test]
    fn history_comes_back_with_up_and_down() {
        let mut e = Editor::new();
        line(&mut e, b"first\r");
        line(&mut e, b"second\r");
        assert_eq!(line(&mut e, b"\x1b[A\r"), "second");
        assert_eq!(line(&mut e, b"\x1b[A\x1b[A\r"), "first");
        // Up past the oldest stays there; down returns to what was being written.
        assert_eq!(
            line(&mut e, b"dra\x1b[A\x1b[A\x1b[A\x1b[B\x1b[B\x1b[Bft\r"),
            "draft"
        );
        assert_eq!(line(&mut e, b"\x10x\r"), "draftx");
    }

    #[test]
    fn editing_keys() {
        let mut e = Editor::new();
        assert_eq!(line(&mut e, b"abc\x7f\x7fxy\r"), "axy");
        assert_eq!(line(&mut e, b"abc\x01\x0b123\r"), "123");
        assert_eq!(line(&mut e, b"abc def\x17\r"), "abc ");
        assert_eq!(line(&mut e, b"abc\x02\x15z\r"), "zc");
        assert_eq!(line(&mut e, "Zürich\r".as_bytes()), "Zürich");
        e.begin();
        assert_eq!(typed(&mut e, b"1+\x03").pop(), Some(Event::Interrupt));
        e.begin();
        assert_eq!(typed(&mut e, b"\x04").pop(), Some(Event::Eof));
    }

    #[test]
    fn render_puts_the_cursor_back() {
        let mut e = Editor::new();
        e.begin();
        typed(&mut e, b"1+2\x1b[D\x1b[D");
        assert_eq!(e.render("q)", 80), "\rq)1+2\x1b[K\x1b[2D");
        // A long line scrolls to keep the cursor in view.
        e.begin();
        typed(&mut e, &[b'x'; 30]);
        let r = e.render("q)", 20);
        assert_eq!(r, format!("\rq){}\x1b[K", "x".repeat(16)));
    }
}
