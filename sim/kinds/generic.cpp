#include "sim/kinds/generic.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/config/field_checks.hpp"
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

std::optional<Kind::RouteLoad> GenericKind::route_load(const scenario::Site& site,
                                                       const std::vector<double>& supply_per_week) const {
  const auto& p = site.params_as<GenericParams>();
  if (p.stations.empty()) return std::nullopt;
  double lots = 0;
  if (site.role == scenario::Role::kSource) {
    if (p.release.policy == Policy::kSchedule)
      for (const auto& [day, rate] : p.release.lots_per_week.steps) lots = std::max(lots, rate);
    if (p.release.policy == Policy::kInterarrival) lots = scenario::kWeek / models::mean(p.release.interarrival_days);
  } else {
    // Lots a week the suppliers can deliver inputs for: a lot takes ceil(quantity × lot size) units of each
    // input, at least one (a quantity of 1e-308 still takes a unit).
    lots = scenario::kNever;
    for (const auto& input : site.inputs)
      lots = std::min(lots, supply_per_week[static_cast<std::size_t>(input.product)] /
                                std::ceil(input.quantity * static_cast<double>(p.lot_size)));
  }
  return RouteLoad{"generic.stations", &p.stations, lots};
}

double GenericKind::planned_lead_days(const scenario::Site& site) const {
  return route_days(site.params_as<GenericParams>().stations);
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
      case Policy::kSchedule:
        t.begin = p.release.lots_per_week.first_positive_day();
        break;
      case Policy::kInterarrival:
        t.begin = models::mean(p.release.interarrival_days);
        break;
      case Policy::kConwip:
      case Policy::kOrders:
        t.begin = 0.0;
        break;
      case Policy::kNone:
        t.begin = scenario::kNever;
        break;
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
  if (p.yield) production.make_yield = fraction_yield(*p.yield);
  if (site.role == scenario::Role::kSource)
    return std::make_unique<engine::SourceProcess>(site, context, std::move(production), p.release);
  engine::AssemblySetup assembly;
  assembly.batch_units = p.lot_size;
  assembly.planned_yield = own_yield(site);
  assembly.lead_days = planned_lead_days(site);
  return std::make_unique<engine::AssemblerProcess>(site, context, std::move(production), std::move(assembly));
}

void GenericKind::check(const google::protobuf::Message& message, const std::string& path, const std::string& product,
                        config::FieldChecks& c) const {
  const auto& generic = static_cast<const scsim::Generic&>(message);
  if (generic.stations_size() == 0) c.problem(join(path, "stations"), "at least one station is required");
  c.stations(join(path, "stations"), generic.stations());
  c.dist(join(path, "yield"), generic.has_yield(), generic.yield(), config::Range::kYield, false);
  c.at_least_one(join(path, "lot_size"), generic.lot_size(), 1000000000, "units");
  const bool is_source = c.has_product(product) && !c.product_has_bom(product);
  if (!c.has_product(product)) return;
  if (is_source && !generic.has_release()) {
    c.problem(join(path, "release"),
              fmt::format("is required: product '{}' has no bom, so this site is a source", product));
    return;
  }
  if (!is_source && generic.has_release()) {
    c.problem(join(path, "release"),
              fmt::format("an assembling site (product '{}' has a bom) takes no release", product));
    return;
  }
  if (!generic.has_release()) return;
  const auto& release = generic.release();
  const std::string r_path = join(path, "release");
  switch (release.policy_case()) {
    case scsim::Release::kLotsPerWeek:
      c.schedule(r_path + ".lots_per_week", true, release.lots_per_week());
      break;
    case scsim::Release::kInterarrivalDays:
      c.dist(r_path + ".interarrival_days", true, release.interarrival_days(), config::Range::kDuration, true);
      break;
    case scsim::Release::kConwipWipLots:
      c.at_least_one(r_path + ".conwip_wip_lots", release.conwip_wip_lots(), 100000,
                     "lots in the line at once; each is simulated on its own");
      break;
    case scsim::Release::kOrders:
      if (release.orders().initial_lots() < 0 || release.orders().initial_lots() > 100000)
        c.problem(
            r_path + ".orders.initial_lots",
            fmt::format("must be in [0, 100,000]: lots in the loop at once (got {})", release.orders().initial_lots()));
      break;
    case scsim::Release::POLICY_NOT_SET:
      c.problem(r_path, "needs a policy: one of lots_per_week, interarrival_days, conwip_wip_lots, orders");
      break;
  }
  if (release.max_lots() < 0) c.problem(r_path + ".max_lots", fmt::format("must be >= 0 (got {})", release.max_lots()));
}

void GenericKind::check_work(const google::protobuf::Message& message, const std::string& path,
                             config::FieldChecks& c) const {
  const auto& generic = static_cast<const scsim::Generic&>(message);
  if (!generic.has_release()) return;
  const auto& release = generic.release();
  const auto& stations = generic.stations();
  double lots = 0;
  if (release.has_lots_per_week())
    lots = c.schedule_lots(join(path, "release.lots_per_week"), release.lots_per_week(), 1, "");
  if (release.has_interarrival_days()) {
    lots = c.horizon_days() / config::expected(release.interarrival_days());
    c.check_lots(join(path, "release.interarrival_days"), lots, "lower the rate");
  }
  if (release.has_conwip_wip_lots() || release.has_orders()) {
    // All of the WIP starts at once; then the line releases as fast as its slowest station.
    double rate = std::numeric_limits<double>::infinity();
    for (const auto& station : stations)
      rate = std::min(rate, station.servers() / config::expected(station.process_time_days()));
    const double initial = release.has_orders() ? release.orders().initial_lots() : release.conwip_wip_lots();
    lots = initial + c.horizon_days() * rate;
  }
  c.station_work(join(path, "stations"), stations, lots);
}

}  // namespace scsim::kinds
