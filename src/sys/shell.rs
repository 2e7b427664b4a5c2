//! Shell commands, as q's `system "cmd"` and unknown `\cmd` run them: `/bin/sh -c cmd`, its
//! standard output captured, its standard error left to the process's.

use std::io;
use std::process::{Command, Stdio};

/// What a command printed on its standard output, and its exit status (-1 when a signal
/// ended it).
pub fn run(cmd: &[u8]) -> io::Result<(Vec<u8>, i32)> {
    use std::os::unix::ffi::OsStrExt;
    // Its waits are cancellation points: a host's cancellation waits until the call returns.
    let out = super::cancel::deferred(|| {
        Command::new("/bin/sh")
            .arg("-c")
            .arg(std::ffi::OsStr::from_bytes(cmd))
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()
    })?;
    Ok((out.stdout, out.status.code().unwrap_or(-1)))
}
