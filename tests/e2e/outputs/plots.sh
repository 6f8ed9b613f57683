#!/usr/bin/env bash
# Plots (issue 10): plot.py draws every chart of a compare, sensitivity and sweep folder in PNG and SVG, with
# non-trivial content; SVG is SVG and PNG is PNG.
#   plots.sh SCSIM CONFIG_DIR SCRIPTS_DIR
set -uo pipefail
scsim="$1"; configs="$2"; scripts="$3"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$scsim" compare "$configs/stargate_tsmc.textproto" "$configs/stargate_samsung.textproto" -r 6 -j 2 -q \
  -o "$work/c" >/dev/null 2>&1 || fail "compare"
"$scsim" sensitivity "$configs/stargate_samsung.textproto" -r 2 -j 2 -q --only-ranges \
  --range 'sites[name=samsung_sf3].foundry.d0_per_cm2=0.2,0.5' --range 'horizon_days=1900,2009' \
  -o "$work/s" >/dev/null 2>&1 || fail "sensitivity"
"$scsim" sweep "$configs/stargate_tsmc.textproto" -r 1 -q \
  '--vary=sites[name=tsmc_cowos].packaging.interposer_wafers_per_week.steps[1].rate=300,600' \
  '--vary=horizon_days=1900,2009' -o "$work/w" >/dev/null 2>&1 || fail "sweep"
/usr/bin/python3 "$scripts/plot.py" "$work/c" --format png,svg >"$work/c.log" 2>&1 || fail "plot compare: $(cat "$work/c.log")"
/usr/bin/python3 "$scripts/plot.py" "$work/s" --format png,svg --out "$work/sp" >"$work/s.log" 2>&1 || fail "plot sensitivity: $(cat "$work/s.log")"
/usr/bin/python3 "$scripts/plot.py" "$work/w" --format svg,png --out "$work/wp" >"$work/w.log" 2>&1 || fail "plot sweep: $(cat "$work/w.log")"
check() {  # check FILE: PNG magic or an SVG document, over 5 kB
  local f="$1"
  [ -f "$f" ] || fail "missing $f"
  [ "$(stat -c %s "$f")" -gt 5000 ] || fail "$f is only $(stat -c %s "$f") bytes"
  case "$f" in
    *.png) [ "$(head -c 8 "$f" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "$f is not a PNG" ;;
    *.svg) head -c 200 "$f" | grep -q "<svg\|<?xml" || fail "$f is not SVG"; grep -q "</svg>" "$f" || fail "$f is not SVG" ;;
  esac
}
for chart in installs throughput wip stranded milestones differences; do
  for ext in png svg; do check "$work/c/plots/$chart.$ext"; done
done
for ext in png svg; do check "$work/sp/tornado.$ext"; check "$work/wp/sweep.$ext"; done
grep -q "accelerator equivalents" "$work/c/plots/throughput.svg" || fail "throughput chart has no unit in its title"
grep -q "stargate_samsung" "$work/c/plots/installs.svg" || fail "installs chart has no scenario legend"
echo "plots: $(ls "$work/c/plots" | wc -l) compare files, tornado and sweep in PNG and SVG"
