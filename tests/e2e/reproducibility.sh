#!/usr/bin/env bash
# Same config and seed => byte-identical outputs, whatever -j (docs/outputs.md,
# "Reproducibility"). Runs CONFIG with 4 replications on 1 and on 2 worker
# processes and compares every file but run_info.json byte for byte; the
# wall-clock facts belong in run_info.json, which must exist, and not in
# summary.json.
#   reproducibility.sh SCSIM CONFIG
set -uo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 SCSIM CONFIG" >&2
  exit 2
fi
scsim="$1"; config="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() {  # run NAME JOBS
  if ! "$scsim" run "$config" -r 4 -j "$2" -o "$work/$1" >"$work/$1.log" 2>&1; then
    echo "scsim run $config -r 4 -j $2 failed:"; cat "$work/$1.log"; exit 1
  fi
}
run A 1
run B 2

status=0
for dir in A B; do
  for file in summary.json timeline.csv run_info.json; do
    if [ ! -s "$work/$dir/$file" ]; then echo "missing or empty: $dir/$file"; status=1; fi
  done
  if grep -q '"wall_seconds"' "$work/$dir/summary.json" 2>/dev/null; then
    echo "$dir/summary.json holds wall_seconds: wall-clock facts belong in run_info.json"; status=1
  fi
done
for file in summary.json timeline.csv replications.csv metrics.csv resolved.textproto; do
  if ! cmp "$work/A/$file" "$work/B/$file"; then
    echo "$file differs between -j 1 (<) and -j 2 (>):"
    diff "$work/A/$file" "$work/B/$file" | head -20
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "identical: summary.json, timeline.csv ($(wc -l <"$work/A/timeline.csv") lines)"
exit "$status"
