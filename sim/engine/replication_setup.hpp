// What a replication's processes are built from: each site's disruptions (drawn
// before the run, each from its own stream), its share of the demand, and the
// sites its design gates. Plain C++, no SimGrid.
#pragma once

#include <memory>
#include <vector>

#include "sim/engine/process_context.hpp"
#include "sim/engine/site_process.hpp"
#include "sim/network/supply_network.hpp"

namespace scsim {
class ReplicationResult;
}

namespace scsim::engine {

std::vector<ProcessContext> process_contexts(const scenario::Scenario& scenario, const network::Analysis& analysis,
                                             int replication);

// One process per site, in site order, built by each site's kind.
std::vector<std::unique_ptr<SiteProcess>> make_processes(const scenario::Scenario& scenario,
                                                         const network::Analysis& analysis, int replication);

// Closes every process at the horizon and gathers the replication's result: each site's series and stage,
// then installs from every datacenter in time order (then site order), from which the first install,
// milestones, cost and the cumulative installs at site "ALL" follow.
scsim::ReplicationResult collect_result(std::vector<std::unique_ptr<SiteProcess>>& processes,
                                        const scenario::Scenario& scenario, int replication);

// The reference executor: one replication, every event of every site handled in one global order (time; at
// equal times the senders of zero-delay edges first; then the canonical keys), in this process, without
// SimGrid. Slow for big runs; it is what the SimGrid runtime must reproduce exactly.
scsim::ReplicationResult run_sequential(const scenario::Scenario& scenario, const network::Analysis& analysis,
                                        int replication);

}  // namespace scsim::engine
