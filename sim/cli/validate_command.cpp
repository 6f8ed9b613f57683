// `scsim validate`: check a scenario and print its supply-network analysis.
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <map>

#include "models/distribution.hpp"
#include "sim/cli/commands.hpp"
#include "sim/config/date.hpp"
#include "sim/config/loader.hpp"
#include "sim/config/resolve.hpp"
#include "sim/kinds/kind.hpp"
#include "sim/network/supply_network.hpp"
#include "sim/results/results.hpp"

namespace scsim::cli {

namespace {

// 1234567.8 -> "1,234,568"; infinity -> "unlimited".

std::string rate(double value) {
  if (std::isinf(value)) return "unlimited";
  if (value >= 100) return results::grouped(value);
  return fmt::format("{:.3g}", value);
}

void print_analysis(const scenario::Scenario& scenario, const network::Analysis& analysis) {
  const auto date = [&](double day) { return scenario.date_of(day); };
  fmt::print("scenario {}{}\n", scenario.name, scenario.description.empty() ? "" : ": " + scenario.description);
  fmt::print("  day 0 {}, horizon {:g} days (to {}), {} replications, seed {}\n", scenario.start_date,
             scenario.horizon_days, date(scenario.horizon_days), scenario.replications, scenario.seed);
  if (scenario.demand.target_units > 0)
    fmt::print("  demand: {} {} installed{}\n", results::grouped(static_cast<double>(scenario.demand.target_units)),
               scenario.product_name(scenario.demand.product),
               scenario.demand.due_date.empty() ? "" : " by " + scenario.demand.due_date);

  std::map<std::string, const scenario::Site*> sites;
  for (const auto& site : scenario.sites) sites[site.name] = &site;
  fmt::print("\nsites ({} in topological order; steady-state good output)\n", analysis.sites.size());
  fmt::print("  {:<22} {:<12} {:<11} {:<16} {:>14} {:>16}\n", "site", "company", "kind", "product", "units/week",
             "accel-eq/week");
  for (const auto& capacity : analysis.sites) {
    const auto* site = sites.at(capacity.site);
    fmt::print("  {:<22} {:<12} {:<11} {:<16} {:>14} {:>16}\n", capacity.site, site->company, site->kind->name(),
               capacity.product.empty() ? "-" : capacity.product, rate(capacity.output_per_week),
               rate(capacity.accelerators_per_week));
  }
  if (!scenario.lanes.empty()) {
    fmt::print("\nlanes ({})\n", scenario.lanes.size());
    fmt::print("  {:<34} {:<16} {:<8} {}\n", "lane", "product", "mode", "transit days");
    for (const auto& lane : scenario.lanes)
      fmt::print("  {:<34} {:<16} {:<8} {}\n", lane.name, scenario.product_name(lane.product), lane.mode,
                 models::describe(lane.transit_days));
  }
  fmt::print("\ncritical path to the first installed unit (expected): day {:.0f}, {}\n", analysis.first_unit_day,
             date(analysis.first_unit_day));
  fmt::print("  {:<34} {:<11} {:>8} {:>8}  {:<10} {}\n", "stage", "kind", "days", "ends", "from", "to");
  for (const auto& stage : analysis.critical_path)
    fmt::print("  {:<34} {:<11} {:>8.1f} {:>8.1f}  {:<10} {}\n", stage.name, stage.kind,
               stage.end_day - stage.start_day, stage.end_day, date(stage.start_day), date(stage.end_day));
  fmt::print("\ncapacity bound (max-flow/min-cut): {} accelerators/week, bottleneck {}\n",
             rate(analysis.capacity_bound_per_week), analysis.bottleneck.empty() ? "none" : analysis.bottleneck);
}

}  // namespace

int validate_command(const ScenarioArgs& args) {
  const auto scenario = config::resolve(config::load_scenario(args.config, args.overrides));
  print_analysis(scenario, network::analyse(scenario));
  fmt::print("\n{}: valid\n", args.config);
  return 0;
}

int graph_command(const ScenarioArgs& args) {
  const scsim::Scenario scenario = config::load_scenario(args.config, args.overrides);
  fmt::print("{}", network::to_dot(scenario));
  return 0;
}

}  // namespace scsim::cli
