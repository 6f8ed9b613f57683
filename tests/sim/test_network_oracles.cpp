// Network oracles (max-flow/min-cut, Ford & Fulkerson): a saturated chain runs
// at the max-flow/min-cut capacity bound that `scsim validate` reports and
// never above it; a deterministic chain delivers its first unit on the day
// worked out by hand (the critical path).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>

#include "sim_test_support.hpp"

using namespace scsim::simtest;

namespace {

// Mean of a weekly series over its second half, whole weeks only.
double second_half_mean(const std::vector<double>& weekly, double horizon_days) {
  const auto whole_weeks = static_cast<std::size_t>(std::floor(horizon_days / 7));
  const std::size_t from = whole_weeks / 2;
  double total = 0;
  for (std::size_t w = from; w < whole_weeks; ++w) total += weekly.at(w);
  return total / static_cast<double>(whole_weeks - from);
}

}  // namespace

TEST_CASE("sim: a saturated deterministic chain runs at the capacity bound and never above it",
          "[sim][network][capacity]") {
  const auto scenario = load_file(fixture_path("saturated_chain.textproto"));
  const auto analysis = scsim::network::analyse(scenario);
  CHECK(analysis.capacity_bound_per_week == Approx(7.0));  // 2 servers x 7 days / 2 days per lot
  CHECK(analysis.bottleneck == "press");

  const auto results = run(scenario, 1, 1);
  const auto& r = results.at(0);
  const auto installed = series(r, "sink", "installed");
  const double measured = second_half_mean(installed, scenario.horizon_days());
  const auto weeks = static_cast<std::size_t>(std::floor(scenario.horizon_days() / 7));
  std::printf("capacity (deterministic): %.5f installed/week over the second half, bound %.5f\n", measured,
              analysis.capacity_bound_per_week);
  // Whole weeks of 7 completions; a completion on a week boundary may fall
  // either side, which moves the mean by at most 2 / (weeks in the half).
  CHECK(measured == Approx(analysis.capacity_bound_per_week).margin(2.0 / static_cast<double>(weeks / 2)));
  // Never above the bound: by the end of any week, no more than bound x weeks installed.
  const auto cumulative = series(r, "ALL", "installed_cum");
  for (std::size_t w = 0; w < weeks; ++w) {
    INFO("week " << w);
    REQUIRE(cumulative[w] <= analysis.capacity_bound_per_week * static_cast<double>(w + 1) + 1e-9);
  }
  // The press is the one that is always busy: both servers, every week of the second half.
  const auto busy = series(r, "press", "utilization");
  for (std::size_t w = weeks / 2; w < weeks; ++w) {
    INFO("week " << w);
    REQUIRE(busy[w] == Approx(1.0).margin(1e-9));
  }
  CHECK(stage(r, "feeder").utilization() < 0.2);
}

TEST_CASE("sim: a saturated station's utilization is at most 1", "[sim][network][capacity]") {
  // StageStats.utilization is "time-average fraction of the stage's servers
  // busy, [0, 1]". The press is busy all the time (its queue only grows), so
  // its utilization over the run is 1 less the start-up, never more.
  const auto results = run(load_file(fixture_path("saturated_chain.textproto")), 1, 1);
  const double utilization = stage(results.at(0), "press").utilization();
  std::printf("saturated press utilization %.6f\n", utilization);
  CHECK(utilization <= 1.0);
  CHECK(utilization == Approx(1.0).margin(0.002));
}

TEST_CASE("sim: a saturated stochastic chain with yield approaches the capacity bound", "[sim][network][capacity]") {
  // The press with exponential service (mean 2 days) and a yield of 0.8:
  // bound = 2 x 7 / 2 x 0.8 = 5.6 good units a week.
  const auto scenario = load_file(fixture_path("saturated_chain.textproto"),
                                  {"sites[name=press].generic.stations[0].process_time_days.exponential.mean=2",
                                   "sites[name=press].generic.yield.fixed=0.8"});
  const auto analysis = scsim::network::analyse(scenario);
  CHECK(analysis.capacity_bound_per_week == Approx(5.6));
  CHECK(analysis.bottleneck == "press");

  const auto results = run(scenario, 8);
  const auto rate = estimate(results, [&](const auto& r) {
    return second_half_mean(series(r, "sink", "installed"), scenario.horizon_days());
  });
  std::printf("capacity (stochastic): %.4f installed/week (se %.4f), bound %.4f\n", rate.mean, rate.se,
              analysis.capacity_bound_per_week);
  CHECK(rate.se < 0.01 * analysis.capacity_bound_per_week);
  CHECK(rate.mean == Approx(analysis.capacity_bound_per_week).margin(4 * rate.se));
  CHECK(rate.mean <= analysis.capacity_bound_per_week + 4 * rate.se);
}

