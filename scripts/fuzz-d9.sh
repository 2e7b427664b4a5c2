#!/usr/bin/env bash
# Fuzzes d9 with libFuzzer for a bounded time, seeded with every shared golden vector.
# Usage: scripts/fuzz-d9.sh SECONDS     (fails on any crash, leak or timeout)
# Needs a nightly toolchain (installed when missing). It builds the target the way cargo-fuzz
# does (sanitizer coverage, AddressSanitizer, libfuzzer-sys's libFuzzer) without installing
# cargo-fuzz itself, whose build took half of CI's time.
set -euo pipefail
seconds=${1:?usage: $0 SECONDS}
root=$(cd "$(dirname "$0")/.." && pwd)

shared=${LIBQ_SHARED:-}
for candidate in "$shared" "$root/../shared" /work/shared; do
  if [[ -n "$candidate" && -f "$candidate/vectors/README.md" ]]; then shared=$candidate; break; fi
done
[[ -f "$shared/vectors/README.md" ]] || { echo "shared/vectors not found: set LIBQ_SHARED" >&2; exit 2; }

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal

# Seeds: the golden vectors as binary files (full messages, headers included).
corpus="$root/fuzz/corpus/d9"
mkdir -p "$corpus"
n=0
seed() { # $1 = hex of a whole message
  local hex=${1#0x}
  printf "$(sed 's/../\\x&/g' <<<"$hex")" >"$corpus/seed-$n"
  n=$((n + 1))
}
le32() { printf '%08x' "$1" | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/'; }
for f in kxdocs/serialization_examples.tsv kdbgo/decode_test_vectors.tsv compressed/compressed_messages.tsv; do
  while IFS=$'\t' read -r _ _ hex; do
    [[ -n "${hex:-}" ]] && seed "$hex"
  done < <(grep -v '^#' "$shared/vectors/$f")
done
while read -r _expr && read -r payload; do
  payload=${payload%$'\r'}
  seed "01000000$(le32 $(( ${#payload} / 2 + 8 )))$payload"
done <"$shared/vectors/qpython/QExpressions3.out"
echo "seeded $n vectors"

cd "$root/fuzz"
# cargo-fuzz's own flags for `cargo fuzz run` (coverage counters, comparison tracing, ASan,
# debug assertions); the target triple keeps them off the build scripts.
target=x86_64-unknown-linux-gnu
RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
  -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
  -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Zsanitizer=address \
  -Cdebug-assertions -Coverflow-checks" \
  cargo +nightly build --quiet --release --target "$target" --bin d9
# -rss_limit_mb catches huge allocations; -timeout catches hangs.
"target/$target/release/d9" "$corpus" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
  -max_len=65536
