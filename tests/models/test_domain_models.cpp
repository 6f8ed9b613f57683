// Domain models against the shipped scenarios' numbers (docs/model.md), computed by hand.
#include <catch2/catch.hpp>

#include "models/capacity_profile.hpp"
#include "models/datacenter.hpp"
#include "models/design.hpp"
#include "models/foundry.hpp"
#include "models/memory.hpp"
#include "models/wafer.hpp"

using namespace scsim::models;

namespace {
// The shipped scenarios' logic die: 25 x 32 mm, 0.1 mm scribe, 3 mm edge exclusion, 300 mm wafer.
FoundryParams logic_die(double d0) {
  FoundryParams p;
  p.gross_dies_per_wafer = gross_dies_per_wafer({300, 3, 25, 32, 0.1});
  p.die_area_mm2 = 800;
  p.yield_model = YieldModel::kNegativeBinomial;
  p.clustering_alpha = 3;
  p.d0_per_cm2 = d0;
  p.d0_initial_per_cm2 = d0;
  return p;
}
}  // namespace

TEST_CASE("models: an 800 mm2 die has ~61 gross dies (~62-65 before edge exclusion and scribe)") {
  CHECK(gross_dies_per_wafer({300, 3, 25, 32, 0.1}) == Approx(61.27).epsilon(0.001));
  // pi*300^2/(4*800) - pi*300/sqrt(1600) = 88.357 - 23.562
  CHECK(gross_dies_per_wafer({300, 0, 25, 32, 0}) == Approx(64.795).epsilon(0.0001));
}

TEST_CASE("models: die yield at 800 mm2 is ~15% at D0 0.35 and ~50% at D0 0.10 (negative binomial, alpha 3)") {
  // x = D0 * 8 cm2; NB alpha 3: (1 + x/3)^-3.
  CHECK(Foundry(logic_die(0.35)).die_yield(0) == Approx(0.13838).epsilon(0.0005));  // Samsung SF3 mode: 1/1.9333^3
  CHECK(Foundry(logic_die(0.10)).die_yield(0) == Approx(0.49205).epsilon(0.0005));  // TSMC N3 mode: 1/1.2667^3
  // The shipped ranges at the D0 extremes: Samsung 0.05 (D0 0.65), TSMC ~0.6-0.7 (D0 0.07).
  CHECK(Foundry(logic_die(0.65)).die_yield(0) == Approx(0.04897).epsilon(0.0005));
  CHECK(Foundry(logic_die(0.07)).die_yield(0) == Approx(0.59843).epsilon(0.0005));
}

TEST_CASE("models: defect-density learning raises yield towards the mature value") {
  auto p = logic_die(0.10);
  p.d0_initial_per_cm2 = 0.30;
  p.learning_tau_days = 100;
  const Foundry fab(p);
  CHECK(fab.die_yield(0) == Approx(die_yield(YieldModel::kNegativeBinomial, 0.30, 800, 3)));
  CHECK(fab.die_yield(100) == Approx(die_yield(YieldModel::kNegativeBinomial, 0.10 + 0.20 / std::exp(1.0), 800, 3)));
  CHECK(fab.die_yield(5000) == Approx(0.49205).epsilon(0.0005));
}

TEST_CASE("models: harvesting recovers a share of failing dies") {
  auto p = logic_die(0.10);
  p.harvest_fraction = 0.10;
  CHECK(Foundry(p).die_yield(0) == Approx(0.49205 + 0.50795 * 0.10).epsilon(0.0005));
}

TEST_CASE("models: good dies per lot average gross x yield, binomial or beta-binomial") {
  for (const double rho : {0.0, 0.2}) {
    auto p = logic_die(0.10);
    p.wafer_yield_correlation = rho;
    const Foundry fab(p);
    RandomStream stream(42, 0, "fab");
    double sum = 0, sum2 = 0;
    const int lots = 4000;
    for (int i = 0; i < lots; ++i) {
      const double good = static_cast<double>(fab.good_dies(25, 0, stream));
      sum += good;
      sum2 += good * good;
    }
    const double mean = sum / lots, var = sum2 / lots - mean * mean;
    const double n = 25.0 * 61, y = fab.die_yield(0);
    CHECK(mean == Approx(n * y).epsilon(0.01));
    // Wafer-to-wafer variation widens the spread: var = n y (1-y) (1 + (m-1) rho) per wafer of m dies.
    const double binomial_var = n * y * (1 - y);
    if (rho == 0.0) CHECK(var == Approx(binomial_var).epsilon(0.08));
    if (rho > 0.0) CHECK(var == Approx(binomial_var * (1 + 60 * rho)).epsilon(0.1));
  }
}

