//! Serialization against memcpy, side by side in one run: `cargo run --release --example bench_wire`.
//!
//! For each workload, b9 (mode 2: no compression attempt) and d9 of the same message, each as
//! a ratio to copying the message's number of bytes: into a buffer already in use ("memcpy"),
//! and into a fresh allocation ("alloc+copy", which pays the same page faults b9 and d9 pay
//! for their fresh objects). Best of several runs, to keep noise from other processes out.
//! `encode_into` (the network layer's path, into a buffer kept between messages) shows the
//! serializer's own cost without the fresh allocation.

use std::hint::black_box;
use std::time::{Duration, Instant};

use q::obj::{layout::*, Sym, K};
use q::wire;

const RUNS: usize = 7;

fn best(mut f: impl FnMut()) -> Duration {
    (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .expect("at least one run")
}

fn syms(n: usize, distinct: usize) -> K {
    let names: Vec<Sym> = (0..distinct)
        .map(|i| Sym::new(format!("sym{i:05}")))
        .collect();
    K::from_slice(
        KS,
        &(0..n)
            .map(|i| names[(i * 7919) % distinct])
            .collect::<Vec<_>>(),
    )
}

fn table(rows: usize) -> K {
    let names: Vec<Sym> = ["id", "price", "qty", "time", "sym"]
        .iter()
        .map(Sym::new)
        .collect();
    let cols = K::list(vec![
        K::from_slice(KJ, &(0..rows as i64).collect::<Vec<_>>()),
        K::from_slice(KF, &(0..rows).map(|i| i as f64 * 0.25).collect::<Vec<_>>()),
        K::from_slice(KI, &(0..rows as i32).map(|i| i % 1000).collect::<Vec<_>>()),
        {
            let mut p = K::from_slice(
                KJ,
                &(0..rows as i64).map(|i| i * 1_000_000).collect::<Vec<_>>(),
            );
            p.retype(KP);
            p
        },
        syms(rows, 100),
    ]);
    q::obj::table::table_from_dict(K::dict(K::from_slice(KS, &names), cols)).expect("table")
}

fn general_list(n: usize) -> K {
    K::list(
        (0..n)
            .map(|i| match i % 4 {
                0 => K::long(i as i64),
                1 => K::string(format!("item{i}")),
                2 => K::from_slice(KF, &[i as f64, 1.5, 2.5]),
                _ => K::sym(Sym::new("abc")),
            })
            .collect(),
    )
}

fn report(name: &str, x: &K) {
    let msg = wire::b9(2, x).expect("b9");
    let bytes = msg.as_slice::<u8>().to_vec();
    let n = bytes.len();
    let mut warm = vec![1u8; n];
    let memcpy = best(|| {
        warm.copy_from_slice(black_box(&bytes));
        black_box(&warm);
    });
    let fresh = best(|| {
        black_box(black_box(&bytes).to_vec());
    });
    let b9 = best(|| {
        black_box(wire::b9(2, black_box(x)).expect("b9"));
    });
    let mut reused = Vec::new();
    let b9_into = best(|| {
        wire::encode_into(black_box(x), 0, 3, &mut reused).expect("encode_into");
        black_box(&reused);
    });
    let d9 = best(|| {
        black_box(wire::d9(black_box(&bytes)).expect("d9"));
    });
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let ratio = |d: Duration, base: Duration| d.as_secs_f64() / base.as_secs_f64();
    println!(
        concat!(
            "{:<27} {:>9} B  memcpy {:>6.2} ms  alloc+copy {:>6.2} ms  ",
            "b9 {:>6.2} ms ({:>5.2}x memcpy, {:>4.2}x alloc+copy)  d9 {:>6.2} ms ({:>6.2}x memcpy, {:>6.2}x alloc+copy)  ",
            "encode_into a reused buffer {:>6.2} ms ({:>5.2}x memcpy)"
        ),
        name,
        n,
        ms(memcpy),
        ms(fresh),
        ms(b9),
        ratio(b9, memcpy),
        ratio(b9, fresh),
        ms(d9),
        ratio(d9, memcpy),
        ratio(d9, fresh),
        ms(b9_into),
        ratio(b9_into, memcpy),
    );
}

fn main() {
    println!("best of {RUNS} runs; ratios are ours / baseline measured in this run");
    report(
        "10M longs",
        &K::from_slice(KJ, &(0..10_000_000i64).collect::<Vec<_>>()),
    );
    report(
        "10M floats",
        &K::from_slice(KF, &(0..10_000_000).map(|i| i as f64).collect::<Vec<_>>()),
    );
    report("1M-row table (j f i p s)", &table(1_000_000));
    report("1M symbols (10k distinct)", &syms(1_000_000, 10_000));
    report("1M symbols, sorted (p#)", &{
        let names: Vec<Sym> = (0..10_000)
            .map(|i| Sym::new(format!("sym{i:05}")))
            .collect();
        let mut v = K::from_slice(
            KS,
            &(0..1_000_000).map(|i| names[i / 100]).collect::<Vec<_>>(),
        );
        v.set_attr(ATTR_PARTED);
        v
    });
    report("100k-item general list", &general_list(100_000));
}
