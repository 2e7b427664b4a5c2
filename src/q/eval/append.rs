//! `x,:y` (Append): joins `y` onto a variable under stricter rules than `x:x,y`.
//!
//! A simple vector takes only atoms or vectors of its own type (an enumeration enumerates
//! symbols first, `'cast` for one outside its domain; symbols take enumerations
//! de-enumerated); a dictionary with simple values takes a dictionary with values of that type;
//! a table takes tables, dictionaries (one record) or lists of records, missing columns filled
//! with nulls but present ones of the same types; a general list one rank deeper than `y`
//! takes `y` as one item.

use super::values::{collapse, count, enlist, item, items_of, null_atom};
use super::{Ctx, R};
use crate::obj::*;
use crate::q::keywords::enums;

impl Ctx<'_> {
    /// `name,:y`: the appended value, also assigned (a failed append leaves the variable as it
    /// was).
    pub fn append_to(&mut self, name: Sym, global: bool, y: K) -> R {
        let old = match self.take_var(name, global) {
            Ok(old) => old,
            // Appending to a name not yet set starts it: `b,:3` is `,3`.
            Err(e) if e.0 == name => {
                let v = if y.is_atom() { enlist(y) } else { y };
                self.assign(name, v.clone(), global)?;
                return Ok(v);
            }
            Err(e) => return Err(e.into()),
        };
        let y = match self.append_operand(&old, y) {
            Ok(y) => y,
            Err(e) => {
                self.assign(name, old, global)?;
                return Err(e.into());
            }
        };
        // A list is handed to the join as the only reference, so it can append in place (the
        // operand was checked, so the join does not fail and lose the variable).
        let r = if old.t() < XT {
            super::apply::glyph_dyad(self, ",", old, y)?
        } else {
            let keep = old.clone();
            match super::apply::glyph_dyad(self, ",", old, y) {
                Ok(r) => r,
                Err(e) => {
                    self.assign(name, keep, global)?;
                    return Err(e.into());
                }
            }
        };
        self.assign(name, r.clone(), global)?;
        Ok(r)
    }

    /// `y` as the join must receive it, or the error appending it signals.
    fn append_operand(&mut self, x: &K, y: K) -> Result<K> {
        let t = x.t();
        if t > 0 && enums::domain_of(t).is_some() {
            let y = match enums::domain_of(t) {
                Some(d) if y.t().wrapping_abs() == KS => {
                    enums::enumerate(self, d, &y).unwrap_or(Ok(y))?
                }
                _ => y,
            };
            return same_type(x, y);
        }
        match t {
            KS if enums::domain_of(y.t().wrapping_abs()).is_some() => {
                Ok(enums::unenumerate(&y).unwrap_or(y))
            }
            1..=19 if x.n() > 0 => same_type(x, y),
            0 if x.n() > 0 && depth(x) == depth(&y) + 1 => Ok(enlist(y)),
            XD if x.items()[0].t() == XT && x.items()[1].t() == XT => upsert_keyed(x, y),
            XD => {
                let vt = x.items()[1].t();
                if (1..20).contains(&vt) && (y.t() != XD || y.items()[1].t() != vt) {
                    return Err(Error::type_());
                }
                Ok(y)
            }
            XT => records(x, y),
            _ => Ok(y),
        }
    }
}

fn same_type(x: &K, y: K) -> Result<K> {
    if y.t() == x.t() || y.t() == -x.t() || y.t() == 0 && y.n() == 0 {
        Ok(y)
    } else {
        Err(Error::type_())
    }
}

/// The rank of a list: how deep its first items go.
fn depth(x: &K) -> usize {
    match x.t() {
        0 if x.n() > 0 => 1 + depth(&x.items()[0]),
        t if (0..XT).contains(&t) => 1,
        _ => 0,
    }
}

/// A table's column names and columns.
fn columns(t: &K) -> (Vec<Sym>, Vec<K>) {
    let d = t.table_dict();
    (
        d.items()[0].as_slice::<Sym>().to_vec(),
        items_of(&d.items()[1]),
    )
}

