#include "sim/engine/ordered_source_process.hpp"

#include <algorithm>
#include <cmath>

#include "sim/results/results.pb.h"

namespace scsim::engine {

OrderedSourceProcess::OrderedSourceProcess(const scenario::Site& site, const ProcessContext& context,
                                           ProductionSetup production, OrderedSourceSetup setup)
    : ProducingProcess(site, context, std::move(production)), plan_(std::move(setup)) {}

void OrderedSourceProcess::on_start(double now, Outbox&) {
  // Replication draws after the producing part's: other buyers' demand, then a booked allocation wait.
  open_capacity(plan_.capacity, now);
  if (booked()) {
    plan_.capacity.set_available_from(*plan_.capacity.terms().booking_day +
                                       models::sample(plan_.allocation_wait_days, stream_));
  } else {
    plan_.capacity.set_available_from(scenario::kNever);
    waiting_for_need_ = site_.gated_by < 0;  // gated sites start the wait when volume opens
  }
  if (site_.gated_by < 0) design_released_ = volume_open_ = true;
}

void OrderedSourceProcess::on_order(const ev::Order& order, double now, Outbox&) {
  series_.flow(Slot::kOrders, "orders").add(now, order.units);
  book_.add(start_day(order, now, plan_.lead_days), order.units, planned_good_);
  if (waiting_for_need_) {
    waiting_for_need_ = false;
    plan_.capacity.set_available_from(now + models::sample(plan_.allocation_wait_days, stream_));
  }
  try_release(now);
}

void OrderedSourceProcess::begin_port(double now) {
  spend_.add(now, Spend::kDesign, plan_.port_cost_usd);
  schedule(now + models::sample(plan_.port_days, stream_), ev::ReleasesBegin{});
}

void OrderedSourceProcess::on_tape_out(double now, Outbox&) {
  if (plan_.port_from == OrderedSourceSetup::PortFrom::kTapeOut) begin_port(now);
}

void OrderedSourceProcess::on_silicon(const ev::Silicon& silicon, double now, Outbox&) {
  if (silicon.works && plan_.port_from == OrderedSourceSetup::PortFrom::kSilicon) begin_port(now);
  if (!plan_.risk_after_silicon_days || plan_.port_from != OrderedSourceSetup::PortFrom::kRelease) return;
  // New silicon replaces the spin before it: what was started at risk on that spin is scrapped.
  if (spin_ >= 0) {
    for (Event* event : lots_in_process()) {
      auto& batch = std::get<ev::SegmentDone>(event->body).batch;
      if (batch.risk_spin >= 0 && batch.risk_spin < silicon.spin) batch.units = 0;
    }
    for (const auto& batch : held_) planned_good_ -= static_cast<double>(batch.units);
    held_.clear();
  }
  spin_ = silicon.spin;
  risk_open_day_ = now + *plan_.risk_after_silicon_days;
  wake(risk_open_day_);
}

void OrderedSourceProcess::on_gate_open(const ev::GateOpen&, double now, Outbox& out) {
  design_released_ = true;
  for (const auto& batch : held_) dispatch(batch, now, out);
  held_.clear();
  if (plan_.port_from == OrderedSourceSetup::PortFrom::kRelease) begin_port(now);
}

void OrderedSourceProcess::on_releases_begin(double now, Outbox&) {
  if (volume_open_) return;
  volume_open_ = true;
  // Not booked ahead: the allocation wait starts once the site could otherwise start (waits add up).
  if (!booked())
    plan_.capacity.set_available_from(
        std::min(plan_.capacity.available_from(), now + models::sample(plan_.allocation_wait_days, stream_)));
  try_release(now);
}

void OrderedSourceProcess::wake(double at) {
  if (at >= scenario::kNever || at >= context_.horizon_days || at >= wake_at_) return;
  wake_at_ = at;
  schedule(at, ev::Release{});
}

void OrderedSourceProcess::on_release(double now, Outbox&) {
  if (now >= wake_at_) wake_at_ = scenario::kNever;
  try_release(now);
}

void OrderedSourceProcess::try_release(double now) {
  const bool risk = !volume_open_ && now >= risk_open_day_;
  if (!volume_open_ && !risk) return;  // the gate, the port or silicon will call again
  for (;;) {
    if (book_.due_by(now) - planned_good_ <= 1e-9) {
      wake(book_.next_start());
      return;
    }
    if (risk && plan_.risk_max_units > 0 && risk_started_ >= plan_.risk_max_units) return;
    const double rate = plan_.capacity.rate(now);
    if (rate <= 0) {
      wake(plan_.capacity.next_positive(now));
      return;
    }
    if (next_free_ > now) {
      wake(next_free_);
      return;
    }
    Batch batch;
    batch.product = site_.product;
    batch.units = plan_.units_per_lot;
    batch.entered_day = now;
    batch.origin_day = now;
    batch.risk_spin = risk ? spin_ : -1;
    if (production_start_day_ < 0) production_start_day_ = now;
    plan_.capacity.note_first_start(now);
    plan_.capacity.used(now, 1.0);
    const double units = static_cast<double>(batch.units);
    if (setup_.cost_basis == CostBasis::kPerReleasedUnit) {
      batch.cost_usd = unit_cost_at(now) * units;
      book_purchase(now, batch.cost_usd);
    }
    planned_good_ += units * plan_.planned_good_per_unit;
    if (risk) risk_started_ += units;
    next_free_ = now + scenario::kWeek / rate;
    record_capacity_use(now, next_free_);
    series_.flow(Slot::kRelease, plan_.release_metric).add(now, units);
    start_lot(batch, now);
  }
}

void OrderedSourceProcess::on_capacity_tick(double now, Outbox&) {
  // This week's demand on the capacity: the lots the orders due within the week still need.
  const double wanted = std::max(0.0, book_.due_by_peek(now + scenario::kWeek) - planned_good_);
  plan_.capacity.tick(now, wanted / plan_.planned_good_per_unit / static_cast<double>(plan_.units_per_lot));
  next_capacity_tick(now);
  try_release(now);
}

void OrderedSourceProcess::completed(const Batch& batch, std::int64_t good, double now, Outbox&) {
  // The plan counted the lot at the mean yield; what it really gave replaces that, and a shortfall is started
  // again (scrapped lots give nothing).
  planned_good_ += static_cast<double>(good) - static_cast<double>(batch.started_units) * plan_.planned_good_per_unit;
  try_release(now);
}

void OrderedSourceProcess::ship(const Batch& good, double now, Outbox& out) {
  if (!design_released_) {
    held_.push_back(good);
    return;
  }
  dispatch(good, now, out);
}

void OrderedSourceProcess::finish(double end_day, scsim::ReplicationResult& result) {
  bill_capacity(plan_.capacity, plan_.capacity_unit_cost_usd, end_day, result);
  ProducingProcess::finish(end_day, result);
}

}  // namespace scsim::engine
