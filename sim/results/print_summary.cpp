// The readable table `scsim run` prints. Deterministic: numbers are formatted without locale, dates from the
// scenario's start date, nothing depends on the clock.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/config/date.hpp"
#include "sim/results/results.hpp"

namespace scsim::results {

namespace {

// `value` with `decimals` decimals and commas between thousands ("1,234,567.8"); "unlimited" for +infinity.

// Days with one decimal for short spans, grouped whole days beyond.
std::string days_text(double days) {
  return std::abs(days) < 100 ? grouped(days, 1) : grouped(days);
}

constexpr int kLabel = 28;   // width of the row labels, indent included
constexpr int kNumber = 11;  // width of a number column
constexpr int kFact = 18;    // width of the labels of the one-line facts

// "-" for what was not measured (no replications, or a CI from fewer than two).
std::string shown(bool has, double value) { return has ? grouped(value) : std::string("-"); }

void print_stat_row(std::FILE* out, const std::string& label, const scsim::Stat& stat) {
  fmt::print(out, "  {:<{}}{:>{}}{:>{}}{:>{}}{:>{}}{:>{}}\n", label, kLabel - 2, shown(stat.has_mean(), stat.mean()),
             kNumber, shown(stat.has_p10(), stat.p10()), kNumber, shown(stat.has_p50(), stat.p50()), kNumber,
             shown(stat.has_p90(), stat.p90()), kNumber, shown(stat.has_ci95(), stat.ci95()), kNumber);
}

void print_installed(std::FILE* out, const scsim::Scenario& scenario, const scsim::Summary& summary,
                     const std::vector<scsim::ReplicationResult>& replications) {
  // fmt pads by code points, so "±ci95" lines up like the ASCII headers.
  fmt::print(out, "{:<{}}{:>{}}{:>{}}{:>{}}{:>{}}{:>{}}\n", "Installed accelerators", kLabel, "mean", kNumber, "p10",
             kNumber, "p50", kNumber, "p90", kNumber, "±ci95", kNumber);
  // Year-ends are what analysts plan by; a synthetic run over centuries (an
  // engine check) would drown the table in them, so those show the horizon only.
  auto ends = year_ends(scenario.start_date(), scenario.horizon_days());
  if (ends.size() > 12) ends.clear();
  // Each replication's cumulative installs decoded once for all the year-ends.
  std::vector<double> days;
  for (const auto& end : ends) days.push_back(end.day);
  std::vector<std::vector<double>> by_year(ends.size());
  if (!ends.empty())
    for (const auto& r : replications) {
      const auto installed = installed_by_days(r, days);
      for (std::size_t y = 0; y < ends.size(); ++y) by_year[y].push_back(installed[y]);
    }
  for (std::size_t y = 0; y < ends.size(); ++y) print_stat_row(out, "by " + ends[y].date, stat_of(by_year[y]));
  const std::string horizon_date = config::date_after(scenario.start_date(), scenario.horizon_days());
  print_stat_row(out, fmt::format("by {} (horizon)", horizon_date), summary.installed_units());
}

void print_milestones(std::FILE* out, const scsim::Summary& summary) {
  constexpr int kName = 18;
  constexpr int kDate = 12;
  fmt::print(out, "{:<{}}{:>{}}{:>{}}{:>{}}{:>{}}{:>{}}\n", "Milestone", kName, "units", kNumber - 1, "p10 date", kDate,
             "p50 date", kDate, "p90 date", kDate, "reached", kNumber);
  for (const auto& m : summary.milestones()) {
    const double units = m.fraction() * static_cast<double>(summary.target_units());
    const auto reached = std::lround(m.reached_share() * summary.replications());
    const bool any = reached > 0;
    fmt::print(out, "  {:<{}}{:>{}}{:>{}}{:>{}}{:>{}}{:>{}}\n", fmt::format("{:g}% of target", m.fraction() * 100),
               kName - 2, grouped(units), kNumber - 1, any ? m.date_p10() : "-", kDate, any ? m.date_p50() : "-", kDate,
               any ? m.date_p90() : "-", kDate, fmt::format("{}/{}", reached, summary.replications()), kNumber);
  }
}

// Each design site's tape-out, first silicon and production release: mean date and spread of the drawn days.
void print_design_milestones(std::FILE* out, const scsim::Summary& summary) {
  constexpr int kDate = 12;
  int width = 24;
  for (const auto& d : summary.design_milestones())
    width = std::max(width, static_cast<int>(d.site().size() + d.event().size()) + 5);
  fmt::print(out, "{:<{}}{:>{}}{:>{}}{:>{}}{:>{}}{:>{}}\n", "Design milestone", width, "mean day", kNumber, "mean date",
             kDate, "p10 date", kDate, "p50 date", kDate, "p90 date", kDate);
  for (const auto& d : summary.design_milestones()) {
    // "tape_out" reads "tape-out", "first_silicon" "first silicon".
    std::string event = d.event() == "tape_out" ? std::string("tape-out") : d.event();
    std::replace(event.begin(), event.end(), '_', ' ');
    fmt::print(out, "  {:<{}}{:>{}}{:>{}}{:>{}}{:>{}}{:>{}}\n", d.site() + " " + event, width - 2,
               days_text(d.mean_day()), kNumber, d.date(), kDate, d.date_p10(), kDate, d.date_p50(), kDate, d.date_p90(),
               kDate);
  }
}

void print_network_facts(std::FILE* out, const scsim::Summary& summary) {
  const std::string& start = summary.start_date();
  const double expected = summary.critical_path_first_unit_day();
  const std::string expected_text =
      std::isfinite(expected) ? fmt::format("{} (day {})", config::date_after(start, expected), days_text(expected))
                              : "never";
  const scsim::Stat& first = summary.first_install_day();
  const std::string first_text =
      first.has_mean() ? fmt::format("{} (day {})", config::date_after(start, first.mean()), days_text(first.mean()))
                        : "none within the horizon";
  fmt::print(out, "{:<{}}mean {}; critical path {}\n", "First install", kFact, first_text, expected_text);

  const double bound = summary.capacity_bound_per_week();
  fmt::print(out, "{:<{}}{} accelerators/week{}\n", "Capacity bound", kFact, grouped(bound, bound < 100 ? 1 : 0),
             summary.bottleneck().empty() ? std::string() : "; bottleneck " + summary.bottleneck());
  fmt::print(out, "{:<{}}{} chip-days, {} capacity-days (means)\n", "Stranded", kFact,
             shown(summary.stranded_chip_days().has_mean(), summary.stranded_chip_days().mean()),
             shown(summary.stranded_capacity_days().has_mean(), summary.stranded_capacity_days().mean()));
  if (summary.cost_per_accelerator_usd().has_mean()) {
    const auto& cost = summary.cost_per_accelerator_usd();
    fmt::print(out, "{:<{}}${} per installed accelerator (p10 ${}, p90 ${}): wafers, HBM, packaging, yield losses\n",
               "Cost", kFact, grouped(cost.mean()), grouped(cost.p10()), grouped(cost.p90()));
  }
  if (summary.spend_usd().has_mean()) {
    const auto& spend = summary.spend_usd();
    // Billions when the program is large, dollars otherwise.
    const bool billions = spend.mean() >= 1e8;
    auto usd = [billions](double v) { return billions ? fmt::format("${:.2f}B", v / 1e9) : fmt::format("${}", grouped(v)); };
    std::string parts;
    for (const auto& c : summary.spend_usd_by_category())
      parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", c.category(), usd(c.value().mean()));
    fmt::print(out, "{:<{}}{} (p10 {}, p90 {}): {}\n", "Spend", kFact, usd(spend.mean()), usd(spend.p10()),
               usd(spend.p90()), parts);
    fmt::print(out, "{:<{}}{:.3g} accelerator-days in service; ${} per accelerator-day, ${} per installed accelerator\n",
               "Value", kFact, summary.accelerator_days().mean(), grouped(summary.usd_per_accelerator_day().mean(), 2),
               grouped(summary.usd_per_installed_accelerator().mean()));
  }
  if (summary.has_budget_bound_share()) {
    const std::string when = summary.budget_bound_day().has_mean()
                                 ? fmt::format("first on day {:.0f} on average", summary.budget_bound_day().mean())
                                 : std::string("never");
    fmt::print(out, "{:<{}}bound in {:.0f}% of replications ({}); {} accelerators deferred, {} cut (means)\n",
               "Budget", kFact, summary.budget_bound_share() * 100, when,
               grouped(summary.budget_deferred_units().mean()), grouped(summary.budget_cut_units().mean()));
  }
}

void print_stages(std::FILE* out, const scsim::Summary& summary) {
  if (summary.stages_size() == 0) return;
  const std::string title = "Stage (means over replications)";
  // Rows are indented by two; the name column is as wide as the title or the longest name, whichever is more.
  int width = static_cast<int>(title.size());
  for (const auto& s : summary.stages()) width = std::max(width, static_cast<int>(s.stage().size()) + 4);
  fmt::print(out, "{:<{}}{:>{}}{:>{}}{:>{}}{:>{}}{:>{}}{:>{}}{:>{}}\n", title, width, "lead days", kNumber, "±ci95",
             8, "p90 days", kNumber, "WIP lots", kNumber, "lots/week", kNumber, "util", 7, "$/unit", kNumber);
  for (const auto& s : summary.stages()) {
    const std::string util = s.has_utilization() ? fmt::format("{:.0f}%", s.utilization() * 100) : "-";
    const std::string cost = s.has_cost_per_unit_usd() ? grouped(s.cost_per_unit_usd()) : "-";
    const auto& lead = s.lead_time_days();
    const std::string ci = lead.has_ci95() ? grouped(lead.ci95(), 1) : "-";
    fmt::print(out, "  {:<{}}{:>{}}{:>{}}{:>{}}{:>{}}{:>{}}{:>{}}{:>{}}\n", s.stage(), width - 2, grouped(s.mean_days(), 1),
               kNumber, ci, 8, grouped(s.p90_days(), 1), kNumber, s.has_time_avg_wip() ? grouped(s.time_avg_wip(), 1) : "-",
               kNumber, s.has_throughput_per_day() ? grouped(s.throughput_per_day() * 7, 1) : "-", kNumber, util, 7,
               cost, kNumber);
  }
}

}  // namespace

void print_summary(std::FILE* out, const scsim::Scenario& scenario, const scsim::Summary& summary,
                   const std::vector<scsim::ReplicationResult>& replications) {
  fmt::print(out, "Scenario {}: {} replications, seed {}, {} events\n", summary.scenario(), summary.replications(),
             summary.seed(), grouped(static_cast<double>(summary.events())));
  const std::string due =
      scenario.demand().has_due_date() ? fmt::format(", due {}", scenario.demand().due_date()) : std::string();
  const std::string target =
      summary.target_units() > 0
          ? fmt::format("; target {} units of {}{}", grouped(static_cast<double>(summary.target_units())),
                        scenario.demand().product(), due)
          : std::string("; no demand target");
  fmt::print(out, "Horizon {} days, {} to {}{}\n\n", grouped(summary.horizon_days()), summary.start_date(),
             config::date_after(summary.start_date(), summary.horizon_days()), target);
  print_installed(out, scenario, summary, replications);
  fmt::print(out, "\n");
  if (summary.target_units() > 0) {
    print_milestones(out, summary);
    fmt::print(out, "\n");
  }
  if (summary.design_milestones_size() > 0) {
    print_design_milestones(out, summary);
    fmt::print(out, "\n");
  }
  print_network_facts(out, summary);
  if (summary.stages_size() > 0) fmt::print(out, "\n");
  print_stages(out, summary);
}

}  // namespace scsim::results
