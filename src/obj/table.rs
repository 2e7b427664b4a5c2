//! Checked constructors for dictionaries, tables and keyed tables, shared by the C API
//! (`xD`, `xT`, `ktd`, `knt`) and the interpreter (`!`, `flip`, `xkey`), so both give the same
//! answers and the same errors.

use super::error::{Error, Result};
use super::k::K;
use super::layout::*;

/// `keys!values`: both must be lists of the same count.
pub fn dict(keys: K, values: K) -> Result<K> {
    if keys.t() == XT && values.t() == XT {
        // A keyed table: the keys need not be unique.
        if row_count(&keys) != row_count(&values) {
            return Err(Error::length());
        }
        return Ok(K::dict(keys, values));
    }
    // A list and a table of as many rows (`2010.01.01 2010.01.02!t`): each key to a row.
    if (keys.t() == XT) != (values.t() == XT) {
        let (t, l) = if keys.t() == XT {
            (&keys, &values)
        } else {
            (&values, &keys)
        };
        if !has_count(l.t()) || l.t() == XD {
            return Err(Error::type_());
        }
        if row_count(t) != l.n() {
            return Err(Error::length());
        }
        return Ok(K::dict(keys, values));
    }
    if !has_count(keys.t()) || !has_count(values.t()) || keys.t() == XD || values.t() == XD {
        return Err(Error::type_());
    }
    if keys.n() != values.n() {
        return Err(Error::length());
    }
    Ok(K::dict(keys, values))
}

/// `flip d` for a dictionary of symbol keys to equal-length columns.
pub fn table_from_dict(d: K) -> Result<K> {
    if d.t() != XD {
        return Err(Error::type_());
    }
    let [keys, values] = d.items() else {
        unreachable!("dict has two items")
    };
    if keys.t() != KS || values.t() != 0 && values.n() > 0 {
        return Err(Error::type_());
    }
    let mut rows = None;
    if values.t() == 0 {
        for col in values.items() {
            if col.is_atom() || matches!(col.t(), XD | XT) {
                return Err(Error::type_());
            }
            match rows {
                None => rows = Some(col.n()),
                Some(r) if r != col.n() => return Err(Error::length()),
                _ => {}
            }
        }
    }
    Ok(K::table(d))
}

/// Column names of a table.
pub fn columns(t: &K) -> &K {
    &t.table_dict().items()[0]
}

/// Row count of a table (0 for a table with no columns).
pub fn row_count(t: &K) -> usize {
    t.table_dict().items()[1].items().first().map_or(0, K::n)
}

/// `0!kt`: a keyed table (a dict of two tables) made simple; a simple table is returned as is.
pub fn unkey(x: K) -> Result<K> {
    if x.t() == XT {
        return Ok(x);
    }
    let (kt, vt) = keyed_parts(&x)?;
    let (kd, vd) = (kt.table_dict(), vt.table_dict());
    let mut names = kd.items()[0].clone();
    names.append(&vd.items()[0]);
    let mut cols = kd.items()[1].clone();
    cols.append(&vd.items()[1]);
    table_from_dict(K::dict(names, cols))
}

/// Whether a table is shaped as kdb+ builds them: a dictionary of symbol keys to a general
/// list of as many columns (their lengths are not checked). The C API's `xT`, like kdb+'s,
/// builds tables without looking at the values; what reads columns checks this first.
pub fn well_formed(t: &K) -> bool {
    let d = t.table_dict();
    d.t() == XD
        && d.n() == 2
        && d.items()[0].t() == KS
        && d.items()[1].t() == 0
        && d.items()[0].n() == d.items()[1].n()
}

/// `ktd` as kdb+'s C API does it: a keyed table's key and value columns side by side, their
/// lengths unchecked; a simple table is returned as is. Both halves must be well-formed
/// tables.
pub fn unkey_unchecked(x: K) -> Result<K> {
    if x.t() == XT {
        return Ok(x);
    }
    let (kt, vt) = keyed_parts(&x)?;
    if !well_formed(kt) || !well_formed(vt) {
        return Err(Error::type_());
    }
    let (kd, vd) = (kt.table_dict(), vt.table_dict());
    let mut names = kd.items()[0].clone();
    names.append(&vd.items()[0]);
    let mut cols = kd.items()[1].clone();
    cols.append(&vd.items()[1]);
    Ok(K::table(K::dict(names, cols)))
}

/// The key and value tables of a keyed table.
pub fn keyed_parts(x: &K) -> Result<(&K, &K)> {
    if x.t() != XD {
        return Err(Error::type_());
    }
    let [k, v] = x.items() else {
        unreachable!("dict has two items")
    };
    if k.t() != XT || v.t() != XT {
        return Err(Error::type_());
    }
    Ok((k, v))
}

/// `n!t`: a table keyed on its first `n` columns. With `n` of 0 or at least the column count
/// the table is returned untouched, as kdb+'s `knt` does.
pub fn key_first(n: i64, t: K) -> Result<K> {
    if t.t() != XT {
        return Err(Error::type_());
    }
    let d = t.table_dict();
    let ncols = d.items()[0].n();
    if n <= 0 || n as usize >= ncols {
        return Ok(t);
    }
    let n = n as usize;
    let split = |x: &K, from: usize, to: usize| -> K {
        if x.t() == 0 {
            K::list(x.items()[from..to].to_vec())
        } else {
            let mut v = K::vector(x.t(), 0);
            for s in &x.as_slice::<super::Sym>()[from..to] {
                v.push(*s);
            }
            v
        }
    };
    let (names, cols) = (&d.items()[0], &d.items()[1]);
    let key = K::table(K::dict(split(names, 0, n), split(cols, 0, n)));
    let val = K::table(K::dict(split(names, n, ncols), split(cols, n, ncols)));
    Ok(K::dict(key, val))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::obj::Sym;

    fn syms(names: &[&str]) -> K {
        K::from_slice(KS, &names.iter().map(Sym::new).collect::<Vec<_>>())
    }

    fn table3() -> K {
        let cols = K::list(vec![
            K::from_slice(KJ, &[1i64, 2]),
            K::from_slice(KF, &[1.0f64, 2.0]),
            syms(&["x", "y"]),
        ]);
        table_from_dict(dict(syms(&["a", "b", "c"]), cols).unwrap()).unwrap()
    }

    #[test]
    fn dict_and_table_checks() {
        assert_eq!(
            dict(syms(&["a"]), K::from_slice(KJ, &[1i64, 2])).unwrap_err(),
            Error::length()
        );
        assert_eq!(dict(K::long(1), K::long(2)).unwrap_err(), Error::type_());
        let ragged = K::list(vec![
            K::from_slice(KJ, &[1i64]),
            K::from_slice(KJ, &[1i64, 2]),
        ]);
        let d = dict(syms(&["a", "b"]), ragged).unwrap();
        assert_eq!(table_from_dict(d).unwrap_err(), Error::length());
        assert_eq!(row_count(&table3()), 2);
    }

    #[test]
    fn key_then_unkey_round_trips() {
        let kt = key_first(1, table3()).unwrap();
        let (k, v) = keyed_parts(&kt).unwrap();
        assert_eq!(columns(k).as_slice::<Sym>(), &[Sym::new("a")]);
        assert_eq!(columns(v).n(), 2);
        let t = unkey(kt).unwrap();
        assert_eq!(
            columns(&t).as_slice::<Sym>(),
            &[Sym::new("a"), Sym::new("b"), Sym::new("c")]
        );
        assert_eq!(key_first(3, table3()).unwrap().t(), XT);
    }
}
