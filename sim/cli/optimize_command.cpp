// `scsim optimize`: searches decision variables (any numeric --set path within a box) for the best objective
// under common random numbers, with NLopt's DIRECT-L (a deterministic, derivative-free global method: with the
// same seeds every evaluation is a deterministic function of the decision, so a noisy-objective method is not
// needed), then re-runs the best few points with more replications and compares them paired.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <nlopt.hpp>
#include <numeric>

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

struct Decision {
  std::string path;
  double low = 0, high = 0;
};

Decision parse_decide(const std::string& text) {
  // PATH=LO:HI.
  const std::size_t eq = path_end(text);
  const auto colon = text.find(':', eq == std::string::npos ? 0 : eq);
  Decision d;
  try {
    if (eq == std::string::npos || eq == 0 || colon == std::string::npos) throw std::invalid_argument("shape");
    d.path = text.substr(0, eq);
    std::size_t used = 0;
    d.low = std::stod(text.substr(eq + 1, colon - eq - 1), &used);
    if (used != colon - eq - 1) throw std::invalid_argument("low");
    d.high = std::stod(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1) throw std::invalid_argument("high");
  } catch (const std::exception&) {
    throw config::ConfigError({fmt::format("--decide {}: expected PATH=LO:HI with numbers LO < HI", text)});
  }
  if (!(d.low < d.high)) throw config::ConfigError({fmt::format("--decide {}: LO must be below HI", text)});
  return d;
}

// One evaluated point.
struct Point {
  std::vector<double> x;
  double objective = 0;
  double installed_mean = 0, installed_p10 = 0, spend_mean = std::nan(""), p_target = 0;
  int replications = 0;
  std::vector<double> per_replication;  // the objective's per-replication quantity, for paired comparisons
  std::string stage;                    // "search" or "confirm"
};

std::string value_text(double v) { return fmt::format("{:.6g}", v); }

}  // namespace

