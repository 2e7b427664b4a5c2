#!/usr/bin/env bash
# A select over a partitioned database with secondary threads against the same query on one
# thread, in one run, as a ratio (\s 2 / \s 0; under 1 is faster): 20 partitions of ROWS rows
# (default 250000), `select sum v, avg v by sym from t`, each timing the best of 5, the two
# results checked equal. Usage: [ROWS=n] [Q=path/to/q] scripts/bench-partitions.sh [scratch dir]
set -euo pipefail
cd "$(dirname "$0")/.."
# Q names a built console binary to use instead of building one.
q=${Q:-}
if [ -z "$q" ]; then
  cargo build --quiet --release --bin q
  q=$PWD/target/release/q
fi
dir=${1:-$(mktemp -d)}
trap 'rm -rf "$dir"' EXIT
cd "$dir"
cat > bench.q <<'Q'
n:"J"$getenv`ROWS;
{[d] t::([] sym:n?`a`b`c`d`e`f`g`h; v:n?1000; f:n?1.0); .Q.dpft[`:db;d;`sym;`t]} each 2020.01.01+til 20;
delete t from `.;
\l db
q:"select sum v, avg v by sym from t";
best:{[s] system "s ",string s; min {t:.z.p; value q; `long$.z.p-t} each til 5};
one:best 0; r0:value q; two:best 2; r2:value q; th1:best 1;
if[not r0~r2; -2 "results differ"; exit 1];
-1 "partitions_select_by \\s0(ms) ",(string 1e-6*one)," \\s2(ms) ",(string 1e-6*two)," ratio ",(string two%one)," (\\s1(ms) ",(string 1e-6*th1),": one pool thread, partitions not joined)";
exit 0
Q
ROWS=${ROWS:-250000} "$q" bench.q -q -s 2 </dev/null
