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
