//! Kernel timings against plain slice loops on the same data, reported as ratios (ours over
//! the loop; numpy's kernels are such loops). Run with
//! `cargo test --release --lib q::prims::bench -- --ignored --nocapture`.

use std::hint::black_box;
use std::time::Instant;

use super::lookup;
use crate::obj::{K, *};

const N: usize = 10_000_000;

fn time<T>(mut f: impl FnMut() -> T) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        black_box(f());
        best = best.min(t.elapsed().as_secs_f64());
    }
    best
}

fn monad(name: &str) -> fn(K) -> crate::obj::Result<K> {
    lookup(name).and_then(|p| p.monad).expect("monad")
}
fn dyad(name: &str) -> fn(K, K) -> crate::obj::Result<K> {
    lookup(name).and_then(|p| p.dyad).expect("dyad")
}

fn report(what: &str, ours: f64, base: f64) {
    println!(
        "{what:<24} ours {:>8.2} ms  loop {:>8.2} ms  ratio {:>5.2}",
        ours * 1e3,
        base * 1e3,
        ours / base
    );
}

#[test]
#[ignore]
fn kernels_against_loops() {
    let til = monad("til");
    let x = til(K::long(N as i64)).unwrap();
    let xs: Vec<i64> = x.as_slice::<i64>().to_vec();
    let f: Vec<f64> = xs.iter().map(|&v| v as f64 * 0.5).collect();
    let xf = K::from_slice(KF, &f);

    report(
        "til",
        time(|| til(K::long(N as i64)).unwrap()),
        time(|| (0..N as i64).collect::<Vec<_>>()),
    );
    report(
        "long + long",
        time(|| dyad("+")(x.clone(), x.clone()).unwrap()),
        time(|| xs.iter().zip(&xs).map(|(a, b)| a + b).collect::<Vec<_>>()),
    );
    report(
        "long * atom",
        time(|| dyad("*")(x.clone(), K::long(3)).unwrap()),
        time(|| xs.iter().map(|a| a * 3).collect::<Vec<_>>()),
    );
    report(
        "float + float",
        time(|| dyad("+")(xf.clone(), xf.clone()).unwrap()),
        time(|| f.iter().zip(&f).map(|(a, b)| a + b).collect::<Vec<_>>()),
    );
    report(
        "float * atom",
        time(|| dyad("*")(xf.clone(), K::float(3.0)).unwrap()),
        time(|| f.iter().map(|a| a * 3.0).collect::<Vec<_>>()),
    );
    report(
        "sum long",
        time(|| monad("sum")(x.clone()).unwrap()),
        time(|| xs.iter().sum::<i64>()),
    );
    report(
        "sum float",
        time(|| monad("sum")(xf.clone()).unwrap()),
        time(|| f.iter().sum::<f64>()),
    );
    report(
        "long < atom",
        time(|| dyad("<")(x.clone(), K::long(N as i64 / 2)).unwrap()),
        time(|| {
            xs.iter()
                .map(|&a| (a < N as i64 / 2) as u8)
                .collect::<Vec<_>>()
        }),
    );
    let g: Vec<f64> = f.iter().rev().copied().collect();
    let xg = K::from_slice(KF, &g);
    report(
        "float < float",
        time(|| dyad("<")(xf.clone(), xg.clone()).unwrap()),
        time(|| {
            f.iter()
                .zip(&g)
                .map(|(a, b)| (a < b) as u8)
                .collect::<Vec<_>>()
        }),
    );
    report(
        "long * long",
        time(|| dyad("*")(x.clone(), x.clone()).unwrap()),
        time(|| {
            xs.iter()
                .zip(&xs)
                .map(|(a, b)| a.wrapping_mul(*b))
                .collect::<Vec<_>>()
        }),
    );
    report(
        "float = float",
        time(|| dyad("=")(xf.clone(), xg.clone()).unwrap()),
        time(|| {
            f.iter()
                .zip(&g)
                .map(|(a, b)| (a == b) as u8)
                .collect::<Vec<_>>()
        }),
    );
    let mask = dyad("<")(x.clone(), K::long(N as i64 / 2)).unwrap();
    let m: Vec<u8> = mask.as_slice::<u8>().to_vec();
    report(
        "where",
        time(|| monad("where")(mask.clone()).unwrap()),
        time(|| {
            m.iter()
                .enumerate()
                .filter(|(_, &b)| b != 0)
                .map(|(i, _)| i as i64)
                .collect::<Vec<_>>()
        }),
    );
    let shuffled: Vec<i64> = xs
        .iter()
        .map(|&v| (v.wrapping_mul(0x9E37_79B9_7F4A_7C15u64 as i64)) >> 20)
        .collect();
    let xsh = K::from_slice(KJ, &shuffled);
    report(
        "iasc long (random)",
        time(|| monad("iasc")(xsh.clone()).unwrap()),
        time(|| {
            let mut v = shuffled.clone();
            v.sort_unstable();
            v
        }),
    );
    let small = dyad("mod")(x.clone(), K::long(1000)).unwrap();
    let sm: Vec<i64> = small.as_slice::<i64>().to_vec();
    report(
        "distinct (1000 values)",
        time(|| monad("distinct")(small.clone()).unwrap()),
        time(|| {
            let mut seen = std::collections::HashSet::new();
            sm.iter().filter(|v| seen.insert(**v)).count()
        }),
    );
}
