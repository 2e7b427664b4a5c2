//! The keywords and glyph forms that need the evaluator (they apply functions, read or write
//! globals, or print): `@` and `.` (apply, index, amend, trap), the iterator keywords, `value
//! get set eval parse system string show exit getenv setenv view views`, `.Q.s`, the constants
//! of `.z` and `.Q`, and the dispatch to the natives of `.Q`, `.h` and `.j`.

use crate::obj::*;
use crate::q::eval::amend;
use crate::q::eval::apply::apply;
use crate::q::eval::atoms::*;
use crate::q::eval::iter;
use crate::q::eval::values::*;
use crate::q::eval::Ctx;

/// Keywords with a rank above 1 that still run (rather than project) with one argument.
pub fn ambivalent(name: &str) -> bool {
    matches!(name, "enlist")
}

fn one(args: &[K]) -> Result<&K> {
    match args {
        [x] => Ok(x),
        _ => Err(Error::rank()),
    }
}

/// An evaluator keyword applied to `args`; None when `q::prims` implements it.
pub fn keyword(cx: &mut Ctx, name: &str, args: &[K]) -> Option<Result<K>> {
    if let Some(r) = crate::q::disk::keyword(cx, name, args) {
        return Some(r);
    }
    if name.starts_with(".Q.") {
        if let Some(r) = crate::q::namespaces::dotq::call(name, args) {
            return Some(r);
        }
        if let Some(r) = crate::q::namespaces::dotq::call_in(cx, name, args) {
            return Some(r);
        }
    }
    if name.starts_with(".h.") {
        if let Some(r) = crate::q::namespaces::doth::call(cx, name, args) {
            return Some(r);
        }
    }
    if name.starts_with(".j.") {
        if let Some(r) = crate::q::namespaces::dotj::call(cx, name, args) {
            return Some(r);
        }
    }
    Some(match name {
        "each" => match args {
            [f, x] => iter::each(cx, f.clone(), vec![x.clone()]),
            _ => Err(Error::rank()),
        },
        "peach" => match args {
            [f, x] => crate::q::eval::peach::peach(cx, f.clone(), x.clone()),
            _ => Err(Error::rank()),
        },
        "over" | "scan" => match args {
            [f, x] => apply(
                cx,
                iter::derive(f.clone(), if name == "over" { "/" } else { "\\" }),
                vec![x.clone()],
            ),
            _ => Err(Error::rank()),
        },
        "prior" => match args {
            [f, x] => apply(cx, iter::derive(f.clone(), "':"), vec![x.clone()]),
            _ => Err(Error::rank()),
        },
        "value" | "get" => one(args).and_then(|x| value(cx, x)),
        "reval" => one(args).and_then(|x| reval(cx, x)),
        "set" => match args {
            // File symbols (`` `:f ``) were handled above, by q::disk.
            [n, v] if n.t() == A_KS => cx.eng_set(n.s(), v.clone()).map(|_| n.clone()),
            [_, _] => Err(Error::type_()),
            _ => Err(Error::rank()),
        },
        "eval" => one(args).and_then(|x| cx.in_globals(|cx| super::parsetree::eval(cx, x))),
        "parse" => one(args).and_then(|x| {
            let src = source_of(x)?;
            cx.read_text(x, &src, super::parsetree::trees)
        }),
        "system" => one(args).and_then(|x| {
            let s = text_of(x)?;
            crate::q::session::system::system_value(cx.eng, &s)
        }),
        "show" => one(args).map(|x| {
            let text = cx.eng.render(x);
            cx.eng.emit(text.as_bytes());
            K::identity()
        }),
        "exit" => one(args).and_then(|x| {
            crate::q::eval::restricted::refuse()?;
            let code = as_long(x).unwrap_or(0);
            crate::q::session::system::exit(cx.eng, code as i32)
        }),
        "ltime" | "gtime" => {
            one(args).and_then(|x| crate::q::session::dotz::shift_zone(cx.eng, x, name == "ltime"))
        }
        "view" => one(args).and_then(|x| super::views::view(cx, x)),
        "views" => Ok(super::views::views(cx)),
        "hopen" => one(args).and_then(super::ipc::hopen),
        "hclose" => one(args).and_then(super::ipc::hclose),
        "getenv" => one(args).and_then(|x| {
            let name = text_of(x)?;
            Ok(K::string(crate::sys::env::get(&name).unwrap_or_default()))
        }),
        "setenv" => match args {
            [n, v] if n.t() == A_KS && (v.t() == KC || v.t() == A_KC) => text_of(v).and_then(|v| {
                if crate::sys::env::set(&n.s().as_str(), &v) {
                    Ok(K::identity())
                } else {
                    Err(Error::domain())
                }
            }),
            [_, _] => Err(Error::type_()),
            _ => Err(Error::rank()),
        },
        "enlist" => Ok(if args.len() == 1 {
            enlist(args[0].clone())
        } else {
            collapse(args.to_vec())
        }),
        ".Q.s" => one(args).map(|x| K::string(crate::q::fmt::show(x, &cx.eng.fmt_options()))),
        ".Q.s1" => one(args).map(|x| K::string(crate::q::fmt::text1(x))),
        "tables" => {
            let ns = match args.first() {
                Some(x) if x.t() == -KS && !x.s().is_empty() && x.s().as_bytes() != b"." => {
                    x.s().as_bytes().to_vec()
                }
                _ => Vec::new(),
            };
            let names: Vec<Sym> = cx
                .eng
                .names_in(&ns)
                .into_iter()
                .filter(|n| {
                    let full = if ns.is_empty() {
                        *n
                    } else {
                        crate::q::session::engine::qualify(*n, Sym::new(&ns))
                    };
                    cx.eng
                        .get_global(full)
                        .is_some_and(|v| v.t() == XT || v.t() == XD && v.items()[0].t() == XT)
                })
                .collect();
            Ok(K::from_slice(KS, &names))
        }
        "key" => match args {
            [x] if x.t() == A_KS => key_of_name(cx, x.s()),
            [x] if super::enums::is_enum(x) => Ok(K::sym(
                super::enums::domain_of(x.t()).unwrap_or_else(Sym::empty),
            )),
            _ => return None,
        },
        "meta" | "fkeys" => match args {
            [x] => {
                let t = if x.t() == A_KS {
                    match cx.lookup_global(x.s()) {
                        Ok(t) => t,
                        Err(e) => return Some(Err(e)),
                    }
                } else {
                    x.clone()
                };
                if name == "meta" {
                    super::enums::meta(&t)
                } else {
                    super::enums::fkeys(&t)
                }
            }
            _ => Err(Error::rank()),
        },
        "keys" | "cols" => match args {
            [x] if x.t() == A_KS => cx
                .lookup(x.s())
                .and_then(|t| crate::q::eval::apply::call_prim(name, vec![t])),
            _ => return None,
        },
        "insert" => match args {
            [t, x] => super::tables::insert(cx, t, x),
            _ => Err(Error::rank()),
        },
        "fby" => match args {
            [fx, g] => super::tables::fby(cx, fx, g),
            _ => Err(Error::rank()),
        },
        "xkey" | "xasc" | "xdesc" | "xcol" | "xcols" | "upsert" => {
            return super::tables::by_name(cx, name, args)
        }
        "wj" | "wj1" => crate::q::sql::windowjoin::window_join(cx, name == "wj", args),
        _ => return None,
    })
}

