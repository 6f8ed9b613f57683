// The program's build plan at one datacenter campus, and the orders it sends
// up its supplying lanes (MRP). Plain C++, no knowledge of the future: the
// plan uses expected dates and rates (the campus's buildings, the chain's
// first delivery and capacity), and reacts only to deliveries seen so far.
//
//   plan(D)  = min(target, slots energized by D, rough-cut supply by D)
//              — cumulative units wanted delivered here by day D;
//              BUILD_AHEAD plans weeks_of_supply of it earlier.
//   review t — for each lane, the orders due by t + its lead (order travel +
//              transits + planned lead times down the longest chain behind it)
//              + one review period are placed now: share × plan, capped by
//              the rough-cut supply of the chain behind the lane, − placed.
//   top-up — once the plan is all ordered, every order is late_grace_days
//              past due and nothing has arrived for as long, the shortfall
//              to the target is ordered again (up the lane with the largest share).
//   rebalance (SHIFT_LATE_ORDERS) — what a lane is more than late_grace_days
//              late on is cancelled there and ordered on the other lanes,
//              within their spare capacity (capacity × lead − open orders).
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "sim/engine/spend_book.hpp"
#include "sim/scenario/scenario.hpp"

namespace scsim::engine {

struct PlanLane {
  int lane = -1;                // scenario lane index (into the campus)
  int supplier = -1;            // its source site
  double share = 1;             // of the campus's orders
  double lead_days = 0;         // order placed here -> delivered here, planned
  double order_days = 0;        // up this lane
  double capacity_per_week = 0; // planned capacity of the chain behind it, units per week
};

struct PlanInputs {
  scenario::Program program;
  double target_units = 0;       // this campus's part of the demand
  double first_arrival_day = 0;  // expected first delivery here
  double supply_per_week = 0;    // the chain's expected capacity for this campus, units per week
  double ramp_days = 0;          // the chain's new-product ramp from its first delivery
  double ramp_start_fraction = 1;
  std::vector<std::pair<double, double>> slots;  // (expected energized day, accelerator slots) per building
  std::vector<PlanLane> lanes;
  // Budget: the cap, the chain's planned cost per accelerator ordered, the calendar years (their ends, days)
  // and the fixed costs known in advance that come off the cap first (per year, and in all).
  scenario::Budget budget;
  double cost_per_accelerator = 0;
  Years years;                       // the replication's calendar years (empty without a budget)
  std::vector<double> fixed_by_year;
  double fixed_total = 0;
};

// What the budget did to the plan.
struct BudgetEffect {
  double bound_day = -1;     // first review at which it held an order back (-1: never)
  double deferred_units = 0; // the most accelerators it held back at once for a later year's budget
  double cut_units = 0;      // accelerators the plan gave up
};

class ProgramPlanner {
 public:
  explicit ProgramPlanner(PlanInputs inputs);

  struct Placed {
    std::size_t lane;  // index into inputs().lanes
    double units;      // negative: a cancellation
    double due_day;
  };
  // The orders to send at this review (`now` increases from call to call).
  std::vector<Placed> review(double now);
  void delivered(int lane, double units, double now);
  // Cumulative units the plan wants delivered here by `day` (before BUILD_AHEAD's shift).
  double plan(double day) const;
  const PlanInputs& inputs() const { return in_; }
  const BudgetEffect& budget_effect() const { return budget_; }

 private:
  double supply(double day) const;
  double supply_at(double day, double per_week) const;
  // How many of `units` accelerators ordered now the budget lets through (all when there is no budget).
  double affordable(double now, double units);

  PlanInputs in_;
  struct LaneState {
    double placed = 0, delivered = 0, moved_in = 0, moved_out = 0;
    std::vector<std::pair<double, double>> due;  // (due day, units) still counted as open, in order placed
  };
  std::vector<LaneState> state_;
  double delivered_total_ = 0, last_delivery_ = 0, last_top_up_ = -scenario::kNever;
  BudgetEffect budget_;
  double committed_total_ = 0;
  std::vector<double> committed_by_year_;
  double held_ = 0;  // accelerators held back at this review
};

}  // namespace scsim::engine
