// `scsim run`: replications of one scenario, written to DIR and summarised.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>

#include "sim/cli/commands.hpp"
#include "sim/config/loader.hpp"
#include "sim/engine/runner.hpp"
#include "sim/network/supply_network.hpp"
#include "sim/results/output_set.hpp"
#include "sim/results/results.hpp"

namespace scsim::cli {

int run_command(const RunArgs& args) {
  const auto started = std::chrono::steady_clock::now();
  scsim::Scenario scenario = config::load_scenario(args.scenario.config, args.scenario.overrides);
  // -r and --seed are overrides too, so resolved.textproto reruns to the same result.
  if (args.replications > 0) scenario.set_replications(args.replications);
  if (args.seed) scenario.set_seed(*args.seed);
  const auto analysis = network::analyse(scenario);
  const auto timeline = results::parse_timeline_mode(args.timeline).value_or(results::TimelineMode::kBands);

  engine::RunnerOptions options;
  options.jobs = args.jobs;
  options.runtime.max_events = args.max_events;
  options.pack_series = true;
  options.progress = args.progress != Progress::kNever;
  options.progress_always = args.progress == Progress::kAlways;
  options.label = scenario.name();
  options.runtime.simgrid_log = args.simgrid_log;
  const auto replications = engine::run_replications(scenario, analysis, scenario.replications(), options);
  results::throw_if_interrupted();

  const auto summary = results::summarize(scenario, analysis.capacity_bound_per_week, analysis.bottleneck,
                                          analysis.first_unit_day, replications);
  const std::string dir = args.output_dir.empty() ? "results/" + scenario.name() : args.output_dir;
  results::RunInfo info;
  info.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  info.jobs = args.jobs;
  info.command = args.command_line;
  results::write_run_outputs(dir, scenario, summary, replications, info, timeline);
  results::print_summary(stdout, scenario, summary, replications);
  fmt::print("\nwrote {}/ (summary.json, replications.csv, metrics.csv, {}resolved.textproto; {:.2f} s)\n", dir,
             timeline == results::TimelineMode::kBands  ? "timeline.csv, "
             : timeline == results::TimelineMode::kFull ? "timeline.csv.gz, "
                                                        : "",
             info.wall_seconds);
  return 0;
}

}  // namespace scsim::cli
