#!/usr/bin/python3
"""Write one self-contained report page for an scsim results folder.

    scripts/report.py RESULTS_DIR [--out FILE]

Writes RESULTS_DIR/report.html (or FILE): the question, the scenarios compared, installs and milestones with
their intervals, bottlenecks, cost, paired differences (compare), sensitivity or sweep tables, and every chart
of scripts/plot.py embedded as inline SVG. No scripts, no fonts or images fetched from anywhere: open it from
disk, mail it, print it. Exit status 0 on success, 2 with a one-line message for a missing or unreadable
folder or file. Uses Debian's python3-matplotlib and python3-pandas (run with /usr/bin/python3).
"""
import argparse
import datetime
import html
import math
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pandas as pd  # noqa: E402

import plot as plotting  # noqa: E402
import scsim_results  # noqa: E402

CSS = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; margin: 2em auto; max-width: 1100px; color: #222;
       line-height: 1.45; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.25em; border-bottom: 1px solid #ccc;
       padding-bottom: 0.2em; margin-top: 1.8em; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: right; vertical-align: top; }
th { background: #f4f4f4; } td.l, th.l { text-align: left; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.4em; vertical-align: middle; }
.note { color: #666; font-size: 0.85em; } figure { margin: 1.2em 0; } figure svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.85em; }
"""

CAPTIONS = {
    "installs": "Cumulative accelerators installed: median line and p10–p90 band across replications; dashed: the "
                "target; dots: median milestone dates over all replications (a replication that never reached one counts "
                "as later; no dot when under half reached it).",
    "throughput": "Weekly good output of each stage converted to accelerator equivalents through the bill of "
                  "materials (metrics.csv): the lowest curve is where the chain narrows.",
    "wip": "Work in process (units in process) and inventory (units waiting: inputs for a full kit or a start, "
           "output held for the next shipment), per stage, in units of whatever the stage holds.",
    "utilization": "Capacity used / available per site per week; the thick line is the bottleneck of the network "
                   "analysis.",
    "stranded": "Chips delivered without a powered slot and powered slots without a chip.",
    "milestones": "When each replication reached 25/50/90/100% of the target; the count says how many reached it.",
    "differences": "Paired differences from the baseline scenario (same random numbers), mean ± 95% CI.",
    "tornado": "Installs by the horizon with each input at its low (red) and high (blue), around the baseline.",
    "sweep": "Installs by the horizon across the sweep grid.",
}


def esc(x):
    return html.escape(str(x))


def num(v, decimals=0):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    text = f"{v:,.{decimals}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text  # no "-0"


def date_of(start, day):
    if start is None or day is None or (isinstance(day, float) and math.isnan(day)):
        return "–"
    return (datetime.date.fromisoformat(start) + datetime.timedelta(days=int(day))).isoformat()


def table(headers, rows, left=1):
    out = ["<table><tr>"]
    out += [f'<th class="{"l" if i < left else ""}">{esc(h)}</th>' for i, h in enumerate(headers)]
    out.append("</tr>")
    for r in rows:
        out.append("<tr>" + "".join(f'<td class="{"l" if i < left else ""}">{c}</td>' for i, c in enumerate(r))
                   + "</tr>")
    out.append("</table>")
    return "".join(out)


def svg_inline(path, index):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"^<\?xml[^>]*>\s*", "", text)
    text = re.sub(r"<!DOCTYPE[^>]*>\s*", "", text, flags=re.S)
    # Element ids must stay unique when several SVGs share one page.
    text = re.sub(r'id="([^"]+)"', lambda m: f'id="c{index}-{m.group(1)}"', text)
    text = re.sub(r'(xlink:href|href)="#([^"]+)"', lambda m: f'{m.group(1)}="#c{index}-{m.group(2)}"', text)
    text = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#c{index}-{m.group(1)})", text)
    return text


def swatch(colour):
    return f'<span class="swatch" style="background:{colour}"></span>'


def busiest(res, scenario):
    """The sites with the highest sustained utilization (13-week mean, weekly series), e.g. 'a 99%, b 97%'."""
    u = res.series("utilization")
    if u.empty:
        return ""
    u = u[u["scenario"] == scenario]
    peaks = []
    for site, d in u.groupby("site", sort=False):
        peak = d.sort_values("date")["mean"].rolling(13, min_periods=13).mean().max()
        if not pd.isna(peak):
            peaks.append((peak, site))
    peaks.sort(reverse=True)
    return ", ".join(f"{esc(site)} {min(peak, 1.0) * 100:.0f}%" for peak, site in peaks[:2])


def sections(res):
    parts = []
    colours = scsim_results.scenario_colours(res.scenarios)
    s = res.summary
    if not s.empty:
        first = s.iloc[0]
        target = first["target_units"]
        horizon_date = date_of(first["start_date"], first["horizon_days"])
        if res.kind == "compare":
            q = (f"Which sourcing path installs more accelerators, and when? {len(s)} scenarios compared with "
                 f"{int(first['replications'])} replications each and common random numbers (seed "
                 f"{int(first['seed'])}).")
        else:
            q = f"How many accelerators are installed, and when? {int(first['replications'])} replications."
        if target and not pd.isna(target) and target > 0:
            q += f" Target: {num(target)} installed; horizon {horizon_date}."
        parts.append(f"<h2>The question</h2><p>{esc(q)}</p>")
        rows = []
        for _, r in s.iterrows():
            rows.append([swatch(colours[r["scenario"]]) + esc(r["scenario"]), esc(r["description"] or ""),
                         esc(r["start_date"]), num(r["horizon_days"]), num(r["replications"])])
        parts.append("<h2>Scenarios</h2>" + table(["scenario", "what", "start (day 0)", "horizon days",
                                                    "replications"], rows, left=2))
        rows = []
        for _, r in s.iterrows():
            ci = r["installed_units_ci95"]
            rows.append([swatch(colours[r["scenario"]]) + esc(r["scenario"]), num(r["installed_units_mean"]),
                         "±" + num(ci) if not pd.isna(ci) else "–", num(r["installed_units_p10"]),
                         num(r["installed_units_p50"]), num(r["installed_units_p90"]),
                         date_of(r["start_date"], r["first_install_day_mean"]) +
                         f' <span class="note">({int(r["first_install_day_n"])}/{int(r["replications"])})</span>'])
        parts.append(f"<h2>Installs by the horizon ({esc(horizon_date)})</h2>" +
                     table(["scenario", "mean", "95% CI", "p10", "p50", "p90", "first install (mean)"], rows))
        m = res.milestones
        if not m.empty:
            rows = []
            for _, r in m.iterrows():
                n_total = int(s.loc[s["scenario"] == r["scenario"], "replications"].iloc[0])
                reached = int(r["day_n"])
                rows.append([swatch(colours[r["scenario"]]) + esc(r["scenario"]), f"{r['fraction'] * 100:g}%",
                             num(r["units"]), esc(r["date_p10"] or "–"), esc(r["date_p50"] or "–"),
                             esc(r["date_p90"] or "–"),
                             "±" + num(r["day_ci95"]) + " d" if not pd.isna(r["day_ci95"]) else "–",
                             f"{reached}/{n_total}"])
            parts.append("<h2>Milestones</h2><p class=\"note\">Dates over the replications that reached the "
                         "milestone within the horizon; a dash means none did (nothing is invented).</p>" +
                         table(["scenario", "of target", "units", "p10 date", "p50 date", "p90 date",
                                "95% CI of mean", "reached"], rows))
        rows = []
        for _, r in s.iterrows():
            bound = r["capacity_bound_per_week"]
            util = busiest(res, r["scenario"])
            rows.append([swatch(colours[r["scenario"]]) + esc(r["scenario"]), esc(r["bottleneck"] or "none"),
                         num(bound) if not pd.isna(bound) else "unlimited",
                         date_of(r["start_date"], r["critical_path_first_unit_day"]), util or "–"])
        parts.append("<h2>Bottlenecks</h2>" + table(
            ["scenario", "bottleneck (max-flow)", "capacity bound / week", "critical path first unit",
             "busiest sites (13-week peak utilization)"], rows))
        rows = []
        for _, r in s.iterrows():
            rows.append([swatch(colours[r["scenario"]]) + esc(r["scenario"]),
                         "$" + num(r["cost_per_accelerator_usd_mean"]), "$" + num(r["cost_per_accelerator_usd_p10"]),
                         "$" + num(r["cost_per_accelerator_usd_p90"]), num(r["stranded_chip_days_mean"]),
                         num(r["stranded_capacity_days_mean"])])
        st = res.stages
        if not st.empty:
            stage_rows = []
            measured = "utilization" in st and st["utilization"].notna().any()
            for _, r in st.iterrows():
                ci = r.get("lead_time_days_ci95")
                util = r.get("utilization")
                stage_rows.append([swatch(colours[r["scenario"]]) + esc(r["scenario"]), esc(r["stage"]),
                             num(r["lead_time_days_mean"], 1), "±" + num(ci, 1) if not pd.isna(ci) else "–",
                             num(r["p90_days"], 1), num(r["time_avg_wip"], 1),
                             num(r["throughput_per_day"] * 7, 1) if not pd.isna(r["throughput_per_day"]) else "–",
                             f"{util * 100:.0f}%" if not pd.isna(util) else "–"][:8 if measured else 7])
            parts.append("<h2>Stages</h2><p class=\"note\">Lead time per lot (days; mean over replications with "
                         "the 95% CI of that mean), p90, time-average WIP in lots, lots per week (and utilization "
                         "where the stage reports it; weekly utilization is in the charts).</p>" +
                         table(["scenario", "stage", "lead days", "95% CI", "p90 days", "WIP lots", "lots/week",
                                "utilization"][:8 if measured else 7], stage_rows, left=2))
        parts.append("<h2>Cost and stranded capacity</h2><p class=\"note\">Material cost per installed "
                     "accelerator: wafers, HBM, packaging and yield losses.</p>" +
                     table(["scenario", "cost mean", "p10", "p90", "stranded chip-days", "idle slot-days"], rows))
    if not s.empty and "spend_usd_mean" in s and s["spend_usd_mean"].notna().any():
        rows = [[swatch(colours[r["scenario"]]) + esc(r["scenario"]),
                 "$" + num(r["spend_usd_mean"] / 1e6) + "M", "$" + num(r["spend_usd_p10"] / 1e6) + "M",
                 "$" + num(r["spend_usd_p90"] / 1e6) + "M", num(r["accelerator_days_mean"] / 1e6, 1) + "M",
                 "$" + num(r["usd_per_accelerator_day_mean"], 1), "$" + num(r["take_or_pay_usd_mean"] / 1e6) + "M"]
                for _, r in s.iterrows() if not pd.isna(r["spend_usd_mean"])]
        parts.append("<h2>Money</h2><p class='note'>Everything spent within the horizon, booked on the day it is "
                     "incurred (design, wafers, HBM, packaging, take-or-pay, prepayments, datacenter capex, power), "
                     "and the accelerator-days in service it bought (docs/model.md, Money).</p>" +
                     table(["scenario", "spend mean", "p10", "p90", "accelerator-days", "$ per accelerator-day",
                            "take-or-pay"], rows))
    c = res.compare
    if c is not None:
        d = c[c["diff_mean"].notna()]
        rows = []
        for _, r in d.iterrows():
            unit = r["unit"]
            dec = 0
            sign = "+" if r["diff_mean"] >= 0 else ""
            ci = "±" + num(r["diff_ci95"], dec) if not pd.isna(r["diff_ci95"]) else "–"
            label = r["metric"] + (f" {r['date']}" if isinstance(r["date"], str) and r["date"] else "")
            rows.append([esc(label), swatch(colours.get(r["scenario"], "#888")) + esc(r["scenario"]),
                         f"{sign}{num(r['diff_mean'], dec)}", ci, esc(unit), f"{int(r['pairs'])}"])
        base = res.scenarios[0] if res.scenarios else ""
        parts.append(f"<h2>Paired differences from {esc(base)}</h2><p class=\"note\">Each scenario minus the "
                     "baseline, replication by replication (common random numbers), with the 95% CI of the mean "
                     "difference; pairs = replications where both have a value.</p>" +
                     table(["metric", "scenario", "difference", "95% CI", "unit", "pairs"], rows, left=2))
    if res.sensitivity is not None:
        t = res.sensitivity
        base = t[t["rank"] == 0]
        rows = [[esc(r["input"]), f"{r['low']:g} → {r['high']:g}", num(r["installed_low"]),
                 num(r["installed_high"]), num(r["installed_swing"]),
                 "±" + num(r["installed_swing_ci95"]) if not pd.isna(r["installed_swing_ci95"]) else "–"]
                for _, r in t[t["rank"] > 0].sort_values("rank").head(20).iterrows()]
        parts.append("<h2>The question</h2><p>Which input moves installs the most?</p>")
        parts.append("<h2>Sensitivity</h2><p>Baseline: " +
                     (num(base["installed_low"].iloc[0]) if not base.empty else "–") +
                     " installed by the horizon (mean).</p>" +
                     table(["input (a --set path)", "low → high", "at low", "at high", "swing", "95% CI"], rows))
    if res.sweep is not None:
        t = res.sweep
        axes = list(t.columns[:list(t.columns).index("replications")])
        rows = [[esc(r[a]) for a in axes] + [num(r["installed_mean"]), num(r["installed_p10"]),
                                             num(r["installed_p90"]), esc(r["bottleneck"])]
                for _, r in t.iterrows()]
        parts.append("<h2>The question</h2><p>How do installs change across the grid?</p>")
        parts.append("<h2>Sweep</h2>" + table(axes + ["installed mean", "p10", "p90", "bottleneck"], rows,
                                              left=len(axes)))
    return parts


def report(folder, out=None):
    res = scsim_results.load(folder)
    out = out or os.path.join(folder, "report.html")
    title = {"compare": "Scenario comparison", "run": "Run", "sweep": "Sweep", "sensitivity": "Sensitivity",
             "collection": "Runs"}[res.kind]
    names = ", ".join(res.scenarios) if res.scenarios else os.path.basename(os.path.abspath(folder))
    body = [f"<h1>scsim: {esc(title)} — {esc(names)}</h1>",
            f'<p class="note">From {esc(os.path.abspath(folder))}. Written by scripts/report.py.</p>']
    body += sections(res)
    with tempfile.TemporaryDirectory() as tmp:
        written, skipped, failed = plotting.plot(folder, tmp, ("svg",), res=res)
        if written:
            body.append("<h2>Charts</h2>")
        for i, path in enumerate(written):
            name = os.path.splitext(os.path.basename(path))[0]
            body.append(f'<figure id="{esc(name)}">{svg_inline(path, i)}'
                        f"<figcaption>{esc(CAPTIONS.get(name, name))}</figcaption></figure>")
        if skipped:
            body.append('<p class="note">Not drawn: ' + esc("; ".join(skipped)) + "</p>")
    page = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>scsim {esc(title)}: {esc(names)}</title><style>{CSS}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")
    # Whole or not at all: a failed or interrupted write leaves the previous report.
    tmp_out = out + f".tmp-{os.getpid()}"
    try:
        with open(tmp_out, "w", encoding="utf-8") as f:
            f.write(page)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp_out, out)
    finally:
        if os.path.exists(tmp_out):
            os.remove(tmp_out)
    return out, failed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 2)[2])
    parser.add_argument("results", metavar="RESULTS_DIR", help="a folder written by scsim run/compare/sweep/sensitivity")
    parser.add_argument("--out", metavar="FILE", help="the page to write (default RESULTS_DIR/report.html)")
    args = parser.parse_args(argv)
    try:
        out, failed = report(args.results, args.out)
    except scsim_results.ResultsError as error:
        print(f"report.py: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"report.py: cannot write the report: {error}", file=sys.stderr)
        return 1
    for note in failed:
        print(f"report.py: could not draw {note}", file=sys.stderr)
    print(f"wrote {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("report.py: interrupted", file=sys.stderr)
        sys.exit(130)