/// A glyph's unary form that the evaluator implements.
pub fn glyph_monad(cx: &mut Ctx, g: &str, x: &K) -> Option<Result<K>> {
    if let Some(r) = crate::q::disk::glyph_monad(cx, g, x) {
        return Some(r);
    }
    Some(match g {
        // `<:` is hopen and `>:` hclose on a handle's name or number (`.q?(<:;>:)` is
        // `hopen`hclose` in funsql.md); on a list they grade.
        "<" if names_handle(x) => return keyword(cx, "hopen", std::slice::from_ref(x)),
        ">" if matches!(x.t(), A_KH | A_KI | A_KJ) => {
            return keyword(cx, "hclose", std::slice::from_ref(x))
        }
        "." => value(cx, x),
        "@" => Ok(K::short(crate::q::prims::cast::type_number(x))),
        "$" => crate::q::fmt::string(x.clone()),
        "!" if x.t() == A_KS || super::enums::is_enum(x) => {
            return keyword(cx, "key", std::slice::from_ref(x))
        }
        _ => return None,
    })
}

/// What `hopen` takes: a symbol, a port number, a string `":path"`, or either of the first
/// and third with a timeout.
fn names_handle(x: &K) -> bool {
    match x.t() {
        A_KS | A_KH | A_KI | A_KJ => true,
        KC => x.bytes().first() == Some(&b':'),
        0 if x.n() == 2 => {
            let (target, timeout) = (&x.items()[0], &x.items()[1]);
            matches!(timeout.t(), A_KH | A_KI | A_KJ)
                && (target.t() == A_KS || target.t() == KC && target.bytes().first() == Some(&b':'))
        }
        _ => false,
    }
}

