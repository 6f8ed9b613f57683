#!/usr/bin/env bash
# Benchmark, not a test (not part of ctest): the scsim engine against a raw
# event loop and SimPy 2.3 on the tandem line, all fed the same draws; then
# build/scsim run on the shipped scenarios (events/s, replications/s, peak RSS,
# ratios to the bare loop), the -j 1 vs -j 2 speed-up, doubling runs, and a
# generated 1,000-site network (bench/generate_network.py, -r 6 -j 2).
#   scripts/bench.sh [scsim_bench options]    e.g. --jobs 200000, --simpy-jobs 0,
#                                             --scenario-replications 100, --no-scaling,
#                                             --network-sites 0, --targets (issue 11's
#                                             compare -r 1000 and run -r 10000, minutes)
# Builds build/scsim_bench (preset default), runs it, then shows the reference
# numbers in bench/reference.txt for comparison. Exits with scsim_bench's status:
# non-zero when the mean cycle times disagree (the speed targets only print PASS/MISS).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset default >/dev/null
cmake --build --preset default --target scsim_bench scsim -j "$(nproc)"
echo
# Timings are only comparable on a quiet machine: the load average is shown with them.
echo "=== build/scsim_bench $* ($(date +%F), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg))"
status=0
build/scsim_bench "$@" || status=$?
echo
echo "=== bench/reference.txt"
cat bench/reference.txt
exit "$status"
