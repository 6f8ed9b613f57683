#!/usr/bin/env bash
# A FIFO as CONFIG, or as a variant's base:, is refused at once (it used to
# block forever waiting for a writer).
#   fifo_config.sh SCSIM
set -uo pipefail
scsim="$1"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkfifo "$dir/fifo.textproto"
printf 'base: "fifo.textproto"\nname: "v"\n' > "$dir/variant.textproto"
status=0
expect() {  # expect EXPECTED_FIRST_LINE COMMAND...
  local want="$1"; shift
  local err code
  err=$(timeout 10 "$@" 2>&1 >/dev/null); code=$?
  if [ "$code" -ne 2 ] || [ "$(head -1 <<<"$err")" != "$want" ]; then
    echo "exit $code (expected 2) from: $*"; echo "$err"; echo "expected: $want"; status=1
  fi
}
expect "$dir/fifo.textproto: cannot read: is not a regular file (a device, FIFO or socket); scenarios are read from files" \
  "$scsim" validate "$dir/fifo.textproto"
expect "$dir/variant.textproto:1:1: base: cannot read '$dir/fifo.textproto': is not a regular file (a device, FIFO or socket); scenarios are read from files" \
  "$scsim" validate "$dir/variant.textproto"
exit "$status"
