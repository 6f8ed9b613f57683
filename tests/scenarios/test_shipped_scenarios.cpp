// The shipped scenarios tell the story docs/model.md describes, and the engine
// reproduces a hand computation on a deterministic version of the TSMC path.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
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

TEST_CASE("scenarios: Samsung is yield-bound at the foundry, TSMC bound by its HBM allocation") {
  // docs/model.md ("What the scenarios show"): die yield binds the Samsung path; on the TSMC path the HBM
  // allocation binds, just ahead of CoWoS once a package is counted at 19 per interposer wafer.
  const auto samsung = scsim::network::analyse(load_scenario(kRoot + "/configs/stargate_samsung.textproto"));
  CHECK(samsung.bottleneck == "samsung_sf3");
  const auto tsmc = scsim::network::analyse(load_scenario(kRoot + "/configs/stargate_tsmc.textproto"));
  CHECK(tsmc.bottleneck == "skhynix_hbm");
  // SK hynix: 1800 DRAM wafers x 480 / 12 dies x stack yield (mean die yield^12 x 0.995^11) / 8 per kit,
  // x 0.943 CoWoS x 0.973 test mean yields.
  const double stack = std::pow((0.975 + 0.986 + 0.996) / 3, 12) * std::pow(0.995, 11);
  CHECK(tsmc.capacity_bound_per_week ==
        Approx(1800 * 480 / 12.0 * stack / 8 * (0.90 + 0.95 + 0.98) / 3 * (0.95 + 0.98 + 0.99) / 3));
  CHECK(samsung.capacity_bound_per_week < 0.75 * tsmc.capacity_bound_per_week);
}

TEST_CASE("scenarios: a worse Samsung D0 lowers output, and more HBM allocation raises TSMC output") {
  // Common random numbers: the changed scenario sees the same draws site by site.
  const std::string samsung = kRoot + "/configs/stargate_samsung.textproto";
  const auto base = run(load_scenario(samsung), 6);
  // D0 at the top of the shipped range (0.65/cm2): die yield ~5% instead of ~14%.
  const auto worse = run(load_scenario(samsung, {"sites[name=samsung_sf3].foundry.d0_per_cm2=0.65"}), 6);
  CHECK(mean_installed(worse) < 0.7 * mean_installed(base));
  for (std::size_t i = 0; i < worse.size(); ++i) CHECK(worse[i].installed_units() < base[i].installed_units());

  // The TSMC path is bound by its HBM allocation: half as much again lifts the bound to CoWoS's (7,076 a
  // week), and never installs less by mid-2028 (slots and the plan's ramp bind then, so the gain is small).
  const std::string tsmc = kRoot + "/configs/stargate_tsmc.textproto";
  const auto tsmc_base = run(load_scenario(tsmc), 6);
  const auto more =
      run(load_scenario(tsmc, {"sites[name=skhynix_hbm].memory.dram_wafer_starts_per_week.steps[1].rate=2700"}), 6);
  auto by_2029 = [](const scsim::ReplicationResult& r) { return series(r, "ALL", "installed_cum").values(208); };
  double base_sum = 0, more_sum = 0;
  for (std::size_t i = 0; i < more.size(); ++i) {
    base_sum += by_2029(tsmc_base[i]);
    more_sum += by_2029(more[i]);
  }
  CHECK(more_sum >= base_sum);
  const auto lifted = scsim::network::analyse(
      load_scenario(tsmc, {"sites[name=skhynix_hbm].memory.dram_wafer_starts_per_week.steps[1].rate=2700"}));
  CHECK(lifted.bottleneck == "tsmc_cowos");
  CHECK(lifted.capacity_bound_per_week > 1.05 * scsim::network::analyse(load_scenario(tsmc)).capacity_bound_per_week);
}

// Hand computation for tsmc_deterministic.textproto (days from 2024-07-01), under the program:
//   design: 608 + 21 + 84 = 713 first silicon (no respin), + 274 = 987 release.
//   N3: wafers booked from 2027-01-01 = day 914: risk starts (allowed from 713 + 28 = 741), held to the release,
//        987; dies 1014, lane 2 -> CoWoS 1016: not binding.
//   HBM: booked from 2027-01-01 = day 914, cycle 273 -> 1187; qualification on samples 730 + 180 = 910; lane 14
//        -> CoWoS 1201. CoWoS booked 730 + queue 91 = 821, interposers from 2027-04-01 = 1004; kit 1201, cycle 42
//        -> 1243, lane 2, test 14 -> 1259, lane 5 -> campus 1264; building b1 energized 549 + 548 = 1097; install
//        56 -> 1320 (the critical path: HBM binds).
//   The plan: first arrival expected on 1320 - 56 = 1264; an order up the TSMC lane takes 1 + 5 + 14 + 1 + 2 +
//        42 + (1 + 14 + 273) = 353 days to come back as accelerators; weekly reviews order due t + 353 + 7, so the
//        first order (review of day 910, the first whose fence passes 1264) is due 1270: its HBM starts 1270 - 5 -
//        14 - 2 - 42 - 14 - 273 = 920 and its accelerators arrive on 1270, installed 1326.
// Steady output: SK hynix 1800 DRAM wafers x 480 / 12 x 0.8 / 8 = 7200 kits/week x 0.95 x 0.98 = 6703
//   accelerators/week (CoWoS 400 x 19 x 0.95 x 0.98 = 7076; N3: 250 x 61 x 0.518 = 7.9k dies/week).
TEST_CASE("scenarios: the deterministic TSMC path reproduces its hand-computed first install and weekly output") {
  const auto scenario = load_scenario(kRoot + "/tests/scenarios/tsmc_deterministic.textproto");
  const auto analysis = scsim::network::analyse(scenario);
  CHECK(analysis.first_unit_day == Approx(1320));
  CHECK(analysis.capacity_bound_per_week == Approx(6703.2).epsilon(0.001));
  CHECK(analysis.bottleneck == "skhynix_hbm");

  const auto results = run(scenario, 2);
  for (const auto& r : results) {
    CHECK(r.first_install_day() == Approx(1326).margin(1e-6));
    // Weeks 229-248 (days 1603-1742): every building is up, the line is full, the target not yet reached.
    const auto& installed = series(r, "us_campus", "installed");
    const double total = std::accumulate(installed.values().begin() + 229, installed.values().begin() + 249, 0.0);
    CHECK(total / 20 == Approx(6703).epsilon(0.01));
    // Orders stop at the target: what is installed is the target, plus at most the last lots' rounding.
    CHECK(r.installed_units() >= 400000);
    CHECK(r.installed_units() < 400000 * 1.005);
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
