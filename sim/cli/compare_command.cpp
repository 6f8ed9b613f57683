// `scsim compare`: the same replications of several scenarios, side by side.
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "sim/cli/commands.hpp"
#include "sim/config/date.hpp"
#include "sim/config/loader.hpp"
#include "sim/engine/runner.hpp"
#include "sim/network/supply_network.hpp"
#include "sim/results/compare.hpp"
#include "sim/results/output_set.hpp"
#include "sim/results/results.hpp"

namespace scsim::cli {

int compare_command(const CompareArgs& args) {
  const auto started = std::chrono::steady_clock::now();
  // Load every scenario first and report every problem in all of them at once.
  std::vector<scsim::Scenario> scenarios;
  std::vector<std::string> problems;
  for (const auto& config : args.configs) {
    try {
      scenarios.push_back(config::load_scenario(config, args.overrides));
    } catch (const config::ConfigError& error) {
      problems.insert(problems.end(), error.lines().begin(), error.lines().end());
    }
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < scenarios.size(); ++i)
    if (!names.insert(scenarios[i].name()).second)
      problems.push_back(fmt::format("{}: name: two compared scenarios are both called '{}'; their outputs would "
                                     "share a folder",
                                     args.configs[i], scenarios[i].name()));
  if (!problems.empty()) throw config::ConfigError(problems);

  // The same replications and seed everywhere: with per-site streams this gives common random numbers.
  const int replications = args.replications > 0 ? args.replications : scenarios.front().replications();
  const std::uint64_t seed = args.seed ? *args.seed : scenarios.front().seed();
  const std::string dir = args.output_dir.empty() ? "results/compare" : args.output_dir;
  const auto timeline = results::parse_timeline_mode(args.timeline).value_or(results::TimelineMode::kBands);

  struct Written {
    scsim::Summary summary;
    results::RunInfo info;
  };
  std::vector<Written> written;
  std::vector<results::ComparedRun> runs;
  for (auto& scenario : scenarios) {
    scenario.set_replications(replications);
    scenario.set_seed(seed);
    const auto analysis = network::analyse(scenario);
    engine::RunnerOptions options;
    options.jobs = args.jobs;
    options.runtime.max_events = args.max_events;
    options.pack_series = true;
    options.progress = args.progress != Progress::kNever;
    options.progress_always = args.progress == Progress::kAlways;
    options.label = scenario.name();
    auto results = engine::run_replications(scenario, analysis, replications, options);
    results::throw_if_interrupted();
    const auto summary = results::summarize(scenario, analysis.capacity_bound_per_week, analysis.bottleneck,
                                            analysis.first_unit_day, results);
    results::RunInfo info;
    info.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    info.jobs = args.jobs;
    info.command = args.command_line;
    written.push_back({summary, info});
    fmt::print("{:<28} bound {:>8.0f}/week at {:<16} first unit (critical path) {}\n", scenario.name(),
               analysis.capacity_bound_per_week, analysis.bottleneck,
               std::isfinite(analysis.first_unit_day)
                   ? config::date_after(scenario.start_date(), analysis.first_unit_day)
                   : std::string("never"));
    runs.push_back({scenario, std::move(results)});
  }
  fmt::print("\n");
  const auto metrics = results::compare_runs(runs);
  // The whole comparison is one set: compare.csv and every scenario's folder appear together or not at all.
  results::OutputSet set(dir);
  set.write("compare.csv", [&](std::ostream& out) { results::write_compare_csv(out, runs, metrics); });
  set.write("metrics.csv", [&](std::ostream& out) { results::write_metrics_csv(out, runs.front().scenario, {}); });
  for (std::size_t i = 0; i < runs.size(); ++i)
    results::write_run_files(set, runs[i].scenario.name() + "/", runs[i].scenario, written[i].summary,
                             runs[i].replications, written[i].info, timeline);
  set.commit();
  results::print_compare(stdout, runs, metrics);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  fmt::print("\nwrote {0}/compare.csv and one folder per scenario under {0}/ ({1:.2f} s)\n", dir, wall);
  return 0;
}

}  // namespace scsim::cli