TEST_CASE("models: HBM stacks per wafer and stack-yield learning") {
  MemoryParams p;
  p.dies_per_wafer = 480;
  p.stack_height = 12;
  p.stack_yield = stack_yield(0.99, 0.995, 12);  // 0.99^12 * 0.995^11 = 0.839 (docs/model.md)
  const Memory memory(p);
  CHECK(memory.stacks_attempted(25) == 1000);
  CHECK(memory.expected_stacks_per_wafer() == Approx(40 * 0.8388).epsilon(0.001));
  p.stack_yield_initial = 0.5;
  p.learning_tau_days = 100;
  const Memory learning(p);
  CHECK(learning.stack_yield(0) == Approx(0.5));
  CHECK(learning.stack_yield(100) == Approx(0.8388 - (0.8388 - 0.5) / std::exp(1.0)).epsilon(0.001));
}

TEST_CASE("models: design release day: means plus the probability-weighted respin") {
  DesignParams p;
  p.tapeout_days = Triangular{456, 608, 912};     // 15, 20, 30 months
  p.mask_days = Triangular{14, 21, 35};
  p.first_silicon_days = Triangular{70, 84, 112};
  p.respin_probability = 0.6;
  p.metal_only_fraction = 0.6;
  p.metal_respin_days = Triangular{61, 91, 122};
  p.base_respin_days = Triangular{122, 152, 213};
  p.production_release_days = Triangular{182, 274, 365};
  const Design design(p);
  const double expected = 658.6667 + 23.3333 + 88.6667 + 0.6 * (0.6 * 91.3333 + 0.4 * 162.3333) + 273.6667;
  CHECK(design.expected_release_day() == Approx(expected).epsilon(1e-4));
  RandomStream stream(7, 0, "design");
  double sum = 0;
  int respins = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const auto t = design.draw(stream);
    sum += t.production_release_day;
    respins += t.respin != Respin::kNone;
    CHECK(t.tapeout_day <= t.first_silicon_day);
  }
  CHECK(sum / n == Approx(expected).epsilon(0.005));
  CHECK(static_cast<double>(respins) / n == Approx(0.6).epsilon(0.03));
}

TEST_CASE("models: power limits installs to MW x 1000 / kW per accelerator") {
  CHECK(accelerator_slots(150, 2.4) == 62500);   // one Abilene-size building
  CHECK(accelerator_slots(1200, 2.4) == 500000); // 8 buildings, ~1.2 GW
  CHECK(accelerator_slots(150, 1.8) == 83333);
  CHECK(energized_day(100, 400, -1, 0) == 500);       // no power date: ready when built
  CHECK(energized_day(100, 400, 600, 50) == 650);     // waiting for the grid
  CHECK(energized_day(100, 400, 300, 50) == 500);     // power was early
}

TEST_CASE("models: capacity profiles pause and slow work, overlaps take the lower factor") {
  const CapacityProfile profile({{10, 20, 0.0}, {15, 30, 0.5}});
  CHECK(profile.factor_at(5) == 1.0);
  CHECK(profile.factor_at(12) == 0.0);
  CHECK(profile.factor_at(25) == 0.5);
  CHECK(profile.finish_time(0, 5) == 5);
  CHECK(profile.finish_time(8, 5) == Approx(20 + 3 / 0.5));  // 2 days before the stop, then half speed
  CHECK(profile.finish_time(8, 10) == Approx(30 + 3));        // half speed 20-30 does 5 days of work
  CHECK(profile.lost_days(0, 40) == Approx(10 + 10 * 0.5));
}
