// What a replication's processes are built from: each site's disruptions (drawn
// before the run, each from its own stream), its share of the demand, and the
// sites its design gates. Plain C++, no SimGrid.
#pragma once

#include <memory>
#include <vector>

#include "sim/engine/process_context.hpp"
#include "sim/engine/site_process.hpp"
#include "sim/network/supply_network.hpp"

namespace scsim::engine {

std::vector<ProcessContext> process_contexts(const scenario::Scenario& scenario, const network::Analysis& analysis,
                                             int replication);

// One process per site, in site order, built by each site's kind.
std::vector<std::unique_ptr<SiteProcess>> make_processes(const scenario::Scenario& scenario,
                                                         const network::Analysis& analysis, int replication);

}  // namespace scsim::engine
