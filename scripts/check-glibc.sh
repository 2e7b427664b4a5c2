#!/usr/bin/env bash
# Fails when a binary needs a glibc symbol version above 2.17 (manylinux2014, where PyKX's
# wheels run): check-glibc.sh FILE...
set -euo pipefail
status=0
for f in "$@"; do
  newer=$(objdump -T "$f" | grep -o 'GLIBC_[0-9][0-9.]*' | sort -u -V |
          awk -F'[_.]' '$2 > 2 || ($2 == 2 && $3 > 17)' | tr '\n' ' ')
  # An undefined symbol with no version that is not weak is one glibc 2.17's stubs lacked.
  unversioned=$(objdump -T "$f" | awk '$3 == "*UND*" && $2 != "w" && $0 !~ /GLIBC_/ {print $NF}' | tr '\n' ' ')
  if [[ -n $unversioned ]]; then
    echo "$f needs symbols glibc 2.17 lacks: $unversioned" >&2
    status=1
  elif [[ -n $newer ]]; then
    echo "$f needs glibc above 2.17: $newer" >&2
    objdump -T "$f" | grep -E "GLIBC_(2\.(1[89]|[2-9][0-9])|[3-9])" | head -20 >&2
    status=1
  else
    echo "$f: glibc 2.17 suffices ($(objdump -T "$f" | grep -o 'GLIBC_[0-9][0-9.]*' | sort -u -V | tail -1))"
  fi
done
exit $status
