//! Application: a function with arguments (lambdas, primitives, keywords, projections,
//! compositions, iterator-derived functions), or a value indexed by them.

use super::verbs::{self, PrimRef};
use super::Ctx;
use crate::obj::*;

/// Number of arguments a function takes (1 for values, which are indexed by one).
pub fn rank(f: &K) -> usize {
    super::stack::guard();
    match f.t() {
        LAMBDA => super::lambda::rank(f),
        UNARY | BINARY | TERNARY => match verbs::decode(f) {
            Some(PrimRef::Keyword(_, r)) => r as usize,
            Some(PrimRef::Glyph(_)) => 2,
            // `'[f;g]` composes two functions.
            None if iterator_glyph(f) == Some("'") => 2,
            _ => 1,
        },
        PROJECTION => {
            let items = f.items();
            let bound = &items[1..];
            let holes = bound.iter().filter(|a| verbs::is_elided(a)).count();
            let base = rank(&items[0]);
            base.saturating_sub(bound.len()) + holes
        }
        COMPOSITION if f.items().iter().any(verbs::is_elided) => {
            f.items().iter().filter(|i| verbs::is_elided(i)).count()
        }
        COMPOSITION => f.items().last().map_or(1, rank),
        FOREIGN => crate::obj::code::rank(f).unwrap_or(1),
        EACH => rank(&f.items()[0]),
        OVER | SCAN => {
            let r = rank(&f.items()[0]);
            if r >= 2 {
                r
            } else {
                1
            }
        }
        EACH_PRIOR | EACH_RIGHT | EACH_LEFT => 2,
        _ => 1,
    }
}

fn projection(f: K, args: Vec<K>) -> K {
    let mut items = Vec::with_capacity(args.len() + 1);
    items.push(f);
    items.extend(args);
    K::list_of_type(PROJECTION, items)
}

pub fn apply(cx: &mut Ctx, f: K, args: Vec<K>) -> Result<K> {
    // The evaluation's floor lies at or above the native stack's guard line
    // (`stack::guard`), so this one check covers both.
    cx.check_stack()?;
    let has_hole = args.iter().any(verbs::is_elided);
    match f.t() {
        LAMBDA => {
            let r = super::lambda::rank(&f);
            if args.len() > r {
                return Err(Error::rank());
            }
            if args.len() < r || has_hole {
                return Ok(projection(f, args));
            }
            cx.call_lambda(f, args)
        }
        TERNARY if iterator_glyph(&f).is_some() => apply_iterator(&f, args, has_hole),
        UNARY | BINARY | TERNARY => apply_prim(cx, f, args, has_hole),
        PROJECTION => {
            let items = f.items();
            let mut merged = Vec::with_capacity(items.len() - 1 + args.len());
            let mut extra = args.into_iter();
            for a in &items[1..] {
                if verbs::is_elided(a) {
                    merged.push(extra.next().unwrap_or_else(verbs::elided));
                } else {
                    merged.push(a.clone());
                }
            }
            merged.extend(extra);
            let base = items[0].clone();
            if merged.len() > rank(&base) && base.t() == LAMBDA {
                return Err(Error::rank());
            }
            apply(cx, base, merged)
        }
        COMPOSITION if f.items().iter().any(verbs::is_elided) => fill_composition(&f, args),
        COMPOSITION => {
            let items: Vec<K> = f.items().to_vec();
            let (last, rest) = items.split_last().ok_or_else(Error::type_)?;
            // A derived function that also takes one argument (`-':`, `+/`) applies to one.
            let monadic = args.len() == 1 && matches!(last.t(), EACH_PRIOR | OVER | SCAN);
            if has_hole || args.len() < rank(last) && !monadic {
                return Ok(projection(f.clone(), args));
            }
            let mut r = apply(cx, last.clone(), args)?;
            for g in rest.iter().rev() {
                r = apply(cx, g.clone(), vec![r])?;
            }
            Ok(r)
        }
        EACH..=EACH_LEFT => {
            if has_hole {
                return Ok(projection(f, args));
            }
            super::iter::apply_derived(cx, &f, args)
        }
        ERROR => Err(Error::type_()),
        FOREIGN => match crate::obj::code::rank(&f) {
            Some(r) if args.len() < r || has_hole => Ok(projection(f, args)),
            Some(_) => crate::obj::code::call(&f, &args).unwrap_or_else(|| Err(Error::type_())),
            None => Err(Error::type_()),
        },
        // A symbol applies the global it names.
        -11 => {
            let v = cx.lookup(f.s())?;
            apply(cx, v, args)
        }
        // Handle 0 is this process: a string is evaluated, a list applied.
        -7 | -6 if args.len() == 1 && super::values::as_long(&f) == Some(0) => {
            crate::q::keywords::builtins::to_self(cx, &args[0])
        }
        // Other handles are connections: sync when positive, async when negative.
        -7..=-5
            if args.len() == 1
                && super::values::as_long(&f).is_some_and(|h| !(-2..=2).contains(&h)) =>
        {
            let h = super::values::as_long(&f).unwrap_or(0);
            let r = crate::q::keywords::ipc::send(h, &args[0])?;
            // A file handle answers with itself as it was given (`3 "text"` is 3: handles.md).
            Ok(if crate::q::disk::handle::is_open(h) {
                f
            } else {
                r
            })
        }
        // Handles 1 and 2 (stdout, stderr) write text; negative ones add a newline.
        -7..=-5 if args.len() == 1 && matches!(super::values::as_long(&f), Some(-2..=2)) => {
            crate::q::keywords::builtins::write_handle(
                cx,
                super::values::as_long(&f).unwrap_or(1),
                &args[0],
            )?;
            Ok(f)
        }
        _ => super::index::index_depth(cx, f, args),
    }
}

