// check_network: graph-level problems, every one reported, grouped by check in a fixed order.
#include <fmt/format.h>

#include <algorithm>
#include <boost/graph/depth_first_search.hpp>
#include <cmath>
#include <map>
#include <optional>
#include <queue>

#include "sim/network/supply_network.hpp"

namespace scsim::network {
namespace {

using config::Problem;
using config::Problems;

std::string site_path(Vertex v) {
  return fmt::format("sites[{}]", v);
}
std::string lane_path(int lane_index) {
  return fmt::format("lanes[{}]", lane_index);
}

bool has_positive_step(const scsim::Schedule& schedule) {
  return std::any_of(schedule.steps().begin(), schedule.steps().end(), [](const auto& s) { return s.rate() > 0; });
}

// --- 1. cycles -------------------------------------------------------------------------------------------

// Records DFS tree parents and back edges; each back edge closes exactly one cycle along the tree path.
struct CycleVisitor : boost::default_dfs_visitor {
  std::vector<Vertex>* parent;
  std::vector<Edge>* back_edges;
  void tree_edge(Edge e, const Graph& g) const { (*parent)[boost::target(e, g)] = boost::source(e, g); }
  void back_edge(Edge e, const Graph&) const { back_edges->push_back(e); }
};

void check_cycles(const SupplyGraph& net, Problems& out) {
  const Graph& g = net.graph();
  std::vector<Vertex> parent(net.num_sites());
  std::vector<Edge> back_edges;
  boost::depth_first_search(g, boost::visitor(CycleVisitor{{}, &parent, &back_edges}));
  for (const Edge e : back_edges) {
    const Vertex from = boost::source(e, g);
    const Vertex to = boost::target(e, g);
    // The cycle is the tree path to -> … -> from, closed by e.
    std::vector<Vertex> cycle{from};
    for (Vertex v = from; v != to; v = parent[v]) cycle.push_back(parent[v]);
    std::reverse(cycle.begin(), cycle.end());
    std::string names;
    for (const Vertex v : cycle) names += fmt::format("'{}' -> ", g[v].name);
    names += fmt::format("'{}'", g[to].name);
    const LaneEdge& edge = g[e];
    if (edge.kind == EdgeKind::kLane) {
      out.push_back({lane_path(edge.lane_index), fmt::format("lane '{}' closes a cycle {}", edge.name, names)});
    } else {
      out.push_back({fmt::format("sites[{}].foundry.design_site", to),
                     fmt::format("release gate '{}->{}' closes a cycle {}", g[from].name, g[to].name, names)});
    }
  }
}

// --- 2, 3. lane products ---------------------------------------------------------------------------------

void check_lane_products(const SupplyGraph& net, const scsim::Scenario& scenario, Problems& made, Problems& used) {
  const Graph& g = net.graph();
  for (int i = 0; i < scenario.lanes_size(); ++i) {
    const auto& lane = scenario.lanes(i);
    const auto from = net.find(lane.from());
    const auto to = net.find(lane.to());
    const std::string path = lane_path(i) + ".product";
    const std::string head = fmt::format("lane '{}' carries '{}'", lane_name(lane), lane.product());
    if (from) {
      const SiteVertex& s = g[*from];
      if (s.kind == SiteKind::kDesign || s.kind == SiteKind::kDatacenter) {
        made.push_back(
            {path, fmt::format("{} but site '{}' is a {} site and makes nothing", head, s.name, kind_name(s.kind))});
      } else if (s.product != lane.product()) {
        made.push_back({path, fmt::format("{} but site '{}' makes '{}'", head, s.name, s.product)});
      }
    }
    if (to && net.input_quantity(*to, lane.product()) <= 0) {
      const SiteVertex& t = g[*to];
      if (t.kind == SiteKind::kDesign) {
        used.push_back({path, fmt::format("{} but site '{}' is a design site and uses nothing", head, t.name)});
      } else if (t.kind == SiteKind::kDatacenter) {
        used.push_back({path, fmt::format("{} but site '{}' installs '{}'", head, t.name, t.product)});
      } else if (t.source) {
        used.push_back({path, fmt::format("{} but site '{}' makes '{}' from scratch and uses no inputs", head, t.name,
                                          t.product)});
      } else {
        used.push_back({path, fmt::format("{} but site '{}' makes '{}', which does not use '{}'", head, t.name,
                                          t.product, lane.product())});
      }
    }
  }
}

// --- 4. inputs supplied ----------------------------------------------------------------------------------

bool lane_brings(const Graph& g, Vertex v, const std::string& product) {
  for (const auto e : boost::make_iterator_range(boost::in_edges(v, g))) {
    if (g[e].kind == EdgeKind::kLane && g[e].product == product) return true;
  }
  return false;
}

void check_inputs_supplied(const SupplyGraph& net, Problems& out) {
  const Graph& g = net.graph();
  for (Vertex v = 0; v < net.num_sites(); ++v) {
    const SiteVertex& s = g[v];
    for (const auto& in : s.inputs) {
      if (lane_brings(g, v, in.product)) continue;
      const std::string path = site_path(v) + ".product";
      if (s.kind == SiteKind::kDatacenter) {
        out.push_back({path, fmt::format("datacenter '{}' installs '{}' but no lane brings it", s.name, s.product)});
      } else if (in.product == s.product) {
        out.push_back({path, fmt::format("site '{}' tests '{}' but no lane brings it", s.name, s.product)});
      } else {
        out.push_back({path, fmt::format("site '{}' assembles '{}' but no lane brings its input '{}'", s.name,
                                         s.product, in.product)});
      }
    }
  }
}

// --- 5. reachability from designs ------------------------------------------------------------------------

// Sites reachable from `starts` following edges forward (lanes and gates) or backward (lanes only).
std::vector<bool> reach(const Graph& g, const std::vector<Vertex>& starts, bool forward) {
  std::vector<bool> seen(boost::num_vertices(g), false);
  std::queue<Vertex> todo;
  for (const Vertex v : starts) {
    seen[v] = true;
    todo.push(v);
  }
  while (!todo.empty()) {
    const Vertex v = todo.front();
    todo.pop();
    auto visit = [&](Vertex w) {
      if (!seen[w]) {
        seen[w] = true;
        todo.push(w);
      }
    };
    if (forward) {
      for (const auto e : boost::make_iterator_range(boost::out_edges(v, g))) visit(boost::target(e, g));
    } else {
      for (const auto e : boost::make_iterator_range(boost::in_edges(v, g))) {
        if (g[e].kind == EdgeKind::kLane) visit(boost::source(e, g));
      }
    }
  }
  return seen;
}

void check_design_reaches_datacenters(const SupplyGraph& net, Problems& out) {
  const Graph& g = net.graph();
  std::vector<Vertex> designs;
  for (Vertex v = 0; v < net.num_sites(); ++v) {
    if (g[v].kind == SiteKind::kDesign) designs.push_back(v);
  }
  if (designs.empty()) return;
  const auto seen = reach(g, designs, true);
  for (Vertex v = 0; v < net.num_sites(); ++v) {
    if (g[v].kind == SiteKind::kDatacenter && !seen[v]) {
      out.push_back({site_path(v), fmt::format("datacenter '{}' is not reachable from any design site", g[v].name)});
    }
  }
}

// --- 6. zero-capacity sources feeding the demand ---------------------------------------------------------

std::vector<Vertex> demand_datacenters(const SupplyGraph& net) {
  std::vector<Vertex> result;
  for (Vertex v = 0; v < net.num_sites(); ++v) {
    const SiteVertex& s = net.site(v);
    if (s.kind == SiteKind::kDatacenter && !net.demand_product().empty() && s.product == net.demand_product()) {
      result.push_back(v);
    }
  }
  return result;
}

// The field path and name of the schedule or release that leaves a site feeding the demand with no capacity.
std::optional<std::pair<std::string, std::string>> zero_capacity_field(const scsim::Site& site) {
  if (site.has_foundry() && !has_positive_step(site.foundry().wafer_starts_per_week())) {
    return std::pair{"foundry.wafer_starts_per_week", "wafer_starts_per_week has no step with rate > 0"};
  }
  if (site.has_memory() && !has_positive_step(site.memory().dram_wafer_starts_per_week())) {
    return std::pair{"memory.dram_wafer_starts_per_week", "dram_wafer_starts_per_week has no step with rate > 0"};
  }
  // Packaging is unlimited without a schedule, but a schedule that is set and never positive stops it.
  if (site.has_packaging() && site.packaging().has_interposer_wafers_per_week() &&
      !has_positive_step(site.packaging().interposer_wafers_per_week())) {
    return std::pair{"packaging.interposer_wafers_per_week", "interposer_wafers_per_week has no step with rate > 0"};
  }
  return std::nullopt;
}

void check_zero_capacity(const SupplyGraph& net, const scsim::Scenario& scenario, Problems& out) {
  const auto feeds = reach(net.graph(), demand_datacenters(net), false);
  for (Vertex v = 0; v < net.num_sites(); ++v) {
    if (!feeds[v]) continue;
    const SiteVertex& s = net.site(v);
    const auto& site = scenario.sites(static_cast<int>(v));
    const std::string head = fmt::format("site '{}' feeds '{}' with zero capacity", s.name, net.demand_product());
    if (const auto field = zero_capacity_field(site)) {
      out.push_back({fmt::format("{}.{}", site_path(v), field->first), fmt::format("{}: {}", head, field->second)});
    } else if (site.has_generic() && s.source) {
      const auto& generic = site.generic();
      if (!generic.has_release() || generic.release().policy_case() == scsim::Release::POLICY_NOT_SET) {
        out.push_back({site_path(v) + ".generic.release",
                       fmt::format("{}: no release is set to make '{}' from scratch", head, s.product)});
      } else if (generic.release().has_lots_per_week() && !has_positive_step(generic.release().lots_per_week())) {
        out.push_back({site_path(v) + ".generic.release.lots_per_week",
                       fmt::format("{}: lots_per_week has no step with rate > 0", head)});
      }
    }
  }
}

// --- 7. lane shares --------------------------------------------------------------------------------------

void check_shares(const scsim::Scenario& scenario, Problems& out) {
  // Groups of lanes by (from, product), in order of their first lane.
  std::vector<std::vector<int>> groups;
  std::map<std::pair<std::string, std::string>, std::size_t> group_of;
  for (int i = 0; i < scenario.lanes_size(); ++i) {
    const auto& lane = scenario.lanes(i);
    const auto [it, added] = group_of.try_emplace({lane.from(), lane.product()}, groups.size());
    if (added) groups.emplace_back();
    groups[it->second].push_back(i);
  }
  for (const auto& group : groups) {
    const auto& first = scenario.lanes(group.front());
    const auto set = std::count_if(group.begin(), group.end(), [&](int i) { return scenario.lanes(i).has_share(); });
    if (set == 0) continue;
    const std::string what = fmt::format("lanes from '{}' carrying '{}'", first.from(), first.product());
    if (static_cast<std::size_t>(set) != group.size()) {
      const int unset =
          *std::find_if(group.begin(), group.end(), [&](int i) { return !scenario.lanes(i).has_share(); });
      out.push_back({lane_path(unset) + ".share",
                     fmt::format("share is set on some {} but not on '{}'", what, lane_name(scenario.lanes(unset)))});
      continue;
    }
    double sum = 0;
    std::string parts;
    for (const int i : group) {
      sum += scenario.lanes(i).share();
      parts += fmt::format("{}'{}' {:g}", parts.empty() ? "" : ", ", lane_name(scenario.lanes(i)),
                           scenario.lanes(i).share());
    }
    if (std::abs(sum - 1.0) > 1e-6) {
      out.push_back(
          {lane_path(group.front()) + ".share", fmt::format("shares of {} sum to {:g}, not 1 ({})", what, sum, parts)});
    }
  }
}

// --- 8. dead ends ----------------------------------------------------------------------------------------

void check_dead_ends(const SupplyGraph& net, Problems& out) {
  const Graph& g = net.graph();
  for (Vertex v = 0; v < net.num_sites(); ++v) {
    const SiteVertex& s = g[v];
    if (s.kind == SiteKind::kDesign || s.kind == SiteKind::kDatacenter || s.kind == SiteKind::kNone) continue;
    const auto out_edges = boost::make_iterator_range(boost::out_edges(v, g));
    const bool ships = std::any_of(out_edges.begin(), out_edges.end(),
                                   [&](Edge e) { return g[e].kind == EdgeKind::kLane && g[e].product == s.product; });
    if (!ships) {
      out.push_back(
          {site_path(v), fmt::format("site '{}' makes '{}' but no lane ships it anywhere", s.name, s.product)});
    }
  }
}

// --- 9. datacenters --------------------------------------------------------------------------------------

void check_datacenters(const SupplyGraph& net, const scsim::Scenario& scenario, Problems& out) {
  const Graph& g = net.graph();
  bool any = false;
  for (Vertex v = 0; v < net.num_sites(); ++v) any = any || g[v].kind == SiteKind::kDatacenter;
  if (!any) {
    out.push_back({"sites", "no datacenter site: nothing can be installed"});
    return;
  }
  if (demand_datacenters(net).empty()) {
    const std::string path = scenario.has_demand() ? "demand.product" : "sites";
    out.push_back({path, fmt::format("no datacenter installs the demand product '{}'", net.demand_product())});
  }
}

}  // namespace

config::Problems check_network(const scsim::Scenario& scenario) {
  const SupplyGraph net(scenario);
  Problems cycles, made, used, supplied, reachable, zero, shares, dead_ends, datacenters;
  check_cycles(net, cycles);
  check_lane_products(net, scenario, made, used);
  check_inputs_supplied(net, supplied);
  check_design_reaches_datacenters(net, reachable);
  check_zero_capacity(net, scenario, zero);
  check_shares(scenario, shares);
  check_dead_ends(net, dead_ends);
  check_datacenters(net, scenario, datacenters);
  Problems all;
  for (auto* group : {&cycles, &made, &used, &supplied, &reachable, &zero, &shares, &dead_ends, &datacenters}) {
    all.insert(all.end(), group->begin(), group->end());
  }
  return all;
}

}  // namespace scsim::network
