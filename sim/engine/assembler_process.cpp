#include "sim/engine/assembler_process.hpp"

#include <cmath>

#include "sim/results/results.pb.h"

namespace scsim::engine {

AssemblerProcess::AssemblerProcess(const scenario::Site& site, const ProcessContext& context,
                                   ProductionSetup production, AssemblySetup assembly)
    : ProducingProcess(site, context, std::move(production)), assembly_(std::move(assembly)) {
  buffers_.resize(site.inputs.size());
  buffered_units_.assign(site.inputs.size(), 0);
  order_lanes_.resize(site.inputs.size());
  for (std::size_t i = 0; i < site.inputs.size(); ++i) input_of_product_[site.inputs[i].product] = i;
  // Inputs whose suppliers make to order are ordered again, in equal parts, as batches complete; under a
  // program every input is ordered, split by the lanes' order shares.
  program_ = scenario_.program.enabled;
  for (std::size_t l = 0; l < scenario_.lanes.size(); ++l) {
    const auto& lane = scenario_.lanes[l];
    if (lane.to != context.site || lane.order_days <= 0) continue;
    const auto found = input_of_product_.find(lane.product);
    if (found != input_of_product_.end())
      order_lanes_[found->second].push_back({static_cast<int>(l), lane.from, program_ ? lane.order_share : 1.0});
  }
  if (!program_)
    for (auto& lanes : order_lanes_)
      for (auto& lane : lanes) lane.fraction = 1.0 / static_cast<double>(lanes.size());
}

void AssemblerProcess::on_start(double now, Outbox&) {
  if (!assembly_.capacity) return;
  open_capacity(*assembly_.capacity, now);
  // Booked ahead: the queue for the allocation runs from the booking date, not from the first kit.
  if (const auto booking = assembly_.capacity->terms().booking_day) {
    queue_ready_day_ = *booking + models::sample(assembly_.queue_days, stream_);
    assembly_.capacity->set_available_from(queue_ready_day_);
  }
}

double AssemblerProcess::rate_at(double now) const {
  return assembly_.capacity ? assembly_.capacity->rate(now) : assembly_.start_capacity_per_week.rate_at(now);
}

double AssemblerProcess::next_positive(double now) const {
  if (assembly_.capacity) return assembly_.capacity->rate(now) > 0 ? now : assembly_.capacity->next_positive(now);
  return assembly_.start_capacity_per_week.next_positive(now);
}

void AssemblerProcess::on_order(const ev::Order& order, double now, Outbox& out) {
  if (!program_) SiteProcess::on_order(order, now, out);
  series_.flow(Slot::kOrders, "orders").add(now, order.units);
  // Needed at the customer on due_day: it leaves here a transit earlier and starts a lead time before that.
  const double start = start_day(order, now, assembly_.lead_days);
  book_.add(start, order.units);
  order_inputs(order.units / assembly_.planned_yield, start, now, out);
}

void AssemblerProcess::order_inputs(double units, double due_day, double now, Outbox& out) {
  for (std::size_t i = 0; i < site_.inputs.size(); ++i)
    for (const auto& lane : order_lanes_[i]) {
      const double days = scenario_.lanes[static_cast<std::size_t>(lane.lane)].order_days;
      send(out, lane.supplier, now + days, ev::Order{lane.lane, units * site_.inputs[i].quantity * lane.fraction, due_day});
    }
}

void AssemblerProcess::on_capacity_tick(double now, Outbox&) {
  // This week's demand on the capacity: the output ordered to start within the week and not yet started, or
  // the kits already here if more (re-orders for yield shortfalls bring kits the book does not hold).
  double kits = scenario::kNever;
  for (std::size_t i = 0; i < site_.inputs.size(); ++i)
    kits = std::min(kits, static_cast<double>(buffered_units_[i]) / site_.inputs[i].quantity);
  if (site_.inputs.empty()) kits = 0;
  const double ordered = std::max(0.0, book_.due_by_peek(now + scenario::kWeek) - started_units_);
  assembly_.capacity->tick(now, std::max(ordered, kits));
  next_capacity_tick(now);
  try_start(now);
}

void AssemblerProcess::finish(double end_day, scsim::ReplicationResult& result) {
  if (assembly_.capacity) bill_capacity(*assembly_.capacity, assembly_.capacity_unit_cost_usd, end_day, result);
  ProducingProcess::finish(end_day, result);
}

void AssemblerProcess::on_arrival(const ev::Arrival& arrival, double now, Outbox&) {
  const Batch& batch = arrival.batch;
  series_.flow(Slot::kDelivered, "delivered").add(now, static_cast<double>(batch.units));
  const std::size_t input = input_of_product_.at(batch.product);
  buffers_[input].push_back({batch.units, batch.origin_day, batch.cost_usd / static_cast<double>(batch.units)});
  buffered_units_[input] += batch.units;
  update_inventory(now);
  try_start(now);
}

void AssemblerProcess::on_capacity_free(double now, Outbox&) {
  retry_pending_ = false;
  try_start(now);
}

bool AssemblerProcess::kit_available() const {
  for (std::size_t i = 0; i < site_.inputs.size(); ++i)
    if (static_cast<double>(buffered_units_[i]) < site_.inputs[i].quantity * static_cast<double>(assembly_.batch_units))
      return false;
  return true;
}

void AssemblerProcess::try_start(double now) {
  if (queue_ready_day_ < 0) {
    // The one-off wait for an allocation starts with the first full kit, or
    // when the site's capacity plan begins if that is later (waits add up,
    // as in the critical path).
    if (!kit_available()) return;
    const double opens = !capacity_limited() ? now : next_positive(now);
    if (opens >= scenario::kNever) return;
    queue_ready_day_ = opens + models::sample(assembly_.queue_days, stream_);
    if (assembly_.capacity) assembly_.capacity->set_available_from(queue_ready_day_);
  }
  if (now < queue_ready_day_) {
    if (!retry_pending_) {
      schedule(queue_ready_day_, ev::CapacityFree{});
      retry_pending_ = true;
    }
    return;
  }
  for (;;) {
    // Busy, with the retry booked: nothing can start before it (most arrivals of a busy line end here, before
    // the kit check and the plan's rate).
    if (retry_pending_ && capacity_free_day_ > now && capacity_limited()) return;
    if (!kit_available()) return;
    if (capacity_limited()) {
      const double rate = rate_at(now);  // once: next_positive asks for it too, and a plan's rate takes a scan
      const double free = std::max(capacity_free_day_, rate > 0 ? now : next_positive(now));
      if (free > now) {
        if (!retry_pending_ && free < scenario::kNever) {
          schedule(free, ev::CapacityFree{});
          retry_pending_ = true;
        }
        return;
      }
      const double busy = scenario::kWeek * static_cast<double>(assembly_.batch_units) / rate;
      capacity_free_day_ = context_.profile.empty() ? now + busy : context_.profile.finish_time(now, busy);
      record_capacity_use(now, capacity_free_day_);
      if (assembly_.capacity) {
        assembly_.capacity->note_first_start(now);
        assembly_.capacity->used(now, static_cast<double>(assembly_.batch_units));
      }
    }
    // Consume the kit, oldest material first; the batch's origin is its oldest part's.
    Batch batch;
    batch.product = site_.product;
    batch.units = assembly_.batch_units;
    batch.entered_day = now;
    batch.origin_day = now;
    for (std::size_t i = 0; i < site_.inputs.size(); ++i) {
      auto need =
          static_cast<std::int64_t>(std::ceil(site_.inputs[i].quantity * static_cast<double>(assembly_.batch_units)));
      buffered_units_[i] -= need;
      auto& queue = buffers_[i];
      while (need > 0) {
        Held& front = queue.front();
        batch.origin_day = std::min(batch.origin_day, front.origin_day);
        const std::int64_t take = std::min(need, front.units);
        batch.cost_usd += static_cast<double>(take) * front.cost_per_unit_usd;
        front.units -= take;
        need -= take;
        if (front.units == 0) queue.pop_front();
      }
    }
    if (setup_.cost_basis == CostBasis::kPerStartedUnit) {
      const double usd = unit_cost_at(now) * static_cast<double>(batch.units);
      batch.cost_usd += usd;
      book_purchase(now, usd);
    }
    update_inventory(now);
    started_units_ += static_cast<double>(batch.units);
    start_lot(batch, now);
  }
}

void AssemblerProcess::completed(const Batch& batch, std::int64_t good, double now, Outbox& out) {
  if (program_) {
    // The plan ordered inputs for the mean yield; a batch that fell short is made up by ordering again, now
    // (a batch above the mean offsets later shortfalls).
    yield_debt_ += static_cast<double>(batch.started_units) * assembly_.planned_yield - static_cast<double>(good);
    if (yield_debt_ >= 1) {
      order_inputs(yield_debt_ / assembly_.planned_yield, now, now, out);
      yield_debt_ = 0;
    }
    return;
  }
  for (std::size_t i = 0; i < site_.inputs.size(); ++i) {
    const double used = site_.inputs[i].quantity * static_cast<double>(batch.units);
    for (const auto& lane : order_lanes_[i])
      send(out, lane.supplier, now + scenario_.lanes[static_cast<std::size_t>(lane.lane)].order_days,
           ev::Order{lane.lane, used * lane.fraction});
  }
}

double AssemblerProcess::inventory_units() const {
  double units = shipper_.held_units();
  for (const auto count : buffered_units_) units += static_cast<double>(count);
  return units;
}

}  // namespace scsim::engine
