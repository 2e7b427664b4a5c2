//! File symbols (`` `:path ``, `` `:dir/ ``) and the errors file operations give, as kdb+
//! words them: `'path. OS reports: No such file or directory`, with the path as written.

use std::io;
use std::path::PathBuf;

use crate::obj::*;
use crate::sys::file;

/// Whether `x` is a file symbol: an atom `` `:... ``.
pub fn is_file_sym(x: &K) -> bool {
    x.t() == -KS && x.s().as_bytes().first() == Some(&b':')
}

/// The path a file symbol names (without the colon); None for anything else.
pub fn of(x: &K) -> Option<Vec<u8>> {
    is_file_sym(x).then(|| x.s().as_bytes()[1..].to_vec())
}

/// The path of a file symbol, or `'type`.
pub fn required(x: &K) -> Result<Vec<u8>> {
    of(x).ok_or_else(Error::type_)
}

/// Restricted evaluation (`reval`, as a `-u 1` client) reaches files only in the current
/// directory and below (ref/eval.md#reval, basics/cmdline.md `-u`): `'access: p` for a file
/// symbol among `args` (or first in a list among them, as `` (`:f;17;2;6) ``) outside it.
pub fn reachable(args: &[K]) -> Result<()> {
    if !crate::q::eval::restricted::active() {
        return Ok(());
    }
    let here = file::current_dir().unwrap_or_default();
    for a in args {
        let named = match a.t() {
            0 if a.n() > 0 => of(&a.items()[0]),
            _ => of(a),
        };
        if let Some(p) = named.filter(|p| !below(&here, p)) {
            return Err(Error::new([b"access: ", &p[..]].concat()));
        }
    }
    Ok(())
}

/// Whether path `p` names directory `here` or something below it, read from its text (`..`
/// counted, links not followed).
fn below(here: &[u8], p: &[u8]) -> bool {
    let rest = match p.strip_prefix(b"/") {
        None => p,
        Some(_) => match p.strip_prefix(here) {
            Some(r) if r.is_empty() || r[0] == b'/' => r,
            _ => return false,
        },
    };
    let mut depth = 0usize;
    for part in rest.split(|&c| c == b'/') {
        match part {
            b"" | b"." => {}
            b".." if depth == 0 => return false,
            b".." => depth -= 1,
            _ => depth += 1,
        }
    }
    true
}

/// An OS path from q's bytes.
pub fn os(p: &[u8]) -> PathBuf {
    file::path(p)
}

/// `p/name`.
pub fn join(p: &[u8], name: &[u8]) -> Vec<u8> {
    let mut out = p.to_vec();
    if !out.is_empty() && out.last() != Some(&b'/') {
        out.push(b'/');
    }
    out.extend_from_slice(name);
    out
}

/// The path without a trailing slash (`` `:dir/ `` names the directory `dir`).
pub fn trim_slash(p: &[u8]) -> &[u8] {
    match p {
        [rest @ .., b'/'] if !rest.is_empty() => rest,
        _ => p,
    }
}

/// The file symbol for a path.
pub fn sym(p: &[u8]) -> K {
    let mut s = vec![b':'];
    s.extend_from_slice(p);
    K::sym(Sym::new(s))
}

/// kdb+'s error for a failed operation on `p`: `'p. OS reports: <the C library's text>`, or
/// `'access: p` for a write that restricted evaluation refused (ref/eval.md#reval).
pub fn os_error(p: &[u8], e: &io::Error) -> Error {
    if file::is_refusal(e) {
        return Error::new([b"access: ", p].concat());
    }
    let mut msg = p.to_vec();
    msg.extend_from_slice(b". OS reports: ");
    msg.extend_from_slice(file::error_text(e).as_bytes());
    Error::new(msg)
}

/// Maps an I/O result to kdb+'s error for `p`.
pub fn io<T>(p: &[u8], r: io::Result<T>) -> Result<T> {
    r.map_err(|e| os_error(p, &e))
}

/// The error for a missing file at `p`.
pub fn missing(p: &[u8]) -> Error {
    os_error(p, &io::Error::from_raw_os_error(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_reads_the_path_text() {
        let here = b"/w/db";
        for (p, ok) in [
            (&b"t"[..], true),
            (b"./a/../t", true),
            (b"", true),
            (b"../t", false),
            (b"a/../../t", false),
            (b"/w/db", true),
            (b"/w/db/x/y", true),
            (b"/w/dbx", false),
            (b"/etc/hostname", false),
            (b"/w/db/../x", false),
        ] {
            assert_eq!(below(here, p), ok, "{}", String::from_utf8_lossy(p));
        }
    }

    #[test]
    fn paths_and_errors_read_as_kdb_prints_them() {
        assert_eq!(of(&K::sym(Sym::new(":a/b"))), Some(b"a/b".to_vec()));
        assert_eq!(of(&K::sym(Sym::new("a"))), None);
        assert_eq!(join(b"db", b"t"), b"db/t");
        assert_eq!(join(b"db/", b"t"), b"db/t");
        assert_eq!(trim_slash(b"db/t/"), b"db/t");
        assert_eq!(
            missing(b"./s/a").msg().as_str(),
            "./s/a. OS reports: No such file or directory"
        );
    }
}
