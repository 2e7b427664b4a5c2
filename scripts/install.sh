#!/usr/bin/env bash
# Installs libq.so, k.h, a pkg-config file and a CMake package under PREFIX (default
# /usr/local): PREFIX/lib/libq.so, PREFIX/include/libq/k.h, PREFIX/lib/pkgconfig/libq.pc,
# PREFIX/lib/cmake/libq/libqConfig.cmake.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${1:-/usr/local}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
cargo build --release --lib --quiet
install -D -m 0755 target/release/libq.so "$prefix/lib/libq.so"
install -D -m 0644 include/k.h "$prefix/include/libq/k.h"
install -d "$prefix/lib/pkgconfig" "$prefix/lib/cmake/libq"
sed -e "s|@PREFIX@|$prefix|" -e "s|@VERSION@|$version|" cmake/libq.pc.in > "$prefix/lib/pkgconfig/libq.pc"
install -m 0644 cmake/libqConfig.cmake "$prefix/lib/cmake/libq/libqConfig.cmake"
echo "installed libq $version under $prefix"
