// check_network: graph-level problems, every one reported, grouped by check in a fixed order. Sites and lanes
// are visited in file order so that messages read in the order the user wrote things.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <queue>

#include "sim/config/resolve.hpp"
#include "sim/config/scenario.pb.h"
#include "sim/kinds/kind.hpp"
#include "sim/network/supply_graph.hpp"

namespace scsim::network {
namespace {

using config::Problem;
using config::Problems;
using scenario::Role;

class Checker {
 public:
  explicit Checker(const scenario::Scenario& s) : s_(s) {
    for (std::size_t i = 0; i < s.sites.size(); ++i) site_by_file_.push_back(static_cast<int>(i));
    std::sort(site_by_file_.begin(), site_by_file_.end(),
              [&](int a, int b) { return site(a).file_index < site(b).file_index; });
    for (std::size_t l = 0; l < s.lanes.size(); ++l) lane_by_file_.push_back(static_cast<int>(l));
    std::sort(lane_by_file_.begin(), lane_by_file_.end(),
              [&](int a, int b) { return lane(a).file_index < lane(b).file_index; });
  }

  const scenario::Site& site(int i) const { return s_.sites[static_cast<std::size_t>(i)]; }
  const scenario::Lane& lane(int l) const { return s_.lanes[static_cast<std::size_t>(l)]; }
  std::string site_path(int i) const { return fmt::format("sites[{}]", site(i).file_index); }
  std::string lane_path(int l) const { return fmt::format("lanes[{}]", lane(l).file_index); }
  std::string kind(int i) const { return std::string(site(i).kind->name()); }
  const std::string& product(int p) const { return s_.product_name(p); }

  // --- 1. cycles without lookahead ------------------------------------------------------------------------
  // A depth-first search over the edges with no positive minimum delay, in file order; each back edge closes
  // exactly one such cycle along the tree path.
  void cycles(Problems& out) const {
    struct Out {
      int to;
      int lane;  // -1 for a gate
    };
    std::vector<std::vector<Out>> next(s_.sites.size());
    for (int l : lane_by_file_)
      if (!(models::lower_bound(lane(l).transit_days) > 0)) next[lane(l).from].push_back({lane(l).to, l});
    for (int i : site_by_file_)
      if (site(i).gated_by >= 0) next[site(i).gated_by].push_back({i, -1});
    std::vector<int> state(s_.sites.size(), 0), parent(s_.sites.size(), -1);  // 0 new, 1 open, 2 done
    std::function<void(int)> visit = [&](int v) {
      state[v] = 1;
      for (const auto& e : next[v]) {
        if (state[e.to] == 0) {
          parent[e.to] = v;
          visit(e.to);
        } else if (state[e.to] == 1) {
          std::vector<int> cycle{v};
          for (int u = v; u != e.to; u = parent[u]) cycle.push_back(parent[u]);
          std::reverse(cycle.begin(), cycle.end());
          std::string names;
          for (int u : cycle) names += fmt::format("'{}' -> ", site(u).name);
          names += fmt::format("'{}'", site(e.to).name);
          const std::string why =
              " with no positive minimum delay on it (a lane with a positive minimum transit "
              "or an order delay would give it lookahead)";
          if (e.lane >= 0)
            out.push_back(
                {lane_path(e.lane), fmt::format("lane '{}' closes a cycle {}{}", lane(e.lane).name, names, why)});
          else
            out.push_back(
                {site_path(e.to) + ".foundry.design_site",
                 fmt::format("release gate '{}->{}' closes a cycle {}{}", site(v).name, site(e.to).name, names, why)});
        }
      }
      state[v] = 2;
    };
    for (int i : site_by_file_)
      if (state[i] == 0) visit(i);
  }

  // --- 2, 3. lane products ----------------------------------------------------------------------------------
  void lane_products(Problems& made, Problems& used) const {
    for (int l : lane_by_file_) {
      const auto& ln = lane(l);
      const std::string path = lane_path(l) + ".product";
      const std::string head = fmt::format("lane '{}' carries '{}'", ln.name, product(ln.product));
      const auto& from = site(ln.from);
      if (from.role == Role::kDesign || from.role == Role::kDatacenter)
        made.push_back(
            {path, fmt::format("{} but site '{}' is a {} site and makes nothing", head, from.name, kind(ln.from))});
      else if (from.product != ln.product)
        made.push_back({path, fmt::format("{} but site '{}' makes '{}'", head, from.name, product(from.product))});
      if (s_.input_quantity(ln.to, ln.product) > 0) continue;
      const auto& to = site(ln.to);
      if (to.role == Role::kDesign)
        used.push_back({path, fmt::format("{} but site '{}' is a design site and uses nothing", head, to.name)});
      else if (to.role == Role::kDatacenter)
        used.push_back({path, fmt::format("{} but site '{}' installs '{}'", head, to.name, product(to.product))});
      else if (to.role == Role::kSource)
        used.push_back({path, fmt::format("{} but site '{}' makes '{}' from scratch and uses no inputs", head, to.name,
                                          product(to.product))});
      else
        used.push_back({path, fmt::format("{} but site '{}' makes '{}', which does not use '{}'", head, to.name,
                                          product(to.product), product(ln.product))});
    }
  }

