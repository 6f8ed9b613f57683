// Fills in defaults so the resolved scenario says everything it means.
#pragma once

#include "sim/config/scenario.pb.h"

namespace scsim::config {

// Sets every unset field that has a documented default (in the .proto) to that
// default, names unnamed lanes "FROM->TO", and starts designs without a
// start_date on the scenario's start date. Idempotent.
void apply_defaults(scsim::Scenario& scenario);

}  // namespace scsim::config
