#!/usr/bin/env bash
# --replications A:B and `scsim merge` (issue 11): slices of a command, run
# separately and merged, give every output file of the command run at once
# byte for byte (all but run_info.json), for any verb.
#   slices.sh SCSIM VERB ARGS...     e.g. slices.sh build/scsim run configs/x.textproto
# Runs `VERB ARGS -r 5 -j 2` at once, then as the slices 0:2 (-j 1) and 2:5
# (-j 2), merges them given in reverse order, and compares the folders.
set -uo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 SCSIM VERB ARGS..." >&2
  exit 2
fi
scsim="$1"; shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step() {  # step LOG COMMAND...: runs it, shows its output and fails the test when it fails
  local log="$1"; shift
  if ! "$@" >"$work/$log" 2>&1; then
    echo "failed: $*"; cat "$work/$log"; exit 1
  fi
}
step whole.log "$scsim" "$@" -r 5 -j 2 -q -o "$work/whole"
step a.log "$scsim" "$@" -r 0:2 -q -o "$work/a"
step b.log "$scsim" "$@" -r 2:5 -j 2 -q -o "$work/b"
# A slice folder holds the slice and nothing else: the default outputs stay small.
if [ "$(ls "$work/a")" != "slice.pb" ]; then echo "slice folder holds: $(ls "$work/a")"; exit 1; fi
grep -q "^wrote $work/a/slice.pb: replications 0:2 of " "$work/a.log" || { echo "slice message:"; cat "$work/a.log"; exit 1; }
step merge.log "$scsim" merge "$work/b" "$work/a" -o "$work/merged"

status=0
files=$(cd "$work/whole" && find . -type f ! -name run_info.json | sort)
[ -n "$files" ] || { echo "the whole run wrote no files"; exit 1; }
merged_files=$(cd "$work/merged" && find . -type f ! -name run_info.json | sort)
if [ "$files" != "$merged_files" ]; then
  echo "different files: whole run:"; echo "$files"; echo "merged:"; echo "$merged_files"; status=1
fi
for f in $files; do
  if ! cmp "$work/whole/$f" "$work/merged/$f"; then
    echo "$f differs between the whole run (<) and the merged slices (>):"
    diff <(zcat -f "$work/whole/$f") <(zcat -f "$work/merged/$f") | head -10
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "identical:" $files
exit "$status"
