#!/usr/bin/env bash
# Size under control (issue 10): `compare -r 1000` of TSMC vs Samsung writes under 20 MB by default.
#   compare_size.sh SCSIM CONFIG_DIR
set -uo pipefail
scsim="$1"; configs="$2"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
if ! "$scsim" compare "$configs/stargate_tsmc.textproto" "$configs/stargate_samsung.textproto" -r 1000 -j 2 -q \
    -o "$work/c" >"$work/log" 2>&1; then
  echo "compare failed:"; tail -20 "$work/log"; exit 1
fi
bytes=$(du -sb "$work/c" | cut -f1)
rows=$(($(wc -l <"$work/c/stargate_tsmc/replications.csv") - 1))
echo "compare -r 1000 wrote $bytes bytes; $rows replication rows per scenario"
[ "$rows" -eq 1000 ] || { echo "expected 1000 rows in replications.csv"; exit 1; }
[ "$bytes" -lt 20000000 ] || { echo "over 20 MB"; exit 1; }
