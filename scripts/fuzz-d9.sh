#!/usr/bin/env bash
# Fuzzes d9 with libFuzzer for a bounded time, seeded with every shared golden vector.
# Usage: scripts/fuzz-d9.sh SECONDS     (fails on any crash, leak or timeout)
# Needs a nightly toolchain and cargo-fuzz; installs both when missing.
set -euo pipefail
seconds=${1:?usage: $0 SECONDS}
root=$(cd "$(dirname "$0")/.." && pwd)

shared=${LIBQ_SHARED:-}
for candidate in "$shared" "$root/../shared" /work/shared; do
  if [[ -n "$candidate" && -f "$candidate/vectors/README.md" ]]; then shared=$candidate; break; fi
done
[[ -f "$shared/vectors/README.md" ]] || { echo "shared/vectors not found: set LIBQ_SHARED" >&2; exit 2; }

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

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
# -rss_limit_mb catches huge allocations; -timeout catches hangs.
cargo +nightly fuzz run d9 "$corpus" -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=65536
