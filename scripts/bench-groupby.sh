#!/usr/bin/env bash
# Analytics workloads on the embedded engine beside DuckDB and Polars (and CPython for
# lambda-heavy code), all in one run on the same generated data, answers cross-checked:
#   - db-benchmark's groupby questions q1-q10 on G1 data (N rows, K=100);
#   - key joins on the G1 table (lj and ij on two keys, lj on one, keyed uj);
#   - an asof join and a window join (wj1, the minute before each trade) of N/10 trades
#     with N quotes by sym and time, and
#     `select last price, sum size by sym, 1 xbar time.minute` on the trades;
#   - a recursive fib, an over with a lambda and a string each, against CPython.
# Prints each engine's median time, ours / theirs as ratios (under 1: we are faster) and the
# geometric mean of the ratios over q1-q10. A check column says whether the answers agree (row
# count and column sums, relative 1e-6).
#
# Usage: scripts/bench-groupby.sh [--rows N] [--reps R] [--only groupby|joins|ticks|lambda] [--threads N]
#   --threads N also runs q1-q10 with N secondary threads (\s N) and prints each speedup.
#   --rows defaults to 1e6 (10e6 is db-benchmark's size: needs ~6 GB of memory).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=1e6 reps=3 only="" threads=0
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    *) echo "usage: $0 [--rows N] [--reps R] [--only groupby|joins|ticks|lambda] [--threads N]" >&2; exit 2 ;;
  esac
done
python3 -c "import numpy, duckdb, polars, pyarrow" 2>/dev/null ||
  python3 -m pip install --quiet numpy duckdb polars pyarrow
cargo build --quiet --release --example bench_groupby
bin=target/release/examples/bench_groupby
py="python3 scripts/bench/baselines.py"
data=${LIBQ_BENCH_DATA:-${TMPDIR:-/tmp}/libq-bench}
n=$(python3 -c "print(int(float('$rows')))")
g1=$data/G1_${n}_100 ticks=$data/ticks_${n}
[ -f "$g1/v3" ] || $py gen-g1 "$g1" "$n" 100
[ -f "$ticks/q_ask" ] || $py gen-ticks "$ticks" "$((n / 10))" "$n"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
run() { "$@" | tee -a "$out" >&2; }
echo "rows=$n reps=$reps (median); ours single-threaded, DuckDB and Polars with their default threads ($(nproc) cores)" >&2
if [ -z "$only" ] || [ "$only" = groupby ]; then
  LIBQ_BENCH_THREADS=$threads
  export LIBQ_BENCH_THREADS
  run $bin groupby "$g1" "$reps"
  run $py groupby "$g1" "$reps"
fi
if [ -z "$only" ] || [ "$only" = joins ]; then
  run $bin joins "$g1" "$reps"
  run $py joins "$g1" "$reps"
fi
if [ -z "$only" ] || [ "$only" = ticks ]; then
  run $bin ticks "$ticks" "$reps"
  run $py ticks "$ticks" "$reps"
fi
if [ -z "$only" ] || [ "$only" = lambda ]; then
  run $bin lambda "$reps"
  run $py lambda "$reps"
fi
python3 - "$out" <<'PY'
import math, sys
res = {}
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) >= 3:
        res[(f[0], f[1])] = (float(f[2]), [float(v) for v in f[3:]])
def agree(a, b):
    if len(a) != len(b): return False
    return all(abs(x - y) <= 1e-6 * max(1.0, abs(x), abs(y)) for x, y in zip(a, b))
cases = []
for (e, c) in res:
    if e == "libq" and c not in cases: cases.append(c)
others = [e for e in ("duckdb", "polars", "cpython") if any(k[0] == e for k in res)]
print("%-12s %10s" % ("case", "ours(ms)") + "".join("%12s %7s" % (o + "(ms)", "ratio") for o in others) + "  check")
logs = {o: [] for o in others}
for c in cases:
    t, chk = res[("libq", c)]
    row = "%-12s %10.1f" % (c, t * 1e3)
    ok = []
    for o in others:
        if (o, c) in res:
            to, co = res[(o, c)]
            row += "%12.1f %7.2f" % (to * 1e3, t / to)
            if c.startswith("q") and c[1:].isdigit(): logs[o].append(math.log(t / to))
            ok.append(("=" if agree(chk, co) else "DIFFERS from ") + o)
        else:
            row += "%12s %7s" % ("-", "-")
    print(row + "  " + ", ".join(ok))
for o in others:
    if logs[o]:
        g = math.exp(sum(logs[o]) / len(logs[o]))
        print("geometric mean of ours/%s over q1-q10: %.2f (worst %.2f)" % (o, g, math.exp(max(logs[o]))))
# Secondary threads: each case run with \s N beside the same case single-threaded.
for c in cases:
    base, _, s = c.rpartition("_s")
    if base and s.isdigit() and ("libq", base) in res and s != "0":
        t1, t0 = res[("libq", c)][0], res[("libq", base)][0]
        same = agree(res[("libq", c)][1], res[("libq", base)][1])
        print("%-12s -s %s: %8.1f ms against %8.1f ms single-threaded, speedup %.2f%s" % (
            base, s, t1 * 1e3, t0 * 1e3, t0 / t1, "" if same else "  (answers DIFFER)"))
if ("libq", "peach_s0") in res and ("libq", "peach_s2") in res:
    t0, t2 = res[("libq", "peach_s0")][0], res[("libq", "peach_s2")][0]
    print("peach         -s 2: %8.1f ms against %8.1f ms with -s 0, speedup %.2f" % (t2 * 1e3, t0 * 1e3, t0 / t2))
PY
