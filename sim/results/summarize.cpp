// Combining replications into a Summary.
#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sim/config/date.hpp"
#include "sim/results/results.hpp"
#include "sim/stats/tally.hpp"

namespace scsim::results {

scsim::Stat stat_of(const std::vector<double>& values) {
  scsim::Stat stat;
  const std::size_t n = values.size();
  stat.set_n(static_cast<std::int32_t>(n));
  if (n == 0) return stat;  // nothing measured: no mean, no quantiles
  // Plain summation in replication order keeps the result independent of how the work was split.
  double sum = 0;
  for (double v : values) sum += v;
  const double mean = sum / static_cast<double>(n);
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  stat.set_mean(mean);
  stat.set_p10(stats::quantile_sorted(sorted.data(), n, 0.1));
  stat.set_p50(stats::quantile_sorted(sorted.data(), n, 0.5));
  stat.set_p90(stats::quantile_sorted(sorted.data(), n, 0.9));
  if (n >= 2) {
    double squares = 0;
    for (double v : values) squares += (v - mean) * (v - mean);
    const double sd = std::sqrt(squares / static_cast<double>(n - 1));
    const boost::math::students_t t_dist(static_cast<double>(n - 1));
    stat.set_ci95(boost::math::quantile(t_dist, 0.975) * sd / std::sqrt(static_cast<double>(n)));
  }
  return stat;
}

namespace {

scsim::Milestone summarize_milestone(const scsim::Scenario& scenario, std::size_t index,
                                     const std::vector<scsim::ReplicationResult>& replications) {
  scsim::Milestone milestone;
  milestone.set_fraction(kMilestoneFractions[index]);
  std::vector<double> days;
  for (const auto& r : replications) {
    if (static_cast<int>(index) < r.milestone_days_size() && r.milestone_days(static_cast<int>(index)) >= 0)
      days.push_back(r.milestone_days(static_cast<int>(index)));
  }
  *milestone.mutable_day() = stat_of(days);  // n = 0 and nothing else when no replication reached it
  if (!days.empty()) {  // otherwise the dates stay unset
    const scsim::Stat stat = stat_of(days);
    *milestone.mutable_day() = stat;
    milestone.set_date_p10(config::date_after(scenario.start_date(), stat.p10()));
    milestone.set_date_p50(config::date_after(scenario.start_date(), stat.p50()));
    milestone.set_date_p90(config::date_after(scenario.start_date(), stat.p90()));
    milestone.set_date_mean(config::date_after(scenario.start_date(), stat.mean()));
  }
  milestone.set_reached_share(
      replications.empty() ? 0.0 : static_cast<double>(days.size()) / static_cast<double>(replications.size()));
  return milestone;
}

// One stage's statistics over the replications that report it.
struct StageSums {
  std::string name;
  int count = 0;
  double mean_days = 0, p50_days = 0, p90_days = 0, time_avg_wip = 0, throughput_per_day = 0;
  bool has_flow = false;  // WIP and throughput measured (not for datacenters)
  int utilization_count = 0, cost_count = 0;
  double utilization = 0, cost_per_unit_usd = 0;
  std::vector<double> lead, wip, throughput, utilizations, costs;  // per replication, for the Stats
};

void summarize_stages(const std::vector<scsim::ReplicationResult>& replications, scsim::Summary& summary) {
  std::vector<StageSums> sums;
  std::map<std::string, std::size_t> index;
  for (const auto& r : replications) {
    for (const auto& s : r.stages()) {
      auto [it, inserted] = index.try_emplace(s.stage(), sums.size());
      if (inserted) {
        sums.emplace_back();
        sums.back().name = s.stage();
      }
      StageSums& sum = sums[it->second];
      ++sum.count;
      sum.mean_days += s.mean_days();
      sum.p50_days += s.p50_days();
      sum.p90_days += s.p90_days();
      sum.time_avg_wip += s.time_avg_wip();
      sum.throughput_per_day += s.throughput_per_day();
      sum.has_flow = sum.has_flow || s.has_time_avg_wip();
      sum.lead.push_back(s.mean_days());
      if (s.has_time_avg_wip()) sum.wip.push_back(s.time_avg_wip());
      if (s.has_throughput_per_day()) sum.throughput.push_back(s.throughput_per_day());
      if (s.has_utilization()) {
        ++sum.utilization_count;
        sum.utilization += s.utilization();
        sum.utilizations.push_back(s.utilization());
      }
      if (s.has_cost_per_unit_usd()) {
        ++sum.cost_count;
        sum.cost_per_unit_usd += s.cost_per_unit_usd();
        sum.costs.push_back(s.cost_per_unit_usd());
      }
    }
  }
  for (const auto& sum : sums) {
    auto* out = summary.add_stages();
    const double n = sum.count;
    out->set_stage(sum.name);
    out->set_mean_days(sum.mean_days / n);
    out->set_p50_days(sum.p50_days / n);
    out->set_p90_days(sum.p90_days / n);
    if (sum.has_flow) {
      out->set_time_avg_wip(sum.time_avg_wip / n);
      out->set_throughput_per_day(sum.throughput_per_day / n);
    }
    if (sum.utilization_count > 0) out->set_utilization(sum.utilization / sum.utilization_count);
    if (sum.cost_count > 0) out->set_cost_per_unit_usd(sum.cost_per_unit_usd / sum.cost_count);
    out->set_replications(sum.count);
    *out->mutable_lead_time_days() = stat_of(sum.lead);
    if (sum.has_flow) {
      *out->mutable_wip_lots() = stat_of(sum.wip);
      *out->mutable_throughput_lots_per_day() = stat_of(sum.throughput);
    }
    if (!sum.utilizations.empty()) *out->mutable_utilization_stat() = stat_of(sum.utilizations);
    if (!sum.costs.empty()) *out->mutable_cost_per_unit_usd_stat() = stat_of(sum.costs);
  }
}

// Each design site's tape-out, first silicon and production release: the drawn days across the replications,
// in first-seen (site, event) order, which is site order and event order.
void summarize_design(const scsim::Scenario& scenario, const std::vector<scsim::ReplicationResult>& replications,
                      scsim::Summary& summary) {
  std::vector<std::pair<std::string, std::string>> keys;
  std::vector<std::vector<double>> days;
  std::map<std::pair<std::string, std::string>, std::size_t> index;
  for (const auto& r : replications) {
    for (const auto& e : r.design_events()) {
      auto key = std::make_pair(e.site(), e.event());
      auto [it, inserted] = index.try_emplace(key, keys.size());
      if (inserted) {
        keys.push_back(std::move(key));
        days.emplace_back();
      }
      days[it->second].push_back(e.day());
    }
  }
  const std::string& start = scenario.start_date();
  for (std::size_t i = 0; i < keys.size(); ++i) {
    auto* out = summary.add_design_milestones();
    out->set_site(keys[i].first);
    out->set_event(keys[i].second);
    const scsim::Stat stat = stat_of(days[i]);  // never empty: each key came with a day
    out->set_mean_day(stat.mean());
    out->set_date(config::date_after(start, stat.mean()));
    *out->mutable_day() = stat;
    out->set_date_p10(config::date_after(start, stat.p10()));
    out->set_date_p50(config::date_after(start, stat.p50()));
    out->set_date_p90(config::date_after(start, stat.p90()));
  }
}

// Money, when any replication priced anything; accelerator-days always.
void summarize_money(const std::vector<scsim::ReplicationResult>& replications, scsim::Summary& summary) {
  std::vector<double> days, per_day, per_unit, spend, pv, top, inventory, idle, bound_day, deferred, cut;
  std::vector<std::string> categories, years, day_years;
  std::map<std::string, std::vector<double>> by_category, by_year, days_by_year;
  bool money = false, budget = false;
  for (const auto& r : replications) {
    days.push_back(r.accelerator_days());
    for (const auto& v : r.accelerator_days_by_year()) {
      if (!days_by_year.count(v.year_end())) day_years.push_back(v.year_end());
      days_by_year[v.year_end()].push_back(v.value());
    }
    budget = budget || r.has_budget_bound_day();
    if (r.has_budget_bound_day()) {
      if (r.budget_bound_day() >= 0) bound_day.push_back(r.budget_bound_day());
      deferred.push_back(r.budget_deferred_units());
      cut.push_back(r.budget_cut_units());
    }
    if (!r.has_spend_usd()) continue;
    money = true;
    spend.push_back(r.spend_usd());
    pv.push_back(r.spend_usd_pv());
    inventory.push_back(r.inventory_usd());
    idle.push_back(r.idle_capex_usd());
    if (r.has_take_or_pay_usd()) top.push_back(r.take_or_pay_usd());
    if (r.accelerator_days() > 0) per_day.push_back(r.spend_usd() / r.accelerator_days());
    if (r.installed_units() > 0) per_unit.push_back(r.spend_usd() / r.installed_units());
    for (const auto& v : r.spend_by_category()) {
      if (!by_category.count(v.category())) categories.push_back(v.category());
      by_category[v.category()].push_back(v.value());
    }
    for (const auto& v : r.spend_by_year()) {
      if (!by_year.count(v.year_end())) years.push_back(v.year_end());
      by_year[v.year_end()].push_back(v.value());
    }
  }
  *summary.mutable_accelerator_days() = stat_of(days);
  for (const auto& year : day_years) {
    auto* y = summary.add_accelerator_days_by_year();
    y->set_year_end(year);
    *y->mutable_value() = stat_of(days_by_year[year]);
  }
  if (budget) {
    summary.set_budget_bound_share(static_cast<double>(bound_day.size()) / static_cast<double>(deferred.size()));
    *summary.mutable_budget_bound_day() = stat_of(bound_day);
    *summary.mutable_budget_deferred_units() = stat_of(deferred);
    *summary.mutable_budget_cut_units() = stat_of(cut);
  }
  if (!money) return;
  *summary.mutable_spend_usd() = stat_of(spend);
  // A category a replication did not spend on counts as 0 there.
  for (const auto& category : categories) {
    auto values = by_category[category];
    values.resize(spend.size(), 0.0);
    auto* c = summary.add_spend_usd_by_category();
    c->set_category(category);
    *c->mutable_value() = stat_of(values);
  }
  for (const auto& year : years) {
    auto* y = summary.add_spend_usd_by_year();
    y->set_year_end(year);
    *y->mutable_value() = stat_of(by_year[year]);
  }
  *summary.mutable_usd_per_accelerator_day() = stat_of(per_day);
  *summary.mutable_usd_per_installed_accelerator() = stat_of(per_unit);
  *summary.mutable_spend_usd_pv() = stat_of(pv);
  if (!top.empty()) *summary.mutable_take_or_pay_usd() = stat_of(top);
  *summary.mutable_inventory_usd() = stat_of(inventory);
  *summary.mutable_idle_capex_usd() = stat_of(idle);
}

}  // namespace

scsim::Summary summarize(const scsim::Scenario& scenario, double capacity_bound_per_week, const std::string& bottleneck,
                         double critical_path_first_unit_day,
                         const std::vector<scsim::ReplicationResult>& replications) {
  scsim::Summary summary;
  summary.set_scenario(scenario.name());
  summary.set_replications(static_cast<std::int32_t>(replications.size()));
  summary.set_seed(scenario.seed());
  summary.set_horizon_days(scenario.horizon_days());
  summary.set_start_date(scenario.start_date());
  summary.set_target_units(scenario.demand().target_units());

  std::vector<double> installed, stranded_chips, stranded_capacity, first_install, unit_cost;
  std::int64_t events = 0;
  for (const auto& r : replications) {
    installed.push_back(r.installed_units());
    stranded_chips.push_back(r.stranded_chip_days());
    stranded_capacity.push_back(r.stranded_capacity_days());
    // Unset counts as "no install", like -1.
    if (r.has_first_install_day() && r.first_install_day() >= 0) first_install.push_back(r.first_install_day());
    events += r.events();
    if (r.installed_units() > 0 && r.installed_cost_usd() > 0) unit_cost.push_back(r.installed_cost_usd() / r.installed_units());
  }
  *summary.mutable_installed_units() = stat_of(installed);
  for (std::size_t i = 0; i < kMilestoneFractions.size(); ++i)
    *summary.add_milestones() = summarize_milestone(scenario, i, replications);
  summary.set_capacity_bound_per_week(capacity_bound_per_week);
  summary.set_bottleneck(bottleneck);
  summary.set_critical_path_first_unit_day(critical_path_first_unit_day);
  *summary.mutable_first_install_day() = stat_of(first_install);
  *summary.mutable_stranded_chip_days() = stat_of(stranded_chips);
  *summary.mutable_stranded_capacity_days() = stat_of(stranded_capacity);
  summarize_stages(replications, summary);
  summary.set_events(events);
  *summary.mutable_cost_per_accelerator_usd() = stat_of(unit_cost);
  summarize_design(scenario, replications, summary);
  summarize_money(replications, summary);
  return summary;
}

}  // namespace scsim::results
