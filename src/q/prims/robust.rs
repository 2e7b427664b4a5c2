//! No primitive panics, whatever it is given: every entry of the table applied to every pair
//! of a varied set of values (atoms of each type, vectors, empty and nested lists, dicts,
//! tables, keyed tables, functions) must return a value or a q error.

use super::{Prim, PRIMS};
use crate::obj::table::{key_first, table_from_dict};
use crate::obj::{Guid, Sym, K, *};

fn samples() -> Vec<K> {
    let syms = |v: &[&str]| K::from_slice(KS, &v.iter().map(Sym::new).collect::<Vec<_>>());
    let table = table_from_dict(K::dict(
        syms(&["a", "b"]),
        K::list(vec![K::from_slice(KJ, &[1i64, 2]), syms(&["x", "y"])]),
    ))
    .unwrap();
    let keyed = key_first(1, table.clone()).unwrap();
    let mut v = vec![
        K::bool(true),
        K::byte(7),
        K::short(NH),
        K::int(3),
        K::long(NJ),
        K::long(-2),
        K::long(0),
        K::long(1 << 40),
        K::real(1.5),
        K::float(f64::NAN),
        K::float(-0.0),
        K::float(f64::INFINITY),
        K::char(b'a'),
        K::sym(Sym::new("s")),
        K::guid_atom(Guid([1; 16])),
        K::atom_i64(-KP, 5),
        K::atom_i32(-KM, 3),
        K::atom_i32(-KD, -1),
        K::atom_word(-KZ, 1.5f64.to_bits()),
        K::atom_i64(-KN, 9),
        K::atom_i32(-KU, 2),
        K::atom_i32(-KV, 3),
        K::atom_i32(-KT, 4),
        K::from_slice(KB, &[1u8, 0, 1]),
        K::from_slice(KG, &[1u8, 2]),
        K::from_slice(KH, &[1i16, NH]),
        K::from_slice(KI, &[3i32, NI, 1]),
        K::from_slice(KJ, &[3i64, NJ, 1]),
        K::from_slice(KE, &[1.0f32, 2.0]),
        K::from_slice(KF, &[1.0f64, f64::NAN, 3.0]),
        K::string("abc"),
        syms(&["a", "b", "a"]),
        K::from_slice(UU, &[Guid([2; 16])]),
        K::from_slice(KP, &[1i64, 2]),
        K::from_slice(KD, &[1i32, 2]),
        K::from_slice(KT, &[1i32]),
        K::vector(KJ, 0),
        K::vector(KC, 0),
        K::list(vec![]),
        K::list(vec![K::long(1), K::string("ab"), K::sym(Sym::new("x"))]),
        K::list(vec![
            K::from_slice(KJ, &[1i64, 2]),
            K::from_slice(KJ, &[3i64, 4]),
        ]),
        K::list(vec![K::string("ab"), K::string("c")]),
        K::dict(syms(&["a", "b"]), K::from_slice(KJ, &[1i64, 2])),
        K::dict(
            syms(&["a", "b"]),
            K::list(vec![
                K::from_slice(KJ, &[1i64, 2]),
                K::from_slice(KJ, &[3i64, 4]),
            ]),
        ),
        K::dict(K::from_slice(KJ, &[1i64]), K::string("z")),
        table,
        keyed,
        K::identity(),
        K::atom_word(BINARY, 1),
        K::atom_word(UNARY, 13),
        K::list_of_type(LAMBDA, vec![K::string("{x}"), K::sym(Sym::empty())]),
        K::list_of_type(PROJECTION, vec![K::atom_word(BINARY, 1), K::long(1)]),
        K::error(Sym::new("oops")),
        // Types no q value has: hosts can still build them.
        K::atom_word(-90, 7),
        K::atom_word(-30, 1),
        K::vector(30, 2),
        K::vector(90, 0),
    ];
    let mut ints = K::from_slice(KJ, &[0i64, 1, 2]);
    ints.set_attr(ATTR_SORTED);
    v.push(ints);
    v
}

static LAST: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());

fn last() -> String {
    LAST.lock().unwrap().clone()
}

fn try_all(p: &Prim, xs: &[K], failures: &mut Vec<String>) -> usize {
    let mut calls = 0;
    let d = super::testkit::describe;
    for (i, x) in xs.iter().enumerate() {
        if let Some(m) = p.monad {
            calls += 1;
            if std::env::var("ROBUST_TRACE").is_ok() {
                eprintln!("TRY {} #{i}", p.name);
            }
            if std::panic::catch_unwind(|| m(x.clone())).is_err() {
                failures.push(format!("{} {}  <{}>", p.name, d(x), last()));
            }
        }
        for (j, y) in xs.iter().enumerate() {
            if let Some(f) = p.dyad {
                calls += 1;
                if std::env::var("ROBUST_TRACE").is_ok() {
                    eprintln!("TRY {} #{i} #{j}", p.name);
                }
                if std::panic::catch_unwind(|| f(x.clone(), y.clone())).is_err() {
                    failures.push(format!(
                        "{} [#{i} {}] [#{j} {}]  <{}>",
                        p.name,
                        d(x),
                        d(y),
                        last()
                    ));
                }
            }
            if let Some(t) = p.triad {
                for z in xs.iter().step_by(7) {
                    calls += 1;
                    if std::panic::catch_unwind(|| t(x.clone(), y.clone(), z.clone())).is_err() {
                        failures.push(format!("{} [{}] [{}] [{}]", p.name, d(x), d(y), d(z)));
                    }
                }
            }
        }
    }
    calls
}

#[test]
fn no_primitive_panics() {
    let xs = samples();
    // Silence only this thread's (expected, caught) panics; other tests report as usual.
    let me = std::thread::current().id();
    let previous: std::sync::Arc<dyn Fn(&std::panic::PanicHookInfo<'_>) + Send + Sync> =
        std::sync::Arc::from(std::panic::take_hook());
    let chained = previous.clone();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().id() == me {
            *LAST.lock().unwrap() = format!("{info}").replace('\n', " ");
        } else {
            chained(info);
        }
    }));
    let mut failures = Vec::new();
    let calls: usize = PRIMS.iter().map(|p| try_all(p, &xs, &mut failures)).sum();
    let _ = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| previous(info)));
    eprintln!("{calls} calls, {} panics", failures.len());
    let mut seen = std::collections::BTreeMap::new();
    for f in &failures {
        let name = f.split(' ').next().unwrap_or("").to_string();
        let e = seen.entry(name).or_insert((0, f.clone()));
        e.0 += 1;
    }
    for (name, (n, example)) in &seen {
        eprintln!("PANIC {name} x{n}: {example}");
    }
    assert!(calls > 10_000);
    assert!(
        failures.is_empty(),
        "{} panics, e.g.:\n{}",
        failures.len(),
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
