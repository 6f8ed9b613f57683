// `scsim run`: replications of one scenario, written to DIR and summarised.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>

#include "sim/cli/commands.hpp"
#include "sim/config/loader.hpp"
#include "sim/engine/runner.hpp"
#include "sim/network/supply_network.hpp"
#include "sim/results/results.hpp"

namespace scsim::cli {

int run_command(const RunArgs& args) {
  const auto started = std::chrono::steady_clock::now();
  scsim::Scenario scenario = config::load_scenario(args.scenario.config, args.scenario.overrides);
  // -r and --seed are overrides too, so resolved.textproto reruns to the same result.
  if (args.replications > 0) scenario.set_replications(args.replications);
  if (args.seed) scenario.set_seed(*args.seed);
  const auto analysis = network::analyse(scenario);

  engine::RunnerOptions options;
  options.jobs = args.jobs;
  options.runtime.max_events = args.max_events;
  options.progress = true;
  options.label = scenario.name();
  options.runtime.simgrid_log = args.simgrid_log;
  const auto replications = engine::run_replications(scenario, analysis, scenario.replications(), options);

  const auto summary = results::summarize(scenario, analysis.capacity_bound_per_week, analysis.bottleneck,
                                          analysis.first_unit_day, replications);
  const std::string dir = args.output_dir.empty() ? "results/" + scenario.name() : args.output_dir;
  results::RunInfo info;
  info.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  info.jobs = args.jobs;
  info.command = args.command_line;
  results::write_run_outputs(dir, scenario, summary, replications, info);
  results::print_summary(stdout, scenario, summary, replications);
  fmt::print("\nwrote {0}/summary.json, {0}/timeline.csv, {0}/resolved.textproto ({1:.2f} s)\n", dir,
             info.wall_seconds);
  return 0;
}

}  // namespace scsim::cli
