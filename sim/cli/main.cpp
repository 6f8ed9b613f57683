// scsim: the command line. Parses arguments (CLI11) and dispatches to a verb.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <google/protobuf/stubs/common.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <limits>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>

#include "sim/cli/commands.hpp"
#include "sim/cli/distribute.hpp"
#include "sim/config/loader.hpp"
#include "sim/engine/runner.hpp"
#include "sim/results/output_set.hpp"

namespace {

constexpr const char* kDescription =
    "scsim: a discrete-event simulator of the semiconductor supply chain behind AI accelerators\n"
    "(design, foundry, HBM, packaging, test, shipping, datacenter build-out).\n";

constexpr const char* kFooter = R"(Examples:
  scsim validate configs/stargate_tsmc.textproto
  scsim run configs/stargate_samsung.textproto -r 50 -j 2 -o results/samsung
  scsim compare configs/stargate_tsmc.textproto configs/stargate_samsung.textproto -j 2 -o results/compare
  scsim compare configs/stargate_tsmc.textproto configs/stargate_samsung.textproto --set horizon_days=1500
  scsim sensitivity configs/stargate_samsung.textproto -r 10 -j 2 \
      --range sites[name=arm_design].design.respin_probability=0.3,0.9
  scsim sweep configs/stargate_tsmc.textproto -j 2 \
      --vary sites[name=tsmc_cowos].packaging.interposer_wafers_per_week.steps[1].rate=250,400,600
  scsim optimize configs/stargate_dual.textproto -r 20 -j 2 --evals 12 \
      --decide lanes[name=tsmc_path].order_share=0:1 --objective p10_installed
  scsim validate configs/stargate_tsmc.textproto --set sites[name=tsmc_n3].foundry.d0_per_cm2=0.12
  scsim graph configs/stargate_tsmc.textproto | dot -Tsvg > supply.svg
  scripts/plot.py results/compare --format png,svg     # charts of any results folder
  scripts/report.py results/compare                    # results/compare/report.html

What each output file holds: docs/outputs.md.

Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad input, 130 interrupted.
Run 'scsim VERB --help' for the options of a verb.
)";

constexpr const char* kSetHelp =
    "Override one field before validation, e.g. horizon_days=1000, "
    "sites[name=tsmc_n3].foundry.d0_per_cm2=0.12 (a bare number sets a distribution to fixed), "
    "lanes[0].transit_days={triangular{min:3 mode:5 max:10}}. Select list elements by [N] or [name=VALUE]; add one with [+]={...}. "
    "Repeatable; applied in order";

void add_scenario_options(CLI::App& verb, scsim::cli::ScenarioArgs& args) {
  verb.add_option("CONFIG", args.config, "Scenario file in protobuf text format (.textproto)")
      ->required()
      ->check(CLI::ExistingFile);
  verb.add_option("--set", args.overrides, kSetHelp)->type_name("PATH=VALUE")->allow_extra_args(false);
}

// Range checks on the option text, before conversion, with plain messages.
// (CLI11's own would wrap -1 into 2^64-1 for an unsigned seed, or print
// PositiveNumber's range as a 309-digit number.)
CLI::Validator whole_number(long long min, long long max, const std::string& why) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        const std::string range = fmt::format("must be a whole number from {} to {}{}", min, max, why);
        if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos)
          return range + " (got '" + scsim::config::escape_text(text) + "')";
        const unsigned long long value = std::stoull(text);
        if (value < static_cast<unsigned long long>(min) || value > static_cast<unsigned long long>(max))
          return range + " (got " + text + ")";
        return {};
      },
      "", "");
}

// A slice of replication indices given as -r A:B (one verb parses per process).
std::optional<scsim::cli::SliceRange> slice;

void add_replications_option(CLI::App& verb, int& replications, const std::string& help) {
  verb.add_option_function<std::string>(
          "-r,--replications",
          [&replications](const std::string& text) {
            if (text.find(':') == std::string::npos) {
              replications = std::stoi(text);
              return;
            }
            std::string error;
            slice = scsim::cli::parse_slice(text, 1'000'000, error);
            replications = slice->last;
          },
          help + "; or A:B, a slice: only replications A to B-1 of the run of B (or more) replications, saved to -o "
                 "DIR for `scsim merge`")
      ->type_name("N|A:B")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            if (text.find(':') == std::string::npos)
              return whole_number(1, 1'000'000, "; each replication is a process and a set of results")(text);
            std::string error;
            return scsim::cli::parse_slice(text, 1'000'000, error) ? std::string() : error;
          },
          "", ""));
}

