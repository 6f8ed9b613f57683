#include "sim/engine/lane_shipper.hpp"

#include <cmath>

namespace scsim::engine {

void LaneShipper::add(Lane lane) {
  State state;
  state.qualified_day = lane.qualification ? -1.0 : 0.0;
  state.spec = std::move(lane);
  lanes_.push_back(std::move(state));
}

void LaneShipper::draw_qualifications(models::RandomStream& stream) {
  for (auto& lane : lanes_) {
    if (!lane.spec.qualification) continue;
    const auto& q = *lane.spec.qualification;
    lane.qualification_days = models::sample(q.duration_days, stream);
    if (stream.uniform01() < q.slip_probability) lane.qualification_days += models::sample(q.slip_days, stream);
    if (q.start_day) lane.qualified_day = *q.start_day + lane.qualification_days;  // on samples, from its date
  }
}

std::size_t LaneShipper::choose(double units) {
  dispatched_units_ += units;
  std::size_t best = 0;
  double best_gap = -scenario::kNever;
  for (std::size_t i = 0; i < lanes_.size(); ++i) {
    const double gap = lanes_[i].spec.share * dispatched_units_ - lanes_[i].sent_units;
    if (gap > best_gap + 1e-9) best_gap = gap, best = i;
  }
  lanes_[best].sent_units += units;
  return best;
}

std::optional<double> LaneShipper::hold(std::size_t slot, const Batch& batch, double now) {
  State& lane = lanes_[slot];
  if (lane.held.units == 0) {
    lane.held = batch;
  } else {
    lane.held.units += batch.units;
    lane.held.cost_usd += batch.cost_usd;
    lane.held.origin_day = std::min(lane.held.origin_day, batch.origin_day);
  }
  if (lane.tick_pending) return std::nullopt;
  lane.tick_pending = true;
  return std::ceil(now / lane.spec.cadence_days) * lane.spec.cadence_days;
}

Batch LaneShipper::take_held(std::size_t slot) {
  State& lane = lanes_[slot];
  lane.tick_pending = false;
  Batch batch = lane.held;
  lane.held = Batch{};
  return batch;
}

LaneShipper::Shipment LaneShipper::ship(std::size_t slot, const Batch& batch, double now, models::RandomStream& stream) {
  State& lane = lanes_[slot];
  if (lane.qualified_day < 0) lane.qualified_day = now + lane.qualification_days;
  const double depart = std::max(now, lane.qualified_day);
  const double transit = models::sample(lane.spec.transit_days, stream);
  const double arrive = lane.spec.profile.empty() ? depart + transit : lane.spec.profile.finish_time(depart, transit);
  Shipment shipment{lane.spec.lane, lane.spec.to, arrive, batch};
  shipment.batch.entered_day = arrive;
  return shipment;
}

double LaneShipper::held_units() const {
  double units = 0;
  for (const auto& lane : lanes_) units += static_cast<double>(lane.held.units);
  return units;
}

}  // namespace scsim::engine