/// A glyph's binary form that the evaluator implements.
pub fn glyph_dyad(cx: &mut Ctx, g: &str, x: &K, y: &K) -> Option<Result<K>> {
    if let Some(r) = crate::q::disk::glyph_dyad(cx, g, x, y) {
        return Some(r);
    }
    Some(match g {
        "$" if x.t() == A_KS && !x.s().is_empty() => return super::enums::enumerate(cx, x.s(), y),
        // `\z 1`: "D"$ reads dd/mm/yyyy where it would read mm/dd/yyyy.
        "$" if x.t() == A_KC && x.g() == b'D' && cx.eng.settings.lock().session.date_order == 1 => {
            crate::q::prims::cast::cast(x.clone(), month_first(y))
        }
        "?" if x.t() == A_KS && !x.s().is_empty() => return super::enums::extend(cx, x.s(), y),
        // Rows are found by value: a foreign key matches its key's values.
        "?" if x.t() == XT && y.t() != XT => {
            let plain = super::enums::plain_table(x)?;
            let row = match y.t() {
                0 => K::list(
                    y.items()
                        .iter()
                        .map(|v| super::enums::unenumerate(v).unwrap_or_else(|| v.clone()))
                        .collect(),
                ),
                _ => y.clone(),
            };
            crate::q::eval::apply::call_prim("?", vec![plain, row])
        }
        // Joining with the empty general list keeps the other side's type: `(),1` is `,1`.
        "," if x.t() == 0 && x.n() == 0 && y.t() != XD => Ok(if y.is_atom() {
            enlist(y.clone())
        } else {
            y.clone()
        }),
        "," if y.t() == 0 && y.n() == 0 && x.t() >= 0 && x.t() != XD => Ok(x.clone()),
        "@" => apply(cx, x.clone(), vec![y.clone()]),
        "." => dot_apply(cx, x, y),
        ":" => Ok(y.clone()),
        "!" if (x.t() == A_KJ || x.t() == A_KI) && as_long(x) == Some(NJ) => {
            // `0N!x` prints x on one line, as `-3!x` shows it.
            let text = crate::q::fmt::text1_with(y, &cx.eng.fmt_options());
            cx.eng.emit(text.as_bytes());
            Ok(y.clone())
        }
        "!" if x.t() == A_KJ && x.j() < 0 || x.t() == A_KI && x.i() < 0 => {
            internal(cx, as_long(x).unwrap_or(0), y)
        }
        // `n!`t` keys the global table in place.
        "!" if y.t() == A_KS && as_long(x).is_some() => {
            return super::tables::by_name(cx, "!", &[x.clone(), y.clone()])
        }
        _ => return None,
    })
}

/// Dates written `dd/mm/yyyy` (one string, or a list of them) rewritten `mm/dd/yyyy`.
fn month_first(y: &K) -> K {
    match y.t() {
        KC => {
            // dd/mm/yyyy or dd/MMM/yyyy: the first two parts change places.
            let parts: Vec<&[u8]> = y.bytes().split(|&c| c == b'/').collect();
            match parts.as_slice() {
                [d, m, rest] if d.len() == 2 => K::string([*m, b"/", d, b"/", rest].concat()),
                _ => y.clone(),
            }
        }
        0 => K::list(y.items().iter().map(month_first).collect()),
        _ => y.clone(),
    }
}