void add_mpi_option(CLI::App& verb, bool& mpi) {
  verb.add_flag("--mpi", mpi,
                "Share the replications out over the ranks of an MPI job (mpirun -np K scsim ... --mpi); rank 0 "
                "gathers them and writes the same outputs as one process would");
}

void add_max_events_option(CLI::App& verb, std::int64_t& max_events) {
  verb.add_option("--max-events", max_events,
                  "Stop (exit 1) a replication that handles more events than this: bounds the work of any scenario")
      ->default_val(scsim::cli::kDefaultMaxEvents)
      ->type_name("N")
      ->check(whole_number(1, 1'000'000'000'000, ""));
}

void add_seed_option(CLI::App& verb, std::optional<std::uint64_t>& seed, const std::string& help) {
  verb.add_option("--seed", seed, help)->check(whole_number(0, std::numeric_limits<std::int64_t>::max(), " (2^63-1)"));
}

// SimGrid aborts the process on a --log it cannot parse, so check it here:
// space-separated CATEGORY.thresh:LEVEL or CATEGORY.add:on|off (layouts, which
// abort on a bad % directive, and appenders, which write files, are not offered).
std::string check_log(std::string& spec) {
  static const std::regex setting(
      R"(^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\.(thresh(old)?:(trace|debug|verbose|info|warning|error|critical)|add(itivity)?:(on|off|yes|no|1|0))$)");
  std::istringstream words(spec);
  std::string word;
  int count = 0;
  while (words >> word) {
    ++count;
    if (!std::regex_match(word, setting))
      return fmt::format("'{}' is not a SimGrid log setting CATEGORY.thresh:LEVEL (LEVEL: trace, debug, verbose, "
                         "info, warning, error, critical) or CATEGORY.add:on|off",
                         scsim::config::escape_text(word));
  }
  if (count == 0) return "is empty; give e.g. root.thresh:info";
  return {};
}

void add_jobs_option(CLI::App& verb, int& jobs) {
  verb.add_option("-j,--jobs", jobs, "Worker processes running replications in parallel")
      ->default_val(1)
      ->check(CLI::Range(1, 256));
}

void add_output_option(CLI::App& verb, std::string& dir, const std::string& default_dir) {
  verb.add_option("-o,--output", dir,
                  "Output folder (default: " + default_dir +
                      "), replaced as a whole when every file is written; an interrupted or failed run leaves the "
                      "previous one as it was")
      ->type_name("DIR")
      ->check(CLI::Validator([](std::string& text) -> std::string {
        return text.empty() ? "must not be empty (leave -o out for the default)" : "";
      }, "", ""));
}

void add_timeline_option(CLI::App& verb, std::string& timeline) {
  verb.add_option("--timeline", timeline,
                  "Weekly series per site and metric: 'bands' writes timeline.csv with the mean, p10, p50, p90 "
                  "across replications (scenario,day,date,site,metric,mean,p10,p50,p90,n); 'full' writes every "
                  "replication's rows to timeline.csv.gz (scenario,replication,day,date,site,metric,value; "
                  "pandas.read_csv reads it directly); 'none' writes no timeline")
      ->default_val("bands")
      ->check(CLI::IsMember({"bands", "full", "none"}))
      ->type_name("MODE");
}

void add_progress_options(CLI::App& verb, scsim::cli::Progress& progress) {
  auto* always = verb.add_flag_callback(
      "--progress", [&progress] { progress = scsim::cli::Progress::kAlways; },
      "Show progress (replications done, rate, time left) on stderr even when it is not a terminal");
  auto* quiet = verb.add_flag_callback(
      "-q,--quiet", [&progress] { progress = scsim::cli::Progress::kNever; }, "No progress on stderr");
  always->excludes(quiet);
}


