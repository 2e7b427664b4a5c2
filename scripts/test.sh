#!/usr/bin/env bash
# Every test, on a fresh machine: installs what it needs, then runs the Rust tests, the header
# and symbol-list checks, the C harness (plain, under valgrind memcheck, and under
# ThreadSanitizer with an instrumented libq.so) against the release build linked for glibc 2.17.
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
# Python and pip: PyPI's tools (zig, PyKX, pytest) come through them.
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
python3 -m pip --version >/dev/null 2>&1 || need_apt+=(python3-pip python3-venv)
# zlib (.Q.gz, HTTP gzip) and file compression's snappy, lz4 and zstd: the libraries kdb+
# loads at run time. (grep -c reads all of ldconfig's list: -q would cut its pipe.)
for lib in libz.so.1:zlib1g libsnappy.so.1:libsnappy1v5 liblz4.so.1:liblz4-1 libzstd.so.1:libzstd1; do
  ldconfig -p | grep -c "${lib%%:*}" >/dev/null || need_apt+=("${lib#*:}")
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
# make their certificates with trustme. The server's tests use real clients: PyKX 4.2 (KX's
# own libe.so, unlicensed mode), aiokdb and websockets.
if ! PYKX_UNLICENSED=true python3 -c 'import aiokdb, trustme, pykx, websockets' >/dev/null 2>&1; then
  step "installing aiokdb, trustme, pykx 4.2 and websockets (PyPI)"
  # A Debian system Python refuses plain installs (PEP 668); these are test-only tools.
  python3 -m pip install --quiet aiokdb trustme pykx==4.2.0 websockets 2>/dev/null ||
    python3 -m pip install --quiet --break-system-packages aiokdb trustme pykx==4.2.0 websockets
fi

# node-q (npm), another independent kdb+ client for the server's tests.
if [ ! -d tests/server/nodeq/node_modules/node-q ]; then
  command -v npm >/dev/null 2>&1 || {
    step "installing node and npm"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  }
  step "installing node-q (npm)"
  npm install --silent --no-audit --no-fund --prefix tests/server/nodeq >/dev/null
fi

# The host packages' tests: Go (on the machine), and numpy, pandas, pyarrow and pytest for Python,
# with PyKX 4.2 (unlicensed) as the reference for the Python package's PyKX-compatible names.
command -v go >/dev/null 2>&1 || {
  step "installing Go"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go >/dev/null
}
if ! python3 -c 'import numpy, pandas, pyarrow, pytest, pykx' >/dev/null 2>&1; then
  step "installing numpy, pandas, pyarrow, pytest and pykx 4.2 (PyPI)"
  python3 -m pip install --quiet numpy pandas pyarrow pytest pykx==4.2.0 2>/dev/null ||
    python3 -m pip install --quiet --break-system-packages numpy pandas pyarrow pytest pykx==4.2.0
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

step "release build (linked for glibc 2.17, as installed and shipped), generated header and exported symbols"
# The one release build every later step uses (C harness, differential, PyKX, Go, Python,
# install): zig links it against glibc 2.17's symbols; nothing may need a newer glibc.
./scripts/build-release.sh --quiet
./scripts/check-glibc.sh target/release/libq.so target/release/q
if git rev-parse --git-dir >/dev/null 2>&1; then
  git diff --exit-code -- include/k.h || { echo "include/k.h is stale: commit the regenerated header"; exit 1; }
fi
nm -D --defined-only target/release/libq.so | awk '{print $3}' | sort | diff -u include/libq.symbols - \
  || { echo "exports differ from include/libq.symbols"; exit 1; }
echo "header current; $(wc -l < include/libq.symbols) exports match include/libq.symbols"

# ---- kdb+tick, as KX publishes it, on the release console ----------------------------------
step "kdb+tick: tickerplant, RDB, HDB, subscriber and feeds (q and PyKX) on loopback"
./scripts/build-release.sh --bin q --quiet  # built above: the glibc 2.17 console
timeout 900 python3 tests/tick/tick_test.py target/release/q

