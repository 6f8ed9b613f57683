// Logic-die wafer fab (TSMC N3, Samsung SF3…): a source that starts wafers on
// an allocation plan after its design's release, and turns them into good dies
// through the wafer geometry and a defect-density yield model.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/foundry.hpp"
#include "sim/engine/station_route.hpp"
#include "sim/engine/ordered_source_process.hpp"
#include "sim/kinds/kind.hpp"

namespace scsim::kinds {

struct FoundryParams : scenario::KindParams {
  models::FoundryParams model;  // d0_per_cm2 is drawn per replication from d0_per_cm2 below
  models::Dist d0_per_cm2 = models::Fixed{0.1};
  models::Dist port_days = models::Fixed{0};  // after the design's release (second-source foundries)
  scenario::Schedule wafer_starts_per_week;
  models::Dist allocation_wait_days = models::Fixed{0};
  int lot_size_wafers = 25;
  models::Dist cycle_time_days = models::Fixed{0};
  std::vector<engine::StationParams> stations;  // instead of cycle_time_days when set
  double wafer_cost_usd = 0;
  scenario::CapacityTerms capacity;  // program: booking, take-or-pay, ramp, pool
  double mean_good_dies_per_wafer = 0;  // at mature yield, averaged over d0_per_cm2
  double port_cost_usd = 0;
  scenario::Schedule wafer_cost_usd_changes;
  std::optional<double> risk_after_silicon_days;
  double risk_max_wafers = 0;
  engine::OrderedSourceSetup::PortFrom port_from = engine::OrderedSourceSetup::PortFrom::kRelease;
};

class FoundryKind final : public Kind {
 public:
  std::string_view name() const override { return "foundry"; }
  scenario::Role role(bool) const override { return scenario::Role::kSource; }
  Bom bom() const override { return Bom::kForbidden; }
  void check(const google::protobuf::Message& message, const std::string& path, const std::string& product,
             config::FieldChecks& c) const override;
  std::string_view raw_material() const override { return "wafers"; }
  void check_work(const google::protobuf::Message& message, const std::string& path,
                  config::FieldChecks& c) const override;
  std::shared_ptr<const scenario::KindParams> resolve(const google::protobuf::Message& message,
                                                      ResolveContext& context) const override;
  std::optional<models::Dist> gate_delay(const scenario::Site& site) const override {
    return site.params_as<FoundryParams>().port_days;
  }
  std::optional<RouteLoad> route_load(const scenario::Site& site, const std::vector<double>&) const override;
  double output_per_week(const scenario::Site& site) const override;
  double planned_lead_days(const scenario::Site& site) const override;
  double planned_good_per_unit(const scenario::Site& site) const override;
  const scenario::CapacityTerms* capacity_terms(const scenario::Site& site) const override;
  FirstUnit first_unit(const scenario::Site& site, const FirstUnitInputs& inputs) const override;
  std::optional<SiteProblem> zero_capacity(const scenario::Site& site, const std::string& product) const override;
  double planned_unit_cost_usd(const scenario::Site& site) const override;
  std::vector<std::pair<double, double>> planned_fixed_costs(const scenario::Site& site) const override;
  std::unique_ptr<engine::SiteProcess> make_process(const scenario::Site& site,
                                                    const engine::ProcessContext& context) const override;
};

}  // namespace scsim::kinds
