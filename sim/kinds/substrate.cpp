#include "sim/kinds/substrate.hpp"

#include <algorithm>

#include "sim/config/field_checks.hpp"
#include "sim/config/scenario.pb.h"
#include "sim/config/to_params.hpp"
#include "sim/engine/ordered_source_process.hpp"
#include "sim/engine/source_process.hpp"
#include "sim/kinds/kind_support.hpp"

namespace scsim::kinds {

std::shared_ptr<const scenario::KindParams> SubstrateKind::resolve(const google::protobuf::Message& message,
                                                                   ResolveContext& context) const {
  const auto& s = static_cast<const scsim::Substrate&>(message);
  auto p = std::make_shared<SubstrateParams>();
  p->substrates_per_week = to_schedule(s.substrates_per_week(), *context.scenario);
  p->lot_size = s.lot_size();
  p->cycle_time_days = config::to_dist(s.cycle_time_days());
  p->yield = config::to_dist(s.yield(), 1.0);
  p->allocation_wait_days = config::to_dist(s.allocation_wait_days());
  p->substrate_cost_usd = s.substrate_cost_usd();
  p->capacity = to_capacity_terms(s.capacity(), *context.scenario);
  return p;
}

double SubstrateKind::planned_lead_days(const scenario::Site& site) const {
  return models::mean(site.params_as<SubstrateParams>().cycle_time_days);
}

double SubstrateKind::planned_good_per_unit(const scenario::Site& site) const {
  return models::mean(site.params_as<SubstrateParams>().yield);
}

const scenario::CapacityTerms* SubstrateKind::capacity_terms(const scenario::Site& site) const {
  return &site.params_as<SubstrateParams>().capacity;
}

double SubstrateKind::output_per_week(const scenario::Site& site) const {
  const auto& p = site.params_as<SubstrateParams>();
  return p.substrates_per_week.last_rate() * models::mean(p.yield);
}

FirstUnit SubstrateKind::first_unit(const scenario::Site& site, const FirstUnitInputs&) const {
  const auto& p = site.params_as<SubstrateParams>();
  FirstUnit t;
  t.begin = p.substrates_per_week.first_positive_day();
  t.ready = t.begin + models::mean(p.allocation_wait_days) + models::mean(p.cycle_time_days);
  return t;
}

std::optional<SiteProblem> SubstrateKind::zero_capacity(const scenario::Site& site, const std::string&) const {
  if (site.params_as<SubstrateParams>().substrates_per_week.has_positive_step()) return std::nullopt;
  return SiteProblem{"substrate.substrates_per_week", "substrates_per_week has no step with rate > 0"};
}

double SubstrateKind::planned_unit_cost_usd(const scenario::Site& site) const {
  return site.params_as<SubstrateParams>().substrate_cost_usd;
}

std::unique_ptr<engine::SiteProcess> SubstrateKind::make_process(const scenario::Site& site,
                                                                 const engine::ProcessContext& context) const {
  const auto& p = site.params_as<SubstrateParams>();
  engine::ProductionSetup production;
  production.delay_days = p.cycle_time_days;
  production.output_metric = "substrates";
  production.cost_basis = engine::CostBasis::kPerGoodOutput;
  production.unit_cost_usd = p.substrate_cost_usd;
  production.spend_category = engine::Spend::kSubstrates;
  production.make_yield = fraction_yield(p.yield);
  if (context.scenario->program.enabled) {
    auto ordered = ordered_source(*this, site, p.substrates_per_week, p.capacity, p.lot_size, "substrate_starts",
                                  p.substrate_cost_usd * planned_good_per_unit(site));
    ordered.allocation_wait_days = p.allocation_wait_days;
    return std::make_unique<engine::OrderedSourceProcess>(site, context, std::move(production), std::move(ordered));
  }
  auto plan = scheduled_release(p.substrates_per_week, p.lot_size, "substrate_starts");
  plan.allocation_wait_days = p.allocation_wait_days;
  return std::make_unique<engine::SourceProcess>(site, context, std::move(production), std::move(plan));
}

void SubstrateKind::check(const google::protobuf::Message& message, const std::string& path, const std::string&,
                          config::FieldChecks& c) const {
  const auto& s = static_cast<const scsim::Substrate&>(message);
  c.schedule(join(path, "substrates_per_week"), s.has_substrates_per_week(), s.substrates_per_week());
  c.at_least_one(join(path, "lot_size"), s.lot_size(), 1000000, "substrates in one lot");
  c.dist(join(path, "cycle_time_days"), s.has_cycle_time_days(), s.cycle_time_days(), config::Range::kDuration, true);
  c.dist(join(path, "yield"), s.has_yield(), s.yield(), config::Range::kYield, false);
  c.dist(join(path, "allocation_wait_days"), s.has_allocation_wait_days(), s.allocation_wait_days(),
         config::Range::kDuration, false);
  c.non_negative(join(path, "substrate_cost_usd"), s.substrate_cost_usd(), config::kMaxUsd,
                 "USD; costs are summed over every unit");
  if (program_only(join(path, "capacity"), s.has_capacity(), c))
    check_capacity_terms(join(path, "capacity"), s.capacity(), join(path, "substrates_per_week"),
                         s.substrates_per_week(), c);
}

void SubstrateKind::check_work(const google::protobuf::Message& message, const std::string& path,
                               config::FieldChecks& c) const {
  const auto& s = static_cast<const scsim::Substrate&>(message);
  c.schedule_lots(join(path, "substrates_per_week"), s.substrates_per_week(), s.lot_size(), "substrates");
}

}  // namespace scsim::kinds
