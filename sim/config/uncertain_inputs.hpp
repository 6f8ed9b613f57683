// The uncertain inputs of a scenario: every distribution with a range.
#pragma once

#include <string>
#include <vector>

#include "sim/config/scenario.pb.h"

namespace scsim::config {

struct UncertainInput {
  std::string path;   // index form, usable with --set: "sites[1].foundry.d0_per_cm2"
  std::string label;  // readable form: "sites[name=tsmc_n3].foundry.d0_per_cm2"
  double low = 0;     // the distribution's lower limit (triangular/PERT/uniform min, ...)
  double high = 0;    // its upper limit
  std::string shown;  // models::describe of the distribution
};

// Every Dist in the scenario whose range is finite and not a single point:
// uniform, triangular, PERT, empirical (smallest and largest value) and a
// normal truncated on both sides. Fixed values, unbounded normals, lognormal
// and exponential distributions have no low/high to try and are left out.
// In scenario order.
std::vector<UncertainInput> uncertain_inputs(const scsim::Scenario& scenario);

}  // namespace scsim::config
