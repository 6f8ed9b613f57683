// The capacity a program holds at a supplier, week by week: the booked
// schedule (in the site's start units per week), available once the
// allocation wait from the booking is over, scaled by the new-product ramp
// from the product's first start there, or, when the supplier's capacity is a
// pool, this program's allocation from it. Records the `allocated` series and
// what take-or-pay bills for unused capacity. Plain C++.
#pragma once

#include <vector>

#include "models/capacity_pool.hpp"
#include "models/random_stream.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/stats/series.hpp"

namespace scsim::engine {

class CapacityPlan {
 public:
  // `booked` and the pool's schedules are in start units per week; `per_site_unit` converts a start unit to
  // the site's own capacity unit for the series (e.g. 25 wafers per lot).
  CapacityPlan(scenario::Schedule booked, scenario::CapacityTerms terms, double per_site_unit);
  CapacityPlan() : CapacityPlan({}, {}, 1.0) {}
  // A plan from schedules in the site's own unit (wafers, interposer wafers per week), started in units of
  // `site_units_per_start` of it (25 wafers per lot; 1/15 interposer wafer per package).
  static CapacityPlan in_site_units(const scenario::Schedule& booked, scenario::CapacityTerms terms,
                                    double site_units_per_start);

  // Replication draws (other buyers' demand factors), from the site's stream in a fixed order.
  void draw(models::RandomStream& stream);
  const scenario::CapacityTerms& terms() const { return terms_; }

  // The booking's allocation wait ends on this day (it is counted from the booking date).
  void set_available_from(double day) {
    available_from_ = day;
    asked_day_ = kNotAsked;
  }
  double available_from() const { return available_from_; }
  void note_first_start(double day) {
    if (first_start_ >= 0) return;
    first_start_ = day;
    asked_day_ = kNotAsked;
  }

  // Start units per week this program may start now.
  double rate(double now) const;
  // The next day after `now` the rate may change from zero (kNever when it never will).
  double next_positive(double now) const;
  // A new week: the pool allocates among the buyers' demands (ours: `demand` start units this week).
  void tick(double now, double demand);
  // A start of `units` start units now (for take-or-pay).
  void used(double now, double units) { used_.add(now, units); }

  // Weekly `allocated` in the site's unit (a level), and per week the capacity allocated and not used while the
  // booking binds (site units), for take-or-pay.
  stats::LevelSeries& allocated_series() { return allocated_; }
  std::vector<double> unused_by_week(double end_day);

 private:
  double ramp(double now) const;
  double compute_rate(double now) const;
  // booked_.rate_at(now), from the step found last while `now` stays within it.
  double booked_rate(double now) const;

  scenario::Schedule booked_;
  scenario::CapacityTerms terms_;
  double per_site_unit_;
  std::vector<double> other_factors_;
  double available_from_ = 0, first_start_ = -1;
  double pool_rate_ = 0;  // this week's allocation when pooled
  stats::LevelSeries allocated_;
  stats::FlowSeries used_;
  // The last answer of rate(): a release loop asks again for every lot it starts on the same day (a schedule
  // scan and the ramp each time). Forgotten whenever what the rate depends on changes.
  static constexpr double kNotAsked = -1e300;
  mutable double asked_day_ = kNotAsked, asked_rate_ = 0;
  // The booked step found last (the schedule never changes); none yet: an empty range.
  mutable scenario::Schedule::Step step_{0, 1, 0};
};

}  // namespace scsim::engine
