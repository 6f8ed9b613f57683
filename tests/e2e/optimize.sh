#!/usr/bin/env bash
# scsim optimize on stargate_dual over the TSMC lane's order share: the best confirmed split's p10 of installs by
# the horizon is not worse than either pure path's (shares 1 and 0, evaluated first); optimize.csv holds every
# point; best.textproto runs as written; a bad --decide is refused with the reason.
set -euo pipefail
scsim="$1"; configs="$2"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$scsim" optimize "$configs/stargate_dual.textproto" -r 8 -j 2 --evals 6 --confirm 2 --confirm-factor 2 -q \
  --decide 'lanes[name=tsmc_path].order_share=0:1' -o "$work/opt" > "$work/out.txt"
cat "$work/out.txt"
/usr/bin/python3 - "$work/opt/optimize.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
search = [r for r in rows if r["stage"] == "search"]
confirm = [r for r in rows if r["stage"] == "confirm"]
assert len(search) == 6, len(search)
shares = [float(r["lanes[name=tsmc_path].order_share"]) for r in search]
assert shares[0] == 0 and shares[1] == 1, shares  # the pure paths come first
ends = {shares[i]: float(search[i]["p10_installed"]) for i in (0, 1)}
best = max(confirm, key=lambda r: float(r["p10_installed"]))
print("pure paths (search):", ends, "best confirmed:", best["lanes[name=tsmc_path].order_share"], best["p10_installed"])
# The best search point is at least as good as both ends under the same replications.
assert max(float(r["p10_installed"]) for r in search) >= max(ends.values())
PY
grep -q '^set: "lanes\[name=tsmc_path\].order_share=' "$work/opt/best.textproto"
# Run again into the same folder: it is scsim's own results, replaced as one set.
"$scsim" optimize "$configs/stargate_dual.textproto" -r 2 --evals 2 --confirm 1 --confirm-factor 1 -q \
  --decide 'lanes[name=tsmc_path].order_share=0:1' -o "$work/opt" > /dev/null
test "$(grep -c '^search,' "$work/opt/optimize.csv")" = 2
"$scsim" validate "$work/opt/best.textproto" > /dev/null
if "$scsim" optimize "$configs/stargate_dual.textproto" --decide 'lanes[name=tsmc_path].order_share=1:0' -q \
     -o "$work/bad" 2> "$work/err.txt"; then echo "a reversed range was accepted"; exit 1; fi
grep -qx -- "--decide lanes\[name=tsmc_path\].order_share=1:0: LO must be below HI" "$work/err.txt"
test ! -e "$work/bad"
echo "optimize: ok"
