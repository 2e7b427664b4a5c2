#!/usr/bin/env bash
# Builds libq.so and c-tests/bench_owner.c, then measures the owner thread side by side with
# its baselines in one run:
#   1. the owner's inline path in instructions (callgrind): kx_owner_apply on the owner
#      against calling the same function directly;
#   2. trampolined round trips (p50, p99), calls per second and CPU per call at 1, 2, 8 and 64
#      calling threads, against a spin and a futex ping-pong floor and a PyKX-style queue.
# Usage: scripts/bench-owner.sh [seconds per latency case, default 0.3 [repeats, default 3]]
# Each case runs `repeats` times interleaved with its baselines; the median run is reported.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-0.3}"
repeats="${2:-3}"
cargo build --release --quiet
lib="$PWD/target/release"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
gcc -std=gnu11 -O2 -Wall -Wextra c-tests/bench_owner.c -L"$lib" -lq -lpthread -Wl,-rpath,"$lib" -o "$out/bench_owner"

echo "== owner inline path (instructions per call, callgrind)"
if command -v valgrind >/dev/null; then
    calls=100000
    valgrind --tool=callgrind --callgrind-out-file="$out/cg" \
        --toggle-collect=loop_libq --toggle-collect=loop_direct \
        "$out/bench_owner" inline "$calls" >/dev/null 2>&1
    callgrind_annotate --inclusive=yes "$out/cg" 2>/dev/null | awk -v n="$calls" '
        /loop_direct/ { gsub(",", "", $1); direct = $1 / n }
        /loop_libq/   { gsub(",", "", $1); libq = $1 / n }
        END {
            printf "direct call        %6.1f instructions per call\n", direct
            printf "kx_owner_apply     %6.1f instructions per call\n", libq
            printf "inline overhead    %6.1f instructions per call (ratio %.2fx)\n", libq - direct, libq / direct
        }'
else
    echo "valgrind not installed: skipped"
fi

echo
echo "== trampolined round trip (${seconds}s per case, median of $repeats)"
"$out/bench_owner" latency "$seconds" "$repeats"