int optimize_command(const OptimizeArgs& args) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<Decision> decisions;
  for (const auto& text : args.decide) decisions.push_back(parse_decide(text));
  static const std::vector<std::string> kObjectives{"p10_installed", "mean_installed", "p_target",
                                                    "accelerator_days_per_usd"};
  if (std::find(kObjectives.begin(), kObjectives.end(), args.objective) == kObjectives.end())
    throw config::ConfigError({fmt::format("--objective {}: one of p10_installed, mean_installed, p_target, "
                                           "accelerator_days_per_usd",
                                           args.objective)});
  if (args.evaluations < 2) throw config::ConfigError({"--evals: at least 2"});

  // Validate the box's corners up front: a path that does not exist or a value out of range fails fast.
  auto overrides_for = [&](const std::vector<double>& x) {
    auto overrides = args.scenario.overrides;
    for (std::size_t i = 0; i < decisions.size(); ++i) overrides.push_back(decisions[i].path + "=" + value_text(x[i]));
    return overrides;
  };
  auto load = [&](const std::vector<double>& x, int replications) {
    auto scenario = config::load_scenario(args.scenario.config, overrides_for(x));
    scenario.set_replications(replications);
    return scenario;
  };
  std::vector<double> lows, highs;
  for (const auto& d : decisions) lows.push_back(d.low), highs.push_back(d.high);
  const auto base = load(lows, 1);
  load(highs, 1);
  const int replications = args.replications > 0 ? args.replications : base.replications();
  const double by_day = args.by_date.empty() ? base.horizon_days()
                                             : static_cast<double>(*config::parse_iso_date(args.by_date) -
                                                                   *config::parse_iso_date(base.start_date()));
  if (!(by_day > 0)) throw config::ConfigError({fmt::format("--by {}: must be after the start date", args.by_date)});
  const double target = static_cast<double>(base.demand().target_units());
  if (args.objective == "p_target" && !(target > 0))
    throw config::ConfigError({"--objective p_target: the scenario needs demand.target_units"});

  auto evaluate = [&](const std::vector<double>& x, int reps, const std::string& stage, const std::string& label) {
    const auto scenario = load(x, reps);
    const auto analysis = network::analyse(scenario);
    engine::RunnerOptions options;
    options.jobs = args.jobs;
    options.runtime.max_events = args.max_events;
    options.pack_series = true;
    options.progress = args.progress == Progress::kAlways;
    options.label = label;
    const auto results = engine::run_replications(scenario, analysis, reps, options);
    results::throw_if_interrupted();
    Point p;
    p.x = x;
    p.stage = stage;
    p.replications = reps;
    std::vector<double> installed, spend;
    double reached = 0, days = 0;
    for (const auto& r : results) {
      const double by = by_day >= scenario.horizon_days() ? r.installed_units() : results::installed_by(r, by_day);
      installed.push_back(by);
      reached += target > 0 && by >= target ? 1 : 0;
      if (r.has_spend_usd()) spend.push_back(r.spend_usd());
      days += r.accelerator_days();
      const double per = args.objective == "accelerator_days_per_usd"
                             ? (r.spend_usd() > 0 ? r.accelerator_days() / r.spend_usd() : 0.0)
                         : args.objective == "p_target" ? (target > 0 && by >= target ? 1.0 : 0.0)
                                                        : by;
      p.per_replication.push_back(per);
    }
    const double n = static_cast<double>(results.size());
    const auto installs = results::stat_of(installed);
    p.installed_mean = installs.mean();
    p.installed_p10 = installs.p10();
    p.p_target = reached / n;
    if (!spend.empty()) p.spend_mean = std::accumulate(spend.begin(), spend.end(), 0.0) / static_cast<double>(spend.size());
    if (args.objective == "p10_installed") p.objective = p.installed_p10;
    if (args.objective == "mean_installed") p.objective = p.installed_mean;
    if (args.objective == "p_target") p.objective = p.p_target;
    if (args.objective == "accelerator_days_per_usd") {
      if (spend.empty()) throw config::ConfigError({"--objective accelerator_days_per_usd: the scenario prices nothing"});
      p.objective = days / n / p.spend_mean;
    }
    // A spending cap as a constraint: points over it are ranked below every point within it.
    if (args.max_spend && !(p.spend_mean <= *args.max_spend)) p.objective = -1e300 + (std::isnan(p.spend_mean) ? 0 : -p.spend_mean);
    return p;
  };

  std::vector<Point> points;
  std::map<std::vector<double>, std::size_t> seen;  // decisions rounded as written: no point runs twice
  auto rounded = [](std::vector<double> x) {
    for (auto& v : x) v = std::stod(value_text(v));
    return x;
  };
  const bool show = args.progress != Progress::kNever;
  auto search_point = [&](const std::vector<double>& raw) {
    const auto x = rounded(raw);
    if (const auto found = seen.find(x); found != seen.end()) return points[found->second].objective;
    const std::size_t k = points.size() + 1;
    points.push_back(evaluate(x, replications, "search", fmt::format("eval {}/{}", k, args.evaluations)));
    seen.emplace(x, points.size() - 1);
    if (show) {
      const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      const double eta = elapsed / static_cast<double>(k) * static_cast<double>(std::max(0, args.evaluations - static_cast<int>(k)) + args.confirm * args.confirm_factor);
      std::string xs;
      for (double v : x) xs += (xs.empty() ? "" : ", ") + value_text(v);
      fmt::print(stderr, "optimize: eval {}/{}  ({})  {} = {:.6g}  [{:.0f} s, ETA ~{:.0f} s]\n", k, args.evaluations, xs,
                 args.objective, points.back().objective, elapsed, eta);
    }
    return points.back().objective;
  };

  fmt::print("Optimizing {} over {} decision{} ({} replications per evaluation, common random numbers):\n",
             args.objective, decisions.size(), decisions.size() == 1 ? "" : "s", replications);
  for (const auto& d : decisions) fmt::print("  {} in [{}, {}]\n", d.path, value_text(d.low), value_text(d.high));
  // The box's corners first (for one decision: both ends), then NLopt's DIRECT-L with what remains.
  const std::size_t corners = std::size_t{1} << std::min<std::size_t>(decisions.size(), 4);
  for (std::size_t c = 0; c < corners && static_cast<int>(points.size()) < args.evaluations; ++c) {
    std::vector<double> x(decisions.size());
    for (std::size_t i = 0; i < decisions.size(); ++i) x[i] = (c >> i) & 1 ? decisions[i].high : decisions[i].low;
    search_point(x);
  }
  const int left = args.evaluations - static_cast<int>(points.size());
  if (left > 0) {
    nlopt::opt opt(nlopt::GN_DIRECT_L, static_cast<unsigned>(decisions.size()));
    opt.set_lower_bounds(lows);
    opt.set_upper_bounds(highs);
    // The search stops once it has evaluated --evals distinct points (repeated points are cached, free).
    std::function<double(const std::vector<double>&)> objective = [&](const std::vector<double>& y) {
      if (static_cast<int>(points.size()) >= args.evaluations) throw nlopt::forced_stop();
      return search_point(y);
    };
    opt.set_max_objective(
        [](const std::vector<double>& y, std::vector<double>&, void* data) {
          return (*static_cast<std::function<double(const std::vector<double>&)>*>(data))(y);
        },
        &objective);
    opt.set_maxeval(left * 8);
    opt.set_xtol_rel(1e-4);
    std::vector<double> x(decisions.size());
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = (lows[i] + highs[i]) / 2;
    double best = 0;
    try {
      opt.optimize(x, best);
    } catch (const nlopt::forced_stop&) {
    } catch (const nlopt::roundoff_limited&) {
    }
  }

  // Confirm the best few with more replications: the same replications extended (common random numbers), and
  // paired differences against the best.
  std::vector<std::size_t> order(points.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return points[a].objective > points[b].objective; });
  const int confirm_reps = replications * std::max(1, args.confirm_factor);
  std::vector<Point> confirmed;
  for (std::size_t k = 0; k < order.size() && static_cast<int>(k) < args.confirm; ++k) {
    confirmed.push_back(evaluate(points[order[k]].x, confirm_reps, "confirm",
                                 fmt::format("confirm {}/{}", k + 1, std::min<std::size_t>(order.size(), static_cast<std::size_t>(args.confirm)))));
    if (show) fmt::print(stderr, "optimize: confirm {} = {:.6g}\n", k + 1, confirmed.back().objective);
  }
  std::stable_sort(confirmed.begin(), confirmed.end(), [](const Point& a, const Point& b) { return a.objective > b.objective; });
  const Point& best = confirmed.front();

  // The table.
  std::string header;
  for (const auto& d : decisions) header += fmt::format("{:>14} ", d.path.substr(d.path.rfind('.') + 1).substr(0, 14));
  fmt::print("\n{:>8} {}{:>16} {:>12} {:>12} {:>9} {:>12}\n", "stage", header, args.objective, "installed", "p10",
             "P(target)", "spend $B");
  auto row = [&](const Point& p) {
    std::string xs;
    for (double v : p.x) xs += fmt::format("{:>14} ", value_text(v));
    fmt::print("{:>8} {}{:>16.6g} {:>12.0f} {:>12.0f} {:>9.2f} {:>12}\n", p.stage, xs, p.objective, p.installed_mean,
               p.installed_p10, p.p_target, std::isnan(p.spend_mean) ? "-" : fmt::format("{:.2f}", p.spend_mean / 1e9));
  };
  for (const auto& p : points) row(p);
  for (const auto& p : confirmed) row(p);
  fmt::print("\nPaired differences against the best confirmed point ({} replications, 95% CI of the mean of the "
             "per-replication {}):\n",
             confirm_reps, args.objective == "accelerator_days_per_usd" ? "accelerator-days per USD"
                           : args.objective == "p_target"               ? "target reached (0/1)"
                                                                        : "installs");
  for (std::size_t k = 1; k < confirmed.size(); ++k) {
    std::vector<double> diff;
    for (std::size_t r = 0; r < best.per_replication.size(); ++r)
      diff.push_back(confirmed[k].per_replication[r] - best.per_replication[r]);
    const double n = static_cast<double>(diff.size());
    const double mean = std::accumulate(diff.begin(), diff.end(), 0.0) / n;
    double ss = 0;
    for (double d : diff) ss += (d - mean) * (d - mean);
    const double ci = n > 1 ? 1.96 * std::sqrt(ss / (n - 1) / n) : 0;
    std::string xs;
    for (double v : confirmed[k].x) xs += (xs.empty() ? "" : ", ") + value_text(v);
    fmt::print("  ({}) minus best: {:+.6g} ± {:.3g}\n", xs, mean, ci);
  }

  // Outputs, written as one set: every evaluated point, and the best as a ready-to-run variant.
  const std::string dir = args.output_dir.empty() ? "results/" + base.name() + "_optimize" : args.output_dir;
  std::string csv = "stage";
  for (const auto& d : decisions) (csv += ',') += results::csv_field(d.path);
  csv += ",replications," + args.objective + ",installed_mean,installed_p10,p_target,spend_usd_mean\n";
  for (const auto* list : {&points, &confirmed})
    for (const auto& p : *list) {
      csv += p.stage;
      for (double v : p.x) (csv += ',') += value_text(v);
      csv += fmt::format(",{},{},{},{},{},{}\n", p.replications, results::csv_number(p.objective),
                         results::csv_number(p.installed_mean), results::csv_number(p.installed_p10),
                         results::csv_number(p.p_target), results::csv_number(p.spend_mean));
    }
  std::filesystem::path config_path = std::filesystem::absolute(args.scenario.config);
  std::filesystem::path out_path = std::filesystem::absolute(dir);
  std::string variant = fmt::format("# The best point scsim optimize found for {} ({} over {} replications).\n"
                                    "#   build/scsim run {}/best.textproto\n",
                                    args.objective, value_text(best.objective), confirm_reps, dir);
  variant += fmt::format("base: \"{}\"\nname: \"{}_optimized\"\n",
                         std::filesystem::relative(config_path, out_path).generic_string(), base.name());
  for (const auto& o : args.scenario.overrides) variant += fmt::format("set: \"{}\"\n", o);
  for (std::size_t i = 0; i < decisions.size(); ++i)
    variant += fmt::format("set: \"{}={}\"\n", decisions[i].path, value_text(best.x[i]));
  results::OutputSet set(dir);
  set.write("optimize.csv", [&](std::ostream& out) { out << csv; });
  set.write("best.textproto", [&](std::ostream& out) { out << variant; });
  set.commit();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::string xs;
  for (std::size_t i = 0; i < decisions.size(); ++i) xs += fmt::format("{}{}={}", i ? ", " : "", decisions[i].path, value_text(best.x[i]));
  fmt::print("\nbest: {} ({} = {:.6g}); wrote {}/optimize.csv and {}/best.textproto ({:.1f} s)\n", xs, args.objective,
             best.objective, dir, dir, wall);
  return 0;
}

}  // namespace scsim::cli
