#!/usr/bin/env bash
# ctest's entry for the differential test: fetch KX's libe.so (scripts/fetch-kx.sh), then run
# the probes against it and our libq.so. Without network the test is skipped (exit 77) unless
# LIBQ_REQUIRE_KX=1, as scripts/test.sh sets it.
set -uo pipefail
bin=$1
ours=$2
shift 2
if ! dir=$("$(dirname "$0")/../../scripts/fetch-kx.sh"); then
  [ "${LIBQ_REQUIRE_KX:-0}" = 1 ] && { echo "KX's libe.so could not be fetched" >&2; exit 1; }
  echo "KX's libe.so could not be fetched (no network?): skipped"
  exit 77
fi
exec "$bin" "$ours" "$dir/libe.so" "$@"
