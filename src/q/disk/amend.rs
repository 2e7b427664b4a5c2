//! Changing data in files: `` `:f upsert x `` and `.[`:f;();,;x]` append (a vector file's
//! items raw, a log's messages, a splayed table's rows column by column); `@[`:dir/;`c;:;v]`
//! writes one column file of a splayed table; any other amend of a file reads it, amends the
//! value and writes it back whole (under a temporary name, so a failure keeps the old file).

use crate::obj::*;
use crate::q::eval::Ctx;
use crate::sys::file;

use super::datafile;
use super::path;
use super::serialized;

fn is_dir(p: &[u8]) -> bool {
    p.last() == Some(&b'/') || file::is_dir(&path::os(p))
}

/// Appends `x` to the data at `p` (creating it when missing).
pub fn append(cx: &mut Ctx, p: &[u8], x: &K) -> Result<()> {
    if is_dir(p) {
        return append_rows(cx, path::trim_slash(p), x);
    }
    let os = path::os(p);
    if !file::exists(&os) {
        return datafile::set(p, x, None);
    }
    let head = path::io(p, file::read_at(&os, 0, 4096))?;
    match head.as_slice() {
        [0xfe, 0x20, t, 0, ..] if (1..=KT).contains(&(*t as i8)) => {
            let t = *t as i8;
            let v = if x.t() == -t {
                crate::q::eval::values::enlist(x.clone())
            } else {
                x.clone()
            };
            if v.t() != t {
                return Err(Error::new("type/attr error amending file"));
            }
            path::io(p, file::append_to(&os, v.bytes()))
        }
        [0xff, 0x01, 0, ..] => {
            let mut bytes = Vec::new();
            for m in crate::q::eval::values::items_of(x) {
                bytes.extend_from_slice(&serialized::payload(&m)?);
            }
            path::io(p, file::append_to(&os, &bytes))
        }
        _ => {
            let v = datafile::get(cx, p)?;
            let joined = crate::q::eval::apply::call_prim(",", vec![v, x.clone()])?;
            datafile::set(p, &joined, None)
        }
    }
}

/// Rows appended to a splayed table: each column file gains its column of `x`.
fn append_rows(cx: &mut Ctx, dir: &[u8], x: &K) -> Result<()> {
    if !super::splay::is_splayed(dir) {
        return super::splay::write(dir, x, &super::splay::Compression::None);
    }
    let x = if x.t() == XD && x.items()[0].t() == KS {
        // One row as a dictionary.
        crate::q::eval::apply::call_prim("enlist", vec![x.clone()])?
    } else {
        x.clone()
    };
    if x.t() != XT {
        return Err(Error::type_());
    }
    let d = datafile::get(cx, &path::join(dir, b".d"))?;
    let names = crate::q::eval::values::syms(&d).ok_or_else(Error::type_)?;
    let xd = x.table_dict().items();
    let xnames = crate::q::eval::values::syms(&xd[0]).ok_or_else(Error::type_)?;
    let xcols = crate::q::eval::values::items_of(&xd[1]);
    if xnames.len() != names.len() || names.iter().any(|n| !xnames.contains(n)) {
        return Err(Error::mismatch());
    }
    for n in &names {
        let c = &xcols[xnames.iter().position(|m| m == n).unwrap_or(0)];
        if c.t() == KS {
            return Err(Error::type_());
        }
        append(cx, &path::join(dir, n.as_bytes()), c)?;
    }
    Ok(())
}

/// `@`/`.` amends whose target is a file symbol; None when it is not one.
pub fn amend(cx: &mut Ctx, g: &str, args: &[K]) -> Option<Result<K>> {
    if !matches!(g, "@" | ".") || args.len() < 3 {
        return None;
    }
    let p = path::of(args.first()?)?;
    Some((|| {
        let (i, f) = (
            args.get(1).ok_or_else(Error::rank)?,
            args.get(2).ok_or_else(Error::rank)?,
        );
        let empty_index = i.t() == 0 && i.n() == 0 || crate::q::eval::verbs::is_identity(i);
        let is_join = f.t() == BINARY
            && crate::q::eval::verbs::glyph_value(",").is_some_and(|j| j.g() == f.g());
        if let (true, true, Some(y)) = (empty_index, is_join, args.get(3)) {
            append(cx, &p, y)?;
            return Ok(args[0].clone());
        }
        // The whole value replaced (`.[`:f;();:;x]`): written as `set` writes it, whether or
        // not the file was there.
        let is_assign = f.t() == BINARY && f.g() == 0;
        if let (true, true, Some(y), false) = (empty_index, is_assign, args.get(3), is_dir(&p)) {
            datafile::set(&p, y, datafile::default_params(cx, &p)?)?;
            return Ok(args[0].clone());
        }
        // A splayed table's columns by name: each column file on its own.
        if is_dir(&p) {
            if let Some(cols) = crate::q::eval::values::syms(i) {
                let dir = path::trim_slash(&p);
                let ys: Vec<K> = match args.get(3) {
                    Some(y) if cols.len() > 1 || i.t() == KS => crate::q::eval::values::items_of(y),
                    Some(y) => vec![y.clone()],
                    None => Vec::new(),
                };
                for (k, c) in cols.iter().enumerate() {
                    let cp = path::join(dir, c.as_bytes());
                    let is_assign = f.t() == BINARY && f.g() == 0;
                    let v = match (is_assign, ys.get(k)) {
                        (true, Some(y)) => y.clone(),
                        (_, y) => {
                            let old = datafile::get(cx, &cp)?;
                            let mut a = vec![old];
                            a.extend(y.cloned());
                            crate::q::eval::apply::apply(cx, f.clone(), a)?
                        }
                    };
                    datafile::set(&cp, &v, datafile::default_params(cx, &cp)?)?;
                }
                return Ok(args[0].clone());
            }
        }
        let v = super::get(cx, &p)?;
        let mut a = args.to_vec();
        a[0] = v;
        let r = crate::q::keywords::builtins::glyph_n(cx, g, a)?;
        if is_dir(&p) {
            super::splay::write(&p, &r, &super::splay::Compression::None)?;
        } else {
            datafile::set(&p, &r, datafile::default_params(cx, &p)?)?;
        }
        Ok(args[0].clone())
    })())
}
