//! The iterators `' / \ ': /: \:` and the functions they derive: each, over and scan (reduce,
//! converge, do, while), each prior, each right and each left.

use super::apply::{apply, rank};
use super::atoms::*;
use super::values::*;
use super::Ctx;
use crate::obj::*;

/// The derived function `f` followed by iterator `a`.
pub fn derive(f: K, a: &str) -> K {
    let t = match a {
        "'" => EACH,
        "/" => OVER,
        "\\" => SCAN,
        "':" => EACH_PRIOR,
        "/:" => EACH_RIGHT,
        _ => EACH_LEFT,
    };
    K::list_of_type(t, vec![f])
}

pub fn apply_derived(cx: &mut Ctx, d: &K, args: Vec<K>) -> Result<K> {
    let f = d.items()[0].clone();
    // Data with `/:` or `\:` is sv or vs: `", "/:` joins, `0x0\:` splits into bytes.
    if matches!(f.t(), KC | A_KC | KG | A_KG | A_KJ | KJ)
        && args.len() == 1
        && matches!(d.t(), EACH_RIGHT | EACH_LEFT)
    {
        let name = if d.t() == EACH_RIGHT { "sv" } else { "vs" };
        return super::apply::call_prim(
            name,
            vec![f, args.into_iter().next().unwrap_or_else(K::identity)],
        );
    }
    match d.t() {
        EACH => each(cx, f, args),
        OVER => over(cx, f, args, false),
        SCAN => over(cx, f, args, true),
        EACH_PRIOR => each_prior(cx, f, args),
        EACH_RIGHT => {
            let [x, y] = two(args)?;
            each_side(cx, f, x, y, true)
        }
        _ => {
            let [x, y] = two(args)?;
            each_side(cx, f, x, y, false)
        }
    }
}

/// Item `i` of an argument being iterated, made when its step comes (not all at once, which
/// for a long list would hold every item at the same time); an atom or a function is the same
/// at every step.
#[inline]
fn nth(a: &K, i: usize) -> K {
    if a.is_atom() || a.t() >= LAMBDA {
        a.clone()
    } else {
        item(a, i)
    }
}

fn two(args: Vec<K>) -> Result<[K; 2]> {
    <[K; 2]>::try_from(args).map_err(|_| Error::rank())
}

/// Applies `f` item-wise; dictionaries keep their keys.
pub fn each(cx: &mut Ctx, f: K, args: Vec<K>) -> Result<K> {
    super::stack::guard();
    // Case: `0 1 0'[x;y]` picks item i from the argument its i-th index names.
    if let Some(which) = as_longs(&f).filter(|_| f.t() > 0 && args.len() > 1) {
        let n = which.len();
        if args.iter().any(|a| !a.is_atom() && count(a) != n) {
            return Err(Error::length());
        }
        // Dictionaries line up by position, so their keys must agree.
        let mut keys = args.iter().filter(|a| a.t() == XD).map(|d| &d.items()[0]);
        if let Some(k0) = keys.next() {
            if keys.any(|k| !identical(k, k0)) {
                return Err(Error::domain());
            }
        }
        let mut out = Vec::with_capacity(n);
        for (i, &w) in which.iter().enumerate() {
            let a = args.get(w as usize).ok_or_else(|| Error::new("index"))?;
            out.push(if a.is_atom() { a.clone() } else { item(a, i) });
        }
        return Ok(collapse(out));
    }
    if args.iter().all(|a| a.is_atom() || a.t() >= LAMBDA) {
        return apply(cx, f, args);
    }
    // A dictionary argument: map over its values, keep its keys.
    if args.len() == 1 && args[0].t() == XD {
        let d = &args[0];
        let r = each(cx, f, vec![d.items()[1].clone()])?;
        return Ok(K::dict(d.items()[0].clone(), r));
    }
    let mut n = None;
    for a in &args {
        if !a.is_atom() && a.t() < LAMBDA {
            let c = count(a);
            match n {
                None => n = Some(c),
                Some(m) if m != c => return Err(Error::length()),
                _ => {}
            }
        }
    }
    let n = n.unwrap_or(1);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let mut call = cx.arg_list(args.len());
        call.extend(args.iter().map(|a| nth(a, i)));
        out.push(apply(cx, f.clone(), call)?);
    }
    Ok(if out.is_empty() {
        empty_like(&args[0])
    } else {
        collapse(out)
    })
}

fn empty_like(x: &K) -> K {
    match x.t() {
        XT => K::list(Vec::new()),
        _ => K::list(Vec::new()),
    }
}

