#include "sim/engine/source_process.hpp"

namespace scsim::engine {

SourceProcess::SourceProcess(const scenario::Site& site, const ProcessContext& context, ProductionSetup production,
                             ReleasePlan plan)
    : ProducingProcess(site, context, std::move(production)), plan_(std::move(plan)) {}

void SourceProcess::on_start(double now, Outbox&) {
  if (site_.gated_by < 0) begin_releasing(now);
}

void SourceProcess::on_gate_open(const ev::GateOpen&, double now, Outbox&) {
  // The design is released; porting to this site comes after it.
  spend_.add(now, Spend::kDesign, plan_.port_cost_usd);
  schedule(now + models::sample(plan_.port_days, stream_), ev::ReleasesBegin{});
}

void SourceProcess::on_releases_begin(double now, Outbox&) {
  if (!releasing_) begin_releasing(now);
}

void SourceProcess::begin_releasing(double now) {
  // Waits add up: the allocation wait starts once the site could otherwise
  // start (gate open and its plan begun), as the critical path assumes.
  const double wait = models::sample(plan_.allocation_wait_days, stream_);
  releasing_ = true;
  const double first = now + wait;
  switch (plan_.policy) {
    case ReleasePlan::Policy::kSchedule: {
      const double planned = plan_.lots_per_week.next_positive(now);
      if (planned >= scenario::kNever) break;
      const double at = plan_.lots_per_week.next_positive(planned + wait);
      if (at < scenario::kNever) schedule(at, ev::Release{});
      break;
    }
    case ReleasePlan::Policy::kInterarrival:
      schedule(first + models::sample(plan_.interarrival_days, stream_), ev::Release{});
      break;
    case ReleasePlan::Policy::kConwip:
      for (int i = 0; i < plan_.conwip_lots; ++i) schedule(first, ev::Refill{});
      break;
    case ReleasePlan::Policy::kOrders:
      for (int i = 0; i < plan_.initial_lots; ++i) schedule(first, ev::Refill{});
      break;
    case ReleasePlan::Policy::kNone:
      break;
  }
}

bool SourceProcess::demand_covered() const {
  const auto& d = context_.demand;
  if (d.target_units <= 0 || d.accel_per_output_unit <= 0) return false;
  const double planned =
      static_cast<double>(units_released_) * yield_->expected_good_per_unit() * d.accel_per_output_unit;
  return planned >= static_cast<double>(d.target_units) * d.share * d.release_margin;
}

void SourceProcess::schedule_next_release(double after) {
  switch (plan_.policy) {
    case ReleasePlan::Policy::kSchedule: {
      // Lots leave at the current pace; a later step of the plan takes over on its date.
      const auto& steps = plan_.lots_per_week;
      const double rate = steps.rate_at(after);
      double at = rate > 0 ? after + scenario::kWeek / rate : steps.next_positive(after);
      for (const auto& [from, value] : steps.steps)
        if (from > after && from < at && value > 0) {
          at = from;
          break;
        }
      if (at < scenario::kNever) schedule(at, ev::Release{});
      break;
    }
    case ReleasePlan::Policy::kInterarrival:
      schedule(after + models::sample(plan_.interarrival_days, stream_), ev::Release{});
      break;
    case ReleasePlan::Policy::kConwip:
    case ReleasePlan::Policy::kOrders:
    case ReleasePlan::Policy::kNone:
      break;
  }
}

bool SourceProcess::release_lot(double now) {
  if ((plan_.max_lots > 0 && lots_released_ >= plan_.max_lots) || demand_covered()) return false;
  if (production_start_day_ < 0) production_start_day_ = now;
  Batch batch;
  batch.product = site_.product;
  batch.units = plan_.units_per_lot;
  batch.entered_day = now;
  batch.origin_day = now;
  if (setup_.cost_basis == CostBasis::kPerReleasedUnit) {
    batch.cost_usd = unit_cost_at(now) * static_cast<double>(batch.units);
    book_purchase(now, batch.cost_usd);
  }
  ++lots_released_;
  units_released_ += batch.units;
  series_.flow(Slot::kRelease, plan_.release_metric).add(now, static_cast<double>(batch.units));
  start_lot(batch, now);
  return true;
}

void SourceProcess::on_release(double now, Outbox&) {
  if (plan_.policy == ReleasePlan::Policy::kSchedule) {
    const double rate = plan_.lots_per_week.rate_at(now);
    if (rate <= 0) {
      // The plan dropped to zero since this release was scheduled: resume when it restarts.
      const double resume = plan_.lots_per_week.next_positive(now);
      if (resume < scenario::kNever) schedule(resume, ev::Release{});
      return;
    }
    if (!release_lot(now)) return;
    // The planned rate is the site's allocated capacity: each lot uses 1/rate of a week of it.
    record_capacity_use(now, now + scenario::kWeek / rate);
  } else if (!release_lot(now)) {
    return;
  }
  schedule_next_release(now);
}

void SourceProcess::on_refill(double now, Outbox&) {
  release_lot(now);
}

void SourceProcess::on_order(const ev::Order& order, double now, Outbox&) {
  // Under a program, orders reach every source; one that releases on its own plan keeps to it.
  if (plan_.policy != ReleasePlan::Policy::kOrders) return;
  ordered_units_ += order.units;
  const auto lot = static_cast<double>(plan_.units_per_lot);
  while (ordered_units_ >= lot - 1e-9) {
    ordered_units_ -= lot;
    if (!release_lot(now)) break;
  }
}

void SourceProcess::completed(const Batch&, std::int64_t, double now, Outbox&) {
  if (plan_.policy == ReleasePlan::Policy::kConwip) schedule(now, ev::Refill{});
}

}  // namespace scsim::engine
