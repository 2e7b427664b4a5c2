#!/usr/bin/env bash
# A small C host: builds a table through k.h, prints it, and frees it.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --lib --quiet
mkdir -p build
cc -std=c99 -O2 -Wall -Wextra -Werror -Iinclude examples/hello.c -Ltarget/release -lq \
   -Wl,-rpath,"$PWD/target/release" -o build/hello
exec ./build/hello "$@"
