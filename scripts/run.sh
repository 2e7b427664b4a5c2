#!/usr/bin/env bash
# The main job: the q console on the embedded engine. Arguments are q's: a script file and
# options such as -p 5000, -c 25 80, -P 7.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --bin q --quiet
exec ./target/release/q "$@"
