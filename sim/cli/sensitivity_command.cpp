// `scsim sensitivity`: every uncertain input at its low and its high, one at a time.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "sim/cli/commands.hpp"
#include "sim/config/date.hpp"
#include "sim/config/loader.hpp"
#include "sim/config/overrides.hpp"
#include "sim/config/uncertain_inputs.hpp"
#include "sim/engine/runner.hpp"
#include "sim/network/supply_network.hpp"
#include "sim/results/results.hpp"

namespace scsim::cli {

namespace {

struct Outcome {
  std::vector<double> installed;      // by the horizon, per replication
  std::vector<double> first_install;  // day, per replication (-1: none)
};

struct Swing {
  config::UncertainInput input;
  Outcome low, high;
  scsim::Stat installed_difference;   // high - low, paired
  double first_install_difference = 0;
};

Outcome simulate(const scsim::Scenario& scenario, const engine::RunnerOptions& options) {
  Outcome out;
  for (const auto& r :
       engine::run_replications(scenario, network::analyse(scenario), scenario.replications(), options)) {
    out.installed.push_back(r.installed_units());
    out.first_install.push_back(r.first_install_day());
  }
  return out;
}

double mean(const std::vector<double>& values) {
  double sum = 0;
  int n = 0;
  for (double v : values)
    if (v >= 0) sum += v, ++n;
  return n > 0 ? sum / n : -1;
}


}  // namespace

int sensitivity_command(const SensitivityArgs& args) {
  const auto started = std::chrono::steady_clock::now();
  scsim::Scenario scenario = config::load_scenario(args.scenario.config, args.scenario.overrides);
  if (args.replications > 0) scenario.set_replications(args.replications);
  const auto inputs = config::uncertain_inputs(scenario);
  fmt::print("{}: {} uncertain inputs, each at its low and high, {} replications per run (common random numbers)\n",
             scenario.name(), inputs.size(), scenario.replications());

  engine::RunnerOptions options;
  options.jobs = args.jobs;
  options.runtime.max_events = args.max_events;
  options.progress = true;
  options.label = "baseline";
  const Outcome baseline = simulate(scenario, options);

  std::vector<Swing> swings;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    Swing swing{inputs[k], {}, {}, {}, 0};
    for (const bool high : {false, true}) {
      scsim::Scenario changed = scenario;
      config::apply_override(changed, fmt::format("{}={}", inputs[k].path, high ? inputs[k].high : inputs[k].low));
      options.label = fmt::format("{}/{} {} {}", k + 1, inputs.size(), inputs[k].label, high ? "high" : "low");
      (high ? swing.high : swing.low) = simulate(changed, options);
    }
    std::vector<double> differences;
    for (std::size_t r = 0; r < swing.low.installed.size(); ++r)
      differences.push_back(swing.high.installed[r] - swing.low.installed[r]);
    swing.installed_difference = results::stat_of(differences);
    swing.first_install_difference = mean(swing.high.first_install) - mean(swing.low.first_install);
    swings.push_back(std::move(swing));
  }
  // Ranked by how much the input moves installs by the horizon; ties by the first install.
  std::stable_sort(swings.begin(), swings.end(), [](const Swing& a, const Swing& b) {
    return std::abs(a.installed_difference.mean()) > std::abs(b.installed_difference.mean());
  });

  const std::string dir = args.output_dir.empty() ? "results/" + scenario.name() + "_sensitivity" : args.output_dir;
  std::filesystem::create_directories(dir);
  const auto target = std::filesystem::path(dir) / "sensitivity.csv";
  const auto temporary = std::filesystem::path(dir) / ".sensitivity.csv.tmp";
  {
    std::ofstream csv(temporary);
    csv << "rank,input,path,distribution,low,high,installed_low,installed_high,installed_swing,installed_swing_ci95,"
           "first_install_day_low,first_install_day_high\n";
    for (std::size_t i = 0; i < swings.size(); ++i) {
      const auto& s = swings[i];
      csv << fmt::format("{},{},{},\"{}\",{},{},{},{},{},{},{},{}\n", i + 1, s.input.label, s.input.path, s.input.shown,
                         s.input.low, s.input.high, mean(s.low.installed), mean(s.high.installed),
                         s.installed_difference.mean(), s.installed_difference.ci95(), mean(s.low.first_install),
                         mean(s.high.first_install));
    }
    if (!csv) throw std::runtime_error(fmt::format("cannot write {}", target.string()));
  }
  std::filesystem::rename(temporary, target);

  fmt::print("\nBaseline: {} installed by {} (mean), first install {}\n", results::grouped(mean(baseline.installed)),
             config::date_after(scenario.start_date(), scenario.horizon_days()),
             mean(baseline.first_install) >= 0
                 ? config::date_after(scenario.start_date(), mean(baseline.first_install))
                 : std::string("none"));
  fmt::print("\n{:>4}  {:<62} {:>10} {:>10} {:>20} {:>12}\n", "rank", "input (low -> high)", "installed", "at high",
             "swing ±95% CI", "first inst.");
  const std::size_t shown = std::min<std::size_t>(swings.size(), args.top);
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& s = swings[i];
    const std::string name = fmt::format("{} ({:g} -> {:g})", s.input.label, s.input.low, s.input.high);
    fmt::print("{:>4}  {:<62} {:>10} {:>10} {:>20} {:>+11.0f}d\n", i + 1, name.substr(0, 62),
               results::grouped(mean(s.low.installed)), results::grouped(mean(s.high.installed)),
               fmt::format("{}{} ± {}", s.installed_difference.mean() >= 0 ? "+" : "",
                           results::grouped(s.installed_difference.mean()), results::grouped(s.installed_difference.ci95())),
               s.first_install_difference);
  }
  if (shown < swings.size()) fmt::print("  ... {} more in {}\n", swings.size() - shown, target.string());
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  fmt::print("\nwrote {} ({:.1f} s)\n", target.string(), wall);
  return 0;
}

}  // namespace scsim::cli
