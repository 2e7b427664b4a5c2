//! The operating system from q: `\cd` (the current directory, or changing it) and any other
//! command q does not know, which goes to the shell (`\ls`, `system "pwd"`): its output as
//! a list of lines, `'os` when it fails.

use crate::obj::*;
use crate::sys::{file, shell};

use super::path;

/// `\cd [dir]`.
pub fn cd(arg: &str) -> Result<K> {
    if arg.is_empty() {
        let d = path::io(b".", file::current_dir())?;
        return Ok(K::string(d));
    }
    path::io(
        arg.as_bytes(),
        file::set_current_dir(&path::os(arg.as_bytes())),
    )?;
    Ok(K::identity())
}

/// A shell command's output lines.
pub fn run(cmd: &str) -> Result<K> {
    let (out, code) = shell::run(cmd.as_bytes()).map_err(|_| Error::new("os"))?;
    if code != 0 {
        return Err(Error::new("os"));
    }
    let text = out.strip_suffix(b"\n").unwrap_or(&out);
    if text.is_empty() && out.is_empty() {
        return Ok(K::list(Vec::new()));
    }
    Ok(K::list(
        text.split(|&c| c == b'\n')
            .map(|l| K::string(l.strip_suffix(b"\r").unwrap_or(l)))
            .collect(),
    ))
}
