// The one place where a validated scenario becomes engine site specs.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/config/scenario.pb.h"
#include "sim/engine/site_spec.hpp"
#include "sim/network/supply_network.hpp"

namespace scsim::engine {

// One spec per site, in scenario order. Disruption windows are drawn here for
// this replication, each disruption from its own named stream, so adding a
// disruption or a site shifts no other draws.
std::vector<SiteSpec> build_specs(const scsim::Scenario& scenario, const network::Analysis& analysis,
                                  std::uint64_t seed, int replication);

}  // namespace scsim::engine
