// `scsim sweep`: a grid of what-ifs over one scenario.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "sim/cli/commands.hpp"
#include "sim/cli/path_value.hpp"
#include "sim/config/date.hpp"
#include "sim/config/loader.hpp"
#include "sim/engine/runner.hpp"
#include "sim/network/supply_network.hpp"
#include "sim/results/output_set.hpp"
#include "sim/results/results.hpp"

namespace scsim::cli {

namespace {

struct Axis {
  std::string path;
  std::vector<std::string> values;
};

// "path=v1,v2,v3" -> Axis; values inside { } may contain commas.
Axis parse_vary(const std::string& text) {
  // sites[name=x].foo=1,2 varies sites[name=x].foo.
  const std::size_t eq = path_end(text);
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    throw config::ConfigError({fmt::format("--vary {}: expected PATH=V1,V2,...", text)});
  Axis axis{text.substr(0, eq), {}};
  std::string current;
  int depth = 0;
  for (char c : text.substr(eq + 1)) {
    if (c == '{') ++depth;
    if (c == '}') --depth;
    if (c == ',' && depth == 0) {
      axis.values.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  axis.values.push_back(current);
  return axis;
}

}  // namespace

int sweep_command(const SweepArgs& args) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<Axis> axes;
  for (const auto& vary : args.vary) axes.push_back(parse_vary(vary));
  std::size_t points = 1;
  for (const auto& axis : axes) points *= axis.values.size();

  // Build and validate every point before simulating any, so a bad value fails fast.
  std::vector<scsim::Scenario> scenarios;
  std::vector<std::vector<std::string>> settings;
  std::vector<std::string> problems;
  for (std::size_t p = 0; p < points; ++p) {
    std::vector<std::string> overrides = args.scenario.overrides, chosen;
    std::size_t rest = p;
    for (const auto& axis : axes) {
      const auto& value = axis.values[rest % axis.values.size()];
      rest /= axis.values.size();
      overrides.push_back(axis.path + "=" + value);
      chosen.push_back(value);
    }
    try {
      auto scenario = config::load_scenario(args.scenario.config, overrides);
      if (args.replications > 0) scenario.set_replications(args.replications);
      scenarios.push_back(std::move(scenario));
      settings.push_back(chosen);
    } catch (const config::ConfigError& error) {
      for (const auto& line : error.lines())
        if (std::find(problems.begin(), problems.end(), line) == problems.end()) problems.push_back(line);
    }
  }
  if (!problems.empty()) throw config::ConfigError(problems);

  const std::string dir =
      args.output_dir.empty() ? "results/" + scenarios.front().name() + "_sweep" : args.output_dir;
  const std::string target = dir + "/sweep.csv";
  using results::csv_field;
  // Rows are kept and written as one set at the end: an interrupted sweep leaves the previous sweep.csv.
  std::string csv;
  for (const auto& axis : axes) csv += csv_field(axis.path) + ",";
  csv += "replications,installed_mean,installed_p10,installed_p50,installed_p90,installed_ci95,first_install_day_mean,"
         "first_install_day_n,milestone_50_reached_share,milestone_50_day_mean,milestone_50_day_n,"
         "cost_per_accelerator_usd,capacity_bound_per_week,bottleneck\n";
  auto cell = [](bool has, double value) { return has ? results::csv_number(value) : std::string(); };

  fmt::print("{} points, {} replications each (common random numbers across points)\n\n", points,
             scenarios.front().replications());
  std::string header;
  for (const auto& axis : axes) header += fmt::format("{:>24} ", axis.path.substr(axis.path.rfind('.') + 1));
  fmt::print("{}{:>12} {:>12} {:>12} {:>12} {:>16}\n", header, "installed", "p10", "p90", "first inst.", "bottleneck");
  for (std::size_t p = 0; p < points; ++p) {
    const auto& scenario = scenarios[p];
    const auto analysis = network::analyse(scenario);
    engine::RunnerOptions options;
    options.jobs = args.jobs;
    options.runtime.max_events = args.max_events;
    options.pack_series = true;
    options.progress = args.progress != Progress::kNever;
    options.progress_always = args.progress == Progress::kAlways;
    options.label = fmt::format("point {}/{}", p + 1, points);
    const auto results = engine::run_replications(scenario, analysis, scenario.replications(), options);
    results::throw_if_interrupted();
    const auto summary = results::summarize(scenario, analysis.capacity_bound_per_week, analysis.bottleneck,
                                            analysis.first_unit_day, results);
    const auto& installed = summary.installed_units();
    const auto& half = summary.milestones(1);
    for (const auto& value : settings[p]) csv += csv_field(value) + ",";
    const auto& first_install = summary.first_install_day();
    const auto& cost = summary.cost_per_accelerator_usd();
    csv += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", summary.replications(), installed.mean(),
                       installed.p10(), installed.p50(), installed.p90(), cell(installed.has_ci95(), installed.ci95()),
                       cell(first_install.has_mean(), first_install.mean()), first_install.n(), half.reached_share(),
                       cell(half.day().has_mean(), half.day().mean()), half.day().n(), cell(cost.has_mean(), cost.mean()),
                       cell(std::isfinite(analysis.capacity_bound_per_week), analysis.capacity_bound_per_week),
                       csv_field(analysis.bottleneck));
    std::string row;
    for (const auto& value : settings[p]) row += fmt::format("{:>24} ", value.substr(0, 24));
    const double first = summary.first_install_day().mean();
    fmt::print("{}{:>12.0f} {:>12.0f} {:>12.0f} {:>12} {:>16}\n", row, installed.mean(), installed.p10(),
               installed.p90(),
               summary.first_install_day().has_mean() ? config::date_after(scenario.start_date(), first) : "-",
               analysis.bottleneck);
  }
  results::OutputSet set(dir);
  set.write("sweep.csv", [&](std::ostream& out) { out << csv; });
  set.write("metrics.csv", [&](std::ostream& out) { results::write_metrics_csv(out, scenarios.front(), {}); });
  set.commit();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  fmt::print("\nwrote {} ({:.1f} s)\n", target, wall);
  return 0;
}

}  // namespace scsim::cli
