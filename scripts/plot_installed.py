#!/usr/bin/python3
"""Plot cumulative installed accelerators (p10-p90 band and median) for one or
more `scsim run` output folders, plus weekly output at the bottleneck stages.

  scripts/plot_installed.py results/stargate_tsmc results/stargate_samsung -o results/installed.png

Reads DIR/timeline.csv (scenario,replication,day,date,site,metric,value) and
DIR/summary.json. Uses Debian's python3-matplotlib (run with /usr/bin/python3).
"""
import argparse
import collections
import csv
import datetime
import json
import os
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402


def quantile(values, q):
    """Type-7 quantile (linear interpolation), as scsim's summaries use."""
    s = sorted(values)
    h = (len(s) - 1) * q
    lo = int(h)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (h - lo) * (s[hi] - s[lo])


def load(folder):
    """(scenario, dates, {replication: [cumulative installs per week]}, {site: weekly mean output})"""
    cumulative = collections.defaultdict(dict)
    weekly_output = collections.defaultdict(lambda: collections.defaultdict(list))
    dates = {}
    name = os.path.basename(folder.rstrip("/"))
    with open(os.path.join(folder, "timeline.csv"), newline="") as f:
        for row in csv.DictReader(f):
            name = row["scenario"]
            day = int(float(row["day"]))
            dates[day] = datetime.date.fromisoformat(row["date"])
            if row["site"] == "ALL" and row["metric"] == "installed_cum":
                cumulative[row["replication"]][day] = float(row["value"])
            elif row["metric"] in ("good_dies", "hbm_stacks", "packages"):
                weekly_output[(row["site"], row["metric"])][day].append(float(row["value"]))
    days = sorted(dates)
    series = {rep: [values.get(d, 0.0) for d in days] for rep, values in cumulative.items()}
    return name, [dates[d] for d in days], days, series, weekly_output


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="+", help="scsim run output folders")
    parser.add_argument("-o", "--output", default="results/installed.png", help="PNG to write")
    args = parser.parse_args()

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(11, 9), sharex=True,
                                      gridspec_kw={"height_ratios": [3, 2]})
    colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]
    target = None
    first_active = None
    for i, folder in enumerate(args.folders):
        if not os.path.exists(os.path.join(folder, "timeline.csv")):
            sys.exit(f"plot_installed: {folder}/timeline.csv not found (run `scsim run ... -o {folder}` first)")
        name, dates, days, series, weekly = load(folder)
        with open(os.path.join(folder, "summary.json")) as f:
            summary = json.load(f)
        target = int(summary.get("target_units", 0)) or target
        color = colors[i % len(colors)]
        columns = list(zip(*series.values()))
        p10 = [quantile(c, 0.1) for c in columns]
        p50 = [quantile(c, 0.5) for c in columns]
        p90 = [quantile(c, 0.9) for c in columns]
        active = next((d for d, v in zip(dates, p90) if v > 0), None)
        if active and (first_active is None or active < first_active):
            first_active = active
        top.fill_between(dates, p10, p90, color=color, alpha=0.2, linewidth=0)
        top.plot(dates, p50, color=color, linewidth=2,
                 label=f"{name}: median, p10-p90 band ({len(series)} replications)")
        # Weekly good output of each producing stage, in accelerator equivalents is not known
        # here, so plot the packaging output: it is the kit-limited stage for both paths.
        for (site, metric), by_day in sorted(weekly.items()):
            if metric != "packages":
                continue
            mean = [statistics.fmean(by_day.get(d, [0.0])) for d in days]
            bottom.plot(dates, mean, color=color, linewidth=1.2, label=f"{name}: {site} packages/week (mean)")
    if first_active:  # nothing happens for years while the chip is designed: start a year before installs
        bottom.set_xlim(left=first_active - datetime.timedelta(days=365))
    if target:
        top.axhline(target, color="black", linestyle="--", linewidth=1, label=f"target {target:,}")
    top.set_ylabel("accelerators installed (cumulative)")
    top.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v/1000:,.0f}k"))
    top.grid(True, alpha=0.3)
    top.legend(loc="upper left", fontsize=9)
    top.set_title("Installed accelerators over time")
    bottom.set_ylabel("packages per week")
    bottom.grid(True, alpha=0.3)
    bottom.legend(loc="upper left", fontsize=9)
    bottom.xaxis.set_major_locator(mdates.YearLocator())
    bottom.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    tmp = args.output + ".tmp.png"
    fig.savefig(tmp, dpi=110)
    os.replace(tmp, args.output)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
