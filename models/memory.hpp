// HBM supplier: DRAM wafers -> core dies -> stacks of `stack_height` dies.
#pragma once

#include <cmath>
#include <cstdint>

#include "models/random_stream.hpp"

namespace scsim::models {

struct MemoryParams {
  double dies_per_wafer = 0;         // gross DRAM core dies per wafer, > 0
  int stack_height = 12;             // core dies per stack, >= 1
  double stack_yield = 1;            // mature fraction of stacks good, (0, 1]
  double stack_yield_initial = -1;   // at the first wafer start; < 0: no learning
  double learning_tau_days = 180;    // > 0
};

class Memory {
public:
  explicit Memory(const MemoryParams& params) : params_(params) {}
  // Stacks attempted from `wafers` wafers: whole stacks of core dies.
  std::int64_t stacks_attempted(std::int64_t wafers) const {
    return static_cast<std::int64_t>(static_cast<double>(wafers) * params_.dies_per_wafer) / params_.stack_height;
  }
  // Stack yield for wafers started `days_in_production` after the first start:
  // learning from stack_yield_initial towards stack_yield.
  double stack_yield(double days_in_production) const {
    if (params_.stack_yield_initial < 0) return params_.stack_yield;
    const double t = days_in_production > 0 ? days_in_production : 0.0;
    return params_.stack_yield - (params_.stack_yield - params_.stack_yield_initial) *
                                     std::exp(-t / params_.learning_tau_days);
  }
  // Good stacks from `wafers` wafers started at `days_in_production` (binomial).
  std::int64_t good_stacks(std::int64_t wafers, double days_in_production, RandomStream& stream) const {
    return stream.binomial(stacks_attempted(wafers), stack_yield(days_in_production));
  }
  double expected_stacks_per_wafer() const {
    return params_.dies_per_wafer / params_.stack_height * params_.stack_yield;
  }

private:
  MemoryParams params_;
};

}  // namespace scsim::models
