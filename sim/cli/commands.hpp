// The scsim verbs. Each returns the process exit code:
// 0 success, 1 runtime failure, 2 bad usage or bad input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace scsim::cli {

// Events one replication may handle (--max-events): bounds the work of any
// scenario; the shipped ones need well under a tenth of it.
constexpr std::int64_t kDefaultMaxEvents = 200'000'000;

// Progress on stderr: on a terminal only (default), always (--progress), never (--quiet).
enum class Progress { kAuto, kAlways, kNever };

struct ScenarioArgs {
  std::string config;
  std::vector<std::string> overrides;  // --set path=value, in order
};

struct RunArgs {
  ScenarioArgs scenario;
  int replications = 0;                // 0: the scenario's own
  std::optional<std::uint64_t> seed;   // unset: the scenario's own
  int jobs = 1;
  std::string output_dir;              // empty: results/<scenario name>
  std::string simgrid_log;             // --log, passed to SimGrid
  std::int64_t max_events = kDefaultMaxEvents;  // --max-events, per replication
  std::string command_line;            // recorded in run_info.json
  std::string timeline = "bands";      // --timeline bands|full|none
  Progress progress = Progress::kAuto;
};

struct CompareArgs {
  std::vector<std::string> configs;    // two or more scenarios
  int replications = 0;                // 0: the first scenario's
  std::optional<std::uint64_t> seed;   // unset: the first scenario's
  int jobs = 1;
  std::string output_dir;              // empty: results/compare
  std::int64_t max_events = kDefaultMaxEvents;
  std::string command_line;
  std::vector<std::string> overrides;  // --set PATH=VALUE, applied to every scenario
  std::string timeline = "bands";
  Progress progress = Progress::kAuto;
};

struct SensitivityArgs {
  ScenarioArgs scenario;
  int replications = 0;     // 0: the scenario's
  int jobs = 1;
  std::size_t top = 15;     // rows printed (all go to the CSV)
  std::string output_dir;   // empty: results/NAME_sensitivity
  std::vector<std::string> ranges;  // --range PATH=LOW,HIGH: scalar inputs tried too
  bool only_ranges = false;         // --only-ranges: skip the distributions
  Progress progress = Progress::kAuto;
  std::int64_t max_events = kDefaultMaxEvents;
};

struct SweepArgs {
  ScenarioArgs scenario;
  std::vector<std::string> vary;  // PATH=V1,V2,... ; the grid is their product
  int replications = 0;
  int jobs = 1;
  std::string output_dir;         // empty: results/NAME_sweep
  Progress progress = Progress::kAuto;
  std::int64_t max_events = kDefaultMaxEvents;
};

struct OptimizeArgs {
  ScenarioArgs scenario;
  std::vector<std::string> decide;   // --decide PATH=LO:HI
  std::string objective = "p10_installed";  // p10_installed | mean_installed | p_target | accelerator_days_per_usd
  std::string by_date;               // --by: read installs at this date (default: the horizon)
  std::optional<double> max_spend;   // --max-spend USD: mean spend cap (a constraint)
  int replications = 0;              // per evaluation (0: the scenario's)
  int evaluations = 24;              // --evals: the search's budget
  int confirm = 3;                   // --confirm: best points re-run with more replications
  int confirm_factor = 4;            // confirmation replications = factor x replications
  int jobs = 1;
  std::string output_dir;            // empty: results/NAME_optimize
  Progress progress = Progress::kAuto;
  std::int64_t max_events = kDefaultMaxEvents;
};

int optimize_command(const OptimizeArgs& args);
int validate_command(const ScenarioArgs& args);
int sweep_command(const SweepArgs& args);
int sensitivity_command(const SensitivityArgs& args);
int compare_command(const CompareArgs& args);
int run_command(const RunArgs& args);
int graph_command(const ScenarioArgs& args);

}  // namespace scsim::cli