/// `f . args`: apply with a list of arguments, or index at depth.
fn dot_apply(cx: &mut Ctx, x: &K, y: &K) -> Result<K> {
    let args = if y.is_atom() && x.t() < LAMBDA {
        vec![y.clone()]
    } else if y.is_atom() {
        return Err(Error::type_());
    } else {
        items_of(y)
    };
    if args.is_empty() {
        return apply(cx, x.clone(), vec![K::identity()]);
    }
    apply(cx, x.clone(), args)
}

/// `key` of a symbol: a namespace's names, a variable's keys, or whether a name exists.
fn key_of_name(cx: &mut Ctx, s: Sym) -> Result<K> {
    let b = s.as_bytes();
    if b.is_empty() {
        // Namespaces of the root: the built-in ones, then the session's.
        let mut all: Vec<Sym> = ["q", "Q", "h", "j", "o"].iter().map(Sym::new).collect();
        for n in cx.eng.names_in(b"") {
            let _ = n;
        }
        for ns in cx.eng.namespaces() {
            if !all.contains(&ns) {
                all.push(ns);
            }
        }
        return Ok(K::from_slice(KS, &all));
    }
    if b == b"." {
        return Ok(K::from_slice(KS, &cx.eng.names_in(b"")));
    }
    if b[0] == b'.'
        && cx.eng.get_global(s).is_some_and(|v| {
            v.t() == XD
                && v.items()[0].t() == KS
                && v.items()[0].as_slice::<Sym>().first() == Some(&Sym::empty())
        })
        && !cx.eng.names_in(b).is_empty()
    {
        let mut all = vec![Sym::empty()];
        all.extend(cx.eng.names_in(b));
        return Ok(K::from_slice(KS, &all));
    }
    match cx.lookup_global(s) {
        Ok(v) if v.t() == XD || v.t() == XT => crate::q::eval::apply::call_prim("key", vec![v]),
        Ok(_) => Ok(K::sym(s)),
        Err(_) => Ok(K::list(Vec::new())),
    }
}

/// `reval x` (`-24!x`): `eval x` restricted as a client of a q started with `-b -u 1` is
/// (ref/eval.md#reval; `q::eval::restricted`). An error inside does not suspend there (the
/// debugger's own input would run restricted): it suspends, if at all, where `reval` was
/// applied.
fn reval(cx: &mut Ctx, x: &K) -> Result<K> {
    let suspender = cx.debug.suspender.take();
    let r = crate::q::eval::restricted::restricted(|| {
        cx.in_globals(|cx| super::parsetree::eval(cx, x))
    });
    cx.debug.suspender = suspender;
    r
}

/// `-n!x`: kdb+'s internal functions that the interpreter provides.
fn internal(cx: &mut Ctx, n: i64, y: &K) -> Result<K> {
    if let Some(r) = crate::q::disk::internal(cx, n, y) {
        return r;
    }
    match n {
        -3 => Ok(K::string(crate::q::fmt::text1_with(
            y,
            &cx.eng.fmt_options(),
        ))),
        // Serialization: -8! as kdb+ sends (uncompressed), -18! compressed where kdb+ would,
        // -9! back, -22! the uncompressed size.
        -8 => crate::wire::encode(y, 0, 3).map(|b| K::from_slice(KG, &b)),
        -18 => crate::wire::b9(3, y),
        -9 if y.t() == KG => crate::wire::d9(y.bytes()),
        -9 => Err(Error::type_()),
        -22 => crate::wire::encode(y, 0, 3).map(|b| K::long(b.len() as i64)),
        -33 => crate::q::prims::sha1::sha1(y.clone()),
        -24 => reval(cx, y),
        // Deferred responses: `-30!(::)` defers the sync request being handled, `-30!(h;e;x)`
        // answers it later (x, or the error x when e).
        -30 => deferred_response(y),
        -25 => super::ipc::broadcast(y),
        // References to x besides this call's own (the evaluation and the argument hold two).
        -16 => Ok(K::long((y.refcount() as i64 - 1).max(0))),
        // Memory domain: 1 for an object that lives in the .m namespace.
        -120 => Ok(K::long(i64::from(in_dot_m(cx, y)))),
        // Whether enumeration type y has no domain yet.
        -5 => super::parsetree::parse(&source_of(y)?),
        -4 => {
            let src = source_of(y)?;
            Ok(K::list(
                crate::q::lang::lex::token_texts(&src)?
                    .into_iter()
                    .map(|t| {
                        if t.len() == 1 {
                            crate::q::eval::values::enlist(K::char(t[0]))
                        } else {
                            K::string(t)
                        }
                    })
                    .collect(),
            ))
        }
        // `-27!(n;x)`: floats with n decimals.
        -27 if y.t() == 0 && y.n() == 2 => {
            let d = as_long(&y.items()[0])
                .ok_or_else(Error::type_)?
                .clamp(0, 40) as usize;
            let x = &y.items()[1];
            let one = |f: f64| K::string(format!("{f:.d$}"));
            match x.t() {
                A_KF => Ok(one(x.f())),
                KF => Ok(K::list(
                    x.as_slice::<f64>().iter().map(|f| one(*f)).collect(),
                )),
                _ => Err(Error::type_()),
            }
        }
        -38 => super::ipc::socket_table(y),
        -10 => {
            let t = as_long(y).ok_or_else(Error::type_)?;
            let known = (ENUM_FIRST as i64..=ENUM_LAST as i64).contains(&t)
                && super::enums::is_known(cx, t as i8);
            Ok(K::bool(!known))
        }
        // Those kdb+ replaced by keywords run as them; others it does not document
        // (basics/internal.md), or whose results it does not show, are 'nyi: what they do
        // cannot be known without KX's code.
        _ => super::replaced::apply(cx, n, y).unwrap_or_else(|| Err(Error::nyi())),
    }
}

