// 2.5D packaging (CoWoS-S/L, I-Cube…): assembles a kit (the package's bill of
// materials, e.g. 1 logic die + 8 HBM stacks) on interposers, limited by the
// interposer wafers per week allocated to this customer, after a one-off queue.
#pragma once

#include "sim/kinds/kind.hpp"

namespace scsim::kinds {

struct PackagingParams : scenario::KindParams {
  bool capacity_limited = false;  // interposer schedule given
  scenario::Schedule interposer_wafers_per_week;
  double packages_per_interposer_wafer = 0;
  models::Dist assembly_yield = models::Fixed{1};
  models::Dist queue_days = models::Fixed{0};
  models::Dist cycle_time_days = models::Fixed{0};
  int batch_size = 100;
  double package_cost_usd = 0;
  scenario::CapacityTerms capacity;  // program: booking, take-or-pay, ramp, pool
};

class PackagingKind final : public Kind {
 public:
  std::string_view name() const override { return "packaging"; }
  scenario::Role role(bool) const override { return scenario::Role::kAssembler; }
  Bom bom() const override { return Bom::kRequired; }
  void check(const google::protobuf::Message& message, const std::string& path, const std::string& product,
             config::FieldChecks& c) const override;
  std::shared_ptr<const scenario::KindParams> resolve(const google::protobuf::Message& message,
                                                      ResolveContext& context) const override;
  double output_per_week(const scenario::Site& site) const override;
  double planned_lead_days(const scenario::Site& site) const override;
  double planned_good_per_unit(const scenario::Site& site) const override;
  const scenario::CapacityTerms* capacity_terms(const scenario::Site& site) const override;
  double own_yield(const scenario::Site& site) const override;
  FirstUnit first_unit(const scenario::Site& site, const FirstUnitInputs& inputs) const override;
  std::optional<SiteProblem> zero_capacity(const scenario::Site& site, const std::string& product) const override;
  double planned_unit_cost_usd(const scenario::Site& site) const override;
  std::unique_ptr<engine::SiteProcess> make_process(const scenario::Site& site,
                                                    const engine::ProcessContext& context) const override;
};

}  // namespace scsim::kinds
