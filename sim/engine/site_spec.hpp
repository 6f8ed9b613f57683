// Everything a site's process needs for one replication, in engine terms.
// Built from the scenario in one place (build_specs.cpp); plain C++.
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/capacity_profile.hpp"
#include "models/design.hpp"
#include "models/distribution.hpp"
#include "models/foundry.hpp"
#include "models/memory.hpp"
#include "sim/engine/station_route.hpp"

namespace scsim::engine {

inline constexpr double kNever = std::numeric_limits<double>::infinity();
// Days in a week: "per week" rates and the weekly statistics bins.
inline constexpr double kWeek = 7.0;

// A rate that changes on given days; 0 before the first step.
struct RateSchedule {
  std::vector<std::pair<double, double>> steps;  // (from_day, rate), days increasing
  double rate_at(double day) const;
  // First day >= `day` with a positive rate (kNever if none).
  double next_positive(double day) const;
  bool empty() const { return steps.empty(); }
};

enum class Role { kDesign, kSource, kAssembler, kDatacenter };

enum class Transform {
  kNone,      // units pass unchanged
  kDies,      // wafers -> good dies (foundry model)
  kStacks,    // DRAM wafers -> good stacks (memory model)
  kFraction,  // binomial thinning by a yield drawn once per replication
};

struct LaneSpec {
  int lane_index = 0;
  std::string name;
  int to_site = 0;
  double share = 1;            // long-run fraction of the site's output sent this way
  models::Dist transit_days;   // per shipment
  double cadence_days = 0;     // 0: ship each batch when ready
  models::Dist gate_days;      // qualification: nothing is delivered before this day (drawn per replication)
  double gate_slip_probability = 0;
  models::Dist gate_slip_days;
  bool gated = false;
  models::CapacityProfile profile;  // lane disruptions
};

struct ReleaseSpec {
  enum class Policy { kNone, kSchedule, kInterarrival, kConwip } policy = Policy::kNone;
  RateSchedule lots_per_week;
  models::Dist interarrival_days;
  int conwip_lots = 0;
  std::int64_t max_lots = 0;        // 0 = no limit
  std::int64_t units_per_lot = 1;   // wafers (foundry, memory) or units (generic)
  bool gated = false;               // waits for its design's production release
  models::Dist gate_delay_days;     // port to this foundry, after the release
  models::Dist allocation_wait_days;  // before the first start (after the gate)
};

struct BuildingSpec {
  std::string name;
  double construction_start_day = 0;
  models::Dist construction_days;
  std::optional<double> power_day;
  models::Dist power_delay_days;
  double power_mw = 0;
};

struct DesignSpec {
  models::DesignParams params;
  std::vector<int> gated_sites;  // foundries waiting for this design
};

struct DemandSpec {
  std::int64_t target_units = 0;       // 0: no target
  double accel_per_output_unit = 0;    // end units per unit of this site's output (network analysis)
  double share = 1;                    // this source's share of its component
  double release_margin = 1.05;        // over-release to cover yield uncertainty
};

// How a site's own cost accrues (USD per unit).
enum class CostBasis { kNone, kPerReleasedUnit, kPerGoodOutput, kPerStartedUnit };

struct SiteSpec {
  std::string name;
  std::string kind;          // "foundry", "memory", … (for reports)
  Role role = Role::kSource;
  int product = -1;
  std::string release_metric = "released";
  std::string output_metric = "output";

  ReleaseSpec release;                                  // sources
  std::vector<std::pair<int, double>> inputs;           // assemblers and datacenters: (product, per unit)
  std::int64_t batch_units = 1;                         // assemblers: output units per batch
  RateSchedule start_capacity_per_week;                 // assemblers: units/week (empty = unlimited)
  models::Dist queue_days;                              // assemblers: one-off wait after the first kit

  std::vector<StationParams> stations;                  // a route, or else
  models::Dist delay_days;                              // a pure delay per lot
  Transform transform = Transform::kNone;
  models::FoundryParams foundry;                        // kDies (d0 drawn per replication from d0_dist)
  models::Dist d0_dist;
  models::MemoryParams memory;                          // kStacks (stack yield drawn from yield_dist)
  models::Dist yield_dist;                              // kStacks, kFraction
  std::optional<models::Dist> die_yield_dist, bond_yield_dist;  // kStacks without a direct stack yield

  std::vector<LaneSpec> lanes;                          // outbound
  models::CapacityProfile profile;                      // site disruptions
  std::vector<std::pair<double, double>> scrap_events;  // (day, fraction of WIP scrapped)

  DesignSpec design;
  std::vector<BuildingSpec> buildings;                  // datacenter
  models::Dist kw_per_accelerator;
  double install_rate_per_week = 0;                     // 0 = unlimited
  models::Dist install_days;

  CostBasis cost_basis = CostBasis::kNone;
  double unit_cost_usd = 0;   // wafer (foundry), good stack (memory), package started (packaging)

  DemandSpec demand;
};

}  // namespace scsim::engine
