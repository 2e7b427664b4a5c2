//! Console settings (`\c` height and width, `\P` float precision) and cutting text to them.

/// What the console shows: `\c height width` and `\P precision` (0 means 17 digits).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    pub width: usize,
    pub height: usize,
    pub precision: usize,
}

impl Default for Options {
    /// q's defaults: `\c 25 80`, `\P 7`.
    fn default() -> Options {
        Options {
            width: 80,
            height: 25,
            precision: 7,
        }
    }
}

impl Options {
    /// Lines of output q allows: two of the console's rows go to the prompt and the input.
    pub fn max_lines(&self) -> usize {
        self.height.saturating_sub(2).max(1)
    }

    /// Bytes per line q allows, one column short of the console's width.
    pub fn max_width(&self) -> usize {
        self.width.saturating_sub(1).max(3)
    }

    /// Cuts one line: too long, it keeps what fits with `..` at the end.
    pub fn cut_line(&self, line: &mut String) {
        let w = self.max_width();
        if line.len() > w {
            let mut end = w - 2;
            while !line.is_char_boundary(end) {
                end -= 1;
            }
            line.truncate(end);
            line.push_str("..");
        }
    }

    /// Cuts a block of lines to the console: at most `max_lines`, the last being `..` when some
    /// were left out, each line cut to the width.
    pub fn cut(&self, lines: Vec<String>) -> Vec<String> {
        // A lambda's source may hold newlines: each is a line of its own on the console.
        let mut lines: Vec<String> = if lines.iter().any(|l| l.contains('\n')) {
            lines
                .iter()
                .flat_map(|l| l.split('\n'))
                .map(String::from)
                .collect()
        } else {
            lines
        };
        let h = self.max_lines();
        if lines.len() > h {
            lines.truncate(h - 1);
            lines.push("..".into());
        }
        for l in &mut lines {
            self.cut_line(l);
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_seventy_nine_columns_and_twenty_three_lines() {
        let o = Options::default();
        let mut long = "x".repeat(100);
        o.cut_line(&mut long);
        assert_eq!(long.len(), 79);
        assert!(long.ends_with("x.."));
        let mut fits = "y".repeat(79);
        o.cut_line(&mut fits);
        assert_eq!(fits, "y".repeat(79));
        let lines = o.cut((0..30).map(|i| i.to_string()).collect());
        assert_eq!(lines.len(), 23);
        assert_eq!(lines[21], "21");
        assert_eq!(lines[22], "..");
        let lambda = format!("{{[x]\n  {}}}", "a".repeat(100));
        let lines = o.cut(vec![lambda]);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0], "{[x]");
        assert_eq!(lines[1].len(), 79);
    }
}
