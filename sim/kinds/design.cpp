#include "sim/kinds/design.hpp"

#include <fmt/format.h>

#include "sim/config/field_checks.hpp"
#include "sim/config/scenario.pb.h"
#include "sim/config/to_params.hpp"
#include "sim/engine/design_process.hpp"
#include "sim/kinds/kind_support.hpp"

namespace scsim::kinds {

std::shared_ptr<const scenario::KindParams> DesignKind::resolve(const google::protobuf::Message& message,
                                                                ResolveContext& context) const {
  const auto& d = static_cast<const scsim::Design&>(message);
  auto p = std::make_shared<DesignParams>();
  auto& m = p->model;
  m.start_day = d.start_date().empty() ? 0.0 : context.scenario->day_of(d.start_date());
  m.tapeout_days = config::to_dist(d.tapeout_days());
  m.mask_days = config::to_dist(d.mask_days());
  m.first_silicon_days = config::to_dist(d.first_silicon_days());
  m.production_release_days = config::to_dist(d.production_release_days());
  m.respin_probability = d.respin_probability();
  m.metal_only_fraction = d.metal_only_fraction();
  m.metal_respin_days = config::to_dist(d.metal_respin_days());
  m.base_respin_days = config::to_dist(d.base_respin_days());
  p->costs.tapeout_usd = d.tapeout_cost_usd();
  p->costs.respin_usd = d.respin_cost_usd();
  return p;
}

FirstUnit DesignKind::first_unit(const scenario::Site& site, const FirstUnitInputs&) const {
  // The means, with the respin weighted by its probability.
  const auto& m = site.params_as<DesignParams>().model;
  FirstUnit t;
  t.begin = m.start_day;
  t.ready = models::Design(m).expected_release_day();
  t.tapeout = m.start_day + models::mean(m.tapeout_days);
  t.silicon = t.ready - models::mean(m.production_release_days);
  return t;
}

std::vector<std::pair<double, double>> DesignKind::planned_fixed_costs(const scenario::Site& site) const {
  const auto& p = site.params_as<DesignParams>();
  const auto& m = p.model;
  const double tapeout = m.start_day + models::mean(m.tapeout_days);
  const double silicon = tapeout + models::mean(m.mask_days) + models::mean(m.first_silicon_days);
  return {{tapeout, p.costs.tapeout_usd}, {silicon, m.respin_probability * p.costs.respin_usd}};
}

std::unique_ptr<engine::SiteProcess> DesignKind::make_process(const scenario::Site& site,
                                                              const engine::ProcessContext& context) const {
  const auto& p = site.params_as<DesignParams>();
  return std::make_unique<engine::DesignProcess>(site, context, p.model, p.costs);
}

void DesignKind::check(const google::protobuf::Message& message, const std::string& path, const std::string& product,
                       config::FieldChecks& c) const {
  (void)product;
  const auto& design = static_cast<const scsim::Design&>(message);
  if (design.has_start_date()) c.date(join(path, "start_date"), design.start_date());
  c.dist(join(path, "tapeout_days"), design.has_tapeout_days(), design.tapeout_days(), config::Range::kDuration, true);
  c.probability(join(path, "respin_probability"), design.respin_probability());
  c.probability(join(path, "metal_only_fraction"), design.metal_only_fraction());
  c.dist(join(path, "metal_respin_days"), design.has_metal_respin_days(), design.metal_respin_days(),
         config::Range::kDuration, false);
  c.dist(join(path, "base_respin_days"), design.has_base_respin_days(), design.base_respin_days(),
         config::Range::kDuration, false);
  c.dist(join(path, "mask_days"), design.has_mask_days(), design.mask_days(), config::Range::kDuration, false);
  c.dist(join(path, "first_silicon_days"), design.has_first_silicon_days(), design.first_silicon_days(),
         config::Range::kDuration, false);
  c.dist(join(path, "production_release_days"), design.has_production_release_days(), design.production_release_days(),
         config::Range::kDuration, false);
  c.non_negative(join(path, "tapeout_cost_usd"), design.tapeout_cost_usd(), config::kMaxUsd * 1000, "USD");
  c.non_negative(join(path, "respin_cost_usd"), design.respin_cost_usd(), config::kMaxUsd * 1000, "USD");
}

}  // namespace scsim::kinds
