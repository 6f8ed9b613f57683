// Factory Physics (Hopp & Spearman) closed lines under CONWIP: Penny Fab One,
// configs/examples/penny_fab_one.textproto (4 stations, 1 machine, 2 h each:
// rb = 0.5 lots/h, T0 = 8 h, W0 = 4). The scenario's time unit is the day, so
// hours are days x 24 throughout.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim_test_support.hpp"

using namespace scsim::simtest;

namespace {

constexpr double kHoursPerDay = 24;
constexpr double kRb = 0.5, kT0 = 8, kW0 = 4;  // lots/h, h, lots

std::vector<std::string> conwip(int w) {
  return {"sites[name=penny_fab].generic.release.conwip_wip_lots=" + std::to_string(w)};
}

// Completions by hour H of the deterministic line started empty with w lots at
// time 0, worked out by hand: lot i (1-based) of the first w leaves station 1
// at 2i h and the line at 2i + 6 h. With w >= W0 station 1 never idles, so
// the line delivers every 2 h from 8 h on; with w < W0 each of the w lots
// cycles every T0 = 8 h, leaving at 2i + 6 + 8k h.
long long hand_completions(int w, double hours) {
  if (w >= 4) return static_cast<long long>(std::floor((hours - 8) / 2)) + 1;
  long long n = 0;
  for (int i = 1; i <= w; ++i) n += static_cast<long long>(std::floor((hours - (2 * i + 6)) / 8)) + 1;
  return n;
}

}  // namespace

TEST_CASE("sim: Penny Fab One deterministic CONWIP reproduces the best case TH and CT", "[sim][factory_physics]") {
  const std::string path = config_path("examples/penny_fab_one.textproto");
  // Two horizons, 100 days apart (300 periods of 8 h), both off the 2 h grid
  // of completion times: what is completed between them is the steady state,
  // free of the start-up transient, and must match the best case exactly.
  const double h1 = 100.01, h2 = 200.01;
  for (int w = 1; w <= 6; ++w) {
    INFO("w = " << w);
    auto o1 = conwip(w), o2 = conwip(w);
    o1.push_back("horizon_days=" + std::to_string(h1));
    o2.push_back("horizon_days=" + std::to_string(h2));
    const auto r1 = run(load_file(path, o1), 1, 1).at(0);
    const auto r2 = run(load_file(path, o2), 1, 1).at(0);
    const auto& s1 = stage(r1, "penny_fab");
    const auto& s2 = stage(r2, "penny_fab");

    // The whole run, transient included, against the hand schedule.
    CHECK(s1.count() == hand_completions(w, h1 * kHoursPerDay));
    CHECK(s2.count() == hand_completions(w, h2 * kHoursPerDay));
    // CONWIP keeps exactly w lots in the line at all times.
    CHECK(s1.time_avg_wip() == Approx(w).epsilon(1e-9));
    CHECK(s2.time_avg_wip() == Approx(w).epsilon(1e-9));

    const double lots = static_cast<double>(s2.count() - s1.count());
    const double th = lots / ((h2 - h1) * kHoursPerDay);  // lots/h
    const double ct = (s2.mean_days() * static_cast<double>(s2.count()) -
                       s1.mean_days() * static_cast<double>(s1.count())) /
                      lots * kHoursPerDay;  // h
    std::printf("Penny Fab deterministic w=%d: TH %.6f/h (best %.6f), CT %.6f h (best %.6f)\n", w, th,
                std::min(w / kT0, kRb), ct, std::max(kT0, w / kRb));
    CHECK(th == Approx(std::min(w / kT0, kRb)).epsilon(1e-6));
    CHECK(ct == Approx(std::max(kT0, w / kRb)).epsilon(1e-6));
    // Over the whole run the transient costs at most w lots.
    CHECK(std::abs(s2.throughput_per_day() / kHoursPerDay - std::min(w / kT0, kRb)) <= w / (h2 * kHoursPerDay));
    // Little's law in steady state: w = TH x CT.
    CHECK(th * ct == Approx(w).epsilon(1e-6));
  }
}

TEST_CASE("sim: Penny Fab One exponential CONWIP reproduces the practical worst case", "[sim][factory_physics]") {
  // The same line with exponential process times (mean 2 h at every station):
  // a balanced closed exponential line, for which the practical worst case is
  // exact: TH = w / (W0 + w - 1) rb, CT = T0 + (w - 1) / rb.
  const int replications = 8;
  for (int w : {2, 4, 8}) {
    INFO("w = " << w);
    auto overrides = conwip(w);
    overrides.push_back("horizon_days=6000");
    for (int k = 0; k < 4; ++k)
      overrides.push_back("sites[name=penny_fab].generic.stations[" + std::to_string(k) +
                          "].process_time_days.exponential.mean=0.08333333333333333");
    const auto scenario = load_file(config_path("examples/penny_fab_one.textproto"), overrides);
    const auto results = run(scenario, replications);
    const auto th = estimate(results, [](const auto& r) { return stage(r, "penny_fab").throughput_per_day() / 24; });
    const auto ct = estimate(results, [](const auto& r) { return stage(r, "penny_fab").mean_days() * 24; });
    const double th_pwc = w / (kW0 + w - 1) * kRb, ct_pwc = kT0 + (w - 1) / kRb;
    std::printf("Penny Fab exponential w=%d: TH %.5f/h (se %.5f, PWC %.5f), CT %.4f h (se %.4f, PWC %.4f)\n", w,
                th.mean, th.se, th_pwc, ct.mean, ct.se, ct_pwc);
    CHECK(th.se < 0.005 * th_pwc);
    CHECK(ct.se < 0.005 * ct_pwc);
    CHECK(th.mean == Approx(th_pwc).margin(4 * th.se));
    CHECK(ct.mean == Approx(ct_pwc).margin(4 * ct.se));
    for (const auto& r : results) CHECK(stage(r, "penny_fab").time_avg_wip() == Approx(w).epsilon(1e-9));
  }
  // The reference's worked numbers.
  CHECK(4 / (kW0 + 4 - 1) * kRb == Approx(0.2857).margin(5e-5));
  CHECK(kT0 + (4 - 1) / kRb == Approx(14.0));
}
