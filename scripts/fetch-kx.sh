#!/usr/bin/env bash
# Fetches KX's libe.so and k.h from the PyKX 4.2.0 wheel on PyPI into a cache directory and
# prints that directory. The differential test (c-tests/differential) loads this libe.so beside
# our libq.so. KX's binary is never committed: it is fetched at test time and checked against
# the hash below.
set -euo pipefail
version=4.2.0
libe_sha256=c1b4b03db5f57360969a72213beebdcdf5dee99eb90ba67f0275899ac49c66ce
cache="${LIBQ_KX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/libq-rs/pykx-$version}"

verified() { [ -f "$cache/libe.so" ] && [ -f "$cache/k.h" ] &&
  echo "$libe_sha256  $cache/libe.so" | sha256sum --check --status; }

if ! verified; then
  mkdir -p "$cache"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  # The manylinux wheel for CPython 3.11, whatever Python runs here.
  python3 -m pip download --quiet --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
    --python-version 3.11 --implementation cp "pykx==$version" -d "$tmp" >&2
  python3 - "$tmp"/pykx-"$version"-*.whl "$cache" <<'PY'
import sys, zipfile
wheel = zipfile.ZipFile(sys.argv[1])
for src, dst in (("pykx/lib/l64/libe.so", "libe.so"), ("pykx/include/k.h", "k.h")):
    with open(f"{sys.argv[2]}/{dst}", "wb") as f:
        f.write(wheel.read(src))
PY
  chmod +x "$cache/libe.so"
  verified || { echo "fetch-kx.sh: libe.so does not match its pinned hash" >&2; exit 1; }
fi
echo "$cache"
