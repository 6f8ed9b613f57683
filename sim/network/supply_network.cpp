// analyse(): topological order, first-unit critical path and capacity bound put together; sync_plan(): the
// edges the engine synchronises on, with their lookahead.
#include "sim/network/supply_network.hpp"

#include <boost/graph/strong_components.hpp>

#include "sim/config/resolve.hpp"
#include "sim/network/analysis.hpp"
#include "sim/network/supply_graph.hpp"

namespace scsim::network {

Analysis analyse(const scenario::Scenario& scenario) {
  Analysis analysis;
  // The resolved sites already are in topological order (ties by name).
  for (const auto& site : scenario.sites) analysis.topological_order.push_back(site.name);
  auto first = detail::first_unit(scenario);
  analysis.first_unit_day = first.day;
  analysis.critical_path = std::move(first.critical_path);
  auto capacity = detail::capacity(scenario);
  analysis.capacity_bound_per_week = capacity.bound_per_week;
  analysis.bottleneck = std::move(capacity.bottleneck);
  analysis.sites = std::move(capacity.sites);
  return analysis;
}

Analysis analyse(const scsim::Scenario& message) {
  return analyse(config::resolve(message));
}

SyncPlan sync_plan(const scenario::Scenario& scenario) {
  // Edges inside a strongly connected component that carry a positive minimum delay are the feedback edges:
  // the rest (every edge between components, and the zero-delay ones inside, which check_network requires to
  // be acyclic) order the sites within a time window.
  const Graph g = build_graph(scenario);
  std::vector<int> component(boost::num_vertices(g));
  if (!component.empty())
    boost::strong_components(g,
                             boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, g)));
  SyncPlan plan;
  for (const auto e : boost::make_iterator_range(boost::edges(g))) {
    const auto& props = g[e];
    SyncEdge edge;
    edge.kind = props.kind;
    edge.from = static_cast<int>(boost::source(e, g));
    edge.to = static_cast<int>(boost::target(e, g));
    edge.lane = props.lane;
    edge.min_delay = props.min_delay;
    edge.feedback = props.min_delay > 0 && component[boost::source(e, g)] == component[boost::target(e, g)];
    if (edge.feedback) plan.max_window_days = std::min(plan.max_window_days, edge.min_delay);
    plan.edges.push_back(edge);
  }
  return plan;
}

}  // namespace scsim::network
