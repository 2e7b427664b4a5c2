//! Partitioned tables: after `\l db`, a table spread over partition directories
//! (`db/2020.01.01/trade/`, ...) is a global whose value is kdb+'s own placeholder,
//! `+cols!`trade`: a table whose column dictionary maps to the table's name, not to data.
//!
//! Queries (`select ... from trade where date within ...`) first evaluate their leading
//! where clauses that read only the partition field on the partition values, and map only the
//! partitions that remain; any other use of the table maps every partition. The partition
//! column itself (`date`, `month`, `year`, `int`) is virtual: each partition's value repeated.
//!
//! Where partitions are, the load (`load.rs`) leaves in `.Q`: `.Q.pf` the field, `.Q.pv` the
//! values in view, `.Q.pd` the directory of each (as file symbols).

use crate::obj::*;
use crate::q::eval::Ctx;

use super::datafile;
use super::path;

/// Whether `x` is a partitioned table's placeholder.
pub fn is_partitioned(x: &K) -> bool {
    x.t() == XT && x.table_dict().items()[1].t() == -KS
}

/// The placeholder for table `name` with columns `cols` (kdb+ leaves the partition field
/// out: it is `.Q.pf`'s).
pub fn placeholder(cols: &[Sym], name: Sym) -> K {
    K::table(K::dict(K::from_slice(KS, cols), K::sym(name)))
}

/// The global `name` if it is a partitioned table.
pub fn raw(cx: &Ctx, name: Sym) -> Option<K> {
    let full = crate::q::session::engine::qualify(name, cx.ns());
    cx.eng
        .get_global(full)
        .or_else(|| cx.eng.get_global(name))
        .filter(is_partitioned)
}

/// The database the partitioned tables live in.
pub struct Db {
    pub field: Sym,
    /// Partition values in view.
    pub values: K,
    /// Each partition's directory.
    pub dirs: Vec<Vec<u8>>,
}

fn global(cx: &Ctx, name: &str) -> Result<K> {
    cx.eng
        .get_global(Sym::new(name))
        .ok_or_else(|| Error::new(name))
}

/// The database `\l` loaded, from `.Q.pf`, `.Q.pv` and `.Q.pd`.
pub fn db(cx: &Ctx) -> Result<Db> {
    let field = global(cx, ".Q.pf")?;
    let values = global(cx, ".Q.pv")?;
    let dirs = global(cx, ".Q.pd")?;
    let dirs: Vec<Vec<u8>> = crate::q::eval::values::syms(&dirs)
        .ok_or_else(Error::type_)?
        .iter()
        .map(|s| path::trim_slash(s.as_bytes().strip_prefix(b":").unwrap_or(s.as_bytes())).to_vec())
        .collect();
    if field.t() != -KS || dirs.len() != values.n() {
        return Err(Error::type_());
    }
    Ok(Db {
        field: field.s(),
        values,
        dirs,
    })
}

/// A partition directory's name for value `v` (`2020.01.01`, `2020.01`, `12`).
pub fn dir_name(v: &K) -> Result<Vec<u8>> {
    let s = crate::q::fmt::string(v.clone())?;
    Ok(s.bytes().to_vec())
}

/// Columns of several partitions as one: vectors of one type appended in turn, anything
/// else joined as `raze` joins.
fn concat(parts: Vec<K>) -> Result<K> {
    let t = parts[0].t();
    if t > 0 && t <= ENUM_LAST && plain_item_size(t) != 0 && parts.iter().all(|p| p.t() == t) {
        let mut out = K::vector(t, 0);
        for p in &parts {
            out.append(p);
        }
        return Ok(out);
    }
    crate::q::eval::apply::call_prim("raze", vec![K::list(parts)])
}

/// The partition column of one partition: `n` copies of its value `v`.
fn virtual_column(v: &K, n: usize) -> K {
    match v.t() {
        t if t == -KJ => K::from_slice(KJ, &vec![v.j(); n]),
        t => {
            let mut c = K::from_slice(KI, &vec![v.i(); n]);
            c.retype(-t);
            c
        }
    }
}

