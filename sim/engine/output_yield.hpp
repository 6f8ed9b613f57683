// How a site turns the units it processed into good units. A kind supplies
// one per replication, with that replication's levels (defect density, stack
// yield…) already drawn.
#pragma once

#include <cstdint>

#include "models/random_stream.hpp"

namespace scsim::engine {

class OutputYield {
public:
  virtual ~OutputYield() = default;
  // Good units of output from `units` processed, started `age_days` after the site's first start.
  virtual std::int64_t good(std::int64_t units, double age_days, models::RandomStream& stream) const = 0;
  // Expected good units per unit processed at maturity (for release planning).
  virtual double expected_good_per_unit() const = 0;
};

// Every unit passes.
class AllGood final : public OutputYield {
public:
  std::int64_t good(std::int64_t units, double, models::RandomStream&) const override { return units; }
  double expected_good_per_unit() const override { return 1.0; }
};

// Each unit passes with one probability (drawn once per replication): binomial thinning.
class FractionGood final : public OutputYield {
public:
  explicit FractionGood(double fraction) : fraction_(fraction) {}
  std::int64_t good(std::int64_t units, double, models::RandomStream& stream) const override {
    return stream.binomial(units, fraction_);
  }
  double expected_good_per_unit() const override { return fraction_; }

private:
  double fraction_;
};

}  // namespace scsim::engine
