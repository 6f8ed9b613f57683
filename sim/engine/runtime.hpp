// One replication of a resolved scenario on SimGrid: one host, an actor per loop of sites.
#pragma once

#include <cstdint>
#include <string>

#include "sim/network/supply_network.hpp"
#include "sim/scenario/scenario.hpp"

namespace scsim {
class ReplicationResult;
}

namespace scsim::engine {

struct RuntimeOptions {
  // SimGrid log settings, e.g. "root.thresh:info" (empty: SimGrid stays silent).
  std::string simgrid_log;
  // Length of the synchronisation windows between loops, days (0: a week). Results do not depend on it; it only
  // trades wake-ups against waiting.
  double window_days = 0;
  // Events one replication may handle before it stops with std::runtime_error
  // naming the budget (bounds the work of any scenario); 0: no limit.
  std::int64_t max_events = 0;
  // At most this many sites share one event heap (0: as many as the heap's key has bits for, a whole loop in
  // any real scenario). Results do not depend on it; tests lower it to run the tournament among a loop's heaps.
  std::size_t sites_per_heap = 0;
};

// Simulates replication `replication` until the horizon. SimGrid allows one engine per process and does not
// reset its clock: the first call makes the engine, later calls reuse it (each replication counts its days from
// the clock where it starts), so a worker process can run one replication after another. Throws
// std::runtime_error if a site fails, the event budget is exceeded, or the simulation deadlocks; the engine may
// then still hold that replication's actors, so the process should run no further replication.
scsim::ReplicationResult run_replication(const scenario::Scenario& scenario, const network::Analysis& analysis,
                                         int replication, const RuntimeOptions& options = {});

}  // namespace scsim::engine
