// A custom stage: a route of stations. With a product that has no bill of
// materials it is a source (lots released on a plan, at an interarrival time,
// by CONWIP, or to its customers' orders); otherwise it assembles its inputs.
// The queueing-theory checks are built from these.
#pragma once

#include <optional>
#include <vector>

#include "sim/engine/source_process.hpp"
#include "sim/engine/station_route.hpp"
#include "sim/kinds/kind.hpp"

namespace scsim::kinds {

struct GenericParams : scenario::KindParams {
  std::vector<engine::StationParams> stations;
  bool has_release = false;
  engine::ReleasePlan release;        // sources; units_per_lot = lot_size
  std::optional<models::Dist> yield;  // unset: all good
  int lot_size = 1;
};

class GenericKind final : public Kind {
 public:
  std::string_view name() const override { return "generic"; }
  scenario::Role role(bool product_has_bom) const override {
    return product_has_bom ? scenario::Role::kAssembler : scenario::Role::kSource;
  }
  void check(const google::protobuf::Message& message, const std::string& path, const std::string& product,
             config::FieldChecks& c) const override;
  void check_work(const google::protobuf::Message& message, const std::string& path,
                  config::FieldChecks& c) const override;
  std::shared_ptr<const scenario::KindParams> resolve(const google::protobuf::Message& message,
                                                      ResolveContext& context) const override;
  bool makes_to_order(const scenario::Site& site) const override {
    return site.role == scenario::Role::kSource &&
           site.params_as<GenericParams>().release.policy == engine::ReleasePlan::Policy::kOrders;
  }
  std::optional<RouteLoad> route_load(const scenario::Site& site,
                                      const std::vector<double>& supply_per_week) const override;
  double output_per_week(const scenario::Site& site) const override;
  double planned_lead_days(const scenario::Site& site) const override;
  double own_yield(const scenario::Site& site) const override;
  FirstUnit first_unit(const scenario::Site& site, const FirstUnitInputs& inputs) const override;
  std::optional<SiteProblem> zero_capacity(const scenario::Site& site, const std::string& product) const override;
  std::unique_ptr<engine::SiteProcess> make_process(const scenario::Site& site,
                                                    const engine::ProcessContext& context) const override;
};

}  // namespace scsim::kinds
