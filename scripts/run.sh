#!/usr/bin/env bash
# The main job: builds libq.so and runs the example host against it.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --lib --quiet
mkdir -p build
cc -std=c99 -O2 -Wall -Wextra -Werror -Iinclude examples/hello.c -Ltarget/release -lq \
   -Wl,-rpath,"$PWD/target/release" -o build/hello
exec ./build/hello "$@"
