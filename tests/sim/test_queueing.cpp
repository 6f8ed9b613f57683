// Queueing oracles (Kleinrock, Queueing Systems Vol. 1): M/M/1, a Jackson
// tandem line, M/M/c (Erlang C) and Little's law, each run through the whole
// engine (loader, network analysis, worker processes, SimGrid actors).
//
// Tolerances are several standard errors of the replication means wide (fixed
// seeds, so the numbers are stable); each test also bounds the standard error,
// so a wide spread cannot make a check vacuous.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim_test_support.hpp"

using namespace scsim::simtest;

TEST_CASE("sim: M/M/1 time and number in system match 1/(mu-lambda) and rho/(1-rho)", "[sim][queueing]") {
  const auto scenario = load_file(fixture_path("mm1.textproto"));
  const double lambda = 0.5, mu = 1.0, rho = lambda / mu;
  const auto results = run(scenario, 8);

  const auto time = estimate(results, [](const auto& r) { return stage(r, "queue").mean_days(); });
  const auto number = estimate(results, [](const auto& r) { return stage(r, "queue").time_avg_wip(); });
  const auto throughput = estimate(results, [](const auto& r) { return stage(r, "queue").throughput_per_day(); });
  const auto utilization = estimate(results, [](const auto& r) { return stage(r, "queue").utilization(); });
  std::printf("M/M/1: W %.4f (se %.4f, theory 2), L %.4f (se %.4f, theory 1), TH %.4f, util %.4f\n", time.mean,
              time.se, number.mean, number.se, throughput.mean, utilization.mean);

  CHECK(time.se < 0.01);
  CHECK(number.se < 0.01);
  CHECK(time.mean == Approx(1.0 / (mu - lambda)).margin(4 * time.se));
  CHECK(number.mean == Approx(rho / (1 - rho)).margin(4 * number.se));
  CHECK(throughput.mean == Approx(lambda).margin(4 * throughput.se + 1e-9));
  CHECK(utilization.mean == Approx(rho).margin(4 * utilization.se + 1e-9));
  // The sink installs instantly, so end to end equals the time in the queue.
  for (const auto& r : results) CHECK(end_to_end_stage(r, "sink").mean_days() == Approx(stage(r, "queue").mean_days()));
}

TEST_CASE("sim: Jackson tandem line sojourn is the sum of 1/(mu_i - lambda) = 20 days", "[sim][queueing]") {
  // configs/examples/tandem_line.textproto, run longer than its own default.
  const auto scenario = load_file(config_path("examples/tandem_line.textproto"), {"horizon_days=100000"});
  const double lambda = 0.7;
  const double theory = 3 / (1.0 - lambda) + 1 / (0.8 - lambda);  // 20 days
  const auto results = run(scenario, 16);

  const auto time = estimate(results, [](const auto& r) { return stage(r, "line").mean_days(); });
  const auto wip = estimate(results, [](const auto& r) { return stage(r, "line").time_avg_wip(); });
  std::printf("tandem: W %.3f (se %.3f, theory %.1f), L %.3f (se %.3f, theory %.1f)\n", time.mean, time.se, theory,
              wip.mean, wip.se, lambda * theory);

  CHECK(theory == Approx(20.0));
  CHECK(time.se < 0.3);
  CHECK(time.mean == Approx(theory).margin(4 * time.se));
  CHECK(wip.mean == Approx(lambda * theory).margin(4 * wip.se));
}

