#include "sim/kinds/datacenter.hpp"

#include <fmt/format.h>

#include "sim/config/scenario.pb.h"
#include "sim/config/to_params.hpp"

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
    building.construction_start_day = b.construction_start_date().empty() ? 0.0 : scenario.day_of(b.construction_start_date());
    building.construction_days = config::to_dist(b.construction_days());
    if (b.has_power_date()) building.power_day = scenario.day_of(b.power_date());
    building.power_delay_days = config::to_dist(b.power_delay_days());
    building.power_mw = b.power_mw();
    p->campus.buildings.push_back(building);
  }
  p->campus.kw_per_accelerator = config::to_dist(d.kw_per_accelerator());
  p->campus.install_rate_per_week = d.install_rate_per_week();
  p->campus.install_days = config::to_dist(d.install_days());
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

std::unique_ptr<engine::SiteProcess> DatacenterKind::make_process(const scenario::Site& site,
                                                                  const engine::ProcessContext& context) const {
  return std::make_unique<engine::DatacenterProcess>(site, context, site.params_as<DatacenterParams>().campus);
}

}  // namespace scsim::kinds
