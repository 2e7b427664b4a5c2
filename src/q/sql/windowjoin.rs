//! Window joins `wj[w;c;t;(q;(f0;c0);(f1;c1)...)]` and `wj1`: for each row of `t`, the rows of
//! `q` with the same values in the leading columns of `c` whose time (the last column of `c`)
//! lies in that row's window `w[0] w[1]`; each `f` is applied to its column `c` over them.
//! `wj` also takes the quote prevailing when the window opens; `wj1`, only quotes inside it.
//! `q` is sorted by time within each group, as kdb+ requires.

use crate::obj::*;
use crate::q::eval::apply::{apply, call_prim};
use crate::q::eval::atoms::A_KS;
use crate::q::eval::values::*;
use crate::q::eval::Ctx;

/// `wj` (`prevailing`) or `wj1` with their four arguments.
pub fn window_join(cx: &mut Ctx, prevailing: bool, args: &[K]) -> Result<K> {
    let [w, c, t, spec] = args else {
        return Err(Error::rank());
    };
    let names = syms(c).ok_or_else(Error::type_)?;
    let Some((&time, eq)) = names.split_last() else {
        return Err(Error::length());
    };
    let t = table::unkey(t.clone())?;
    let specs = items_of(spec);
    let Some(q) = specs.first() else {
        return Err(Error::length());
    };
    let q = table::unkey(q.clone())?;
    let n = table::row_count(&t);
    let (starts, ends) = window_bounds(w, n)?;
    let q_time = ordinals(&column(&q, time)?).ok_or_else(Error::type_)?;
    let (groups, group_of) = match_groups(&t, &q, eq, n)?;
    // The rows of q each row of t sees.
    let seen: Vec<Vec<i64>> = (0..n)
        .map(|i| {
            let Some(rows) = group_of[i].and_then(|g| groups.get(g)) else {
                return Vec::new();
            };
            let at = |r: &i64| q_time[*r as usize];
            let first_in = rows.partition_point(|r| at(r) < starts[i]);
            let from = if prevailing && (first_in == rows.len() || at(&rows[first_in]) > starts[i])
            {
                first_in.saturating_sub(1)
            } else {
                first_in
            };
            let to = rows.partition_point(|r| at(r) <= ends[i]);
            rows[from..to.max(from)].to_vec()
        })
        .collect();
    let mut out_names = table::columns(&t).as_slice::<Sym>().to_vec();
    let mut out_cols = items_of(&t.table_dict().items()[1]);
    for s in &specs[1..] {
        if s.t() != 0 {
            return Err(Error::type_());
        }
        let [f, col] = s.items() else {
            return Err(Error::length());
        };
        if col.t() != A_KS {
            return Err(Error::type_());
        }
        let source = column(&q, col.s())?;
        let mut per_row = Vec::with_capacity(n);
        for rows in &seen {
            per_row.push(apply(
                cx,
                f.clone(),
                vec![crate::q::prims::kit::gather(&source, rows)],
            )?);
        }
        let values = if per_row.iter().all(K::is_atom) {
            collapse(per_row)
        } else {
            K::list(per_row)
        };
        match out_names.iter().position(|&x| x == col.s()) {
            Some(p) => out_cols[p] = values,
            None => {
                out_names.push(col.s());
                out_cols.push(values);
            }
        }
    }
    table::table_from_dict(K::dict(K::from_slice(KS, &out_names), K::list(out_cols)))
}

/// The window of each of `n` rows: `w` is a pair of lists of opening and closing times.
fn window_bounds(w: &K, n: usize) -> Result<(Vec<i64>, Vec<i64>)> {
    let parts = items_of(w);
    let [open, close] = parts.as_slice() else {
        return Err(Error::length());
    };
    let open = ordinals(open).ok_or_else(Error::type_)?;
    let close = ordinals(close).ok_or_else(Error::type_)?;
    if open.len() != n || close.len() != n {
        return Err(Error::length());
    }
    Ok((open, close))
}

/// The rows of q grouped by the columns `eq`, and each row of t's group (None when q has no
/// rows with its values).
type Groups = (Vec<Vec<i64>>, Vec<Option<usize>>);

fn match_groups(t: &K, q: &K, eq: &[Sym], n: usize) -> Result<Groups> {
    let nq = table::row_count(q);
    if eq.is_empty() {
        return Ok((vec![(0..nq as i64).collect()], vec![Some(0); n]));
    }
    let pick = |x: &K| -> Result<K> {
        let cols = eq
            .iter()
            .map(|s| column(x, *s))
            .collect::<Result<Vec<K>>>()?;
        table::table_from_dict(K::dict(K::from_slice(KS, eq), K::list(cols)))
    };
    let (keys, groups) = super::positions_by_value(pick(q)?)?;
    let found = call_prim("?", vec![keys, pick(t)?])?;
    let found = as_longs(&found).ok_or_else(Error::type_)?;
    Ok((
        groups,
        found.into_iter().map(|g| usize::try_from(g).ok()).collect(),
    ))
}

fn column(t: &K, name: Sym) -> Result<K> {
    let names = table::columns(t).as_slice::<Sym>();
    let p = names.iter().position(|&s| s == name).ok_or(Error(name))?;
    Ok(t.table_dict().items()[1].items()[p].clone())
}

/// A time or number column as integers that order as its values do.
fn ordinals(x: &K) -> Option<Vec<i64>> {
    // Floats order as their bits do once negative ones are flipped.
    let float = |f: f64| {
        let b = f.to_bits() as i64;
        if b < 0 {
            b ^ i64::MAX
        } else {
            b
        }
    };
    Some(match x.t() {
        KE => x
            .as_slice::<f32>()
            .iter()
            .map(|v| float(*v as f64))
            .collect(),
        KF | KZ => x.as_slice::<f64>().iter().map(|v| float(*v)).collect(),
        KS | KC | UU => return None,
        t if t > 0 && t < 20 => match item_size(t) {
            1 => x.as_slice::<u8>().iter().map(|v| *v as i64).collect(),
            2 => x.as_slice::<i16>().iter().map(|v| *v as i64).collect(),
            4 => x.as_slice::<i32>().iter().map(|v| *v as i64).collect(),
            _ => x.as_slice::<i64>().to_vec(),
        },
        _ => return None,
    })
}
