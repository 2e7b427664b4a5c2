//! File handles: `h:hopen `:file` opens a file for appending (creating it), and applying the
//! handle appends, in the file's own format:
//!
//! - a vector file (`fe 20`): items of its type, raw (the header count is left, as kdb+ 4.x
//!   leaves it; readers count by length);
//! - a log or other general list (`ff 01 00`): `h x` appends each item of a list x as one
//!   message (`h enlist m` appends m), an atom as one;
//! - anything else is text: `h "text"` appends the bytes, `neg[h] "line"` (or a list of
//!   lines) appends each with a newline.
//!
//! An empty file takes the format of what is first written to it. A failed write (a full disk)
//! leaves the file as it was. The handle is the file's descriptor, as in kdb+.
//!
//! `` hopen`:fifo://path `` opens a named pipe (or any file) for reading: `read1(h;n)` and
//! `read0(h;n)` are one read of at most n bytes, `read1 h` of at most 64k; empty at its end
//! (ref/read0.md, kb/named-pipes.md).

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use crate::obj::*;
use crate::q::eval::atoms::*;
use crate::sys::file::{self, OpenFile};

use super::path;
use super::serialized;

struct Open {
    file: OpenFile,
    path: Vec<u8>,
    /// The file's first 8 bytes once it has them: its format, which appends never change (a
    /// log's appends need not read it again).
    head: Option<Vec<u8>>,
    /// Opened by `fifo://` for reading.
    reader: bool,
}

static OPEN: LazyLock<Mutex<HashMap<i32, Open>>> = LazyLock::new(Default::default);

fn table() -> std::sync::MutexGuard<'static, HashMap<i32, Open>> {
    OPEN.lock().unwrap_or_else(|e| e.into_inner())
}

/// `hopen` of a file symbol that names a file (not `` `:host:port ``); None otherwise.
pub fn open(x: &K) -> Option<Result<K>> {
    // A string `":path"` names a file as the symbol does.
    let p = match x.t() {
        KC if x.bytes().first() == Some(&b':') => x.bytes()[1..].to_vec(),
        _ => path::of(x)?,
    };
    // `:host:port` and `:unix://port` are connections.
    let mut parts = p.split(|&c| c == b':');
    let _host = parts.next();
    if let Some(port) = parts.next() {
        if !port.is_empty() && port.iter().all(u8::is_ascii_digit) || p.starts_with(b"unix") {
            return None;
        }
    }
    if p.is_empty() {
        return None;
    }
    if let Err(e) = crate::q::eval::restricted::refuse_file(&p) {
        return Some(Err(e));
    }
    if let Some(fifo) = p.strip_prefix(b"fifo://") {
        let fifo = fifo.to_vec();
        return Some((|| {
            let f = path::io(&fifo, file::open(&path::os(&fifo)))?;
            let h = file::fd(&f);
            table().insert(
                h,
                Open {
                    file: f,
                    path: fifo,
                    head: None,
                    reader: true,
                },
            );
            Ok(K::int(h))
        })());
    }
    Some((|| {
        let f = path::io(&p, file::open_append(&path::os(&p)))?;
        let h = file::fd(&f);
        table().insert(
            h,
            Open {
                file: f,
                path: p,
                head: None,
                reader: false,
            },
        );
        Ok(K::int(h))
    })())
}

/// Whether `h` (or `neg h`) is a file handle `hopen` opened.
pub fn is_open(h: i64) -> bool {
    i32::try_from(h.unsigned_abs()).is_ok_and(|h| table().contains_key(&h))
}

/// `hclose h` of a file handle; false when h is not one.
pub fn close(h: i64) -> bool {
    i32::try_from(h.unsigned_abs()).is_ok_and(|h| table().remove(&h).is_some())
}

/// The bytes of a string, a char, bytes, or a list of them.
fn text_bytes(x: &K, lines: bool) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut one = |v: &K| -> Result<()> {
        match v.t() {
            KC | KG => out.extend_from_slice(v.bytes()),
            A_KC | A_KG => out.push(v.g()),
            _ => return Err(Error::type_()),
        }
        if lines {
            out.push(b'\n');
        }
        Ok(())
    };
    if x.t() == 0 {
        for v in x.items() {
            one(v)?;
        }
    } else {
        one(x)?;
    }
    Ok(out)
}