/// Whether `x` is the very object a `.m` variable holds.
fn in_dot_m(cx: &Ctx, x: &K) -> bool {
    cx.eng.names_in(b".m").into_iter().any(|n| {
        cx.eng
            .get_global(Sym::new(format!(".m.{}", n.as_str())))
            .is_some_and(|v| v.as_ptr() == x.as_ptr())
    })
}

/// `@`, `.`, `?` and `!` with three or four arguments: amend, trap, functional qSQL.
pub fn glyph_n(cx: &mut Ctx, g: &str, args: Vec<K>) -> Result<K> {
    if let Some(r) = crate::q::disk::amend::amend(cx, g, &args) {
        return r;
    }
    match (g, args.len()) {
        ("@" | ".", 3) if args[0].t() >= LAMBDA && args[0].t() != XT && args[0].t() != XD => {
            trap(cx, g, args)
        }
        // A connection handle is applied too: `@[h;"query";handler]` protects a remote call.
        ("@" | ".", 3) if matches!(args[0].t(), A_KI | A_KJ) => trap(cx, g, args),
        ("@" | ".", _) => {
            let mut it = args.into_iter();
            let x = it.next().unwrap_or_else(K::identity);
            let i = it.next().unwrap_or_else(K::identity);
            let f = it.next().unwrap_or_else(K::identity);
            let y = it.next();
            // The whole value of a global replaced (`.[`x;();:;v]`): the global need not exist
            // yet (kdb+tick's r.q sets each table so: `(.[;();:;].)each x`).
            let whole = i.t() == 0 && i.n() == 0 || crate::q::eval::verbs::is_identity(&i);
            if let (true, true, Some(v)) = (x.t() == -KS, whole && is_assign_glyph(&f), &y) {
                if cx.lookup_global(x.s()).is_err() {
                    cx.eng_set(x.s(), v.clone())?;
                    return Ok(x);
                }
            }
            amend_named(cx, x, |cx, v| {
                if g == "@" {
                    amend::at(cx, v, i, f, y)
                } else {
                    let path = if i.is_atom() {
                        vec![i.clone()]
                    } else {
                        items_of(&i)
                    };
                    amend::dot(cx, v, &path, f, y)
                }
            })
        }
        ("?", 4) | ("?", 5) | ("?", 6) => crate::q::sql::functional_select(cx, args),
        ("?", 3) if args[0].t() == XT || args[0].t() == A_KS => {
            crate::q::sql::simple_exec(cx, args)
        }
        ("!", 4) => crate::q::sql::functional_update(cx, args),
        _ => crate::q::eval::apply::call_prim(g, args),
    }
}

