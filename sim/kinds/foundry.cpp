#include "sim/kinds/foundry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <string>
#include <variant>

#include "models/wafer.hpp"
#include "models/yield.hpp"
#include "sim/config/field_checks.hpp"
#include "sim/config/scenario.pb.h"
#include "sim/config/to_params.hpp"
#include "sim/engine/source_process.hpp"
#include "sim/kinds/kind_support.hpp"

namespace scsim::kinds {

namespace {

models::YieldModel to_yield_model(scsim::Foundry::YieldModel model) {
  switch (model) {
    case scsim::Foundry::POISSON:
      return models::YieldModel::kPoisson;
    case scsim::Foundry::MURPHY:
      return models::YieldModel::kMurphy;
    case scsim::Foundry::SEEDS:
      return models::YieldModel::kSeeds;
    case scsim::Foundry::NEGATIVE_BINOMIAL:
      break;
  }
  return models::YieldModel::kNegativeBinomial;
}

// Good dies per lot, with this replication's defect density.
class DieYield final : public engine::OutputYield {
 public:
  explicit DieYield(const models::FoundryParams& params) : foundry_(params) {}
  std::int64_t good(std::int64_t wafers, double age_days, models::RandomStream& stream) const override {
    return foundry_.good_dies(wafers, age_days, stream);
  }
  double expected_good_per_unit() const override {
    return static_cast<double>(foundry_.whole_dies_per_wafer()) * foundry_.die_yield(1e9);
  }

