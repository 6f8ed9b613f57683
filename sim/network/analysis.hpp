// Internal to scsim_network: the pieces analyse() puts together.
#pragma once

#include <string>
#include <vector>

#include "sim/network/supply_network.hpp"

namespace scsim::network::detail {

struct FirstUnitResult {
  double day = 0;  // expected day of the first installed unit (infinity if never)
  std::vector<Stage> critical_path;
};

// Expected first-unit times along the network (critical_path.cpp).
FirstUnitResult first_unit(const scenario::Scenario& scenario);

struct Capacity {
  double bound_per_week = 0;        // accelerators per week (infinity if unlimited)
  std::string bottleneck;           // site name, "" when unlimited or nothing flows
  std::vector<SiteCapacity> sites;  // in site order
};

// Steady-state capacity bound by max-flow / min-cut (capacity.cpp).
Capacity capacity(const scenario::Scenario& scenario);

}  // namespace scsim::network::detail
