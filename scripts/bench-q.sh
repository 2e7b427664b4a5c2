#!/usr/bin/env bash
# Vector primitives on 10 million longs and floats: libq's embedded engine against numpy, in
# one run, reported as ratios (ours / numpy; under 1 is faster). Also the per-call cost of
# small k(0,"...") calls. Usage: scripts/bench-q.sh
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c "import numpy" 2>/dev/null || python3 -m pip install --quiet numpy
ours=$(cargo run --quiet --release --example bench_q)
base=$(python3 - <<'PY'
import time, numpy as np
n = 10_000_000
x = np.arange(n, dtype=np.int64); y = x[::-1].copy()
f = 0.5 * x; g = 0.25 * y
b = x < n // 2; d = x % 1000
def best(fn, runs=5):
    t = float("inf")
    for _ in range(runs):
        s = time.perf_counter(); fn(); t = min(t, time.perf_counter() - s)
    return t
cases = {
    "til_long": lambda: np.arange(n, dtype=np.int64),
    "add_long": lambda: x + y, "add_float": lambda: f + g,
    "mul_long": lambda: x * y, "mul_float": lambda: f * g,
    "sum_long": lambda: x.sum(), "sum_float": lambda: f.sum(),
    "where_bool": lambda: np.flatnonzero(b),
    "lt_long": lambda: x < y, "lt_float": lambda: f < g,
    "distinct_long": lambda: np.unique(d),
    "bin_one": lambda: np.searchsorted(x, 1234567, "right") - 1,
}
for k, fn in cases.items():
    print(k, "%.6f" % best(fn))
PY
)
printf '%-16s %12s %12s %8s\n' case "ours(ms)" "numpy(ms)" ratio
join <(echo "$ours" | sort) <(echo "$base" | sort) | while read -r name a b; do
  awk -v n="$name" -v a="$a" -v b="$b" 'BEGIN { printf "%-16s %12.3f %12.3f %8.2f\n", n, a*1000, b*1000, a/b }'
done
echo "$ours" | awk '/^k_/ { printf "%-16s %12.0f ns per call\n", $1, $2*1e9 }'
