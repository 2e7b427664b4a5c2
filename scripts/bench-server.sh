#!/usr/bin/env bash
# The kdb+ server's figures, each beside its baseline from the same run (examples/bench_server.rs):
# sync round trip vs raw TCP ping-pong, async updates vs a raw sink, memory per idle connection,
# 1020 connections held.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --bin q --example bench_server --quiet
ulimit -n 4096 2>/dev/null || true
exec ./target/release/examples/bench_server "$@"
