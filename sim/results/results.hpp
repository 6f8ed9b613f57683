// Results of a run: combine replications into a Summary, write the output files, print the readable table.
//
// Output contract (ARCHITECTURE.md): DIR/summary.json, DIR/timeline.csv and DIR/resolved.textproto are
// byte-identical for the same config and seed, whatever the number of jobs; wall-clock and machine facts go to
// DIR/run_info.json only. Days count from Scenario.start_date (day 0); dates are "YYYY-MM-DD".
#pragma once

#include <array>
#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

#include "sim/config/scenario.pb.h"
#include "sim/results/results.pb.h"

namespace scsim::results {

// Milestone fractions reported, of Demand.target_units; ReplicationResult.milestone_days follows this order.
inline constexpr std::array<double, 4> kMilestoneFractions{0.25, 0.5, 0.9, 1.0};

// Mean, type-7 quantiles (linear interpolation between order statistics, R's default) and the Student-t 95%
// half-width t_{0.975, n-1} · sd / sqrt(n) (0 when n < 2) of `values`, in their unit. All zeros when empty.
scsim::Stat stat_of(const std::vector<double>& values);

// Summary of replications (given in replication order).
//   capacity_bound_per_week       accelerators per week from network::Analysis (may be infinity)
//   bottleneck                    site name from network::Analysis ("" if unlimited)
//   critical_path_first_unit_day  days, network::Analysis::first_unit_day (may be infinity)
// installed_units, stranded_* : Stat over all replications. first_install_day: Stat over the replications with
// an install (all -1 when none). Milestones: Stat over the replications that reached them (milestone day >= 0;
// a missing entry counts as not reached), dates via config::date_after, reached_share = reached / n; when no
// replication reached one, its Stat fields are -1 and its dates "". Stages: means across the replications
// that report each stage (matched by name, first-seen order); utilization only over those that set it (left
// unset when none does). events: the total over all replications.
scsim::Summary summarize(const scsim::Scenario& scenario, double capacity_bound_per_week, const std::string& bottleneck,
                         double critical_path_first_unit_day,
                         const std::vector<scsim::ReplicationResult>& replications);

// Facts about the run that vary between machines and runs; written to run_info.json only.
struct RunInfo {
  double wall_seconds = 0;  // elapsed wall-clock time, seconds
  int jobs = 1;             // worker processes used
  std::string command;      // the command line, for the record
};

// Writes DIR/summary.json (the Summary as JSON, proto field names, every field printed), DIR/timeline.csv,
// DIR/resolved.textproto (config::to_text) and DIR/run_info.json. Creates DIR and its parents if needed.
// Each file is first written completely to a temporary DIR/.NAME.tmp-PID; only when all four are written are
// they renamed into place, so a failure leaves no half-written output and no temporaries behind.
// Throws std::runtime_error("cannot write DIR/NAME: reason") on I/O failure ("cannot write DIR: reason" when
// the directory cannot be created).
void write_run_outputs(const std::string& dir, const scsim::Scenario& scenario, const scsim::Summary& summary,
                       const std::vector<scsim::ReplicationResult>& replications, const RunInfo& info);

// The summary as JSON text (what summary.json holds), ending in a newline. Throws std::runtime_error if
// protobuf cannot render it.
std::string summary_json(const scsim::Summary& summary);

// timeline.csv: header `scenario,replication,day,date,site,metric,value`, then one row per (replication, series,
// week) in replication order, series order, week order: day = 7w (the week's first day), date its ISO date,
// value with fmt "{}" (shortest round-trip form). Streamed series by series. Fields containing a comma, quote
// or line break are quoted (names in valid scenarios never do).
void write_timeline_csv(std::ostream& out, const scsim::Scenario& scenario,
                        const std::vector<scsim::ReplicationResult>& replications);

// A number for tables: thousands separators, `decimals` places, "unlimited" for infinity, "-" for NaN.
std::string grouped(double value, int decimals = 0);

// The series `metric` of `site` in a replication, or nullptr.
const scsim::Series* find_series(const scsim::ReplicationResult& r, const std::string& site,
                                 const std::string& metric);

// Accelerators installed (all datacenters) by the end of the week holding `day`, from installed_cum at "ALL".
double installed_by(const scsim::ReplicationResult& r, double day);

// Every Dec 31 within [day 0, horizon): its ISO date and day number.
struct YearEnd {
  std::string date;
  double day = 0;
};
std::vector<YearEnd> year_ends(const std::string& start_date, double horizon_days);

// The readable table printed by `scsim run`: scenario, replications, seed; installed accelerators by each
// calendar year-end within the horizon (from installed_cum at site "ALL", the value of the week containing
// Dec 31) and by the horizon; milestone dates and reached shares; first install against the critical-path
// expectation; capacity bound and bottleneck; stranded chip- and capacity-days; per-stage lead times, WIP,
// throughput and utilization. Deterministic text (no wall-clock).
void print_summary(std::FILE* out, const scsim::Scenario& scenario, const scsim::Summary& summary,
                   const std::vector<scsim::ReplicationResult>& replications);

}  // namespace scsim::results
