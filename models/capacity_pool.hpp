// A supplier's capacity shared by several buyers: how one week's capacity is
// allocated among their demands under a named rule (docs/model.md, "The program").
#pragma once

#include <vector>

namespace scsim::models {

enum class PoolRule {
  kProportional,       // all demands met if they fit; else the pool split in proportion to demand
  kContractedMinimum,  // demand up to each contract first, the rest in proportion to unserved demand
  kPriority,           // lower priority number served first; equal priorities in proportion to demand
};

struct PoolClaim {
  double demand = 0;      // capacity asked for this week (>= 0)
  double contracted = 0;  // capacity contracted this week (kContractedMinimum)
  int priority = 0;       // kPriority
};

// Each claim's allocation this week: never more than its demand, and in total
// never more than `total` (nor more than the demands). Deterministic.
std::vector<double> allocate(double total, const std::vector<PoolClaim>& claims, PoolRule rule);

}  // namespace scsim::models
