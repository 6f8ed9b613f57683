#!/usr/bin/env bash
# A timing back-test (docs/backtests.md): runs a scenario of configs/backtests/ and compares the simulated
# median interval from the design's tape-out to the first shipment leaving the final-test site with the
# publicly reported interval; fails when it is off by more than the tolerance. Prints the figures.
#   backtest.sh SCSIM CONFIG TEST_SITE TAPEOUT_DATE SHIPMENT_DATE TOLERANCE_DAYS
# TAPEOUT_DATE and SHIPMENT_DATE are the reported (or inferred) dates, YYYY-MM-DD. Per replication, the tape-out
# is the design's drawn day (summary.json design_milestones, the mean over replications: fixed in a back-test)
# and the first shipment the first week in which TEST_SITE's `shipped` series is positive, dated at the week's
# start (timeline.csv.gz, so up to 6 days early).
set -uo pipefail
if [ $# -ne 6 ]; then
  echo "usage: $0 SCSIM CONFIG TEST_SITE TAPEOUT_DATE SHIPMENT_DATE TOLERANCE_DAYS" >&2
  exit 2
fi
scsim="$1"; config="$2"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
if ! "$scsim" run "$config" -j 2 -q --timeline full -o "$work/out" >"$work/log" 2>&1; then
  echo "scsim run $config failed:"; cat "$work/log"; exit 1
fi
exec /usr/bin/python3 - "$work/out" "$3" "$4" "$5" "$6" <<'PY'
import csv, datetime, gzip, json, statistics, sys
out, site, tapeout_date, shipment_date, tolerance = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])
day = lambda text: datetime.date.fromisoformat(text)
summary = json.load(open(f"{out}/summary.json"))
start = day(summary["start_date"])
date_of = lambda d: (start + datetime.timedelta(days=int(d))).isoformat()
tapeouts = [m for m in summary["design_milestones"] if m["event"] == "tape_out"]
if len(tapeouts) != 1:
    sys.exit(f"expected one design site, found {len(tapeouts)}")
tapeout = tapeouts[0]
if tapeout["day"]["p10"] != tapeout["day"]["p90"]:
    sys.exit(f"the tape-out must be fixed in a back-test: {tapeout['day']}")
first_ship, first_delivery, datacenters = {}, {}, set()
for row in csv.DictReader(gzip.open(f"{out}/timeline.csv.gz", "rt")):
    if float(row["value"]) <= 0:
        continue
    r, d = int(row["replication"]), float(row["day"])
    if row["site"] == site and row["metric"] == "shipped":
        first_ship[r] = min(first_ship.get(r, d), d)
    elif row["metric"] == "installed":
        datacenters.add(row["site"])
    elif row["metric"] == "delivered":
        first_delivery.setdefault(row["site"], {})
        first_delivery[row["site"]][r] = min(first_delivery[row["site"]].get(r, d), d)
replications = summary["replications"]
reported = (day(shipment_date) - day(tapeout_date)).days
print(f"back-test {summary['scenario']}: {replications} replications, seed {summary['seed']}")
print(f"reported:  tape-out {tapeout_date} -> first volume shipment {shipment_date}: {reported} days "
      f"(tolerance +-{tolerance:g})")
if len(first_ship) < replications:
    sys.exit(f"FAIL: {site} shipped nothing within the horizon in {replications - len(first_ship)} of "
             f"{replications} replications")
intervals = sorted(d - tapeout["mean_day"] for d in first_ship.values())
median = statistics.median(intervals)
q = statistics.quantiles(intervals, n=10, method="inclusive")
print(f"simulated: tape-out {tapeout['date']} -> first shipment from {site}, median "
      f"{date_of(tapeout['mean_day'] + median)}: {median:g} days (p10 {q[0]:g}, p90 {q[-1]:g})")
for m in summary["design_milestones"]:
    print(f"  design {m['event']}: mean {m['date']} (p10 {m['date_p10']}, p90 {m['date_p90']})")
for dest, days in first_delivery.items():
    if dest in datacenters and len(days) == replications:
        print(f"  first delivery at {dest}: median {date_of(statistics.median(days.values()))}")
fi = summary["first_install_day"]
if fi["n"]:
    print(f"  first install: median {date_of(fi['p50'])} (n {fi['n']})")
difference = median - reported
print(f"difference: {difference:+g} days")
if abs(difference) > tolerance:
    sys.exit(f"FAIL: the simulated median is {difference:+g} days from the reported interval "
             f"(tolerance +-{tolerance:g})")
print("within tolerance")
PY
