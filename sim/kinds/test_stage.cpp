#include "sim/kinds/test_stage.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/config/field_checks.hpp"
#include "sim/config/scenario.pb.h"
#include "sim/config/to_params.hpp"
#include "sim/engine/assembler_process.hpp"
#include "sim/kinds/kind_support.hpp"

namespace scsim::kinds {

std::shared_ptr<const scenario::KindParams> TestKind::resolve(const google::protobuf::Message& message,
                                                              ResolveContext&) const {
  const auto& m = static_cast<const scsim::Test&>(message);
  auto p = std::make_shared<TestParams>();
  p->yield = config::to_dist(m.yield(), 1.0);
  p->cycle_time_days = config::to_dist(m.cycle_time_days());
  p->capacity_units_per_week = m.capacity_units_per_week();
  p->batch_size = m.batch_size();
  return p;
}

double TestKind::own_yield(const scenario::Site& site) const {
  return models::mean(site.params_as<TestParams>().yield);
}

double TestKind::planned_lead_days(const scenario::Site& site) const {
  return models::mean(site.params_as<TestParams>().cycle_time_days);
}

double TestKind::output_per_week(const scenario::Site& site) const {
  const double units = site.params_as<TestParams>().capacity_units_per_week;
  return units > 0 ? units * own_yield(site) : scenario::kNever;
}

FirstUnit TestKind::first_unit(const scenario::Site& site, const FirstUnitInputs& inputs) const {
  FirstUnit t;
  t.begin = inputs.kit_arrival;
  t.bound_by = FirstUnit::BoundBy::kKit;
  t.ready = t.begin + models::mean(site.params_as<TestParams>().cycle_time_days);
  return t;
}

std::unique_ptr<engine::SiteProcess> TestKind::make_process(const scenario::Site& site,
                                                            const engine::ProcessContext& context) const {
  const auto& p = site.params_as<TestParams>();
  engine::ProductionSetup production;
  production.delay_days = p.cycle_time_days;
  production.make_yield = fraction_yield(p.yield);
  engine::AssemblySetup assembly;
  assembly.batch_units = p.batch_size;
  if (p.capacity_units_per_week > 0)
    assembly.start_capacity_per_week.steps.emplace_back(0.0, p.capacity_units_per_week);
  assembly.planned_yield = own_yield(site);
  assembly.lead_days = planned_lead_days(site);
  return std::make_unique<engine::AssemblerProcess>(site, context, std::move(production), std::move(assembly));
}

void TestKind::check(const google::protobuf::Message& message, const std::string& path, const std::string& product,
                     config::FieldChecks& c) const {
  const auto& test = static_cast<const scsim::Test&>(message);
  (void)product;
  c.dist(join(path, "yield"), test.has_yield(), test.yield(), config::Range::kYield, true);
  c.dist(join(path, "cycle_time_days"), test.has_cycle_time_days(), test.cycle_time_days(), config::Range::kDuration,
         true);
  c.non_negative(join(path, "capacity_units_per_week"), test.capacity_units_per_week(), config::kMaxRatePerWeek,
                 "per week");
  c.at_least_one(join(path, "batch_size"), test.batch_size(), 1000000000, "units");
}

}  // namespace scsim::kinds
