// analyse(): topological order, first-unit critical path and capacity bound put together.
#include "sim/network/supply_network.hpp"

#include "sim/network/analysis_parts.hpp"

namespace scsim::network {

Analysis analyse(const scsim::Scenario& scenario) {
  const SupplyGraph net(scenario);
  const auto order = net.topological_order();

  Analysis analysis;
  for (const Vertex v : order) analysis.topological_order.push_back(net.site(v).name);

  auto first = detail::first_unit(scenario, net, order);
  analysis.first_unit_day = first.day;
  analysis.critical_path = std::move(first.critical_path);

  auto capacity = detail::capacity(scenario, net, order);
  analysis.capacity_bound_per_week = capacity.bound_per_week;
  analysis.bottleneck = std::move(capacity.bottleneck);
  analysis.sites = std::move(capacity.sites);
  return analysis;
}

}  // namespace scsim::network
