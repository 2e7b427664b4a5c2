#!/usr/bin/env bash
# kdb+tick's figures (KX's tick.q and tick/r.q as published, on our q console), each beside its
# baseline from the same run (scripts/bench_tick.py): updates/s feed -> tickerplant -> RDB in
# 1-row and 100-row messages vs raw async IPC and vs the tickerplant's logging alone; latency
# from .u.upd to queryable in the RDB vs a sync round trip.
set -euo pipefail
cd "$(dirname "$0")/.."
export LIBQ_SHARED="${LIBQ_SHARED:-$PWD/../shared}"
cargo build --release --bin q --quiet
exec python3 scripts/bench_tick.py target/release/q "$@"
