#!/usr/bin/env bash
# Files and databases against plain baselines, in one run, as ratios (ours / baseline; under 1
# is faster): splayed write/read of a 10M-row 5-column table vs plain file I/O of the same
# bytes; select where date=d on a 20-partition database vs the same rows in memory; CSV load
# of 1M rows vs pandas and polars read_csv; -11! replay vs d9 of the same messages.
# Usage: scripts/bench-disk.sh [scratch dir]
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c "import pandas, polars" 2>/dev/null || python3 -m pip install --quiet pandas polars
dir=${1:-$(mktemp -d)}
trap 'rm -rf "$dir"' EXIT
ours=$(cargo run --quiet --release --example bench_disk -- "$dir")
csv=$(echo "$ours" | awk '$1=="csv_file" {print $2}')
base=$(CSV="$csv" python3 - <<'PY'
import os, time
import pandas as pd, polars as pl
f = os.environ["CSV"]
def best(fn, runs=3):
    t = float("inf")
    for _ in range(runs):
        s = time.perf_counter(); fn(); t = min(t, time.perf_counter() - s)
    return t
dt = {"id": "int64", "price": "float64", "qty": "int64", "s": "category"}
print("csv_pandas %.6f" % best(lambda: pd.read_csv(f, dtype=dt, parse_dates=["d"])))
sch = {"id": pl.Int64, "price": pl.Float64, "qty": pl.Int64, "d": pl.Date, "s": pl.Categorical}
print("csv_polars %.6f" % best(lambda: pl.read_csv(f, schema=sch)))
PY
)
all=$(printf '%s\n%s\n' "$ours" "$base")
get() { echo "$all" | awk -v k="$1" '$1==k {print $2}'; }
row() {
  awk -v n="$1" -v a="$(get "$2")" -v b="$(get "$3")" -v bn="$3" \
    'BEGIN { printf "%-34s %10.1f %10.1f %8.2f  (vs %s)\n", n, a*1000, b*1000, a/b, bn }'
}
printf '%-34s %10s %10s %8s\n' case "ours(ms)" "base(ms)" ratio
row "splayed write 10M x 5" splayed_write_ours splayed_write_plain
row "splayed read 10M x 5 (all bytes)" splayed_read_ours splayed_read_plain
row "select date=d, 1 of 20 partitions" select_one_of_20_ours select_one_in_memory
row "select all 20 partitions" select_all_20_ours select_one_of_20_ours
row "CSV load 1M rows" csv_load_ours csv_pandas
row "CSV load 1M rows" csv_load_ours csv_polars
row "-11! replay ($(get replay_messages) messages)" replay_ours replay_d9
