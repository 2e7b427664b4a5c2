#!/usr/bin/env bash
# Builds libq.so and c-tests/bench_concurrency.c, then measures side by side in one run:
#   1. default mode with the owner away: k(0,"1") from 1, 8, 64 threads, against dedicated mode;
#   2. read-parallel mode: a read-only query from 1, 2, 4, 8 threads, against the same query
#      in dedicated mode (one call at a time), and the 'noupdate path against evaluating "1";
#   3. k(0,"1") from 1, 8, 64 threads in dedicated mode (on the caller while the engine is free,
#      else handed to the owner thread), and with every call handed over (kx_notify_fd), each
#      against PyKX 4.2's own queue:
#      its _tcore.c, taken from the wheel (pip download pykx==4.2.0 --no-deps; it is never kept
#      in this repository) and built here against this libq.so, as its q thread calls libq.
# Usage: scripts/bench-concurrency.sh [seconds per case, default 0.5 [repeats, default 3]]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-0.5}"
repeats="${2:-3}"
cargo build --release --quiet
lib="$PWD/target/release"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
gcc -std=gnu11 -O2 -Wall -Wextra -Werror -Iinclude c-tests/bench_concurrency.c -L"$lib" -lq -lpthread -ldl \
    -rdynamic -Wl,-rpath,"$lib" -o "$out/bench_concurrency"

tcore=""
if (cd "$out" && python3 -m pip download --quiet --no-deps pykx==4.2.0 -d wheel) 2>/dev/null; then
    whl=$(ls "$out"/wheel/pykx-4.2.0-*.whl | head -1)
    python3 - "$whl" "$out" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for name in ("pykx/_tcore.c", "pykx/include/k.h"):
    open(sys.argv[2] + "/" + name.split("/")[-1], "wb").write(z.read(name))
PY
    pyinc=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
    if [ -f "$pyinc/Python.h" ] && gcc -O2 -shared -fPIC -w -I"$out" -I"$pyinc" "$out/_tcore.c" -o "$out/libtcore.so"; then
        tcore="$out/libtcore.so"
    fi
fi
[ -n "$tcore" ] || echo "PyKX 4.2's _tcore.c could not be fetched or built: that comparison is skipped"
"$out/bench_concurrency" all "$seconds" "$repeats" "$tcore"
