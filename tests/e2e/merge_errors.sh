#!/usr/bin/env bash
# `scsim merge` refuses slices that do not make one command: a gap, an
# overlap, slices of different commands, a folder without a slice; and a
# slice needs -o. Each with its exact message, exit status, and no output.
#   merge_errors.sh SCSIM CONFIG OTHER_CONFIG
set -uo pipefail
scsim="$1"; config="$2"; other="$3"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
slice() {  # slice DIR RANGE [CONFIG]
  "$scsim" run "${3:-$config}" -r "$2" -q -o "$work/$1" >/dev/null 2>"$work/$1.err" || { cat "$work/$1.err"; exit 1; }
}
expect() {  # expect CODE MESSAGE COMMAND...
  local code="$1" message="$2"; shift 2
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [ "$got" -ne "$code" ] || [ "$(cat "$work/err")" != "$message" ]; then
    echo "$*: exit $got (want $code), stderr:"; cat "$work/err"; echo "want: $message"; status=1
  fi
  if [ -e "$work/out_dir" ]; then echo "$*: wrote $work/out_dir"; status=1; fi
}
slice s0 0:2
slice s1 1:3
slice s2 3:4
slice t0 2:3 "$other"
expect 1 "scsim merge: replications 2:3 are in no slice" "$scsim" merge "$work/s0" "$work/s2" -o "$work/out_dir"
expect 1 "scsim merge: replications 0:3 are in no slice" "$scsim" merge "$work/s2" -o "$work/out_dir"
expect 1 "scsim merge: slices overlap: $work/s0 has 0:2 and $work/s1 has 1:3" \
  "$scsim" merge "$work/s1" "$work/s0" -o "$work/out_dir"
expect 1 "scsim merge: $work/s0 and $work/t0 are slices of different commands ('run $config -r @R -o @O' and 'run $other -r @R -o @O')" \
  "$scsim" merge "$work/s0" "$work/t0" -o "$work/out_dir"
mkdir -p "$work/empty"
expect 1 "scsim merge: $work/empty/slice.pb: no slice here (run with --replications A:B -o $work/empty)" \
  "$scsim" merge "$work/s0" "$work/empty" -o "$work/out_dir"
expect 2 "scsim: --replications 0:2 runs a slice: give its folder with -o DIR" "$scsim" run "$config" -r 0:2 -q
expect 2 "--replications: slice 3:3 must have 0 <= A < B <= 1000000 (replications A to B-1)
Run with --help for more information." "$scsim" run "$config" -r 3:3 -q -o "$work/out_dir"
[ "$status" -eq 0 ] && echo "every bad merge refused with its message"
exit "$status"
