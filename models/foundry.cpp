#include "models/foundry.hpp"

namespace scsim::models {

double Foundry::die_yield(double days_in_production) const {
  const double d0 = defect_density(params_.d0_per_cm2, params_.d0_initial_per_cm2, params_.learning_tau_days,
                                   days_in_production);
  const double y = scsim::models::die_yield(params_.yield_model, d0, params_.die_area_mm2, params_.clustering_alpha);
  return harvested_yield(y, params_.harvest_fraction);
}

std::int64_t Foundry::good_dies(std::int64_t wafers, double days_in_production, RandomStream& stream) const {
  const double y = die_yield(days_in_production);
  const std::int64_t per_wafer = whole_dies_per_wafer();
  const double rho = params_.wafer_yield_correlation;
  if (rho <= 0) return stream.binomial(wafers * per_wafer, y);
  // Beta-binomial: each wafer's yield is Beta with mean y and intra-class
  // correlation rho = 1 / (a + b + 1).
  const double a = y * (1 - rho) / rho, b = (1 - y) * (1 - rho) / rho;
  std::int64_t good = 0;
  for (std::int64_t w = 0; w < wafers; ++w) good += stream.binomial(per_wafer, stream.beta(a, b));
  return good;
}

}  // namespace scsim::models
