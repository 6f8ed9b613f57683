// `scsim sensitivity`: every uncertain input at its low and its high, one at a time.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "sim/cli/commands.hpp"
#include "sim/cli/path_value.hpp"
#include "sim/config/date.hpp"
#include "sim/config/loader.hpp"
#include "sim/config/overrides.hpp"
#include "sim/config/uncertain_inputs.hpp"
#include "sim/engine/runner.hpp"
#include "sim/network/supply_network.hpp"
#include "sim/results/output_set.hpp"
#include "sim/results/results.hpp"

namespace scsim::cli {

namespace {

struct Outcome {
  std::vector<double> installed;      // by the horizon, per replication
  std::vector<double> first_install;  // day, per replication (-1: none)
};

struct Swing {
  config::UncertainInput input;
  std::string name;                   // for --set
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

// Mean over the replications that have the value (>= 0); NaN when none has.
double mean(const std::vector<double>& values) {
  double sum = 0;
  int n = 0;
  for (double v : values)
    if (v >= 0) sum += v, ++n;
  return n > 0 ? sum / n : std::nan("");
}

// "PATH=LOW,HIGH" -> an input; the first '=' outside [ ] ends the path.
config::UncertainInput parse_range(const std::string& text) {
  const std::size_t eq = path_end(text);
  const std::string values = eq == std::string::npos ? std::string() : text.substr(eq + 1);
  const std::size_t comma = values.find(',');
  config::UncertainInput input;
  try {
    if (eq == 0 || comma == std::string::npos || values.find(',', comma + 1) != std::string::npos)
      throw std::invalid_argument("shape");
    std::size_t used = 0;
    input.low = std::stod(values.substr(0, comma), &used);
    if (used != comma) throw std::invalid_argument("low");
    const std::string high = values.substr(comma + 1);
    input.high = std::stod(high, &used);
    if (used != high.size()) throw std::invalid_argument("high");
  } catch (const std::exception&) {
    throw config::ConfigError({fmt::format("--range {}: expected PATH=LOW,HIGH with two numbers", text)});
  }
  input.path = text.substr(0, eq);
  input.label = input.path;
  input.shown = fmt::format("range {:g} to {:g}", input.low, input.high);
  return input;
}

// A name the user can paste into --set: the readable label when `scsim ... --set LABEL=VALUE` accepts it on the
// same file and overrides (lane names, for one, only exist after defaults), else the index path.
std::string settable_name(const SensitivityArgs& args, const config::UncertainInput& input) {
  if (input.label == input.path) return input.path;
  auto overrides = args.scenario.overrides;
  overrides.push_back(fmt::format("{}={}", input.label, input.low));
  try {
    config::load_scenario(args.scenario.config, overrides);
    return input.label;
  } catch (const std::exception&) {
    return input.path;
  }
}

}  // namespace

int sensitivity_command(const SensitivityArgs& args) {
  const auto started = std::chrono::steady_clock::now();
  scsim::Scenario scenario = config::load_scenario(args.scenario.config, args.scenario.overrides);
  if (args.replications > 0) scenario.set_replications(args.replications);
  std::vector<config::UncertainInput> inputs;
  if (!args.only_ranges) inputs = config::uncertain_inputs(scenario);
  // Scalar inputs given with --range: every value is checked like a --set before anything runs.
  std::vector<std::string> problems;
  for (const auto& text : args.ranges) {
    try {
      const auto input = parse_range(text);
      for (const double value : {input.low, input.high}) {
        auto overrides = args.scenario.overrides;
        overrides.push_back(fmt::format("{}={}", input.path, value));
        config::load_scenario(args.scenario.config, overrides);
      }
      inputs.push_back(input);
    } catch (const config::ConfigError& error) {
      problems.insert(problems.end(), error.lines().begin(), error.lines().end());
    }
  }
  if (!problems.empty()) throw config::ConfigError(problems);
  if (inputs.empty())
    throw config::ConfigError({fmt::format("{}: no input to vary (no ranged distribution; give --range PATH=LOW,HIGH)",
                                           args.scenario.config)});
  fmt::print("{}: {} inputs, each at its low and high, {} replications per run (common random numbers)\n",
             scenario.name(), inputs.size(), scenario.replications());

  engine::RunnerOptions options;
  options.jobs = args.jobs;
  options.runtime.max_events = args.max_events;
  options.pack_series = true;
  options.progress = args.progress != Progress::kNever;
  options.progress_always = args.progress == Progress::kAlways;
  options.label = "baseline";
  const Outcome baseline = simulate(scenario, options);
  results::throw_if_interrupted();

  std::vector<Swing> swings;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    Swing swing{inputs[k], settable_name(args, inputs[k]), {}, {}, {}, 0};
    for (const bool high : {false, true}) {
      scsim::Scenario changed = scenario;
      config::apply_override(changed, fmt::format("{}={}", inputs[k].path, high ? inputs[k].high : inputs[k].low));
      options.label = fmt::format("{}/{} {} {}", k + 1, inputs.size(), inputs[k].label, high ? "high" : "low");
      (high ? swing.high : swing.low) = simulate(changed, options);
      results::throw_if_interrupted();
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
  const std::string target = dir + "/sensitivity.csv";
  results::OutputSet set(dir);
  set.write("sensitivity.csv", [&](std::ostream& csv) {
    using results::csv_field;
    using results::csv_number;
    csv << "rank,input,path,distribution,low,high,installed_low,installed_high,installed_swing,installed_swing_ci95,"
           "first_install_day_low,first_install_day_high\n";
    // Rank 0: the scenario as given, the centre of a tornado chart.
    csv << fmt::format("0,baseline,,,,,{0},{0},,,{1},{1}\n", csv_number(mean(baseline.installed)),
                       csv_number(mean(baseline.first_install)));
    for (std::size_t i = 0; i < swings.size(); ++i) {
      const auto& s = swings[i];
      csv << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\n", i + 1, csv_field(s.name),
                         csv_field(s.input.path), csv_field(s.input.shown), s.input.low, s.input.high,
                         csv_number(mean(s.low.installed)), csv_number(mean(s.high.installed)),
                         csv_number(s.installed_difference.mean()),
                         s.installed_difference.has_ci95() ? csv_number(s.installed_difference.ci95()) : "",
                         csv_number(mean(s.low.first_install)), csv_number(mean(s.high.first_install)));
    }
  });
  set.write("metrics.csv", [&](std::ostream& out) { results::write_metrics_csv(out, scenario, {}); });
  set.commit();

  fmt::print("\nBaseline: {} installed by {} (mean), first install {}\n", results::grouped(mean(baseline.installed)),
             config::date_after(scenario.start_date(), scenario.horizon_days()),
             !std::isnan(mean(baseline.first_install))
                 ? config::date_after(scenario.start_date(), mean(baseline.first_install))
                 : std::string("none"));
  fmt::print("\n{:>4}  {:<62} {:>10} {:>10} {:>20} {:>12}\n", "rank", "input (low -> high)", "installed", "at high",
             "swing ±95% CI", "first inst.");
  const std::size_t shown = std::min<std::size_t>(swings.size(), args.top);
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& s = swings[i];
    const std::string name =
        fmt::format("{} ({:g} -> {:g})", s.name, s.input.low, s.input.high);
    fmt::print("{:>4}  {:<62} {:>10} {:>10} {:>20} {:>+11.0f}d\n", i + 1, name.substr(0, 62),
               results::grouped(mean(s.low.installed)), results::grouped(mean(s.high.installed)),
               fmt::format("{}{} ± {}", s.installed_difference.mean() >= 0 ? "+" : "",
                           results::grouped(s.installed_difference.mean()), results::grouped(s.installed_difference.ci95())),
               s.first_install_difference);
  }
  if (shown < swings.size()) fmt::print("  ... {} more in {}\n", swings.size() - shown, target);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  fmt::print("\nwrote {} ({:.1f} s)\n", target, wall);
  return 0;
}

}  // namespace scsim::cli
