// The resolved scenario: what the loader's validated protobuf message means,
// as plain C++ built once (sim/config/resolve.cpp). Network analysis, the
// engine and the command line's tables read these structs; protobuf stays at
// the edges (loading, resolved.textproto, result files).
//
// Everything here is canonical: sites are in topological order of material
// and gates (ties by name), lanes by (source, destination, name), so nothing
// downstream depends on the order in which a file lists them. Days count from
// the scenario's start date; rates are per week.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/distribution.hpp"

namespace scsim::kinds {
class Kind;
}

namespace scsim::scenario {

inline constexpr double kNever = std::numeric_limits<double>::infinity();
inline constexpr double kWeek = 7.0;

// A rate that changes on given days; 0 before the first step.
struct Schedule {
  std::vector<std::pair<double, double>> steps;  // (from_day, rate per week), days increasing

  bool empty() const { return steps.empty(); }
  double rate_at(double day) const;  // step_at(day).rate
  // The step in force on `day` (the last one from on or before it; rate 0 before the first) and the days it
  // covers, [from, until): a caller asking day after day rescans only when `day` leaves them.
  struct Step {
    double rate, from, until;
  };
  Step step_at(double day) const {
    Step step{0, -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
    for (const auto& [from, value] : steps) {
      if (from > day) {
        step.until = from;
        break;
      }
      step.rate = value;
      step.from = from;
    }
    return step;
  }
  // First day >= `day` with a positive rate (kNever if none).
  double next_positive(double day) const;
  // The steady-state rate: the last step's (0 when empty).
  double last_rate() const { return steps.empty() ? 0.0 : steps.back().second; }
  // First day with a positive rate, never before day 0 (kNever if none).
  double first_positive_day() const;
  bool has_positive_step() const;
};

// What a site does with material, which decides its engine process.
enum class Role {
  kDesign,      // no material: a design program whose release gates volume starts
  kSource,      // makes its product from scratch (wafers, lots)
  kAssembler,   // consumes inputs by lane (a bill of materials) and makes its product
  kDatacenter,  // installs its product into powered slots
};

struct Input {
  int product = -1;     // index into Scenario::products
  double quantity = 1;  // units per unit of output, before yield loss (> 0)
};

struct Product {
  std::string name;
  std::string unit;
  std::vector<Input> bom;  // repeated lines merged into one (quantities added), first order kept
};

// Per-kind parameters: each kind module defines its own struct deriving from
// this (sim/kinds/*.hpp) and reads it back with Site::params_as<T>().
struct KindParams {
  virtual ~KindParams() = default;
};

struct Site {
  std::string name;
  std::string company;
  std::string region;
  int file_index = 0;                 // position in the file, for field paths in messages ("sites[3]")
  const kinds::Kind* kind = nullptr;  // the module that owns this kind's rules
  Role role = Role::kSource;
  int product = -1;           // made (or installed); -1 for design sites
  std::vector<Input> inputs;  // what arrives by lane and is consumed per unit of product
  int gated_by = -1;          // design site whose production release gates its starts (-1: none)
  std::shared_ptr<const KindParams> params;

  template <typename P>
  const P& params_as() const {
    return static_cast<const P&>(*params);
  }
};

// A supplier's qualification at the lane's customer: nothing is accepted
// before it passes. Counted from the supplier's first shipment there.
struct Qualification {
  models::Dist duration_days = models::Fixed{0};
  double slip_probability = 0;
  models::Dist slip_days = models::Fixed{0};
  std::optional<double> start_day;  // on samples from this day (unset: from the first shipment)
};

// How a program holds a supplier's capacity (scsim.CapacityTerms): rates in
// the site's own schedule units per week.
struct CapacityPool {
  enum class Rule { kProportional, kContractedMinimum, kPriority };
  struct Buyer {
    std::string name;
    Schedule demand_per_week;
    models::Dist demand_factor = models::Fixed{1};
    Schedule contracted_per_week;
    int priority = 0;
  };
  Schedule total_per_week;
  std::vector<Buyer> others;
  Rule rule = Rule::kProportional;
  int program_priority = 1;
};

struct CapacityTerms {
  std::optional<double> booking_day;  // the allocation wait runs from here (unset: from first need)
  double take_or_pay_fraction = 1;
  double ramp_days = 0;  // from the product's first start at the site to full rate
  double ramp_start_fraction = 0.25;
  std::optional<CapacityPool> pool;
  double prepayment_usd = 0;  // paid on the booking date; later purchases draw it down
  std::optional<double> reserved_until_day;  // take-or-pay bills unused capacity before it (unset: horizon)
};

// The build plan that drives orders (scsim.Program); enabled only when the scenario sets one.
struct Program {
  enum class Policy { kPlanDriven, kBuildAhead };
  enum class Rebalance { kKeepShares, kShiftLateOrders };
  bool enabled = false;
  Policy policy = Policy::kPlanDriven;
  double weeks_of_supply = 8;
  double review_days = 7;
  Rebalance rebalance = Rebalance::kKeepShares;
  double late_grace_days = 56;
  double order_days = 1;
};

struct Lane {
  std::string name;
  int file_index = 0;
  int from = -1, to = -1;  // site indices
  int product = -1;
  std::string mode;  // "TRUCK", "AIR", "SEA", "INTERNAL"
  double share = 1;  // of the source's output of `product` (unset shares split what is left)
  models::Dist transit_days = models::Fixed{0};
  double cadence_days = 0;  // 0: ship each batch when ready
  std::optional<Qualification> qualification;
  // Orders travel back up this lane (from `to` to `from`) and take this long:
  // the lookahead of the order edge. 0 when the source does not release to orders.
  double order_days = 0;
  // Program: share of the customer's orders of this product placed up this lane.
  double order_share = 1;
};

struct Disruption {
  std::string name;
  std::vector<int> sites;           // sites it hits (by target or region)
  std::vector<int> lanes;           // lanes it hits
  std::optional<double> start_day;  // scheduled; else random at rate_per_year
  double rate_per_year = 0;
  models::Dist duration_days = models::Fixed{0};
  double capacity_factor = 0;
  double scrap_fraction = 0;
};

struct Demand {
  int product = -1;               // -1: no datacenter installs anything
  std::int64_t target_units = 0;  // 0: no target
  std::string due_date;           // "" when not given
};

// How money is reported and capped (scsim.Money, scsim.Budget).
struct Money {
  double discount_rate_per_year = 0;
};
struct Budget {
  enum class Rule { kDefer, kCut };
  std::optional<double> total_usd, per_year_usd;
  Rule rule = Rule::kDefer;
  bool any() const { return total_usd || per_year_usd; }
};

struct Scenario {
  std::string name;
  std::string description;
  std::string start_date;
  double horizon_days = 0;
  std::uint64_t seed = 1;
  int replications = 1;
  std::vector<Product> products;
  std::vector<Site> sites;
  std::vector<Lane> lanes;
  std::vector<Disruption> disruptions;
  Demand demand;
  Program program;
  Money money;
  Budget budget;

  // Index of the site with this name, or -1.
  int site_index(const std::string& site_name) const;
  const std::string& product_name(int product) const;
  // Units of `product` consumed per unit of site `site`'s output (0 when it does not use it).
  double input_quantity(int site, int product) const;
  // Days from the start date to "YYYY-MM-DD" (throws std::invalid_argument when malformed).
  double day_of(const std::string& date) const;
  std::string date_of(double day) const;
};

}  // namespace scsim::scenario
