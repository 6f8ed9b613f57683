#include "sim/results/compare.hpp"

#include <fmt/format.h>

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <memory>

#include "sim/config/date.hpp"
#include "sim/results/results.hpp"

namespace scsim::results {

namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

struct MetricSpec {
  std::string name, date, unit;
  // The value in one replication of one run (NaN when missing).
  std::function<double(const ComparedRun&, const scsim::ReplicationResult&)> value;
};

std::vector<MetricSpec> metric_specs(const ComparedRun& first) {
  std::vector<MetricSpec> specs;
  // Each replication's installs by every year-end, from its cumulative installs decoded once (decoding them
  // once per year-end was a tenth of a second of compare -r 1000, after all the simulating).
  const auto ends = year_ends(first.scenario.start_date(), first.scenario.horizon_days());
  auto by_end = std::make_shared<std::map<const scsim::ReplicationResult*, std::vector<double>>>();
  for (std::size_t y = 0; y < ends.size(); ++y) {
    // Year-ends are dates, so runs with other start dates are read at the same calendar day.
    specs.push_back({"installed_by", ends[y].date, "accelerators",
                     [ends, y, by_end](const ComparedRun& run, const scsim::ReplicationResult& r) {
                       auto [at, added] = by_end->try_emplace(&r);
                       if (added) {
                         const auto start = *config::parse_iso_date(run.scenario.start_date());
                         std::vector<double> days;
                         for (const auto& end : ends)
                           days.push_back(static_cast<double>(*config::parse_iso_date(end.date) - start));
                         at->second = installed_by_days(r, days);
                         for (std::size_t k = 0; k < days.size(); ++k)
                           if (days[k] < 0) at->second[k] = 0.0;  // before the run started
                       }
                       return at->second[y];
                     }});
  }
  specs.push_back({"installed_at_horizon", config::date_after(first.scenario.start_date(), first.scenario.horizon_days()),
                   "accelerators",
                   [](const ComparedRun&, const scsim::ReplicationResult& r) { return r.installed_units(); }});
  for (std::size_t i = 0; i < kMilestoneFractions.size(); ++i) {
    specs.push_back({fmt::format("milestone_{:g}_day", kMilestoneFractions[i] * 100), "", "day",
                     [i](const ComparedRun&, const scsim::ReplicationResult& r) {
                       const bool reached = static_cast<int>(i) < r.milestone_days_size() && r.milestone_days(static_cast<int>(i)) >= 0;
                       return reached ? r.milestone_days(static_cast<int>(i)) : kMissing;
                     }});
  }
  specs.push_back({"first_install_day", "", "day", [](const ComparedRun&, const scsim::ReplicationResult& r) {
                     return r.first_install_day() >= 0 ? r.first_install_day() : kMissing;
                   }});
  specs.push_back({"cost_per_accelerator_usd", "", "USD", [](const ComparedRun&, const scsim::ReplicationResult& r) {
                     return r.installed_units() > 0 ? r.installed_cost_usd() / r.installed_units() : kMissing;
                   }});
  // Money and value: only when the first run priced anything.
  if (!first.replications.empty() && first.replications.front().has_spend_usd()) {
    specs.push_back({"spend_usd", "", "USD", [](const ComparedRun&, const scsim::ReplicationResult& r) {
                       return r.has_spend_usd() ? r.spend_usd() : kMissing;
                     }});
    specs.push_back({"usd_per_accelerator_day", "", "USD", [](const ComparedRun&, const scsim::ReplicationResult& r) {
                       return r.has_spend_usd() && r.accelerator_days() > 0 ? r.spend_usd() / r.accelerator_days()
                                                                             : kMissing;
                     }});
    specs.push_back({"usd_per_installed_accelerator", "", "USD",
                     [](const ComparedRun&, const scsim::ReplicationResult& r) {
                       return r.has_spend_usd() && r.installed_units() > 0 ? r.spend_usd() / r.installed_units()
                                                                            : kMissing;
                     }});
    // By category (those the first run spends on; 0 where a replication spent nothing on it) and by year (read at
    // the year's last day, like installed_by).
    for (const auto& c : first.replications.front().spend_by_category())
      specs.push_back({"spend_usd_" + c.category(), "", "USD",
                       [category = c.category()](const ComparedRun&, const scsim::ReplicationResult& r) {
                         for (const auto& v : r.spend_by_category())
                           if (v.category() == category) return v.value();
                         return r.has_spend_usd() ? 0.0 : kMissing;
                       }});
    for (const auto& y : first.replications.front().spend_by_year())
      specs.push_back({"spend_usd_in_year", y.year_end(), "USD",
                       [year = y.year_end()](const ComparedRun&, const scsim::ReplicationResult& r) {
                         for (const auto& v : r.spend_by_year())
                           if (v.year_end() == year) return v.value();
                         return kMissing;
                       }});
  }
  specs.push_back({"accelerator_days", "", "accelerator-days",
                   [](const ComparedRun&, const scsim::ReplicationResult& r) { return r.accelerator_days(); }});
  specs.push_back({"stranded_chip_days", "", "chip-days",
                   [](const ComparedRun&, const scsim::ReplicationResult& r) { return r.stranded_chip_days(); }});
  specs.push_back({"stranded_capacity_days", "", "slot-days", [](const ComparedRun&, const scsim::ReplicationResult& r) {
                     return r.stranded_capacity_days();
                   }});
  return specs;
}

std::string number(double value) {
  if (std::abs(value) >= 1e7) return fmt::format("{:.1f}M", value / 1e6);  // keeps columns readable
  return grouped(value);
}

}  // namespace

