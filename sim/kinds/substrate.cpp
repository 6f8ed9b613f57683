#include "sim/kinds/substrate.hpp"

#include <algorithm>

#include "sim/config/scenario.pb.h"
#include "sim/config/to_params.hpp"
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
  return p;
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

std::unique_ptr<engine::SiteProcess> SubstrateKind::make_process(const scenario::Site& site,
                                                                 const engine::ProcessContext& context) const {
  const auto& p = site.params_as<SubstrateParams>();
  engine::ProductionSetup production;
  production.delay_days = p.cycle_time_days;
  production.output_metric = "substrates";
  production.cost_basis = engine::CostBasis::kPerGoodOutput;
  production.unit_cost_usd = p.substrate_cost_usd;
  production.make_yield = [&p](models::RandomStream& stream) -> std::unique_ptr<engine::OutputYield> {
    return std::make_unique<engine::FractionGood>(std::clamp(models::sample(p.yield, stream), 0.0, 1.0));
  };
  engine::ReleasePlan plan;
  plan.policy = engine::ReleasePlan::Policy::kSchedule;
  plan.units_per_lot = p.lot_size;
  plan.lots_per_week = p.substrates_per_week;
  for (auto& step : plan.lots_per_week.steps) step.second /= p.lot_size;
  plan.allocation_wait_days = p.allocation_wait_days;
  plan.release_metric = "substrate_starts";
  return std::make_unique<engine::SourceProcess>(site, context, std::move(production), std::move(plan));
}

}  // namespace scsim::kinds
