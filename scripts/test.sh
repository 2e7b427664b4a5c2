#!/usr/bin/env bash
# Every test, on a fresh machine: installs what it needs, then runs the Rust tests, the header
# and symbol-list checks, the C harness (plain, under valgrind memcheck, and under
# ThreadSanitizer with an instrumented libq.so).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export LIBQ_SHARED="${LIBQ_SHARED:-$root/../shared}"

step() { printf '\n=== %s\n' "$*"; }

# ---- tools ------------------------------------------------------------------------------
need_apt=()
for tool in cmake:cmake ninja:ninja-build valgrind:valgrind g++:g++ nm:binutils pkg-config:pkg-config; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || need_apt+=("${tool#*:}")
done
if ((${#need_apt[@]})); then
  step "installing ${need_apt[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
for component in rustfmt clippy; do
  rustup component list --installed | grep -q "^$component" || rustup component add "$component" >/dev/null
done
if ! rustup toolchain list | grep -q '^nightly'; then
  step "installing the nightly toolchain (ThreadSanitizer build of libq.so)"
  rustup toolchain install nightly --profile minimal -c rust-src >/dev/null
elif ! rustup component list --toolchain nightly --installed | grep -q '^rust-src'; then
  rustup component add rust-src --toolchain nightly >/dev/null
fi

# The IPC client's tests talk to an independent kdb+ server written with aiokdb; TLS tests
# make their certificates with trustme.
if ! python3 -c 'import aiokdb, trustme' >/dev/null 2>&1; then
  step "installing aiokdb and trustme (PyPI)"
  # A Debian system Python refuses plain installs (PEP 668); these two are test-only tools.
  python3 -m pip install --quiet aiokdb trustme 2>/dev/null ||
    python3 -m pip install --quiet --break-system-packages aiokdb trustme
fi

# ---- Rust -------------------------------------------------------------------------------
step "rustfmt (the tree is formatted)"
cargo fmt --check

step "clippy (warnings are errors)"
cargo clippy --all-targets --quiet -- -D warnings

step "cargo test"
cargo test -- --skip conformance_kxdocs
step "conformance: KX reference examples (fails on any regression of tests/conformance/pass.txt)"
cargo test --test conformance -- --nocapture 2>&1 | grep -vE '^(running|test |$)'

step "release build, generated header and exported symbols"
cargo build --release --lib --quiet
if git rev-parse --git-dir >/dev/null 2>&1; then
  git diff --exit-code -- include/k.h || { echo "include/k.h is stale: commit the regenerated header"; exit 1; }
fi
nm -D --defined-only target/release/libq.so | awk '{print $3}' | sort | diff -u include/libq.symbols - \
  || { echo "exports differ from include/libq.symbols"; exit 1; }
echo "header current; $(wc -l < include/libq.symbols) exports match include/libq.symbols"

# ---- C harness ----------------------------------------------------------------------------
step "C harness (ctest, with valgrind memcheck, and the differential test against KX's libe.so)"
cmake -S c-tests -B build/c-tests -G Ninja -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build/c-tests >/dev/null
# The differential test fetches KX's libe.so from PyPI (scripts/fetch-kx.sh); here it must.
LIBQ_REQUIRE_KX=1 ctest --test-dir build/c-tests --output-on-failure -j2

step "PyKX 4.2 (unlicensed) on our library in place of its libe.so"
./scripts/test-pykx.sh

step "C harness under ThreadSanitizer"
RUSTFLAGS="-Zsanitizer=thread" CFLAGS="-fsanitize=thread" \
  cargo +nightly build --quiet -Zbuild-std --target x86_64-unknown-linux-gnu --release \
  --target-dir target/tsan --lib
cmake -S c-tests -B build/c-tests-tsan -G Ninja -DLIBQ_TSAN=ON \
  -DLIBQ_LIBDIR="$root/target/tsan/x86_64-unknown-linux-gnu/release" >/dev/null
cmake --build build/c-tests-tsan >/dev/null
# allocator_may_return_null: a refused allocation must reach the library as a null from malloc
# (it answers 'wsfull, test_engine checks it), as glibc gives; TSan's allocator aborts instead.
TSAN_OPTIONS="halt_on_error=1 exitcode=66 allocator_may_return_null=1" \
  ctest --test-dir build/c-tests-tsan --output-on-failure -j2

step "fuzzing d9 for 60 seconds"
./scripts/fuzz-d9.sh 60

step "install: pkg-config and CMake package"
prefix=$(mktemp -d)
./scripts/install.sh "$prefix" >/dev/null
cc $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags libq) examples/hello.c \
   $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --libs libq) -Wl,-rpath,"$prefix/lib" -o "$prefix/hello-pc"
cmake -S c-tests/install -B "$prefix/build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$prefix/build" >/dev/null
"$prefix/hello-pc" | grep -q "keyed on date" && "$prefix/build/hello" | grep -q "keyed on date"
echo "installed package builds and runs through pkg-config and find_package(libq)"
rm -rf "$prefix"

step "all tests passed"