fn each_side(cx: &mut Ctx, f: K, x: K, y: K, right: bool) -> Result<K> {
    super::stack::guard();
    let (fixed, over) = if right { (x, y) } else { (y, x) };
    if over.t() == XD {
        let r = each_side(
            cx,
            f,
            if right {
                fixed.clone()
            } else {
                over.items()[1].clone()
            },
            if right {
                over.items()[1].clone()
            } else {
                fixed.clone()
            },
            right,
        )?;
        return Ok(K::dict(over.items()[0].clone(), r));
    }
    if over.is_atom() {
        let args = if right {
            vec![fixed, over]
        } else {
            vec![over, fixed]
        };
        return apply(cx, f, args);
    }
    let mut out = Vec::new();
    for it in items_of(&over) {
        let args = if right {
            vec![fixed.clone(), it]
        } else {
            vec![it, fixed.clone()]
        };
        out.push(apply(cx, f.clone(), args)?);
    }
    Ok(if out.is_empty() {
        K::list(out)
    } else {
        collapse(out)
    })
}

fn each_prior(cx: &mut Ctx, f: K, args: Vec<K>) -> Result<K> {
    super::stack::guard();
    let (seed, x) = match args.len() {
        1 => (None, args.into_iter().next().unwrap_or_else(K::identity)),
        2 => {
            let [s, x] = two(args)?;
            (Some(s), x)
        }
        _ => return Err(Error::rank()),
    };
    if x.t() == XD {
        let r = each_prior(
            cx,
            f,
            seed.into_iter().chain([x.items()[1].clone()]).collect(),
        )?;
        return Ok(K::dict(x.items()[0].clone(), r));
    }
    let items = items_of(&x);
    let mut out = Vec::with_capacity(items.len());
    for (i, it) in items.iter().enumerate() {
        let prev = if i == 0 {
            match &seed {
                Some(s) => s.clone(),
                None => {
                    // Without a seed the first item is paired with the null of its type, except
                    // for the common arithmetic derivatives that keep the first item.
                    out.push(first_prior(cx, &f, it.clone())?);
                    continue;
                }
            }
        } else {
            items[i - 1].clone()
        };
        out.push(apply(cx, f.clone(), vec![it.clone(), prev])?);
    }
    Ok(if out.is_empty() { x } else { collapse(out) })
}

/// The first result of `f':` without a seed: `f[x0; identity]` for the primitives that have
/// an identity (`-':` keeps `x 0`), else `f[x0; null]`... q uses the item itself for these.
fn first_prior(cx: &mut Ctx, f: &K, x0: K) -> Result<K> {
    if let Some(super::verbs::PrimRef::Glyph(g)) = super::verbs::decode(f) {
        let id = match g {
            "+" | "-" => Some(K::long(0)),
            "*" | "%" => Some(K::long(1)),
            "," => None,
            _ => None,
        };
        if matches!(g, "+" | "-" | "*" | "%") {
            let _ = id;
            return Ok(x0);
        }
        if g == "," {
            return apply(cx, f.clone(), vec![x0, K::list(Vec::new())]);
        }
    }
    let null = if x0.is_atom() {
        null_atom(x0.t())
    } else {
        super::index::fill_for(&x0)
    };
    apply(cx, f.clone(), vec![x0, null])
}

