// The supply network as a Boost graph (internal to scsim_network): one vertex per site (index = the resolved
// scenario's site index), one edge per lane, per release gate and per order path.
#pragma once

#include <boost/graph/adjacency_list.hpp>
#include <vector>

#include "sim/network/supply_network.hpp"

namespace scsim::network {

struct EdgeProps {
  SyncEdge::Kind kind = SyncEdge::Kind::kLane;
  int lane = -1;
  double min_delay = 0;
};

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property, EdgeProps>;
using Vertex = Graph::vertex_descriptor;
using Edge = Graph::edge_descriptor;

// Lanes (in lane order), then gates, then order edges.
Graph build_graph(const scenario::Scenario& scenario);

// Distinct products without a BOM reached by expanding `product`'s BOM recursively, in depth-first BOM order;
// {product} itself when it has no BOM.
std::vector<int> leaf_components(const scenario::Scenario& scenario, int product);
// `component` and every product whose BOM contains it, directly or through other products.
std::vector<int> downstream_products(const scenario::Scenario& scenario, int component);


}  // namespace scsim::network
