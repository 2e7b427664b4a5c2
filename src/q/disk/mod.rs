//! Files and databases, in kdb+'s own on-disk formats: `get`/`set` of data files and splayed
//! tables, `hcount hdel key` on files and directories, and the rest of q's file handles.
//!
//! Files, one idea each: `path` (file symbols, kdb+'s OS error texts), `serialized` (`ff 01`
//! objects), `mappable` (vectors and enumerations mapped in place), `attrindex` (the index
//! kdb+ writes after a `u#`/`p#` vector), `anymap` (nested lists),
//! `compress` (`kxzipped`), `datafile` (one file: format by value, format by first bytes),
//! `splay` (splayed tables), `symfile` (enumerating against a domain file, under a lock),
//! `partition` (partitioned tables and queries over them), `load` (`\l`), `dotq` (`.Q`'s
//! database functions, in q), `shell` (`\cd`, shell commands), `text` (`0:`, `read0`),
//! `binary` (`1:`, `read1`), `dynload` (`2:`), `handle` (`hopen` of a file, appending),
//! `log` (`-11!`), `amend` (appends and amends of files), `saveload` (`save load rsave rload
//! dsave`).
//!
//! The evaluator calls in through `keyword` before its own keywords: a file symbol argument
//! makes a keyword a file operation.

pub mod amend;
pub mod anymap;
pub mod attrindex;
pub mod binary;
pub mod compress;
pub mod datafile;
pub mod dotq;
pub mod dynload;
pub mod handle;
pub mod load;
pub mod log;
pub mod mappable;
pub mod partition;
pub mod path;
pub mod saveload;
pub mod serialized;
pub mod shell;
pub mod splay;
pub mod symfile;
pub mod text;

use crate::obj::*;
use crate::q::eval::atoms::*;
use crate::q::eval::Ctx;
use crate::sys::file;

/// A keyword applied to a file symbol (or a file symbol and a value); None when it is not a
/// file operation.
pub fn keyword(cx: &mut Ctx, name: &str, args: &[K]) -> Option<Result<K>> {
    if let Err(e) = path::reachable(args) {
        return Some(Err(e));
    }
    if let Some(r) = partition::intercept(cx, name, args) {
        return Some(r);
    }
    match (name, args) {
        ("set", [f, x]) => set(cx, f, x),
        ("get" | "value", [f]) => path::of(f).map(|p| get(cx, &p)),
        ("hcount", [f]) => Some(hcount(f)),
        ("hdel", [f]) => Some(hdel(f)),
        ("key", [f]) => path::of(f).map(|p| key(&p)),
        ("hopen", [x]) => handle::open(x),
        ("save", [x]) => Some(saveload::save(cx, x)),
        ("load", [x]) => Some(saveload::load(cx, x)),
        ("rsave", [x]) => Some(saveload::rsave(cx, x)),
        ("rload", [x]) => Some(saveload::rload(cx, x)),
        ("dsave", [d, t]) => Some(
            crate::q::keywords::builtins::builtin_lambda(saveload::DSAVE)
                .and_then(|f| cx.apply(f, vec![d.clone(), t.clone()])),
        ),
        ("upsert" | "insert", [f, x]) if path::is_file_sym(f) => {
            Some(amend::append(cx, &path::of(f)?, x).map(|_| f.clone()))
        }
        // `.Q.lo[db;cd;scripts]`: a database loaded without changing into it, or without its
        // scripts.
        (".Q.lo", [d, c, s]) => Some((|| {
            let p = path::required(d).or_else(|_| match d.t() {
                -11 => Ok(d.s().as_bytes().to_vec()),
                _ => Err(Error::type_()),
            })?;
            let flag = |x: &K| crate::q::eval::values::as_long(x).ok_or_else(Error::type_);
            load::load_database(cx.eng, &p, flag(c)? != 0, flag(s)? != 0)
        })()),
        ("read0" | "0::", [x]) => Some(read0(cx, x)),
        ("read1" | "1::", [x]) => Some(read1(x)),
        _ => None,
    }
}

/// `-n!x` for the file functions: `-11!` (log replay), `-19!` (compress a file), `-21!`
/// (a compressed file's parameters).
pub fn internal(cx: &mut Ctx, n: i64, x: &K) -> Option<Result<K>> {
    if matches!(n, -11 | -19 | -21) {
        if let Err(e) = path::reachable(std::slice::from_ref(x)) {
            return Some(Err(e));
        }
    }
    match n {
        -11 => Some(log::replay(cx, x)),
        -19 => Some(compress_file(x)),
        -21 => Some(compression_info(x)),
        _ => None,
    }
}

