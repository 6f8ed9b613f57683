// Step 2 of a run (ARCHITECTURE.md): check the supply network and analyse it before anything is simulated.
//
//   check_network — graph-level problems (cycles, lanes carrying the wrong product, missing BOM inputs,
//                   unreachable datacenters, zero-capacity sources, lane shares, dead ends, no datacenter).
//   analyse       — topological order, the expected critical path to the first installed unit, and the
//                   steady-state capacity bound of the whole chain (max-flow / min-cut) with its bottleneck.
//   to_dot        — the network in Graphviz DOT.
//
// All times are days from Scenario.start_date (day 0); all rates are per week.
#pragma once

#include <string>
#include <vector>

#include "sim/config/problem.hpp"
#include "sim/config/scenario.pb.h"
#include "sim/network/supply_graph.hpp"

namespace scsim::network {

// Graph-level checks for a scenario whose fields already passed field-level validation (every name reference
// resolves, every site has a kind, products exist, dists valid). Reports every problem, grouped by check in
// the order listed above, each with a field path ("lanes[2].product", "sites[3]") and a lowercase message
// naming the offending values. Empty when the network can be analysed and simulated.
config::Problems check_network(const scsim::Scenario& scenario);

// One step of the critical path.
struct Stage {
  std::string name;      // site name, lane name, or building name ("DC/buildings[i]" when unnamed)
  std::string kind;      // site kind ("design", "foundry", …), "lane", "building" or "qualification"
  double start_day = 0;  // days from the scenario start
  double end_day = 0;    // days from the scenario start
};

struct SiteCapacity {
  std::string site;
  std::string product;               // made, or installed (datacenter); empty for a design site
  double output_per_week = 0;        // good units of `product` per week at steady state (infinity when unlimited)
  double accelerators_per_week = 0;  // the same in end-product (demand product) equivalents; 0 if it feeds none
};

struct Analysis {
  std::vector<std::string> topological_order;  // site names
  std::vector<Stage> critical_path;            // from design start to the first installed unit, in time order
  double first_unit_day = 0;                   // expected day of the first installed unit (infinity if never)
  double capacity_bound_per_week = 0;          // whole chain, accelerators per week (infinity if unlimited)
  std::string bottleneck;                      // site name limiting capacity_bound_per_week ("" if unlimited)
  std::vector<SiteCapacity> sites;             // in topological order
};

// Precondition: check_network(scenario) is empty (throws std::invalid_argument on a cycle; other violations
// give meaningless numbers, not crashes). Throws std::invalid_argument for a malformed date.
//
// First unit: expected values (Dist means) of every duration, each site starting when its first inputs
// arrive (for each BOM input the earliest supplier, then the latest input), its release gate opens or its
// schedule starts. See critical_path.cpp for the per-kind rules.
//
// Capacity: each site's steady-state good output (last step of every schedule) is converted to accelerator
// equivalents; for every leaf component of the demand product's BOM a max-flow runs from the component's
// source sites to the datacenters through the sites that make it or anything made from it (site capacities
// on split in/out vertices, lanes unlimited). The bound is the smallest of these flows (first component in
// BOM order on ties); the bottleneck is the most upstream saturated site on the source-side minimum cut of
// that component (fewest lane hops from a source, then earliest in topological order). See capacity.cpp.
Analysis analyse(const scsim::Scenario& scenario);

// The network in Graphviz DOT: `digraph supply { … }`, one node per site (scenario order) labelled
// "name\ncompany · kind", one edge per lane (lane order) labelled "product\nmode · transit d", then dashed
// "release gate" edges from designs to the foundries that name them. Deterministic.
std::string to_dot(const scsim::Scenario& scenario);

}  // namespace scsim::network
