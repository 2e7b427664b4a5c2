#!/usr/bin/env bash
# Long primitives with and without the 'stop checks (eval::stop): each expression timed with
# \t:n in the baseline q and in this tree's q, alternately, best of 3 rounds; prints both and
# the ratio (ours / baseline). Usage: scripts/bench-stopcheck.sh BASELINE_Q [OURS_Q]
set -euo pipefail
base=${1:?baseline q binary (a build of main)}
ours=${2:-target/release/q}
setup='v:` sv 1000000#","0:10 10#til 100;w:10000000?1000000;s:1000000?`3;c:10000000#"abc,de"'
exprs=(
  'til 10000000'
  '10000000#1 2 3'
  '1000000#("ab";"cd")'
  '10000000?100'
  'iasc w'
  'iasc s'
  '(10#"J";",")0:v'
  '"," vs v'
  '` sv 1000000#enlist"abc"'
  's like "a*"'
  'c ss ","'
  'group w'
  'distinct w'
  'w?w'
  'string 1000000#w'
)
time_of() { # q expr -> ms for \t:3
  printf '%s\n\\t:3 %s\n' "$setup" "$2" | "$1" 2>&1 | tail -2 | head -1 | sed 's/q)//g' | tr -dc '0-9'
}
printf '%-28s %10s %10s %7s\n' expression base_ms ours_ms ratio
for e in "${exprs[@]}"; do
  b=999999999; o=999999999
  for _ in 1 2 3; do
    t=$(time_of "$base" "$e"); ((t < b)) && b=$t
    t=$(time_of "$ours" "$e"); ((t < o)) && o=$t
  done
  printf '%-28s %10s %10s %7s\n' "$e" "$b" "$o" "$(awk -v a="$o" -v b="$b" 'BEGIN{printf "%.3f", (b>0? a/b : 0)}')"
done
