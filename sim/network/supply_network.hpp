// The supply network of a resolved scenario: checks, analysis and the edges
// the engine synchronises on.
//
//   check_network — graph-level problems (cycles without lookahead, lanes carrying the wrong product, missing
//                   BOM inputs, unreachable datacenters, zero-capacity sources, lane shares, dead ends, no
//                   datacenter, orders to a site that does not make to order).
//   analyse       — topological order, the expected critical path to the first installed unit, and the
//                   steady-state capacity bound of the whole chain (max-flow / min-cut) with its bottleneck.
//   sync_plan     — every edge between sites with its minimum delay (lookahead), the loops (strongly connected
//                   components) the engine runs as one actor each, and the order of sites at equal times.
//   to_dot        — the network in Graphviz DOT.
//
// All times are days from the scenario's start (day 0); all rates are per week. The per-kind rules
// (a site's output, first-unit timing, zero capacity) live in the kind modules (sim/kinds/).
#pragma once

#include <string>
#include <vector>

#include "sim/config/problem.hpp"
#include "sim/scenario/scenario.hpp"

namespace scsim {
class Scenario;
}

namespace scsim::network {

// Every problem, grouped by check in the order listed above, each with a field path of the file
// ("lanes[2].product", "sites[3]") and a lowercase message naming the offending values.
// The message is resolved first (references that do not resolve are left out: field validation reports them);
// lane shares are checked as written.
config::Problems check_network(const scsim::Scenario& message);

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

// Precondition: check_network(scenario) is empty.
//
// First unit: expected values (Dist means) of every duration, each site starting when its first inputs
// arrive (for each BOM input the earliest supplier, then the latest input), its release gate opens or its
// own plan starts (the kind decides: sim/kinds/*.cpp).
//
// Capacity: each site's steady-state good output (its kind's output_per_week) is converted to accelerator
// equivalents; for every leaf component of the demand product's BOM a max-flow runs from the component's
// source sites to the datacenters through the sites that make it or anything made from it (site capacities
// on split in/out vertices, lanes unlimited). The bound is the smallest of these flows (first component in
// BOM order on ties); the bottleneck is the most upstream saturated site on the source-side minimum cut of
// that component (fewest lane hops from a source, then earliest in topological order). See capacity.cpp.
Analysis analyse(const scenario::Scenario& scenario);
Analysis analyse(const scsim::Scenario& message);

// An edge the engine synchronises on: material (a lane), a release gate (design -> gated site), or orders
// (back up a lane whose source makes to order).
struct SyncEdge {
  enum class Kind { kLane, kGate, kOrder } kind = Kind::kLane;
  int from = 0, to = 0;   // site indices
  int lane = -1;          // scenario lane index for lanes and orders
  double min_delay = 0;   // days: nothing sent along it arrives sooner (its lookahead)
};

struct SyncPlan {
  std::vector<SyncEdge> edges;
  // Each site's loop: its strongly connected component, numbered by the smallest site index in it. Sites of
  // one component reach each other both ways (material down, orders up) and run as one actor; the edges
  // between components are acyclic.
  std::vector<int> component;
  // Each site's place in a topological order of the zero-delay edges (release gates, lanes that can arrive at
  // once): at equal times a site's senders over such edges go first.
  std::vector<int> rank;
};

// Precondition: no cycle without a positive minimum delay (check_network reports those).
SyncPlan sync_plan(const scenario::Scenario& scenario);

// The network in Graphviz DOT: `digraph supply { … }`, one node per site (file order) labelled
// "name\ncompany · kind", one edge per lane (file order) labelled "product\nmode · transit d", then dashed
// "release gate" edges from designs to the sites they gate, and dotted "orders" edges. Deterministic.
std::string to_dot(const scenario::Scenario& scenario);
std::string to_dot(const scsim::Scenario& message);

}  // namespace scsim::network