fn is_assign_glyph(f: &K) -> bool {
    matches!(
        crate::q::eval::verbs::decode(f),
        Some(crate::q::eval::verbs::PrimRef::Glyph(":"))
    )
}

/// Amends a value, or the global a symbol names (giving the symbol back).
fn amend_named(cx: &mut Ctx, x: K, f: impl FnOnce(&mut Ctx, K) -> Result<K>) -> Result<K> {
    if x.t() == -KS {
        let name = x.s();
        let v = cx.lookup_global(name)?;
        // A namespace (`` @[`.;`x;:;3] ``, `` @[`.a;`c;:;5] ``) is its globals: each name
        // the amend changed or added is set, not a global named after the namespace.
        let b = name.as_bytes();
        let namespace = b.first() == Some(&b'.')
            && (b == b"." || cx.eng.namespaces_contain(name))
            && v.t() == XD;
        let old = namespace.then(|| v.clone());
        let r = f(cx, v)?;
        if let Some(old) = old {
            let [ks, vs] = r.items() else {
                return Err(Error::type_());
            };
            let keys = crate::q::eval::values::syms(ks).ok_or_else(Error::type_)?;
            let (old_ks, old_vs) = (&old.items()[0], &old.items()[1]);
            let old_keys = crate::q::eval::values::syms(old_ks).unwrap_or_default();
            for (j, k) in keys.iter().enumerate().filter(|(_, k)| !k.is_empty()) {
                let new = crate::q::eval::values::item(vs, j);
                let same = old_keys.iter().position(|o| o == k).is_some_and(|at| {
                    crate::q::eval::values::identical(
                        &crate::q::eval::values::item(old_vs, at),
                        &new,
                    )
                });
                if !same {
                    let full = if b == b"." {
                        *k
                    } else {
                        Sym::new([b, b".", k.as_bytes()].concat())
                    };
                    cx.eng.set_global(full, new)?;
                }
            }
            return Ok(x);
        }
        cx.eng_set(name, r)?;
        return Ok(x);
    }
    f(cx, x)
}

/// `@[f;x;h]` and `.[f;x;h]`: h gets the error's text when f signals.
fn trap(cx: &mut Ctx, g: &str, args: Vec<K>) -> Result<K> {
    let mut it = args.into_iter();
    let f = it.next().unwrap_or_else(K::identity);
    let x = it.next().unwrap_or_else(K::identity);
    let h = it.next().unwrap_or_else(K::identity);
    let frames = cx.frames.len();
    // Errors under a trap do not suspend into the debugger.
    cx.debug.traps += 1;
    // 'stack and 'wsfull raised deep inside a primitive arrive by unwinding; q traps them too.
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if g == "@" {
            apply(cx, f, vec![x])
        } else {
            dot_apply(cx, &f, &x)
        }
    }))
    .unwrap_or_else(|payload| Err(Error::from_panic(payload)));
    cx.debug.traps -= 1;
    match r {
        Ok(v) => Ok(v),
        Err(e) => {
            cx.frames.truncate(frames);
            let msg = K::string(e.msg().as_bytes());
            if h.t() >= LAMBDA && h.t() != XT && h.t() != XD {
                apply(cx, h, vec![msg])
            } else {
                Ok(h)
            }
        }
    }
}

/// The text of a string, char or symbol argument.
pub fn text_of(x: &K) -> Result<String> {
    Ok(match x.t() {
        KC => String::from_utf8_lossy(x.bytes()).into_owned(),
        A_KC => (x.g() as char).to_string(),
        A_KS => x.s().as_str().into_owned(),
        _ => return Err(Error::type_()),
    })
}

/// The q source in a string or char argument, as bytes: q strings are bytes, so what is not
/// UTF-8 reaches string literals as it is.
pub fn source_of(x: &K) -> Result<Vec<u8>> {
    Ok(match x.t() {
        KC => x.bytes().to_vec(),
        A_KC => vec![x.g()],
        A_KS => x.s().as_bytes().to_vec(),
        _ => return Err(Error::type_()),
    })
}

