//! `-w N` and `\w n`: the workspace limit on the object heap (`crate::obj::workspace`), as
//! kdb+ sets it: in megabytes on the command line, raised at run time only when the command
//! line set one.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::obj::*;

/// The command line set a limit (`\w n` may then raise it).
static FROM_COMMAND_LINE: AtomicBool = AtomicBool::new(false);

const MB: u64 = 1 << 20;

/// `-w N`: N megabytes (0: no limit).
pub fn from_command_line(val: &str) -> Result<()> {
    let n: i64 = val.trim().parse().map_err(|_| Error::new(val))?;
    if n < 0 {
        return Err(Error::domain());
    }
    workspace::set_limit((n as u64).saturating_mul(MB));
    FROM_COMMAND_LINE.store(true, Ordering::Relaxed);
    Ok(())
}

/// `\w 0`, `\w 1`: symbols interned and their bytes; `\w n`: the limit raised to n MB (never
/// lowered), in bytes: a global write, refused (`'noupdate`) where the engine is read-only.
pub fn command(eng: &crate::q::Engine, arg: &str) -> Result<K> {
    let n: i64 = arg.trim().parse().map_err(|_| Error::type_())?;
    let symbols = || {
        let (count, bytes) = sym::stats();
        K::from_slice(KJ, &[count as i64, bytes as i64])
    };
    // A number too large for kdb+'s megabyte count answers as `\w 0`.
    if n == 0 || n == 1 || n > i32::MAX as i64 {
        return Ok(symbols());
    }
    eng.writable()?;
    if !FROM_COMMAND_LINE.load(Ordering::Relaxed) {
        return Err(Error::new("-w init via cmd line"));
    }
    if n < 0 {
        return Err(Error::domain());
    }
    let limit = (n as u64 * MB).max(workspace::limit());
    workspace::set_limit(limit);
    Ok(K::long(limit as i64))
}
