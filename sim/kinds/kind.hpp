// One module per site kind. A kind owns everything that differs between
// kinds: how its schema message becomes parameters (with defaults), its role,
// its steady-state output and first-unit timing for the network analysis, the
// problems that leave it without capacity, and the engine process that runs
// it. Everything else (graph, max-flow, critical-path walk, lanes, windows,
// statistics) is shared and never asks "which kind is this?".
//
// Adding a kind: its schema message in sim/config/scenario.proto (a member of
// Site's `kind` oneof), one file pair here deriving from Kind, and one line in
// registry.cpp.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace google::protobuf {
class Message;
}

namespace scsim::config {
class FieldChecks;
}

namespace scsim::engine {
struct StationParams;
class SiteProcess;
struct ProcessContext;
}  // namespace scsim::engine

namespace scsim::kinds {

// What a kind's resolve() can read besides its own message.
struct ResolveContext {
  const scenario::Scenario* scenario = nullptr;  // start date; products (names, BOMs) are resolved
  int product = -1;                              // the site's product (-1 for design sites)
  bool product_has_bom = false;
  // Out: the design site (by name) whose production release gates this site's starts, if any.
  std::string gated_by;
};

// The facts about a site's first unit the shared walk hands to its kind.
struct FirstUnitInputs {
  double kit_arrival = scenario::kNever;   // latest over inputs of the earliest arrival (kNever: no inputs)
  double gate_release = scenario::kNever;  // production release of the gating design (kNever: not gated)
  double gate_tapeout = scenario::kNever;  // its tape-out and first working silicon (program: ports, risk starts)
  double gate_silicon = scenario::kNever;
  bool program = false;                    // the scenario has a program (bookings, risk starts, ports apply)
};

// A stage of the critical path owned by a kind (e.g. a datacenter's building).
struct ExtraStage {
  std::string name;
  std::string kind;
  double start_day = 0;
  double end_day = 0;
};

struct FirstUnit {
  enum class BoundBy { kOwn, kKit, kGate };
  double begin = scenario::kNever;  // when it can start on its first unit
  double ready = scenario::kNever;  // when that first good unit is ready to ship (installed, for datacenters)
  BoundBy bound_by = BoundBy::kOwn;
  std::optional<ExtraStage> extra;  // shown before this site on the critical path
  double tapeout = scenario::kNever;  // design sites: expected tape-out and first working silicon
  double silicon = scenario::kNever;
};

// A problem found by a kind, relative to the site ("foundry.wafer_starts_per_week").
struct SiteProblem {
  std::string field;
  std::string message;
};

class Kind {
 public:
  virtual ~Kind() = default;

  // The name of its member in Site's `kind` oneof, also used in reports ("foundry").
  virtual std::string_view name() const = 0;
  virtual scenario::Role role(bool product_has_bom) const = 0;

  // --- validation of its own schema message (before anything is resolved) ---
  // Whether the site's product must have a bill of materials (assemblers), must not (made from
  // raw_material()), or either.
  enum class Bom { kEither, kRequired, kForbidden };
  virtual Bom bom() const { return Bom::kEither; }
  virtual std::string_view raw_material() const { return "scratch"; }
  // Field-level problems of `message` (at `path`, e.g. "sites[2].foundry"); `product` is the site's product.
  virtual void check(const google::protobuf::Message& message, const std::string& path, const std::string& product,
                     config::FieldChecks& checks) const = 0;
  // The work a replication would do for this site, refused up front when too much (asked only when every
  // field is fine).
  virtual void check_work(const google::protobuf::Message&, const std::string&, config::FieldChecks&) const {}

  // `message` is the kind's own schema message (e.g. scsim.Foundry), validated, defaults applied.
  virtual std::shared_ptr<const scenario::KindParams> resolve(const google::protobuf::Message& message,
                                                              ResolveContext& context) const = 0;
  // What arrives by lane and is consumed per unit of the site's product: by default the product's bill of
  // materials for assemblers and nothing otherwise.
  virtual std::vector<scenario::Input> inputs(int product, const std::vector<scenario::Input>& bom) const;
  // Releases lots to its customers' orders (and so needs lanes that carry them back).
  virtual bool makes_to_order(const scenario::Site&) const { return false; }
  // The delay between the gating design's release and this site's first start, if it is gated.
  virtual std::optional<models::Dist> gate_delay(const scenario::Site&) const { return std::nullopt; }
  // The qualification a source of this kind must pass at `customer` before its goods are accepted there.
  virtual std::optional<scenario::Qualification> qualification_at(const scenario::Site&,
                                                                  const std::string& customer) const {
    (void)customer;
    return std::nullopt;
  }

  // --- network analysis (expected values) ---
  // Good units of the site's product per week at steady state (infinity when unlimited).
  virtual double output_per_week(const scenario::Site& site) const = 0;
  // Fraction of the units this site processes that come out good (1 where yield lives elsewhere).
  virtual double own_yield(const scenario::Site&) const { return 1.0; }
  // --- program planning (expected values) ---
  // Days from starting a unit to its good output, planned (mean cycle; waits for capacity excluded).
  virtual double planned_lead_days(const scenario::Site&) const { return 0.0; }
  // A source's good units of product per started unit (wafer, lot unit) at mean yields.
  virtual double planned_good_per_unit(const scenario::Site&) const { return 1.0; }
  // The price of one good unit of the site's product bought here, USD (yield losses included), for the
  // budget's planned cost per accelerator; 0 where nothing is priced.
  virtual double planned_unit_cost_usd(const scenario::Site&) const { return 0.0; }
  // Fixed costs the site's kind knows in advance, (expected day, USD): design NRE, ports, datacenter capex.
  virtual std::vector<std::pair<double, double>> planned_fixed_costs(const scenario::Site&) const { return {}; }
  // How the program holds this site's capacity, if it holds any.
  virtual const scenario::CapacityTerms* capacity_terms(const scenario::Site&) const { return nullptr; }
  virtual FirstUnit first_unit(const scenario::Site& site, const FirstUnitInputs& inputs) const = 0;
  // The station route this site's lots queue for and how many lots a week arrive at it at most (from its own
  // plan, or for an assembler from `supply_per_week`: good units per week its suppliers can send it, by
  // product), if it has a route. Validation refuses a route so overloaded that its queue cannot be simulated.
  struct RouteLoad {
    std::string field;  // the route's field, relative to the site ("generic.stations")
    const std::vector<engine::StationParams>* stations = nullptr;
    double lots_per_week = 0;
  };
  virtual std::optional<RouteLoad> route_load(const scenario::Site&, const std::vector<double>& supply_per_week) const {
    (void)supply_per_week;
    return std::nullopt;
  }
  // Why this site cannot make anything at all, if so (only asked of sites that feed the demand).
  virtual std::optional<SiteProblem> zero_capacity(const scenario::Site&, const std::string& product) const {
    (void)product;
    return std::nullopt;
  }

  // --- engine ---
  virtual std::unique_ptr<engine::SiteProcess> make_process(const scenario::Site& site,
                                                            const engine::ProcessContext& context) const = 0;
};

// The kind registered under `name` (a Site oneof member), or nullptr.
const Kind* find_kind(std::string_view name);
// Every registered kind, in registration order.
const std::vector<const Kind*>& all_kinds();

}  // namespace scsim::kinds
