#include "sim/engine/plan_inputs.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "models/datacenter.hpp"
#include "sim/kinds/datacenter.hpp"
#include "sim/engine/spend_book.hpp"
#include "sim/kinds/kind.hpp"

namespace scsim::engine {

namespace {

double mw_of(const scenario::Site& site) {
  double mw = 0;
  for (const auto& b : site.params_as<kinds::DatacenterParams>().campus.buildings) mw += b.power_mw;
  return mw;
}

}  // namespace

std::shared_ptr<const PlanInputs> plan_inputs(const scenario::Scenario& s, const network::Analysis& analysis,
                                              const Years& years, int site_index) {
  const auto& site = s.sites[static_cast<std::size_t>(site_index)];
  if (!s.program.enabled || site.role != scenario::Role::kDatacenter || site.product != s.demand.product)
    return nullptr;
  auto in = std::make_shared<PlanInputs>();
  in->program = s.program;

  // This campus's part of the demand and of the chain's capacity: its share of the power of every campus that
  // installs the demand product.
  double all_mw = 0;
  for (const auto& other : s.sites)
    if (other.role == scenario::Role::kDatacenter && other.product == s.demand.product) all_mw += mw_of(other);
  const double share = all_mw > 0 ? mw_of(site) / all_mw : 1.0;
  in->target_units = static_cast<double>(s.demand.target_units) * share;
  in->supply_per_week = analysis.capacity_bound_per_week * share;

  const auto& campus = site.params_as<kinds::DatacenterParams>().campus;
  in->first_arrival_day = analysis.first_unit_day - models::mean(campus.install_days);
  const double kw = models::mean(campus.kw_per_accelerator);
  for (const auto& b : campus.buildings) {
    const double ready =
        models::energized_day(b.construction_start_day, models::mean(b.construction_days), b.power_day.value_or(-1),
                              models::mean(b.power_delay_days));
    in->slots.emplace_back(ready, static_cast<double>(models::accelerator_slots(b.power_mw, kw)));
  }
  for (const auto& other : s.sites)
    if (const auto* terms = other.kind->capacity_terms(other); terms && terms->ramp_days > in->ramp_days) {
      in->ramp_days = terms->ramp_days;
      in->ramp_start_fraction = terms->ramp_start_fraction;
    }

  // Planned lead of an order sent up lane l: its travel up the chain, and the transits and planned lead times
  // down the longest chain behind the lane.
  std::map<int, double> memo;
  std::set<int> visiting;
  std::function<double(int)> lead = [&](int l) -> double {
    if (const auto found = memo.find(l); found != memo.end()) return found->second;
    if (!visiting.insert(l).second) return 0.0;  // a loop: count it once
    const auto& lane = s.lanes[static_cast<std::size_t>(l)];
    const auto& from = s.sites[static_cast<std::size_t>(lane.from)];
    double behind = 0;
    for (std::size_t k = 0; k < s.lanes.size(); ++k)
      if (s.lanes[k].to == lane.from) behind = std::max(behind, lead(static_cast<int>(k)));
    const double days =
        lane.order_days + models::mean(lane.transit_days) + from.kind->planned_lead_days(from) + behind;
    visiting.erase(l);
    return memo[l] = days;
  };
  // Planned capacity behind lane l: for each product made behind it, the sum of its makers' accelerator
  // equivalents per week; the smallest of these.
  std::map<std::string, double> accel;
  for (const auto& c : analysis.sites) accel[c.site] = c.accelerators_per_week;
  auto capacity_behind = [&](int l) {
    std::set<int> closure;
    std::vector<int> todo{s.lanes[static_cast<std::size_t>(l)].from};
    while (!todo.empty()) {
      const int v = todo.back();
      todo.pop_back();
      if (!closure.insert(v).second) continue;
      for (const auto& lane : s.lanes)
        if (lane.to == v) todo.push_back(lane.from);
    }
    std::map<int, double> by_product;
    for (int v : closure) {
      const auto& maker = s.sites[static_cast<std::size_t>(v)];
      const auto found = accel.find(maker.name);
      if (maker.product < 0 || found == accel.end() || !(found->second > 0)) continue;
      by_product[maker.product] += found->second;
    }
    double capacity = scenario::kNever;
    for (const auto& [product, rate] : by_product) capacity = std::min(capacity, rate);
    return capacity;
  };
  for (std::size_t l = 0; l < s.lanes.size(); ++l) {
    const auto& lane = s.lanes[l];
    if (lane.to != site_index || lane.product != site.product) continue;
    in->lanes.push_back({static_cast<int>(l), lane.from, lane.order_share, lead(static_cast<int>(l)), lane.order_days,
                         capacity_behind(static_cast<int>(l))});
  }
  // Budget: the planned cost of one accelerator ordered (each priced site's cost per good unit, times the units
  // per accelerator its share of the supply provides), and the fixed costs the kinds know in advance.
  in->budget = s.budget;
  if (s.budget.any()) {
    std::map<int, double> product_capacity;  // product -> accelerator equivalents per week, all makers
    for (const auto& other : s.sites)
      if (const auto found = accel.find(other.name); found != accel.end() && other.product >= 0 &&
                                                     found->second > 0 && std::isfinite(found->second))
        product_capacity[other.product] += found->second;
    for (const auto& c : analysis.sites) {
      const int index = s.site_index(c.site);
      if (index < 0 || !(c.accelerators_per_week > 0) || !std::isfinite(c.accelerators_per_week)) continue;
      const auto& maker = s.sites[static_cast<std::size_t>(index)];
      const double price = maker.kind->planned_unit_cost_usd(maker);
      if (!(price > 0)) continue;
      const double supply_share = c.accelerators_per_week / product_capacity[maker.product];
      in->cost_per_accelerator += price * (c.output_per_week / c.accelerators_per_week) * supply_share;
    }
    in->years = years;
    in->fixed_by_year.assign(years.ends.size(), 0.0);
    for (const auto& other : s.sites)
      for (const auto& [day, usd] : other.kind->planned_fixed_costs(other)) {
        in->fixed_total += usd;
        in->fixed_by_year[years.index(std::max(0.0, day))] += usd;
      }
  }
  return in;
}

}  // namespace scsim::engine
