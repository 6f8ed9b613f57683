// ABF build-up substrate supplier (Ibiden, Unimicron, AT&S…): a source whose
// substrates feed packaging through the package's bill of materials. Large
// AI packages need big, many-layer substrates: capacity and yield both bind.
#pragma once

#include "sim/kinds/kind.hpp"

namespace scsim::kinds {

struct SubstrateParams : scenario::KindParams {
  scenario::Schedule substrates_per_week;
  int lot_size = 100;
  models::Dist cycle_time_days = models::Fixed{0};
  models::Dist yield = models::Fixed{1};
  models::Dist allocation_wait_days = models::Fixed{0};
  double substrate_cost_usd = 0;
  scenario::CapacityTerms capacity;  // program: booking, take-or-pay, ramp, pool
};

class SubstrateKind final : public Kind {
 public:
  std::string_view name() const override { return "substrate"; }
  scenario::Role role(bool) const override { return scenario::Role::kSource; }
  Bom bom() const override { return Bom::kForbidden; }
  void check(const google::protobuf::Message& message, const std::string& path, const std::string& product,
             config::FieldChecks& c) const override;
  void check_work(const google::protobuf::Message& message, const std::string& path,
                  config::FieldChecks& c) const override;
  std::shared_ptr<const scenario::KindParams> resolve(const google::protobuf::Message& message,
                                                      ResolveContext& context) const override;
  double output_per_week(const scenario::Site& site) const override;
  double planned_lead_days(const scenario::Site& site) const override;
  double planned_good_per_unit(const scenario::Site& site) const override;
  const scenario::CapacityTerms* capacity_terms(const scenario::Site& site) const override;
  FirstUnit first_unit(const scenario::Site& site, const FirstUnitInputs& inputs) const override;
  std::optional<SiteProblem> zero_capacity(const scenario::Site& site, const std::string& product) const override;
  double planned_unit_cost_usd(const scenario::Site& site) const override;
  std::unique_ptr<engine::SiteProcess> make_process(const scenario::Site& site,
                                                    const engine::ProcessContext& context) const override;
};

}  // namespace scsim::kinds
