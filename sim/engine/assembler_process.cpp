#include "sim/engine/assembler_process.hpp"

#include <cmath>

namespace scsim::engine {

AssemblerProcess::AssemblerProcess(const scenario::Site& site, const ProcessContext& context,
                                   ProductionSetup production, AssemblySetup assembly)
    : ProducingProcess(site, context, std::move(production)), assembly_(std::move(assembly)) {
  buffers_.resize(site.inputs.size());
  buffered_units_.assign(site.inputs.size(), 0);
  order_lanes_.resize(site.inputs.size());
  for (std::size_t i = 0; i < site.inputs.size(); ++i) input_of_product_[site.inputs[i].product] = i;
  // Inputs whose suppliers make to order are ordered again, in equal parts, as batches complete.
  for (std::size_t l = 0; l < scenario_.lanes.size(); ++l) {
    const auto& lane = scenario_.lanes[l];
    if (lane.to != context.site || lane.order_days <= 0) continue;
    const auto found = input_of_product_.find(lane.product);
    if (found != input_of_product_.end())
      order_lanes_[found->second].push_back({static_cast<int>(l), lane.from, 1.0});
  }
  for (auto& lanes : order_lanes_)
    for (auto& lane : lanes) lane.fraction = 1.0 / static_cast<double>(lanes.size());
}

void AssemblerProcess::on_arrival(const ev::Arrival& arrival, double now, Outbox&) {
  const Batch& batch = arrival.batch;
  flow(Slot::kDelivered, "delivered").add(now, static_cast<double>(batch.units));
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
    if (static_cast<double>(buffered_units_[i]) <
        site_.inputs[i].quantity * static_cast<double>(assembly_.batch_units))
      return false;
  return true;
}

void AssemblerProcess::try_start(double now) {
  const auto& capacity = assembly_.start_capacity_per_week;
  if (queue_ready_day_ < 0) {
    // The one-off wait for an allocation starts with the first full kit, or
    // when the site's capacity plan begins if that is later (waits add up,
    // as in the critical path).
    if (!kit_available()) return;
    const double opens = capacity.empty() ? now : capacity.next_positive(now);
    if (opens >= scenario::kNever) return;
    queue_ready_day_ = opens + models::sample(assembly_.queue_days, stream_);
  }
  if (now < queue_ready_day_) {
    if (!retry_pending_) {
      schedule(queue_ready_day_, ev::CapacityFree{});
      retry_pending_ = true;
    }
    return;
  }
  for (;;) {
    if (!kit_available()) return;
    if (!capacity.empty()) {
      const double free = std::max(capacity_free_day_, capacity.next_positive(now));
      if (free > now) {
        if (!retry_pending_ && free < scenario::kNever) {
          schedule(free, ev::CapacityFree{});
          retry_pending_ = true;
        }
        return;
      }
      const double busy = scenario::kWeek * static_cast<double>(assembly_.batch_units) / capacity.rate_at(now);
      capacity_free_day_ = context_.profile.empty() ? now + busy : context_.profile.finish_time(now, busy);
      record_capacity_use(now, capacity_free_day_);
    }
    // Consume the kit, oldest material first; the batch's origin is its oldest part's.
    Batch batch;
    batch.product = site_.product;
    batch.units = assembly_.batch_units;
    batch.entered_day = now;
    batch.origin_day = now;
    for (std::size_t i = 0; i < site_.inputs.size(); ++i) {
      auto need = static_cast<std::int64_t>(
          std::ceil(site_.inputs[i].quantity * static_cast<double>(assembly_.batch_units)));
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
    if (setup_.cost_basis == CostBasis::kPerStartedUnit)
      batch.cost_usd += setup_.unit_cost_usd * static_cast<double>(batch.units);
    update_inventory(now);
    start_lot(batch, now);
  }
}

void AssemblerProcess::completed(const Batch& batch, double now, Outbox& out) {
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
