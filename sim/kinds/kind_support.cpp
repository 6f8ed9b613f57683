#include "sim/kinds/kind_support.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include <set>

#include "sim/config/field_checks.hpp"
#include "sim/config/scenario.pb.h"
#include "sim/config/to_params.hpp"

namespace scsim::kinds {

scenario::Schedule to_schedule(const scsim::Schedule& schedule, const scenario::Scenario& scenario, double divisor) {
  scenario::Schedule out;
  for (const auto& step : schedule.steps())
    out.steps.emplace_back(scenario.day_of(step.from_date()), step.rate() / divisor);
  return out;
}

std::vector<engine::StationParams> to_stations(const google::protobuf::RepeatedPtrField<scsim::Station>& stations) {
  std::vector<engine::StationParams> out;
  for (const auto& s : stations) out.push_back({s.servers(), config::to_dist(s.process_time_days())});
  return out;
}

std::function<std::unique_ptr<engine::OutputYield>(models::RandomStream&)> fraction_yield(
    const models::Dist& fraction) {
  return [&fraction](models::RandomStream& stream) -> std::unique_ptr<engine::OutputYield> {
    return std::make_unique<engine::FractionGood>(std::clamp(models::sample(fraction, stream), 0.0, 1.0));
  };
}

engine::ReleasePlan scheduled_release(const scenario::Schedule& units_per_week, int lot_size, const char* metric) {
  engine::ReleasePlan plan;
  plan.policy = engine::ReleasePlan::Policy::kSchedule;
  plan.units_per_lot = lot_size;
  plan.lots_per_week = units_per_week;
  for (auto& step : plan.lots_per_week.steps) step.second /= lot_size;
  plan.release_metric = metric;
  return plan;
}

double route_days(const std::vector<engine::StationParams>& stations) {
  double total = 0;
  for (const auto& station : stations) total += models::mean(station.process_time_days);
  return total;
}

double route_units_per_week(const std::vector<engine::StationParams>& stations, double lot_size) {
  double rate = scenario::kNever;
  for (const auto& station : stations) {
    const double days = models::mean(station.process_time_days);
    if (days > 0) rate = std::min(rate, station.servers * lot_size * scenario::kWeek / days);
  }
  return rate;
}

scenario::CapacityTerms to_capacity_terms(const scsim::CapacityTerms& terms, const scenario::Scenario& scenario) {
  scenario::CapacityTerms out;
  if (terms.has_booking_date()) out.booking_day = scenario.day_of(terms.booking_date());
  out.take_or_pay_fraction = terms.take_or_pay_fraction();
  out.ramp_days = terms.ramp_days();
  out.ramp_start_fraction = terms.ramp_start_fraction();
  out.prepayment_usd = terms.prepayment_usd();
  if (terms.has_reserved_until_date()) out.reserved_until_day = scenario.day_of(terms.reserved_until_date());
  if (terms.has_pool()) {
    const auto& pool = terms.pool();
    scenario::CapacityPool p;
    p.total_per_week = to_schedule(pool.total_per_week(), scenario);
    for (const auto& b : pool.other_buyers())
      p.others.push_back({b.name(), to_schedule(b.demand_per_week(), scenario), config::to_dist(b.demand_factor(), 1.0),
                          to_schedule(b.contracted_per_week(), scenario), b.priority()});
    p.rule = pool.rule() == scsim::CapacityPool::PRIORITY             ? scenario::CapacityPool::Rule::kPriority
             : pool.rule() == scsim::CapacityPool::CONTRACTED_MINIMUM ? scenario::CapacityPool::Rule::kContractedMinimum
                                                                      : scenario::CapacityPool::Rule::kProportional;
    p.program_priority = pool.program_priority();
    out.pool = std::move(p);
  }
  return out;
}

namespace {
// The rate a schedule message gives on "YYYY-MM-DD" (dates compare as strings), 0 before its first step.
double rate_on(const scsim::Schedule& schedule, const std::string& date) {
  double rate = 0;
  for (const auto& step : schedule.steps())
    if (step.from_date() <= date) rate = step.rate();
  return rate;
}
}  // namespace

void check_capacity_terms(const std::string& path, const scsim::CapacityTerms& terms, const std::string& own_path,
                          const scsim::Schedule& own, config::FieldChecks& c) {
  if (terms.has_booking_date()) c.date(join(path, "booking_date"), terms.booking_date());
  c.probability(join(path, "take_or_pay_fraction"), terms.take_or_pay_fraction());
  c.days(join(path, "ramp_days"), terms.ramp_days(), false);
  if (!(terms.ramp_start_fraction() > 0 && terms.ramp_start_fraction() <= 1))
    c.problem(join(path, "ramp_start_fraction"), fmt::format("must be in (0, 1] (got {:g})", terms.ramp_start_fraction()));
  c.non_negative(join(path, "prepayment_usd"), terms.prepayment_usd(), config::kMaxUsd * 1000, "USD");
  if (terms.has_reserved_until_date()) {
    c.date(join(path, "reserved_until_date"), terms.reserved_until_date());
    if (terms.has_booking_date() && terms.reserved_until_date() < terms.booking_date())
      c.problem(join(path, "reserved_until_date"),
                fmt::format("is before booking_date {} (got {})", terms.booking_date(), terms.reserved_until_date()));
  }
  if (!terms.has_pool()) return;
  const auto& pool = terms.pool();
  const std::string pool_path = join(path, "pool");
  if (!pool.has_total_per_week()) {
    c.problem(join(pool_path, "total_per_week"), "is required: the supplier's total capacity");
    return;
  }
  c.schedule(join(pool_path, "total_per_week"), true, pool.total_per_week());
  if (pool.program_priority() < 0)
    c.problem(join(pool_path, "program_priority"), fmt::format("must be >= 0 (got {})", pool.program_priority()));
  std::set<std::string> names;
  for (int b = 0; b < pool.other_buyers_size(); ++b) {
    const auto& buyer = pool.other_buyers(b);
    const std::string b_path = fmt::format("{}.other_buyers[{}]", pool_path, b);
    c.name(join(b_path, "name"), buyer.has_name(), buyer.name(), "buyer", names);
    c.schedule(join(b_path, "demand_per_week"), buyer.has_demand_per_week(), buyer.demand_per_week());
    c.dist(join(b_path, "demand_factor"), buyer.has_demand_factor(), buyer.demand_factor(), config::Range::kPositive,
           false);
    if (buyer.has_contracted_per_week())
      c.schedule(join(b_path, "contracted_per_week"), true, buyer.contracted_per_week());
    if (buyer.priority() < 0) c.problem(join(b_path, "priority"), fmt::format("must be >= 0 (got {})", buyer.priority()));
  }
  // The reservation (the site's own schedule) must fit within the pool on every date either changes.
  std::vector<std::string> dates;
  for (const auto& step : own.steps()) dates.push_back(step.from_date());
  for (const auto& step : pool.total_per_week().steps()) dates.push_back(step.from_date());
  std::sort(dates.begin(), dates.end());
  for (const auto& date : dates) {
    const double reserved = rate_on(own, date), total = rate_on(pool.total_per_week(), date);
    if (reserved > total) {
      c.problem(own_path, fmt::format("the reservation of {:g} per week from {} exceeds its pool's total_per_week of "
                                      "{:g} then ({})",
                                      reserved, date, total, join(pool_path, "total_per_week")));
      break;
    }
  }
}

engine::OrderedSourceSetup ordered_source(const Kind& kind, const scenario::Site& site,
                                          const scenario::Schedule& booked, const scenario::CapacityTerms& terms,
                                          int lot_size, const char* metric, double capacity_unit_cost_usd) {
  engine::OrderedSourceSetup ordered;
  ordered.units_per_lot = lot_size;
  ordered.release_metric = metric;
  ordered.capacity = engine::CapacityPlan::in_site_units(booked, terms, lot_size);
  ordered.planned_good_per_unit = kind.planned_good_per_unit(site);
  ordered.lead_days = kind.planned_lead_days(site);
  ordered.capacity_unit_cost_usd = capacity_unit_cost_usd;
  return ordered;
}

bool program_only(const std::string& path, bool set, config::FieldChecks& c) {
  if (!set || c.has_program()) return set;
  c.problem(path, "is read only under a program: add `program { }` to the scenario");
  return false;
}

double times(double x, double y) {
  return (std::isinf(x) && y == 0) ? 0.0 : x * y;
}

}  // namespace scsim::kinds
