#!/usr/bin/env bash
# Long primitives with and without the 'stop checks (eval::stop), side by side: each
# expression in the baseline q and in this tree's q, alternately, and the ratio (ours/base).
#
#   scripts/bench-stopcheck.sh BASELINE_Q [OURS_Q]              wall time: \t:3, best of 3
#   scripts/bench-stopcheck.sh --callgrind BASELINE_Q [OURS_Q]  instructions (valgrind)
#
# BASELINE_Q is a release q built from main before the change. Instruction counts are what to
# compare on a shared machine (wall times there vary by tens of percent); valgrind replaces
# memcpy, so a take of a simple vector (memcpy) counts differently from what it costs.
set -euo pipefail
mode=time
if [[ ${1:-} == --callgrind ]]; then
  mode=callgrind
  shift
fi
base=${1:?baseline q binary (a release build of main)}
ours=${2:-target/release/q}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [[ $mode == time ]]; then
  setup='v:` sv 1000000#","0:10 10#til 100;w:10000000?1000000;s:1000000?`3;c:10000000#"abc,de"'
  n=10000000
else
  setup='v:` sv 20000#","0:10 10#til 100;w:100000?100000;s:100000?`3;c:1000000#"abc,de"'
  n=1000000
fi
exprs=(
  "til $n"
  "$n#1 2 3"
  "$((n / 10))#(\"ab\";\"cd\")"
  "$n?100"
  'iasc w'
  'iasc s'
  '(10#"J";",")0:v'
  '"," vs v'
  '` sv 100000#enlist"abc"'
  's like "a*"'
  'c ss ","'
  'group w'
  'distinct w'
  'w?w'
  'string w'
)

# Milliseconds for \t:3 of the expression.
ms() {
  printf '%s\n\\t:3 %s\n' "$setup" "$2" | "$1" 2>&1 | tail -2 | head -1 | sed 's/q)//g' | tr -dc '0-9'
}

# Instructions of one run of the expression: 5 runs less none, over 5.
instructions() {
  local q=${2//\"/\\\"} script="$tmp/run.q" none five
  count() {
    printf '%s\nr:{[e;n]do[n;value e]}\nr["%s";%s]\n\\\\\n' "$setup" "$q" "$2" >"$script"
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" "$script" 2>&1 |
      grep -o 'Collected : [0-9]*' | grep -o '[0-9]*$'
  }
  none=$(count "$1" 0)
  five=$(count "$1" 5)
  echo $(((five - none) / 5))
}

if [[ $mode == time ]]; then
  printf '%-28s %12s %12s %7s\n' expression base_ms ours_ms ratio
else
  printf '%-28s %12s %12s %7s\n' expression base_instr ours_instr ratio
fi
for e in "${exprs[@]}"; do
  if [[ $mode == time ]]; then
    b=999999999
    o=999999999
    for _ in 1 2 3; do
      t=$(ms "$base" "$e") && ((t < b)) && b=$t
      t=$(ms "$ours" "$e") && ((t < o)) && o=$t
    done
  else
    b=$(instructions "$base" "$e")
    o=$(instructions "$ours" "$e")
  fi
  printf '%-28s %12s %12s %7s\n' "$e" "$b" "$o" "$(awk -v a="$o" -v b="$b" 'BEGIN{printf "%.3f", (b>0? a/b : 0)}')"
done