/// `'[;]` applied: its holes take the arguments, giving the composition (`'[;][f;g]` is
/// `'[f;g]`), or a smaller composition-maker while holes remain.
fn fill_composition(f: &K, args: Vec<K>) -> Result<K> {
    let holes = f.items().iter().filter(|i| verbs::is_elided(i)).count();
    if args.len() > holes {
        return Err(Error::rank());
    }
    let mut extra = args.into_iter();
    let items: Vec<K> = f
        .items()
        .iter()
        .map(|i| {
            if verbs::is_elided(i) {
                extra.next().unwrap_or_else(verbs::elided)
            } else {
                i.clone()
            }
        })
        .collect();
    Ok(K::list_of_type(COMPOSITION, items))
}

/// The iterator an iterator value stands for (`'` in `('[;])`, `/` in `(/;+)`).
fn iterator_glyph(f: &K) -> Option<&'static str> {
    if f.t() != TERNARY || verbs::decode(f).is_some() {
        return None;
    }
    ["'", "/", "\\", "':", "/:", "\\:"]
        .get(f.g() as usize)
        .copied()
}

/// An iterator applied as a function: `'[f;g]` composes, `/[f]` derives `f/`.
fn apply_iterator(f: &K, args: Vec<K>, has_hole: bool) -> Result<K> {
    let a = iterator_glyph(f).ok_or_else(Error::type_)?;
    if has_hole {
        return Ok(projection(f.clone(), args));
    }
    let mut it = args.into_iter();
    match (a, it.next(), it.next(), it.next()) {
        ("'", Some(g), Some(h), None) => Ok(K::list_of_type(COMPOSITION, vec![g, h])),
        (_, Some(g), None, _) => Ok(super::iter::derive(g, a)),
        _ => Err(Error::rank()),
    }
}

fn apply_prim(cx: &mut Ctx, f: K, args: Vec<K>, has_hole: bool) -> Result<K> {
    let p = verbs::decode(&f).ok_or_else(Error::type_)?;
    match p {
        PrimRef::Identity => match args.len() {
            1 => Ok(args.into_iter().next().unwrap_or_else(K::identity)),
            _ => Err(Error::rank()),
        },
        PrimRef::Elided => Err(Error::type_()),
        PrimRef::UnaryGlyph(g) => {
            if args.len() != 1 {
                return Err(Error::rank());
            }
            if has_hole {
                return Ok(projection(f, args));
            }
            glyph_monad(cx, g, args.into_iter().next().unwrap_or_else(K::identity))
        }
        PrimRef::Glyph(g) => {
            if has_hole || args.len() == 1 {
                return Ok(projection(f, args));
            }
            if args.len() > 2 {
                // `?[t;c;b;a;n;o]` is the widest glyph form; glyph_n rejects what it does not know.
                return crate::q::keywords::builtins::glyph_n(cx, g, args);
            }
            let mut it = args.into_iter();
            match (it.next(), it.next()) {
                (Some(x), Some(y)) => glyph_dyad(cx, g, x, y),
                _ => Err(Error::rank()),
            }
        }
        PrimRef::Keyword(name, r) => {
            if has_hole
                || (args.len() < r as usize && !crate::q::keywords::builtins::ambivalent(name))
            {
                return Ok(projection(f, args));
            }
            call_keyword(cx, name, args)
        }
    }
}

/// Calls a keyword with its arguments: the evaluator's own first, then `q::prims`.
pub fn call_keyword(cx: &mut Ctx, name: &str, args: Vec<K>) -> Result<K> {
    if let ("ssr", [s, p, f]) = (name, args.as_slice()) {
        if f.t() >= LAMBDA {
            // The replacement is a function of each match.
            return crate::q::prims::strings::ssr_with(s.clone(), p.clone(), &mut |m| {
                apply(cx, f.clone(), vec![m])
            });
        }
    }
    if let Some(r) = crate::q::keywords::builtins::keyword(cx, name, &args) {
        return r;
    }
    call_prim(name, args)
}

