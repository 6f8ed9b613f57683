#!/usr/bin/env bash
# sensitivity.csv (issue 10): a baseline row first, and every input named by a path that --set accepts (lanes
# named "A->B" only exist after defaults, so they are given by index).
#   sensitivity_labels.sh SCSIM CONFIG
set -uo pipefail
scsim="$1"; config="$2"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$scsim" sensitivity "$config" -r 1 -j 2 -q -o "$work/s" >"$work/log" 2>&1 || { cat "$work/log"; exit 1; }
csv="$work/s/sensitivity.csv"
sed -n 2p "$csv" | grep -q "^0,baseline,,,,,[0-9.]*,[0-9.]*,,," || { echo "no baseline row: $(sed -n 2p "$csv")"; exit 1; }
status=0; count=0
while IFS=, read -r rank input path rest; do
  [ "$rank" = "rank" ] || [ "$rank" = "0" ] && continue
  low=$(echo "$rest" | sed -E 's/^"[^"]*",//' | cut -d, -f1)
  count=$((count + 1))
  if ! "$scsim" validate "$config" --set "$input=$low" >/dev/null 2>"$work/err"; then
    echo "--set rejects '$input=$low': $(cat "$work/err")"; status=1
  fi
done <"$csv"
[ "$count" -ge 10 ] || { echo "only $count inputs"; exit 1; }
[ "$status" -eq 0 ] && echo "$count inputs, every name accepted by --set"
exit "$status"