/// `value x`.
pub fn value(cx: &mut Ctx, x: &K) -> Result<K> {
    crate::q::eval::stack::guard();
    if let Some(v) = super::enums::unenumerate(x) {
        return Ok(v);
    }
    match x.t() {
        A_KS => {
            let s = x.s();
            if let Some(p) = crate::q::disk::path::of(x) {
                crate::q::disk::path::reachable(std::slice::from_ref(x))?;
                return crate::q::disk::get(cx, &p);
            }
            if s.as_bytes() == b"." {
                return cx.eng.get_global(Sym::new(".")).ok_or(Error(s));
            }
            // `value` reads the global: a local of the same name does not hide it.
            if !cx.frames.is_empty() {
                let frames = std::mem::take(&mut cx.frames);
                let r = cx.lookup(s);
                cx.frames = frames;
                return r;
            }
            cx.lookup(s)
        }
        KC | A_KC => {
            let src = source_of(x)?;
            // `value "\\d .m"`: a system command.
            if let Some(cmd) = src.strip_prefix(b"\\") {
                return crate::q::session::system::command(cx.eng, &String::from_utf8_lossy(cmd));
            }
            cx.run_text(x, &src)
        }
        XD => Ok(x.items()[1].clone()),
        // A list: its first item applied to the rest, which are not evaluated.
        0 if x.n() > 0 => {
            let items = x.items();
            let f = match items[0].t() {
                A_KS => cx.in_globals(|cx| cx.lookup(items[0].s()))?,
                KC | A_KC => value(cx, &items[0])?,
                _ => items[0].clone(),
            };
            if items.len() == 1 {
                return Ok(f);
            }
            apply(cx, f, items[1..].to_vec())
        }
        PROJECTION | COMPOSITION => Ok(K::list(x.items().to_vec())),
        EACH..=EACH_LEFT => Ok(x.items()[0].clone()),
        LAMBDA => match super::views::definition(cx, x) {
            Some(d) => d,
            None => super::parsetree::lambda_value(x),
        },
        UNARY | BINARY | TERNARY => {
            Ok(crate::q::eval::shown::composed_parts(x).unwrap_or_else(|| K::long(x.g() as i64)))
        }
        // An enumeration whose domain has no values here (read from a file before its sym
        // list was loaded): the domain is a global that is not there, so its name is the
        // error, as for any undefined name.
        t if (ENUM_FIRST..=ENUM_LAST).contains(&t) || (-ENUM_LAST..=-ENUM_FIRST).contains(&t) => {
            Err(super::enums::domain_name(t).map_or_else(Error::type_, Error))
        }
        _ => Ok(x.clone()),
    }
}

/// `-30!x`.
fn deferred_response(y: &K) -> Result<K> {
    if crate::q::eval::verbs::is_identity(y) {
        crate::q::server::context::defer()?;
        return Ok(K::identity());
    }
    if y.t() != 0 || y.n() != 3 {
        return Err(Error::type_());
    }
    let it = y.items();
    let h = as_long(&it[0]).ok_or_else(Error::type_)?;
    let is_error = match it[1].t() {
        -1 => it[1].g() != 0,
        _ => return Err(Error::type_()),
    };
    let r = if is_error {
        match it[2].t() {
            KC => Err(Error::new(it[2].bytes())),
            A_KS => Err(Error(it[2].s())),
            _ => return Err(Error::type_()),
        }
    } else {
        Ok(it[2].clone())
    };
    let h = i32::try_from(h).map_err(|_| Error::domain())?;
    crate::net::server::respond(h, r)?;
    Ok(K::identity())
}

/// `0 msg`: a message to this process, handled as kdb+ does, by `.z.ps` when the session
/// defines it, else evaluated (a string) or applied (a list).
pub fn to_self(cx: &mut Ctx, msg: &K) -> Result<K> {
    match cx.eng.get_global(Sym::new(".z.ps")) {
        Some(handler) => apply(cx, handler, vec![msg.clone()]),
        None => value(cx, msg),
    }
}

