// The shipped scenarios tell the story docs/model.md describes, and the engine
// reproduces a hand computation on a deterministic version of the TSMC path.
#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

#include "sim/config/loader.hpp"
#include "sim/engine/runner.hpp"
#include "sim/results/results.pb.h"
#include "sim/network/supply_network.hpp"

using scsim::config::load_scenario;

namespace {

const std::string kRoot = SCSIM_SOURCE_DIR;

std::vector<scsim::ReplicationResult> run(const scsim::Scenario& scenario, int replications) {
  scsim::engine::RunnerOptions options;
  options.jobs = 2;
  return scsim::engine::run_replications(scenario, scsim::network::analyse(scenario), replications, options);
}

double mean_installed(const std::vector<scsim::ReplicationResult>& results) {
  double sum = 0;
  for (const auto& r : results) sum += r.installed_units();
  return sum / static_cast<double>(results.size());
}

const scsim::Series& series(const scsim::ReplicationResult& r, const std::string& site, const std::string& metric) {
  for (const auto& s : r.series())
    if (s.site() == site && s.metric() == metric) return s;
  FAIL("no series " << site << "/" << metric);
  throw;
}

}  // namespace

TEST_CASE("scenarios: Samsung is yield-bound at the foundry, TSMC bound by CoWoS packaging") {
  // docs/model.md ("What the scenarios show"): die yield binds the Samsung path; packaging allocation and
  // the HBM queue bind the TSMC path.
  const auto samsung = scsim::network::analyse(load_scenario(kRoot + "/configs/stargate_samsung.textproto"));
  CHECK(samsung.bottleneck == "samsung_sf3");
  const auto tsmc = scsim::network::analyse(load_scenario(kRoot + "/configs/stargate_tsmc.textproto"));
  CHECK(tsmc.bottleneck == "tsmc_cowos");
  // Samsung's wafers yield ~4.2k accelerators/week against TSMC's CoWoS ~5.5k.
  CHECK(samsung.capacity_bound_per_week == Approx(4166).epsilon(0.01));
  CHECK(tsmc.capacity_bound_per_week == Approx(5509).epsilon(0.01));
}

TEST_CASE("scenarios: a worse Samsung D0 lowers output, and more CoWoS allocation raises TSMC output") {
  // Common random numbers: the changed scenario sees the same draws site by site.
  const std::string samsung = kRoot + "/configs/stargate_samsung.textproto";
  const auto base = run(load_scenario(samsung), 6);
  // D0 at the top of the shipped range (0.65/cm2): die yield ~5% instead of ~14%.
  const auto worse = run(load_scenario(samsung, {"sites[name=samsung_sf3].foundry.d0_per_cm2=0.65"}), 6);
  CHECK(mean_installed(worse) < 0.7 * mean_installed(base));
  for (std::size_t i = 0; i < worse.size(); ++i) CHECK(worse[i].installed_units() < base[i].installed_units());

  const std::string tsmc = kRoot + "/configs/stargate_tsmc.textproto";
  const auto tsmc_base = run(load_scenario(tsmc), 6);
  const auto more = run(
      load_scenario(tsmc, {"sites[name=tsmc_cowos].packaging.interposer_wafers_per_week.steps[1].rate=600"}), 6);
  CHECK(mean_installed(more) > 1.1 * mean_installed(tsmc_base));
  for (std::size_t i = 0; i < more.size(); ++i) CHECK(more[i].installed_units() >= tsmc_base[i].installed_units());
}

// Hand computation for tsmc_deterministic.textproto (days from 2024-07-01):
//   design: 608 + 21 + 84 + 274 = 987 (no respin) -> N3 gate opens
//   N3: allocation wait 56 -> first lot 1043, cycle 100 -> dies 1143, lane 2 -> CoWoS 1145
//   HBM: first DRAM lot 2026-07-01 = day 730, cycle 273 -> stacks 1003; qualification starts then,
//        180 days -> ship 1183, lane 14 -> CoWoS 1197
//   CoWoS: first full kit 1197 (the stacks), queue 91 -> 1288, cycle 42 -> 1330, lane 2 -> test 1332
//   test: 14 -> 1346, lane 5 (no cadence) -> campus 1351; building b1 energized 549 + 548 = 1097;
//   install 56 -> first accelerator installed on day 1407 = 2028-08-08.
// Steady output: CoWoS 400 interposer wafers x 15 = 6000 packages/week x 0.95 assembly x 0.98 test
//   = 5586 accelerators/week (N3: 250 x 61 x 0.518 = 7.9k dies/week; HBM: 1800 x 40 x 0.8 / 8 = 7.2k kits/week).
TEST_CASE("scenarios: the deterministic TSMC path reproduces its hand-computed first install and weekly output") {
  const auto scenario = load_scenario(kRoot + "/tests/scenarios/tsmc_deterministic.textproto");
  const auto analysis = scsim::network::analyse(scenario);
  CHECK(analysis.first_unit_day == Approx(1407));
  CHECK(analysis.capacity_bound_per_week == Approx(5586).epsilon(0.001));
  CHECK(analysis.bottleneck == "tsmc_cowos");

  const auto results = run(scenario, 2);
  for (const auto& r : results) {
    CHECK(r.first_install_day() == Approx(1407).margin(1e-6));
    // Weeks 215-264 (days 1505-1854): the line is full and the target not yet near.
    const auto& installed = series(r, "us_campus", "installed");
    const double total = std::accumulate(installed.values().begin() + 215, installed.values().begin() + 265, 0.0);
    CHECK(total / 50 == Approx(5586).epsilon(0.01));
  }
}

TEST_CASE("scenarios: the ABF substrate supplier is a kind of its own, and its plant fire costs installs") {
  const std::string reference = kRoot + "/configs/variants/tsmc_abf_substrate.textproto";
  const std::string fire = kRoot + "/configs/variants/tsmc_abf_substrate_fire.textproto";
  const auto analysis = scsim::network::analyse(load_scenario(reference));
  const auto substrate = std::find_if(analysis.sites.begin(), analysis.sites.end(),
                                      [](const auto& s) { return s.site == "jp_abf_substrate"; });
  REQUIRE(substrate != analysis.sites.end());
  // 7,000 starts/week at a mean yield of (0.80 + 0.88 + 0.95) / 3 good.
  CHECK(substrate->output_per_week == Approx(7000 * (0.80 + 0.88 + 0.95) / 3));
  CHECK(substrate->product == "abf_substrate");

  // Common random numbers: the fire is the only difference. It never helps, and on average it costs.
  const auto base = run(load_scenario(reference), 8);
  const auto burnt = run(load_scenario(fire), 8);
  for (std::size_t i = 0; i < base.size(); ++i) CHECK(burnt[i].installed_units() <= base[i].installed_units());
  CHECK(mean_installed(burnt) < mean_installed(base) - 5000);
  // Substrates are made and delivered: the package's BOM gained the line the variant added with [+].
  CHECK(std::accumulate(series(base[0], "jp_abf_substrate", "substrates").values().begin(),
                        series(base[0], "jp_abf_substrate", "substrates").values().end(), 0.0) > 100000);
}
