#!/usr/bin/env bash
# Builds fuzz_scenario (clang, ASan + UBSan) and fuzzes it for a bounded time
# with a seed corpus of every scenario in configs/ and tests/. Exits non-zero
# when it finds a crash, hang or out-of-memory; the input is left in
# build-fuzz/artifacts/ (turn it into a regression test: fuzz/README.md).
#   fuzz/run.sh [SECONDS=60]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
scripts/setup.sh --fuzz
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"
corpus=build-fuzz/corpus
artifacts=build-fuzz/artifacts
rm -rf "$corpus"; mkdir -p "$corpus" "$artifacts"
# Seeds: shipped and test scenarios, plus the regression inputs found so far.
find configs tests $([ -d fuzz/regressions ] && echo fuzz/regressions) -name '*.textproto' -size -64k -exec cp --backup=numbered -t "$corpus" {} +
# Bases named by the variants resolve against the working directory.
cd configs/variants
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
exec ../../build-fuzz/fuzz/fuzz_scenario -max_total_time="$seconds" -timeout=25 -rss_limit_mb=3072 \
  -max_len=65536 -print_final_stats=1 -artifact_prefix="../../$artifacts/" "../../$corpus"
