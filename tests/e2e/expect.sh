#!/usr/bin/env bash
# Runs a command and checks its exit code and, optionally, its exact stderr.
#   expect.sh CODE STDERR_GOLDEN|- [STDOUT_REGEX|-] -- COMMAND...
set -uo pipefail
code="$1"; golden="$2"; pattern="$3"; shift 3
[ "$1" = "--" ] && shift
out=$(mktemp); err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
"$@" >"$out" 2>"$err"
actual=$?
status=0
if [ "$actual" -ne "$code" ]; then
  echo "exit code $actual, expected $code"; status=1
fi
if [ "$golden" != "-" ] && ! diff -u "$golden" "$err"; then
  echo "stderr differs from $golden"; status=1
fi
if [ "$pattern" != "-" ] && ! grep -Eq -- "$pattern" "$out"; then
  echo "stdout does not match /$pattern/"; status=1
fi
if [ "$status" -ne 0 ]; then
  echo "--- stdout"; cat "$out"; echo "--- stderr"; cat "$err"
fi
exit "$status"
