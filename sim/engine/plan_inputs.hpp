// A datacenter's build-plan inputs under a program, from the resolved scenario
// and its network analysis (expected values only).
#pragma once

#include <memory>

#include "sim/engine/program_planner.hpp"
#include "sim/network/supply_network.hpp"
#include "sim/scenario/scenario.hpp"

namespace scsim::engine {

// For datacenter `site` of a replication whose calendar years are `years` (null when the scenario has no program or the site installs nothing of the demand).
std::shared_ptr<const PlanInputs> plan_inputs(const scenario::Scenario& scenario, const network::Analysis& analysis,
                                              const Years& years, int site);

}  // namespace scsim::engine
