#!/usr/bin/env bash
# The report page (issue 10): report.py writes one self-contained report.html that headless Chromium renders
# without console errors or network fetches; the screenshot is not blank. The console check is itself checked
# on a page that logs an error.
#   report.sh SCSIM CONFIG_DIR SCRIPTS_DIR
set -uo pipefail
scsim="$1"; configs="$2"; scripts="$3"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v chromium >/dev/null || fail "chromium is not installed (scripts/setup.sh installs it)"
"$scsim" compare "$configs/stargate_tsmc.textproto" "$configs/stargate_samsung.textproto" -r 6 -j 2 -q \
  -o "$work/c" >/dev/null 2>&1 || fail "compare"
/usr/bin/python3 "$scripts/report.py" "$work/c" >"$work/r.log" 2>&1 || fail "report.py: $(cat "$work/r.log")"
page="$work/c/report.html"
grep -q "<h2>Paired differences from stargate_tsmc</h2>" "$page" || fail "no paired differences section"
grep -q "<h2>Milestones</h2>" "$page" || fail "no milestones section"
grep -Eq '<h2>Cost and stranded capacity</h2>.*<td class="">\$[0-9],[0-9]{3}</td>' "$page" || fail "no cost per accelerator in the cost table"
grep -Eq '<h2>Bottlenecks</h2>.*<td class="">[a-z0-9_]+ [0-9]+%' "$page" || fail "no busiest sites (utilization) among the bottlenecks"
[ "$(grep -c "<svg" "$page")" -ge 5 ] || fail "fewer than 5 charts embedded"
grep -Eiq '(src|href)="(https?:)?//' "$page" && fail "the page fetches from the network"
grep -qi "<script" "$page" && fail "the page has scripts"

render() {  # render PAGE PNG LOG
  HOME="$work" chromium --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
    --user-data-dir="$work/profile" --window-size=1200,2400 --enable-logging=stderr --v=0 \
    --screenshot="$2" "file://$1" >"$3" 2>&1
}
console_errors() { grep -E "CONSOLE|Uncaught|Failed to load resource|net::ERR" "$1" || true; }

# The check catches a console error when there is one.
printf '<!DOCTYPE html><html><body><p>x</p><script>console.error("boom")</script></body></html>' >"$work/bad.html"
render "$work/bad.html" "$work/bad.png" "$work/bad.log"
[ -n "$(console_errors "$work/bad.log")" ] || fail "the console check does not see console.error: $(cat "$work/bad.log")"

render "$page" "$work/shot.png" "$work/chromium.log"
[ -s "$work/shot.png" ] || fail "no screenshot: $(cat "$work/chromium.log")"
errors=$(console_errors "$work/chromium.log")
[ -z "$errors" ] || fail "console errors: $errors"
/usr/bin/python3 - "$work/shot.png" <<'PY' || exit 1
import sys
import matplotlib.image as mpimg
import numpy as np
img = mpimg.imread(sys.argv[1])
rgb = (img[..., :3] * 255).astype(np.uint8).reshape(-1, 3)
colours = len(np.unique(rgb, axis=0))
ink = float((rgb.mean(axis=1) < 200).mean())
print(f"screenshot {img.shape[1]}x{img.shape[0]}: {colours} colours, {ink:.1%} ink")
if colours < 50 or ink < 0.01:
    print("FAIL: the page renders blank"); sys.exit(1)
PY
echo "report: $(stat -c %s "$page") bytes, rendered without console errors"
