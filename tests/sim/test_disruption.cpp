// A two-state up/down disruption, a Markov chain (Ross, Introduction to
// Probability Models): failures at rate alpha while up, repairs at rate beta,
// so the long-run fraction of time down is alpha / (alpha + beta). Checked on
// the windows the engine draws (pure C++, no SimGrid) and on the throughput of
// a saturated deterministic station that stops while down.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>

#include "sim/config/resolve.hpp"
#include "sim/engine/replication_setup.hpp"
#include "sim_test_support.hpp"

using namespace scsim::simtest;

namespace {

constexpr double kAlpha = 4, kBeta = 12;  // per year
constexpr double kYear = 365.25;
constexpr double kDown = kAlpha / (kAlpha + kBeta);  // 0.25

// The disruption profile site `name` gets in replication `rep`, drawn as the engine draws it.
scsim::models::CapacityProfile profile_of(const scsim::Scenario& message, int rep, const std::string& name) {
  const auto scenario = scsim::config::resolve(message);
  const auto contexts = scsim::engine::process_contexts(scenario, scsim::network::analyse(scenario), rep);
  const int site = scenario.site_index(name);
  if (site < 0) throw std::runtime_error("no site " + name);
  return contexts[static_cast<std::size_t>(site)].profile;
}

}  // namespace

TEST_CASE("sim: a random two-state disruption is down alpha/(alpha+beta) of the time", "[sim][disruption]") {
  // 500 years per replication, 40 replications: about 60,000 outages in all.
  const double horizon = 500 * kYear;
  const auto scenario =
      load_file(fixture_path("disrupted_station.textproto"), {"horizon_days=" + std::to_string(horizon)});
  const auto analysis = scsim::network::analyse(scenario);

  std::vector<double> fractions;
  double up_total = 0, down_total = 0, up_sq = 0, down_sq = 0;
  double ups = 0, downs = 0;
  for (int rep = 0; rep < 40; ++rep) {
    const auto profile = profile_of(scenario, rep, "press");
    REQUIRE_FALSE(profile.empty());
    fractions.push_back(profile.lost_days(0, horizon) / horizon);
    // The alternating renewal process itself: up gaps and down durations.
    double previous_end = 0;
    for (const auto& w : profile.windows()) {
      REQUIRE(w.capacity_factor == 0);
      REQUIRE(w.start_day >= previous_end);
      const double up = w.start_day - previous_end, down = w.end_day - w.start_day;
      up_total += up, up_sq += up * up, ++ups;
      down_total += down, down_sq += down * down, ++downs;
      previous_end = w.end_day;
    }
    // The same draws again for the same replication, other draws for another.
    CHECK(profile_of(scenario, rep, "press").lost_days(0, horizon) == profile.lost_days(0, horizon));
  }
  const auto down = estimate(fractions);
  const double mean_up = up_total / ups, mean_down = down_total / downs;
  const double se_up = std::sqrt(up_sq / ups - mean_up * mean_up) / std::sqrt(ups);
  const double se_down = std::sqrt(down_sq / downs - mean_down * mean_down) / std::sqrt(downs);
  std::printf("two-state: down fraction %.5f (se %.5f, theory %.5f); mean up %.3f d (se %.3f, theory %.3f), "
              "mean down %.3f d (se %.3f, theory %.3f), %.0f outages\n",
              down.mean, down.se, kDown, mean_up, se_up, kYear / kAlpha, mean_down, se_down, kYear / kBeta, downs);
  CHECK(down.sd > 0);  // the replications differ
  CHECK(down.se < 0.002);
  CHECK(down.mean == Approx(kDown).margin(4 * down.se));
  CHECK(mean_up == Approx(kYear / kAlpha).margin(4 * se_up));
  CHECK(mean_down == Approx(kYear / kBeta).margin(4 * se_down));
}

TEST_CASE("sim: a saturated station under a two-state disruption delivers (1 - alpha/(alpha+beta)) of its rate",
          "[sim][disruption]") {
  const auto scenario = load_file(fixture_path("disrupted_station.textproto"));
  const auto analysis = scsim::network::analyse(scenario);
  const double horizon = scenario.horizon_days();
  const int replications = 16;

  // Undisrupted (capacity factor 1: the windows change nothing): 1 lot a day.
  const auto baseline =
      run(load_file(fixture_path("disrupted_station.textproto"), {"disruptions[name=outage].capacity_factor=1"}), 1, 1);
  const double undisrupted = stage(baseline.at(0), "press").throughput_per_day();
  CHECK(undisrupted == Approx(1.0).margin(2 / horizon));

  const auto results = run(scenario, replications);
  std::vector<double> ratios;
  for (const auto& r : results) {
    const double lots = static_cast<double>(stage(r, "press").count());
    ratios.push_back(stage(r, "press").throughput_per_day() / undisrupted);
    // The same replication's windows, drawn as the engine drew them: the
    // machine works exactly when up, so lots done = up days, give or take the
    // lot in progress at either end.
    const double up_days = horizon - profile_of(scenario, r.replication(), "press").lost_days(0, horizon);
    INFO("replication " << r.replication());
    CHECK(std::abs(lots - up_days) <= 2.0);
  }
  const auto ratio = estimate(ratios);
  std::printf("disrupted station: %.5f of undisrupted throughput (se %.5f, theory %.5f)\n", ratio.mean, ratio.se,
              1 - kDown);
  CHECK(ratio.se < 0.01);
  CHECK(ratio.mean == Approx(1 - kDown).margin(4 * ratio.se));
}
