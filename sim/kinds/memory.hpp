// HBM supplier (SK hynix, Samsung…): a source that starts DRAM wafers on a
// plan, stacks the core dies, and must qualify at each customer before its
// stacks are accepted there.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/memory.hpp"
#include "sim/kinds/kind.hpp"

namespace scsim::kinds {

// Per-bond yield when a scenario gives die yield but not bond yield (est.; docs/model.md, HBM stack yield).
inline constexpr double kDefaultBondYield = 0.995;

struct MemoryParams : scenario::KindParams {
  models::MemoryParams model;               // stack_yield is drawn per replication, below
  std::optional<models::Dist> stack_yield;  // given directly, or else from die and bond yields
  models::Dist die_yield = models::Fixed{1};
  models::Dist bond_yield = models::Fixed{kDefaultBondYield};
  scenario::Schedule dram_wafer_starts_per_week;
  int lot_size_wafers = 25;
  models::Dist cycle_time_days = models::Fixed{0};
  std::vector<std::pair<std::string, scenario::Qualification>> qualifications;  // by customer site
  double stack_cost_usd = 0;

  // Expected stack yield: the given one's mean, or die^n · bond^(n−1) at the means.
  double expected_stack_yield() const;
  scenario::CapacityTerms capacity;  // program: booking, take-or-pay, ramp, pool
};

class MemoryKind final : public Kind {
 public:
  std::string_view name() const override { return "memory"; }
  scenario::Role role(bool) const override { return scenario::Role::kSource; }
  Bom bom() const override { return Bom::kForbidden; }
  void check(const google::protobuf::Message& message, const std::string& path, const std::string& product,
             config::FieldChecks& c) const override;
  std::string_view raw_material() const override { return "wafers"; }
  void check_work(const google::protobuf::Message& message, const std::string& path,
                  config::FieldChecks& c) const override;
  std::shared_ptr<const scenario::KindParams> resolve(const google::protobuf::Message& message,
                                                      ResolveContext& context) const override;
  std::optional<scenario::Qualification> qualification_at(const scenario::Site& site,
                                                          const std::string& customer) const override;
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
