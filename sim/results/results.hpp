// Results of a run: combine replications into a Summary, write the output files, print the readable table.
//
// Output contract: every file but DIR/run_info.json is byte-identical for the same config and seed, whatever
// the number of jobs; wall-clock and machine facts go to DIR/run_info.json only. Days count from
// Scenario.start_date (day 0); dates are "YYYY-MM-DD". Missing is empty in CSV and null in JSON, never 0 or a
// sentinel. docs/outputs.md describes every file.
#pragma once

#include <array>
#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

#include <optional>

#include "sim/config/scenario.pb.h"
#include "sim/results/output_set.hpp"
#include "sim/results/results.pb.h"

namespace scsim::results {

// Milestone fractions reported, of Demand.target_units; ReplicationResult.milestone_days follows this order.
inline constexpr std::array<double, 4> kMilestoneFractions{0.25, 0.5, 0.9, 1.0};

// Mean, type-7 quantiles (linear interpolation between order statistics, R's default), the Student-t 95%
// half-width t_{0.975, n-1} · sd / sqrt(n) (absent when n < 2) and n of `values`, in their unit. Only n = 0
// when empty.
scsim::Stat stat_of(const std::vector<double>& values);

// Summary of replications (given in replication order).
//   capacity_bound_per_week       accelerators per week from network::Analysis (may be infinity)
//   bottleneck                    site name from network::Analysis ("" if unlimited)
//   critical_path_first_unit_day  days, network::Analysis::first_unit_day (may be infinity)
// installed_units, stranded_* : Stat over all replications. first_install_day: Stat over the replications with
// an install (unset when none). Milestones: Stat over the replications that reached them (milestone day >= 0;
// a missing entry counts as not reached), dates via config::date_after, reached_share = reached / n; when no
// replication reached one, its day and dates are unset. Stages: means across the replications that report
// each stage (matched by name, first-seen order) and their Stats; utilization and cost only over those that
// set them (left unset when none does). events: the total over all replications. design_milestones: per design
// site and event (ReplicationResult.design_events, first-seen order), the Stat of the drawn days over the
// replications that have it, mean_day = its mean, date = date_after(mean_day), date_p10/p50/p90 likewise.
scsim::Summary summarize(const scsim::Scenario& scenario, double capacity_bound_per_week, const std::string& bottleneck,
                         double critical_path_first_unit_day,
                         const std::vector<scsim::ReplicationResult>& replications);

// Facts about the run that vary between machines and runs; written to run_info.json only.
struct RunInfo {
  double wall_seconds = 0;  // elapsed wall-clock time, seconds
  int jobs = 1;             // worker processes used
  std::string command;      // the command line, for the record
};

// What `--timeline` writes: per-week bands across replications (timeline.csv), every replication's rows
// (timeline.csv.gz), or no timeline.
enum class TimelineMode { kBands, kFull, kNone };
std::optional<TimelineMode> parse_timeline_mode(const std::string& text);  // "bands", "full", "none"

// The files of one run, written into `set` under `prefix` ("" or "NAME/"): summary.json, replications.csv,
// metrics.csv, the timeline per `timeline`, resolved.textproto (config::to_text) and run_info.json.
void write_run_files(OutputSet& set, const std::string& prefix, const scsim::Scenario& scenario,
                     const scsim::Summary& summary, const std::vector<scsim::ReplicationResult>& replications,
                     const RunInfo& info, TimelineMode timeline);

// write_run_files into DIR as one set (OutputSet): DIR is replaced as a whole, or left as it was on failure.
// Throws std::runtime_error("cannot write DIR/NAME: reason") on I/O failure ("cannot write DIR: reason" when
// the folder cannot be made).
void write_run_outputs(const std::string& dir, const scsim::Scenario& scenario, const scsim::Summary& summary,
                       const std::vector<scsim::ReplicationResult>& replications, const RunInfo& info,
                       TimelineMode timeline = TimelineMode::kBands);

// The summary as JSON text (what summary.json holds), ending in a newline: proto field names in schema order,
// every field present, unset ones (nothing measured) as null; int64 as JSON numbers; infinities as null.
std::string summary_json(const scsim::Summary& summary);

// A weekly value's day: 7w, the week's first day, for totals and averages over [7w, 7w + 7); for cumulative
// metrics (names ending in "_cum") the week's end, min(7w + 7, horizon), when the total was counted.
double series_day(const std::string& metric, int week, double horizon_days);
double week_day(bool cumulative, int week, double horizon_days);  // series_day with is_cumulative(metric) known
bool is_cumulative(const std::string& metric);

// timeline.csv.gz (--timeline full), uncompressed: header `scenario,replication,day,date,site,metric,value`, then
// one row per (replication, series, week) in replication order, series order, week order; day per series_day,
// date its ISO date, value with fmt "{}" (shortest round-trip form). Streamed series by series. Fields
// containing a comma, quote or line break are quoted (names in valid scenarios never do).
void write_timeline_csv(std::ostream& out, const scsim::Scenario& scenario,
                        const std::vector<scsim::ReplicationResult>& replications);
// The same rows gzip-compressed into the file `path`; throws std::runtime_error("cannot write PATH: reason").
void write_timeline_gzip(const std::string& path, const scsim::Scenario& scenario,
                         const std::vector<scsim::ReplicationResult>& replications);

// timeline.csv (--timeline bands): header `scenario,day,date,site,metric,mean,p10,p50,p90,n`, one row per
// (series, week), series in first-seen order: the mean and type-7 quantiles across the n replications that have
// that week (7 significant digits).
void write_timeline_bands_csv(std::ostream& out, const scsim::Scenario& scenario,
                              const std::vector<scsim::ReplicationResult>& replications);

// replications.csv: one row per replication, every scalar of the summary: header
// `scenario,replication,installed_units,first_install_day,first_install_date,milestone_25_day,milestone_25_date,
// ...,milestone_100_day,milestone_100_date,stranded_chip_days,stranded_capacity_days,installed_cost_usd,
// cost_per_accelerator_usd,events`; empty where nothing was reached or measured.
void write_replications_csv(std::ostream& out, const scsim::Scenario& scenario,
                            const std::vector<scsim::ReplicationResult>& replications);

// metrics.csv, the data dictionary: header `site,metric,unit,kind,description,product,accelerator_equivalent`.
// One row per (site, metric) series found in the replications (first-seen order), then the scalars of
// replications.csv and compare.csv (site empty). kind: flow (total per week), level (time average over the
// week), cumulative (total at the end of the week) or scalar (one per replication). accelerator_equivalent:
// accelerators one unit of the metric stands for through the demand product's bill of materials (0.125 for an
// HBM stack when a package takes 8), empty when the unit does not convert (wafers, fractions, MW). With no
// replications: the scalar rows alone (the dictionary of compare.csv, sweep.csv and sensitivity.csv folders).
void write_metrics_csv(std::ostream& out, const scsim::Scenario& scenario,
                       const std::vector<scsim::ReplicationResult>& replications);

// Units of `product` in one unit of the scenario's demand product, through the BOMs (0 when not in it).
double units_per_accelerator(const scsim::Scenario& scenario, const std::string& product);

// A CSV field, quoted (RFC 4180) only when it has to be.
std::string csv_field(const std::string& text);
// A number for CSV: empty for NaN, shortest round-trip form otherwise.
std::string csv_number(double value);

// A number for tables: thousands separators, `decimals` places, "unlimited" for infinity, "-" for NaN.
std::string grouped(double value, int decimals = 0);

// Series of a replication, packed or not: for_each_series and find_series_values in series_codec.hpp.

// Accelerators installed (all datacenters) by the end of the week holding `day`, from installed_cum at "ALL".
double installed_by(const scsim::ReplicationResult& r, double day);
// installed_by at each of `days`, the series decoded once.
std::vector<double> installed_by_days(const scsim::ReplicationResult& r, const std::vector<double>& days);

// Every Dec 31 within [day 0, horizon): its ISO date and day number.
struct YearEnd {
  std::string date;
  double day = 0;
};
std::vector<YearEnd> year_ends(const std::string& start_date, double horizon_days);

// The readable table printed by `scsim run`: scenario, replications, seed; installed accelerators by each
// calendar year-end within the horizon (from installed_cum at site "ALL", the value of the week containing
// Dec 31) and by the horizon; milestone dates and reached shares; each design site's tape-out, first silicon and
// production release (mean day, mean and p10/p50/p90 dates; when any); first install against the critical-path
// expectation; capacity bound and bottleneck; stranded chip- and capacity-days; per-stage lead times, WIP,
// throughput and utilization. Deterministic text (no wall-clock).
void print_summary(std::FILE* out, const scsim::Scenario& scenario, const scsim::Summary& summary,
                   const std::vector<scsim::ReplicationResult>& replications);

}  // namespace scsim::results
