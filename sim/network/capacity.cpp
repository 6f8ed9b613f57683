// Steady-state capacity bound of the chain, in accelerators per week, and its bottleneck.
//
// 1. Each site's good output per week at steady state, from its kind (sim/kinds/*.cpp: output_per_week; the
//    LAST step of every schedule), e.g.:
//      foundry    wafer starts × gross dies per wafer (`gross_dies_per_wafer`, else the geometry formula)
//                 × harvested die yield at the mature D0 (die area = width × height, scribe excluded);
//                 wafer starts are capped by the station route's capacity when `stations` is set
//      memory     DRAM wafer starts × dies per wafer / stack height × stack yield (`stack_yield`, else
//                 die_yield^n · bond_yield^(n−1), bond yield 0.995 when unset)
//      packaging  interposer wafers × packages per interposer wafer × assembly yield (unlimited without schedule)
//      test       capacity_units_per_week × yield (0 = unlimited)
//      generic    min over stations of servers × lot_size × 7 / mean process time (days), for a source also
//                 the release rate (lots_per_week × lot_size, or lot_size × 7 / mean interarrival; CONWIP is
//                 not a rate limit), × yield
//      datacenter install_rate_per_week (0 = unlimited)
// 2. E(site) = end units per unit of the site's product: 1 at a datacenter installing the demand product;
//    otherwise Σ over the lanes shipping its product of share × E(to) × yield(to) / quantity of the input at
//    `to`, where yield(to) is the destination's own output yield (packaging assembly, test, generic; 1
//    otherwise) and unset shares split equally what the set ones leave.
// 3. For every leaf component c of the demand product's BOM: a flow network over the sites making c or any
//    product made from c (plus the datacenters), each site split in -> out with capacity output × E, lanes
//    carrying those products unlimited, a super-source into c's source sites and a super-sink out of the
//    datacenters; Boykov–Kolmogorov max-flow. The bound is the smallest flow (the first component in BOM
//    order on ties, relative tolerance 1e-9). Its bottleneck: among the sites cut by the source-side minimum
//    cut (in-vertex reachable from the source in the residual graph, out-vertex not), the most upstream one:
//    fewest lane hops on the longest lane path into it (foundries and memories 0, packaging 1, …), then the
//    earliest in the topological order (itself ties-broken by scenario order). So with two foundries feeding
//    one packaging site and the cut through one foundry and the other branch's packaging, the foundry is named.
#include <algorithm>
#include <boost/graph/boykov_kolmogorov_max_flow.hpp>
#include <cmath>
#include <optional>
#include <queue>
#include <string>
#include <utility>
#include <vector>

#include "sim/kinds/kind.hpp"
#include "sim/network/analysis.hpp"
#include "sim/network/supply_graph.hpp"

namespace scsim::network::detail {
namespace {

constexpr double kInf = scenario::kNever;

double times(double x, double y) { return (std::isinf(x) && y == 0) ? 0.0 : x * y; }

// End units per unit of each site's product (step 2 above), filled in reverse site (topological) order.
std::vector<double> end_equivalents(const scenario::Scenario& s) {
  std::vector<double> e(s.sites.size(), 0.0);
  for (std::size_t k = s.sites.size(); k-- > 0;) {
    const auto& site = s.sites[k];
    if (site.role == scenario::Role::kDesign) continue;
    if (site.role == scenario::Role::kDatacenter) {
      e[k] = site.product == s.demand.product ? 1.0 : 0.0;
      continue;
    }
    for (const auto& lane : s.lanes) {
      if (lane.from != static_cast<int>(k) || lane.product != site.product) continue;
      const double quantity = s.input_quantity(lane.to, site.product);
      const auto& to = s.sites[static_cast<std::size_t>(lane.to)];
      if (quantity <= 0 || to.role == scenario::Role::kDesign) continue;
      e[k] += lane.share * e[static_cast<std::size_t>(lane.to)] * to.kind->own_yield(to) / quantity;
    }
  }
  return e;
}

// --- max-flow ------------------------------------------------------------------------------------------

using FlowTraits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::bidirectionalS>;
struct FlowEdge {
  double capacity = 0;
  double residual = 0;
  FlowTraits::edge_descriptor reverse;
};
// Bidirectional only so that edges() iterates the edge list: the directed edge iterator trips GCC 12's
// -Wmaybe-uninitialized inside Boykov–Kolmogorov.
using FlowGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property, FlowEdge>;
using FlowVertex = FlowGraph::vertex_descriptor;

struct ComponentFlow {
  double flow = 0;
  std::optional<std::size_t> bottleneck;
};

class FlowNetwork {
 public:
  // Vertices: 0 = super-source, 1 = super-sink, then in(v) = 2 + 2v and out(v) = 3 + 2v for every site.
  explicit FlowNetwork(std::size_t sites) : graph_(2 + 2 * sites) {}

  static FlowVertex in(std::size_t v) { return 2 + 2 * v; }
  static FlowVertex out(std::size_t v) { return 3 + 2 * v; }
  static constexpr FlowVertex kSource = 0;
  static constexpr FlowVertex kSink = 1;

  // `capacity` may be infinity; it becomes a finite "large" value in solve().
  void add(FlowVertex from, FlowVertex to, double capacity) {
    const auto forward = boost::add_edge(from, to, graph_).first;
    const auto backward = boost::add_edge(to, from, graph_).first;
    graph_[forward] = FlowEdge{capacity, capacity, backward};
    graph_[backward] = FlowEdge{0.0, 0.0, forward};
  }

