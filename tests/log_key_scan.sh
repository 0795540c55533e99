#!/usr/bin/env bash
# Scans every log line the test suite's servers wrote (kept in RDMCP_TEST_LOG_DIR by the test
# harness) for the test API keys. Fails when a key appears, or when there are no logs at all
# (then the scan would prove nothing).
set -euo pipefail
dir=${1:?usage: log_key_scan.sh LOG_DIR}
shopt -s nullglob
# Our server's logs: from the C++ tests (retrodiffusion-mcp-*) and the SDK end-to-end tests (e2e-*).
logs=("$dir"/retrodiffusion-mcp-*.log "$dir"/e2e-*.log)
if [ ${#logs[@]} -eq 0 ]; then
    echo "log_key_scan: no logs in $dir: run the integration tests first" >&2
    exit 1
fi
lines=$(cat "${logs[@]}" | wc -l)
if grep -n -E 'rdpk-test-key-[0-9]+|rdpk-no-access' "${logs[@]}"; then
    echo "log_key_scan: FAILED: a test API key appears in the logs above" >&2
    exit 1
fi
echo "log_key_scan: ${#logs[@]} logs, $lines lines, no API key found"
