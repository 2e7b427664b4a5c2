//! Splitting a script into statements as q reads it: comment lines, `/` ... `\` comment
//! blocks, a lone `\` ending the script, `\` system-command lines, and indented lines
//! continuing the statement above. A script is bytes: strings in it need not be UTF-8.

pub fn statements(text: &[u8]) -> Vec<Vec<u8>> {
    numbered_statements(text)
        .into_iter()
        .map(|(_, s)| s)
        .collect()
}

/// The statements with the (1-based) line each starts on.
pub fn numbered_statements(text: &[u8]) -> Vec<(usize, Vec<u8>)> {
    let mut out: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut in_block = false;
    let text = text.strip_suffix(b"\n").unwrap_or(text);
    for (k, line) in text.split(|&c| c == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let trimmed = line.trim_ascii_end();
        if in_block {
            if trimmed == b"\\" {
                in_block = false;
            }
            continue;
        }
        if trimmed == b"/" {
            in_block = true;
            continue;
        }
        if trimmed == b"\\" {
            break;
        }
        if trimmed.starts_with(b"/") || trimmed.is_empty() {
            continue;
        }
        let continues = line.starts_with(b" ") || line.starts_with(b"\t");
        match out.last_mut() {
            Some((_, last)) if continues && !last.starts_with(b"\\") => {
                last.push(b'\n');
                last.extend_from_slice(trimmed);
            }
            _ => out.push((k + 1, trimmed.to_vec())),
        }
    }
    out
}

/// `.Q.ld`: the lines of a script grouped as `\l` groups them for evaluation, each group with
/// the (1-based) line it starts on; comment lines are groups of their own (ref/dotq.md).
pub fn load_groups(lines: &[&[u8]]) -> Vec<(usize, Vec<u8>)> {
    let mut out: Vec<(usize, Vec<u8>)> = Vec::new();
    for (k, line) in lines.iter().enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let trimmed = line.trim_ascii_end();
        if trimmed.is_empty() {
            continue;
        }
        let continues = line.starts_with(b" ") || line.starts_with(b"\t");
        match out.last_mut() {
            Some((_, last)) if continues && !last.starts_with(b"\\") && !last.starts_with(b"/") => {
                last.push(b'\n');
                last.extend_from_slice(trimmed);
            }
            _ => out.push((k + 1, trimmed.to_vec())),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_blocks_and_continuations() {
        let s = b"a:1\n/ note\nf:{x+\n  y}\n/\nignored\n\\\nb:2\n\\d .x\n\\\nc:3";
        let want: Vec<&[u8]> = vec![b"a:1", b"f:{x+\n  y}", b"b:2", b"\\d .x"];
        assert_eq!(statements(s), want);
        assert_eq!(statements(b"s:\"\xff\"\r\n"), vec![b"s:\"\xff\"".to_vec()]);
        let lines: Vec<usize> = numbered_statements(s).iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![1, 3, 8, 9]);
    }
}
