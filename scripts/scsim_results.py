#!/usr/bin/python3
"""Load an scsim results folder into pandas DataFrames.

    import sys; sys.path.insert(0, "scripts")
    import scsim_results
    res = scsim_results.load("results/demo")
    res.kind            # "run", "compare", "sweep", "sensitivity" or "collection"
    res.scenarios       # scenario names, in the order the folder gives them (baseline first)
    res.summary         # one row per scenario: the scalars of summary.json (NaN where nothing was measured)
    res.milestones      # one row per scenario and milestone: fraction, units, n, reached_share, day and date stats
    res.stages          # one row per scenario and stage: lead time, WIP (lots), throughput, utilization, with CIs
    res.replications    # one row per scenario and replication (replications.csv)
    res.timeline        # weekly bands: scenario, day, date, site, metric, mean, p10, p50, p90, n
    res.metrics         # the data dictionary (metrics.csv) with a scenario column
    res.compare         # compare.csv (compare folders), else None
    res.sweep, res.sensitivity   # sweep.csv / sensitivity.csv, else None
    res.raw_summaries   # {scenario: the parsed summary.json}

With `--timeline full` the per-replication rows (timeline.csv.gz) are in `res.timeline_full` and `res.timeline`
holds bands computed from them. Every table is empty (not None) when the folder has no such data, except
compare/sweep/sensitivity. Errors are raised as ResultsError with a message meant for people.

Uses Debian's python3-pandas (run with /usr/bin/python3).
"""
import json
import os
import re

import pandas as pd

__all__ = ["ResultsError", "Results", "load", "scenario_colours"]

MARKERS = ("summary.json", "compare.csv", "sweep.csv", "sensitivity.csv")
BANDS_COLUMNS = ["scenario", "day", "date", "site", "metric", "mean", "p10", "p50", "p90", "n"]
FULL_COLUMNS = ["scenario", "replication", "day", "date", "site", "metric", "value"]


class ResultsError(Exception):
    """A results folder or file that cannot be read; str() says which and why."""


def _read_csv(path, required=None, **kwargs):
    try:
        frame = pd.read_csv(path, **kwargs)
    except FileNotFoundError:
        raise ResultsError(f"{path}: no such file")
    except pd.errors.EmptyDataError:
        raise ResultsError(f"{path}: empty file (an interrupted or failed run?)")
    except (pd.errors.ParserError, UnicodeDecodeError, OSError, EOFError, ValueError) as error:
        raise ResultsError(f"{path}: not a readable CSV file ({str(error).splitlines()[0]})")
    if required:
        missing = [c for c in required if c not in frame.columns]
        if missing:
            raise ResultsError(f"{path}: missing column(s) {', '.join(missing)}; is it an scsim output "
                               f"of this version?")
    return frame


def to_dates(values, where):
    """ISO dates to pandas timestamps; a ResultsError when they fall outside the years pandas can hold."""
    try:
        return pd.to_datetime(values)
    except pd.errors.OutOfBoundsDatetime:
        # Five-digit years sort after four-digit ones.
        present = sorted((str(v) for v in pd.Series(values).dropna().unique()), key=lambda d: (len(d), d))
        raise ResultsError(f"{where}: dates from {present[0]} to {present[-1]} fall outside the years 1678-2261 "
                           f"that the charts can draw; is start_date or horizon_days a typo?")


def _read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        raise ResultsError(f"{path}: no such file")
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ResultsError(f"{path}: not valid JSON ({error})")


def _stat(stat, prefix):
    """Flatten a Stat ({mean,p10,p50,p90,ci95,n} with nulls) into prefixed columns."""
    stat = stat or {}
    out = {f"{prefix}_{k}": (stat.get(k) if stat.get(k) is not None else float("nan"))
           for k in ("mean", "p10", "p50", "p90", "ci95")}
    out[f"{prefix}_n"] = stat.get("n", 0) or 0
    return out


def _nan(value):
    return float("nan") if value is None else value


