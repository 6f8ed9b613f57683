// Logic-die fab: how many good dies a lot of wafers yields.
#pragma once

#include <cstdint>

#include "models/random_stream.hpp"
#include "models/yield.hpp"

namespace scsim::models {

struct FoundryParams {
  double gross_dies_per_wafer = 0;   // > 0 (whole dies are counted: the fraction is dropped)
  double die_area_mm2 = 0;           // > 0
  YieldModel yield_model = YieldModel::kNegativeBinomial;
  double clustering_alpha = 3;       // > 0
  double d0_per_cm2 = 0.1;           // mature defect density, > 0
  double d0_initial_per_cm2 = 0.1;   // at production start, >= d0_per_cm2
  double learning_tau_days = 180;    // > 0
  double harvest_fraction = 0;       // [0, 1]
  double wafer_yield_correlation = 0;  // [0, 1): beta-binomial intra-class correlation
};

class Foundry {
public:
  explicit Foundry(const FoundryParams& params) : params_(params) {}
  // Expected fraction of gross dies that are good (after harvesting) for a
  // wafer started `days_in_production` days after the first volume start.
  double die_yield(double days_in_production) const;
  // Good dies from `wafers` wafers started at `days_in_production`: binomial per
  // lot, or beta-binomial per wafer when wafers vary (correlation > 0).
  std::int64_t good_dies(std::int64_t wafers, double days_in_production, RandomStream& stream) const;
  std::int64_t whole_dies_per_wafer() const { return static_cast<std::int64_t>(params_.gross_dies_per_wafer); }

private:
  FoundryParams params_;
};

}  // namespace scsim::models
