#!/usr/bin/env bash
# PyKX 4.2 in unlicensed mode with our libq.so in place of its libe.so: conversions,
# serialization and IPC end to end (tests/pykx/test_pykx.py). PyKX goes into its own virtual
# environment (build/pykx-venv, or $LIBQ_PYKX_VENV) with pip; its libe.so there is replaced by
# a link to target/release/libq.so (build that and the q console first:
# scripts/build-release.sh). The IPC servers are tests/net/kdb_server.py under the system
# python3 (needs aiokdb, which scripts/test.sh installs) and our own, target/release/q -p.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
venv="${LIBQ_PYKX_VENV:-$root/build/pykx-venv}"
lib="$root/target/release/libq.so"
for f in "$lib" "$root/target/release/q"; do
  [ -f "$f" ] || { echo "test-pykx.sh: build $f first (scripts/build-release.sh)" >&2; exit 1; }
done

if ! "$venv/bin/python" -c 'import pykx' >/dev/null 2>&1 ||
   [ "$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("pykx"))')" != 4.2.0 ]; then
  if ! python3 -m venv "$venv" >/dev/null 2>&1; then
    # Debian's Python keeps venv (ensurepip) in a package of its own.
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$venv"
  fi
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet "pykx==4.2.0"
fi

libe=$("$venv/bin/python" -c 'import os, sysconfig; print(os.path.join(sysconfig.get_paths()["purelib"], "pykx", "lib", "l64", "libe.so"))')
ln -sf "$lib" "$libe"
PYKX_UNLICENSED=true QARGS=--unlicensed "$venv/bin/python" tests/pykx/test_pykx.py