  // Max flow (infinity when some path has no finite capacity) and the site vertices cut by the source-side
  // minimum cut, as site indices.
  std::pair<double, std::vector<std::size_t>> solve() {
    // Infinity as a finite number larger than any finite cut, so that floating-point sums stay exact enough.
    double finite = 0;
    for (const auto e : boost::make_iterator_range(boost::edges(graph_))) {
      if (std::isfinite(graph_[e].capacity)) finite += graph_[e].capacity;
    }
    const double large = 2.0 * finite + 1.0;
    for (const auto e : boost::make_iterator_range(boost::edges(graph_))) {
      if (std::isinf(graph_[e].capacity)) graph_[e].capacity = graph_[e].residual = large;
    }
    const double flow = boost::boykov_kolmogorov_max_flow(
        graph_, boost::get(&FlowEdge::capacity, graph_), boost::get(&FlowEdge::residual, graph_),
        boost::get(&FlowEdge::reverse, graph_), boost::get(boost::vertex_index, graph_), kSource, kSink);

    // Source side of the minimum cut: reachable through edges with residual capacity left.
    const double eps = 1e-9 * std::max(1.0, flow);
    std::vector<bool> reached(boost::num_vertices(graph_), false);
    std::queue<FlowVertex> todo;
    reached[kSource] = true;
    todo.push(kSource);
    while (!todo.empty()) {
      const FlowVertex u = todo.front();
      todo.pop();
      for (const auto e : boost::make_iterator_range(boost::out_edges(u, graph_))) {
        const FlowVertex w = boost::target(e, graph_);
        if (!reached[w] && graph_[e].residual > eps) {
          reached[w] = true;
          todo.push(w);
        }
      }
    }
    std::vector<std::size_t> cut;
    for (std::size_t v = 0; out(v) < boost::num_vertices(graph_); ++v) {
      if (reached[in(v)] && !reached[out(v)]) cut.push_back(v);
    }
    return {flow > finite ? kInf : flow, cut};
  }

 private:
  FlowGraph graph_;
};

ComponentFlow component_flow(const scenario::Scenario& s, int component, const std::vector<double>& accelerators,
                             const std::vector<std::size_t>& upstream_rank) {
  const auto products = downstream_products(s, component);
  const auto carries = [&](int p) { return std::find(products.begin(), products.end(), p) != products.end(); };
  std::vector<bool> included(s.sites.size(), false);
  FlowNetwork flow(s.sites.size());
  for (std::size_t v = 0; v < s.sites.size(); ++v) {
    const auto& site = s.sites[v];
    if (site.role == scenario::Role::kDesign) continue;
    const bool demand_dc = site.role == scenario::Role::kDatacenter && site.product == s.demand.product;
    if (!demand_dc && (site.role == scenario::Role::kDatacenter || !carries(site.product))) continue;
    included[v] = true;
    flow.add(FlowNetwork::in(v), FlowNetwork::out(v), accelerators[v]);
    if (site.role == scenario::Role::kSource && site.product == component)
      flow.add(FlowNetwork::kSource, FlowNetwork::in(v), kInf);
    if (demand_dc) flow.add(FlowNetwork::out(v), FlowNetwork::kSink, kInf);
  }
  for (const auto& lane : s.lanes) {
    const auto from = static_cast<std::size_t>(lane.from), to = static_cast<std::size_t>(lane.to);
    if (!included[from] || !included[to]) continue;
    if (lane.product != s.sites[from].product || !carries(lane.product)) continue;
    flow.add(FlowNetwork::out(from), FlowNetwork::in(to), kInf);
  }
  auto [value, cut] = flow.solve();
  ComponentFlow result{value, std::nullopt};
  for (const std::size_t v : cut)
    if (!result.bottleneck || upstream_rank[v] < upstream_rank[*result.bottleneck]) result.bottleneck = v;
  return result;
}

}  // namespace

Capacity capacity(const scenario::Scenario& s) {
  const auto equivalents = end_equivalents(s);
  const std::size_t n = s.sites.size();
  std::vector<double> accelerators(n);
  // Sort key for "most upstream": lane depth (longest lane path into the site), then site (topological) order.
  std::vector<std::size_t> depth(n, 0), upstream_rank(n);
  for (std::size_t v = 0; v < n; ++v) {
    for (const auto& lane : s.lanes)
      if (lane.to == static_cast<int>(v) && static_cast<std::size_t>(lane.from) < v)
        depth[v] = std::max(depth[v], depth[static_cast<std::size_t>(lane.from)] + 1);
    upstream_rank[v] = depth[v] * n + v;
  }
  Capacity result;
  for (std::size_t v = 0; v < n; ++v) {
    const auto& site = s.sites[v];
    const double output = site.kind->output_per_week(site);
    accelerators[v] = site.role == scenario::Role::kDesign ? kInf : times(output, equivalents[v]);
    result.sites.push_back({site.name, s.product_name(site.product), output, accelerators[v]});
  }
  result.bound_per_week = kInf;
  if (s.demand.product < 0) return result;
  for (const int component : leaf_components(s, s.demand.product)) {
    const auto flow = component_flow(s, component, accelerators, upstream_rank);
    if (flow.flow < result.bound_per_week * (1.0 - 1e-9)) {
      result.bound_per_week = flow.flow;
      result.bottleneck = flow.bottleneck ? s.sites[*flow.bottleneck].name : "";
    }
  }
  return result;
}

}  // namespace scsim::network::detail
