#include "models/yield.hpp"

#include <cmath>

namespace scsim::models {

double die_yield(YieldModel model, double x, double alpha) {
  if (x <= 0) return 1.0;
  switch (model) {
    case YieldModel::kPoisson:
      return std::exp(-x);
    case YieldModel::kMurphy: {
      // -expm1(-x) keeps precision for small x.
      const double f = -std::expm1(-x) / x;
      return f * f;
    }
    case YieldModel::kSeeds:
      return 1.0 / (1.0 + x);
    case YieldModel::kNegativeBinomial:
      return std::pow(1.0 + x / alpha, -alpha);
  }
  return 0.0;  // unreachable: all enumerators handled
}

double die_yield(YieldModel model, double d0_per_cm2, double die_area_mm2, double alpha) {
  return die_yield(model, d0_per_cm2 * die_area_mm2 / 100.0, alpha);
}

double defect_density(double mature_per_cm2, double initial_per_cm2, double tau_days, double t_days) {
  if (t_days <= 0) return initial_per_cm2;
  return mature_per_cm2 + (initial_per_cm2 - mature_per_cm2) * std::exp(-t_days / tau_days);
}

double harvested_yield(double yield, double harvest_fraction) { return yield + (1.0 - yield) * harvest_fraction; }

double stack_yield(double die_yield_value, double bond_yield, int stack_height) {
  return std::pow(die_yield_value, stack_height) * std::pow(bond_yield, stack_height - 1);
}

}  // namespace scsim::models