std::vector<ComparedMetric> compare_runs(const std::vector<ComparedRun>& runs) {
  std::vector<ComparedMetric> metrics;
  if (runs.empty()) return metrics;
  for (const auto& spec : metric_specs(runs.front())) {
    ComparedMetric metric{spec.name, spec.date, spec.unit, {}, {}, {}};
    bool any_nonzero = false;
    std::vector<double> base;
    for (const auto& r : runs.front().replications) base.push_back(spec.value(runs.front(), r));
    for (const auto& run : runs) {
      std::vector<double> values, differences;
      for (std::size_t i = 0; i < run.replications.size(); ++i) {
        const double v = spec.value(run, run.replications[i]);
        if (std::isnan(v)) continue;
        any_nonzero = any_nonzero || v != 0;
        values.push_back(v);
        if (i < base.size() && !std::isnan(base[i])) differences.push_back(v - base[i]);
      }
      metric.value.push_back(stat_of(values));
      metric.difference.push_back(stat_of(differences));
      metric.pairs.push_back(static_cast<int>(differences.size()));
    }
    // Years before anything is installed anywhere say nothing; skip them.
    if (spec.unit == "accelerators" && !any_nonzero && spec.name != "installed_at_horizon") continue;
    metrics.push_back(std::move(metric));
  }
  return metrics;
}

void write_compare_csv(std::ostream& out, const std::vector<ComparedRun>& runs,
                       const std::vector<ComparedMetric>& metrics) {
  out << "metric,date,unit,scenario,replications,n,mean,p10,p50,p90,ci95,diff_mean,diff_ci95,pairs\n";
  auto cell = [](bool has, double value) { return has ? fmt::format("{}", value) : std::string(); };
  for (const auto& m : metrics) {
    for (std::size_t s = 0; s < runs.size(); ++s) {
      const auto& v = m.value[s];
      const auto& d = m.difference[s];
      const bool paired = s > 0;
      out << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", m.name, m.date, m.unit,
                         csv_field(runs[s].scenario.name()), runs[s].replications.size(), v.n(),
                         cell(v.has_mean(), v.mean()), cell(v.has_p10(), v.p10()), cell(v.has_p50(), v.p50()),
                         cell(v.has_p90(), v.p90()), cell(v.has_ci95(), v.ci95()),
                         cell(paired && d.has_mean(), d.mean()), cell(paired && d.has_ci95(), d.ci95()),
                         paired ? fmt::format("{}", m.pairs[s]) : std::string());
    }
  }
}

void print_compare(std::FILE* out, const std::vector<ComparedRun>& runs, const std::vector<ComparedMetric>& metrics) {
  if (runs.empty()) return;
  const auto& first = runs.front();
  fmt::print(out, "Compared with {} replications each, seed {} (common random numbers: each site draws the same\n",
             first.replications.size(), first.scenario.seed());
  fmt::print(out, "numbers in every scenario). Differences are paired, each scenario minus {}, with 95% CIs.\n\n",
             first.scenario.name());
  constexpr int kMetric = 26, kColumn = 30;
  fmt::print(out, "{:<{}}", "metric (mean, p10-p90)", kMetric);
  for (const auto& run : runs) fmt::print(out, "{:>{}}", run.scenario.name(), kColumn);
  fmt::print(out, "\n");
  for (const auto& m : metrics) {
    const bool is_day = m.unit == "day";
    // Days read better as dates; the first scenario's start is day 0 for all of them only if they agree.
    auto show = [&](std::size_t s, double day) {
      return is_day ? config::date_after(runs[s].scenario.start_date(), day) : number(day);
    };
    fmt::print(out, "{:<{}}", m.date.empty() || m.name == "installed_at_horizon" ? m.name : m.name + " " + m.date,
               kMetric);
    for (std::size_t s = 0; s < runs.size(); ++s) {
      const auto& v = m.value[s];
      const bool any = v.has_mean();
      const std::string cell =
          !any ? "-"
               : is_day ? show(s, v.mean())
                        : fmt::format("{} ({}-{})", number(v.mean()), number(v.p10()), number(v.p90()));
      fmt::print(out, "{:>{}}", cell, kColumn);
    }
    fmt::print(out, "\n{:<{}}", "", kMetric);
    for (std::size_t s = 0; s < runs.size(); ++s) {
      std::string cell;
      if (s > 0 && m.pairs[s] > 0) {
        const auto& d = m.difference[s];
        cell = fmt::format("{}{} ± {}{}", d.mean() >= 0 ? "+" : "", number(d.mean()),
                           d.has_ci95() ? number(d.ci95()) : std::string("?"), is_day ? " d" : "");
        if (m.pairs[s] < static_cast<int>(runs[s].replications.size())) cell += fmt::format(" [{} pairs]", m.pairs[s]);
      }
      fmt::print(out, "{:>{}}", cell, kColumn);
    }
    fmt::print(out, "\n");
  }
}

}  // namespace scsim::results
