#!/usr/bin/env bash
# Builds libq.so and c-tests/bench_owner.c, then measures the owner thread side by side with
# its baselines in one run:
#   1. the owner's inline path in instructions (callgrind): kx_owner_apply on the owner
#      against calling the same function directly (the owner gate alone); and k(0,"1",(K)0)
#      on the owner against the engine's evaluation it calls (Engine::k, from callgrind's
#      inclusive counts: the same evaluation without the gate and the C API around it);
#   2. trampolined round trips (p50, p99), calls per second and CPU per call at 1, 2, 8 and 64
#      calling threads, against a spin and a futex ping-pong floor and a PyKX-style queue:
#      first with a stand-in C function as the work (kx_owner_apply), then with the callers
#      calling k(0,"1",(K)0) (default mode with a kx_serve owner, and dedicated mode) and the
#      baselines' server threads evaluating k(0,"1",(K)0) themselves.
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
gcc -std=gnu11 -O2 -Wall -Wextra -Werror -Iinclude c-tests/bench_owner.c -L"$lib" -lq -lpthread -Wl,-rpath,"$lib" -o "$out/bench_owner"

echo "== owner inline path (instructions per call, callgrind)"
if command -v valgrind >/dev/null; then
    calls=100000
    valgrind --tool=callgrind --callgrind-out-file="$out/cg" \
        --toggle-collect=loop_libq --toggle-collect=loop_direct --toggle-collect=loop_k \
        "$out/bench_owner" inline "$calls" >/dev/null 2>&1
    # Inclusive cost per function (the "*" lines of the caller tree); only the loops are
    # collected, so each total is `calls` calls.
    callgrind_annotate --inclusive=yes --tree=caller --threshold=100 "$out/cg" 2>/dev/null | awk -v n="$calls" '
        function cost() { v = $1; gsub(",", "", v); return v / n }
        !/^ *[0-9,]+ +\( *[0-9.]+%\) +\* / { next }
        /\?\?\?:loop_direct /             { direct = cost() }
        /\?\?\?:loop_libq /               { libq = cost() }
        /\?\?\?:k \[/                     { k = cost() }
        /engine\.rs:kx_k_array \[/         { arr = cost() }
        /<impl q::q::engine::Engine>::k \[/ { eng = cost() }
        /:r0 \[/                           { r0 = cost() }
        END {
            printf "owner gate alone (stand-in C function)\n"
            printf "  direct call                 %7.1f instructions per call\n", direct
            printf "  kx_owner_apply on the owner %7.1f instructions per call\n", libq
            printf "  gate overhead               %7.1f instructions per call (ratio %.2fx)\n", libq - direct, libq / direct
            printf "k(0,\"1\",(K)0) on the owner\n"
            printf "  Engine::k (the evaluation)  %7.1f instructions per call\n", eng
            printf "  kx_k_array                  %7.1f instructions per call\n", arr
            printf "  k (variadic export)         %7.1f instructions per call\n", k
            printf "  kx_k_array minus Engine::k  %7.1f instructions per call\n", arr - eng
            printf "  k minus Engine::k           %7.1f instructions per call (ratio k/Engine::k %.2fx)\n", k - eng, k / eng
            printf "  r0 of the result            %7.1f instructions per call\n", r0
        }'
else
    echo "valgrind not installed: skipped"
fi

echo
echo "== trampolined round trip (${seconds}s per case, median of $repeats)"
echo "   stand-in work: spin futex pykx libq; k(0,\"1\",(K)0) work: spin-k futex-k pykx-k libq-k (kx_serve owner), libq-d (dedicated)"
"$out/bench_owner" latency "$seconds" "$repeats"
