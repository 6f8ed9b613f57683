// Comparing scenarios run with the same replications (common random numbers):
// per metric, each scenario's spread and its paired difference from the first.
#pragma once

#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

#include "sim/config/scenario.pb.h"
#include "sim/results/results.pb.h"

namespace scsim::results {

struct ComparedRun {
  scsim::Scenario scenario;
  std::vector<scsim::ReplicationResult> replications;  // replication order, same count for every run
};

// One metric across the compared scenarios.
struct ComparedMetric {
  std::string name;  // e.g. "installed_by", "milestone_50_day", "cost_per_accelerator_usd"
  std::string date;  // the calendar date a metric is read at ("installed_by": a year-end); else empty
  std::string unit;  // "accelerators", "day", "USD", "chip-days"
  // Per scenario: its values' Stat (over replications where the metric exists; n of them), and the paired
  // difference from the first scenario over replications where both exist (mean, ci95; pairs = its n).
  std::vector<scsim::Stat> value;
  std::vector<scsim::Stat> difference;
  std::vector<int> pairs;
};

// The metrics compared: installs by each year-end in the first scenario's horizon and by the horizon,
// the day of each milestone, first install, cost per accelerator, stranded chip- and capacity-days.
// A metric is missing in a replication when it has no value there (a milestone not reached).
std::vector<ComparedMetric> compare_runs(const std::vector<ComparedRun>& runs);

// compare.csv: header `metric,date,unit,scenario,replications,n,mean,p10,p50,p90,ci95,diff_mean,diff_ci95,pairs`,
// one row per (metric, scenario). replications: replications run; n: those where the metric has a value (a
// milestone reached), the statistics' count. Missing is empty: statistics with n = 0, ci95 with n < 2, the first
// scenario's diff columns (it is the baseline; its pairs is empty too).
void write_compare_csv(std::ostream& out, const std::vector<ComparedRun>& runs,
                       const std::vector<ComparedMetric>& metrics);

// The side-by-side table: each scenario's mean and p10-p90, and the paired difference from the first
// with its 95% confidence interval.
void print_compare(std::FILE* out, const std::vector<ComparedRun>& runs, const std::vector<ComparedMetric>& metrics);

}  // namespace scsim::results