/// `1 "text"`, `-1 "text"`, `2 ...`: writes to stdout or stderr (negative: with a newline).
/// The bytes go out as they are (q strings are bytes, not UTF-8).
pub fn write_handle(cx: &mut Ctx, h: i64, x: &K) -> Result<()> {
    let one;
    let joined;
    let text: &[u8] = match x.t() {
        KC => x.bytes(),
        A_KC => {
            one = [x.g()];
            &one
        }
        0 => {
            let mut lines = Vec::new();
            for (i, it) in x.items().iter().enumerate() {
                if i > 0 {
                    lines.push(b'\n');
                }
                match it.t() {
                    KC => lines.extend_from_slice(it.bytes()),
                    A_KC => lines.push(it.g()),
                    _ => return Err(Error::type_()),
                }
            }
            joined = lines;
            &joined
        }
        _ => return Err(Error::type_()),
    };
    match h {
        1 | -1 => {
            if h < 0 {
                cx.eng.emit(text);
            } else {
                cx.eng.emit_raw(text);
            }
        }
        2 | -2 => {
            let end: &[u8] = if h < 0 { b"\n" } else { b"" };
            crate::sys::stdio::write_parts(crate::sys::stdio::Stream::Err, &[text, end]);
        }
        _ => return Err(Error::type_()),
    }
    Ok(())
}

/// A lambda value from q source, as if defined in the root namespace: how the built-in
/// namespaces provide the functions kdb+ writes in q.
pub fn q_lambda(src: &str) -> Option<K> {
    let def = crate::q::lang::parse::parse_lambda(src.as_bytes()).ok()?;
    crate::q::eval::lambda::remember(&def);
    let params = K::from_slice(KS, &def.params);
    Some(K::list_of_type(
        LAMBDA,
        vec![K::string(src), K::sym(Sym::empty()), params],
    ))
}

/// `q_lambda` for sources that must parse (the engine's own): their parse error if not.
pub fn builtin_lambda(src: &str) -> Result<K> {
    crate::q::lang::parse::parse_lambda(src.as_bytes())?;
    q_lambda(src).ok_or_else(Error::type_)
}

/// Values of `.z` and `.Q` names that are data, not functions.
pub fn special_value(cx: &Ctx, name: &str) -> Option<K> {
    if name == ".z.b" {
        return Some(super::views::dependencies(cx));
    }
    if let Some(v) = crate::q::namespaces::dotq::constant(name) {
        return Some(v);
    }
    if let Some(v) = crate::q::session::dotz::value(cx.eng, name) {
        return Some(v);
    }
    if let Some(v) = crate::q::eval::debug::special(cx, name) {
        return Some(v);
    }
    if let Some(v) = crate::q::disk::dotq::value(name) {
        return Some(v);
    }
    if name.starts_with(".h.") {
        return crate::q::namespaces::doth::value(name);
    }
    Some(match name {
        ".q" => crate::q::namespaces::q_names::dictionary(),
        // kdb+'s `csv` is the comma, for `csv 0: t`.
        "csv" => K::char(b','),
        ".Q.n" => K::string("0123456789"),
        ".Q.a" => K::string("abcdefghijklmnopqrstuvwxyz"),
        ".Q.A" => K::string("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
        ".Q.nA" => K::string("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
        ".z.w" => K::int(crate::q::server::context::handle()),
        ".z.a" => K::int(crate::q::server::context::address().unwrap_or(0x7f00_0001)),
        // TLS details of the connection: none is TLS on this server.
        ".z.e" => K::dict(K::from_slice::<Sym>(KS, &[]), K::list(Vec::new())),
        // Open handles, and the bytes queued for each.
        ".z.H" => K::from_slice(KI, &crate::net::handles::all()),
        ".z.W" => {
            let hs = crate::net::handles::all();
            let queued: Vec<i64> = hs
                .iter()
                .map(|&h| crate::net::server::queued_bytes(h) as i64)
                .collect();
            K::dict(K::from_slice(KI, &hs), K::from_slice(KJ, &queued))
        }
        _ => return None,
    })
}

impl Ctx<'_> {
    /// What a function given a name writes (`set`, `@[`a;..]`, `insert`, `update .. from `t`):
    /// the global, qualified by the current namespace (`\d`), never a local of the same name
    /// (see `lookup_global`).
    pub fn eng_set(&mut self, name: Sym, v: K) -> Result<()> {
        let full = crate::q::session::engine::qualify(name, self.dir());
        self.eng.set_global(full, v)
    }
}