/// The bytes appended to a file whose first bytes are `head` (empty for an empty file).
fn append_bytes(head: &[u8], x: &K, neg: bool) -> Result<Vec<u8>> {
    let as_text = |x: &K| text_bytes(x, neg);
    match head {
        // Items after a u#/p#/g# index would be lost to it: such files are rewritten by
        // `.[f;();,;x]`, which a handle cannot do. What kdb+ does with a handle here (keep,
        // drop or refuse the attribute) is not documented.
        [0xfe, 0x20, _, attr, ..] if *attr > ATTR_SORTED => Err(Error::nyi()),
        [0xfe, 0x20, t, ..] => {
            let t = *t as i8;
            let v = if x.t() == -t {
                crate::q::eval::values::enlist(x.clone())
            } else {
                x.clone()
            };
            if v.t() != t {
                return Err(Error::type_());
            }
            Ok(v.bytes().to_vec())
        }
        [0xff, 0x01, 0, ..] => {
            let mut out = Vec::new();
            // A list's items are messages each; an atom is one.
            let items = if x.is_atom() {
                vec![x.clone()]
            } else {
                crate::q::eval::values::items_of(x)
            };
            for m in &items {
                out.extend_from_slice(&serialized::payload(m)?);
            }
            Ok(out)
        }
        [] if !neg && !matches!(x.t(), KC | A_KC | KG | A_KG | 0) && x.t() > 0 && x.t() != KS => {
            let mut out = super::mappable::vector_header(&K::vector(x.t(), 0), 0).to_vec();
            out.extend_from_slice(x.bytes());
            Ok(out)
        }
        [] if !neg && x.t() == 0 && x.items().iter().any(|i| !matches!(i.t(), KC | A_KC)) => {
            let mut out = vec![0xff, 0x01, 0, 0, 0, 0, 0, 0];
            out.extend(append_bytes(&out.clone(), x, false)?);
            Ok(out)
        }
        _ => as_text(x),
    }
}

/// The buffer of `read1 h` on a pipe (kb/named-pipes.md: "a 64k byte buffer").
const PIPE_READ: usize = 65536;

/// `h` or `(h;n)` for `read0`/`read1` on a pipe `hopen` opened: one read of at most n bytes;
/// None when x is not that.
pub fn read(x: &K) -> Option<Result<Vec<u8>>> {
    let (h, n) = match x.t() {
        -6 | -7 => (x.clone(), None),
        0 if x.n() == 2 && matches!(x.items()[0].t(), -6 | -7) => {
            (x.items()[0].clone(), Some(x.items()[1].clone()))
        }
        _ => return None,
    };
    let h = i32::try_from(crate::q::eval::values::as_long(&h)?).ok()?;
    let mut t = table();
    let open = t.get_mut(&h).filter(|o| o.reader)?;
    Some((|| {
        let n = match n {
            Some(n) => crate::q::eval::values::as_long(&n).ok_or_else(Error::type_)?,
            None => PIPE_READ as i64,
        };
        let n = usize::try_from(n).map_err(|_| Error::new("domain"))?;
        path::io(&open.path, file::read_once(&mut open.file, n))
    })())
}

/// Applying file handle `h` to `x`; None when h is not a file handle.
pub fn write(h: i64, x: &K) -> Option<Result<K>> {
    let fd = i32::try_from(h.unsigned_abs()).ok()?;
    let mut t = table();
    let open = t.get_mut(&fd)?;
    Some((|| {
        let head = match &open.head {
            Some(head) => head.clone(),
            None => path::io(&open.path, file::read_at(&path::os(&open.path), 0, 8))?,
        };
        let bytes = append_bytes(&head, x, h < 0)?;
        path::io(&open.path, file::append(&mut open.file, &bytes))?;
        if open.head.is_none() {
            let first: Vec<u8> = head.iter().chain(&bytes).take(8).copied().collect();
            open.head = (first.len() == 8).then_some(first);
        }
        Ok(K::int(h as i32))
    })())
}