/// The records `y` gives, as column names and columns (`names` when `y` is a list of them).
fn record_columns(y: &K, names: &[Sym]) -> Result<(Vec<Sym>, Vec<K>)> {
    Ok(match y.t() {
        XT => columns(y),
        XD if y.items()[0].t() == XT && y.items()[1].t() == XT => {
            let (mut n, mut c) = columns(&y.items()[0]);
            let (vn, vc) = columns(&y.items()[1]);
            n.extend(vn);
            c.extend(vc);
            (n, c)
        }
        XD if y.items()[0].t() == KS => {
            let cols = items_of(&y.items()[1]).into_iter().map(enlist).collect();
            (y.items()[0].as_slice::<Sym>().to_vec(), cols)
        }
        _ => (names.to_vec(), row_columns(y, names.len())?),
    })
}

/// Whether a column of `x`'s type cannot take `y`'s items.
fn mistyped(x: &K, y: &K) -> bool {
    (1..20).contains(&x.t()) && y.t() != x.t()
}

/// `kt,:y`: y's records as a keyed table for the join (`kt,kt` upserts them: existing keys
/// updated in the columns y gives, new keys appended with nulls in the columns it does not).
fn upsert_keyed(x: &K, y: K) -> Result<K> {
    let (knames, _) = columns(&x.items()[0]);
    let (vnames, vcols) = columns(&x.items()[1]);
    let all: Vec<Sym> = knames.iter().chain(&vnames).copied().collect();
    let (ynames, ycols) = record_columns(&y, &all)?;
    if ynames.iter().any(|n| !all.contains(n)) || knames.iter().any(|n| !ynames.contains(n)) {
        return Err(Error::new("mismatch"));
    }
    let ycol = |n: &Sym| ynames.iter().position(|m| m == n).map(|k| ycols[k].clone());
    if vnames
        .iter()
        .zip(&vcols)
        .any(|(n, c)| ycol(n).is_some_and(|yc| mistyped(c, &yc)))
    {
        return Err(Error::type_());
    }
    let given: Vec<Sym> = vnames
        .iter()
        .filter(|n| ynames.contains(n))
        .copied()
        .collect();
    let part = |names: &[Sym]| {
        let cols = names.iter().filter_map(ycol).collect();
        table::table_from_dict(K::dict(K::from_slice(KS, names), K::list(cols)))
    };
    Ok(K::dict(part(&knames)?, part(&given)?))
}

/// `y` as a table with `x`'s columns: missing ones null, present ones of `x`'s types.
fn records(x: &K, y: K) -> Result<K> {
    let (names, xcols) = columns(x);
    let (ynames, ycols) = record_columns(&y, &names)?;
    if ynames.iter().any(|n| !names.contains(n)) {
        return Err(Error::new("mismatch"));
    }
    let rows = ycols.first().map_or(0, count);
    let mut cols = Vec::with_capacity(names.len());
    for (name, xc) in names.iter().zip(&xcols) {
        match ynames.iter().position(|n| n == name) {
            Some(k) => {
                let yc = ycols[k].clone();
                if mistyped(xc, &yc) {
                    return Err(Error::type_());
                }
                cols.push(yc);
            }
            None => cols.push(null_column(xc, rows)),
        }
    }
    table::table_from_dict(K::dict(K::from_slice(KS, &names), K::list(cols)))
}

/// Columns from one record (a list of atoms) or a list of records.
fn row_columns(y: &K, width: usize) -> Result<Vec<K>> {
    let records: Vec<K> = if y.t() == 0 && y.n() > 0 && !y.items()[0].is_atom() {
        items_of(y)
    } else {
        vec![y.clone()]
    };
    if records.iter().any(|r| r.is_atom() || count(r) != width) {
        return Err(Error::length());
    }
    Ok((0..width)
        .map(|c| collapse(records.iter().map(|r| item(r, c)).collect()))
        .collect())
}

/// The null item of a column (an empty string in a column of strings).
fn null_item(like: &K) -> K {
    match like.t() {
        0 if like.n() > 0 && like.items()[0].t() == KC => K::from_slice(KC, b""),
        0 => K::identity(),
        t => null_atom(t),
    }
}

fn null_column(like: &K, rows: usize) -> K {
    collapse(vec![null_item(like); rows])
}
