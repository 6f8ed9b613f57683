// The supply network as a Boost graph: one vertex per site, one edge per lane, plus "release gate" edges from a
// design site to each foundry that names it. Later layers (checks, analysis, the engine) walk this graph.
#pragma once

#include <boost/graph/adjacency_list.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/config/scenario.pb.h"

namespace scsim::network {

enum class SiteKind { kNone, kDesign, kFoundry, kMemory, kPackaging, kTest, kDatacenter, kGeneric };

// Lowercase kind name used in reports and DOT labels: "design", "foundry", "memory", "packaging", "test",
// "datacenter", "generic"; "none" for a site whose kind is not set.
std::string_view kind_name(SiteKind kind);

// The kind of a Site message (which member of its `kind` oneof is set).
SiteKind kind_of(const scsim::Site& site);

// One input a site consumes per unit of its own product.
struct Input {
  std::string product;
  double quantity = 1;  // units of `product` per unit of output, before yield loss (> 0)
};

struct SiteVertex {
  std::string name;
  std::string company;
  SiteKind kind = SiteKind::kNone;
  // The product the site makes, or installs (datacenter). Empty for design sites.
  std::string product;
  // Makes its product from scratch: foundry, memory, or generic whose product has no BOM. Sources need a
  // release (wafer starts, lots per week…) and take no inputs.
  bool source = false;
  // What arrives by lane and is consumed per unit of `product`:
  //   packaging, test, generic assemblers: the BOM lines of `product` (repeated lines merged, first order kept);
  //   test whose product has no BOM: the product itself, quantity 1 (testing passes a fraction of its input);
  //   datacenter: the installed product, quantity 1;
  //   design and sources: nothing.
  std::vector<Input> inputs;
};

enum class EdgeKind { kLane, kGate };

struct LaneEdge {
  EdgeKind kind = EdgeKind::kLane;
  // Index in Scenario.lanes; for a gate, -1.
  int lane_index = -1;
  // Lane name ("FROM->TO" unless Lane.name is set); "release gate" for a gate.
  std::string name;
  // Product carried by a lane; empty for a gate.
  std::string product;
  // Lane.share when set (fraction of the source's output of `product`, (0,1]); unset = equal split.
  std::optional<double> share;
};

// Vertex descriptor == index of the site in Scenario.sites (vecS storage, added in order).
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, SiteVertex, LaneEdge>;
using Vertex = Graph::vertex_descriptor;
using Edge = Graph::edge_descriptor;

// Name of a lane: Lane.name when set, else "FROM->TO".
std::string lane_name(const scsim::Lane& lane);

// The product counted as delivered: Demand.product when set, else the product installed by the first
// datacenter site, else "".
std::string demand_product(const scsim::Scenario& scenario);

class SupplyGraph {
 public:
  // Builds the graph. Lanes whose endpoints do not name a site are left out (field-level validation reports
  // them); so are gates naming a site that is not a design. When two sites share a name, the first one wins.
  explicit SupplyGraph(const scsim::Scenario& scenario);

  const Graph& graph() const { return graph_; }
  std::size_t num_sites() const { return boost::num_vertices(graph_); }
  const SiteVertex& site(Vertex v) const { return graph_[v]; }
  const LaneEdge& edge(Edge e) const { return graph_[e]; }

  // The vertex of the site with this name, if any.
  std::optional<Vertex> find(std::string_view site_name) const;

  // See demand_product(scenario).
  const std::string& demand_product() const { return demand_product_; }

  // BOM of a product (empty when the product has none or is unknown).
  const std::vector<Input>& bom(std::string_view product) const;

  // Units of `input` consumed per unit of the site's product (0 when the site does not use it).
  double input_quantity(Vertex v, std::string_view input) const;

  // Distinct products without a BOM reached by expanding `product`'s BOM recursively, in depth-first BOM
  // order; {product} itself when it has no BOM. These are the components made from scratch by source sites.
  std::vector<std::string> leaf_components(const std::string& product) const;

  // `product` and every product whose BOM contains it, directly or through other products.
  std::vector<std::string> downstream_products(const std::string& component) const;

  // Sites in topological order over lanes and gates. Among sites whose predecessors are all placed, the one
  // listed first in the scenario comes first (Kahn's algorithm with a min-heap), so the order is stable under
  // adding unrelated sites at the end. Throws std::invalid_argument when the graph has a cycle.
  std::vector<Vertex> topological_order() const;

 private:
  Graph graph_;
  std::map<std::string, Vertex, std::less<>> by_name_;
  std::map<std::string, std::vector<Input>, std::less<>> boms_;
  std::string demand_product_;
};

}  // namespace scsim::network