int run_cli(int argc, char** argv) {
  CLI::App app(kDescription, "scsim");
  app.footer(kFooter);
  app.set_version_flag("--version", "scsim 0.1.0");
  app.require_subcommand(1);

  scsim::cli::ScenarioArgs args;
  CLI::App* validate = app.add_subcommand(
      "validate",
      "Check a scenario and print its supply-network analysis: sites in topological order with steady-state "
      "capacities, lanes, the expected critical path to the first installed accelerator, and the chain's "
      "capacity bound (max-flow/min-cut) with its bottleneck. Exit 0 when valid; exit 2 with one "
      "'FILE:LINE:COL: field.path: problem' line per problem otherwise.");
  add_scenario_options(*validate, args);
  CLI::App* graph = app.add_subcommand(
      "graph", "Print the supply network in Graphviz DOT (sites with company and kind; lanes with product and transit "
               "time; dashed release gates from design to foundries). Render with: dot -Tsvg");
  add_scenario_options(*graph, args);

  scsim::cli::RunArgs run_args;
  CLI::App* run = app.add_subcommand(
      "run",
      "Simulate replications of a scenario on the SimGrid engine and summarise them: installed accelerators by "
      "year-end and by the horizon, milestone dates (25/50/90/100% of the target) with p10/p50/p90, first "
      "install, stranded chips and capacity, per-stage lead times. Writes DIR/summary.json, DIR/replications.csv "
      "(one row per replication), DIR/metrics.csv (what every metric counts, its unit and accelerator "
      "equivalent), DIR/timeline.csv (weekly bands; see --timeline), DIR/resolved.textproto and "
      "DIR/run_info.json, as one set. Same config and seed give byte-identical files (but run_info.json) for any "
      "-j. Plot with scripts/plot.py DIR, report with scripts/report.py DIR.");
  add_scenario_options(*run, run_args.scenario);
  add_replications_option(*run, run_args.replications, "Replications to run (default: the scenario's `replications`)");
  add_seed_option(*run, run_args.seed, "Base random seed (default: the scenario's `seed`)");
  add_max_events_option(*run, run_args.max_events);
  add_jobs_option(*run, run_args.jobs);
  add_output_option(*run, run_args.output_dir, "results/SCENARIO_NAME");
  add_timeline_option(*run, run_args.timeline);
  add_progress_options(*run, run_args.progress);
  bool mpi = false;
  add_mpi_option(*run, mpi);
  run->add_option("--log", run_args.simgrid_log,
                  "SimGrid log settings, e.g. root.thresh:info (SimGrid is silent otherwise)")
      ->type_name("SPEC")
      ->check(CLI::Validator(check_log, "", ""));

  scsim::cli::CompareArgs compare_args;
  CLI::App* compare = app.add_subcommand(
      "compare",
      "Run the same replications of two or more scenarios with common random numbers (same seed; every site draws "
      "the same numbers in each scenario) and compare them: installs by year-end and by the horizon, milestone and "
      "first-install days, cost per accelerator, stranded chips and capacity; each scenario's mean and p10-p90, "
      "and its paired difference from the first scenario with a 95% confidence interval. Writes DIR/compare.csv "
      "(metric,date,unit,scenario,replications,n,mean,p10,p50,p90,ci95,diff_mean,diff_ci95,pairs; empty where "
      "nothing was measured) and, per scenario, DIR/NAME/ with the outputs of `scsim run`, as one set.");
  compare->add_option("CONFIGS", compare_args.configs, "Scenario files; the first is the baseline")
      ->required()
      ->expected(2, 64)
      ->check(CLI::ExistingFile);
  add_replications_option(*compare, compare_args.replications,
                          "Replications of every scenario (default: the first scenario's `replications`)");
  add_seed_option(*compare, compare_args.seed, "Base random seed for all (default: the first scenario's)");
  add_max_events_option(*compare, compare_args.max_events);
  add_jobs_option(*compare, compare_args.jobs);
  add_output_option(*compare, compare_args.output_dir, "results/compare");
  compare->add_option("--set", compare_args.overrides, std::string(kSetHelp) + "; applied to every scenario")
      ->type_name("PATH=VALUE")
      ->allow_extra_args(false);
  add_timeline_option(*compare, compare_args.timeline);
  add_progress_options(*compare, compare_args.progress);
  add_mpi_option(*compare, mpi);

  scsim::cli::SensitivityArgs sensitivity_args;
  CLI::App* sensitivity = app.add_subcommand(
      "sensitivity",
      "Which uncertain input matters most? Sets every distribution with a range (uniform, triangular, PERT, "
      "empirical, two-sided normal) to its low and then its high end, one at a time, runs the same replications "
      "(common random numbers) and ranks the inputs by how much they move installed accelerators by the horizon, "
      "with the paired 95% CI and the change in first-install day. Scalar inputs (probabilities, allocations, "
      "packages per wafer, ...) join with --range PATH=LOW,HIGH. Writes DIR/sensitivity.csv: a baseline row "
      "(rank 0), then one row per input; its `input` column is a --set path.");
  add_scenario_options(*sensitivity, sensitivity_args.scenario);
  add_replications_option(*sensitivity, sensitivity_args.replications,
                          "Replications per run (default: the scenario's); 2 runs per input");
  add_jobs_option(*sensitivity, sensitivity_args.jobs);
  sensitivity->add_option("--top", sensitivity_args.top, "Rows to print (all are in the CSV)")->default_val(15);
  add_max_events_option(*sensitivity, sensitivity_args.max_events);
  add_output_option(*sensitivity, sensitivity_args.output_dir, "results/SCENARIO_NAME_sensitivity");
  sensitivity
      ->add_option("--range", sensitivity_args.ranges,
                   "PATH=LOW,HIGH: also try this field (any number in the scenario, e.g. "
                   "sites[name=arm_design].design.respin_probability=0.1,0.5) at LOW and at HIGH. Repeatable")
      ->type_name("PATH=LOW,HIGH")
      ->allow_extra_args(false);
  sensitivity->add_flag("--only-ranges", sensitivity_args.only_ranges,
                        "Try only the --range inputs, not every distribution");
  add_progress_options(*sensitivity, sensitivity_args.progress);
  add_mpi_option(*sensitivity, mpi);

  scsim::cli::SweepArgs sweep_args;
  CLI::App* sweep = app.add_subcommand(
      "sweep",
      "Run a grid of what-ifs: every combination of the --vary values (each a --set path with a list of values), "
      "the same replications at every point (common random numbers). Prints one line per point (installs by the "
      "horizon mean/p10/p90, first install, bottleneck) and writes DIR/sweep.csv.");
  add_scenario_options(*sweep, sweep_args.scenario);
  sweep->add_option("--vary", sweep_args.vary,
                    "PATH=V1,V2,...: values to try for one field (a --set path; distributions take a number or "
                    "{ ... }). Repeat for a grid")
      ->required()
      ->type_name("PATH=V1,V2,...")
      ->allow_extra_args(false);
  add_replications_option(*sweep, sweep_args.replications, "Replications per point (default: the scenario's)");
  add_jobs_option(*sweep, sweep_args.jobs);
  add_output_option(*sweep, sweep_args.output_dir, "results/SCENARIO_NAME_sweep");
  add_progress_options(*sweep, sweep_args.progress);
  add_max_events_option(*sweep, sweep_args.max_events);
  add_mpi_option(*sweep, mpi);

  scsim::cli::OptimizeArgs optimize_args;
  CLI::App* optimize = app.add_subcommand(
      "optimize",
      "Search decision variables for the best objective: each --decide is a --set path (a number in the scenario, "
      "e.g. an order share or a booked rate) with a range LO:HI. Every evaluation runs the same replications "
      "(common random numbers), so the objective is a deterministic function of the decisions; NLopt's DIRECT-L "
      "(global, derivative-free) searches the box after trying its corners. The best few points are re-run with "
      "more replications and compared paired. Writes DIR/optimize.csv (every evaluated point) and "
      "DIR/best.textproto (the best point, ready to run).");
  add_scenario_options(*optimize, optimize_args.scenario);
  optimize->add_option("--decide", optimize_args.decide, "PATH=LO:HI: a decision variable and its range. Repeatable")
      ->required()
      ->type_name("PATH=LO:HI")
      ->allow_extra_args(false);
  optimize
      ->add_option("--objective", optimize_args.objective,
                   "What to maximize over the replications: p10_installed (p10 of installs by --by), mean_installed, "
                   "p_target (share of replications with the target installed by --by) or "
                   "accelerator_days_per_usd (mean accelerator-days in service per mean USD spent)")
      ->default_val("p10_installed");
  optimize->add_option("--by", optimize_args.by_date, "Read installs on this date, YYYY-MM-DD (default: the horizon)");
  optimize->add_option("--max-spend", optimize_args.max_spend,
                       "Constraint: mean spend at most this many USD (points above it rank last)");
  optimize->add_option("--evals", optimize_args.evaluations, "Distinct points the search evaluates")->default_val(24);
  optimize->add_option("--confirm", optimize_args.confirm, "Best points re-run to confirm")->default_val(3);
  optimize->add_option("--confirm-factor", optimize_args.confirm_factor,
                       "Confirmation replications, as a multiple of -r")->default_val(4);
  add_replications_option(*optimize, optimize_args.replications, "Replications per evaluation (default: the scenario's)");
  add_jobs_option(*optimize, optimize_args.jobs);
  add_output_option(*optimize, optimize_args.output_dir, "results/SCENARIO_NAME_optimize");
  add_progress_options(*optimize, optimize_args.progress);
  add_max_events_option(*optimize, optimize_args.max_events);

  std::vector<std::string> merge_dirs;
  std::string merge_output;
  CLI::App* merge = app.add_subcommand(
      "merge",
      "Combine slices of one command (each run with --replications A:B -o DIR_k, e.g. as separate batch-scheduler "
      "jobs) into the outputs of the whole command, byte-identical to running it at once (but run_info.json). "
      "The slices must cover replications 0 to N-1 once each; the scenario files are read again and must be "
      "unchanged.");
  merge->add_option("DIRS", merge_dirs, "Slice folders (holding slice.pb)")->required()->check(CLI::ExistingDirectory);
  merge->add_option("-o,--output", merge_output, "Output folder of the merged command")->required()->type_name("DIR");

  // CLI11 says "A subcommand is required" for a misspelt verb: name it instead.
  std::string verbs;
  bool known = false;
  for (const auto* verb : app.get_subcommands([](const CLI::App*) { return true; })) {
    verbs += (verbs.empty() ? "" : ", ") + verb->get_name();
    known = known || (argc > 1 && verb->get_name() == argv[1]);
  }
  if (argc > 1 && argv[1][0] != '-' && !known) {
    fmt::print(stderr, "scsim: unknown verb '{}'; the verbs are {}. Run 'scsim --help' for more.\n",
               scsim::config::escape_text(argv[1]), verbs);
    return 2;
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);  // --help, --version
    // CLI11 echoes arguments as given: escape them like every other message.
    fmt::print(stderr, "{}\nRun with --help for more information.\n", scsim::config::escape_text(error.what()));
    return 2;
  }

  // For the verbs that write results, interrupts outside the replication runner are recorded and honoured before
  // anything is written: the output folder keeps its previous complete set (exit 130). validate and graph write
  // nothing and stop at once.
  std::unique_ptr<scsim::results::InterruptGuard> interrupt_guard;
  if (run->parsed() || compare->parsed() || sweep->parsed() || sensitivity->parsed() || optimize->parsed())
    interrupt_guard = std::make_unique<scsim::results::InterruptGuard>();
  const auto dispatch = [&]() -> int {
  if (slice) scsim::cli::begin_slice(*slice, scsim::cli::normalized_arguments(argc, argv));
  try {
    if (validate->parsed()) return scsim::cli::validate_command(args);
    if (graph->parsed()) return scsim::cli::graph_command(args);
    if (sensitivity->parsed()) return scsim::cli::sensitivity_command(sensitivity_args);
    if (sweep->parsed()) return scsim::cli::sweep_command(sweep_args);
    if (optimize->parsed()) return scsim::cli::optimize_command(optimize_args);
    if (compare->parsed()) {
      for (int i = 0; i < argc; ++i) compare_args.command_line += (i ? " " : "") + std::string(argv[i]);
      return scsim::cli::compare_command(compare_args);
    }
    if (run->parsed()) {
      for (int i = 0; i < argc; ++i) run_args.command_line += (i ? " " : "") + std::string(argv[i]);
      return scsim::cli::run_command(run_args);
    }
  } catch (const scsim::config::ConfigError& error) {
    const std::string tag =
        scsim::cli::rank_tag().empty() ? "" : "MPI rank " + std::to_string(scsim::cli::mpi_rank()) + ": ";
    for (const auto& line : error.lines()) fmt::print(stderr, "{}{}\n", tag, line);
    fmt::print(stderr, "{}{} problem{} found; nothing was simulated\n", tag, error.lines().size(),
               error.lines().size() == 1 ? "" : "s");
    return 2;
  } catch (const scsim::engine::Interrupted&) {
    fmt::print(stderr, "scsim: interrupted; no output was written\n");
    return 130;
  } catch (const scsim::results::Interrupted& interrupted) {
    fmt::print(stderr, "scsim: {}\n", interrupted.what());
    return 130;
  } catch (const std::exception& error) {
    if (!scsim::cli::reported_by_rank0(error))
      fmt::print(stderr, "scsim{}: error: {}\n", scsim::cli::rank_tag(), scsim::config::escape_text(error.what()));
    return 1;
  }
    return 2;
  };
  if (merge->parsed()) {
    std::vector<std::string> command;
    try {
      command = scsim::cli::prepare_merge(merge_dirs, merge_output);
    } catch (const std::exception& error) {
      fmt::print(stderr, "scsim merge: {}\n", scsim::config::escape_text(error.what()));
      return 1;
    }
    std::vector<char*> merged{argv[0]};
    for (auto& argument : command) merged.push_back(argument.data());
    merged.push_back(nullptr);
    const int code = run_cli(static_cast<int>(merged.size() - 1), merged.data());
    if (code != 0) return code;
    try {
      scsim::cli::finish_merge();
    } catch (const std::exception& error) {
      fmt::print(stderr, "scsim merge: {}\n", error.what());
      return 1;
    }
    return 0;
  }

  const std::string* slice_dir = run->parsed()           ? &run_args.output_dir
                                 : compare->parsed()     ? &compare_args.output_dir
                                 : sweep->parsed()       ? &sweep_args.output_dir
                                 : sensitivity->parsed() ? &sensitivity_args.output_dir
                                                         : nullptr;
  if (slice && slice_dir && slice_dir->empty()) {
    fmt::print(stderr, "scsim: --replications {}:{} runs a slice: give its folder with -o DIR\n", slice->first,
               slice->last);
    return 2;
  }
  if (slice && mpi) {
    fmt::print(stderr, "scsim: --mpi and a slice --replications A:B do not combine; use one or the other\n");
    return 2;
  }
  if (mpi) {
    try {
      scsim::cli::begin_mpi(argc, argv);
    } catch (const std::exception& error) {
      fmt::print(stderr, "scsim: {}\n", error.what());
      return 2;
    }
  }
  const int code = dispatch();
  if (slice && code == 0) {
    try {
      scsim::cli::finish_slice(*slice_dir);
    } catch (const std::exception& error) {
      fmt::print(stderr, "scsim: error: {}\n", scsim::config::escape_text(error.what()));
      return 1;
    }
  } else if (slice) {
    scsim::cli::abandon_slice();
  }
  scsim::cli::end_mpi();
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  GOOGLE_PROTOBUF_VERIFY_VERSION;
  const int code = run_cli(argc, argv);
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SCSIM_LEAK_CHECKED 1  // clang's AddressSanitizer
#endif
#endif
#if !defined(__SANITIZE_ADDRESS__) && !defined(SCSIM_LEAK_CHECKED)
  // Every output is written, synced and renamed into place by now, and stdout and stderr are flushed below:
  // the static destructors of ~40 libraries (SimGrid's ns-3 registries among them) have nothing left to do
  // but took ~2 ms of every command's wall time. Sanitizer builds exit normally, for the leak check.
  std::fflush(nullptr);
  std::_Exit(code);
#endif
  return code;
}
