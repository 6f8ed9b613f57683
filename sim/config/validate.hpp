// Field-level semantic validation of a scenario.
#pragma once

#include "sim/config/problem.hpp"
#include "sim/config/scenario.pb.h"

namespace scsim::network {
struct Analysis;
}

namespace scsim::config {

// Every field-level problem at once: required fields, ranges, distributions,
// dates, unique names, and name references that do not resolve. Graph-level
// checks (cycles, reachability, BOM supply) are network::check_network's job
// and need a scenario that passed this one. Expects defaults applied.
Problems validate_fields(const scsim::Scenario& scenario);

// Work that depends on the network: a station fed faster than it can finish
// builds a queue whose lot-days grow with the horizon squared, and the engine
// integrates every lot's time in the system. Refuses more than 1e9 lot-days.
// Needs a scenario that passed validate_fields and network::check_network.
Problems check_queues(const scsim::Scenario& scenario, const network::Analysis& analysis);

}  // namespace scsim::config
