//! Char vectors and chars in q's quoted form: `"abc"`, with `\"`, `\\`, `\n`, `\r`, `\t`
//! escaped and every other byte outside printable ASCII written in octal (`"Z\303\274rich"`).

/// Appends the quoted text of one byte, without the quotes.
pub fn escape_byte(c: u8, out: &mut String) {
    match c {
        b'"' => out.push_str("\\\""),
        b'\\' => out.push_str("\\\\"),
        b'\n' => out.push_str("\\n"),
        b'\r' => out.push_str("\\r"),
        b'\t' => out.push_str("\\t"),
        0x20..=0x7e => out.push(c as char),
        _ => out.push_str(&format!("\\{c:03o}")),
    }
}

/// Appends `bytes` quoted, stopping once `out` is longer than `limit` (the rest would be cut).
pub fn quoted(bytes: &[u8], out: &mut String, limit: usize) {
    out.push('"');
    for &c in bytes {
        if out.len() > limit {
            return;
        }
        escape_byte(c, out);
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &[u8]) -> String {
        let mut out = String::new();
        quoted(s, &mut out, usize::MAX);
        out
    }

    #[test]
    fn escapes_as_q_does() {
        assert_eq!(q(b"abc"), "\"abc\"");
        assert_eq!(q("Zürich".as_bytes()), "\"Z\\303\\274rich\"");
        assert_eq!(q("日本".as_bytes()), "\"\\346\\227\\245\\346\\234\\254\"");
        assert_eq!(q(b"qu\"ux"), "\"qu\\\"ux\"");
        assert_eq!(q(b"a\\b\n\r\t\x01"), "\"a\\\\b\\n\\r\\t\\001\"");
        assert_eq!(q(b"\x00\x03"), "\"\\000\\003\"");
    }
}
