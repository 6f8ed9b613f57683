// HBM supplier: DRAM wafers -> core dies -> stacks of `stack_height` dies.
#pragma once

#include <cstdint>

#include "models/random_stream.hpp"

namespace scsim::models {

struct MemoryParams {
  double dies_per_wafer = 0;   // gross DRAM core dies per wafer, > 0
  int stack_height = 12;       // core dies per stack, >= 1
  double stack_yield = 1;      // fraction of stacks good, (0, 1]
};

class Memory {
public:
  explicit Memory(const MemoryParams& params) : params_(params) {}
  // Stacks attempted from `wafers` wafers: whole stacks of core dies.
  std::int64_t stacks_attempted(std::int64_t wafers) const {
    return static_cast<std::int64_t>(static_cast<double>(wafers) * params_.dies_per_wafer) / params_.stack_height;
  }
  // Good stacks from `wafers` wafers (binomial on the stack yield).
  std::int64_t good_stacks(std::int64_t wafers, RandomStream& stream) const {
    return stream.binomial(stacks_attempted(wafers), params_.stack_yield);
  }
  double expected_stacks_per_wafer() const {
    return params_.dies_per_wafer / params_.stack_height * params_.stack_yield;
  }

private:
  MemoryParams params_;
};

}  // namespace scsim::models
