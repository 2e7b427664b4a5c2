//! Files and directories for q's file handles: whole-file reads and writes, appends, listing,
//! deleting, renaming, and the OS's own text for a failure (what kdb+ prints after
//! `OS reports:`). Paths are byte strings as q's symbols hold them.
//!
//! A whole-file write goes to a temporary name beside the target and is renamed over it only
//! once every byte is written, so a full disk or a fault mid-write never loses the file that
//! was there before.

use std::ffi::OsStr;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

pub use std::fs::File as OpenFile;

/// What this thread may do with the file system now: q's restricted evaluation sets it for
/// the evaluation (`with_rights`); the interpreter reads it back (`rights`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rights {
    /// Everything the process may do.
    Full,
    /// Confined: q refuses files outside the current directory (a `-u 1` client); writes
    /// here are still allowed.
    Confined,
    /// Confined, and every write, creation, deletion and rename refused (`reval`).
    NoWrites,
}

thread_local! {
    static RIGHTS: std::cell::Cell<Rights> = const { std::cell::Cell::new(Rights::Full) };
}

/// The error of a write refused by `refusing_writes` (recognised by `is_refusal`).
#[derive(Debug)]
struct WriteRefused;

impl std::fmt::Display for WriteRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("access")
    }
}

impl std::error::Error for WriteRefused {}

/// Runs `f` with every write, creation, deletion and rename of a file or directory on this
/// thread refused (q's restricted evaluation, `reval`); put back when `f` ends.
pub fn refusing_writes<R>(f: impl FnOnce() -> R) -> R {
    with_rights(Rights::NoWrites, f)
}

/// Runs `f` with writes allowed on this thread, whatever it was doing (another thread's call
/// that the owner runs for it while inside a restricted evaluation of its own).
pub fn allowing_writes<R>(f: impl FnOnce() -> R) -> R {
    with_rights(Rights::Full, f)
}

/// Whether this thread's writes are refused now (`refusing_writes`).
pub fn writes_refused() -> bool {
    rights() == Rights::NoWrites
}

/// This thread's rights now.
pub fn rights() -> Rights {
    RIGHTS.with(|r| r.get())
}

/// Runs `f` with this thread's rights `r`; put back when `f` ends (by a panic too).
pub fn with_rights<R>(r: Rights, f: impl FnOnce() -> R) -> R {
    struct Restore(Rights);
    impl Drop for Restore {
        fn drop(&mut self) {
            RIGHTS.with(|r| r.set(self.0));
        }
    }
    let _restore = Restore(RIGHTS.with(|c| c.replace(r)));
    f()
}

/// Whether `e` is a write refused by `refusing_writes`.
pub fn is_refusal(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|r| r.is::<WriteRefused>())
}

/// Every change to the file system asks this first.
fn may_write() -> io::Result<()> {
    if writes_refused() {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            WriteRefused,
        ));
    }
    Ok(())
}

/// A path from q's bytes.
pub fn path(bytes: &[u8]) -> PathBuf {
    PathBuf::from(OsStr::from_bytes(bytes))
}

/// The C library's text for an error number (`No such file or directory`).
pub fn strerror(code: i32) -> String {
    let mut buf = [0u8; 256];
    // SAFETY: strerror_r (the XSI version in the libc crate) writes at most buf.len() bytes,
    // NUL included, into our buffer.
    let rc = unsafe { libc::strerror_r(code, buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return format!("error {code}");
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

/// The OS's text for an I/O error (its strerror when it carries an errno).
pub fn error_text(e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(code) => strerror(code),
        None => match e.kind() {
            io::ErrorKind::UnexpectedEof => strerror(libc::EIO),
            io::ErrorKind::WriteZero => strerror(libc::ENOSPC),
            _ => e.to_string(),
        },
    }
}

/// The whole file.
pub fn read(p: &Path) -> io::Result<Vec<u8>> {
    fs::read(p)
}

/// `len` bytes from `offset` (fewer at the end of the file).
pub fn read_at(p: &Path, offset: u64, len: usize) -> io::Result<Vec<u8>> {
    let mut f = File::open(p)?;
    f.seek(SeekFrom::Start(offset))?;
    let mut out = Vec::new();
    f.take(len as u64).read_to_end(&mut out)?;
    Ok(out)
}

/// Opens a file for reading.
pub fn open(p: &Path) -> io::Result<File> {
    File::open(p)
}

/// Reads at most `n` more bytes of an open file onto the end of `out`: how many (0 at its end).
pub fn read_part(f: &mut File, out: &mut Vec<u8>, n: usize) -> io::Result<usize> {
    f.take(n as u64).read_to_end(out)
}

/// One read of at most `n` bytes from an open file or pipe (blocking until some come): fewer
/// when fewer are there, none at its end.
pub fn read_once(f: &mut File, n: usize) -> io::Result<Vec<u8>> {
    let mut out = vec![0u8; n];
    let got = loop {
        match f.read(&mut out) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            r => break r?,
        }
    };
    out.truncate(got);
    Ok(out)
}

/// Size in bytes.
pub fn len(p: &Path) -> io::Result<u64> {
    fs::metadata(p).map(|m| m.len())
}

/// Whether something is there (a file, a directory, a link to one).
pub fn exists(p: &Path) -> bool {
    fs::metadata(p).is_ok()
}

pub fn is_dir(p: &Path) -> bool {
    fs::metadata(p).is_ok_and(|m| m.is_dir())
}

/// Modification time in nanoseconds since 1970.
pub fn modified_ns(p: &Path) -> io::Result<i64> {
    let m = fs::metadata(p)?;
    Ok(m.mtime() * 1_000_000_000 + m.mtime_nsec())
}

/// The names in a directory, sorted bytewise (`.` and `..` left out).
pub fn list(p: &Path) -> io::Result<Vec<Vec<u8>>> {
    let mut names: Vec<Vec<u8>> = fs::read_dir(p)?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().as_bytes().to_vec())
        .collect();
    names.sort();
    Ok(names)
}