/// `-19!(src;dst;lbs;alg;lvl)`: dst holds src compressed (or plain with algorithm 0).
fn compress_file(x: &K) -> Result<K> {
    if x.t() != 0 || x.n() != 5 {
        return Err(Error::type_());
    }
    let src = path::required(&x.items()[0])?;
    let dst = path::required(&x.items()[1])?;
    let ints: Vec<i64> = x.items()[2..]
        .iter()
        .map(|v| crate::q::eval::values::as_long(v).ok_or_else(Error::type_))
        .collect::<Result<_>>()?;
    let plain = datafile::read_bytes(&src)?;
    let out = match compress::Params::from_ints(&ints)? {
        Some(z) => compress::compress(&plain, z, &[&dst[..], b"$"].concat())?,
        None => plain,
    };
    path::io(&dst, file::write_whole(&path::os(&dst), &[&out]))?;
    Ok(x.items()[1].clone())
}

/// `-21!f`: a compressed file's sizes and parameters; an empty dictionary for a plain file.
fn compression_info(x: &K) -> Result<K> {
    let p = path::required(x)?;
    let bytes = path::io(&p, file::read(&path::os(&p)))?;
    if !compress::is_compressed(&bytes) {
        return Ok(K::dict(K::list(Vec::new()), K::list(Vec::new())));
    }
    let i = compress::info(&bytes)?;
    let keys = [
        "compressedLength",
        "uncompressedLength",
        "algorithm",
        "logicalBlockSize",
        "zipLevel",
    ]
    .map(Sym::new);
    Ok(K::dict(
        K::from_slice(KS, &keys),
        K::list(vec![
            K::long(bytes.len() as i64),
            K::long(i.plain_len as i64),
            K::int(i.algorithm as i32),
            K::int(i.block_size.trailing_zeros() as i32),
            // zstd's levels go below 0 (-7): the trailer's byte is signed.
            K::int(if i.algorithm == 5 {
                i.level as i8 as i32
            } else {
                i.level as i32
            }),
        ]),
    ))
}

/// A glyph's unary form on files: `0:` is `read0`, `1:` is `read1`.
pub fn glyph_monad(cx: &mut Ctx, g: &str, x: &K) -> Option<Result<K>> {
    if matches!(g, "0:" | "1:") {
        if let Err(e) = path::reachable(std::slice::from_ref(x)) {
            return Some(Err(e));
        }
    }
    if let Some(r) = partition::intercept(cx, g, std::slice::from_ref(x)) {
        return Some(r);
    }
    match g {
        "0:" => Some(read0(cx, x)),
        "1:" => Some(read1(x)),
        _ => None,
    }
}

/// `read0`: a file's lines, a pipe's next bytes as text (`(h;n)`), or (handle 0) a line typed
/// at the console.
fn read0(cx: &Ctx, x: &K) -> Result<K> {
    if matches!(x.t(), -6 | -7) && crate::q::eval::values::as_long(x) == Some(0) {
        return Ok(K::string(crate::q::eval::debug::console_line(cx)));
    }
    match handle::read(x) {
        Some(bytes) => bytes.map(|b| K::from_slice(KC, &b)),
        None => text::read0(x),
    }
}

/// `read1`: a file's bytes, or a pipe's next bytes (`(h;n)`).
fn read1(x: &K) -> Result<K> {
    match handle::read(x) {
        Some(bytes) => bytes.map(|b| K::from_slice(KG, &b)),
        None => binary::read1(x),
    }
}

/// A glyph applied to a file symbol and a value: `` `:db/sym?x `` enumerates against a
/// domain file.
pub fn glyph_dyad(cx: &mut Ctx, g: &str, x: &K, y: &K) -> Option<Result<K>> {
    // Every dyad passes here: the common case leaves at once, copying nothing.
    let file_glyph = matches!(g, "?" | "0:" | "1:" | "2:");
    if !file_glyph && !partition::is_partitioned(x) && !partition::is_partitioned(y) {
        return None;
    }
    if let Err(e) = path::reachable(&[x.clone(), y.clone()]) {
        return Some(Err(e));
    }
    if let Some(r) = partition::intercept(cx, g, &[x.clone(), y.clone()]) {
        return Some(r);
    }
    match g {
        "?" => path::of(x).map(|p| symfile::extend(cx, &p, y)),
        "0:" => Some(zero_colon(x, y)),
        "1:" => Some(if x.t() == 0 && !path::is_file_sym(&x.items()[0]) {
            binary::records(x, y)
        } else {
            binary::write(x, y)
        }),
        "2:" => Some(dynload::load(x, y)),
        _ => None,
    }
}

/// `x 0: y`: write lines to a file, prepare delimited text, or parse text.
fn zero_colon(x: &K, y: &K) -> Result<K> {
    if let Some(p) = path::of(x) {
        text::write_lines(&p, y)?;
        return Ok(x.clone());
    }
    match x.t() {
        A_KC => text::prepare(x, y),
        KC if x.n() == 1 => text::prepare(x, y),
        _ => text::parse(x, y),
    }
}

