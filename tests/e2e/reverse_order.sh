#!/usr/bin/env bash
# The order of the file changes no result: CONFIG and a copy with its sites and
# lanes in reverse order, run with the same seed, write byte-identical output
# files (all but run_info.json and resolved.textproto, which echo the input).
#   reverse_order.sh SCSIM CONFIG
set -uo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 SCSIM CONFIG" >&2
  exit 2
fi
scsim="$1"; config="$2"
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$here/reverse_textproto.py" "$config" "$work/reversed.textproto" || exit 1
if cmp -s "$config" "$work/reversed.textproto"; then echo "the reversed copy is the same file"; exit 1; fi

for name in forward reversed; do
  input="$config"; [ "$name" = reversed ] && input="$work/reversed.textproto"
  if ! "$scsim" run "$input" -r 3 -j 2 --quiet -o "$work/$name" >"$work/$name.log" 2>&1; then
    echo "scsim run $input failed:"; cat "$work/$name.log"; exit 1
  fi
done
status=0
count=0
for file in "$work"/forward/*; do
  base=$(basename "$file")
  case "$base" in run_info.json|resolved.textproto) continue ;; esac
  count=$((count + 1))
  if ! cmp "$file" "$work/reversed/$base"; then status=1; fi
done
[ "$count" -ge 3 ] || { echo "only $count output files compared"; status=1; }
[ $status -eq 0 ] && echo "$count output files byte-identical for $(basename "$config") and its reversed copy"
exit $status
