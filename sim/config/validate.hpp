// Field-level semantic validation of a scenario.
#pragma once

#include "sim/config/problem.hpp"
#include "sim/config/scenario.pb.h"

namespace scsim::config {

// Every field-level problem at once: required fields, ranges, distributions,
// dates, unique names, and name references that do not resolve. Graph-level
// checks (cycles, reachability, BOM supply) are network::check_network's job
// and need a scenario that passed this one. Expects defaults applied.
Problems validate_fields(const scsim::Scenario& scenario);

}  // namespace scsim::config
