#!/usr/bin/env bash
# The scripts on bad or missing input: one clear line on stderr naming the file, exit 2, never a traceback.
#   scripts_bad_input.sh SCRIPTS_DIR
set -uo pipefail
scripts="$1"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
status=0
expect() {  # expect SCRIPT DIR MESSAGE
  local out code
  out=$(/usr/bin/python3 "$scripts/$1" "$2" 2>&1 >/dev/null); code=$?
  if [ "$code" -ne 2 ] || [ "$out" != "$3" ]; then
    echo "FAIL: $1 $2: exit $code, stderr:"; echo "$out"; echo "expected exit 2 and: $3"; status=1
  fi
}
for s in plot.py report.py; do
  name=${s%.py}.py
  expect "$s" "$work/missing" "$name: $work/missing: no such folder"
  mkdir -p "$work/empty"
  expect "$s" "$work/empty" "$name: $work/empty: holds no scsim results (expected summary.json, compare.csv, sweep.csv or sensitivity.csv, or folders with summary.json)"
  mkdir -p "$work/badjson"; echo '{"scenario": "x",' >"$work/badjson/summary.json"
  expect "$s" "$work/badjson" "$name: $work/badjson/summary.json: not valid JSON (Expecting property name enclosed in double quotes: line 2 column 1 (char 18))"
  mkdir -p "$work/emptycsv"; : >"$work/emptycsv/compare.csv"
  expect "$s" "$work/emptycsv" "$name: $work/emptycsv/compare.csv: empty file (an interrupted or failed run?)"
  mkdir -p "$work/oldcsv"; printf 'metric,unit,scenario\nx,y,z\n' >"$work/oldcsv/compare.csv"
  expect "$s" "$work/oldcsv" "$name: $work/oldcsv/compare.csv: missing column(s) mean, diff_mean, n; is it an scsim output of this version?"
done
out=$(/usr/bin/python3 "$scripts/plot.py" "$work/empty" --format gif 2>&1); code=$?
[ "$code" -eq 2 ] && echo "$out" | grep -q "unknown format gif" || { echo "FAIL: --format gif: $code $out"; status=1; }
[ "$status" -eq 0 ] && echo "scripts: clear messages for missing, empty, invalid and old inputs"
exit "$status"
