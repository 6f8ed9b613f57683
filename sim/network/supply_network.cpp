// analyse(): topological order, first-unit critical path and capacity bound put together; sync_plan(): the
// edges the engine synchronises on, the loops it runs as one actor each, and the order at equal times.
#include "sim/network/supply_network.hpp"

#include <algorithm>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/graph/topological_sort.hpp>
#include <vector>

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
  const Graph g = build_graph(scenario);
  const auto sites = boost::num_vertices(g);
  SyncPlan plan;
  for (const auto e : boost::make_iterator_range(boost::edges(g))) {
    const auto& props = g[e];
    SyncEdge edge;
    edge.kind = props.kind;
    edge.from = static_cast<int>(boost::source(e, g));
    edge.to = static_cast<int>(boost::target(e, g));
    edge.lane = props.lane;
    edge.min_delay = props.min_delay;
    plan.edges.push_back(edge);
  }
  // Components, renumbered by their smallest site (boost numbers them in the order its search finishes them).
  std::vector<int> found(sites);
  if (sites > 0)
    boost::strong_components(g, boost::make_iterator_property_map(found.begin(), boost::get(boost::vertex_index, g)));
  std::vector<int> number(sites, -1);
  plan.component.resize(sites);
  for (std::size_t v = 0; v < sites; ++v) {
    auto& n = number[static_cast<std::size_t>(found[v])];
    if (n < 0) n = static_cast<int>(v);
    plan.component[v] = n;
  }
  // A topological order of the zero-delay edges (check_network requires them acyclic; boost throws
  // not_a_dag otherwise). Any such order serves: it only has to put a zero-delay sender before its receiver.
  struct ZeroDelay {
    const Graph* graph = nullptr;
    bool operator()(const Edge& e) const {
      return (*graph)[e].min_delay <= 0 && boost::source(e, *graph) != boost::target(e, *graph);
    }
  };
  const boost::filtered_graph<Graph, ZeroDelay> zero_delay(g, ZeroDelay{&g});
  std::vector<Vertex> reversed;  // topological_sort gives the order back to front
  boost::topological_sort(zero_delay, std::back_inserter(reversed));
  plan.rank.assign(sites, -1);
  for (std::size_t k = 0; k < reversed.size(); ++k) plan.rank[reversed[k]] = static_cast<int>(sites - 1 - k);
  return plan;
}

}  // namespace scsim::network
