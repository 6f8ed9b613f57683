// analyse(): topological order, first-unit critical path and capacity bound put together; sync_plan(): the
// edges the engine synchronises on, with their lookahead.
#include "sim/network/supply_network.hpp"

#include <algorithm>
#include <boost/graph/strong_components.hpp>
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
  // Edges between strongly connected components order the sites within a time window (forward edges). Inside a
  // component some edges must be feedback edges, whose receiver may run one window ahead of its sender, and the
  // window may be no longer than a feedback edge's minimum delay; the forward edges must stay acyclic. The
  // longest window W* is therefore the largest delay d such that the edges inside components with a delay below
  // d are acyclic: the edges with delay >= W* are the feedback edges. (check_network requires the zero-delay
  // edges to be acyclic, so the smallest positive delay always qualifies.) Taking every positive-delay edge of
  // a loop as feedback instead would shrink the window to the shortest transit on any loop.
  const Graph g = build_graph(scenario);
  const auto sites = boost::num_vertices(g);
  std::vector<int> component(sites);
  if (!component.empty())
    boost::strong_components(g,
                             boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, g)));
  SyncPlan plan;
  std::vector<double> delays;  // positive delays of edges inside components
  for (const auto e : boost::make_iterator_range(boost::edges(g))) {
    const auto& props = g[e];
    SyncEdge edge;
    edge.kind = props.kind;
    edge.from = static_cast<int>(boost::source(e, g));
    edge.to = static_cast<int>(boost::target(e, g));
    edge.lane = props.lane;
    edge.min_delay = props.min_delay;
    const bool inside = component[boost::source(e, g)] == component[boost::target(e, g)];
    edge.feedback = props.min_delay > 0 && inside;
    if (edge.feedback) delays.push_back(edge.min_delay);
    plan.edges.push_back(edge);
  }
  if (delays.empty()) return plan;
  // True when the edges inside components with a delay below `window` have no cycle (Kahn's algorithm).
  auto acyclic_below = [&](double window) {
    std::vector<std::vector<int>> out(sites);
    std::vector<int> in(sites, 0);
    for (const auto& edge : plan.edges)
      if (component[static_cast<std::size_t>(edge.from)] == component[static_cast<std::size_t>(edge.to)] &&
          edge.min_delay < window) {
        out[static_cast<std::size_t>(edge.from)].push_back(edge.to);
        ++in[static_cast<std::size_t>(edge.to)];
      }
    std::vector<int> ready;
    for (std::size_t v = 0; v < sites; ++v)
      if (in[v] == 0) ready.push_back(static_cast<int>(v));
    std::size_t seen = 0;
    while (!ready.empty()) {
      const auto v = static_cast<std::size_t>(ready.back());
      ready.pop_back();
      ++seen;
      for (int w : out[v])
        if (--in[static_cast<std::size_t>(w)] == 0) ready.push_back(w);
    }
    return seen == sites;
  };
  std::sort(delays.begin(), delays.end());
  delays.erase(std::unique(delays.begin(), delays.end()), delays.end());
  std::size_t pick = 0;
  for (std::size_t k = delays.size(); k-- > 1;)
    if (acyclic_below(delays[k])) {
      pick = k;
      break;
    }
  plan.max_window_days = delays[pick];
  for (auto& edge : plan.edges) edge.feedback = edge.feedback && edge.min_delay >= plan.max_window_days;
  return plan;
}

}  // namespace scsim::network