  // --- 4. inputs supplied -----------------------------------------------------------------------------------
  void inputs_supplied(Problems& out) const {
    for (int i : site_by_file_) {
      const auto& s = site(i);
      for (const auto& in : s.inputs) {
        const bool brought = std::any_of(s_.lanes.begin(), s_.lanes.end(),
                                         [&](const auto& l) { return l.to == i && l.product == in.product; });
        if (brought) continue;
        const std::string path = site_path(i) + ".product";
        if (s.role == Role::kDatacenter)
          out.push_back(
              {path, fmt::format("datacenter '{}' installs '{}' but no lane brings it", s.name, product(s.product))});
        else if (in.product == s.product)
          out.push_back({path, fmt::format("site '{}' tests '{}' but no lane brings it", s.name, product(s.product))});
        else
          out.push_back({path, fmt::format("site '{}' assembles '{}' but no lane brings its input '{}'", s.name,
                                           product(s.product), product(in.product))});
      }
    }
  }

  // Sites reachable from `starts` following lanes and gates forward, or lanes backward.
  std::vector<bool> reach(const std::vector<int>& starts, bool forward) const {
    std::vector<bool> seen(s_.sites.size(), false);
    std::queue<int> todo;
    for (int v : starts) seen[v] = true, todo.push(v);
    auto visit = [&](int w) {
      if (!seen[w]) seen[w] = true, todo.push(w);
    };
    while (!todo.empty()) {
      const int v = todo.front();
      todo.pop();
      for (const auto& l : s_.lanes)
        if (forward && l.from == v)
          visit(l.to);
        else if (!forward && l.to == v)
          visit(l.from);
      if (forward)
        for (std::size_t i = 0; i < s_.sites.size(); ++i)
          if (s_.sites[i].gated_by == v) visit(static_cast<int>(i));
    }
    return seen;
  }

  // --- 5. reachability from designs -------------------------------------------------------------------------
  void design_reaches_datacenters(Problems& out) const {
    std::vector<int> designs;
    for (int i : site_by_file_)
      if (site(i).role == Role::kDesign) designs.push_back(i);
    if (designs.empty()) return;
    const auto seen = reach(designs, true);
    for (int i : site_by_file_)
      if (site(i).role == Role::kDatacenter && !seen[i])
        out.push_back(
            {site_path(i), fmt::format("datacenter '{}' is not reachable from any design site", site(i).name)});
  }

  std::vector<int> demand_datacenters() const {
    std::vector<int> result;
    for (int i : site_by_file_)
      if (site(i).role == Role::kDatacenter && s_.demand.product >= 0 && site(i).product == s_.demand.product)
        result.push_back(i);
    return result;
  }

  // --- 6. zero-capacity sites feeding the demand ------------------------------------------------------------
  void zero_capacity(Problems& out) const {
    const auto feeds = reach(demand_datacenters(), false);
    for (int i : site_by_file_) {
      if (!feeds[i]) continue;
      const auto& s = site(i);
      if (const auto problem = s.kind->zero_capacity(s, product(s.product)))
        out.push_back({fmt::format("{}.{}", site_path(i), problem->field),
                       fmt::format("site '{}' feeds '{}' with zero capacity: {}", s.name, product(s_.demand.product),
                                   problem->message)});
    }
  }

  // --- 8. dead ends -----------------------------------------------------------------------------------------
  void dead_ends(Problems& out) const {
    for (int i : site_by_file_) {
      const auto& s = site(i);
      if (s.role == Role::kDesign || s.role == Role::kDatacenter) continue;
      const bool ships = std::any_of(s_.lanes.begin(), s_.lanes.end(),
                                     [&](const auto& l) { return l.from == i && l.product == s.product; });
      if (!ships)
        out.push_back({site_path(i),
                       fmt::format("site '{}' makes '{}' but no lane ships it anywhere", s.name, product(s.product))});
    }
  }

  // --- 9. datacenters ---------------------------------------------------------------------------------------
  void datacenters(bool has_demand, Problems& out) const {
    const bool any =
        std::any_of(s_.sites.begin(), s_.sites.end(), [](const auto& s) { return s.role == Role::kDatacenter; });
    if (!any) {
      out.push_back({"sites", "no datacenter site: nothing can be installed"});
      return;
    }
    if (demand_datacenters().empty())
      out.push_back({has_demand ? "demand.product" : "sites",
                     fmt::format("no datacenter installs the demand product '{}'", product(s_.demand.product))});
  }

  // --- 10. orders -------------------------------------------------------------------------------------------
  // Orders travel back up a lane only to a source that releases to orders; such a source needs some.
  void orders(Problems& out) const {
    if (s_.program.enabled) return;  // a program's orders travel up every lane, through every site
    for (int l : lane_by_file_)
      if (lane(l).order_days > 0 && !site(lane(l).from).kind->makes_to_order(site(lane(l).from)))
        out.push_back({lane_path(l) + ".order_days",
                       fmt::format("lane '{}' sends orders back to '{}', which does not release to orders",
                                   lane(l).name, site(lane(l).from).name)});
    for (int i : site_by_file_)
      if (site(i).kind->makes_to_order(site(i)) && std::none_of(s_.lanes.begin(), s_.lanes.end(), [&](const auto& ln) {
            return ln.from == i && ln.order_days > 0;
          }))
        out.push_back({site_path(i), fmt::format("site '{}' releases to orders but no lane from it has order_days > 0 "
                                                 "to bring any",
                                                 site(i).name)});
  }

