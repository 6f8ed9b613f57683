#include "sim/kinds/packaging.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/config/field_checks.hpp"
#include "sim/config/scenario.pb.h"
#include "sim/config/to_params.hpp"
#include "sim/engine/assembler_process.hpp"
#include "sim/kinds/kind_support.hpp"

namespace scsim::kinds {

std::shared_ptr<const scenario::KindParams> PackagingKind::resolve(const google::protobuf::Message& message,
                                                                   ResolveContext& context) const {
  const auto& m = static_cast<const scsim::Packaging&>(message);
  auto p = std::make_shared<PackagingParams>();
  p->capacity_limited = m.has_interposer_wafers_per_week();
  p->interposer_wafers_per_week = to_schedule(m.interposer_wafers_per_week(), *context.scenario);
  p->packages_per_interposer_wafer = m.packages_per_interposer_wafer();
  p->assembly_yield = config::to_dist(m.assembly_yield(), 1.0);
  p->queue_days = config::to_dist(m.queue_days());
  p->cycle_time_days = config::to_dist(m.cycle_time_days());
  p->batch_size = m.batch_size();
  p->package_cost_usd = m.package_cost_usd();
  p->capacity = to_capacity_terms(m.capacity(), *context.scenario);
  return p;
}

double PackagingKind::planned_lead_days(const scenario::Site& site) const {
  return models::mean(site.params_as<PackagingParams>().cycle_time_days);
}

double PackagingKind::planned_good_per_unit(const scenario::Site& site) const {
  return own_yield(site);
}

const scenario::CapacityTerms* PackagingKind::capacity_terms(const scenario::Site& site) const {
  const auto& p = site.params_as<PackagingParams>();
  return p.capacity_limited ? &p.capacity : nullptr;
}

double PackagingKind::own_yield(const scenario::Site& site) const {
  return models::mean(site.params_as<PackagingParams>().assembly_yield);
}

double PackagingKind::output_per_week(const scenario::Site& site) const {
  const auto& p = site.params_as<PackagingParams>();
  if (!p.capacity_limited) return scenario::kNever;
  return p.interposer_wafers_per_week.last_rate() * p.packages_per_interposer_wafer * own_yield(site);
}

FirstUnit PackagingKind::first_unit(const scenario::Site& site, const FirstUnitInputs& inputs) const {
  // Begins at max(kit arrival, first interposer step with rate > 0); then the queue and the cycle.
  const auto& p = site.params_as<PackagingParams>();
  FirstUnit t;
  t.begin = inputs.kit_arrival;
  t.bound_by = FirstUnit::BoundBy::kKit;
  if (p.capacity_limited) {
    const double interposers = p.interposer_wafers_per_week.first_positive_day();
    if (interposers > t.begin) {
      t.begin = interposers;
      t.bound_by = FirstUnit::BoundBy::kOwn;
    }
  }
  const double queue = models::mean(p.queue_days);
  if (inputs.program && p.capacity_limited && p.capacity.booking_day)  // booked: the queue ran from the booking
    t.ready = std::max(t.begin, *p.capacity.booking_day + queue) + models::mean(p.cycle_time_days);
  else
    t.ready = t.begin + queue + models::mean(p.cycle_time_days);
  return t;
}

std::optional<SiteProblem> PackagingKind::zero_capacity(const scenario::Site& site, const std::string&) const {
  // Unlimited without a schedule, but a schedule that is set and never positive stops it.
  const auto& p = site.params_as<PackagingParams>();
  if (!p.capacity_limited || p.interposer_wafers_per_week.has_positive_step()) return std::nullopt;
  return SiteProblem{"packaging.interposer_wafers_per_week", "interposer_wafers_per_week has no step with rate > 0"};
}

double PackagingKind::planned_unit_cost_usd(const scenario::Site& site) const {
  const double yield = own_yield(site);
  return yield > 0 ? site.params_as<PackagingParams>().package_cost_usd / yield : 0.0;
}

std::unique_ptr<engine::SiteProcess> PackagingKind::make_process(const scenario::Site& site,
                                                                 const engine::ProcessContext& context) const {
  const auto& p = site.params_as<PackagingParams>();
  engine::ProductionSetup production;
  production.delay_days = p.cycle_time_days;
  production.output_metric = "packages";
  production.cost_basis = engine::CostBasis::kPerStartedUnit;
  production.unit_cost_usd = p.package_cost_usd;
  production.spend_category = engine::Spend::kPackaging;
  production.make_yield = fraction_yield(p.assembly_yield);
  engine::AssemblySetup assembly;
  assembly.batch_units = p.batch_size;
  if (p.capacity_limited) {
    assembly.start_capacity_per_week = p.interposer_wafers_per_week;
    for (auto& step : assembly.start_capacity_per_week.steps) step.second *= p.packages_per_interposer_wafer;
  }
  assembly.queue_days = p.queue_days;
  if (context.scenario->program.enabled) {
    assembly.planned_yield = own_yield(site);
    assembly.lead_days = planned_lead_days(site);
    if (p.capacity_limited) {
      assembly.capacity = engine::CapacityPlan::in_site_units(p.interposer_wafers_per_week, p.capacity,
                                                              1.0 / p.packages_per_interposer_wafer);
      assembly.capacity_unit_cost_usd = p.package_cost_usd * p.packages_per_interposer_wafer;
    }
  }
  return std::make_unique<engine::AssemblerProcess>(site, context, std::move(production), std::move(assembly));
}

void PackagingKind::check(const google::protobuf::Message& message, const std::string& path, const std::string& product,
                          config::FieldChecks& c) const {
  const auto& packaging = static_cast<const scsim::Packaging&>(message);
  (void)product;
  if (packaging.has_interposer_wafers_per_week()) {
    c.schedule(join(path, "interposer_wafers_per_week"), true, packaging.interposer_wafers_per_week());
    if (!packaging.has_packages_per_interposer_wafer())
      c.problem(join(path, "packages_per_interposer_wafer"), "is required with interposer_wafers_per_week");
  }
  if (packaging.has_packages_per_interposer_wafer())
    c.positive(join(path, "packages_per_interposer_wafer"), packaging.packages_per_interposer_wafer(), 1e6,
               "packages from one wafer");
  c.dist(join(path, "assembly_yield"), packaging.has_assembly_yield(), packaging.assembly_yield(),
         config::Range::kYield, false);
  c.dist(join(path, "queue_days"), packaging.has_queue_days(), packaging.queue_days(), config::Range::kDuration, false);
  c.dist(join(path, "cycle_time_days"), packaging.has_cycle_time_days(), packaging.cycle_time_days(),
         config::Range::kDuration, true);
  c.at_least_one(join(path, "batch_size"), packaging.batch_size(), 1000000000, "units");
  c.non_negative(join(path, "package_cost_usd"), packaging.package_cost_usd(), config::kMaxUsd,
                 "USD; costs are summed over every unit");
  if (program_only(join(path, "capacity"), packaging.has_capacity(), c)) {
    if (!packaging.has_interposer_wafers_per_week())
      c.problem(join(path, "capacity"), "needs interposer_wafers_per_week: the capacity it holds");
    check_capacity_terms(join(path, "capacity"), packaging.capacity(), join(path, "interposer_wafers_per_week"),
                         packaging.interposer_wafers_per_week(), c);
  }
}

}  // namespace scsim::kinds
