#include "sim/kinds/kind_support.hpp"

#include <algorithm>
#include <cmath>

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

double times(double x, double y) {
  return (std::isinf(x) && y == 0) ? 0.0 : x * y;
}

}  // namespace scsim::kinds