 private:
  models::Foundry foundry_;
};

// Good dies per wafer at mature yield, averaged over the defect density's distribution (the yield at the mean
// defect density is higher than the mean yield, the curve being convex). A fixed stream of draws keeps it
// deterministic.
double mean_good_dies_per_wafer(const FoundryParams& p) {
  const auto& m = p.model;
  auto good = [&](double d0) {
    return m.gross_dies_per_wafer *
           models::harvested_yield(models::die_yield(m.yield_model, d0, m.die_area_mm2, m.clustering_alpha),
                                   m.harvest_fraction);
  };
  if (std::holds_alternative<models::Fixed>(p.d0_per_cm2)) return good(models::mean(p.d0_per_cm2));
  models::RandomStream stream(0, 0, "planning:d0_per_cm2");
  constexpr int kDraws = 20000;
  double sum = 0;
  for (int i = 0; i < kDraws; ++i) sum += good(models::sample(p.d0_per_cm2, stream));
  return sum / kDraws;
}

// The same foundry is resolved several times per command (validation, the network's analysis and checks, the
// runner), and the mean above takes 20,000 yield evaluations, ~1.5 ms each time, all before the first replication:
// the last few answers are kept, per thread, keyed by the bytes of every input it reads.
double mean_good_dies_per_wafer_memo(const FoundryParams& p, const scsim::Foundry& f) {
  const auto& m = p.model;
  std::string key = f.d0_per_cm2().SerializeAsString();
  for (const double v : {m.gross_dies_per_wafer, m.die_area_mm2, m.clustering_alpha, m.harvest_fraction,
                         static_cast<double>(m.yield_model)})
    key.append(reinterpret_cast<const char*>(&v), sizeof v);
  struct Answer {
    std::string key;
    double value;
  };
  thread_local std::deque<Answer> answers;
  for (const auto& answer : answers)
    if (answer.key == key) return answer.value;
  const double value = mean_good_dies_per_wafer(p);
  answers.push_front({std::move(key), value});
  if (answers.size() > 16) answers.pop_back();
  return value;
}

}  // namespace

std::shared_ptr<const scenario::KindParams> FoundryKind::resolve(const google::protobuf::Message& message,
                                                                 ResolveContext& context) const {
  const auto& f = static_cast<const scsim::Foundry&>(message);
  auto p = std::make_shared<FoundryParams>();
  if (f.has_design_site()) context.gated_by = f.design_site();
  p->port_days = config::to_dist(f.port_days());
  auto& m = p->model;
  m.gross_dies_per_wafer = f.has_gross_dies_per_wafer()
                               ? f.gross_dies_per_wafer()
                               : models::gross_dies_per_wafer({f.wafer_diameter_mm(), f.edge_exclusion_mm(),
                                                               f.die_width_mm(), f.die_height_mm(), f.scribe_mm()});
  m.die_area_mm2 = f.die_width_mm() * f.die_height_mm();
  m.yield_model = to_yield_model(f.yield_model());
  m.clustering_alpha = f.clustering_alpha();
  m.d0_initial_per_cm2 = f.has_d0_initial_per_cm2() ? f.d0_initial_per_cm2() : 0.0;
  m.learning_tau_days = f.learning_tau_days();
  m.harvest_fraction = f.harvest_fraction();
  m.wafer_yield_correlation = f.wafer_yield_correlation();
  p->d0_per_cm2 = config::to_dist(f.d0_per_cm2());
  p->wafer_starts_per_week = to_schedule(f.wafer_starts_per_week(), *context.scenario);
  p->allocation_wait_days = config::to_dist(f.allocation_wait_days());
  p->lot_size_wafers = f.lot_size_wafers();
  p->cycle_time_days = config::to_dist(f.cycle_time_days());
  p->stations = to_stations(f.stations());
  p->wafer_cost_usd = f.wafer_cost_usd();
  p->capacity = to_capacity_terms(f.capacity(), *context.scenario);
  if (f.has_risk_start_after_silicon_days()) p->risk_after_silicon_days = f.risk_start_after_silicon_days();
  p->risk_max_wafers = f.risk_start_max_wafers();
  using PortFrom = engine::OrderedSourceSetup::PortFrom;
  p->port_from = f.port_from() == scsim::Foundry::TAPE_OUT        ? PortFrom::kTapeOut
                 : f.port_from() == scsim::Foundry::FIRST_SILICON ? PortFrom::kSilicon
                                                                  : PortFrom::kRelease;
  p->mean_good_dies_per_wafer = mean_good_dies_per_wafer_memo(*p, f);
  p->port_cost_usd = f.port_cost_usd();
  p->wafer_cost_usd_changes = to_schedule(f.wafer_cost_usd_changes(), *context.scenario);
  return p;
}

double FoundryKind::planned_lead_days(const scenario::Site& site) const {
  const auto& p = site.params_as<FoundryParams>();
  return p.stations.empty() ? models::mean(p.cycle_time_days) : route_days(p.stations);
}

double FoundryKind::planned_good_per_unit(const scenario::Site& site) const {
  return site.params_as<FoundryParams>().mean_good_dies_per_wafer;
}

const scenario::CapacityTerms* FoundryKind::capacity_terms(const scenario::Site& site) const {
  return &site.params_as<FoundryParams>().capacity;
}

std::optional<Kind::RouteLoad> FoundryKind::route_load(const scenario::Site& site, const std::vector<double>&) const {
  const auto& p = site.params_as<FoundryParams>();
  if (p.stations.empty()) return std::nullopt;
  double top = 0;  // the plan's highest rate, in lots
  for (const auto& [day, rate] : p.wafer_starts_per_week.steps) top = std::max(top, rate);
  return RouteLoad{"foundry.stations", &p.stations, top / p.lot_size_wafers};
}

double FoundryKind::output_per_week(const scenario::Site& site) const {
  const auto& p = site.params_as<FoundryParams>();
  double wafers = p.wafer_starts_per_week.last_rate();
  if (!p.stations.empty()) wafers = std::min(wafers, route_units_per_week(p.stations, p.lot_size_wafers));
  return wafers * p.mean_good_dies_per_wafer;
}

FirstUnit FoundryKind::first_unit(const scenario::Site& site, const FirstUnitInputs& inputs) const {
  // Starts at max(gate, first wafer-start step with rate > 0), gate = design milestone + port. When the gate
  // binds, the stage begins at the design's release (the port inside the stage), so stages stay contiguous.
  // Under a program a booking moves the allocation wait to the booking date, a parallel port counts from
  // tape-out or silicon, and risk starts from silicon ship at the release.
  const auto& p = site.params_as<FoundryParams>();
  using PortFrom = engine::OrderedSourceSetup::PortFrom;
  FirstUnit t;
  double may_start = p.wafer_starts_per_week.first_positive_day();
  t.begin = may_start;
  const PortFrom from = inputs.program ? p.port_from : PortFrom::kRelease;
  if (inputs.gate_release < scenario::kNever || site.gated_by >= 0) {
    const double milestone = from == PortFrom::kTapeOut   ? inputs.gate_tapeout
                             : from == PortFrom::kSilicon ? inputs.gate_silicon
                                                          : inputs.gate_release;
    const double gate = milestone + models::mean(p.port_days);
    if (gate >= may_start) {  // the design binds (also on a tie: it is the upstream cause)
      may_start = gate;
      t.begin = std::min(milestone, gate);
      t.bound_by = FirstUnit::BoundBy::kGate;
    }
  }
  const double cycle = p.stations.empty() ? models::mean(p.cycle_time_days) : route_days(p.stations);
  const double wait = models::mean(p.allocation_wait_days);
  const bool booked = inputs.program && p.capacity.booking_day.has_value();
  const double allocated = booked ? *p.capacity.booking_day + wait : scenario::kNever;
  t.ready = (booked ? std::max(may_start, allocated) : may_start + wait) + cycle;
  if (inputs.program && p.risk_after_silicon_days && from == PortFrom::kRelease && inputs.gate_silicon < scenario::kNever) {
    double risk = std::max(inputs.gate_silicon + *p.risk_after_silicon_days, p.wafer_starts_per_week.first_positive_day());
    risk = booked ? std::max(risk, allocated) : risk + wait;
    t.ready = std::min(t.ready, std::max(inputs.gate_release, risk + cycle));
  }
  return t;
}

std::optional<SiteProblem> FoundryKind::zero_capacity(const scenario::Site& site, const std::string&) const {
  if (site.params_as<FoundryParams>().wafer_starts_per_week.has_positive_step()) return std::nullopt;
  return SiteProblem{"foundry.wafer_starts_per_week", "wafer_starts_per_week has no step with rate > 0"};
}

double FoundryKind::planned_unit_cost_usd(const scenario::Site& site) const {
  const auto& p = site.params_as<FoundryParams>();
  return p.mean_good_dies_per_wafer > 0 ? p.wafer_cost_usd / p.mean_good_dies_per_wafer : 0.0;
}

std::vector<std::pair<double, double>> FoundryKind::planned_fixed_costs(const scenario::Site& site) const {
  // The port's cost, on the day the port is expected to start (a little early: the design's release is not known
  // here; the planner only needs the year).
  const auto& p = site.params_as<FoundryParams>();
  if (!(p.port_cost_usd > 0)) return {};
  return {{0.0, p.port_cost_usd}};
}

std::unique_ptr<engine::SiteProcess> FoundryKind::make_process(const scenario::Site& site,
                                                               const engine::ProcessContext& context) const {
  const auto& p = site.params_as<FoundryParams>();
  engine::ProductionSetup production;
  production.stations = p.stations;
  production.delay_days = p.cycle_time_days;
  production.output_metric = "good_dies";
  production.cost_basis = engine::CostBasis::kPerReleasedUnit;
  production.unit_cost_usd = p.wafer_cost_usd;
  production.unit_cost_changes = p.wafer_cost_usd_changes;
  production.spend_category = engine::Spend::kWafers;
  production.make_yield = [&p](models::RandomStream& stream) -> std::unique_ptr<engine::OutputYield> {
    auto model = p.model;
    model.d0_per_cm2 = models::sample(p.d0_per_cm2, stream);
    model.d0_initial_per_cm2 = std::max(model.d0_initial_per_cm2, model.d0_per_cm2);
    return std::make_unique<DieYield>(model);
  };
  if (context.scenario->program.enabled) {
    auto ordered = ordered_source(*this, site, p.wafer_starts_per_week, p.capacity, p.lot_size_wafers,
                                  "wafer_starts", p.wafer_cost_usd);
    ordered.allocation_wait_days = p.allocation_wait_days;
    ordered.port_from = p.port_from;
    ordered.port_days = p.port_days;
    ordered.port_cost_usd = p.port_cost_usd;
    ordered.risk_after_silicon_days = p.risk_after_silicon_days;
    ordered.risk_max_units = p.risk_max_wafers;
    return std::make_unique<engine::OrderedSourceProcess>(site, context, std::move(production), std::move(ordered));
  }
  auto plan = scheduled_release(p.wafer_starts_per_week, p.lot_size_wafers, "wafer_starts");
  plan.allocation_wait_days = p.allocation_wait_days;
  plan.port_days = p.port_days;
  plan.port_cost_usd = p.port_cost_usd;
  return std::make_unique<engine::SourceProcess>(site, context, std::move(production), std::move(plan));
}

void FoundryKind::check(const google::protobuf::Message& message, const std::string& path, const std::string& product,
                        config::FieldChecks& c) const {
  const auto& foundry = static_cast<const scsim::Foundry&>(message);
  (void)product;
  if (foundry.has_design_site()) {
    const auto* design = c.site_ref(join(path, "design_site"), foundry.design_site());
    if (design != nullptr && !design->has_design())
      c.problem(join(path, "design_site"), fmt::format("site '{}' is not a design site", foundry.design_site()));
  } else if (foundry.has_port_days()) {
    c.problem(join(path, "port_days"), "needs design_site: a port is from a design");
  }
  c.dist(join(path, "port_days"), foundry.has_port_days(), foundry.port_days(), config::Range::kDuration, false);
  c.positive(join(path, "wafer_diameter_mm"), foundry.wafer_diameter_mm(), 1000, "mm; the largest wafers are 450 mm");
  c.non_negative(join(path, "edge_exclusion_mm"), foundry.edge_exclusion_mm(), 1000, "mm");
  if (foundry.edge_exclusion_mm() * 2 >= foundry.wafer_diameter_mm() && foundry.wafer_diameter_mm() > 0)
    c.problem(join(path, "edge_exclusion_mm"), fmt::format("leaves no usable wafer (got {:g} on a {:g} mm wafer)",
                                                           foundry.edge_exclusion_mm(), foundry.wafer_diameter_mm()));
  c.non_negative(join(path, "scribe_mm"), foundry.scribe_mm(), 1000, "mm");
  if (foundry.has_gross_dies_per_wafer()) {
    c.positive(join(path, "gross_dies_per_wafer"), foundry.gross_dies_per_wafer(), 1e6, "dies on one wafer");
  } else if (!foundry.has_die_width_mm() || !foundry.has_die_height_mm()) {
    c.problem(path, "needs die_width_mm and die_height_mm (or gross_dies_per_wafer)");
  } else {
    c.positive(join(path, "die_width_mm"), foundry.die_width_mm(), 1000, "mm");
    c.positive(join(path, "die_height_mm"), foundry.die_height_mm(), 1000, "mm");
    const double area = foundry.die_width_mm() * foundry.die_height_mm();
    if (area > models::kReticleLimitMm2)
      c.problem(join(path, "die_width_mm"),
                fmt::format("die area {:g} mm² exceeds the reticle limit {:g} mm² (26 x 33 mm)", area,
                            models::kReticleLimitMm2));
  }
  c.positive(join(path, "clustering_alpha"), foundry.clustering_alpha(), 1e6, "large alpha is already Poisson yield");
  const bool d0_ok =
      c.dist(join(path, "d0_per_cm2"), foundry.has_d0_per_cm2(), foundry.d0_per_cm2(), config::Range::kPositive, true);
  if (foundry.has_d0_initial_per_cm2() &&
      c.positive(join(path, "d0_initial_per_cm2"), foundry.d0_initial_per_cm2(), 1e6, "defects per cm²") && d0_ok &&
      foundry.d0_initial_per_cm2() < config::expected(foundry.d0_per_cm2()))
    c.problem(join(path, "d0_initial_per_cm2"),
              fmt::format("must be >= the mature d0_per_cm2 mean {:g} (got {:g})",
                          config::expected(foundry.d0_per_cm2()), foundry.d0_initial_per_cm2()));
  c.days(join(path, "learning_tau_days"), foundry.learning_tau_days(), true);
  c.probability(join(path, "harvest_fraction"), foundry.harvest_fraction());
  if (!(foundry.wafer_yield_correlation() >= 0 && foundry.wafer_yield_correlation() < 1))
    c.problem(join(path, "wafer_yield_correlation"),
              fmt::format("must be in [0, 1) (got {:g})", foundry.wafer_yield_correlation()));
  c.schedule(join(path, "wafer_starts_per_week"), foundry.has_wafer_starts_per_week(), foundry.wafer_starts_per_week());
  c.dist(join(path, "allocation_wait_days"), foundry.has_allocation_wait_days(), foundry.allocation_wait_days(),
         config::Range::kDuration, false);
  c.at_least_one(join(path, "lot_size_wafers"), foundry.lot_size_wafers(), 10000, "wafers in one lot");
  if (foundry.stations_size() > 0)
    c.stations(join(path, "stations"), foundry.stations());
  else
    c.dist(join(path, "cycle_time_days"), foundry.has_cycle_time_days(), foundry.cycle_time_days(),
           config::Range::kDuration, true);
  c.non_negative(join(path, "wafer_cost_usd"), foundry.wafer_cost_usd(), config::kMaxUsd,
                 "USD; costs are summed over every unit");
  if (program_only(join(path, "capacity"), foundry.has_capacity(), c))
    check_capacity_terms(join(path, "capacity"), foundry.capacity(), join(path, "wafer_starts_per_week"),
                         foundry.wafer_starts_per_week(), c);
  // Defaults are filled in before validation, so "set" means "not the default" here.
  program_only(join(path, "port_from"), foundry.port_from() != scsim::Foundry::PRODUCTION_RELEASE, c);
  program_only(join(path, "risk_start_max_wafers"), foundry.risk_start_max_wafers() != 0, c);
  if (program_only(join(path, "risk_start_after_silicon_days"), foundry.has_risk_start_after_silicon_days(), c)) {
    c.days(join(path, "risk_start_after_silicon_days"), foundry.risk_start_after_silicon_days(), false);
    if (!foundry.has_design_site())
      c.problem(join(path, "risk_start_after_silicon_days"), "needs design_site: risk starts follow its silicon");
    else if (foundry.port_from() != scsim::Foundry::PRODUCTION_RELEASE)
      c.problem(join(path, "risk_start_after_silicon_days"),
                "risk starts are for the design's home foundry: a ported foundry (port_from) starts when its port ends");
  }
  c.non_negative(join(path, "risk_start_max_wafers"), foundry.risk_start_max_wafers(), config::kMaxRatePerWeek,
                 "wafers");
  c.non_negative(join(path, "port_cost_usd"), foundry.port_cost_usd(), config::kMaxUsd * 1000, "USD");
  if (foundry.has_port_cost_usd() && foundry.port_cost_usd() > 0 && !foundry.has_port_days())
    c.problem(join(path, "port_cost_usd"), "needs port_days: it is the port's cost");
  if (foundry.has_wafer_cost_usd_changes())
    c.schedule(join(path, "wafer_cost_usd_changes"), true, foundry.wafer_cost_usd_changes());
  if (foundry.port_from() != scsim::Foundry::PRODUCTION_RELEASE && !foundry.has_port_days())
    c.problem(join(path, "port_from"), "needs port_days: how long the port takes from that milestone");
}

void FoundryKind::check_work(const google::protobuf::Message& message, const std::string& path,
                             config::FieldChecks& c) const {
  const auto& foundry = static_cast<const scsim::Foundry&>(message);
  const double lots = c.schedule_lots(join(path, "wafer_starts_per_week"), foundry.wafer_starts_per_week(),
                                      foundry.lot_size_wafers(), "wafers");
  c.station_work(join(path, "stations"), foundry.stations(), lots);
}

}  // namespace scsim::kinds
