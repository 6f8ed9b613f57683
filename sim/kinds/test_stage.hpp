// Final test and burn-in: passes a fraction of its input (a packaged
// accelerator, or the product itself when it has no bill of materials),
// optionally limited in units per week.
#pragma once

#include "sim/kinds/kind.hpp"

namespace scsim::kinds {

struct TestParams : scenario::KindParams {
  models::Dist yield = models::Fixed{1};
  models::Dist cycle_time_days = models::Fixed{0};
  double capacity_units_per_week = 0;  // 0 = unlimited
  int batch_size = 100;
};

class TestKind final : public Kind {
 public:
  std::string_view name() const override { return "test"; }
  scenario::Role role(bool) const override { return scenario::Role::kAssembler; }
  Bom bom() const override { return Bom::kRequired; }
  void check(const google::protobuf::Message& message, const std::string& path, const std::string& product,
             config::FieldChecks& c) const override;
  // Testing passes a fraction of its input: a product without a bill of materials is tested as itself.
  std::vector<scenario::Input> inputs(int product, const std::vector<scenario::Input>& bom) const override {
    return bom.empty() ? std::vector<scenario::Input>{{product, 1.0}} : bom;
  }
  std::shared_ptr<const scenario::KindParams> resolve(const google::protobuf::Message& message,
                                                      ResolveContext& context) const override;
  double output_per_week(const scenario::Site& site) const override;
  double planned_lead_days(const scenario::Site& site) const override;
  double own_yield(const scenario::Site& site) const override;
  FirstUnit first_unit(const scenario::Site& site, const FirstUnitInputs& inputs) const override;
  std::unique_ptr<engine::SiteProcess> make_process(const scenario::Site& site,
                                                    const engine::ProcessContext& context) const override;
};

}  // namespace scsim::kinds
