// Wafer geometry and yield models against hand-computed reference values.
#include <catch2/catch.hpp>
#include <cmath>

#include "models/wafer.hpp"
#include "models/yield.hpp"

using namespace scsim::models;

TEST_CASE("models: gross dies per wafer") {
  CHECK(gross_dies_per_wafer(WaferGeometryParams{300, 0, 15, 15, 0}) == Approx(269.7).margin(0.05));
  CHECK(gross_dies_per_wafer(WaferGeometryParams{300, 0, 10, 10, 0}) == Approx(640.2).margin(0.05));
  CHECK(gross_dies_per_wafer(300, 225) == Approx(269.7).margin(0.05));
  // Edge exclusion shrinks the usable diameter; scribe grows the die pitch.
  CHECK(gross_dies_per_wafer(WaferGeometryParams{300, 3, 10, 10, 0}) == Approx(gross_dies_per_wafer(294, 100)));
  CHECK(gross_dies_per_wafer(WaferGeometryParams{300, 0, 9.9, 9.9, 0.1}) == Approx(640.2).margin(0.05));
  // A die too large for the wafer gives 0, never a negative count.
  CHECK(gross_dies_per_wafer(10, 400) == 0);
  CHECK(kReticleLimitMm2 == 858);
}

TEST_CASE("models: die yield table for all models") {
  struct Row {
    double x, poisson, murphy, seeds, nb2, nb4;
  };
  const Row rows[] = {
      {0.5, 0.60653, 0.61927, 0.66667, 0.64000, 0.62430},
      {1.0, 0.36788, 0.39958, 0.50000, 0.44444, 0.40960},
      {2.0, 0.13534, 0.18691, 0.33333, 0.25000, 0.19753},
  };
  const double tol = 0.000005;  // 5 decimals
  for (const Row& r : rows) {
    INFO("x = " << r.x);
    CHECK(die_yield(YieldModel::kPoisson, r.x) == Approx(r.poisson).margin(tol));
    CHECK(die_yield(YieldModel::kMurphy, r.x) == Approx(r.murphy).margin(tol));
    CHECK(die_yield(YieldModel::kSeeds, r.x) == Approx(r.seeds).margin(tol));
    CHECK(die_yield(YieldModel::kNegativeBinomial, r.x, 2.0) == Approx(r.nb2).margin(tol));
    CHECK(die_yield(YieldModel::kNegativeBinomial, r.x, 4.0) == Approx(r.nb4).margin(tol));
  }
  // No defects, full yield; Murphy stays accurate for tiny x (limit 1 - x).
  for (const auto m : {YieldModel::kPoisson, YieldModel::kMurphy, YieldModel::kSeeds, YieldModel::kNegativeBinomial}) {
    CHECK(die_yield(m, 0.0) == 1.0);
  }
  CHECK(die_yield(YieldModel::kMurphy, 1e-10) == Approx(1 - 1e-10).epsilon(1e-15));
}

TEST_CASE("models: negative binomial worked case, 300 mm wafer and 400 mm^2 die") {
  const double gross = gross_dies_per_wafer(WaferGeometryParams{300, 0, 20, 20, 0});
  CHECK(gross == Approx(143).margin(1));
  // D0 0.25 / cm^2 on 4 cm^2: one defect per die on average.
  const double y = die_yield(YieldModel::kNegativeBinomial, 0.25, 400.0, 4.0);
  CHECK(y == Approx(0.4096).epsilon(1e-12));
  CHECK(gross * y == Approx(58.7).margin(0.5));
}

TEST_CASE("models: HBM stack yield") {
  CHECK(stack_yield(0.99, 0.995, 12) == Approx(0.839).margin(0.001));
  CHECK(stack_yield(0.9, 0.5, 1) == Approx(0.9));  // one die: no bond
}

TEST_CASE("models: defect density learning curve") {
  const double mature = 0.1, initial = 0.5, tau = 90;
  CHECK(defect_density(mature, initial, tau, 0) == initial);
  CHECK(defect_density(mature, initial, tau, -10) == initial);
  CHECK(defect_density(mature, initial, tau, tau) == Approx(mature + (initial - mature) / std::exp(1.0)));
  CHECK(defect_density(mature, initial, tau, tau) == Approx(0.247152).margin(1e-6));
  CHECK(defect_density(mature, initial, tau, 100 * tau) == Approx(mature).margin(1e-12));
  // Monotone decrease towards the mature level.
  CHECK(defect_density(mature, initial, tau, 30) > defect_density(mature, initial, tau, 60));
}

TEST_CASE("models: harvested yield") {
  CHECK(harvested_yield(0.6, 0.0) == Approx(0.6));
  CHECK(harvested_yield(0.6, 0.5) == Approx(0.8));
  CHECK(harvested_yield(0.6, 1.0) == Approx(1.0));
  CHECK(harvested_yield(1.0, 0.3) == Approx(1.0));
}
