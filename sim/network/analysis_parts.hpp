// Internal to scsim_network: the pieces analyse() puts together. Not installed, not for other layers.
#pragma once

#include <string>
#include <vector>

#include "sim/config/scenario.pb.h"
#include "sim/network/supply_graph.hpp"
#include "sim/network/supply_network.hpp"

namespace scsim::network::detail {

struct FirstUnit {
  double day = 0;  // expected day of the first installed unit (infinity if never)
  std::vector<Stage> critical_path;
};

// Expected first-unit times along the network (critical_path.cpp). `order` is a topological order.
FirstUnit first_unit(const scsim::Scenario& scenario, const SupplyGraph& net, const std::vector<Vertex>& order);

struct Capacity {
  double bound_per_week = 0;        // accelerators per week (infinity if unlimited)
  std::string bottleneck;           // site name, "" when unlimited or nothing flows
  std::vector<SiteCapacity> sites;  // in `order`
};

// Steady-state capacity bound by max-flow / min-cut (capacity.cpp). `order` is a topological order.
Capacity capacity(const scsim::Scenario& scenario, const SupplyGraph& net, const std::vector<Vertex>& order);

// Day of the first schedule step with rate > 0, never before day 0; infinity when there is none.
double first_positive_day(const scsim::Schedule& schedule, const std::string& start_date);

// Sum of the mean process times of a station route, days per lot.
double route_days(const google::protobuf::RepeatedPtrField<scsim::Station>& stations);

}  // namespace scsim::network::detail
