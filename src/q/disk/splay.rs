//! Splayed tables: a directory with one data file per column, named as the column, and `.d`
//! holding the column names in order (written last, so a reader that sees `.d` sees every
//! column). Symbol columns must be enumerated first (`.Q.en`), else `'type`; nested columns
//! are anymap files. `get` maps the columns back.

use crate::obj::*;
use crate::q::eval::Ctx;
use crate::sys::file;

use super::compress::Params;
use super::datafile;
use super::path;

/// Whether `p` is a splayed table's directory.
pub fn is_splayed(p: &[u8]) -> bool {
    file::exists(&path::os(&path::join(p, b".d")))
}

/// The columns of a table as (name, column), or `'type` for what cannot be splayed.
fn columns(t: &K) -> Result<(Vec<Sym>, Vec<K>)> {
    if t.t() != XT {
        return Err(Error::type_());
    }
    let d = t.table_dict().items();
    let names = crate::q::eval::values::syms(&d[0]).ok_or_else(Error::type_)?;
    let cols = crate::q::eval::values::items_of(&d[1]);
    for c in &cols {
        match c.t() {
            // Unenumerated symbols (kdb+ asks for .Q.en first).
            KS => return Err(Error::type_()),
            0 if !super::anymap::writable(c) => return Err(Error::new("unmappable")),
            // Before any file is written: an attribute inside whose form no file shows.
            0 if !super::anymap::attributes_known(c) => return Err(Error::nyi()),
            t if !(0..=ENUM_LAST).contains(&t) => return Err(Error::type_()),
            _ => {}
        }
    }
    Ok((names, cols))
}

/// The compression for column `name`: one setting for all, or a dictionary by column name
/// (`` ` `` the default).
pub enum Compression {
    None,
    All(Params),
    ByColumn(Vec<(Sym, Option<Params>)>),
}

impl Compression {
    fn for_column(&self, name: Sym) -> Option<Params> {
        match self {
            Compression::None => None,
            Compression::All(p) => Some(*p),
            Compression::ByColumn(v) => v
                .iter()
                .find(|(n, _)| *n == name)
                .or_else(|| v.iter().find(|(n, _)| n.is_empty()))
                .and_then(|(_, p)| *p),
        }
    }
}

/// `` `:dir/ set t ``: the column files, then `.d`.
pub fn write(dir: &[u8], t: &K, z: &Compression) -> Result<()> {
    let (names, cols) = columns(t)?;
    let dir = path::trim_slash(dir);
    path::io(dir, file::create_dirs(&path::os(dir)))?;
    for (name, col) in names.iter().zip(&cols) {
        datafile::set(&path::join(dir, name.as_bytes()), col, z.for_column(*name))?;
    }
    let d = K::from_slice(KS, &names);
    datafile::set(&path::join(dir, b".d"), &d, z.for_column(Sym::new(".d")))
}

/// `get` of a splayed table's directory: its columns mapped, in `.d`'s order.
pub fn read(cx: &Ctx, dir: &[u8]) -> Result<K> {
    let dir = path::trim_slash(dir);
    let d = datafile::get(cx, &path::join(dir, b".d"))?;
    if d.t() != KS {
        return Err(Error::type_());
    }
    let names = d.as_slice::<Sym>().to_vec();
    let mut cols = Vec::with_capacity(names.len());
    for n in &names {
        cols.push(datafile::get(cx, &path::join(dir, n.as_bytes()))?);
    }
    let counts: Vec<usize> = cols.iter().map(K::n).collect();
    if counts.windows(2).any(|w| w[0] != w[1]) {
        return Err(Error::length());
    }
    crate::obj::table::table_from_dict(K::dict(K::from_slice(KS, &names), K::list(cols)))
}
