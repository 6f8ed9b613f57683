// An ARM-based accelerator design program: architecture start, tape-out,
// masks, first silicon, a possible respin, production release. Its release
// opens volume starts at the sites it gates (a message edge, not material).
#pragma once

#include "models/design.hpp"
#include "sim/engine/design_process.hpp"
#include "sim/kinds/kind.hpp"

namespace scsim::kinds {

struct DesignParams : scenario::KindParams {
  models::DesignParams model;
  engine::DesignCosts costs;
};

class DesignKind final : public Kind {
 public:
  std::string_view name() const override { return "design"; }
  scenario::Role role(bool) const override { return scenario::Role::kDesign; }
  void check(const google::protobuf::Message& message, const std::string& path, const std::string& product,
             config::FieldChecks& c) const override;
  std::shared_ptr<const scenario::KindParams> resolve(const google::protobuf::Message& message,
                                                      ResolveContext& context) const override;
  double output_per_week(const scenario::Site&) const override { return scenario::kNever; }
  FirstUnit first_unit(const scenario::Site& site, const FirstUnitInputs& inputs) const override;
  std::vector<std::pair<double, double>> planned_fixed_costs(const scenario::Site& site) const override;
  std::unique_ptr<engine::SiteProcess> make_process(const scenario::Site& site,
                                                    const engine::ProcessContext& context) const override;
};

}  // namespace scsim::kinds
