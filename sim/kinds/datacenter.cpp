#include "sim/kinds/datacenter.hpp"

#include <fmt/format.h>

#include "sim/config/field_checks.hpp"
#include "sim/config/scenario.pb.h"
#include "sim/config/to_params.hpp"
#include "sim/kinds/kind_support.hpp"

namespace scsim::kinds {

std::shared_ptr<const scenario::KindParams> DatacenterKind::resolve(const google::protobuf::Message& message,
                                                                    ResolveContext& context) const {
  const auto& d = static_cast<const scsim::Datacenter&>(message);
  const auto& scenario = *context.scenario;
  auto p = std::make_shared<DatacenterParams>();
  for (int i = 0; i < d.buildings_size(); ++i) {
    const auto& b = d.buildings(i);
    engine::BuildingSetup building;
    building.name = b.name();
    building.construction_start_day =
        b.construction_start_date().empty() ? 0.0 : scenario.day_of(b.construction_start_date());
    building.construction_days = config::to_dist(b.construction_days());
    if (b.has_power_date()) building.power_day = scenario.day_of(b.power_date());
    building.power_delay_days = config::to_dist(b.power_delay_days());
    building.power_mw = b.power_mw();
    building.capex_usd = b.capex_usd();
    p->campus.buildings.push_back(building);
  }
  p->campus.kw_per_accelerator = config::to_dist(d.kw_per_accelerator());
  p->campus.install_rate_per_week = d.install_rate_per_week();
  p->campus.install_days = config::to_dist(d.install_days());
  p->campus.power_usd_per_mw_day = d.power_usd_per_mw_day();
  return p;
}

double DatacenterKind::output_per_week(const scenario::Site& site) const {
  const double rate = site.params_as<DatacenterParams>().campus.install_rate_per_week;
  return rate > 0 ? rate : scenario::kNever;
}

FirstUnit DatacenterKind::first_unit(const scenario::Site& site, const FirstUnitInputs& inputs) const {
  // Begins at max(arrival of the installed product, first energized building), a building being energized at
  // max(construction start + construction_days, power_date + power_delay). Without buildings: not power-limited.
  const auto& campus = site.params_as<DatacenterParams>().campus;
  FirstUnit t;
  t.begin = inputs.kit_arrival;
  t.bound_by = FirstUnit::BoundBy::kKit;
  std::optional<ExtraStage> first;
  for (std::size_t i = 0; i < campus.buildings.size(); ++i) {
    const auto& b = campus.buildings[i];
    ExtraStage stage{b.name.empty() ? fmt::format("{}/buildings[{}]", site.name, i) : b.name, "building",
                     b.construction_start_day, b.construction_start_day + models::mean(b.construction_days)};
    if (b.power_day) {
      const double powered = *b.power_day + models::mean(b.power_delay_days);
      if (powered > stage.end_day) stage = ExtraStage{stage.name, "building", *b.power_day, powered};
    }
    if (!first || stage.end_day < first->end_day) first = std::move(stage);
  }
  if (first && first->end_day > t.begin) {
    t.begin = first->end_day;
    t.bound_by = FirstUnit::BoundBy::kOwn;
    t.extra = std::move(first);
  }
  t.ready = t.begin + models::mean(campus.install_days);
  return t;
}

std::vector<std::pair<double, double>> DatacenterKind::planned_fixed_costs(const scenario::Site& site) const {
  // Each building's capex at the middle of its expected construction.
  std::vector<std::pair<double, double>> costs;
  for (const auto& b : site.params_as<DatacenterParams>().campus.buildings)
    if (b.capex_usd > 0)
      costs.emplace_back(b.construction_start_day + models::mean(b.construction_days) / 2, b.capex_usd);
  return costs;
}

std::unique_ptr<engine::SiteProcess> DatacenterKind::make_process(const scenario::Site& site,
                                                                  const engine::ProcessContext& context) const {
  return std::make_unique<engine::DatacenterProcess>(site, context, site.params_as<DatacenterParams>().campus);
}

void DatacenterKind::check(const google::protobuf::Message& message, const std::string& path,
                           const std::string& product, config::FieldChecks& c) const {
  const auto& datacenter = static_cast<const scsim::Datacenter&>(message);
  (void)product;
  if (datacenter.buildings_size() == 0) c.problem(join(path, "buildings"), "at least one building is required");
  std::set<std::string> names;
  for (int i = 0; i < datacenter.buildings_size(); ++i) {
    const auto& building = datacenter.buildings(i);
    const std::string b_path = fmt::format("{}.buildings[{}]", path, i);
    c.name(b_path + ".name", building.has_name(), building.name(), "building", names);
    if (!building.has_construction_start_date())
      c.problem(b_path + ".construction_start_date", "is required");
    else
      c.date(b_path + ".construction_start_date", building.construction_start_date());
    c.dist(b_path + ".construction_days", building.has_construction_days(), building.construction_days(),
           config::Range::kDuration, false);
    if (!building.has_power_mw())
      c.problem(b_path + ".power_mw", "is required");
    else
      c.positive(b_path + ".power_mw", building.power_mw(), 1e6, "MW; a terawatt is a third of the world's power");
    if (building.has_power_date()) c.date(b_path + ".power_date", building.power_date());
    c.dist(b_path + ".power_delay_days", building.has_power_delay_days(), building.power_delay_days(),
           config::Range::kDuration, false);
    c.non_negative(b_path + ".capex_usd", building.capex_usd(), config::kMaxUsd * 1000, "USD");
  }
  c.dist(join(path, "kw_per_accelerator"), datacenter.has_kw_per_accelerator(), datacenter.kw_per_accelerator(),
         config::Range::kPositive, true);
  c.non_negative(join(path, "install_rate_per_week"), datacenter.install_rate_per_week(), config::kMaxRatePerWeek,
                 "per week");
  c.dist(join(path, "install_days"), datacenter.has_install_days(), datacenter.install_days(), config::Range::kDuration,
         false);
  c.non_negative(join(path, "power_usd_per_mw_day"), datacenter.power_usd_per_mw_day(), config::kMaxUsd, "USD per MW-day");
}

}  // namespace scsim::kinds
