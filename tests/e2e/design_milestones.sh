#!/usr/bin/env bash
# summary.json's design_milestones (docs/outputs.md): each design site's tape-out, first silicon and production
# release, mean day and date.
#  1. Fixed durations (tape-out 100, masks 10, first silicon 20, no respin, release 50 days) give exactly
#     tape_out 100, first_silicon 130, production_release 180, dated from start_date 2024-07-01, with a
#     horizon (7 days) long before them: drawn days count, not days the run reached.
#  2. The shipped TSMC design's triangular durations and respin give means within 2 x ci95 (about four
#     standard errors) of the analytic means (docs/model.md: a triangular's mean is (min + mode + max) / 3).
#   design_milestones.sh SCSIM CONFIG_DIR
set -uo pipefail
scsim="$1"; configs="$2"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
design="sites[name=arm_design].design"
if ! "$scsim" run "$configs/stargate_tsmc.textproto" -r 3 -q --timeline none --set horizon_days=7 \
    --set "$design.tapeout_days=100" --set "$design.mask_days=10" --set "$design.first_silicon_days=20" \
    --set "$design.respin_probability=0" --set "$design.production_release_days=50" \
    -o "$work/fixed" >"$work/fixed.log" 2>&1; then
  echo "fixed run failed:"; cat "$work/fixed.log"; exit 1
fi
if ! "$scsim" run "$configs/stargate_tsmc.textproto" -r 200 -j 2 -q --timeline none --set horizon_days=7 \
    -o "$work/random" >"$work/random.log" 2>&1; then
  echo "random run failed:"; cat "$work/random.log"; exit 1
fi
exec /usr/bin/python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
problems = []
def check(ok, what):
    if not ok: problems.append(what)

fixed = json.load(open(f"{work}/fixed/summary.json"))["design_milestones"]
expected = [("tape_out", 100, "2024-10-09"), ("first_silicon", 130, "2024-11-08"),
            ("production_release", 180, "2024-12-28")]
check(len(fixed) == 3, f"fixed: {len(fixed)} design milestones, expected 3")
for got, (event, day, date) in zip(fixed, expected):
    print(f"fixed  {got['site']} {got['event']}: day {got['mean_day']} ({got['date']}); expected {day} ({date})")
    for key in ("site", "event", "mean_day", "date", "day"):
        check(key in got, f"fixed {event}: no field {key}")
    check(got["site"] == "arm_design" and got["event"] == event, f"fixed: {got['site']} {got['event']}, expected {event}")
    check(got["mean_day"] == day and got["date"] == date, f"fixed {event}: {got['mean_day']} {got['date']}")
    check(got["day"]["n"] == 3 and got["day"]["p10"] == day and got["day"]["p90"] == day, f"fixed {event}: {got['day']}")

# configs/stargate_tsmc.textproto's design: tape-out tri(456, 608, 912), masks tri(14, 21, 35), first silicon
# tri(70, 84, 112), respin with probability 0.6, metal-only 0.6 of them: tri(61, 91, 122), else base-layer
# tri(122, 152, 213); release tri(122, 165, 243).
tri = lambda a, m, b: (a + m + b) / 3
tape_out = tri(456, 608, 912)
first_silicon = tape_out + tri(14, 21, 35) + tri(70, 84, 112) + 0.6 * (0.6 * tri(61, 91, 122) + 0.4 * tri(122, 152, 213))
release = first_silicon + tri(122, 165, 243)
rand = json.load(open(f"{work}/random/summary.json"))["design_milestones"]
check([m["event"] for m in rand] == ["tape_out", "first_silicon", "production_release"], "random: events")
for got, (event, mean) in zip(rand, [("tape_out", tape_out), ("first_silicon", first_silicon),
                                     ("production_release", release)]):
    tolerance = 2 * got["day"]["ci95"]
    print(f"random {event}: mean day {got['mean_day']:.1f} ({got['date']}), analytic {mean:.1f}, "
          f"tolerance {tolerance:.1f}, n {got['day']['n']}")
    check(got["day"]["n"] == 200, f"random {event}: n {got['day']['n']}")
    check(abs(got["mean_day"] - mean) <= tolerance, f"random {event}: mean {got['mean_day']} vs analytic {mean}")
for p in problems: print("FAIL:", p)
sys.exit(1 if problems else 0)
PY
