//! `\l path`: a script (`.q`, or `.k` read as k), a data file (loaded into the global named as
//! the file), or a database directory.
//!
//! A database load changes into the directory, then loads each entry of it in name order: a
//! splayed table's directory or a data file by name, scripts run (not on `\l .`); entries
//! ending in `$` or `#`, hidden ones, `html` and other files with an extension are left alone.
//! Directories named with a leading digit (or those of the segments `par.txt` lists) are
//! partitions: each table of the last partition becomes a partitioned table, and `.Q` records
//! the database (`.Q.pf .Q.pt .Q.pv .Q.PV .Q.pd .Q.PD .Q.pn .Q.D .Q.P`), as kdb+'s load does.

use crate::obj::temporal::ymd;
use crate::obj::*;
use crate::q::eval::Ctx;
use crate::q::session::engine::Engine;
use crate::sys::file;

use super::partition;
use super::path;
use super::splay;

/// `\l arg`.
pub fn command(eng: &Engine, arg: &str) -> Result<K> {
    let arg = arg.trim();
    if arg.is_empty() {
        return Err(Error::new("\\l"));
    }
    let p = arg.as_bytes();
    let os = path::os(p);
    if file::is_dir(&os) {
        return database(eng, p);
    }
    if arg.ends_with(".q") || arg.ends_with(".k") || !file::exists(&os) && !arg.contains('.') {
        return script(eng, &find_script(p));
    }
    // A data file: the global named as the file.
    let cx = Ctx::new(eng);
    let v = super::get(&cx, p)?;
    let name = p.rsplit(|&c| c == b'/').next().unwrap_or(p);
    eng.set_global(Sym::new(name), v)?;
    Ok(K::sym(Sym::new(name)))
}

/// q's home directory: `QHOME`, else `$HOME/q` (basics/by-topic.md).
pub fn qhome() -> Option<String> {
    crate::sys::env::get("QHOME").or_else(|| crate::sys::env::get("HOME").map(|h| format!("{h}/q")))
}

/// Where the script `p` is: a relative path not found from the current directory is sought
/// in `QHOME` (`$HOME/q` when unset), then `QLIC` (basics/files.md, "Relative filepaths";
/// by-topic.md: QHOME is the "folder searched for q.k and unqualified script names").
pub fn find_script(p: &[u8]) -> Vec<u8> {
    if p.starts_with(b"/") || file::exists(&path::os(p)) {
        return p.to_vec();
    }
    for dir in [qhome(), crate::sys::env::get("QLIC")]
        .into_iter()
        .flatten()
    {
        let candidate = [dir.trim_end_matches('/').as_bytes(), b"/", p].concat();
        if file::exists(&path::os(&candidate)) {
            return candidate;
        }
    }
    p.to_vec()
}

/// Runs a script file; a `.k` file is read as k. Its value is `::`, whatever its last line
/// gives: the console shows nothing after `\l` (basics/debug.md: `\l test.q`, resumed in
/// the debugger, runs on to `b:1` and the next prompt follows with nothing printed).
pub fn script(eng: &Engine, p: &[u8]) -> Result<K> {
    // The script's bytes as they are: strings in it need not be UTF-8.
    let text = path::io(p, file::read(&path::os(p)))?;
    if p.ends_with(b".k") {
        for stmt in crate::q::lang::script::statements(&text) {
            eng.eval_source(&[&b"k)"[..], &stmt].concat())?;
        }
        return Ok(K::identity());
    }
    // Errors in it name the file and line by its full path.
    let full = crate::q::session::startup::full_path(&String::from_utf8_lossy(p));
    crate::q::session::scripts::loading(|| eng.run_script_from(&text, Some(&full)))?;
    Ok(K::identity())
}

