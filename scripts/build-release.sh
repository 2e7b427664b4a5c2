#!/usr/bin/env bash
# The release build as installed and shipped: cargo build --release (arguments pass through:
# --lib for the library alone), linked by zig against glibc 2.17's symbols so libq.so (and the
# q console) run wherever PyKX's manylinux2014 wheels do. zig and cargo-zigbuild's cc wrapper
# come from PyPI (ziglang, cargo-zigbuild), installed here when missing. The output is the
# usual target/release; scripts/check-glibc.sh fails on anything needing a newer glibc.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v cargo-zigbuild >/dev/null 2>&1 || ! python3 -m ziglang version >/dev/null 2>&1; then
  echo "installing ziglang and cargo-zigbuild (PyPI)" >&2
  python3 -m pip install --quiet ziglang cargo-zigbuild 2>/dev/null ||
    python3 -m pip install --quiet --break-system-packages ziglang cargo-zigbuild
fi
# Linking and the C sources (the variadic shim, ring) both go through zig for glibc 2.17.
cc="$PWD/scripts/zig-cc-glibc2.17"
export CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER="$cc"
export CC_x86_64_unknown_linux_gnu="$cc"
export AR_x86_64_unknown_linux_gnu="$PWD/scripts/zig-ar"
cargo build --release "$@"
