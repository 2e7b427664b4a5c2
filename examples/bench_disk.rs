//! Files and databases against plain baselines, side by side in one run (best of several runs
//! each): `cargo run --release --example bench_disk [dir]` prints `name seconds` lines;
//! `scripts/bench-disk.sh` adds pandas/polars and prints the ratios.
//!
//! - splayed write/read: a 10M-row, 5-column table `set` as a splayed table and read back
//!   (`get`, then every byte touched), against writing and reading the same bytes, one file a
//!   column, with plain file I/O;
//! - partitioned select: `select from t where date=d` on a 20-partition database (it maps one
//!   partition), against the same query on that partition's rows in memory, and against the
//!   query over all 20;
//! - CSV: loading 1M rows of 5 columns with `0:` (the pandas/polars side is in the script);
//! - log replay: `-11!` of 1M tickerplant-style messages, against `d9` of the same messages.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use q::obj::K;
use q::q::Engine;

const RUNS: usize = 3;

fn best(mut f: impl FnMut()) -> Duration {
    (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .expect("runs")
}

fn q(eng: &Engine, src: &str) -> K {
    eng.eval_str(src).unwrap_or_else(|e| panic!("{src}: {e:?}"))
}

/// Reads every 8-byte word (what both sides do with the data they read).
fn touch(bytes: &[u8]) -> u64 {
    bytes.chunks_exact(8).fold(0u64, |a, c| {
        a.wrapping_add(u64::from_le_bytes(c.try_into().unwrap()))
    })
}

fn report(name: &str, d: Duration) {
    println!("{name} {:.6}", d.as_secs_f64());
}

fn splayed(eng: &Engine, dir: &Path) {
    let d = dir.display();
    q(
        eng,
        "n:10000000; sym:`$string til 1000; \
         t:([]id:til n; price:n?100f; qty:n?1000i; tm:n?24:00:00.000; s:`sym$n?sym)",
    );
    let cols: Vec<K> = ["id", "price", "qty", "tm", "s"]
        .iter()
        .map(|c| q(eng, &format!("t`{c}")))
        .collect();
    // Fresh files each run on both sides (as a new partition is written); replacing a file
    // costs more on ext4, which flushes a file renamed over another. The two sides alternate,
    // run by run, so both meet the same state of the page cache's writeback (the side run
    // second otherwise pays for the dirty pages of the first).
    let (mut ours, mut plain) = (Duration::MAX, Duration::MAX);
    for run in 0..RUNS {
        let t = Instant::now();
        q(eng, &format!("`:{d}/t{run}/ set t"));
        ours = ours.min(t.elapsed());
        let t = Instant::now();
        for (i, c) in cols.iter().enumerate() {
            std::fs::write(dir.join(format!("plain{i}.{run}")), c.bytes()).unwrap();
        }
        plain = plain.min(t.elapsed());
    }
    report("splayed_write_ours", ours);
    report("splayed_write_plain", plain);
    q(eng, &format!("`:{d}/t/ set t"));
    for (i, c) in cols.iter().enumerate() {
        std::fs::write(dir.join(format!("plain{i}")), c.bytes()).unwrap();
    }
    report(
        "splayed_read_ours",
        best(|| {
            let t = q(eng, &format!("get`:{d}/t/"));
            let cols = t.table_dict().items()[1].clone();
            let s: u64 = cols.items().iter().map(|c| touch(c.bytes())).sum();
            black_box(s);
        }),
    );
    report(
        "splayed_read_plain",
        best(|| {
            let s: u64 = (0..cols.len())
                .map(|i| touch(&std::fs::read(dir.join(format!("plain{i}"))).unwrap()))
                .sum();
            black_box(s);
        }),
    );
    q(eng, "delete t from `.");
}

fn partitioned(eng: &Engine, dir: &Path) {
    let d = dir.join("db");
    let db = d.display();
    q(
        eng,
        &format!(
            "{{t::([]sym:1000000?`a`b`c`d;price:1000000?100f;size:1000000?1000);\
             .Q.dpft[`:{db};x;`sym;`t]}} each 2020.01.01+til 20"
        ),
    );
    q(eng, &format!("system \"l {db}\""));
    q(eng, "tp:select from t where date=2020.01.10");
    report(
        "select_one_of_20_ours",
        best(|| {
            black_box(q(eng, "select from t where date=2020.01.10"));
        }),
    );
    report(
        "select_one_in_memory",
        best(|| {
            black_box(q(eng, "select from tp where date=2020.01.10"));
        }),
    );
    report(
        "select_all_20_ours",
        best(|| {
            black_box(q(
                eng,
                "select from t where date within 2020.01.01 2020.01.20",
            ));
        }),
    );
}

fn csv(eng: &Engine, dir: &Path) {
    let f = dir.join("t.csv");
    let fp = f.display();
    q(
        eng,
        &format!(
            "n:1000000; `:{fp} 0: csv 0: ([]id:til n; price:0.01*n?10000; qty:n?1000; \
             d:2020.01.01+n?1000; s:n?`aa`bb`cc`dd)"
        ),
    );
    report(
        "csv_load_ours",
        best(|| {
            black_box(q(eng, &format!("(\"JFJDS\";enlist\",\")0:`:{fp}")));
        }),
    );
    println!("csv_file {fp}");
}

fn replay(eng: &Engine, dir: &Path) {
    let f = dir.join("tp.log");
    let fp = f.display();
    q(
        eng,
        &format!(
            "`:{fp} set (); h:hopen`:{fp}; \
             {{h enlist(`upd;`trade;(x;`sym$`a;100.5;100))}} each til 1000000; hclose h; \
             upd:{{[t;x]}}"
        ),
    );
    report(
        "replay_ours",
        best(|| {
            black_box(q(eng, &format!("-11!`:{fp}")));
        }),
    );
    // The same messages, each with an IPC header, decoded by d9.
    let bytes = std::fs::read(&f).unwrap();
    let (chunks, _) = q::q::disk::serialized::chunks(&bytes);
    let msgs: Vec<Vec<u8>> = chunks
        .iter()
        .map(|&(at, len)| {
            let mut m = vec![1, 0, 0, 0];
            m.extend(((len + 8) as u32).to_le_bytes());
            m.extend_from_slice(&bytes[at..at + len]);
            m
        })
        .collect();
    report(
        "replay_d9",
        best(|| {
            for m in &msgs {
                black_box(q::wire::d9(m).unwrap());
            }
        }),
    );
    println!("replay_messages {}", msgs.len());
}

fn main() {
    let dir: PathBuf = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::temp_dir().join(format!("libq-bench-disk-{}", std::process::id()))
        });
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let eng = Engine::new();
    splayed(&eng, &dir);
    partitioned(&eng, &dir);
    std::env::set_current_dir(&dir).unwrap();
    csv(&eng, &dir);
    replay(&eng, &dir);
}
