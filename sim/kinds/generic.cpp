#include "sim/kinds/generic.hpp"

#include <algorithm>

#include "sim/config/scenario.pb.h"
#include "sim/config/to_params.hpp"
#include "sim/engine/assembler_process.hpp"
#include "sim/kinds/kind_support.hpp"

namespace scsim::kinds {

using Policy = engine::ReleasePlan::Policy;

std::shared_ptr<const scenario::KindParams> GenericKind::resolve(const google::protobuf::Message& message,
                                                                 ResolveContext& context) const {
  const auto& g = static_cast<const scsim::Generic&>(message);
  auto p = std::make_shared<GenericParams>();
  p->stations = to_stations(g.stations());
  p->lot_size = g.lot_size();
  if (g.has_yield()) p->yield = config::to_dist(g.yield());
  p->has_release = g.has_release();
  auto& plan = p->release;
  plan.units_per_lot = g.lot_size();
  if (g.has_release()) {
    const auto& r = g.release();
    plan.max_lots = r.max_lots();
    switch (r.policy_case()) {
      case scsim::Release::kLotsPerWeek:
        plan.policy = Policy::kSchedule;
        plan.lots_per_week = to_schedule(r.lots_per_week(), *context.scenario);
        break;
      case scsim::Release::kInterarrivalDays:
        plan.policy = Policy::kInterarrival;
        plan.interarrival_days = config::to_dist(r.interarrival_days());
        break;
      case scsim::Release::kConwipWipLots:
        plan.policy = Policy::kConwip;
        plan.conwip_lots = r.conwip_wip_lots();
        break;
      case scsim::Release::kOrders:
        plan.policy = Policy::kOrders;
        plan.initial_lots = r.orders().initial_lots();
        break;
      case scsim::Release::POLICY_NOT_SET:
        break;
    }
  }
  return p;
}

double GenericKind::own_yield(const scenario::Site& site) const {
  const auto& p = site.params_as<GenericParams>();
  return p.yield ? models::mean(*p.yield) : 1.0;
}

double GenericKind::output_per_week(const scenario::Site& site) const {
  // Slowest station; for a source also the release rate (CONWIP and orders are not rate limits).
  const auto& p = site.params_as<GenericParams>();
  double rate = route_units_per_week(p.stations, p.lot_size);
  if (site.role == scenario::Role::kSource) {
    switch (p.release.policy) {
      case Policy::kSchedule:
        rate = std::min(rate, p.release.lots_per_week.last_rate() * p.lot_size);
        break;
      case Policy::kInterarrival: {
        const double days = models::mean(p.release.interarrival_days);
        if (days > 0) rate = std::min(rate, p.lot_size * scenario::kWeek / days);
        break;
      }
      case Policy::kConwip:
      case Policy::kOrders:
        break;
      case Policy::kNone:
        rate = 0;
        break;
    }
  }
  return times(rate, own_yield(site));
}

FirstUnit GenericKind::first_unit(const scenario::Site& site, const FirstUnitInputs& inputs) const {
  const auto& p = site.params_as<GenericParams>();
  FirstUnit t;
  if (site.role == scenario::Role::kSource) {
    switch (p.release.policy) {
      case Policy::kSchedule: t.begin = p.release.lots_per_week.first_positive_day(); break;
      case Policy::kInterarrival: t.begin = models::mean(p.release.interarrival_days); break;
      case Policy::kConwip:
      case Policy::kOrders: t.begin = 0.0; break;
      case Policy::kNone: t.begin = scenario::kNever; break;
    }
  } else {
    t.begin = inputs.kit_arrival;
    t.bound_by = FirstUnit::BoundBy::kKit;
  }
  t.ready = t.begin + route_days(p.stations);
  return t;
}

std::optional<SiteProblem> GenericKind::zero_capacity(const scenario::Site& site, const std::string& product) const {
  const auto& p = site.params_as<GenericParams>();
  if (site.role != scenario::Role::kSource) return std::nullopt;
  if (!p.has_release || p.release.policy == Policy::kNone)
    return SiteProblem{"generic.release", "no release is set to make '" + product + "' from scratch"};
  if (p.release.policy == Policy::kSchedule && !p.release.lots_per_week.has_positive_step())
    return SiteProblem{"generic.release.lots_per_week", "lots_per_week has no step with rate > 0"};
  return std::nullopt;
}

std::unique_ptr<engine::SiteProcess> GenericKind::make_process(const scenario::Site& site,
                                                               const engine::ProcessContext& context) const {
  const auto& p = site.params_as<GenericParams>();
  engine::ProductionSetup production;
  production.stations = p.stations;
  if (p.yield)
    production.make_yield = [&p](models::RandomStream& stream) -> std::unique_ptr<engine::OutputYield> {
      return std::make_unique<engine::FractionGood>(std::clamp(models::sample(*p.yield, stream), 0.0, 1.0));
    };
  if (site.role == scenario::Role::kSource)
    return std::make_unique<engine::SourceProcess>(site, context, std::move(production), p.release);
  engine::AssemblySetup assembly;
  assembly.batch_units = p.lot_size;
  return std::make_unique<engine::AssemblerProcess>(site, context, std::move(production), std::move(assembly));
}

}  // namespace scsim::kinds
