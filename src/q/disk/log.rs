//! `-11!`: replaying a log (a file of messages written one after another, as a tickerplant
//! writes them): each message goes to `.z.ps` when it is defined, else is evaluated (a list
//! `(f;args...)` applies the global f).
//!
//! - `-11!f` and `-11!(-1;f)`: every message; the count replayed. A message cut short at the
//!   end is `'badtail`, after the ones before it have run.
//! - `-11!(n;f)`: the first n; the count replayed.
//! - `-11!(-2;f)`: nothing runs; the count of messages, or for a bad tail `(count;bytes)`, the
//!   length of the good part (`head -c` that many bytes gives a clean log).

use crate::obj::*;
use crate::q::eval::Ctx;

use super::path;
use super::serialized;

/// `-11!x`.
pub fn replay(cx: &mut Ctx, x: &K) -> Result<K> {
    let (mode, f) = if path::is_file_sym(x) {
        (-1, x.clone())
    } else if x.t() == 0 && x.n() == 2 && path::is_file_sym(&x.items()[1]) {
        let n = crate::q::eval::values::as_long(&x.items()[0]).ok_or_else(Error::type_)?;
        (n, x.items()[1].clone())
    } else {
        return Err(Error::type_());
    };
    let p = path::required(&f)?;
    let bytes = super::datafile::read_bytes(&p)?;
    if bytes.len() < 8 || bytes[..3] != [0xff, 0x01, 0] {
        return Err(Error::new("badtail"));
    }
    if mode == -2 {
        let (chunks, clean) = serialized::chunks(&bytes);
        return Ok(if clean {
            K::long(chunks.len() as i64)
        } else {
            let good = chunks.last().map_or(8, |(at, len)| at + len);
            K::from_slice(KJ, &[chunks.len() as i64, good as i64])
        });
    }
    // One pass: each message decoded once and run, up to the limit or a bad tail.
    let limit = if mode < 0 { usize::MAX } else { mode as usize };
    let mut at = 8;
    let mut done = 0usize;
    while done < limit && at < bytes.len() {
        let Ok((msg, used)) = crate::wire::decode::decode_prefix(&bytes[at..]) else {
            if mode < 0 {
                return Err(Error::new("badtail"));
            }
            break;
        };
        crate::q::keywords::builtins::to_self(cx, &msg)?;
        at += used;
        done += 1;
    }
    Ok(K::long(done as i64))
}
