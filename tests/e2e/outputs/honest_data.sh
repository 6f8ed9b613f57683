#!/usr/bin/env bash
# Honest data (issue 10): a short horizon where the 90% and 100% milestones are never reached must write empty
# cells and nulls, not 0 or -1; seed, target_units and events are JSON numbers; every run folder has
# metrics.csv and replications.csv; compare.csv counts what its statistics come from.
#   honest_data.sh SCSIM CONFIG_DIR
set -uo pipefail
scsim="$1"; configs="$2"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
if ! "$scsim" compare "$configs/stargate_tsmc.textproto" "$configs/stargate_samsung.textproto" -r 3 -q \
    --set horizon_days=1700 -o "$work/c" >"$work/log" 2>&1; then
  echo "compare failed:"; cat "$work/log"; exit 1
fi
exec /usr/bin/python3 - "$work/c" <<'PY'
import csv, json, sys
d = sys.argv[1]
problems = []
def check(ok, what):
    if not ok: problems.append(what)
s = json.load(open(f"{d}/stargate_tsmc/summary.json"))
check(isinstance(s["seed"], int) and s["seed"] == 1, f"seed is {s['seed']!r}, expected the number 1")
check(isinstance(s["target_units"], int) and s["target_units"] == 400000, f"target_units is {s['target_units']!r}")
check(isinstance(s["events"], int) and s["events"] > 0, f"events is {s['events']!r}")
m100 = s["milestones"][3]
check(m100["reached_share"] == 0, f"100% reached_share {m100['reached_share']}")
check(m100["day"] == {"mean": None, "p10": None, "p50": None, "p90": None, "ci95": None, "n": 0},
      f"unreached milestone day is {m100['day']}")
check(m100["date_p50"] is None, f"unreached milestone date_p50 is {m100['date_p50']!r}")
check(all(st["utilization"] is None or 0 <= st["utilization"] <= 1 for st in s["stages"]), "utilization out of [0,1]")
rows = list(csv.DictReader(open(f"{d}/stargate_tsmc/replications.csv")))
check(len(rows) == 3, f"{len(rows)} rows in replications.csv")
for r in rows:
    check(r["milestone_100_day"] == "" and r["milestone_100_date"] == "",
          f"replication {r['replication']}: unreached milestone_100 is {r['milestone_100_day']!r}")
    check(float(r["installed_units"]) > 0, "installed_units")
cmp = list(csv.DictReader(open(f"{d}/compare.csv")))
for r in cmp:
    if r["metric"] == "milestone_100_day":
        check(r["n"] == "0" and r["mean"] == "" and r["p50"] == "" and r["diff_mean"] == "",
              f"compare.csv unreached milestone row {r}")
        check(r["replications"] == "3", "compare.csv replications column")
    if r["scenario"] == "stargate_tsmc":
        check(r["diff_mean"] == "" and r["pairs"] == "", f"baseline has a difference: {r}")
    check("_20" not in r["metric"], f"a date in a metric name: {r['metric']}")
metrics = list(csv.DictReader(open(f"{d}/stargate_tsmc/metrics.csv")))
hbm = [m for m in metrics if m["site"] == "skhynix_hbm" and m["metric"] == "hbm_stacks"]
check(len(hbm) == 1 and hbm[0]["accelerator_equivalent"] == "0.125" and hbm[0]["kind"] == "flow",
      f"metrics.csv hbm_stacks row {hbm}")
cum = [m for m in metrics if m["metric"] == "installed_cum"]
check(len(cum) == 1 and cum[0]["kind"] == "cumulative", "installed_cum is cumulative")
util = [m for m in metrics if m["site"] == "tsmc_cowos" and m["metric"] == "utilization"]
check(len(util) == 1 and util[0]["unit"] == "fraction", f"utilization of tsmc_cowos in metrics.csv: {util}")
band = list(csv.DictReader(open(f"{d}/stargate_tsmc/timeline.csv")))
check(list(band[0].keys()) == ["scenario", "day", "date", "site", "metric", "mean", "p10", "p50", "p90", "n"],
      f"timeline.csv header {list(band[0].keys())}")
last = [b for b in band if b["metric"] == "installed_cum"][-1]
check(last["day"] == "1700" and last["n"] == "3", f"last cumulative row dated day {last['day']}, expected 1700")
if problems:
    print("\n".join(problems)); sys.exit(1)
print(f"honest: {len(rows)} replications, {len(cmp)} compare rows, {len(band)} band rows")
PY
