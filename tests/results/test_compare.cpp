// compare_runs: paired differences across scenarios that share replications.
#include <catch2/catch.hpp>

#include <sstream>

#include "results_test_support.hpp"
#include "sim/results/compare.hpp"

using namespace scsim::results;
using scsim::results::testing::series;
using scsim::results::testing::tiny_scenario;

namespace {

// A replication of the "tiny" scenario (2025-01-01, 730 days): `by_2025` installed by 2025-12-31,
// `total` by the horizon; 50% of the target (500) reached on `half_day` (-1: not reached).
scsim::ReplicationResult replication(int r, double by_2025, double total, double half_day, double cost) {
  scsim::ReplicationResult out;
  out.set_replication(r);
  out.set_installed_units(total);
  out.set_installed_cost_usd(cost * total);
  out.set_first_install_day(100 + r);
  for (double day : {-1.0, half_day, -1.0, -1.0}) out.add_milestone_days(day);
  std::vector<double> cumulative(105, total);
  for (int w = 0; w < 53; ++w) cumulative[static_cast<std::size_t>(w)] = by_2025;  // 2025-12-31 (day 364) is in week 52
  *out.add_series() = series("ALL", "installed_cum", cumulative);
  return out;
}

ComparedRun run(const std::string& name, std::vector<scsim::ReplicationResult> replications) {
  auto scenario = tiny_scenario();
  scenario.set_name(name);
  return {scenario, std::move(replications)};
}

const ComparedMetric& metric(const std::vector<ComparedMetric>& metrics, const std::string& name) {
  for (const auto& m : metrics)
    if (m.name == name) return m;
  FAIL("no metric " << name);
  throw;
}

}  // namespace

TEST_CASE("results: compare pairs replications and gives the difference's 95% CI") {
  const std::vector<ComparedRun> runs{
      run("a", {replication(0, 10, 100, 300, 5), replication(1, 20, 200, -1, 5), replication(2, 30, 300, 320, 5)}),
      run("b", {replication(0, 15, 110, 290, 6), replication(1, 20, 230, 310, 6), replication(2, 40, 320, -1, 6)})};
  const auto metrics = compare_runs(runs);

  // Differences b - a by the horizon: 10, 30, 20 -> mean 20, sd 10, t(0.975, 2) = 4.302653 -> ci95 24.8414.
  const auto& horizon = metric(metrics, "installed_at_horizon");
  CHECK(horizon.value[0].mean() == Approx(200));
  CHECK(horizon.value[1].mean() == Approx(220));
  CHECK(horizon.difference[1].mean() == Approx(20));
  CHECK(horizon.difference[1].ci95() == Approx(4.302653 * 10 / std::sqrt(3.0)).epsilon(1e-5));
  CHECK(horizon.pairs[1] == 3);
  CHECK(horizon.value[1].n() == 3);

  // Installed by 2025-12-31: 5, 0, 10 more.
  CHECK(metric(metrics, "installed_by").date == "2025-12-31");
  CHECK(metric(metrics, "installed_by").difference[1].mean() == Approx(5));

  // The 50% milestone is paired only where both reached it: replication 0 (290 - 300 = -10).
  const auto& half = metric(metrics, "milestone_50_day");
  CHECK(half.pairs[1] == 1);
  CHECK(half.difference[1].mean() == Approx(-10));
  CHECK(half.value[0].mean() == Approx(310));  // a reached it in replications 0 and 2
  CHECK(half.value[1].mean() == Approx(300));  // b in 0 and 1
  CHECK(half.value[1].n() == 2);
  // Nobody reached 25%: no statistics at all, not day 0.
  const auto& quarter = metric(metrics, "milestone_25_day");
  CHECK(quarter.value[0].n() == 0);
  CHECK_FALSE(quarter.value[0].has_mean());
  CHECK(quarter.pairs[1] == 0);

  CHECK(metric(metrics, "cost_per_accelerator_usd").difference[1].mean() == Approx(1));
  // Every year-end in the horizon with installs somewhere is compared (2025-12-31 is the only one here).
  CHECK(metrics.front().name == "installed_by");
}

TEST_CASE("results: compare.csv has one row per metric and scenario") {
  const std::vector<ComparedRun> runs{run("a", {replication(0, 10, 100, 300, 5)}),
                                      run("b", {replication(0, 15, 110, 290, 6)})};
  std::ostringstream csv;
  write_compare_csv(csv, runs, compare_runs(runs));
  const std::string text = csv.str();
  CHECK(text.rfind("metric,date,unit,scenario,replications,n,mean,p10,p50,p90,ci95,diff_mean,diff_ci95,pairs\n", 0) ==
        0);
  // One replication: no CI (empty, not 0); the baseline has no difference from itself (empty).
  CHECK(text.find("\ninstalled_at_horizon,2027-01-01,accelerators,a,1,1,100,100,100,100,,,,\n") != std::string::npos);
  CHECK(text.find("\ninstalled_at_horizon,2027-01-01,accelerators,b,1,1,110,110,110,110,,10,,1\n") !=
        std::string::npos);
  CHECK(text.find("\ninstalled_by,2025-12-31,accelerators,b,1,1,15,15,15,15,,5,,1\n") != std::string::npos);
}

TEST_CASE("results: compare.csv leaves unreached milestones empty and counts what was reached") {
  const std::vector<ComparedRun> runs{
      run("a", {replication(0, 10, 100, -1, 5), replication(1, 10, 100, -1, 5), replication(2, 10, 100, 300, 5)}),
      run("b", {replication(0, 15, 110, -1, 6), replication(1, 15, 110, -1, 6), replication(2, 15, 110, -1, 6)})};
  std::ostringstream csv;
  write_compare_csv(csv, runs, compare_runs(runs));
  const std::string text = csv.str();
  INFO(text);
  // Reached in 1 of 3 replications: n = 1, no CI. Never reached: every statistic empty, 0 pairs.
  CHECK(text.find("\nmilestone_50_day,,day,a,3,1,300,300,300,300,,,,\n") != std::string::npos);
  CHECK(text.find("\nmilestone_50_day,,day,b,3,0,,,,,,,,0\n") != std::string::npos);
  CHECK(text.find("\nmilestone_100_day,,day,a,3,0,,,,,,,,\n") != std::string::npos);
}
