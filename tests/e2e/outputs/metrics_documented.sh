#!/usr/bin/env bash
# The data dictionary covers every series the engine writes: for every shipped scenario, metrics.csv has a unit,
# a kind and a description for each (site, metric), none "(not documented)".
#   metrics_documented.sh SCSIM CONFIG_DIR
set -uo pipefail
scsim="$1"; configs="$2"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
status=0; count=0
while IFS= read -r config; do
  name=$(basename "$config" .textproto)
  if ! "$scsim" run "$config" -r 1 -q --timeline none --set horizon_days=2009 -o "$work/$name" >"$work/log" 2>&1; then
    echo "run $config failed: $(tail -3 "$work/log")"; status=1; continue
  fi
  count=$((count + 1))
  if grep -q "(not documented)" "$work/$name/metrics.csv"; then
    echo "$config: undocumented metrics:"; grep "(not documented)" "$work/$name/metrics.csv"; status=1
  fi
done < <(find "$configs" -name '*.textproto' | sort)
[ "$count" -ge 8 ] || { echo "only $count scenarios ran"; exit 1; }
[ "$status" -eq 0 ] && echo "$count scenarios: every metric documented"
exit "$status"
