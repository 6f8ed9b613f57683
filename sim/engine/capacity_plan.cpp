#include "sim/engine/capacity_plan.hpp"

#include <algorithm>
#include <cmath>

namespace scsim::engine {

CapacityPlan::CapacityPlan(scenario::Schedule booked, scenario::CapacityTerms terms, double per_site_unit)
    : booked_(std::move(booked)), terms_(std::move(terms)), per_site_unit_(per_site_unit), allocated_(scenario::kWeek),
      used_(scenario::kWeek) {
  allocated_.set(0, 0);
}

CapacityPlan CapacityPlan::in_site_units(const scenario::Schedule& booked, scenario::CapacityTerms terms,
                                         double site_units_per_start) {
  auto to_starts = [site_units_per_start](scenario::Schedule schedule) {
    for (auto& step : schedule.steps) step.second /= site_units_per_start;
    return schedule;
  };
  if (terms.pool) {
    terms.pool->total_per_week = to_starts(terms.pool->total_per_week);
    for (auto& buyer : terms.pool->others) {
      buyer.demand_per_week = to_starts(buyer.demand_per_week);
      buyer.contracted_per_week = to_starts(buyer.contracted_per_week);
    }
  }
  return CapacityPlan(to_starts(booked), std::move(terms), site_units_per_start);
}

void CapacityPlan::draw(models::RandomStream& stream) {
  if (!terms_.pool) return;
  for (const auto& buyer : terms_.pool->others)
    other_factors_.push_back(std::max(0.0, models::sample(buyer.demand_factor, stream)));
}

double CapacityPlan::ramp(double now) const {
  // The volume ramp counts from this product's first start here; before it, the first start gets the ramp's
  // opening rate.
  if (terms_.ramp_days <= 0) return 1.0;
  const double age = first_start_ < 0 ? 0.0 : std::max(0.0, now - first_start_);
  const double f = terms_.ramp_start_fraction;
  return std::min(1.0, f + (1.0 - f) * age / terms_.ramp_days);
}

double CapacityPlan::rate(double now) const {
  if (now != asked_day_) {
    asked_rate_ = compute_rate(now);
    asked_day_ = now;
  }
  return asked_rate_;
}

double CapacityPlan::compute_rate(double now) const {
  if (now < available_from_) return 0.0;
  if (terms_.pool) return pool_rate_ * ramp(now);
  return booked_rate(now) * ramp(now);
}

double CapacityPlan::booked_rate(double now) const {
  if (!(now >= step_.from && now < step_.until)) step_ = booked_.step_at(now);
  return step_.rate;
}

double CapacityPlan::next_positive(double now) const {
  const double from = std::max(now, available_from_);
  if (terms_.pool) {
    // Allocations change at week boundaries.
    const double next_week = (std::floor(from / scenario::kWeek) + 1) * scenario::kWeek;
    return from > now && rate(from) > 0 ? from : next_week;
  }
  return booked_.next_positive(from);
}

void CapacityPlan::tick(double now, double demand) {
  if (terms_.pool) {
    const auto& pool = *terms_.pool;
    std::vector<models::PoolClaim> claims;
    // Ours first: what our orders ask for this week, up to what we booked (our order to the supplier never
    // exceeds the booking); the booking is also our contract.
    const double booked = booked_.rate_at(now);
    claims.push_back({std::clamp(demand, 0.0, booked), booked, pool.program_priority});
    for (std::size_t b = 0; b < pool.others.size(); ++b) {
      const auto& buyer = pool.others[b];
      claims.push_back({buyer.demand_per_week.rate_at(now) * other_factors_[b], buyer.contracted_per_week.rate_at(now),
                        buyer.priority});
    }
    const auto rule = pool.rule == scenario::CapacityPool::Rule::kPriority ? models::PoolRule::kPriority
                      : pool.rule == scenario::CapacityPool::Rule::kContractedMinimum
                          ? models::PoolRule::kContractedMinimum
                          : models::PoolRule::kProportional;
    pool_rate_ = now < available_from_ ? 0.0 : models::allocate(pool.total_per_week.rate_at(now), claims, rule)[0];
    asked_day_ = kNotAsked;
  }
  const double level = rate(now) * per_site_unit_;
  if (level != allocated_.level()) allocated_.set(now, level);
}

std::vector<double> CapacityPlan::unused_by_week(double end_day) {
  allocated_.finish(end_day);
  const auto& weeks = allocated_.averages();
  std::vector<double> unused(weeks.size());
  for (std::size_t w = 0; w < weeks.size(); ++w) {
    const double used = w < used_.values().size() ? used_.values()[w] * per_site_unit_ : 0.0;
    // A week's average rate per week is that week's capacity (the last week counts its part within the run).
    // Only what the booking binds: up to the end of the run and to reserved_until.
    const double until = std::min(end_day, terms_.reserved_until_day.value_or(end_day));
    const double part =
        std::clamp((until - static_cast<double>(w) * scenario::kWeek) / scenario::kWeek, 0.0, 1.0);
    unused[w] = std::max(0.0, weeks[w] * part - used);
  }
  return unused;
}

}  // namespace scsim::engine