def bands_from_full(full):
    """Weekly bands (mean, type-7 p10/p50/p90, n) from per-replication timeline rows."""
    if full.empty:
        return pd.DataFrame(columns=BANDS_COLUMNS)
    grouped = full.groupby(["scenario", "day", "date", "site", "metric"], sort=False)["value"]
    bands = grouped.agg(mean="mean", n="count").reset_index()
    for q, name in ((0.1, "p10"), (0.5, "p50"), (0.9, "p90")):
        bands[name] = grouped.quantile(q).values
    return bands[BANDS_COLUMNS]


class Run:
    """One scenario's folder (the outputs of `scsim run`)."""

    def __init__(self, folder):
        self.folder = folder
        self.summary = _read_json(os.path.join(folder, "summary.json"))
        if not isinstance(self.summary, dict) or "scenario" not in self.summary:
            raise ResultsError(f"{folder}/summary.json: not an scsim summary (no 'scenario' field)")
        self.name = self.summary["scenario"]
        self.description = ""
        resolved = os.path.join(folder, "resolved.textproto")
        if os.path.exists(resolved):
            with open(resolved, encoding="utf-8", errors="replace") as f:
                for line in f:
                    if line.startswith("description:"):
                        self.description = line.split(":", 1)[1].strip().strip('"')
                        break

    def table(self, name, required=None):
        path = os.path.join(self.folder, name)
        if not os.path.exists(path):
            return None
        return _read_csv(path, required=required)