# ---- C harness ----------------------------------------------------------------------------
step "C harness (ctest, with valgrind memcheck, and the differential test against KX's libe.so)"
cmake -S c-tests -B build/c-tests -G Ninja -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build/c-tests >/dev/null
# The differential test fetches KX's libe.so from PyPI (scripts/fetch-kx.sh); here it must.
LIBQ_REQUIRE_KX=1 ctest --test-dir build/c-tests --output-on-failure -j2

step "PyKX 4.2 (unlicensed) on our library in place of its libe.so"
./scripts/test-pykx.sh

# ---- hosts: Go and Python over the release build (C++'s k.hpp is in the C harness) ---------
step "Go package (go vet, go test -race, example)"
(cd go && go vet ./... && go test -race -count=1 ./... && go run ./examples/hello >/dev/null)

step "Python package (pytest)"
PYTHONPATH="$root/python" python3 -m pytest -q -p no:cacheprovider python/tests

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

step "install: stripped library, relocatable pkg-config and CMake package, each host's example"
prefix=$(mktemp -d)
./scripts/install.sh "$prefix/first" >/dev/null
grep -q "up to date" <<<"$(./scripts/install.sh "$prefix/first")" || { echo "install.sh rebuilt an up-to-date library"; exit 1; }
mv "$prefix/first" "$prefix/moved"  # everything must work from wherever the prefix goes
lib="$prefix/moved/lib"
grep -q "no symbols" <<<"$(nm "$lib/libq.so" 2>&1)" || { echo "installed libq.so is not stripped"; exit 1; }
nm -D --defined-only "$lib/libq.so" | awk '{print $3}' | sort | diff -u include/libq.symbols - \
  || { echo "the installed library's exports differ from include/libq.symbols"; exit 1; }
export PKG_CONFIG_PATH="$lib/pkgconfig"
cc $(pkg-config --cflags libq) examples/hello.c $(pkg-config --libs libq) -Wl,-rpath,"$lib" -o "$prefix/hello-pc"
grep -q "keyed on date" <<<"$("$prefix/hello-pc")"
cmake -S c-tests/install -B "$prefix/build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix/moved" >/dev/null
cmake --build "$prefix/build" >/dev/null
grep -q "keyed on date" <<<"$("$prefix/build/hello")"
grep -q "ibm vwap 101.8750" <<<"$("$prefix/build/hello_cpp")"
if cmake -S c-tests/install -B "$prefix/build-0.2" -G Ninja -DCMAKE_PREFIX_PATH="$prefix/moved" \
     -DLIBQ_WANTED=0.2 >/dev/null 2>&1; then
  echo "find_package(libq 0.2) accepted libq 0.1"; exit 1
fi
grep -q "101.875 410.25" <<<"$(cd go && LD_LIBRARY_PATH="$lib" go run -tags libq_installed ./examples/hello)"
unset PKG_CONFIG_PATH
# The Python wheel bundles the (stripped) library: installed into a folder of its own and run
# from outside the checkout, it needs nothing else.
PIP_ROOT_USER_ACTION=ignore python3 -m pip wheel --quiet --no-deps ./python -w "$prefix/wheel"
ls "$prefix"/wheel/libq-*manylinux2014_x86_64.whl >/dev/null ||
  { echo "the wheel is not tagged manylinux2014: $(ls "$prefix"/wheel)"; exit 1; }
PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet --no-deps --target "$prefix/site" \
  "$prefix"/wheel/libq-*.whl
./scripts/check-glibc.sh "$prefix/site/libq/_lib/libq.so" "$lib/libq.so"
rm -rf python/build python/*.egg-info
grep -q "101.875" <<<"$(cd "$prefix" && PYTHONPATH="$prefix/site" python3 "$root/examples/hello.py")"
echo "installed: C (pkg-config, find_package(libq 0.1)), C++ (k.hpp), Go (pkg-config) and the Python wheel run their examples"
rm -rf "$prefix"

step "all tests passed"
