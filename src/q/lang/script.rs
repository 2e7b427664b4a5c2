//! Splitting a script into statements as q reads it: comment lines, `/` ... `\` comment
//! blocks, a lone `\` ending the script, `\` system-command lines, and indented lines
//! continuing the statement above.

pub fn statements(text: &str) -> Vec<String> {
    numbered_statements(text)
        .into_iter()
        .map(|(_, s)| s)
        .collect()
}

/// The statements with the (1-based) line each starts on.
pub fn numbered_statements(text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut in_block = false;
    for (k, line) in text.lines().enumerate() {
        let trimmed = line.trim_end();
        if in_block {
            if trimmed == "\\" {
                in_block = false;
            }
            continue;
        }
        if trimmed == "/" {
            in_block = true;
            continue;
        }
        if trimmed == "\\" {
            break;
        }
        if trimmed.starts_with('/') || trimmed.is_empty() {
            continue;
        }
        let continues = line.starts_with(' ') || line.starts_with('\t');
        match out.last_mut() {
            Some((_, last)) if continues && !last.starts_with('\\') => {
                last.push('\n');
                last.push_str(trimmed);
            }
            _ => out.push((k + 1, trimmed.to_string())),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_blocks_and_continuations() {
        let s = "a:1\n/ note\nf:{x+\n  y}\n/\nignored\n\\\nb:2\n\\d .x\n\\\nc:3";
        assert_eq!(statements(s), vec!["a:1", "f:{x+\n  y}", "b:2", "\\d .x"]);
        let lines: Vec<usize> = numbered_statements(s).iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![1, 3, 8, 9]);
    }
}
