#!/usr/bin/env bash
# Runs a command under a memory limit and checks its exit code and its whole
# stderr, given inline (one argument per line; "-" skips the stderr check).
#   check.sh CODE 'LINE 1' 'LINE 2' ... -- COMMAND...
set -uo pipefail
code="$1"; shift
expected=()
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do expected+=("$1"); shift; done
shift
err=$(mktemp)
trap 'rm -f "$err"' EXIT
# 4 GB of address space: a regression that allocates without limit fails here
# instead of swapping the machine. (Not under AddressSanitizer, which reserves
# terabytes of address space for its shadow memory: SCSIM_NO_ULIMIT=1.)
if [ -n "${SCSIM_NO_ULIMIT:-}" ]; then
  "$@" >/dev/null 2>"$err"
  actual=$?
  # ASan's notice about SimGrid's context switching (an actor killed while its
  # stack is not the thread's) is not the program's output.
  sed -i '/WARNING: ASan is ignoring requested __asan_handle_no_return/,+2d' "$err"
else
  ( ulimit -v 4000000; exec "$@" ) >/dev/null 2>"$err"
  actual=$?
fi
status=0
if [ "$actual" -ne "$code" ]; then
  echo "exit code $actual, expected $code"; status=1
fi
if [ "${expected[0]:--}" != "-" ] && ! diff -u <(printf '%s\n' "${expected[@]}") "$err"; then
  echo "stderr differs"; status=1
fi
if [ "$status" -ne 0 ]; then echo "--- stderr"; cat "$err"; fi
exit "$status"
