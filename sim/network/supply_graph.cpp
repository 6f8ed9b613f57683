#include "sim/network/supply_graph.hpp"

#include <algorithm>
#include <functional>
#include <set>

#include "sim/kinds/kind.hpp"

namespace scsim::network {

Graph build_graph(const scenario::Scenario& scenario) {
  Graph g(scenario.sites.size());
  for (std::size_t l = 0; l < scenario.lanes.size(); ++l) {
    const auto& lane = scenario.lanes[l];
    boost::add_edge(static_cast<Vertex>(lane.from), static_cast<Vertex>(lane.to),
                    EdgeProps{SyncEdge::Kind::kLane, static_cast<int>(l), models::lower_bound(lane.transit_days)}, g);
  }
  for (std::size_t i = 0; i < scenario.sites.size(); ++i) {
    const int design = scenario.sites[i].gated_by;
    if (design >= 0)
      boost::add_edge(static_cast<Vertex>(design), static_cast<Vertex>(i), EdgeProps{SyncEdge::Kind::kGate, -1, 0.0},
                      g);
  }
  for (std::size_t l = 0; l < scenario.lanes.size(); ++l) {
    const auto& lane = scenario.lanes[l];
    if (lane.order_days > 0)
      boost::add_edge(static_cast<Vertex>(lane.to), static_cast<Vertex>(lane.from),
                      EdgeProps{SyncEdge::Kind::kOrder, static_cast<int>(l), lane.order_days}, g);
  }
  return g;
}

std::vector<int> leaf_components(const scenario::Scenario& scenario, int product) {
  std::vector<int> leaves;
  std::set<int> visiting;
  // `visiting` guards against a BOM that (wrongly) contains itself.
  std::function<void(int)> expand = [&](int p) {
    if (p < 0 || !visiting.insert(p).second) return;
    const auto& bom = scenario.products[static_cast<std::size_t>(p)].bom;
    if (bom.empty() && std::find(leaves.begin(), leaves.end(), p) == leaves.end()) leaves.push_back(p);
    for (const auto& line : bom) expand(line.product);
    visiting.erase(p);
  };
  expand(product);
  return leaves;
}

std::vector<int> downstream_products(const scenario::Scenario& scenario, int component) {
  std::vector<int> result{component};
  for (bool grew = true; grew;) {
    grew = false;
    for (std::size_t p = 0; p < scenario.products.size(); ++p) {
      if (std::find(result.begin(), result.end(), static_cast<int>(p)) != result.end()) continue;
      const auto& bom = scenario.products[p].bom;
      if (std::any_of(bom.begin(), bom.end(), [&](const scenario::Input& in) {
            return std::find(result.begin(), result.end(), in.product) != result.end();
          })) {
        result.push_back(static_cast<int>(p));
        grew = true;
      }
    }
  }
  return result;
}


}  // namespace scsim::network
