#!/usr/bin/python3
"""scripts/scsim_results.py, plot.py and report.py on real scsim outputs, with the engine's utilization and
datacenter series (stranded_chips, idle_slots, power_mw) and without them (as an older engine wrote).

    test_scripts.py SCSIM CONFIG_DIR SCRIPTS_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

SCSIM, CONFIGS, SCRIPTS = sys.argv[1:4]
sys.path.insert(0, SCRIPTS)
import pandas as pd  # noqa: E402

import plot  # noqa: E402
import scsim_results  # noqa: E402

WORK = tempfile.mkdtemp()


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def scsim(*args):
    done = subprocess.run([SCSIM, *args, "-q"], capture_output=True, text=True)
    if done.returncode != 0:
        raise AssertionError(f"scsim {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def setUpModule():
    config = os.path.join(CONFIGS, "stargate_tsmc.textproto")
    # The target raised past what the horizon allows, so that one milestone is reached by nobody.
    scsim("run", config, "-r", "5", "-j", "2", "--set", "demand.target_units=700000", "-o", f"{WORK}/bands")
    scsim("run", config, "-r", "5", "-j", "2", "--set", "demand.target_units=700000", "--timeline", "full",
          "-o", f"{WORK}/full")


def tearDownModule():
    shutil.rmtree(WORK, ignore_errors=True)


class Loader(unittest.TestCase):
    def test_run_folder(self):
        res = scsim_results.load(f"{WORK}/bands")
        self.assertEqual(res.kind, "run")
        self.assertEqual(res.scenarios, ["stargate_tsmc"])
        self.assertEqual(len(res.replications), 5)
        self.assertEqual(int(res.summary["seed"].iloc[0]), 1)
        # Milestones nobody reached are NaN with n = 0, not day 0.
        m = res.milestones.set_index("fraction")
        self.assertEqual(m.loc[1.0, "day_n"], 0)
        self.assertTrue(pd.isna(m.loc[1.0, "day_mean"]))
        self.assertTrue(res.replications["milestone_100_day"].isna().all())
        self.assertEqual(res.factor("stargate_tsmc", "skhynix_hbm", "hbm_stacks"), 0.125)
        cum = res.series("installed_cum", "ALL")
        self.assertEqual(str(cum["date"].dtype), "datetime64[ns]")
        self.assertEqual(cum["day"].iloc[-1], 2009)  # dated at the end of the last week: the horizon

    def test_full_timeline_bands_match_the_written_bands(self):
        full = scsim_results.load(f"{WORK}/full")
        bands = scsim_results.load(f"{WORK}/bands")
        self.assertIsNotNone(full.timeline_full)
        self.assertEqual(len(full.timeline_full), 5 * len(bands.timeline))
        key = ["site", "metric", "day"]
        a = full.timeline.set_index(key).sort_index()
        b = bands.timeline.set_index(key).sort_index()
        for col in ("mean", "p10", "p50", "p90"):
            diff = (a[col] - b[col]).abs() / b[col].abs().clip(lower=1)
            self.assertLess(diff.max(), 1e-6, col)  # C++ and pandas agree (7 significant digits written)
        self.assertTrue((a["n"] == b["n"]).all())


ENGINE_SERIES = ("utilization", "stranded_chips", "idle_slots", "power_mw")


def strip_engine_series(folder):
    """Removes the utilization and datacenter level series, as an older engine wrote the folder."""
    for name in ("timeline.csv", "metrics.csv"):
        t = pd.read_csv(f"{folder}/{name}", keep_default_na=False)
        t[~t["metric"].isin(ENGINE_SERIES)].to_csv(f"{folder}/{name}", index=False)


class Plots(unittest.TestCase):
    def test_without_the_engine_series_those_charts_are_skipped_not_failed(self):
        folder = f"{WORK}/old_engine"
        shutil.copytree(f"{WORK}/bands", folder)
        strip_engine_series(folder)
        written, skipped, failed = plot.plot(folder, f"{WORK}/p0", ("svg",))
        self.assertEqual(failed, [])
        self.assertTrue(any(s.startswith("utilization:") for s in skipped), skipped)
        names = sorted(os.path.basename(p) for p in written)
        self.assertEqual(names, ["installs.svg", "milestones.svg", "stranded.svg", "throughput.svg", "wip.svg"])
        self.assertNotIn("Weekly levels", read(f"{WORK}/p0/stranded.svg"))

    def test_utilization_and_datacenter_levels_from_the_engine(self):
        res = scsim_results.load(f"{WORK}/bands")
        util = res.series("utilization", "tsmc_cowos")
        self.assertFalse(util.empty, "no utilization series for tsmc_cowos")
        self.assertTrue(((util["mean"] >= 0) & (util["mean"] <= 1 + 1e-9)).all())
        self.assertGreater(util["mean"].max(), 0.5)  # the bottleneck is busy at some point
        for metric in ("stranded_chips", "idle_slots", "power_mw"):
            self.assertFalse(res.series(metric, "us_campus").empty, metric)
        written, skipped, failed = plot.plot(f"{WORK}/bands", f"{WORK}/p1", ("svg", "png"))
        self.assertEqual(failed, [])
        self.assertEqual(skipped, [])
        self.assertIn("skhynix_hbm (bottleneck)", read(f"{WORK}/p1/utilization.svg"))
        self.assertIn("Weekly levels", read(f"{WORK}/p1/stranded.svg"))
        m = res.metrics.set_index(["site", "metric"])
        self.assertEqual(m.loc[("tsmc_cowos", "utilization"), "unit"], "fraction")
        self.assertEqual(m.loc[("us_campus", "power_mw"), "unit"], "MW")

    def test_report_of_a_run(self):
        import report
        out, failed = report.report(f"{WORK}/bands", f"{WORK}/run.html")
        self.assertEqual(failed, [])
        page = read(out)
        self.assertIn("<h2>Milestones</h2>", page)
        self.assertIn("0/5", page)  # the 100% milestone: reached by none, said so
        self.assertGreaterEqual(page.count("<svg"), 5)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