TEST_CASE("sim: a deterministic chain installs its first unit on the hand-computed day", "[sim][network][first_unit]") {
  const auto scenario = load_file(fixture_path("first_delivery.textproto"));
  const double hand = 408;  // see the fixture's header for the day-by-day sum
  const auto analysis = scsim::network::analyse(scenario);
  CHECK(analysis.first_unit_day == hand);

  // Two replications: nothing is random on the path to the first unit.
  const auto results = run(scenario, 2);
  for (const auto& r : results) {
    std::printf("first delivery: simulated %.12f, hand %.1f, analysis %.12f\n", r.first_install_day(), hand,
                analysis.first_unit_day);
    // Exact: events are handled at their own times (see the bit-exact test below).
    CHECK(r.first_install_day() == Approx(hand).margin(1e-6));
    // Every stage took exactly its fixed time (per lot, from start to leaving).
    CHECK(stage(r, "fab").mean_days() == Approx(90).margin(1e-6));
    CHECK(stage(r, "hbm").mean_days() == Approx(120).margin(1e-6));
    CHECK(stage(r, "pkg").mean_days() == Approx(14).margin(1e-6));
    CHECK(stage(r, "ft").mean_days() == Approx(5).margin(1e-6));
  }
}

TEST_CASE("sim: a deterministic chain's first unit is bit-exact (integer durations)",
          "[sim][network][first_unit]") {
  // Every duration in the fixture is a whole number of days, so every sum is
  // exact in floating point: the first installed day must be exactly 408.
  // The engine handles events at SimGrid's clock, which can run ~1e-9 day past
  // the event's own time after a timed wait (see the report).
  const auto results = run(load_file(fixture_path("first_delivery.textproto")), 1, 1);
  CHECK(results.at(0).first_install_day() == 408.0);
  CHECK(stage(results.at(0), "pkg").mean_days() == 14.0);
}

// Where a one-off wait meets another wait, the waits add up, in the engine as
// in the analysis (critical_path.cpp): each wait starts once the other has
// ended. Each case is worked out by hand from the fixture (see its header).
namespace {
void check_first_unit(const char* what, const std::vector<std::string>& overrides, double expected_day) {
  const auto scenario = load_file(fixture_path("first_delivery.textproto"), overrides);
  const auto analysis = scsim::network::analyse(scenario);
  CHECK(analysis.first_unit_day == expected_day);
  const auto results = run(scenario, 1, 1);
  std::printf("%s: simulated %.6f, analysis %.6f\n", what, results.at(0).first_install_day(),
              analysis.first_unit_day);
  CHECK(results.at(0).first_install_day() == Approx(expected_day).margin(1e-6));
}
}  // namespace

TEST_CASE("sim: first unit with a binding wafer-start plan and an allocation wait matches the analysis",
          "[sim][network][first_unit]") {
  // Plan from day 280 (after the gate at 275) and a 20-day allocation wait:
  // max(plan 280, gate 275) + 20 + cycle 90 = 390 at the fab -> 433.
  check_first_unit("allocation wait",
                   {"sites[name=fab].foundry.allocation_wait_days.fixed=20",
                    "sites[name=fab].foundry.wafer_starts_per_week.steps[0].from_date=2025-10-08"},
                   433);
}

TEST_CASE("sim: first unit with a binding interposer start and a packaging queue matches the analysis",
          "[sim][network][first_unit]") {
  // Interposers from day 400, after the kit (369): 400 + queue 7 + cycle 14 = 421 -> 439.
  check_first_unit("interposer start",
                   {"sites[name=pkg].packaging.interposer_wafers_per_week.steps[0].from_date=2026-02-05"}, 439);
}

TEST_CASE("sim: first unit with a binding building and install time matches the analysis",
          "[sim][network][first_unit]") {
  // The building is energized on day 500, after the chips arrive (405): 500 + install 3 = 503.
  check_first_unit("building",
                   {"sites[name=dc].datacenter.buildings[0].construction_days.fixed=500", "horizon_days=600"}, 503);
}