/// Creates a directory and its parents.
pub fn create_dirs(p: &Path) -> io::Result<()> {
    may_write()?;
    fs::create_dir_all(p)
}

/// Creates the parent directories of a file.
pub fn create_parents(p: &Path) -> io::Result<()> {
    may_write()?;
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => fs::create_dir_all(d),
        _ => Ok(()),
    }
}

/// Deletes a file or an empty directory.
pub fn remove(p: &Path) -> io::Result<()> {
    may_write()?;
    let m = fs::symlink_metadata(p)?;
    if m.is_dir() {
        fs::remove_dir(p)
    } else {
        fs::remove_file(p)
    }
}

pub fn rename(from: &Path, to: &Path) -> io::Result<()> {
    may_write()?;
    fs::rename(from, to)
}

/// A temporary name beside `p`, unique to this process and call.
fn temp_beside(p: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let mut name = p.file_name().unwrap_or_default().to_os_string();
    name.push(format!(
        ".{}.{}$",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    p.with_file_name(name)
}

/// Writes `parts` as the whole new content of `p` (creating parent directories): into a
/// temporary file first, renamed over `p` once complete. On failure `p` is as it was.
pub fn write_whole(p: &Path, parts: &[&[u8]]) -> io::Result<()> {
    stage(p, parts)?.commit()
}

/// A file written under a temporary name beside its target, not yet in place: `commit` renames
/// it over the target; dropped uncommitted, it is removed. Staging every file of a change
/// first and committing them after means a failure midway changes none of them.
pub struct Staged {
    tmp: PathBuf,
    target: PathBuf,
    done: bool,
}

impl Staged {
    /// Renames the file into place.
    pub fn commit(mut self) -> io::Result<()> {
        let r = fs::rename(&self.tmp, &self.target);
        self.done = r.is_ok();
        r
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// Writes `parts` under a temporary name beside `p` (creating parent directories).
pub fn stage(p: &Path, parts: &[&[u8]]) -> io::Result<Staged> {
    may_write()?;
    create_parents(p)?;
    let staged = Staged {
        tmp: temp_beside(p),
        target: p.to_path_buf(),
        done: false,
    };
    let mut f = File::create(&staged.tmp)?;
    for part in parts {
        f.write_all(part)?;
    }
    f.flush()?;
    Ok(staged)
}

/// As `write_whole`, and the data reaches the disk before the rename (for files, like the
/// symbol domain, whose loss would make others unreadable).
pub fn write_whole_durable(p: &Path, parts: &[&[u8]]) -> io::Result<()> {
    may_write()?;
    create_parents(p)?;
    let tmp = temp_beside(p);
    let r = (|| {
        let mut f = File::create(&tmp)?;
        for part in parts {
            f.write_all(part)?;
        }
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, p)
    })();
    if r.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    r
}

/// Opens (creating) a file for appending.
pub fn open_append(p: &Path) -> io::Result<File> {
    may_write()?;
    create_parents(p)?;
    OpenOptions::new().create(true).append(true).open(p)
}

/// Opens an existing file for reading and writing in place.
pub fn open_rw(p: &Path) -> io::Result<File> {
    may_write()?;
    OpenOptions::new().read(true).write(true).open(p)
}

/// Appends `bytes` to an open file: all of them, or on failure the file is cut back to its
/// length before the call, so a full disk never leaves half an item behind.
pub fn append(f: &mut File, bytes: &[u8]) -> io::Result<()> {
    // The length before is asked for only on failure (a log appended to for every update
    // pays one system call each, not two): the file's end less what this call wrote.
    let mut written = 0;
    while written < bytes.len() {
        let e = match f.write(&bytes[written..]) {
            Ok(0) => io::Error::from(io::ErrorKind::WriteZero),
            Ok(n) => {
                written += n;
                continue;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => e,
        };
        if let Ok(m) = f.metadata() {
            let _ = f.set_len(m.len().saturating_sub(written as u64));
        }
        return Err(e);
    }
    Ok(())
}

/// Appends to the file at `p` (created if missing).
pub fn append_to(p: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = open_append(p)?;
    append(&mut f, bytes)
}

/// An open file's descriptor number (what q shows as its handle).
pub fn fd(f: &File) -> i32 {
    use std::os::fd::AsRawFd;
    f.as_raw_fd()
}

/// Writes `bytes` at `offset` of an open file.
pub fn write_at(f: &mut File, offset: u64, bytes: &[u8]) -> io::Result<()> {
    f.seek(SeekFrom::Start(offset))?;
    f.write_all(bytes)
}

/// Cuts or extends a file to `len` bytes.
pub fn set_len(p: &Path, len: u64) -> io::Result<()> {
    may_write()?;
    OpenOptions::new().write(true).open(p)?.set_len(len)
}

/// Flushes a file's data to the disk.
pub fn sync(f: &File) -> io::Result<()> {
    f.sync_all()
}

/// An exclusive advisory lock on a whole file (`flock`), held until the guard goes; other
/// processes locking the same file wait.
pub struct Lock {
    file: File,
}

impl Lock {
    /// Opens (creating) `p` and waits for its exclusive lock.
    pub fn exclusive(p: &Path) -> io::Result<Lock> {
        create_parents(p)?;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(p)?;
        use std::os::fd::AsRawFd;
        loop {
            // SAFETY: flock takes a descriptor we own and a flag word.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } == 0 {
                return Ok(Lock { file });
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
    }

    /// The locked file, to read and append through.
    pub fn file(&mut self) -> &mut File {
        &mut self.file
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        use std::os::fd::AsRawFd;
        // SAFETY: unlocks our own descriptor (closing it would unlock too).
        unsafe { libc::flock(self.file.as_raw_fd(), libc::LOCK_UN) };
    }
}

/// The current directory as bytes.
pub fn current_dir() -> io::Result<Vec<u8>> {
    std::env::current_dir().map(|p| p.as_os_str().as_bytes().to_vec())
}

pub fn set_current_dir(p: &Path) -> io::Result<()> {
    std::env::set_current_dir(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_writes_replace_and_failures_keep_the_old_file() {
        let dir = std::env::temp_dir().join(format!("libq-file-{}", std::process::id()));
        let p = dir.join("a/b/f");
        write_whole(&p, &[b"one", b"two"]).unwrap();
        assert_eq!(read(&p).unwrap(), b"onetwo");
        write_whole(&p, &[b"3"]).unwrap();
        assert_eq!(read(&p).unwrap(), b"3");
        // A directory where the file should go: the write fails, nothing is left behind.
        assert!(write_whole(&dir.join("a"), &[b"x"]).is_err());
        assert_eq!(list(&dir.join("a")).unwrap(), vec![b"b".to_vec()]);
        assert_eq!(strerror(libc::ENOENT), "No such file or directory");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn confined_rights_still_write_and_end_with_the_scope() {
        let dir = std::env::temp_dir().join(format!("libq-confined-{}", std::process::id()));
        let p = dir.join("f");
        with_rights(Rights::Confined, || {
            assert_eq!(rights(), Rights::Confined);
            assert!(!writes_refused());
            write_whole(&p, &[b"y"]).unwrap();
            assert!(allowing_writes(rights) == Rights::Full);
            assert!(refusing_writes(writes_refused));
        });
        assert_eq!(rights(), Rights::Full);
        assert_eq!(read(&p).unwrap(), b"y");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn refused_writes_change_nothing_and_end_with_the_scope() {
        let dir = std::env::temp_dir().join(format!("libq-refused-{}", std::process::id()));
        let p = dir.join("f");
        let e = refusing_writes(|| write_whole(&p, &[b"x"])).unwrap_err();
        assert!(is_refusal(&e));
        assert!(!exists(&dir));
        for r in [
            refusing_writes(|| create_dirs(&dir)),
            refusing_writes(|| open_append(&p).map(drop)),
            refusing_writes(|| remove(&p)),
        ] {
            assert!(r.is_err_and(|e| is_refusal(&e)));
        }
        assert!(!exists(&dir));
        assert!(refusing_writes(
            || allowing_writes(|| !writes_refused()) && writes_refused()
        ));
        // Another thread's call run by the owner meanwhile has its full rights.
        use crate::sys::engine_lock::{read_only, with_full_rights, with_read_only};
        assert!(with_read_only(|| refusing_writes(|| {
            with_full_rights(|| !read_only() && !writes_refused())
                && read_only()
                && writes_refused()
        })));
        // Put back after the scope, by a panic too.
        let _ = std::panic::catch_unwind(|| refusing_writes(|| panic!("inside")));
        write_whole(&p, &[b"x"]).unwrap();
        assert_eq!(read(&p).unwrap(), b"x");
        let _ = fs::remove_dir_all(&dir);
    }
}