/// `f set x` where f names a file, a splayed table's directory (`` `:dir/ ``), or either with
/// compression (`(f;lbs;alg;lvl)`, and for a directory `(f;dict)`).
fn set(cx: &mut Ctx, f: &K, x: &K) -> Option<Result<K>> {
    if let Some(p) = path::of(f) {
        return Some(set_at(cx, &p, x, None).map(|_| f.clone()));
    }
    // (target; lbs; alg; lvl) or (target; dict)
    if f.t() != 0 || f.n() < 2 || !path::is_file_sym(&f.items()[0]) {
        return None;
    }
    let target = f.items()[0].clone();
    let p = path::of(&target)?;
    Some((|| {
        let z = if f.n() == 2 {
            by_column(&f.items()[1])?
        } else {
            let ints: Vec<i64> = f.items()[1..]
                .iter()
                .map(|v| crate::q::eval::values::as_long(v).ok_or_else(Error::type_))
                .collect::<Result<_>>()?;
            match compress::Params::from_ints(&ints)? {
                Some(p) => splay::Compression::All(p),
                None => splay::Compression::None,
            }
        };
        set_at(cx, &p, x, Some(z))?;
        Ok(target)
    })())
}

/// `(`:dir/;`a`b!(17 2 6;17 1 0))`: compression by column.
fn by_column(d: &K) -> Result<splay::Compression> {
    if d.t() != XD {
        return Err(Error::type_());
    }
    let names = crate::q::eval::values::syms(&d.items()[0]).ok_or_else(Error::type_)?;
    let vals = crate::q::eval::values::items_of(&d.items()[1]);
    let mut out = Vec::new();
    for (n, v) in names.into_iter().zip(vals) {
        let ints = crate::q::eval::values::as_longs(&v).ok_or_else(Error::type_)?;
        out.push((n, compress::Params::from_ints(&ints)?));
    }
    Ok(splay::Compression::ByColumn(out))
}

fn set_at(cx: &Ctx, p: &[u8], x: &K, z: Option<splay::Compression>) -> Result<()> {
    if p.last() == Some(&b'/') {
        let z = match z {
            Some(z) => z,
            None => match datafile::default_params(cx, b"x")? {
                Some(d) => splay::Compression::All(d),
                None => splay::Compression::None,
            },
        };
        return splay::write(p, x, &z);
    }
    let params = match z {
        Some(splay::Compression::All(p)) => Some(p),
        Some(splay::Compression::None) => None,
        Some(splay::Compression::ByColumn(_)) => return Err(Error::type_()),
        None => datafile::default_params(cx, p)?,
    };
    datafile::set(p, x, params)
}

/// `get` of a file or a splayed table's directory.
pub fn get(cx: &Ctx, p: &[u8]) -> Result<K> {
    let dir = path::trim_slash(p);
    if file::is_dir(&path::os(dir)) {
        return splay::read(cx, dir);
    }
    datafile::get(cx, p)
}

/// `hcount`: a file's size in bytes (a compressed file's plain size).
fn hcount(f: &K) -> Result<K> {
    let p = path::required(f)?;
    let os = path::os(&p);
    let len = path::io(&p, file::len(&os))?;
    let head = path::io(&p, file::read_at(&os, 0, 8))?;
    if compress::is_compressed(&head) {
        let bytes = path::io(&p, file::read(&os))?;
        return Ok(K::long(compress::info(&bytes)?.plain_len as i64));
    }
    Ok(K::long(len as i64))
}

/// `hdel`: deletes a file or an empty directory; the file symbol back.
fn hdel(f: &K) -> Result<K> {
    let p = path::required(f)?;
    crate::q::eval::restricted::refuse_file(&p)?;
    path::io(&p, file::remove(&path::os(path::trim_slash(&p))))?;
    Ok(f.clone())
}

/// `key` of a file symbol: a directory's names (sorted), the symbol itself for a file, the
/// empty general list `()` when there is nothing (kdb+'s `()~key`:foo`, which kdb+tick's
/// `if[not type key L;...]` relies on).
fn key(p: &[u8]) -> Result<K> {
    let os = path::os(path::trim_slash(p));
    if file::is_dir(&os) {
        let names = path::io(p, file::list(&os))?;
        let syms: Vec<Sym> = names.iter().map(Sym::new).collect();
        let mut v = K::from_slice(KS, &syms);
        // An empty directory's is plain `symbol$()`, as kdb+ shows it.
        if !syms.is_empty() {
            v.set_attr(ATTR_SORTED);
        }
        return Ok(v);
    }
    if file::exists(&os) {
        return Ok(path::sym(p));
    }
    Ok(K::list(Vec::new()))
}
