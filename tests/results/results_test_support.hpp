// Small hand-built scenarios and replications for the results tests.
#pragma once

#include <string>
#include <vector>

#include "sim/config/scenario.pb.h"
#include "sim/results/results.pb.h"

namespace scsim::results::testing {

// "tiny": starts 2025-01-01, 730-day horizon, seed 7, target 1000 accelerators.
inline scsim::Scenario tiny_scenario() {
  scsim::Scenario s;
  s.set_name("tiny");
  s.set_start_date("2025-01-01");
  s.set_horizon_days(730);
  s.set_seed(7);
  s.set_replications(2);
  s.mutable_demand()->set_product("accel");
  s.mutable_demand()->set_target_units(1000);
  return s;
}

inline scsim::Series series(const std::string& site, const std::string& metric, const std::vector<double>& values) {
  scsim::Series out;
  out.set_site(site);
  out.set_metric(metric);
  for (double v : values) out.add_values(v);
  return out;
}

}  // namespace scsim::results::testing
