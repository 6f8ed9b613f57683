// What the runtime hands a kind to build one site's process for one replication.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "models/capacity_profile.hpp"
#include "sim/scenario/scenario.hpp"

namespace scsim::engine {

// A source's share of the demand, for stopping releases once they cover it.
struct DemandCap {
  std::int64_t target_units = 0;     // 0: no target, release on plan until the horizon
  double accel_per_output_unit = 0;  // end units per unit of this site's output (network analysis)
  double share = 1;                  // this source's part of its component's capacity
  double release_margin = 1.05;      // over-release to cover yield uncertainty
};

struct ProcessContext {
  const scenario::Scenario* scenario = nullptr;
  int site = 0;  // index in scenario->sites
  std::uint64_t seed = 1;
  int replication = 0;
  double horizon_days = 0;
  models::CapacityProfile profile;                      // the site's disruptions
  std::vector<std::pair<double, double>> scrap_events;  // (day, fraction of work in process scrapped)
  // Per scenario lane (disruptions of lanes), shared by the sites (a copy each grows with sites x lanes).
  std::shared_ptr<const std::vector<models::CapacityProfile>> lane_profiles;
  std::vector<int> gated_sites;                         // design: the sites its release opens
  DemandCap demand;
  std::shared_ptr<const struct PlanInputs> plan;  // program: a datacenter's build-plan inputs (else null)
  std::shared_ptr<const struct Years> years;      // calendar years, for spend by year
};

}  // namespace scsim::engine
