#include "sim/config/resolve.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "sim/config/scenario.pb.h"
#include "sim/config/to_params.hpp"
#include "sim/kinds/kind.hpp"

namespace scsim::config {

namespace {

std::string lane_name(const scsim::Lane& lane) {
  return lane.has_name() && !lane.name().empty() ? lane.name() : lane.from() + "->" + lane.to();
}

// Kahn's algorithm over `edges` (from, to); among ready sites the smallest name goes first; when only cycles
// are left, the smallest remaining name enters next. Returns file indices in canonical order.
std::vector<int> canonical_order(const std::vector<std::string>& names, const std::vector<std::pair<int, int>>& edges) {
  const std::size_t n = names.size();
  std::vector<int> pending(n, 0);
  std::vector<std::vector<int>> out(n);
  for (const auto& [from, to] : edges) {
    ++pending[static_cast<std::size_t>(to)];
    out[static_cast<std::size_t>(from)].push_back(to);
  }
  std::vector<bool> placed(n, false);
  auto by_name = [&](int a, int b) { return names[a] > names[b] || (names[a] == names[b] && a > b); };
  std::vector<int> ready;
  for (std::size_t v = 0; v < n; ++v)
    if (pending[v] == 0) ready.push_back(static_cast<int>(v));
  std::make_heap(ready.begin(), ready.end(), by_name);
  std::vector<int> order;
  while (order.size() < n) {
    int v = -1;
    if (!ready.empty()) {
      std::pop_heap(ready.begin(), ready.end(), by_name);
      v = ready.back();
      ready.pop_back();
    } else {
      for (std::size_t u = 0; u < n; ++u)
        if (!placed[u] && (v < 0 || by_name(v, static_cast<int>(u)))) v = static_cast<int>(u);
    }
    if (placed[static_cast<std::size_t>(v)]) continue;
    placed[static_cast<std::size_t>(v)] = true;
    order.push_back(v);
    for (int w : out[static_cast<std::size_t>(v)])
      if (--pending[static_cast<std::size_t>(w)] == 0 && !placed[static_cast<std::size_t>(w)]) {
        ready.push_back(w);
        std::push_heap(ready.begin(), ready.end(), by_name);
      }
  }
  return order;
}

}  // namespace

KindOf kind_of(const scsim::Site& site) {
  const auto* oneof = scsim::Site::descriptor()->FindOneofByName("kind");
  const auto* field = site.GetReflection()->GetOneofFieldDescriptor(site, oneof);
  if (field == nullptr) return {};
  const kinds::Kind* kind = kinds::find_kind(field->name());
  return {kind, kind ? &site.GetReflection()->GetMessage(site, field) : nullptr, field->name()};
}

scenario::Scenario resolve(const scsim::Scenario& m) {
  scenario::Scenario s;
  s.name = m.name();
  s.description = m.description();
  s.start_date = m.start_date();
  s.horizon_days = m.horizon_days();
  s.seed = m.seed();
  s.replications = m.replications();

  std::map<std::string, int> product_index;
  for (int i = 0; i < m.products_size(); ++i) product_index.emplace(m.products(i).name(), i);
  for (const auto& p : m.products()) {
    scenario::Product product{p.name(), p.unit(), {}};
    for (const auto& line : p.bom()) {
      const auto found = product_index.find(line.product());
      if (found == product_index.end()) continue;
      const int input = found->second;
      auto same = std::find_if(product.bom.begin(), product.bom.end(),
                               [&](const scenario::Input& in) { return in.product == input; });
      if (same == product.bom.end())
        product.bom.push_back({input, line.quantity()});
      else
        same->quantity += line.quantity();
    }
    s.products.push_back(std::move(product));
  }

  // Sites in file order first, then reordered canonically.
  std::vector<scenario::Site> sites;
  std::vector<std::string> gated_by_name, names;
  for (int i = 0; i < m.sites_size(); ++i) {
    const auto& site = m.sites(i);
    const auto [kind, message, kind_name] = kind_of(site);
    if (message == nullptr || kind == nullptr)
      throw std::invalid_argument(fmt::format("site '{}' has no kind", site.name()));
    scenario::Site out;
    out.name = site.name();
    out.company = site.company();
    out.region = site.region();
    out.file_index = i;
    out.kind = kind;
    const bool design = kind->role(false) == scenario::Role::kDesign;
    const auto made = product_index.find(site.product());
    out.product = design || made == product_index.end() ? -1 : made->second;
    const auto& bom =
        out.product >= 0 ? s.products[static_cast<std::size_t>(out.product)].bom : std::vector<scenario::Input>{};
    out.role = kind->role(!bom.empty());
    out.inputs = kind->inputs(out.product, bom);
    kinds::ResolveContext context{&s, out.product, !bom.empty(), {}};
    out.params = kind->resolve(*message, context);
    gated_by_name.push_back(context.gated_by);
    names.push_back(out.name);
    sites.push_back(std::move(out));
  }
  std::map<std::string, int> file_site;
  for (int i = 0; i < static_cast<int>(names.size()); ++i) file_site.emplace(names[static_cast<std::size_t>(i)], i);
  std::vector<std::pair<int, int>> edges;
  // Lanes and gates naming no site (or a gate naming a site that is not a design) are left out: field-level
  // validation reports them.
  auto known_lane = [&](const scsim::Lane& lane) {
    return file_site.count(lane.from()) && file_site.count(lane.to()) && product_index.count(lane.product());
  };
  for (int i = 0; i < static_cast<int>(sites.size()); ++i) {
    auto& gate = gated_by_name[static_cast<std::size_t>(i)];
    const auto design = file_site.find(gate);
    if (design == file_site.end() || sites[static_cast<std::size_t>(design->second)].role != scenario::Role::kDesign)
      gate.clear();
  }
  for (const auto& lane : m.lanes())
    if (known_lane(lane)) edges.emplace_back(file_site.at(lane.from()), file_site.at(lane.to()));
  for (int i = 0; i < static_cast<int>(sites.size()); ++i)
    if (!gated_by_name[static_cast<std::size_t>(i)].empty())
      edges.emplace_back(file_site.at(gated_by_name[static_cast<std::size_t>(i)]), i);
  const auto order = canonical_order(names, edges);
  std::vector<int> rank(order.size());
  for (std::size_t r = 0; r < order.size(); ++r) rank[static_cast<std::size_t>(order[r])] = static_cast<int>(r);
  for (int f : order) {
    auto site = std::move(sites[static_cast<std::size_t>(f)]);
    const auto& gate = gated_by_name[static_cast<std::size_t>(f)];
    site.gated_by = gate.empty() ? -1 : rank[static_cast<std::size_t>(file_site.at(gate))];
    s.sites.push_back(std::move(site));
  }

  // Lanes: unset shares split equally what the set ones leave of the source's output of the product.
  std::map<std::pair<int, int>, std::pair<double, int>> set_and_unset;  // (from, product) -> (sum set, count unset)
  for (const auto& lane : m.lanes()) {
    if (!known_lane(lane)) continue;
    auto& [sum, unset] = set_and_unset[{file_site.at(lane.from()), product_index.at(lane.product())}];
    if (lane.has_share())
      sum += lane.share();
    else
      ++unset;
  }
  // Order shares: unset ones split equally what the set ones leave of the customer's orders of the product.
  std::map<std::pair<int, int>, std::pair<double, int>> order_shares;  // (to, product) -> (sum set, count unset)
  for (const auto& lane : m.lanes()) {
    if (!known_lane(lane)) continue;
    auto& [sum, unset] = order_shares[{file_site.at(lane.to()), product_index.at(lane.product())}];
    if (lane.has_order_share())
      sum += lane.order_share();
    else
      ++unset;
  }
  for (int l = 0; l < m.lanes_size(); ++l) {
    const auto& lane = m.lanes(l);
    if (!known_lane(lane)) continue;
    scenario::Lane out;
    out.name = lane_name(lane);
    out.file_index = l;
    out.from = rank[static_cast<std::size_t>(file_site.at(lane.from()))];
    out.to = rank[static_cast<std::size_t>(file_site.at(lane.to()))];
    out.product = product_index.at(lane.product());
    out.mode = scsim::Lane::Mode_Name(lane.mode());
    const auto& [sum, unset] = set_and_unset[{file_site.at(lane.from()), out.product}];
    out.share = lane.has_share() ? lane.share() : (unset > 0 ? std::max(0.0, 1.0 - sum) / unset : 0.0);
    out.transit_days = to_dist(lane.transit_days());
    out.cadence_days = lane.cadence_days();
    const auto& source = s.sites[static_cast<std::size_t>(out.from)];
    out.qualification = source.kind->qualification_at(source, lane.to());
    out.order_days = lane.order_days();
    // Under a program every lane carries orders back; unset delays take the program's.
    if (m.has_program() && !lane.has_order_days()) out.order_days = m.program().order_days();
    const auto& [share_sum, share_unset] = order_shares[{file_site.at(lane.to()), out.product}];
    out.order_share =
        lane.has_order_share() ? lane.order_share() : (share_unset > 0 ? std::max(0.0, 1.0 - share_sum) / share_unset : 0.0);
    s.lanes.push_back(std::move(out));
  }
  std::sort(s.lanes.begin(), s.lanes.end(), [](const scenario::Lane& a, const scenario::Lane& b) {
    return std::tie(a.from, a.to, a.name) < std::tie(b.from, b.to, b.name);
  });

  for (const auto& d : m.disruptions()) {
    scenario::Disruption out;
    out.name = d.name();
    if (d.has_region()) {
      for (std::size_t i = 0; i < s.sites.size(); ++i)
        if (s.sites[i].region == d.region()) out.sites.push_back(static_cast<int>(i));
    } else if (const int site = s.site_index(d.target()); site >= 0) {
      out.sites.push_back(site);
    } else {
      for (std::size_t l = 0; l < s.lanes.size(); ++l)
        if (s.lanes[l].name == d.target()) out.lanes.push_back(static_cast<int>(l));
    }
    if (d.has_start_date()) out.start_day = s.day_of(d.start_date());
    out.rate_per_year = d.rate_per_year();
    out.duration_days = to_dist(d.duration_days());
    out.capacity_factor = d.capacity_factor();
    out.scrap_fraction = d.scrap_fraction();
    s.disruptions.push_back(std::move(out));
  }

  if (m.has_program()) {
    const auto& p = m.program();
    s.program.enabled = true;
    s.program.policy = p.policy() == scsim::Program::BUILD_AHEAD ? scenario::Program::Policy::kBuildAhead
                                                                 : scenario::Program::Policy::kPlanDriven;
    s.program.weeks_of_supply = p.weeks_of_supply();
    s.program.review_days = p.review_days();
    s.program.rebalance = p.rebalance() == scsim::Program::SHIFT_LATE_ORDERS
                              ? scenario::Program::Rebalance::kShiftLateOrders
                              : scenario::Program::Rebalance::kKeepShares;
    s.program.late_grace_days = p.late_grace_days();
    s.program.order_days = p.order_days();
  }

  s.money.discount_rate_per_year = m.money().discount_rate_per_year();
  if (m.budget().has_total_usd()) s.budget.total_usd = m.budget().total_usd();
  if (m.budget().has_per_year_usd()) s.budget.per_year_usd = m.budget().per_year_usd();
  s.budget.rule = m.budget().rule() == scsim::Budget::CUT ? scenario::Budget::Rule::kCut : scenario::Budget::Rule::kDefer;

  if (m.has_demand()) {
    s.demand.target_units = m.demand().target_units();
    s.demand.due_date = m.demand().due_date();
    if (const auto found = product_index.find(m.demand().product()); found != product_index.end())
      s.demand.product = found->second;
  }
  if (s.demand.product < 0)
    for (const auto& site : s.sites)
      if (site.role == scenario::Role::kDatacenter) {
        s.demand.product = site.product;
        break;
      }
  return s;
}

}  // namespace scsim::config
