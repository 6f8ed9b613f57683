#!/usr/bin/env bash
# A BOM listing the same input twice runs exactly like one line with the summed
# quantity: byte-identical summary.json and timeline.csv with -r 2.
# Expected to pass once the engine merges BOM lines (engine redesign); until
# then the test is registered DISABLED (tests/reliability/CMakeLists.txt).
#   bom_twice.sh SCSIM DATA_DIR OUT_DIR
set -uo pipefail
scsim="$1"; data="$2"; out="$3"
rm -rf "$out"; mkdir -p "$out"
for form in once twice; do
  if ! ( [ -n "${SCSIM_NO_ULIMIT:-}" ] || ulimit -v 4000000; timeout 60 "$scsim" run "$data/bom_$form.textproto" -r 2 -o "$out/$form" >/dev/null ); then
    echo "run of bom_$form.textproto failed"; exit 1
  fi
done
status=0
for file in summary.json timeline.csv; do
  if ! diff -q "$out/once/$file" "$out/twice/$file"; then status=1; fi
done
exit "$status"
