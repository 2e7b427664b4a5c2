//! `save load rsave rload dsave`: globals to files by name and back.
//!
//! - `save `:dir/t` writes global `t` as a data file; `.csv` and `.txt` write it as text
//!   (comma and tab delimited), `.xml` and `.json` as `.h.tx` formats them; the file symbol
//!   back. A list of names saves each.
//! - `load `:dir/t` sets global `t` to the file's value; the name back. `load `:t.json` reads
//!   the file's lines through `.h.xt` for the extension.
//! - `rsave `t` splays `t` to `:t/`; `rload `t` maps it back.
//! - `` `:db dsave `t`q `` (or `` `:db`2015.01.01 dsave ``, a partition) splays each table,
//!   enumerated against `db/sym`, with `p#` on its first column.

use crate::obj::*;
use crate::q::eval::Ctx;

use super::path;

/// Each name of a symbol atom or list, and whether it was a list.
fn names(x: &K) -> Result<(Vec<Sym>, bool)> {
    match x.t() {
        -11 => Ok((vec![x.s()], false)),
        KS => Ok((x.as_slice::<Sym>().to_vec(), true)),
        _ => Err(Error::type_()),
    }
}

/// One result, or a list of them as the argument was.
fn each(x: &K, f: &mut dyn FnMut(Sym) -> Result<Sym>) -> Result<K> {
    let (ns, list) = names(x)?;
    let out: Vec<Sym> = ns.into_iter().map(f).collect::<Result<_>>()?;
    Ok(if list {
        K::from_slice(KS, &out)
    } else {
        K::sym(out[0])
    })
}

/// The path a name stands for, the global it names and the extension of its file name, if
/// any (`:dir/t.csv` -> ("dir/t.csv", t, csv); dots in directories are no extension).
fn target(s: Sym) -> (Vec<u8>, Sym, Option<Vec<u8>>) {
    let b = s.as_bytes();
    let p = b.strip_prefix(b":").unwrap_or(b).to_vec();
    let file = path::trim_slash(&p)
        .rsplit(|&c| c == b'/')
        .next()
        .unwrap_or(&p);
    let mut parts = file.split(|&c| c == b'.');
    let name = parts.next().unwrap_or(file);
    let ext = parts.next().map(<[u8]>::to_vec);
    (p.clone(), Sym::new(name), ext)
}

/// `save x`.
pub fn save(cx: &mut Ctx, x: &K) -> Result<K> {
    each(x, &mut |s| {
        let (p, name, ext) = target(s);
        let v = cx.lookup(name)?;
        match ext.as_deref() {
            Some(b"csv") | Some(b"txt") => {
                let d = if ext.as_deref() == Some(b"csv") {
                    b','
                } else {
                    b'\t'
                };
                let lines = super::text::prepare(&K::char(d), &v)?;
                super::text::write_lines(&p, &lines)?;
            }
            // Other formats as `.h.tx` formats them (ref/save.md: `` `:t.xml 0:.h.tx[`xml;t] ``):
            // xml, xls, json, raw and any a user adds to .h.tx.
            Some(e) if has_format(cx, e) => {
                let tx = cx.lookup(Sym::new(".h.tx"))?;
                let format = cx.apply(tx, vec![K::sym(Sym::new(e))])?;
                let lines = cx.apply(format, vec![v])?;
                super::text::write_lines(&p, &lines)?;
            }
            // A format .h.tx does not have: what kdb+ answers is not documented.
            Some(_) => return Err(Error::nyi()),
            None if p.last() == Some(&b'/') => {
                super::splay::write(&p, &v, &super::splay::Compression::None)?
            }
            None => {
                let z = super::datafile::default_params(cx, &p)?;
                super::datafile::set(&p, &v, z)?
            }
        }
        Ok(Sym::new([b":".as_slice(), &p].concat()))
    })
}

/// Whether `.h.tx` has a format for extension `e`.
fn has_format(cx: &mut Ctx, e: &[u8]) -> bool {
    cx.lookup(Sym::new(".h.tx")).is_ok_and(|tx| {
        tx.t() == XD
            && crate::q::eval::values::syms(&tx.items()[0])
                .is_some_and(|k| k.contains(&Sym::new(e)))
    })
}

/// `load x`: a data file (or splayed directory) as global x; a file with an extension is
/// read as text, its lines parsed by `.h.xt` for that extension (`` .h.xt[`json] `` reads
/// JSON lines as a table), as kdb+'s load does.
pub fn load(cx: &mut Ctx, x: &K) -> Result<K> {
    each(x, &mut |s| {
        let (p, name, ext) = target(s);
        let v = match ext {
            Some(e) => {
                let lines = super::text::read0(&K::sym(Sym::new([b":".as_slice(), &p].concat())))?;
                let xt = cx.lookup(Sym::new(".h.xt"))?;
                cx.apply(xt, vec![K::sym(Sym::new(e)), lines])?
            }
            None => super::get(cx, &p)?,
        };
        cx.eng.set_global(name, v)?;
        Ok(name)
    })
}

/// `rsave x`: each table splayed to a directory of its name.
pub fn rsave(cx: &mut Ctx, x: &K) -> Result<K> {
    each(x, &mut |s| {
        let (p, name, _) = target(s);
        let v = cx.lookup(name)?;
        let dir = [path::trim_slash(&p), b"/"].concat();
        super::splay::write(&dir, &v, &super::splay::Compression::None)?;
        Ok(Sym::new([b":".as_slice(), &dir].concat()))
    })
}

/// `rload x`.
pub fn rload(cx: &mut Ctx, x: &K) -> Result<K> {
    each(x, &mut |s| {
        let (p, name, _) = target(s);
        let v = super::splay::read(cx, &p)?;
        cx.eng.set_global(name, v)?;
        Ok(name)
    })
}

/// `d dsave t`, as q over `.Q.en` and `set`.
pub const DSAVE: &str =
    "{[d;t]{[d;t]x:.Q.en[first d]0!value t;x:@[x;first cols x;`p#];(` sv d,t,`)set x;t}[d]each t}";

#[cfg(test)]
mod tests {
    #[test]
    fn dsave_parses() {
        assert!(crate::q::keywords::builtins::builtin_lambda(super::DSAVE).is_ok());
    }
}