/// The table of partitions `which` (indices into the values in view), the partition column
/// first; columns of one partition stay mapped, several are joined.
pub fn materialize(cx: &Ctx, p: &K, which: &[usize]) -> Result<K> {
    let d = db(cx)?;
    let name = p.table_dict().items()[1].s();
    let data_cols: Vec<Sym> = p.table_dict().items()[0].as_slice::<Sym>().to_vec();
    let mut names = vec![d.field];
    names.extend_from_slice(&data_cols);
    let mut per_col: Vec<Vec<K>> = vec![Vec::new(); names.len()];
    // `.Q.bv[]`'s empty tables stand in for partitions the table is missing from.
    let prototype = cx
        .eng
        .get_global(Sym::new(".Q.vp"))
        .filter(|vp| vp.t() == XD)
        .and_then(|vp| {
            let [k, v] = vp.items() else { return None };
            let at = crate::q::eval::values::syms(k)?
                .iter()
                .position(|s| *s == name)?;
            Some(crate::q::eval::values::item(v, at))
        });
    for &i in which {
        let v = crate::q::eval::values::item(&d.values, i);
        let dir = path::join(&path::join(&d.dirs[i], &dir_name(&v)?), name.as_bytes());
        if let Some(p) = prototype
            .as_ref()
            .filter(|p| p.t() == XT && !crate::sys::file::is_dir(&path::os(&dir)))
        {
            let [ks, vs] = p.table_dict().items() else {
                return Err(Error::type_());
            };
            let ks = crate::q::eval::values::syms(ks).ok_or_else(Error::type_)?;
            for (c, col) in data_cols.iter().enumerate() {
                let at = ks.iter().position(|k| k == col).ok_or(Error(*col))?;
                per_col[c + 1].push(crate::q::eval::values::item(vs, at));
            }
            per_col[0].push(virtual_column(&v, 0));
            continue;
        }
        let mut n = None;
        for (c, col) in data_cols.iter().enumerate() {
            let x = datafile::get(cx, &path::join(&dir, col.as_bytes()))?;
            if n.is_some_and(|n| n != x.n()) {
                return Err(Error::length());
            }
            n = Some(x.n());
            per_col[c + 1].push(x);
        }
        per_col[0].push(virtual_column(&v, n.unwrap_or(0)));
    }
    let mut cols = Vec::with_capacity(names.len());
    for (c, parts) in per_col.into_iter().enumerate() {
        cols.push(match parts.len() {
            1 => parts.into_iter().next().expect("one part"),
            0 if c == 0 => K::vector(-d.values.t(), 0),
            0 => K::list(Vec::new()),
            _ => concat(parts)?,
        });
    }
    crate::obj::table::table_from_dict(K::dict(K::from_slice(KS, &names), K::list(cols)))
}

/// A placeholder as a table in memory: a splayed table's columns mapped (`` +c!`:dir/ ``),
/// or every partition in view of a partitioned one (`` +c!`t ``).
pub fn materialize_all(cx: &Ctx, p: &K) -> Result<K> {
    let target = &p.table_dict().items()[1];
    if let Some(dir) = path::of(target) {
        let names = p.table_dict().items()[0].clone();
        let dir = path::trim_slash(&dir).to_vec();
        let cols: Vec<K> = crate::q::eval::values::syms(&names)
            .ok_or_else(Error::type_)?
            .iter()
            .map(|c| datafile::get(cx, &path::join(&dir, c.as_bytes())))
            .collect::<Result<_>>()?;
        return crate::obj::table::table_from_dict(K::dict(names, K::list(cols)));
    }
    // Without a database loaded, or not one of its tables, the table's name is what is missing.
    let d = db(cx).map_err(|_| Error(target.s()))?;
    let known = cx
        .eng
        .get_global(Sym::new(".Q.pt"))
        .and_then(|pt| crate::q::eval::values::syms(&pt))
        .is_some_and(|pt| pt.contains(&target.s()));
    if !known {
        return Err(Error(target.s()));
    }
    materialize(cx, p, &(0..d.values.n()).collect::<Vec<_>>())
}

/// A placeholder's column names: a partitioned table's start with the partition field.
pub fn columns(cx: &Ctx, p: &K) -> Result<K> {
    let names = p.table_dict().items()[0].clone();
    if path::is_file_sym(&p.table_dict().items()[1]) {
        return Ok(names);
    }
    let d = db(cx)?;
    let mut all = vec![d.field];
    all.extend_from_slice(names.as_slice::<Sym>());
    Ok(K::from_slice(KS, &all))
}

/// Primitives and keywords given a placeholder: the cheap answers (its columns, flipping it
/// back to its dictionary, showing it as kdb+ shows it), else the table in memory. None when
/// no argument is a placeholder.
pub fn intercept(cx: &mut Ctx, name: &str, args: &[K]) -> Option<Result<K>> {
    // `flip c!`t` and `flip c!`:dir/`: a placeholder.
    if let ("+" | "flip", [d]) = (name, args) {
        if d.t() == XD && d.items()[0].t() == KS && d.items()[1].t() == -KS {
            return Some(Ok(K::table(d.clone())));
        }
    }
    if !args.iter().any(is_partitioned) {
        return None;
    }
    match (name, args) {
        ("cols", [p]) => return Some(columns(cx, p)),
        ("+" | "flip", [p]) => return Some(Ok(p.table_dict().clone())),
        (".Q.s" | ".Q.s1" | "show" | "set" | "value" | "get" | "type", _) | ("@", [_]) => {
            return None
        }
        ("!", [n, _]) if n.t() < 0 && crate::q::eval::values::as_long(n).is_some_and(|n| n < 0) => {
            return None
        }
        _ => {}
    }
    let args: Result<Vec<K>> = args
        .iter()
        .map(|a| {
            if is_partitioned(a) {
                materialize_all(cx, a)
            } else {
                Ok(a.clone())
            }
        })
        .collect();
    Some(args.and_then(|a| {
        let f = if name.len() <= 2 && !name.chars().all(|c| c.is_ascii_alphanumeric()) {
            match a.len() {
                1 => return crate::q::eval::apply::glyph_monad(cx, name, a[0].clone()),
                _ => {
                    let mut it = a.into_iter();
                    let (x, y) = (it.next().expect("two"), it.next().expect("two"));
                    return crate::q::eval::apply::glyph_dyad(cx, name, x, y);
                }
            }
        } else {
            name
        };
        crate::q::eval::apply::call_keyword(cx, f, a)
    }))
}
