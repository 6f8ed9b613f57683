#!/usr/bin/python3
"""Draw the charts of an scsim results folder.

    scripts/plot.py RESULTS_DIR [--out DIR] [--format png,svg]

RESULTS_DIR is what `scsim run`, `compare`, `sweep` or `sensitivity` wrote (or a folder of run folders).
Charts go to DIR (default RESULTS_DIR/plots), one file per chart and format:

  installs         cumulative installs over time, p10-p90 fan and median per scenario, target, milestones
  throughput       weekly output per stage in accelerator equivalents (where the chain narrows)
  wip              work in process and units waiting (inventory) per stage
  utilization      capacity used / available per site over time, the bottleneck marked (when measured)
  stranded         stranded chips and idle powered slots: weekly levels when measured, totals per scenario
  milestones       distribution of milestone dates across replications
  differences      paired differences from the baseline with 95% CIs (compare)
  tornado          installs at each input's low and high around the baseline (sensitivity)
  sweep            installs across the grid: lines (one axis) or a heat map (two axes) (sweep)

Charts without data in the folder are skipped with a note. Every scenario keeps one colour across charts.
Exit status 0 on success, 2 with a one-line message for a missing or unreadable folder or file.
Uses Debian's python3-matplotlib and python3-pandas (run with /usr/bin/python3).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import scsim_results  # noqa: E402

# Output metric of each kind of stage, in the order the chain runs.
OUTPUT_METRICS = ("good_dies", "hbm_stacks", "substrates", "packages", "output", "installed")
FORMATS = ("png", "svg", "pdf")


def _style():
    plt.rcParams.update({"figure.dpi": 100, "savefig.dpi": 120, "axes.grid": True, "grid.alpha": 0.3,
                         "axes.spines.top": False, "axes.spines.right": False, "font.size": 9,
                         "svg.fonttype": "none"})


def _date_axis(ax):
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _thousands(ax, axis="y"):
    fmt = matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}" if abs(v) >= 10 or v == 0 else f"{v:,.2g}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


class Plotter:
    def __init__(self, res, out, formats):
        self.res, self.out, self.formats = res, out, formats
        self.written, self.skipped, self.failed = [], [], []
        self.colours = scsim_results.scenario_colours(res.scenarios)

    def save(self, fig, name):
        os.makedirs(self.out, exist_ok=True)
        for f in self.formats:
            path = os.path.join(self.out, f"{name}.{f}")
            fig.savefig(path, format=f, bbox_inches="tight")
            self.written.append(path)
        plt.close(fig)

    def skip(self, name, why):
        if not why.startswith("not a "):  # charts of other kinds of folders are not news
            self.skipped.append(f"{name}: {why}")

    # ---- charts
    def installs(self):
        res = self.res
        t = res.series("installed_cum", "ALL")
        if t.empty:
            return self.skip("installs", "no installed_cum series (no timeline in the folder?)")
        fig, ax = plt.subplots(figsize=(9, 5))
        for name in res.scenarios:
            d = t[t["scenario"] == name].sort_values("date")
            if d.empty:
                continue
            c = self.colours[name]
            ax.fill_between(d["date"], d["p10"], d["p90"], color=c, alpha=0.2, linewidth=0)
            ax.plot(d["date"], d["p50"], color=c, label=f"{name} (median, p10-p90 band)")
        targets = res.summary["target_units"].dropna().unique() if not res.summary.empty else []
        for target in targets:
            if target and target > 0:
                ax.axhline(target, color="black", linestyle="--", linewidth=1)
                ax.annotate(f"target {target:,.0f}", (0.99, target), xycoords=("axes fraction", "data"),
                            va="bottom", ha="right", fontsize=8)
        # Milestone dots: the median day over all replications, a replication that never reached the milestone
        # counting as later than any that did; none when fewer than half reached it.
        r, s = res.replications, res.summary
        if not r.empty and not s.empty:
            for _, srow in s.iterrows():
                name = srow["scenario"]
                d = r[r["scenario"].astype(str) == name]
                for frac in (25, 50, 90, 100):
                    col = f"milestone_{frac}_day"
                    if col not in d or d.empty:
                        continue
                    days = np.sort(np.where(d[col].isna(), np.inf, d[col].astype(float)))
                    lo, hi = days[(len(days) - 1) // 2], days[len(days) // 2]
                    if not (np.isfinite(lo) and np.isfinite(hi)) or pd.isna(srow["target_units"]):
                        continue  # the median would involve a replication that never got there
                    median = (lo + hi) / 2  # np.quantile would multiply inf by 0 at an exact middle
                    date = pd.Timestamp(srow["start_date"]) + pd.Timedelta(days=float(median))
                    ax.plot(date, srow["target_units"] * frac / 100, marker="o", color=self.colours[name],
                            markersize=5, markeredgecolor="black", markeredgewidth=0.5, linestyle="none")
        ax.set_title("Accelerators installed (cumulative); dots: median date of 25/50/90/100% of the target "
                     "over all replications (none if under half reached it)", fontsize=9)
        ax.set_ylabel("accelerators installed")
        _date_axis(ax)
        _thousands(ax)
        ax.legend(loc="upper left")
        self.save(fig, "installs")

    def _per_scenario_axes(self, n_rows=1, height=3.6):
        names = self.res.scenarios
        fig, axes = plt.subplots(len(names), n_rows, figsize=(10 if n_rows == 1 else 12, height * len(names)),
                                 squeeze=False, sharex=True)
        return fig, axes, names

    def throughput(self):
        res = self.res
        t = res.timeline
        if t.empty or res.metrics.empty:
            return self.skip("throughput", "needs timeline.csv and metrics.csv")
        fig, axes, names = self._per_scenario_axes()
        drawn = False
        for i, name in enumerate(names):
            ax = axes[i][0]
            d = t[(t["scenario"] == name) & (t["metric"].isin(OUTPUT_METRICS))]
            sites = list(dict.fromkeys(d["site"]))
            means = []
            for site in sites:
                for metric in OUTPUT_METRICS:
                    s = d[(d["site"] == site) & (d["metric"] == metric)].sort_values("date")
                    factor = res.factor(name, site, metric)
                    if s.empty or factor is None:
                        continue
                    # 4-week rolling mean: weekly batches make raw lines unreadable.
                    y = (s["mean"] * factor).rolling(4, min_periods=1).mean()
                    ax.plot(s["date"], y, label=f"{site} ({metric})")
                    means.append((site, float(y.quantile(0.9))))
                    drawn = True
            if means:
                narrow = min(means, key=lambda x: x[1] if x[1] > 0 else float("inf"))
                ax.set_title(f"{name}: weekly output per stage, accelerator equivalents (4-week mean); "
                             f"lowest sustained peak: {narrow[0]}", color=self.colours[name])
            ax.set_ylabel("accelerator equivalents / week")
            _thousands(ax)
            _date_axis(ax)
            ax.legend(loc="upper left", fontsize=7)
        if not drawn:
            plt.close(fig)
            return self.skip("throughput", "no stage output series with an accelerator equivalent")
        self.save(fig, "throughput")

    def wip(self):
        res = self.res
        t = res.timeline
        if t.empty or not t["metric"].isin(["wip", "inventory"]).any():
            return self.skip("wip", "no wip or inventory series")
        fig, axes, names = self._per_scenario_axes(2)
        for i, name in enumerate(names):
            for j, metric in enumerate(("wip", "inventory")):
                ax = axes[i][j]
                d = t[(t["scenario"] == name) & (t["metric"] == metric)]
                for site in dict.fromkeys(d["site"]):
                    s = d[d["site"] == site].sort_values("date")
                    ax.plot(s["date"], s["mean"], label=site)
                unit = "units in process" if metric == "wip" else "units waiting (inputs, output to ship)"
                ax.set_title(f"{name}: {metric} per stage (mean across replications)", color=self.colours[name])
                ax.set_ylabel(unit)
                _thousands(ax)
                _date_axis(ax)
                if not d.empty:
                    ax.legend(loc="upper left", fontsize=7)
        self.save(fig, "wip")

    def utilization(self):
        res = self.res
        t = res.series("utilization")
        if t.empty:
            return self.skip("utilization", "no utilization series in this folder (the engine records it for "
                                            "capacity-limited sites)")
        fig, axes, names = self._per_scenario_axes()
        for i, name in enumerate(names):
            ax = axes[i][0]
            d = t[t["scenario"] == name]
            bottleneck = ""
            if not res.summary.empty:
                b = res.summary.loc[res.summary["scenario"] == name, "bottleneck"]
                bottleneck = str(b.iloc[0]) if not b.empty and isinstance(b.iloc[0], str) else ""
            for site in dict.fromkeys(d["site"]):
                s = d[d["site"] == site].sort_values("date")
                is_b = site == bottleneck
                ax.plot(s["date"], s["mean"] * 100, linewidth=2.5 if is_b else 1,
                        label=f"{site} (bottleneck)" if is_b else site, zorder=3 if is_b else 2)
            ax.set_ylim(0, 105)
            ax.set_ylabel("utilization, % of capacity")
            ax.set_title(f"{name}: capacity used / available per site (mean across replications)",
                         color=self.colours[name])
            _date_axis(ax)
            ax.legend(loc="upper left", fontsize=7)
        self.save(fig, "utilization")

    def stranded(self):
        res = self.res
        s = res.summary
        levels = res.timeline[res.timeline["metric"].isin(["stranded_chips", "idle_slots"])] \
            if not res.timeline.empty else pd.DataFrame()
        if s.empty:
            return self.skip("stranded", "no summary")
        ncols = 3 if not levels.empty else 2
        fig, axes = plt.subplots(1, ncols, figsize=(5 * ncols, 4), squeeze=False, layout="constrained")
        names = list(s["scenario"])
        x = np.arange(len(names))
        # Two panels: chip-days and slot-days differ by orders of magnitude.
        for k, (col, title) in enumerate((("stranded_chip_days", "Chips delivered without a powered slot"),
                                          ("stranded_capacity_days", "Powered slots without a chip"))):
            ax = axes[0][k]
            mean = s[f"{col}_mean"].astype(float).values
            lo = np.clip(np.nan_to_num(mean - s[f"{col}_p10"].astype(float).values), 0, None)
            hi = np.clip(np.nan_to_num(s[f"{col}_p90"].astype(float).values - mean), 0, None)
            ax.bar(x, np.nan_to_num(mean), 0.6, yerr=[lo, hi], color=[self.colours[n] for n in names],
                   edgecolor="black", linewidth=0.5, capsize=3)
            ax.set_xticks(x)
            ax.set_xticklabels(names, rotation=15)
            ax.set_ylabel(("chip" if k == 0 else "slot") + "-days over the run (mean; whiskers p10-p90)")
            ax.set_title(title)
            _thousands(ax)
        if not levels.empty:
            ax2 = axes[0][2]
            for name in res.scenarios:
                for metric, style in (("stranded_chips", "-"), ("idle_slots", "--")):
                    d = levels[(levels["scenario"] == name) & (levels["metric"] == metric)]
                    d = d.groupby("date", as_index=False)["mean"].sum()
                    if not d.empty:
                        ax2.plot(d["date"], d["mean"], style, color=self.colours[name], label=f"{name} {metric}")
            ax2.set_title("Weekly levels: stranded chips (solid), idle powered slots (dashed)")
            ax2.set_ylabel("accelerators / slots (time average)")
            _date_axis(ax2)
            _thousands(ax2)
            ax2.legend(fontsize=7)
        self.save(fig, "stranded")

    def milestones(self):
        r = self.res.replications
        cols = [c for c in ("milestone_25_date", "milestone_50_date", "milestone_90_date", "milestone_100_date")
                if c in r.columns] if not r.empty else []
        if not cols or r[cols].isna().all().all():
            return self.skip("milestones", "no replication reached a milestone (or no replications.csv)")
        fig, axes = plt.subplots(1, len(cols), figsize=(3.6 * len(cols), 4.2), squeeze=False, sharey=True)
        names = self.res.scenarios
        for k, col in enumerate(cols):
            ax = axes[0][k]
            label = col.split("_")[1]
            for i, name in enumerate(names):
                d = r[(r["scenario"].astype(str) == name)]
                dates = scsim_results.to_dates(d[col].dropna(), f"{self.res.folder}: replications.csv")
                total = len(d)
                if len(dates):
                    jitter = np.random.default_rng(i).uniform(-0.15, 0.15, len(dates))
                    ax.scatter(dates, i + jitter, s=8, color=self.colours[name], alpha=0.5)
                    ax.plot([dates.quantile(0.1), dates.quantile(0.9)], [i, i], color="black", linewidth=1)
                    ax.plot(dates.median(), i, marker="|", color="black", markersize=14)
                ax.annotate(f"{len(dates)}/{total} reached", (1.0, i + 0.3), xycoords=("axes fraction", "data"),
                            ha="right", fontsize=7)
            ax.set_yticks(range(len(names)))
            ax.set_yticklabels(names)
            ax.set_ylim(-0.6, len(names) - 0.4)
            ax.set_title(f"{label}% of target: date reached")
            _date_axis(ax)
        fig.suptitle("Milestone dates across replications (dots; line p10-p90, tick median)")
        self.save(fig, "milestones")

    def differences(self):
        c = self.res.compare
        if c is None:
            return self.skip("differences", "not a compare folder")
        d = c[c["diff_mean"].notna()].copy()
        if d.empty:
            return self.skip("differences", "no paired differences")
        d["label"] = d["metric"] + d["date"].fillna("").map(lambda x: f" {x}" if x else "")
        units = list(dict.fromkeys(d["unit"]))
        rows = [d[d["unit"] == u]["label"].nunique() for u in units]
        fig, axes = plt.subplots(len(units), 1, figsize=(9, sum(0.5 * r + 1.1 for r in rows)), squeeze=False,
                                 gridspec_kw={"height_ratios": [0.5 * r + 0.6 for r in rows]}, layout="constrained")
        base = self.res.scenarios[0] if self.res.scenarios else ""
        for k, unit in enumerate(units):
            ax = axes[k][0]
            du = d[d["unit"] == unit]
            labels = list(dict.fromkeys(du["label"]))
            scen = list(dict.fromkeys(du["scenario"]))
            for j, name in enumerate(scen):
                ds = du[du["scenario"] == name].set_index("label").reindex(labels)
                y = np.arange(len(labels)) + (j - (len(scen) - 1) / 2) * 0.25
                ax.errorbar(ds["diff_mean"], y, xerr=ds["diff_ci95"].fillna(0), fmt="o",
                            color=self.colours.get(name, "grey"), capsize=3, label=f"{name} − {base}")
            ax.axvline(0, color="black", linewidth=0.8)
            ax.set_ylim(-0.6, len(labels) - 0.4)
            ax.set_yticks(range(len(labels)))
            ax.set_yticklabels(labels)
            ax.set_xlabel(f"paired difference, {unit} (mean ± 95% CI)")
            _thousands(ax, "x")
            ax.legend(fontsize=7)
        axes[0][0].set_title(f"Paired differences from {base} (common random numbers)")
        self.save(fig, "differences")

    def tornado(self):
        s = self.res.sensitivity
        if s is None:
            return self.skip("tornado", "not a sensitivity folder")
        base_rows = s[s["rank"] == 0]
        rows = s[s["rank"] > 0].sort_values("rank").head(15)
        if rows.empty:
            return self.skip("tornado", "no inputs in sensitivity.csv")
        base = float(base_rows["installed_low"].iloc[0]) if not base_rows.empty else float("nan")
        fig, ax = plt.subplots(figsize=(10, 0.45 * len(rows) + 1.5))
        y = np.arange(len(rows))[::-1]
        for yi, (_, r) in zip(y, rows.iterrows()):
            # Side by side: both ends can move installs the same way.
            ax.barh(yi + 0.2, r["installed_low"] - base, 0.4, left=base, color="#d62728", alpha=0.8)
            ax.barh(yi - 0.2, r["installed_high"] - base, 0.4, left=base, color="#1f77b4", alpha=0.8)
        ax.set_yticks(y)
        ax.set_yticklabels([f"{r['input']} ({r['low']:g} → {r['high']:g})" for _, r in rows.iterrows()], fontsize=7)
        if not np.isnan(base):
            ax.axvline(base, color="black", linewidth=1)
        ax.set_xlabel("accelerators installed by the horizon (mean)")
        ax.set_title(f"Sensitivity: installs at each input's low (red) and high (blue); baseline {base:,.0f}")
        _thousands(ax, "x")
        self.save(fig, "tornado")

    def sweep(self):
        s = self.res.sweep
        if s is None:
            return self.skip("sweep", "not a sweep folder")
        axes_cols = list(s.columns[:list(s.columns).index("replications")])
        fig, ax = plt.subplots(figsize=(8, 5))
        if len(axes_cols) == 1:
            a = axes_cols[0]
            d = s.sort_values(a)
            x = d[a]
            numeric = pd.api.types.is_numeric_dtype(x)
            xs = x if numeric else np.arange(len(x))
            ax.fill_between(xs, d["installed_p10"], d["installed_p90"], alpha=0.2, color="#1f77b4")
            ax.plot(xs, d["installed_mean"], marker="o", color="#1f77b4", label="mean (band p10-p90)")
            for xi, yi, b in zip(xs, d["installed_mean"], d["bottleneck"]):
                ax.annotate(str(b), (xi, yi), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=7)
            if not numeric:
                ax.set_xticks(xs)
                ax.set_xticklabels(x, rotation=15)
            ax.set_xlabel(a)
            ax.set_ylabel("accelerators installed by the horizon")
            ax.legend()
            _thousands(ax)
        else:
            a, b = axes_cols[0], axes_cols[1]
            grid = s.pivot_table(index=b, columns=a, values="installed_mean", aggfunc="mean")
            im = ax.imshow(grid.values, cmap="viridis", aspect="auto", origin="lower")
            ax.grid(False)
            ax.set_xticks(range(len(grid.columns)))
            ax.set_xticklabels(grid.columns, rotation=15)
            ax.set_yticks(range(len(grid.index)))
            ax.set_yticklabels(grid.index)
            ax.set_xlabel(a)
            ax.set_ylabel(b)
            for i in range(grid.shape[0]):
                for j in range(grid.shape[1]):
                    v = grid.values[i, j]
                    if not np.isnan(v):
                        ax.text(j, i, f"{v:,.0f}", ha="center", va="center", color="white", fontsize=8)
            bar = fig.colorbar(im, ax=ax, label="accelerators installed by the horizon (mean)")
            bar.ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
            if len(axes_cols) > 2:
                ax.annotate(f"averaged over {', '.join(axes_cols[2:])}", (0, -0.15), xycoords="axes fraction",
                            fontsize=7)
        ax.set_title("Sweep: installs by the horizon across the grid")
        self.save(fig, "sweep")

    def all(self):
        for chart in (self.installs, self.throughput, self.wip, self.utilization, self.stranded, self.milestones,
                      self.differences, self.tornado, self.sweep):
            if chart.__name__ in ("installs", "throughput", "wip", "utilization", "stranded", "milestones") \
                    and not self.res.runs:
                continue
            try:
                chart()
            except Exception as error:  # one broken chart must not cost the others
                plt.close("all")
                self.failed.append(f"{chart.__name__}: {type(error).__name__}: {error}")


def plot(folder, out=None, formats=("png",), res=None):
    """Draws every chart the folder supports; returns (written paths, skipped notes, failures)."""
    res = res or scsim_results.load(folder)
    _style()
    p = Plotter(res, out or os.path.join(folder, "plots"), formats)
    p.all()
    return p.written, p.skipped, p.failed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 2)[2])
    parser.add_argument("results", metavar="RESULTS_DIR", help="a folder written by scsim run/compare/sweep/sensitivity")
    parser.add_argument("--out", metavar="DIR", help="where the charts go (default RESULTS_DIR/plots)")
    parser.add_argument("--format", default="png", metavar="png,svg",
                        help="comma-separated file formats: png, svg, pdf (default png)")
    args = parser.parse_args(argv)
    formats = [f.strip().lower() for f in args.format.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        parser.error(f"--format: unknown format {', '.join(bad) or '(none)'}; use png, svg or pdf")
    try:
        written, skipped, failed = plot(args.results, args.out, formats)
    except scsim_results.ResultsError as error:
        print(f"plot.py: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"plot.py: cannot write the charts: {error}", file=sys.stderr)
        return 1
    for note in skipped:
        print(f"skipped {note}")
    for note in failed:
        print(f"plot.py: could not draw {note}", file=sys.stderr)
    if not written:
        print(f"plot.py: {args.results}: nothing to plot", file=sys.stderr)
        return 2
    print(f"wrote {len(written)} files to {os.path.dirname(written[0])}/")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("plot.py: interrupted", file=sys.stderr)
        sys.exit(130)
