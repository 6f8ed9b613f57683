// One replication of a scenario on SimGrid: a host per site, an actor per site.
#pragma once

#include <cstdint>
#include <string>

#include "sim/config/scenario.pb.h"
#include "sim/network/supply_network.hpp"
#include "sim/results/results.pb.h"

namespace scsim::engine {

struct RuntimeOptions {
  // SimGrid log settings, e.g. "root.thresh:info" (empty: SimGrid stays silent).
  std::string simgrid_log;
  // Events one replication may handle before it stops with std::runtime_error
  // naming the budget (bounds the work of any scenario); 0: no limit.
  std::int64_t max_events = 0;
};

// Simulates replication `replication` until the horizon (the day the demand
// target is installed is recorded as a milestone). SimGrid allows one engine per process and does not
// reset its clock, so call this once per process (the runner forks a worker
// per replication). Throws std::runtime_error if an actor fails or the
// simulation deadlocks.
scsim::ReplicationResult run_replication(const scsim::Scenario& scenario, const network::Analysis& analysis,
                                         int replication, const RuntimeOptions& options = {});

}  // namespace scsim::engine
