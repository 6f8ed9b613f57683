// Die and stack yield models (docs/model.md, "Formulas"; Stapper's negative binomial).
#pragma once

namespace scsim::models {

enum class YieldModel { kNegativeBinomial, kPoisson, kMurphy, kSeeds };

// Fraction of good dies for x = D0 * A (defects per die). x >= 0.
// Poisson e^-x; Murphy ((1-e^-x)/x)^2; Seeds 1/(1+x);
// negative binomial (1 + x/alpha)^-alpha, alpha > 0 (clustering).
double die_yield(YieldModel model, double defects_per_die, double alpha = 3.0);

// Die yield from a defect density (per cm^2) and die area (mm^2).
double die_yield(YieldModel model, double d0_per_cm2, double die_area_mm2, double alpha);

// Defect density learning: D0(t) = mature + (initial - mature) * e^(-t/tau).
// t_days counted from the node's production start; t < 0 gives `initial`.
double defect_density(double mature_per_cm2, double initial_per_cm2, double tau_days, double t_days);

// Harvesting recovers a fraction of failing dies: Y + (1 - Y) * harvest_fraction.
double harvested_yield(double die_yield, double harvest_fraction);

// HBM stack yield for n core dies: die_yield^n * bond_yield^(n-1). n >= 1.
double stack_yield(double die_yield, double bond_yield, int stack_height);

}  // namespace scsim::models
