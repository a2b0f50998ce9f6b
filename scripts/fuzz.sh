#!/usr/bin/env bash
# make fuzz: run every fuzzer in the tree for FUZZTIME (default 20s) each.
set -euo pipefail
cd "$(dirname "$0")/.."
grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u | while read -r dir; do
  for f in $(grep -h '^func Fuzz' "$dir"/*_test.go | sed -E 's/^func (Fuzz[A-Za-z0-9_]+).*/\1/'); do
    echo "== $dir $f"
    go test -run '^$' -fuzz "^$f\$" -fuzztime "${FUZZTIME:-20s}" "$dir"
  done
done
