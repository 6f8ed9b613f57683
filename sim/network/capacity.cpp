// Steady-state capacity bound of the chain, in accelerators per week, and its bottleneck.
//
// 1. Each site's good output per week at steady state (the LAST step of every schedule):
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
#include <limits>
#include <optional>
#include <queue>
#include <string>
#include <utility>
#include <vector>

#include "models/wafer.hpp"
#include "models/yield.hpp"
#include "sim/config/to_params.hpp"
#include "sim/network/analysis_parts.hpp"

namespace scsim::network::detail {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

using config::expected;

double last_rate(const scsim::Schedule& schedule) {
  return schedule.steps_size() > 0 ? schedule.steps(schedule.steps_size() - 1).rate() : 0.0;
}

// Units per week a station route can process: its slowest station (infinity without stations).
double route_units_per_week(const google::protobuf::RepeatedPtrField<scsim::Station>& stations, double lot_size) {
  double rate = kInf;
  for (const auto& station : stations) {
    const double days = expected(station.process_time_days());
    if (days > 0) rate = std::min(rate, station.servers() * lot_size * 7.0 / days);
  }
  return rate;
}

// x × y where an unlimited x stays unlimited unless y is 0 (no output at all).
double times(double x, double y) {
  return (std::isinf(x) && y == 0) ? 0.0 : x * y;
}

models::YieldModel yield_model(scsim::Foundry::YieldModel model) {
  switch (model) {
    case scsim::Foundry::POISSON:
      return models::YieldModel::kPoisson;
    case scsim::Foundry::MURPHY:
      return models::YieldModel::kMurphy;
    case scsim::Foundry::SEEDS:
      return models::YieldModel::kSeeds;
    case scsim::Foundry::NEGATIVE_BINOMIAL:
      break;
  }
  return models::YieldModel::kNegativeBinomial;
}

double foundry_output(const scsim::Foundry& f) {
  double wafers = last_rate(f.wafer_starts_per_week());
  if (f.stations_size() > 0) wafers = std::min(wafers, route_units_per_week(f.stations(), f.lot_size_wafers()));
  const double gross =
      f.has_gross_dies_per_wafer()
          ? f.gross_dies_per_wafer()
          : models::gross_dies_per_wafer(models::WaferGeometryParams{
                f.wafer_diameter_mm(), f.edge_exclusion_mm(), f.die_width_mm(), f.die_height_mm(), f.scribe_mm()});
  const double area_mm2 = f.die_width_mm() * f.die_height_mm();
  const double die =
      models::die_yield(yield_model(f.yield_model()), expected(f.d0_per_cm2()), area_mm2, f.clustering_alpha());
  return wafers * gross * models::harvested_yield(die, f.harvest_fraction());
}

double memory_output(const scsim::Memory& m) {
  const double stack = m.has_stack_yield() ? expected(m.stack_yield(), 1.0)
                                           : models::stack_yield(expected(m.die_yield(), 1.0),
                                                                 expected(m.bond_yield(), 0.995), m.stack_height());
  return last_rate(m.dram_wafer_starts_per_week()) * m.dies_per_wafer() / m.stack_height() * stack;
}

// The fraction of a site's processed units that come out good (1 where yield is accounted elsewhere).
double own_yield(const scsim::Site& site) {
  if (site.has_packaging()) return expected(site.packaging().assembly_yield(), 1.0);
  if (site.has_test()) return expected(site.test().yield(), 1.0);
  if (site.has_generic()) return expected(site.generic().yield(), 1.0);
  return 1.0;
}

double generic_output(const scsim::Generic& gen, bool source, double yield) {
  const double lot = gen.lot_size();
  double rate = route_units_per_week(gen.stations(), lot);
  if (source) {
    const auto& release = gen.release();
    switch (release.policy_case()) {
      case scsim::Release::kLotsPerWeek:
        rate = std::min(rate, last_rate(release.lots_per_week()) * lot);
        break;
      case scsim::Release::kInterarrivalDays: {
        const double days = expected(release.interarrival_days());
        if (days > 0) rate = std::min(rate, lot * 7.0 / days);
        break;
      }
      case scsim::Release::kConwipWipLots:
        break;
      case scsim::Release::POLICY_NOT_SET:
        rate = 0;
        break;
    }
  }
  return times(rate, yield);
}

double site_output(const scsim::Site& site, const SiteVertex& vertex) {
  switch (vertex.kind) {
    case SiteKind::kFoundry:
      return foundry_output(site.foundry());
    case SiteKind::kMemory:
      return memory_output(site.memory());
    case SiteKind::kPackaging: {
      const auto& p = site.packaging();
      if (!p.has_interposer_wafers_per_week()) return kInf;
      return last_rate(p.interposer_wafers_per_week()) * p.packages_per_interposer_wafer() * own_yield(site);
    }
    case SiteKind::kTest: {
      const double units = site.test().capacity_units_per_week();
      return units > 0 ? units * own_yield(site) : kInf;
    }
    case SiteKind::kGeneric:
      return generic_output(site.generic(), vertex.source, own_yield(site));
    case SiteKind::kDatacenter: {
      const double rate = site.datacenter().install_rate_per_week();
      return rate > 0 ? rate : kInf;
    }
    case SiteKind::kDesign:
      return kInf;
    case SiteKind::kNone:
      break;
  }
  return 0.0;
}

// End units per unit of each site's product (step 2 above), filled in reverse topological order.
std::vector<double> end_equivalents(const scsim::Scenario& scenario, const SupplyGraph& net,
                                    const std::vector<Vertex>& order) {
  const Graph& g = net.graph();
  std::vector<double> e(net.num_sites(), 0.0);
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const Vertex v = *it;
    const SiteVertex& s = g[v];
    if (s.kind == SiteKind::kDesign) continue;
    if (s.kind == SiteKind::kDatacenter) {
      e[v] = s.product == net.demand_product() ? 1.0 : 0.0;
      continue;
    }
    std::vector<Edge> lanes;
    double set_sum = 0;
    std::size_t unset = 0;
    for (const auto edge : boost::make_iterator_range(boost::out_edges(v, g))) {
      if (g[edge].kind != EdgeKind::kLane || g[edge].product != s.product) continue;
      lanes.push_back(edge);
      if (g[edge].share) {
        set_sum += *g[edge].share;
      } else {
        ++unset;
      }
    }
    const double unset_share = unset > 0 ? std::max(0.0, 1.0 - set_sum) / static_cast<double>(unset) : 0.0;
    for (const Edge edge : lanes) {
      const Vertex t = boost::target(edge, g);
      const double quantity = net.input_quantity(t, s.product);
      if (quantity <= 0 || g[t].kind == SiteKind::kDesign) continue;
      const double share = g[edge].share.value_or(unset_share);
      e[v] += share * e[t] * own_yield(scenario.sites(static_cast<int>(t))) / quantity;
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
  std::optional<Vertex> bottleneck;
};

class FlowNetwork {
 public:
  // Vertices: 0 = super-source, 1 = super-sink, then in(v) = 2 + 2v and out(v) = 3 + 2v for every site.
  explicit FlowNetwork(std::size_t sites) : graph_(2 + 2 * sites) {}

  static FlowVertex in(Vertex v) { return 2 + 2 * v; }
  static FlowVertex out(Vertex v) { return 3 + 2 * v; }
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
  std::pair<double, std::vector<Vertex>> solve() {
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
    std::vector<Vertex> cut;
    for (Vertex v = 0; out(v) < boost::num_vertices(graph_); ++v) {
      if (reached[in(v)] && !reached[out(v)]) cut.push_back(v);
    }
    return {flow > finite ? kInf : flow, cut};
  }

 private:
  FlowGraph graph_;
};

ComponentFlow component_flow(const SupplyGraph& net, const std::string& component,
                             const std::vector<double>& accelerators, const std::vector<std::size_t>& upstream_rank) {
  const Graph& g = net.graph();
  const auto products = net.downstream_products(component);
  const auto carries = [&](const std::string& p) {
    return std::find(products.begin(), products.end(), p) != products.end();
  };
  std::vector<bool> included(net.num_sites(), false);
  FlowNetwork flow(net.num_sites());
  for (Vertex v = 0; v < net.num_sites(); ++v) {
    const SiteVertex& s = g[v];
    if (s.kind == SiteKind::kDesign || s.kind == SiteKind::kNone) continue;
    const bool demand_dc = s.kind == SiteKind::kDatacenter && s.product == net.demand_product();
    if (!demand_dc && (s.kind == SiteKind::kDatacenter || !carries(s.product))) continue;
    included[v] = true;
    flow.add(FlowNetwork::in(v), FlowNetwork::out(v), accelerators[v]);
    if (s.source && s.product == component) flow.add(FlowNetwork::kSource, FlowNetwork::in(v), kInf);
    if (demand_dc) flow.add(FlowNetwork::out(v), FlowNetwork::kSink, kInf);
  }
  for (const auto e : boost::make_iterator_range(boost::edges(g))) {
    const Vertex from = boost::source(e, g);
    const Vertex to = boost::target(e, g);
    if (g[e].kind != EdgeKind::kLane || !included[from] || !included[to]) continue;
    if (g[e].product != g[from].product || !carries(g[e].product)) continue;
    flow.add(FlowNetwork::out(from), FlowNetwork::in(to), kInf);
  }
  auto [value, cut] = flow.solve();
  ComponentFlow result{value, std::nullopt};
  for (const Vertex v : cut) {
    if (!result.bottleneck || upstream_rank[v] < upstream_rank[*result.bottleneck]) result.bottleneck = v;
  }
  return result;
}

}  // namespace

Capacity capacity(const scsim::Scenario& scenario, const SupplyGraph& net, const std::vector<Vertex>& order) {
  const Graph& g = net.graph();
  const auto equivalents = end_equivalents(scenario, net, order);
  std::vector<double> output(net.num_sites());
  std::vector<double> accelerators(net.num_sites());
  // Sort key for "most upstream": lane depth (longest lane path into the site), then topological position.
  std::vector<std::size_t> depth(net.num_sites(), 0);
  std::vector<std::size_t> upstream_rank(net.num_sites());
  for (std::size_t i = 0; i < order.size(); ++i) {
    const Vertex v = order[i];
    for (const auto e : boost::make_iterator_range(boost::in_edges(v, g))) {
      if (g[e].kind == EdgeKind::kLane) depth[v] = std::max(depth[v], depth[boost::source(e, g)] + 1);
    }
    upstream_rank[v] = depth[v] * order.size() + i;
  }

  Capacity result;
  for (const Vertex v : order) {
    output[v] = site_output(scenario.sites(static_cast<int>(v)), g[v]);
    accelerators[v] = g[v].kind == SiteKind::kDesign ? kInf : times(output[v], equivalents[v]);
    result.sites.push_back({g[v].name, g[v].product, output[v], accelerators[v]});
  }

  result.bound_per_week = kInf;
  if (net.demand_product().empty()) return result;
  for (const auto& component : net.leaf_components(net.demand_product())) {
    const auto flow = component_flow(net, component, accelerators, upstream_rank);
    if (flow.flow < result.bound_per_week * (1.0 - 1e-9)) {
      result.bound_per_week = flow.flow;
      result.bottleneck = flow.bottleneck ? g[*flow.bottleneck].name : "";
    }
  }
  return result;
}

}  // namespace scsim::network::detail
