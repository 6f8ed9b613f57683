#!/usr/bin/env bash
# Results replaced as a set: an interrupt during a run exits 130 and leaves the previous complete set; a full
# disk (a 64 KiB tmpfs; needs root, else skipped with 77) exits 1 naming the file and the reason, leaves the
# previous set and no temporary; stale temporaries of killed runs are cleaned; never exit 0 with an empty file.
#   output_set.sh SCSIM CONFIG
set -uo pipefail
scsim="$1"; config="$2"
work=$(mktemp -d)
cleanup() { mountpoint -q "$work/disk" 2>/dev/null && umount "$work/disk"; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

# A complete set to protect.
"$scsim" run "$config" -r 2 -q -o "$work/out" >/dev/null 2>&1 || fail "first run"
before=$(cat "$work/out/summary.json")

# Stale temporaries of a dead process are removed by the next run; a set left aside by a swap cut short
# (SIGKILL between the renames) is removed once the destination exists.
mkdir -p "$work/out.tmp-999999999" "$work/out.old-999999999"
echo half > "$work/out.tmp-999999999/summary.json"

# Interrupt: SIGINT while replications run.
"$scsim" run "$config" -r 3000 -q -o "$work/out" >"$work/int.log" 2>&1 &
pid=$!
sleep 1
kill -INT "$pid"
wait "$pid"; code=$?
[ "$code" -eq 130 ] || fail "interrupted run exited $code, expected 130: $(cat "$work/int.log")"
grep -q "^scsim: interrupted; no output was written$" "$work/int.log" || fail "message: $(cat "$work/int.log")"
[ "$(cat "$work/out/summary.json")" = "$before" ] || fail "the previous summary.json changed"
"$scsim" run "$config" -r 2 -q -o "$work/out" >/dev/null 2>&1 || fail "rerun"
left=$(ls -a "$work" | grep -c "out\.\(tmp\|old\)-" || true)
[ "$left" -eq 0 ] || fail "temporaries left: $(ls -a "$work")"

# A full disk.
if [ "$(id -u)" -ne 0 ]; then echo "not root: the full-disk part needs a tmpfs mount; skipped"; exit 77; fi
mkdir -p "$work/disk"
mount -t tmpfs -o size=64k tmpfs "$work/disk" || { echo "cannot mount a tmpfs; skipped"; exit 77; }
"$scsim" run "$config" -r 1 -q --timeline none -o "$work/disk/out" >"$work/small.log" 2>&1 \
  || fail "a small set should fit in 64 KiB: $(cat "$work/small.log")"
small=$(cat "$work/disk/out/summary.json")
"$scsim" run "$config" -r 4 -q -o "$work/disk/out" >"$work/full.log" 2>&1; code=$?
[ "$code" -eq 1 ] || fail "full disk exited $code, expected 1: $(cat "$work/full.log")"
grep -Eq "^scsim: error: cannot write $work/disk/out/[a-z_.]+: No space left on device$" "$work/full.log" \
  || fail "message: $(cat "$work/full.log")"
[ "$(cat "$work/disk/out/summary.json")" = "$small" ] || fail "the previous set changed"
[ "$(ls -a "$work/disk")" = "$(printf '.\n..\nout')" ] || fail "temporaries left on the full disk: $(ls -a "$work/disk")"
for f in "$work"/disk/out/*; do [ -s "$f" ] || fail "empty file $f"; done
echo "interrupt: 130, previous set kept; full disk: exit 1, previous set kept, nothing left behind"
