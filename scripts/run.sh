#!/usr/bin/env bash
# The main job: the q console on the embedded engine. Arguments are q's: a script file and
# options such as -p 5000, -c 25 80, -P 7. Paths are the caller's: q runs in the directory
# this was started from.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cargo build --release --bin q --quiet --manifest-path "$root/Cargo.toml"
exec "$root/target/release/q" "$@"
