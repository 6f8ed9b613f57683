// Helpers for the engine validation tests: load a scenario, run replications in
// worker processes (never a SimGrid engine in the test process itself), and
// pick stages and series out of the results.
#pragma once

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/config/loader.hpp"
#include "sim/engine/runner.hpp"
#include "sim/results/results.pb.h"
#include "sim/network/supply_network.hpp"

namespace scsim::simtest {

// Fixtures next to the tests, and the repository's example configs.
inline std::string fixture_path(const std::string& name) { return std::string(SCSIM_SIM_TEST_DIR) + "/" + name; }
inline std::string config_path(const std::string& name) { return std::string(SCSIM_SOURCE_DIR) + "/configs/" + name; }

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Through the same path as `scsim run`: parse, `--set` overrides, defaults, validation.
inline scsim::Scenario load_file(const std::string& path, const std::vector<std::string>& overrides = {}) {
  return config::load_scenario_text(read_text(path), path, overrides);
}

inline scsim::Scenario load_text(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return config::load_scenario_text(text, "inline.textproto", overrides);
}

// `count` replications on `jobs` worker processes.
inline std::vector<scsim::ReplicationResult> run(const scsim::Scenario& scenario, int count, int jobs = 2) {
  engine::RunnerOptions options;
  options.jobs = jobs;
  return engine::run_replications(scenario, network::analyse(scenario), count, options);
}

inline const scsim::StageStats& stage(const scsim::ReplicationResult& result, const std::string& name) {
  for (const auto& s : result.stages())
    if (s.stage() == name) return s;
  throw std::runtime_error("no stage " + name);
}

// A datacenter's stage (end-to-end lead times), whether or not its name carries the " (end to end)" label.
inline const scsim::StageStats& end_to_end_stage(const scsim::ReplicationResult& result, const std::string& site) {
  for (const auto& s : result.stages())
    if (s.stage() == site || s.stage() == site + " (end to end)") return s;
  throw std::runtime_error("no end-to-end stage for " + site);
}

inline bool is_end_to_end(const scsim::StageStats& s) {
  const std::string label = " (end to end)";
  return s.stage().size() > label.size() && s.stage().compare(s.stage().size() - label.size(), label.size(), label) == 0;
}

inline bool has_series(const scsim::ReplicationResult& result, const std::string& site, const std::string& metric) {
  for (const auto& s : result.series())
    if (s.site() == site && s.metric() == metric) return true;
  return false;
}

inline std::vector<double> series(const scsim::ReplicationResult& result, const std::string& site,
                                  const std::string& metric) {
  for (const auto& s : result.series())
    if (s.site() == site && s.metric() == metric) return {s.values().begin(), s.values().end()};
  throw std::runtime_error("no series " + site + "/" + metric);
}

// Mean and standard error of the mean of independent replication estimates.
struct Estimate {
  double mean = 0;
  double sd = 0;  // between replications
  double se = 0;  // of the mean
  int n = 0;
};

inline Estimate estimate(const std::vector<double>& values) {
  Estimate e;
  e.n = static_cast<int>(values.size());
  if (e.n == 0) return e;
  e.mean = std::accumulate(values.begin(), values.end(), 0.0) / e.n;
  if (e.n > 1) {
    double ss = 0;
    for (double v : values) ss += (v - e.mean) * (v - e.mean);
    e.sd = std::sqrt(ss / (e.n - 1));
    e.se = e.sd / std::sqrt(static_cast<double>(e.n));
  }
  return e;
}

template <typename F>
Estimate estimate(const std::vector<scsim::ReplicationResult>& results, F&& per_replication) {
  std::vector<double> values;
  for (const auto& r : results) values.push_back(per_replication(r));
  return estimate(values);
}

// Erlang C: probability that an arrival waits in an M/M/c queue with offered load a = lambda/mu.
inline double erlang_c(int c, double a) {
  double term = 1, sum = 0;  // a^k / k!
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double top = term * c / (c - a);  // a^c / c! · c / (c - a)
  return top / (sum + top);
}

}  // namespace scsim::simtest
