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
    # Inclusive cost per function, read from the profile itself: the sum of the inclusive
    # costs of the calls made to it. (callgrind_annotate splits a function with inlined code
    # into one entry per source file, and which entry gets the calls varies from run to run.)
    # Only the loops are collected, so each total is `calls` calls.
    awk -v n="$calls" '
        function name(s) {
            if (!match(s, /^\([0-9]+\)/)) return s
            id = substr(s, 2, RLENGTH - 2)
            if (length(s) > RLENGTH) names[id] = substr(s, RLENGTH + 2)
            return names[id]
        }
        pending {
            split($0, f, " ")
            incl[cfn] += f[2]
            if (fn == "kx_k_array") callee[cfn] += f[2]
            pending = 0
            next
        }
        /^cfn=/ { cfn = name(substr($0, 5)); next }
        /^fn=/ { fn = name(substr($0, 4)); next }
        /^calls=/ { pending = 1 }
        END {
            direct = incl["loop_direct"] / n; libq = incl["loop_libq"] / n; k = incl["k"] / n
            arr = incl["kx_k_array"] / n; eng = incl["q::q::session::startup::<impl q::q::session::engine::Engine>::k"] / n
            r0 = incl["r0"] / n
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
            printf "  what kx_k_array calls besides Engine::k (instructions per call):\n"
            sorter = "sort -rn | awk '\''{ printf \"    %7.1f  \", $1; $1 = \"\"; print substr($0, 2) }'\''"
            for (c in callee)
                if (c != "q::q::session::startup::<impl q::q::session::engine::Engine>::k" && callee[c] / n >= 1) print callee[c] / n, c | sorter
            close(sorter)
        }' "$out/cg"
else
    echo "valgrind not installed: skipped"
fi

echo
echo "== trampolined round trip (${seconds}s per case, median of $repeats)"
echo "   stand-in work: spin futex pykx libq; k(0,\"1\",(K)0) work: spin-k futex-k pykx-k libq-k (kx_serve owner), libq-d (dedicated)"
"$out/bench_owner" latency "$seconds" "$repeats"