class Results:
    def __init__(self, folder):
        self.folder = folder
        self.runs = {}
        self.compare = self.sweep = self.sensitivity = None
        self.kind = None
        self._find()
        self._tables()

    # ---- discovery
    def _find(self):
        folder = self.folder
        if not os.path.isdir(folder):
            raise ResultsError(f"{folder}: no such folder")
        has = {m: os.path.exists(os.path.join(folder, m)) for m in MARKERS}
        if has["compare.csv"]:
            self.kind = "compare"
            self.compare = _read_csv(os.path.join(folder, "compare.csv"),
                                     required=["metric", "scenario", "mean", "diff_mean", "n"])
            for col in ("replications", "n", "pairs"):  # counts stay integers; the baseline's pairs is <NA>
                if col in self.compare:
                    self.compare[col] = self.compare[col].astype("Int64")
            order = list(dict.fromkeys(self.compare["scenario"].astype(str)))
            for name in order:
                sub = os.path.join(folder, name)
                if os.path.exists(os.path.join(sub, "summary.json")):
                    self._add(sub)
        elif has["summary.json"]:
            self.kind = "run"
            self._add(folder)
        elif has["sweep.csv"]:
            self.kind = "sweep"
            self.sweep = _read_csv(os.path.join(folder, "sweep.csv"), required=["installed_mean", "bottleneck"])
        elif has["sensitivity.csv"]:
            self.kind = "sensitivity"
            self.sensitivity = _read_csv(os.path.join(folder, "sensitivity.csv"),
                                         required=["rank", "input", "installed_low", "installed_high"])
        else:
            # Temporary or set-aside folders of a run in progress or killed (NAME.tmp-PID, NAME.old-PID) are not
            # results.
            subs = sorted(d for d in os.listdir(folder)
                          if os.path.exists(os.path.join(folder, d, "summary.json"))
                          and not re.search(r"\.(tmp|old)-[0-9]+$", d))
            if not subs:
                raise ResultsError(f"{folder}: holds no scsim results (expected summary.json, compare.csv, "
                                   f"sweep.csv or sensitivity.csv, or folders with summary.json)")
            self.kind = "collection"
            for d in subs:
                self._add(os.path.join(folder, d))

    def _add(self, sub):
        run = Run(sub)
        self.runs[run.name] = run

    @property
    def scenarios(self):
        return list(self.runs)

    # ---- tables
    def _tables(self):
        summary_rows, milestone_rows, stage_rows = [], [], []
        replications, bands, full, metrics = [], [], [], []
        for name, run in self.runs.items():
            s = run.summary
            row = {"scenario": name, "description": run.description}
            for key in ("replications", "seed", "horizon_days", "start_date", "target_units",
                        "capacity_bound_per_week", "bottleneck", "critical_path_first_unit_day", "events"):
                row[key] = _nan(s.get(key))
            for key in ("installed_units", "first_install_day", "stranded_chip_days", "stranded_capacity_days",
                        "cost_per_accelerator_usd", "spend_usd", "accelerator_days", "usd_per_accelerator_day",
                        "usd_per_installed_accelerator", "take_or_pay_usd", "inventory_usd"):
                row.update(_stat(s.get(key), key))
            summary_rows.append(row)
            target = s.get("target_units") or 0
            for m in s.get("milestones") or []:
                mrow = {"scenario": name, "fraction": m.get("fraction"),
                        "units": (m.get("fraction") or 0) * target, "reached_share": _nan(m.get("reached_share"))}
                mrow.update(_stat(m.get("day"), "day"))
                for k in ("date_p10", "date_p50", "date_p90", "date_mean"):
                    mrow[k] = m.get(k)
                milestone_rows.append(mrow)
            for st in s.get("stages") or []:
                srow = {"scenario": name, "stage": st.get("stage"), "replications": _nan(st.get("replications"))}
                for k in ("mean_days", "p50_days", "p90_days", "time_avg_wip", "throughput_per_day", "utilization",
                          "cost_per_unit_usd"):
                    srow[k] = _nan(st.get(k))
                for k in ("lead_time_days", "wip_lots", "throughput_lots_per_day", "utilization_stat",
                          "cost_per_unit_usd_stat"):
                    srow.update(_stat(st.get(k), k))
                stage_rows.append(srow)
            r = run.table("replications.csv", required=["scenario", "replication", "installed_units"])
            if r is not None:
                replications.append(r)
            m = run.table("metrics.csv", required=["site", "metric", "unit", "kind", "accelerator_equivalent"])
            if m is not None:
                m.insert(0, "scenario", name)
                metrics.append(m)
            t = run.table("timeline.csv")
            if t is not None:
                if list(t.columns) == FULL_COLUMNS:  # an older full timeline
                    full.append(t)
                elif set(BANDS_COLUMNS) <= set(t.columns):
                    bands.append(t)
                else:
                    raise ResultsError(f"{run.folder}/timeline.csv: unexpected columns {', '.join(t.columns)}")
            gz = os.path.join(run.folder, "timeline.csv.gz")
            if os.path.exists(gz):
                full.append(_read_csv(gz, required=FULL_COLUMNS, compression="gzip"))
        self.summary = pd.DataFrame(summary_rows)
        self.milestones = pd.DataFrame(milestone_rows)
        self.stages = pd.DataFrame(stage_rows)
        self.replications = pd.concat(replications, ignore_index=True) if replications else pd.DataFrame()
        self.metrics = pd.concat(metrics, ignore_index=True) if metrics else pd.DataFrame()
        self.timeline_full = pd.concat(full, ignore_index=True) if full else None
        if self.timeline_full is not None:
            self.timeline_full["date"] = to_dates(self.timeline_full["date"], f"{self.folder}: timeline.csv.gz")
            bands.append(bands_from_full(self.timeline_full))
        self.timeline = pd.concat(bands, ignore_index=True) if bands else pd.DataFrame(columns=BANDS_COLUMNS)
        if not self.timeline.empty:
            self.timeline["date"] = to_dates(self.timeline["date"], f"{self.folder}: timeline.csv")
            self.timeline["scenario"] = self.timeline["scenario"].astype(str)
        self.raw_summaries = {name: run.summary for name, run in self.runs.items()}

    def series(self, metric, site=None):
        """Timeline bands of one metric (optionally one site)."""
        t = self.timeline
        if t.empty:
            return t
        t = t[t["metric"] == metric]
        return t if site is None else t[t["site"] == site]

    def factor(self, scenario, site, metric):
        """Accelerator equivalents of one unit of (site, metric), or None."""
        m = self.metrics
        if m.empty:
            return None
        row = m[(m["scenario"] == scenario) & (m["site"] == site) & (m["metric"] == metric)]
        if row.empty or pd.isna(row["accelerator_equivalent"].iloc[0]):
            return None
        return float(row["accelerator_equivalent"].iloc[0])


def load(folder):
    """Results of the scsim results folder `folder` (run, compare, sweep, sensitivity, or a folder of runs)."""
    return Results(os.path.normpath(folder))


def scenario_colours(names):
    """One colour per scenario, the same in every chart: tab10 in the given order."""
    palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
               "#bcbd22", "#17becf"]
    return {name: palette[i % len(palette)] for i, name in enumerate(names)}