/// A primitive from `q::prims` by name and the number of arguments.
pub fn call_prim(name: &str, args: Vec<K>) -> Result<K> {
    // Primitives over data see an enumeration's symbols, except those that only rearrange
    // items of one enumeration (which keep it).
    let args =
        if args.iter().any(crate::q::keywords::enums::is_enum) && !keeps_enumeration(name, &args) {
            if sees_indices(name, &args) {
                args.into_iter()
                    .map(|a| {
                        if crate::q::keywords::enums::is_enum(&a) {
                            crate::q::keywords::enums::indices(&a)
                        } else {
                            a
                        }
                    })
                    .collect()
            } else {
                crate::q::keywords::enums::plain_args(args)
            }
        } else {
            args
        };
    let p = crate::q::prims::lookup(name).ok_or_else(|| {
        if std::env::var("LIBQ_NYI_NAMES").is_ok() {
            Error::new(format!("nyi:{name}"))
        } else {
            Error::nyi()
        }
    })?;
    let mut it = args.into_iter();
    match (it.next(), it.next(), it.next(), it.next()) {
        (Some(x), None, _, _) => (p.monad.ok_or_else(Error::rank)?)(x),
        (Some(x), Some(y), None, _) => (p.dyad.ok_or_else(Error::rank)?)(x, y),
        (Some(x), Some(y), Some(z), None) => (p.triad.ok_or_else(Error::rank)?)(x, y, z),
        _ => Err(Error::rank()),
    }
}

/// `null e` and numeric casts (`"i"$e`) work on an enumeration's indices.
fn sees_indices(name: &str, args: &[K]) -> bool {
    match (name, args) {
        ("null" | "^", [_]) => true,
        ("$", [t, e]) => {
            crate::q::keywords::enums::is_enum(e) && crate::q::prims::cast::is_numeric_target(t)
        }
        _ => false,
    }
}

fn keeps_enumeration(name: &str, args: &[K]) -> bool {
    if name == "~" || name == "," {
        // Match compares types (enumerations over different domains differ); join decides
        // itself how enumerations of different domains meet.
        return true;
    }
    let t = args
        .iter()
        .find(|a| crate::q::keywords::enums::is_enum(a))
        .map_or(0, |a| a.t().wrapping_abs());
    let same = args
        .iter()
        .all(|a| !crate::q::keywords::enums::is_enum(a) || a.t().wrapping_abs() == t);
    same && matches!(
        name,
        "#" | "_"
            | "first"
            | "last"
            | "*"
            | "|"
            | "reverse"
            | "distinct"
            | "?"
            | "type"
            | "@"
            | "count"
            | "attr"
    )
}

/// A glyph applied to one argument (its unary form).
pub fn glyph_monad(cx: &mut Ctx, g: &str, x: K) -> Result<K> {
    if let Some(r) = crate::q::keywords::builtins::glyph_monad(cx, g, &x) {
        return r;
    }
    call_prim(g, vec![x])
}

/// The arithmetic or comparison primitive `g` when both arguments are simple atoms (no
/// enumeration, table or file handle): none of the evaluator's special forms apply, so a
/// lambda's `x<2` or `x+y*2` goes straight to the primitive.
fn atom_dyad(g: &str, x: &K, y: &K) -> Option<crate::q::prims::Dyad> {
    const GLYPHS: [&str; 12] = [
        "+", "-", "*", "%", "<", ">", "=", "&", "|", "<=", ">=", "<>",
    ];
    static DYADS: std::sync::OnceLock<[Option<crate::q::prims::Dyad>; 12]> =
        std::sync::OnceLock::new();
    let simple = |t: i8| (-19..=-1).contains(&t);
    if !simple(x.t()) || !simple(y.t()) {
        return None;
    }
    let i = GLYPHS.iter().position(|&c| c == g)?;
    DYADS.get_or_init(|| GLYPHS.map(|c| crate::q::prims::lookup(c).and_then(|p| p.dyad)))[i]
}

/// A glyph applied to two arguments.
pub fn glyph_dyad(cx: &mut Ctx, g: &str, x: K, y: K) -> Result<K> {
    if let Some(f) = atom_dyad(g, &x, &y) {
        return f(x, y);
    }
    if g == "!" && x.t() == -KS && !x.s().is_empty() {
        if let Some(r) = crate::q::keywords::enums::from_indices(cx, x.s(), &y) {
            return r;
        }
    }
    if let Some(r) = crate::q::keywords::builtins::glyph_dyad(cx, g, &x, &y) {
        return r;
    }
    call_prim(g, vec![x, y])
}
