#!/usr/bin/env bash
# Installs libq under PREFIX (default /usr/local):
#   PREFIX/lib/libq.so                        stripped (the exports stay: nm -D), needing
#                                             nothing newer than glibc 2.17 (manylinux2014)
#   PREFIX/include/libq/k.h, k.hpp            the C header and the C++17 one
#   PREFIX/lib/pkgconfig/libq.pc              relocatable: its prefix is ${pcfiledir}/../..
#   PREFIX/lib/cmake/libq/libqConfig.cmake    find_package(libq 0.1) gives the target libq::q
#   PREFIX/lib/cmake/libq/libqConfigVersion.cmake
# The library is built (scripts/build-release.sh) only when target/release/libq.so is missing,
# older than its sources, or linked for a newer glibc (a plain cargo build);
# --no-build never builds (LIBQ_SO=path installs that file instead).
set -euo pipefail
cd "$(dirname "$0")/.."
build=1
if [[ ${1:-} == --no-build ]]; then
  build=0
  shift
fi
prefix=${1:-/usr/local}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
so=${LIBQ_SO:-target/release/libq.so}

if [[ -z ${LIBQ_SO:-} && $build == 1 ]]; then
  if [[ ! -f $so ]] || [[ -n $(find src build.rs Cargo.toml Cargo.lock include/k_prelude.h cbindgen.toml \
                                  -newer "$so" -print -quit) ]] ||
     ! scripts/check-glibc.sh "$so" >/dev/null 2>&1; then
    scripts/build-release.sh --lib --quiet
  else
    echo "using $so (up to date)"
  fi
fi
[[ -f $so ]] || { echo "no library at $so: run cargo build --release, or drop --no-build" >&2; exit 1; }

install -d "$prefix/lib/pkgconfig" "$prefix/lib/cmake/libq" "$prefix/include/libq"
install -m 0755 "$so" "$prefix/lib/libq.so.tmp"
strip --strip-unneeded "$prefix/lib/libq.so.tmp"
mv -f "$prefix/lib/libq.so.tmp" "$prefix/lib/libq.so"
install -m 0644 include/k.h include/k.hpp "$prefix/include/libq/"
sed -e "s|@VERSION@|$version|" cmake/libq.pc.in > "$prefix/lib/pkgconfig/libq.pc"
install -m 0644 cmake/libqConfig.cmake "$prefix/lib/cmake/libq/libqConfig.cmake"
sed -e "s|@VERSION@|$version|" cmake/libqConfigVersion.cmake.in > "$prefix/lib/cmake/libq/libqConfigVersion.cmake"
echo "installed libq $version under $prefix"