/// Over (`scan` false) and scan: reduce for functions of rank 2 or more; converge, do or while
/// for rank 1.
fn over(cx: &mut Ctx, f: K, args: Vec<K>, scan: bool) -> Result<K> {
    super::stack::guard();
    let r = match f.t() {
        t if t < LAMBDA => data_rank(&f),
        // A derived reduction applied to one argument is unary: `(,/)over x` razes to a fixpoint.
        OVER | SCAN if args.len() == 1 => 1,
        _ => rank(&f),
    };
    if r == 1 {
        return match args.len() {
            1 => converge(
                cx,
                &f,
                args.into_iter().next().unwrap_or_else(K::identity),
                scan,
            ),
            2 => {
                let [c, x] = two(args)?;
                if let Some(n) = as_long(&c) {
                    repeat(cx, &f, n, x, scan)
                } else {
                    while_(cx, &f, c, x, scan)
                }
            }
            _ => Err(Error::rank()),
        };
    }
    match args.len() {
        1 => {
            let x = args.into_iter().next().unwrap_or_else(K::identity);
            if x.t() == XD {
                let r = over(cx, f, vec![x.items()[1].clone()], scan)?;
                return Ok(if scan {
                    K::dict(x.items()[0].clone(), r)
                } else {
                    r
                });
            }
            if x.is_atom() {
                return Ok(x);
            }
            let n = count(&x);
            let mut it = (0..n).map(|i| nth(&x, i));
            let Some(mut acc) = it.next() else {
                let glyph = matches!(
                    super::verbs::decode(&f),
                    Some(super::verbs::PrimRef::Glyph(_))
                );
                return Ok(match (scan, glyph) {
                    // Scan of nothing gives what Over does: `*\[0#0]` is 1.
                    (_, true) => reduce_empty(&f, &x),
                    // A lambda has no identity: the empty general list.
                    _ => K::list(Vec::new()),
                });
            };
            if scan
                && matches!(
                    super::verbs::decode(&f),
                    Some(super::verbs::PrimRef::Glyph(","))
                )
            {
                // `,\` starts from its identity `()`, so the first item is enlisted.
                acc = if acc.is_atom() { enlist(acc) } else { acc };
            }
            let mut out = if scan { vec![acc.clone()] } else { Vec::new() };
            for y in it {
                let mut call = cx.arg_list(2);
                call.push(acc);
                call.push(y);
                acc = apply(cx, f.clone(), call)?;
                if scan {
                    out.push(acc.clone());
                }
            }
            Ok(if scan { collapse(out) } else { acc })
        }
        _ => {
            let mut args = args.into_iter();
            let mut acc = args.next().unwrap_or_else(K::identity);
            let rest: Vec<K> = args.collect();
            // Functions are atoms to the iteration, like numbers.
            let atomic = |a: &K| a.is_atom() || a.t() >= LAMBDA;
            let n = rest.iter().filter(|a| !atomic(a)).map(count).max();
            let Some(n) = n else {
                let mut call = vec![acc];
                call.extend(rest);
                return apply(cx, f, call);
            };
            if rest.iter().any(|a| !atomic(a) && count(a) != n) {
                return Err(Error::length());
            }
            let mut out = Vec::with_capacity(if scan { n } else { 0 });
            for i in 0..n {
                let mut call = cx.arg_list(1 + rest.len());
                call.push(acc);
                call.extend(rest.iter().map(|a| nth(a, i)));
                acc = apply(cx, f.clone(), call)?;
                if scan {
                    out.push(acc.clone());
                }
            }
            if scan {
                let keyed = rest
                    .iter()
                    .find(|a| a.t() == XD)
                    .map(|d| d.items()[0].clone());
                let r = if out.is_empty() {
                    K::list(out)
                } else {
                    collapse(out)
                };
                return Ok(match keyed {
                    Some(k) => K::dict(k, r),
                    None => r,
                });
            }
            Ok(acc)
        }
    }
}

/// A list iterated as a function: a matrix (a list of lists) is indexed at depth 2, so
/// acts as a binary function (a finite-state machine); other data as unary.
fn data_rank(f: &K) -> usize {
    if f.t() == 0 && f.n() > 0 && f.items().iter().all(|i| !i.is_atom()) {
        2
    } else {
        1
    }
}

/// `f/` of an empty list: the identity of the common primitives, else the list.
fn reduce_empty(f: &K, x: &K) -> K {
    if let Some(super::verbs::PrimRef::Glyph(g)) = super::verbs::decode(f) {
        let float = matches!(x.t(), KF | KE);
        match g {
            "+" => return if float { K::float(0.0) } else { K::long(0) },
            "*" => return if float { K::float(1.0) } else { K::long(1) },
            _ => {}
        }
    }
    x.clone()
}

fn converge(cx: &mut Ctx, f: &K, x: K, scan: bool) -> Result<K> {
    let first = x.clone();
    let mut prev = x;
    let mut out = if scan { vec![prev.clone()] } else { Vec::new() };
    loop {
        cx.check_stack()?;
        let next = apply(cx, f.clone(), vec![prev.clone()])?;
        if identical(&next, &prev) || identical(&next, &first) {
            break;
        }
        if scan {
            out.push(next.clone());
        }
        prev = next;
    }
    Ok(if scan { collapse(out) } else { prev })
}

fn repeat(cx: &mut Ctx, f: &K, n: i64, x: K, scan: bool) -> Result<K> {
    let mut acc = x;
    let mut out = if scan { vec![acc.clone()] } else { Vec::new() };
    for _ in 0..n.max(0) {
        // `0W f/x` with a primitive f runs no lambda that would see the interrupt.
        cx.check_stack()?;
        acc = apply(cx, f.clone(), vec![acc])?;
        if scan {
            out.push(acc.clone());
        }
    }
    Ok(if scan { collapse(out) } else { acc })
}

fn while_(cx: &mut Ctx, f: &K, cond: K, x: K, scan: bool) -> Result<K> {
    let mut acc = x;
    let mut out = if scan { vec![acc.clone()] } else { Vec::new() };
    loop {
        cx.check_stack()?;
        let c = apply(cx, cond.clone(), vec![acc.clone()])?;
        if !truthy(&c)? {
            break;
        }
        acc = apply(cx, f.clone(), vec![acc])?;
        if scan {
            out.push(acc.clone());
        }
    }
    Ok(if scan { collapse(out) } else { acc })
}
