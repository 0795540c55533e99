#!/usr/bin/env bash
# run_e2e.sh <glob>: the end-to-end tests whose files match <glob> (in tests/e2e), e.g.
# 'http_*.test.mjs' for the ThreadSanitizer run. Exits 77 (ctest: skipped) when none exist yet.
set -euo pipefail
cd "$(dirname "$0")/../e2e"
shopt -s nullglob
# shellcheck disable=SC2206 # the glob is meant to expand here
files=($1)
if [ ${#files[@]} -eq 0 ]; then
    echo "run_e2e: no end-to-end tests match '$1' yet"
    exit 77
fi
exec node --test "${files[@]}"
