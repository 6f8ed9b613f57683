// A datacenter campus: installs its product into the powered slots of its
// buildings (construction, then grid power), at the crews' install rate.
#pragma once

#include "sim/engine/datacenter_process.hpp"
#include "sim/kinds/kind.hpp"

namespace scsim::kinds {

struct DatacenterParams : scenario::KindParams {
  engine::CampusSetup campus;  // building names default to "SITE/buildings[i]"
};

class DatacenterKind final : public Kind {
 public:
  std::string_view name() const override { return "datacenter"; }
  scenario::Role role(bool) const override { return scenario::Role::kDatacenter; }
  void check(const google::protobuf::Message& message, const std::string& path, const std::string& product,
             config::FieldChecks& c) const override;
  std::vector<scenario::Input> inputs(int product, const std::vector<scenario::Input>&) const override {
    return {{product, 1.0}};
  }
  std::shared_ptr<const scenario::KindParams> resolve(const google::protobuf::Message& message,
                                                      ResolveContext& context) const override;
  double output_per_week(const scenario::Site& site) const override;
  FirstUnit first_unit(const scenario::Site& site, const FirstUnitInputs& inputs) const override;
  std::vector<std::pair<double, double>> planned_fixed_costs(const scenario::Site& site) const override;
  std::unique_ptr<engine::SiteProcess> make_process(const scenario::Site& site,
                                                    const engine::ProcessContext& context) const override;
};

}  // namespace scsim::kinds
