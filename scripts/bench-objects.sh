#!/usr/bin/env bash
# The object layer against plain C baselines, side by side in one run (issue 2's benchmark).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --lib
cmake -S c-tests -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/bench --target bench_objects >/dev/null
./build/bench/bench_objects
