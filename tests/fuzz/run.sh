#!/usr/bin/env bash
# run.sh <build-fuzz dir> <seconds> [target...]: runs each libFuzzer target for <seconds>,
# two at a time (FUZZ_JOBS), starting from its seed corpus in tests/fuzz/corpus/<target>/ plus
# what earlier runs found (<build>/fuzz-corpus/<target>/, where new inputs go; the seeds in the
# repository are never written). A crash, leak, UB report or timeout leaves the input in
# <build>/fuzz-artifacts/ and fails the run; add it to the seed corpus and a regression test.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
seconds=$2
shift 2
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_json_rpc fuzz_mcp_requests fuzz_tool_arguments
                                      fuzz_image_input fuzz_upstream_responses fuzz_image_decoders)
jobs=${FUZZ_JOBS:-$(nproc)}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
mkdir -p "$build/fuzz-artifacts" "$build/fuzz-logs"

run_one() {
    local target=$1 corpus="$build/fuzz-corpus/$1" dict=()
    mkdir -p "$corpus"
    [ -f "$here/$target.dict" ] && dict=(-dict="$here/$target.dict")
    local started=$SECONDS
    if "$build/tests/fuzz/$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$target-" \
        "${dict[@]}" "$corpus" "$here/corpus/$target" >"$build/fuzz-logs/$target.log" 2>&1; then
        echo "fuzz: $target passed ($((SECONDS - started)) s, $(grep -o 'stat::number_of_executed_units: *[0-9]*' \
            "$build/fuzz-logs/$target.log" | grep -o '[0-9]*$') runs)"
    else
        echo "fuzz: $target FAILED: see $build/fuzz-logs/$target.log"
        grep -v '^#' "$build/fuzz-logs/$target.log" | tail -60
        return 1
    fi
}
export -f run_one
export build here seconds

printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one {}'
