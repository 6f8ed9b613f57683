#include "sim/network/supply_graph.hpp"

#include <algorithm>
#include <functional>
#include <queue>
#include <set>
#include <stdexcept>

namespace scsim::network {

std::string_view kind_name(SiteKind kind) {
  switch (kind) {
    case SiteKind::kDesign:
      return "design";
    case SiteKind::kFoundry:
      return "foundry";
    case SiteKind::kMemory:
      return "memory";
    case SiteKind::kPackaging:
      return "packaging";
    case SiteKind::kTest:
      return "test";
    case SiteKind::kDatacenter:
      return "datacenter";
    case SiteKind::kGeneric:
      return "generic";
    case SiteKind::kNone:
      break;
  }
  return "none";
}

SiteKind kind_of(const scsim::Site& site) {
  switch (site.kind_case()) {
    case scsim::Site::kDesign:
      return SiteKind::kDesign;
    case scsim::Site::kFoundry:
      return SiteKind::kFoundry;
    case scsim::Site::kMemory:
      return SiteKind::kMemory;
    case scsim::Site::kPackaging:
      return SiteKind::kPackaging;
    case scsim::Site::kTest:
      return SiteKind::kTest;
    case scsim::Site::kDatacenter:
      return SiteKind::kDatacenter;
    case scsim::Site::kGeneric:
      return SiteKind::kGeneric;
    case scsim::Site::KIND_NOT_SET:
      break;
  }
  return SiteKind::kNone;
}

std::string lane_name(const scsim::Lane& lane) {
  if (lane.has_name() && !lane.name().empty()) return lane.name();
  return lane.from() + "->" + lane.to();
}

std::string demand_product(const scsim::Scenario& scenario) {
  if (scenario.has_demand() && !scenario.demand().product().empty()) return scenario.demand().product();
  for (const auto& site : scenario.sites()) {
    if (site.has_datacenter()) return site.product();
  }
  return "";
}

namespace {

// BOM lines with repeated inputs merged (first occurrence keeps its position).
std::vector<Input> merged_bom(const scsim::Product& product) {
  std::vector<Input> lines;
  for (const auto& line : product.bom()) {
    auto it = std::find_if(lines.begin(), lines.end(), [&](const Input& in) { return in.product == line.product(); });
    if (it == lines.end()) {
      lines.push_back({line.product(), line.quantity()});
    } else {
      it->quantity += line.quantity();
    }
  }
  return lines;
}

}  // namespace

SupplyGraph::SupplyGraph(const scsim::Scenario& scenario) : demand_product_(network::demand_product(scenario)) {
  for (const auto& product : scenario.products()) boms_.try_emplace(product.name(), merged_bom(product));

  for (const auto& site : scenario.sites()) {
    SiteVertex vertex;
    vertex.name = site.name();
    vertex.company = site.company();
    vertex.kind = kind_of(site);
    if (vertex.kind != SiteKind::kDesign) vertex.product = site.product();
    const auto& product_bom = bom(vertex.product);
    switch (vertex.kind) {
      case SiteKind::kFoundry:
      case SiteKind::kMemory:
        vertex.source = true;
        break;
      case SiteKind::kGeneric:
        vertex.source = product_bom.empty();
        vertex.inputs = product_bom;
        break;
      case SiteKind::kPackaging:
        vertex.inputs = product_bom;
        break;
      case SiteKind::kTest:
        vertex.inputs = product_bom.empty() ? std::vector<Input>{{vertex.product, 1.0}} : product_bom;
        break;
      case SiteKind::kDatacenter:
        vertex.inputs = {{vertex.product, 1.0}};
        break;
      case SiteKind::kDesign:
      case SiteKind::kNone:
        break;
    }
    // add_vertex(graph) then assign: the add_vertex(property, graph) overload trips GCC's -Wmaybe-uninitialized
    // in Boost's named_graph under sanitizer builds.
    const Vertex v = boost::add_vertex(graph_);
    graph_[v] = std::move(vertex);
    by_name_.try_emplace(site.name(), v);
  }

  // Lanes first, in scenario order, so in/out edge lists follow lane order; gates after.
  for (int i = 0; i < scenario.lanes_size(); ++i) {
    const auto& lane = scenario.lanes(i);
    const auto from = find(lane.from());
    const auto to = find(lane.to());
    if (!from || !to) continue;
    LaneEdge edge{EdgeKind::kLane, i, lane_name(lane), lane.product(), std::nullopt};
    if (lane.has_share()) edge.share = lane.share();
    boost::add_edge(*from, *to, std::move(edge), graph_);
  }
  for (int i = 0; i < scenario.sites_size(); ++i) {
    const auto& site = scenario.sites(i);
    if (!site.has_foundry() || !site.foundry().has_design_site()) continue;
    const auto design = find(site.foundry().design_site());
    if (!design || graph_[*design].kind != SiteKind::kDesign) continue;
    boost::add_edge(*design, static_cast<Vertex>(i), LaneEdge{EdgeKind::kGate, -1, "release gate", "", std::nullopt},
                    graph_);
  }
}

std::optional<Vertex> SupplyGraph::find(std::string_view site_name) const {
  const auto it = by_name_.find(site_name);
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

const std::vector<Input>& SupplyGraph::bom(std::string_view product) const {
  static const std::vector<Input> kNone;
  const auto it = boms_.find(product);
  return it == boms_.end() ? kNone : it->second;
}

double SupplyGraph::input_quantity(Vertex v, std::string_view input) const {
  for (const auto& in : graph_[v].inputs) {
    if (in.product == input) return in.quantity;
  }
  return 0.0;
}

std::vector<std::string> SupplyGraph::leaf_components(const std::string& product) const {
  std::vector<std::string> leaves;
  std::set<std::string, std::less<>> visiting;
  // Recursive DFS; `visiting` guards against a BOM that (wrongly) contains itself.
  std::function<void(const std::string&)> expand = [&](const std::string& name) {
    if (!visiting.insert(name).second) return;
    const auto& lines = bom(name);
    if (lines.empty()) {
      if (std::find(leaves.begin(), leaves.end(), name) == leaves.end()) leaves.push_back(name);
    }
    for (const auto& line : lines) expand(line.product);
    visiting.erase(name);
  };
  expand(product);
  return leaves;
}

std::vector<std::string> SupplyGraph::downstream_products(const std::string& component) const {
  std::vector<std::string> result{component};
  // Fixed point: add every product with a BOM line naming something already in the set.
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [name, lines] : boms_) {
      if (std::find(result.begin(), result.end(), name) != result.end()) continue;
      const bool uses = std::any_of(lines.begin(), lines.end(), [&](const Input& in) {
        return std::find(result.begin(), result.end(), in.product) != result.end();
      });
      if (uses) {
        result.push_back(name);
        grew = true;
      }
    }
  }
  return result;
}

std::vector<Vertex> SupplyGraph::topological_order() const {
  // Kahn's algorithm. boost::topological_sort (reverse DFS finish order) is also deterministic, but its ties
  // do not follow scenario order, which makes reports jump around when a site is added.
  const std::size_t n = num_sites();
  std::vector<std::size_t> pending(n, 0);
  for (Vertex v = 0; v < n; ++v) pending[v] = boost::in_degree(v, graph_);
  std::priority_queue<Vertex, std::vector<Vertex>, std::greater<>> ready;
  for (Vertex v = 0; v < n; ++v) {
    if (pending[v] == 0) ready.push(v);
  }
  std::vector<Vertex> order;
  order.reserve(n);
  while (!ready.empty()) {
    const Vertex v = ready.top();
    ready.pop();
    order.push_back(v);
    for (const auto e : boost::make_iterator_range(boost::out_edges(v, graph_))) {
      const Vertex t = boost::target(e, graph_);
      if (--pending[t] == 0) ready.push(t);
    }
  }
  if (order.size() != n) throw std::invalid_argument("the supply network has a cycle");
  return order;
}

}  // namespace scsim::network