 private:
  const scenario::Scenario& s_;
  std::vector<int> site_by_file_, lane_by_file_;
};

// --- 7. lane shares and order shares (as written in the file) -----------------------------------------------
// Shares of one group (lanes from one site with one product; order shares: lanes into one site with one
// product) are all set or all unset, and set ones sum to 1.
struct ShareField {
  const char* field;                                   // "share" or "order_share"
  const char* end;                                     // "from" or "to", for messages
  bool partial;                                        // some may be unset: they share what the set ones leave
  bool (*has)(const scsim::Lane&);
  double (*value)(const scsim::Lane&);
  const std::string& (*site)(const scsim::Lane&);      // the site grouping them
};

void check_share_groups(const scsim::Scenario& scenario, const ShareField& f, Problems& out) {
  auto name_of = [](const scsim::Lane& lane) {
    return lane.has_name() && !lane.name().empty() ? lane.name() : lane.from() + "->" + lane.to();
  };
  std::vector<std::vector<int>> groups;
  std::map<std::pair<std::string, std::string>, std::size_t> group_of;
  for (int i = 0; i < scenario.lanes_size(); ++i) {
    const auto& lane = scenario.lanes(i);
    const auto [it, added] = group_of.try_emplace({f.site(lane), lane.product()}, groups.size());
    if (added) groups.emplace_back();
    groups[it->second].push_back(i);
  }
  for (const auto& group : groups) {
    const auto& first = scenario.lanes(group.front());
    const auto set = std::count_if(group.begin(), group.end(), [&](int i) { return f.has(scenario.lanes(i)); });
    if (set == 0) continue;
    const std::string what = fmt::format("lanes {} '{}' carrying '{}'", f.end, f.site(first), first.product());
    if (f.partial && static_cast<std::size_t>(set) != group.size()) {
      double sum = 0;
      for (const int i : group)
        if (f.has(scenario.lanes(i))) sum += f.value(scenario.lanes(i));
      if (sum > 1 + 1e-6)
        out.push_back({fmt::format("lanes[{}].{}", group.front(), f.field),
                       fmt::format("{}s set on {} sum to {:g}, over 1", f.field, what, sum)});
      continue;
    }
    if (static_cast<std::size_t>(set) != group.size()) {
      const int unset = *std::find_if(group.begin(), group.end(), [&](int i) { return !f.has(scenario.lanes(i)); });
      out.push_back({fmt::format("lanes[{}].{}", unset, f.field),
                     fmt::format("{} is set on some {} but not on '{}'", f.field, what, name_of(scenario.lanes(unset)))});
      continue;
    }
    double sum = 0;
    std::string parts;
    for (const int i : group) {
      sum += f.value(scenario.lanes(i));
      parts += fmt::format("{}'{}' {:g}", parts.empty() ? "" : ", ", name_of(scenario.lanes(i)),
                           f.value(scenario.lanes(i)));
    }
    if (std::abs(sum - 1.0) > 1e-6)
      out.push_back({fmt::format("lanes[{}].{}", group.front(), f.field),
                     fmt::format("{}s of {} sum to {:g}, not 1 ({})", f.field, what, sum, parts)});
  }
}

void check_shares(const scsim::Scenario& scenario, Problems& out) {
  check_share_groups(scenario,
                     {"share", "from", false, [](const scsim::Lane& l) { return l.has_share(); },
                      [](const scsim::Lane& l) { return l.share(); },
                      [](const scsim::Lane& l) -> const std::string& { return l.from(); }},
                     out);
  check_share_groups(scenario,
                     {"order_share", "into", true, [](const scsim::Lane& l) { return l.has_order_share(); },
                      [](const scsim::Lane& l) { return l.order_share(); },
                      [](const scsim::Lane& l) -> const std::string& { return l.to(); }},
                     out);
}

}  // namespace

config::Problems check_network(const scsim::Scenario& message) {
  const auto resolved = config::resolve(message);
  const Checker check(resolved);
  Problems cycles, made, used, supplied, reachable, zero, shares, dead_ends, datacenters, orders;
  check.cycles(cycles);
  check.lane_products(made, used);
  check.inputs_supplied(supplied);
  check.design_reaches_datacenters(reachable);
  check.zero_capacity(zero);
  check_shares(message, shares);
  check.dead_ends(dead_ends);
  check.datacenters(message.has_demand(), datacenters);
  check.orders(orders);
  Problems all;
  for (auto* group : {&cycles, &made, &used, &supplied, &reachable, &zero, &shares, &dead_ends, &datacenters, &orders})
    all.insert(all.end(), group->begin(), group->end());
  return all;
}

}  // namespace scsim::network