/// The partition field and value a partition directory's name gives: `YYYY.MM.DD` a date,
/// `YYYY.MM` a month, `YYYY` a year, other digits an int.
fn partition_value(name: &[u8], field: &str) -> Option<K> {
    let s = std::str::from_utf8(name).ok()?;
    let num = |t: &str| -> Option<i32> {
        (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    match field {
        "date" => {
            let mut it = s.split('.');
            let (y, m, d) = (num(it.next()?)?, num(it.next()?)?, num(it.next()?)?);
            (it.next().is_none() && s.len() == 10 && (1..=12).contains(&m) && (1..=31).contains(&d))
                .then(|| K::atom_i32(-KD, ymd(y, m, d)))
        }
        "month" => {
            let (y, m) = s.split_once('.')?;
            let (y, m) = (num(y)?, num(m)?);
            ((1..=12).contains(&m) && s.len() == 7)
                .then(|| K::atom_i32(-KM, (y - 2000) * 12 + m - 1))
        }
        _ => s
            .parse::<i64>()
            .ok()
            .filter(|_| num(s).is_some())
            .map(K::long),
    }
}

fn field_for(name: &[u8]) -> &'static str {
    match name.len() {
        10 => "date",
        7 => "month",
        4 => "year",
        _ => "int",
    }
}

fn is_partition_dir(root: &[u8], name: &[u8]) -> bool {
    name.first().is_some_and(u8::is_ascii_digit) && file::is_dir(&path::os(&path::join(root, name)))
}

/// `\l dir`.
fn database(eng: &Engine, dir: &[u8]) -> Result<K> {
    let reload = path::trim_slash(dir) == b".";
    load_database(eng, dir, true, !reload)
}

/// Loads the database in `dir`: into it first (`cd`), as `\l` does, or naming everything
/// from where the process is; its scripts run when `scripts` (`.Q.lo[dir;cd;scripts]`).
pub fn load_database(eng: &Engine, dir: &[u8], cd: bool, scripts: bool) -> Result<K> {
    let root: Vec<u8> = if cd {
        path::io(dir, file::set_current_dir(&path::os(dir)))?;
        b".".to_vec()
    } else {
        // Its listing below fails as the system says when it is no directory.
        path::trim_slash(dir).to_vec()
    };
    let at = |name: &[u8]| -> Vec<u8> {
        if cd {
            name.to_vec()
        } else {
            path::join(&root, name)
        }
    };
    let cx = Ctx::new(eng);
    let names = path::io(&root, file::list(&path::os(&root)))?;
    // Segments: par.txt's directories (relative ones from the database), else the database.
    let par = at(b"par.txt");
    let segments: Vec<Vec<u8>> = match file::read(&path::os(&par)) {
        Ok(text) => text
            .split(|&c| c == b'\n')
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
            .filter(|l| !l.is_empty())
            .map(|l| path::trim_slash(l).to_vec())
            .map(|l| if l.starts_with(b"/") { l } else { at(&l) })
            .collect(),
        Err(_) => vec![root.clone()],
    };
    let segmented = file::exists(&path::os(&par));
    if segmented && segments.is_empty() {
        return Err(Error::new("empty"));
    }
    for name in &names {
        if is_partition_dir(&root, name) && !segmented
            || name.ends_with(b"$")
            || name.ends_with(b"#")
            || name.starts_with(b".")
            || name == b"html"
        {
            continue;
        }
        let here = at(name);
        if file::is_dir(&path::os(&here)) {
            // A splayed table: kdb+'s placeholder (`` +c!`:./t/ ``), mapped when used.
            if splay::is_splayed(&here) {
                let d = super::datafile::get(&cx, &path::join(&here, b".d"))?;
                let cols = crate::q::eval::values::syms(&d).ok_or_else(Error::type_)?;
                let dir = [b":".as_slice(), &path::join(&root, name), b"/"].concat();
                eng.set_global(Sym::new(name), partition::placeholder(&cols, Sym::new(dir)))?;
            }
            continue;
        }
        if name.ends_with(b".q") || name.ends_with(b".k") {
            if scripts {
                script(eng, &here)?;
            }
            continue;
        }
        if name.contains(&b'.') {
            continue;
        }
        eng.set_global(Sym::new(name), super::get(&cx, &here)?)?;
    }
    // Partitions, from every segment.
    let mut parts: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    for seg in &segments {
        let here = if segmented {
            path::io(seg, file::list(&path::os(seg)))?
        } else {
            names.clone()
        };
        for n in here {
            if is_partition_dir(seg, &n) {
                parts.push((seg.clone(), n));
            }
        }
    }
    if parts.is_empty() {
        return Ok(K::identity());
    }
    let field = field_for(&parts[0].1);
    let mut valued: Vec<(K, Vec<u8>, Vec<u8>)> = Vec::new();
    for (seg, n) in parts {
        let v = partition_value(&n, field).ok_or_else(|| Error::new("part"))?;
        valued.push((v, seg, n));
    }
    valued.sort_by_key(|(v, _, _)| match v.t() {
        t if t == -KJ => v.j(),
        _ => v.i() as i64,
    });
    let (last_seg, last_name) = {
        let (_, s, n) = valued.last().expect("some partitions");
        (s.clone(), n.clone())
    };
    let last_dir = path::join(&last_seg, &last_name);
    let mut tables: Vec<Sym> = Vec::new();
    for t in path::io(&last_dir, file::list(&path::os(&last_dir)))? {
        let tdir = path::join(&last_dir, &t);
        if !file::is_dir(&path::os(&tdir)) {
            continue;
        }
        let d = super::datafile::get(&cx, &path::join(&tdir, b".d"))?;
        let cols = crate::q::eval::values::syms(&d).ok_or_else(Error::type_)?;
        eng.set_global(Sym::new(&t), partition::placeholder(&cols, Sym::new(&t)))?;
        tables.push(Sym::new(&t));
    }
    let values =
        crate::q::eval::values::collapse(valued.iter().map(|(v, _, _)| v.clone()).collect());
    let dirs: Vec<Sym> = valued
        .iter()
        .map(|(_, s, _)| Sym::new([b":".as_slice(), s].concat()))
        .collect();
    let segs: Vec<Sym> = segments
        .iter()
        .map(|s| Sym::new([b":".as_slice(), s].concat()))
        .collect();
    let per_segment: Vec<K> = segments
        .iter()
        .map(|s| {
            crate::q::eval::values::collapse(
                valued
                    .iter()
                    .filter(|(_, seg, _)| seg == s)
                    .map(|(v, _, _)| v.clone())
                    .collect(),
            )
        })
        .collect();
    let set = |n: &str, v: K| eng.set_global(Sym::new(n), v);
    set(".Q.pf", K::sym(Sym::new(field)))?;
    set(".Q.pt", K::from_slice(KS, &tables))?;
    set(".Q.PV", values.clone())?;
    set(".Q.pv", values.clone())?;
    set(".Q.PD", K::from_slice(KS, &dirs))?;
    set(".Q.pd", K::from_slice(KS, &dirs))?;
    set(
        ".Q.pn",
        K::dict(
            K::from_slice(KS, &tables),
            K::list(vec![K::list(Vec::new()); tables.len()]),
        ),
    )?;
    set(".Q.P", K::from_slice(KS, &segs))?;
    // Each partition in one segment only (date-based segments; always so unsegmented).
    let mut seen: Vec<K> = valued.iter().map(|(v, _, _)| v.clone()).collect();
    let n = seen.len();
    seen.dedup_by(|a, b| crate::q::eval::values::identical(a, b));
    set(".Q.u", K::bool(seen.len() == n))?;
    set(".Q.D", K::list(per_segment))?;
    set(field, values)?;
    Ok(K::identity())
}
