#include "sim/kinds/memory.hpp"

#include <fmt/format.h>

#include <set>

#include "models/yield.hpp"
#include "sim/config/field_checks.hpp"
#include "sim/config/scenario.pb.h"
#include "sim/config/to_params.hpp"
#include "sim/engine/ordered_source_process.hpp"
#include "sim/engine/source_process.hpp"
#include "sim/kinds/kind_support.hpp"

namespace scsim::kinds {

namespace {

class StackYield final : public engine::OutputYield {
 public:
  explicit StackYield(const models::MemoryParams& params) : memory_(params) {}
  std::int64_t good(std::int64_t wafers, double age_days, models::RandomStream& stream) const override {
    return memory_.good_stacks(wafers, age_days, stream);
  }
  double expected_good_per_unit() const override { return memory_.expected_stacks_per_wafer(); }

 private:
  models::Memory memory_;
};

}  // namespace

double MemoryParams::expected_stack_yield() const {
  if (stack_yield) return models::mean(*stack_yield);
  return models::stack_yield(models::mean(die_yield), models::mean(bond_yield), model.stack_height);
}

std::shared_ptr<const scenario::KindParams> MemoryKind::resolve(const google::protobuf::Message& message,
                                                                ResolveContext& context) const {
  const auto& m = static_cast<const scsim::Memory&>(message);
  auto p = std::make_shared<MemoryParams>();
  p->model.dies_per_wafer = m.dies_per_wafer();
  p->model.stack_height = m.stack_height();
  p->model.stack_yield_initial = m.has_stack_yield_initial() ? m.stack_yield_initial() : -1.0;
  p->model.learning_tau_days = m.learning_tau_days();
  if (m.has_stack_yield()) p->stack_yield = config::to_dist(m.stack_yield());
  p->die_yield = config::to_dist(m.die_yield(), 1.0);
  p->bond_yield = config::to_dist(m.bond_yield(), kDefaultBondYield);
  p->dram_wafer_starts_per_week = to_schedule(m.dram_wafer_starts_per_week(), *context.scenario);
  p->lot_size_wafers = m.lot_size_wafers();
  p->cycle_time_days = config::to_dist(m.cycle_time_days());
  for (const auto& q : m.qualifications()) {
    scenario::Qualification out{config::to_dist(q.duration_days()), q.slip_probability(),
                                config::to_dist(q.slip_days()), std::nullopt};
    if (q.has_start_date()) out.start_day = context.scenario->day_of(q.start_date());
    p->qualifications.emplace_back(q.customer_site(), std::move(out));
  }
  p->stack_cost_usd = m.stack_cost_usd();
  p->capacity = to_capacity_terms(m.capacity(), *context.scenario);
  return p;
}

double MemoryKind::planned_lead_days(const scenario::Site& site) const {
  return models::mean(site.params_as<MemoryParams>().cycle_time_days);
}

double MemoryKind::planned_good_per_unit(const scenario::Site& site) const {
  const auto& p = site.params_as<MemoryParams>();
  return p.model.dies_per_wafer / p.model.stack_height * p.expected_stack_yield();
}

const scenario::CapacityTerms* MemoryKind::capacity_terms(const scenario::Site& site) const {
  return &site.params_as<MemoryParams>().capacity;
}

std::optional<scenario::Qualification> MemoryKind::qualification_at(const scenario::Site& site,
                                                                    const std::string& customer) const {
  // The last entry for a customer applies.
  std::optional<scenario::Qualification> found;
  for (const auto& [name, q] : site.params_as<MemoryParams>().qualifications)
    if (name == customer) found = q;
  return found;
}

double MemoryKind::output_per_week(const scenario::Site& site) const {
  const auto& p = site.params_as<MemoryParams>();
  return p.dram_wafer_starts_per_week.last_rate() * p.model.dies_per_wafer / p.model.stack_height *
         p.expected_stack_yield();
}

FirstUnit MemoryKind::first_unit(const scenario::Site& site, const FirstUnitInputs&) const {
  const auto& p = site.params_as<MemoryParams>();
  FirstUnit t;
  t.begin = p.dram_wafer_starts_per_week.first_positive_day();
  t.ready = t.begin + models::mean(p.cycle_time_days);
  return t;
}

std::optional<SiteProblem> MemoryKind::zero_capacity(const scenario::Site& site, const std::string&) const {
  if (site.params_as<MemoryParams>().dram_wafer_starts_per_week.has_positive_step()) return std::nullopt;
  return SiteProblem{"memory.dram_wafer_starts_per_week", "dram_wafer_starts_per_week has no step with rate > 0"};
}

double MemoryKind::planned_unit_cost_usd(const scenario::Site& site) const {
  return site.params_as<MemoryParams>().stack_cost_usd;
}

std::unique_ptr<engine::SiteProcess> MemoryKind::make_process(const scenario::Site& site,
                                                              const engine::ProcessContext& context) const {
  const auto& p = site.params_as<MemoryParams>();
  engine::ProductionSetup production;
  production.delay_days = p.cycle_time_days;
  production.output_metric = "hbm_stacks";
  production.cost_basis = engine::CostBasis::kPerGoodOutput;
  production.unit_cost_usd = p.stack_cost_usd;
  production.spend_category = engine::Spend::kHbm;
  production.make_yield = [&p](models::RandomStream& stream) -> std::unique_ptr<engine::OutputYield> {
    auto model = p.model;
    if (p.stack_yield) {
      model.stack_yield = models::sample(*p.stack_yield, stream);
    } else {
      const double die = models::sample(p.die_yield, stream);
      const double bond = models::sample(p.bond_yield, stream);
      model.stack_yield = models::stack_yield(die, bond, model.stack_height);
    }
    return std::make_unique<StackYield>(model);
  };
  if (context.scenario->program.enabled) {
    auto ordered = ordered_source(*this, site, p.dram_wafer_starts_per_week, p.capacity, p.lot_size_wafers,
                                  "wafer_starts", p.stack_cost_usd * planned_good_per_unit(site));
    return std::make_unique<engine::OrderedSourceProcess>(site, context, std::move(production), std::move(ordered));
  }
  auto plan = scheduled_release(p.dram_wafer_starts_per_week, p.lot_size_wafers, "wafer_starts");
  return std::make_unique<engine::SourceProcess>(site, context, std::move(production), std::move(plan));
}

void MemoryKind::check(const google::protobuf::Message& message, const std::string& path, const std::string& product,
                       config::FieldChecks& c) const {
  const auto& memory = static_cast<const scsim::Memory&>(message);
  (void)product;
  c.schedule(join(path, "dram_wafer_starts_per_week"), memory.has_dram_wafer_starts_per_week(),
             memory.dram_wafer_starts_per_week());
  if (!memory.has_dies_per_wafer())
    c.problem(join(path, "dies_per_wafer"), "is required");
  else
    c.positive(join(path, "dies_per_wafer"), memory.dies_per_wafer(), 1e6, "dies on one wafer");
  c.at_least_one(join(path, "stack_height"), memory.stack_height(), 1024, "dies in one stack");
  if (memory.has_stack_yield()) {
    c.dist(join(path, "stack_yield"), true, memory.stack_yield(), config::Range::kYield, true);
  } else {
    c.dist(join(path, "die_yield"), memory.has_die_yield(), memory.die_yield(), config::Range::kYield, true);
    c.dist(join(path, "bond_yield"), memory.has_bond_yield(), memory.bond_yield(), config::Range::kYield, false);
  }
  c.at_least_one(join(path, "lot_size_wafers"), memory.lot_size_wafers(), 10000, "wafers in one lot");
  c.dist(join(path, "cycle_time_days"), memory.has_cycle_time_days(), memory.cycle_time_days(),
         config::Range::kDuration, true);
  std::set<std::string> customers;
  for (int i = 0; i < memory.qualifications_size(); ++i) {
    const auto& q = memory.qualifications(i);
    const std::string q_path = fmt::format("{}.qualifications[{}]", path, i);
    const auto* customer = c.site_ref(q_path + ".customer_site", q.customer_site());
    if (customer != nullptr && !customer->has_packaging())
      c.problem(q_path + ".customer_site", fmt::format("site '{}' is not a packaging site", q.customer_site()));
    if (!customers.insert(q.customer_site()).second)
      c.problem(q_path + ".customer_site", fmt::format("duplicate qualification for '{}'", q.customer_site()));
    c.dist(q_path + ".duration_days", q.has_duration_days(), q.duration_days(), config::Range::kDuration, true);
    c.probability(q_path + ".slip_probability", q.slip_probability());
    c.dist(q_path + ".slip_days", q.has_slip_days(), q.slip_days(), config::Range::kDuration, q.slip_probability() > 0);
    if (q.has_start_date()) c.date(q_path + ".start_date", q.start_date());
  }
  c.non_negative(join(path, "stack_cost_usd"), memory.stack_cost_usd(), config::kMaxUsd,
                 "USD; costs are summed over every unit");
  if (program_only(join(path, "capacity"), memory.has_capacity(), c))
    check_capacity_terms(join(path, "capacity"), memory.capacity(), join(path, "dram_wafer_starts_per_week"),
                         memory.dram_wafer_starts_per_week(), c);
  if (memory.has_stack_yield_initial() && !(memory.stack_yield_initial() > 0 && memory.stack_yield_initial() <= 1))
    c.problem(join(path, "stack_yield_initial"),
              fmt::format("must be in (0, 1] (got {:g})", memory.stack_yield_initial()));
  c.days(join(path, "learning_tau_days"), memory.learning_tau_days(), true);
}

void MemoryKind::check_work(const google::protobuf::Message& message, const std::string& path,
                            config::FieldChecks& c) const {
  const auto& memory = static_cast<const scsim::Memory&>(message);
  c.schedule_lots(join(path, "dram_wafer_starts_per_week"), memory.dram_wafer_starts_per_week(),
                  memory.lot_size_wafers(), "wafers");
}

}  // namespace scsim::kinds
