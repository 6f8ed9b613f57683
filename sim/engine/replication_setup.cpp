#include "sim/engine/replication_setup.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "sim/engine/plan_inputs.hpp"
#include "sim/kinds/kind.hpp"
#include "sim/results/results.hpp"
#include "sim/stats/series.hpp"

namespace scsim::engine {

namespace {

// Down windows of one disruption in this replication.
std::vector<models::DownWindow> draw_windows(const scenario::Disruption& d, double horizon,
                                             models::RandomStream& stream) {
  std::vector<models::DownWindow> windows;
  if (d.start_day) {
    windows.push_back({*d.start_day, *d.start_day + models::sample(d.duration_days, stream), d.capacity_factor});
  } else {
    // Poisson arrivals; a new event can only start once the previous one ended.
    const double mean_gap = 365.25 / d.rate_per_year;
    double t = 0;
    for (;;) {
      t += -mean_gap * std::log(stream.uniform_open01());
      if (t >= horizon) break;
      const double end = t + models::sample(d.duration_days, stream);
      windows.push_back({t, end, d.capacity_factor});
      t = end;
    }
  }
  return windows;
}

}  // namespace

std::vector<ProcessContext> process_contexts(const scenario::Scenario& s, const network::Analysis& analysis,
                                             int replication) {
  std::vector<ProcessContext> contexts(s.sites.size());
  const auto years = std::make_shared<const Years>(Years::of(s));
  for (std::size_t i = 0; i < s.sites.size(); ++i) {
    auto& c = contexts[i];
    c.scenario = &s;
    c.site = static_cast<int>(i);
    c.seed = s.seed;
    c.replication = replication;
    c.horizon_days = s.horizon_days;
    c.years = years;
    if (s.sites[i].gated_by >= 0)
      contexts[static_cast<std::size_t>(s.sites[i].gated_by)].gated_sites.push_back(static_cast<int>(i));
  }
  // Disruptions, each from its own stream, drawn before the run starts.
  std::vector<std::vector<models::DownWindow>> site_windows(s.sites.size()), lane_windows(s.lanes.size());
  for (const auto& d : s.disruptions) {
    models::RandomStream stream(s.seed, static_cast<std::uint64_t>(replication), "disruption:" + d.name);
    const auto windows = draw_windows(d, s.horizon_days, stream);
    for (int site : d.sites) {
      auto& all = site_windows[static_cast<std::size_t>(site)];
      all.insert(all.end(), windows.begin(), windows.end());
      for (const auto& w : windows)
        contexts[static_cast<std::size_t>(site)].scrap_events.emplace_back(w.start_day, d.scrap_fraction);
    }
    for (int lane : d.lanes) {
      auto& all = lane_windows[static_cast<std::size_t>(lane)];
      all.insert(all.end(), windows.begin(), windows.end());
    }
  }
  auto lane_profiles = std::make_shared<std::vector<models::CapacityProfile>>();
  for (auto& windows : lane_windows)
    lane_profiles->push_back(windows.empty() ? models::CapacityProfile{} : models::CapacityProfile(windows));
  for (std::size_t i = 0; i < s.sites.size(); ++i) {
    if (!site_windows[i].empty()) contexts[i].profile = models::CapacityProfile(site_windows[i]);
    contexts[i].lane_profiles = lane_profiles;
  }

  // A program: datacenters plan and order; sources start to orders.
  if (s.program.enabled) {
    for (std::size_t i = 0; i < s.sites.size(); ++i) contexts[i].plan = plan_inputs(s, analysis, *years, static_cast<int>(i));
    return contexts;
  }
  // Demand: sources stop releasing once their planned good output covers their
  // share of the target (share = their part of their component's capacity).
  if (s.demand.target_units > 0) {
    std::map<std::string, const network::SiteCapacity*> capacity;
    for (const auto& c : analysis.sites) capacity[c.site] = &c;
    std::map<int, double> component_capacity;  // product -> accelerator-equivalents per week
    for (const auto& site : s.sites)
      if (site.role == scenario::Role::kSource && capacity.count(site.name))
        component_capacity[site.product] += capacity.at(site.name)->accelerators_per_week;
    for (std::size_t i = 0; i < s.sites.size(); ++i) {
      const auto& site = s.sites[i];
      if (site.role != scenario::Role::kSource || !capacity.count(site.name)) continue;
      const auto* c = capacity.at(site.name);
      if (!(c->output_per_week > 0) || std::isinf(c->output_per_week)) continue;
      auto& d = contexts[i].demand;
      d.target_units = s.demand.target_units;
      d.accel_per_output_unit = c->accelerators_per_week / c->output_per_week;
      const double total = component_capacity[site.product];
      d.share = total > 0 ? c->accelerators_per_week / total : 1.0;
    }
  }
  return contexts;
}

std::vector<std::unique_ptr<SiteProcess>> make_processes(const scenario::Scenario& scenario,
                                                         const network::Analysis& analysis, int replication) {
  const auto contexts = process_contexts(scenario, analysis, replication);
  std::vector<std::unique_ptr<SiteProcess>> processes;
  for (std::size_t i = 0; i < scenario.sites.size(); ++i)
    processes.push_back(scenario.sites[i].kind->make_process(scenario.sites[i], contexts[i]));
  return processes;
}

namespace {

// A new weekly series of the whole run (site ALL), room made for `weeks` values.
scsim::Series* add_all_series(scsim::ReplicationResult& out, std::string metric, std::size_t weeks) {
  auto* series = out.add_series();
  series->set_site("ALL");
  series->set_metric(std::move(metric));
  series->mutable_values()->Reserve(static_cast<int>(weeks));
  return series;
}

// Accelerator-days in service and every site's spend: totals, by category, by year, the weekly series at site
// ALL, present value and stranded money. `installs` (day, units) are in day order.
void collect_money(std::vector<std::unique_ptr<SiteProcess>>& processes, const scenario::Scenario& scenario,
                   const std::vector<std::pair<double, double>>& installs, double installed_cost,
                   scsim::ReplicationResult& out) {
  const double end = scenario.horizon_days;
  const Years years = Years::of(scenario);
  double accelerator_days = 0;
  for (const auto& [day, units] : installs) accelerator_days += units * std::max(0.0, end - day);
  // By year-end, in one pass over the installs (in day order): a year-end's accelerator-days are the previous
  // year-end's, plus every unit installed before it for the days between, plus the units installed in between.
  // (A loop over years for every install took most of a replication with a 2,000-year horizon.)
  std::vector<double> by_year_end(years.ends.size(), 0.0);
  double accumulated = 0, units_before = 0, previous_end = 0;
  std::size_t next = 0;
  for (std::size_t y = 0; y < years.ends.size(); ++y) {
    const double year_end = years.ends[y];
    accumulated += units_before * (year_end - previous_end);
    for (; next < installs.size() && installs[next].first < year_end; ++next) {
      accumulated += installs[next].second * (year_end - installs[next].first);
      units_before += installs[next].second;
    }
    by_year_end[y] = accumulated;
    previous_end = year_end;
  }
  out.set_accelerator_days(accelerator_days);
  for (std::size_t y = 0; y < years.ends.size(); ++y) {
    auto* v = out.add_accelerator_days_by_year();
    v->set_year_end(years.labels[y]);
    v->set_value(by_year_end[y]);
  }

  bool any = false;
  for (const auto& p : processes) any = any || p->spend().any();
  if (!any) return;
  constexpr auto kCategories = static_cast<std::size_t>(Spend::kCount);
  const auto weeks = static_cast<std::size_t>(std::ceil(end / scenario::kWeek));
  std::vector<std::vector<double>> weekly(kCategories, std::vector<double>(weeks, 0.0));
  std::vector<double> totals(kCategories, 0.0), by_year(years.ends.size(), 0.0);
  for (const auto& p : processes) {
    const auto& book = p->spend();
    for (std::size_t c = 0; c < kCategories; ++c) {
      totals[c] += book.total(static_cast<Spend>(c));
      const auto& values = book.weekly(static_cast<Spend>(c)).values();
      for (std::size_t w = 0; w < values.size() && w < weeks; ++w) weekly[c][w] += values[w];
    }
    for (std::size_t y = 0; y < by_year.size() && y < book.by_year().size(); ++y) by_year[y] += book.by_year()[y];
  }
  double total = 0, material = 0;
  for (std::size_t c = 0; c < kCategories; ++c) {
    total += totals[c];
    const auto category = static_cast<Spend>(c);
    if (category == Spend::kWafers || category == Spend::kHbm || category == Spend::kSubstrates ||
        category == Spend::kPackaging || category == Spend::kPrepayment)
      material += totals[c];
  }
  out.set_spend_usd(total);
  for (std::size_t c = 0; c < kCategories; ++c) {
    if (totals[c] == 0) continue;
    auto* v = out.add_spend_by_category();
    v->set_category(spend_name(static_cast<Spend>(c)));
    v->set_value(totals[c]);
  }
  for (std::size_t y = 0; y < by_year.size(); ++y) {
    auto* v = out.add_spend_by_year();
    v->set_year_end(years.labels[y]);
    v->set_value(by_year[y]);
  }
  // Present value: each week's spend discounted from the week's start.
  const double rate = scenario.money.discount_rate_per_year;
  double pv = 0;
  for (std::size_t w = 0; w < weeks; ++w) {
    double week = 0;
    for (std::size_t c = 0; c < kCategories; ++c) week += weekly[c][w];
    pv += week / std::pow(1.0 + rate, static_cast<double>(w) * scenario::kWeek / 365.25);
  }
  out.set_spend_usd_pv(pv);
  out.set_inventory_usd(std::max(0.0, material - installed_cost));
  // The timeline: cumulative spend, and each category's weekly spend, at site ALL.
  auto* cumulative = add_all_series(out, "spend_usd_cum", weeks);
  double running = 0;
  for (std::size_t w = 0; w < weeks; ++w) {
    for (std::size_t c = 0; c < kCategories; ++c) running += weekly[c][w];
    cumulative->add_values(running);
  }
  for (std::size_t c = 0; c < kCategories; ++c) {
    if (totals[c] == 0) continue;
    add_all_series(out, std::string("spend_usd_") + spend_name(static_cast<Spend>(c)), weeks)
        ->mutable_values()
        ->Add(weekly[c].begin(), weekly[c].end());
  }
}

}  // namespace

scsim::ReplicationResult collect_result(std::vector<std::unique_ptr<SiteProcess>>& processes,
                                        const scenario::Scenario& scenario, int replication) {
  const double end_day = scenario.horizon_days;
  scsim::ReplicationResult out;
  out.set_replication(replication);
  out.set_end_day(end_day);
  std::int64_t events = 0;
  struct Record {
    double day;
    std::size_t site;
    std::size_t seq;
    Install install;
  };
  std::vector<Record> installs;
  for (std::size_t i = 0; i < processes.size(); ++i) {
    auto& process = *processes[i];
    events += process.events_handled();
    process.finish(end_day, out);
    for (std::size_t k = 0; k < process.installs().size(); ++k)
      installs.push_back({process.installs()[k].day, i, k, process.installs()[k]});
  }
  std::sort(installs.begin(), installs.end(), [](const Record& a, const Record& b) {
    return std::tie(a.day, a.site, a.seq) < std::tie(b.day, b.site, b.seq);
  });
  std::vector<double> milestone_units, milestone_days;
  if (scenario.demand.target_units > 0)
    for (double fraction : results::kMilestoneFractions)
      milestone_units.push_back(fraction * static_cast<double>(scenario.demand.target_units));
  milestone_days.assign(milestone_units.size(), -1.0);
  stats::FlowSeries weekly(scenario::kWeek);
  double installed = 0, cost = 0, first = -1;
  for (const auto& r : installs) {
    const double before = installed;
    installed += static_cast<double>(r.install.units);
    cost += r.install.cost_usd;
    weekly.add(r.day, static_cast<double>(r.install.units));
    if (first < 0) first = r.day;
    for (std::size_t m = 0; m < milestone_units.size(); ++m)
      if (before < milestone_units[m] && installed >= milestone_units[m]) milestone_days[m] = r.day;
  }
  out.set_events(events);
  std::vector<std::pair<double, double>> installed_on;  // (day, units)
  for (const auto& r : installs) installed_on.emplace_back(r.day, static_cast<double>(r.install.units));
  collect_money(processes, scenario, installed_on, cost, out);
  out.set_installed_units(installed);
  out.set_installed_cost_usd(cost);
  out.set_first_install_day(first);
  for (double day : milestone_days) out.add_milestone_days(day);
  // Cumulative installs, all datacenters, at the end of each week.
  const auto weeks = static_cast<std::size_t>(std::ceil(end_day / scenario::kWeek));
  weekly.pad_to(weeks);
  auto* cumulative = add_all_series(out, "installed_cum", weeks);
  double total = 0;
  for (std::size_t w = 0; w < weeks; ++w) {
    total += weekly.values()[w];
    cumulative->add_values(total);
  }
  return out;
}

namespace {
class DirectOutbox final : public Outbox {
 public:
  explicit DirectOutbox(std::vector<std::unique_ptr<SiteProcess>>& processes) : processes_(processes) {}
  void send(int site, Event&& event) override {
    processes_[static_cast<std::size_t>(site)]->heap().push(std::move(event));
  }

 private:
  std::vector<std::unique_ptr<SiteProcess>>& processes_;
};
}  // namespace

scsim::ReplicationResult run_sequential(const scenario::Scenario& scenario, const network::Analysis& analysis,
                                        int replication) {
  auto processes = make_processes(scenario, analysis, replication);
  const auto rank = network::sync_plan(scenario).rank;
  DirectOutbox out(processes);
  for (;;) {
    // The earliest event by time; at equal times the senders of zero-delay edges first (rank), then the key.
    std::size_t next = processes.size();
    for (std::size_t i = 0; i < processes.size(); ++i) {
      auto& heap = processes[i]->heap();
      if (heap.empty() || heap.next_time() >= scenario.horizon_days) continue;
      if (next == processes.size()) {
        next = i;
        continue;
      }
      const Event& candidate = heap.top();
      const Event& head = processes[next]->heap().top();
      if (candidate.time != head.time ? candidate.time < head.time
                                      : rank[i] != rank[next] ? rank[i] < rank[next] : head.after(candidate))
        next = i;
    }
    if (next == processes.size()) break;
    const Event event = processes[next]->heap().pop();
    processes[next]->handle(event, out);
  }
  return collect_result(processes, scenario, replication);
}

}  // namespace scsim::engine