TEST_CASE("sim: M/M/c waiting time matches Erlang C for a = 2.5, c = 3..6", "[sim][queueing]") {
  const double lambda = 2.5, mu = 1.0, a = lambda / mu;
  // C(c, 2.5) from the Erlang C formula (Kleinrock, Queueing Systems Vol. 1), to four decimals.
  const std::vector<std::pair<int, double>> table{{3, 0.7022}, {4, 0.3199}, {5, 0.1304}, {6, 0.0474}};
  for (const auto& [c, value] : table) CHECK(erlang_c(c, a) == Approx(value).margin(5e-5));

  const int replications = 8;
  auto run_with = [&](int servers) {
    const auto scenario = load_file(fixture_path("mmc.textproto"),
                                    {"sites[name=queue].generic.stations[0].servers=" + std::to_string(servers)});
    return run(scenario, replications);
  };
  // The same seed with (practically) unlimited servers: every lot is served on
  // arrival, and it draws the same service times in the same order (one
  // service draw per lot at release, then the next interarrival), so the
  // difference of mean times in system is the mean wait with the service noise
  // cancelled (common random numbers).
  const auto unlimited = run_with(50);
  const auto service = estimate(unlimited, [](const auto& r) { return stage(r, "queue").mean_days(); });
  double served = 0;
  for (const auto& r : unlimited) served += static_cast<double>(stage(r, "queue").count());
  CHECK(service.mean == Approx(1 / mu).margin(4 * std::max(service.se, 1 / (mu * std::sqrt(served)))));

  for (const auto& [c, value] : table) {
    const auto results = run_with(c);
    std::vector<double> direct, paired;
    for (int i = 0; i < replications; ++i) {
      const double w = stage(results[i], "queue").mean_days();
      direct.push_back(w - 1 / mu);
      paired.push_back(w - stage(unlimited[i], "queue").mean_days());
    }
    const auto wq = estimate(direct), wq_paired = estimate(paired);
    double lots = 0;
    for (const auto& r : results) lots += static_cast<double>(stage(r, "queue").count());
    // The unpaired estimate carries the noise of the mean of `lots` exponential
    // service times (sd 1/mu each), whatever the spread of 8 replications says.
    const double se_direct = std::max(wq.se, std::sqrt(wq_paired.se * wq_paired.se + 1 / (mu * mu * lots)));
    const double theory = erlang_c(c, a) / (c * mu - lambda);
    const double implied_c = wq_paired.mean * (c * mu - lambda);
    std::printf("M/M/%d: Wq %.5f (se %.5f) paired %.5f (se %.5f), theory %.5f; implied C %.4f (table %.4f)\n", c,
                wq.mean, wq.se, wq_paired.mean, wq_paired.se, theory, implied_c, value);
    INFO("c = " << c);
    CHECK(wq_paired.se < 0.04 * theory);
    CHECK(wq_paired.mean == Approx(theory).margin(4 * wq_paired.se));
    CHECK(implied_c == Approx(value).margin(4 * wq_paired.se * (c * mu - lambda) + 5e-5));
    // Without the pairing, the service-time noise (about 1/sqrt(lots)) dominates for large c.
    CHECK(wq.mean == Approx(theory).margin(4 * se_direct));
    CHECK(stage(results[0], "queue").utilization() == Approx(lambda / (c * mu)).margin(0.01));
  }
}

TEST_CASE("sim: Little's law L = TH x W holds in every stage of a multi-stage chain", "[sim][queueing][little]") {
  const auto scenario = load_file(fixture_path("little_chain.textproto"));
  const auto results = run(scenario, 2);
  for (const auto& r : results) {
    for (const auto& s : r.stages()) {
      if (s.stage() == "sink" || is_end_to_end(s)) continue;  // a datacenter reports end-to-end lead times only
      INFO("replication " << r.replication() << ", stage " << s.stage());
      std::printf("Little %s: L %.4f, TH %.4f x W %.4f = %.4f\n", s.stage().c_str(), s.time_avg_wip(),
                  s.throughput_per_day(), s.mean_days(), s.throughput_per_day() * s.mean_days());
      REQUIRE(s.count() > 10000);
      CHECK(s.time_avg_wip() == Approx(s.throughput_per_day() * s.mean_days()).epsilon(0.01));
      // The same WIP integrated independently, week by week (unit-days, one unit per lot here).
      const auto weekly = series(r, s.stage(), "wip");
      double unit_days = 0;
      for (double v : weekly) unit_days += v * 7;
      const double units_per_lot = s.stage() == "cutting" ? 2.0 : 1.0;
      CHECK(unit_days / r.end_day() / units_per_lot == Approx(s.time_avg_wip()).epsilon(0.01));
    }
    // Flow balance: what leaves each stage per day is what the source feeds it (yield 0.9, 2 parts per kit).
    CHECK(stage(r, "cutting").throughput_per_day() == Approx(1.0).epsilon(0.02));
    CHECK(stage(r, "assembly").throughput_per_day() == Approx(0.9).epsilon(0.02));
    CHECK(stage(r, "burnin").throughput_per_day() == Approx(0.9).epsilon(0.02));
    // And L = lambda x W with the exogenous rate, for the M/M/3-like burn-in.
    CHECK(stage(r, "burnin").time_avg_wip() ==
          Approx(0.9 * stage(r, "burnin").mean_days()).epsilon(0.03));
  }
}
