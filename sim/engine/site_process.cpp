// SiteProcess: event dispatch, releases, assembly, processing, shipping and
// design (the datacenter and statistics parts are in their own files).
#include "sim/engine/site_process.hpp"

#include <algorithm>
#include <cmath>

#include "models/datacenter.hpp"

namespace scsim::engine {

double RateSchedule::rate_at(double day) const {
  double rate = 0;
  for (const auto& [from, value] : steps) {
    if (from > day) break;
    rate = value;
  }
  return rate;
}

double RateSchedule::next_positive(double day) const {
  if (rate_at(day) > 0) return day;
  for (const auto& [from, value] : steps)
    if (from > day && value > 0) return from;
  return kNever;
}

SiteProcess::SiteProcess(const SiteSpec& spec, std::uint64_t seed, int replication, double horizon_days)
    : spec_(spec), horizon_days_(horizon_days), stream_(seed, static_cast<std::uint64_t>(replication), spec.name) {
  // Uncertain means (yields, defect density, qualification dates) are drawn
  // once per replication, in a fixed order; durations are drawn per lot.
  switch (spec_.transform) {
    case Transform::kDies: {
      auto params = spec_.foundry;
      params.d0_per_cm2 = models::sample(spec_.d0_dist, stream_);
      params.d0_initial_per_cm2 = std::max(params.d0_initial_per_cm2, params.d0_per_cm2);
      foundry_ = std::make_unique<models::Foundry>(params);
      break;
    }
    case Transform::kStacks: {
      auto params = spec_.memory;
      if (spec_.die_yield_dist) {
        const double die = models::sample(*spec_.die_yield_dist, stream_);
        const double bond = spec_.bond_yield_dist ? models::sample(*spec_.bond_yield_dist, stream_) : 0.995;
        params.stack_yield = models::stack_yield(die, bond, params.stack_height);
      } else {
        params.stack_yield = models::sample(spec_.yield_dist, stream_);
      }
      memory_ = std::make_unique<models::Memory>(params);
      break;
    }
    case Transform::kFraction:
      fraction_yield_ = std::clamp(models::sample(spec_.yield_dist, stream_), 0.0, 1.0);
      break;
    case Transform::kNone:
      break;
  }
  // Qualification takes this long from the supplier's first shipment to the customer.
  for (const auto& lane : spec_.lanes) {
    double duration = 0;
    if (lane.gated) {
      duration = models::sample(lane.gate_days, stream_);
      if (stream_.uniform01() < lane.gate_slip_probability) duration += models::sample(lane.gate_slip_days, stream_);
    }
    lane_gate_duration_.push_back(duration);
    lane_gate_day_.push_back(lane.gated ? -1.0 : 0.0);
  }
  if (!spec_.stations.empty()) route_ = std::make_unique<StationRoute>(spec_.stations);
  lane_sent_units_.assign(spec_.lanes.size(), 0.0);
  lane_buffer_.assign(spec_.lanes.size(), Batch{});
  lane_tick_pending_.assign(spec_.lanes.size(), false);

  heap_.push(Event{0.0, 0, EventType::kStart, 0, {}});
  for (std::size_t i = 0; i < spec_.scrap_events.size(); ++i)
    if (spec_.scrap_events[i].second > 0)
      heap_.push(Event{spec_.scrap_events[i].first, 0, EventType::kDisruption, static_cast<int>(i), {}});
}

// ---------------------------------------------------------------------------
// Dispatch of events

void SiteProcess::handle(const Event& event, double now, Emitter& emitter) {
  ++events_;
  switch (event.type) {
    case EventType::kStart:
      if (spec_.role == Role::kDesign) start_design(emitter);
      if (spec_.role == Role::kDatacenter) start_datacenter(now);
      if (spec_.role == Role::kSource && !spec_.release.gated) begin_releasing(now);
      break;
    case EventType::kGateOpen: {
      // The design is released; porting to this foundry and waiting for an
      // allocation come after it.
      const double delay = models::sample(spec_.release.gate_delay_days, stream_);
      heap_.push(Event{now + delay, 0, EventType::kTryStart, 1, {}});
      break;
    }
    case EventType::kRelease:
      on_release(event, now);
      break;
    case EventType::kArrival:
      on_arrival(event, now);
      break;
    case EventType::kSegmentDone:
      on_segment_done(event, now, emitter);
      break;
    case EventType::kTryStart:
      if (spec_.role == Role::kSource && !releasing_ && event.index == 1) {
        begin_releasing(now);
      } else if (spec_.role == Role::kDatacenter) {
        try_start_pending_ = false;
        try_install(now);
      } else {
        try_start_pending_ = false;
        try_start(now);
      }
      break;
    case EventType::kLaneTick: {
      lane_tick_pending_[static_cast<std::size_t>(event.index)] = false;
      Batch batch = lane_buffer_[static_cast<std::size_t>(event.index)];
      lane_buffer_[static_cast<std::size_t>(event.index)] = Batch{};
      if (batch.units > 0) ship(event.index, batch, now, emitter);
      set_inventory(now);
      break;
    }
    case EventType::kDisruption:
      scrap_in_process(spec_.scrap_events[static_cast<std::size_t>(event.index)].second);
      break;
    case EventType::kInstallReady:
      finish_install(event.batch, now, emitter);
      break;
    case EventType::kEnergize: {
      const auto& building = spec_.buildings[static_cast<std::size_t>(event.index)];
      slots_ += models::accelerator_slots(building.power_mw, kw_per_accelerator_);
      try_install(now);
      break;
    }
  }
}

// ---------------------------------------------------------------------------
// Sources: releases

void SiteProcess::begin_releasing(double now) {
  // Waits add up: the allocation wait starts once the site could otherwise
  // start (gate open and its plan begun), as the critical path assumes.
  const double wait = models::sample(spec_.release.allocation_wait_days, stream_);
  releasing_ = true;
  double first = now + wait;
  switch (spec_.release.policy) {
    case ReleaseSpec::Policy::kSchedule: {
      const double plan = spec_.release.lots_per_week.next_positive(now);
      if (plan >= kNever) break;
      first = spec_.release.lots_per_week.next_positive(plan + wait);
      if (first < kNever) heap_.push(Event{first, 0, EventType::kRelease, 0, {}});
      break;
    }
    case ReleaseSpec::Policy::kInterarrival:
      heap_.push(Event{first + models::sample(spec_.release.interarrival_days, stream_), 0, EventType::kRelease, 0, {}});
      break;
    case ReleaseSpec::Policy::kConwip:
      for (int i = 0; i < spec_.release.conwip_lots; ++i) heap_.push(Event{first, 0, EventType::kRelease, 1, {}});
      break;
    case ReleaseSpec::Policy::kNone:
      break;
  }
}

double SiteProcess::expected_good_per_release_unit() const {
  switch (spec_.transform) {
    case Transform::kDies:
      return static_cast<double>(foundry_->whole_dies_per_wafer()) * foundry_->die_yield(1e9);
    case Transform::kStacks:
      return memory_->expected_stacks_per_wafer();
    case Transform::kFraction:
      return fraction_yield_;
    case Transform::kNone:
      break;
  }
  return 1.0;
}

bool SiteProcess::demand_covered() const {
  const auto& d = spec_.demand;
  if (d.target_units <= 0 || d.accel_per_output_unit <= 0) return false;
  const double planned = static_cast<double>(units_released_) * expected_good_per_release_unit() * d.accel_per_output_unit;
  return planned >= static_cast<double>(d.target_units) * d.share * d.release_margin;
}

void SiteProcess::schedule_next_release(double after) {
  switch (spec_.release.policy) {
    case ReleaseSpec::Policy::kSchedule: {
      // Lots leave at the current pace; a later step of the plan takes over on its date.
      const auto& plan = spec_.release.lots_per_week;
      const double rate = plan.rate_at(after);
      double at = rate > 0 ? after + kWeek / rate : plan.next_positive(after);
      for (const auto& [from, value] : plan.steps)
        if (from > after && from < at && value > 0) {
          at = from;
          break;
        }
      if (at < kNever) heap_.push(Event{at, 0, EventType::kRelease, 0, {}});
      break;
    }
    case ReleaseSpec::Policy::kInterarrival:
      heap_.push(Event{after + models::sample(spec_.release.interarrival_days, stream_), 0, EventType::kRelease, 0, {}});
      break;
    case ReleaseSpec::Policy::kConwip:
    case ReleaseSpec::Policy::kNone:
      break;
  }
}

void SiteProcess::on_release(const Event& event, double now) {
  const bool conwip_refill = event.index == 1;
  const auto& release = spec_.release;
  if ((release.max_lots > 0 && lots_released_ >= release.max_lots) || demand_covered()) return;
  if (release.policy == ReleaseSpec::Policy::kSchedule && release.lots_per_week.rate_at(now) <= 0) {
    // The plan dropped to zero since this release was scheduled: resume when it restarts.
    const double resume = release.lots_per_week.next_positive(now);
    if (resume < kNever) heap_.push(Event{resume, 0, EventType::kRelease, 0, {}});
    return;
  }
  if (production_start_day_ < 0) production_start_day_ = now;
  Batch batch;
  batch.product = spec_.product;
  batch.units = release.units_per_lot;
  batch.entered_day = now;
  batch.origin_day = now;
  batch.lot_id = next_lot_id_++;
  if (spec_.cost_basis == CostBasis::kPerReleasedUnit)
    batch.cost_usd = spec_.unit_cost_usd * static_cast<double>(batch.units);
  ++lots_released_;
  units_released_ += batch.units;
  cached(Metric::kRelease, spec_.release_metric).add(now, static_cast<double>(batch.units));
  start_lot(batch, now);
  if (!conwip_refill) schedule_next_release(now);
}

// ---------------------------------------------------------------------------
// Assemblers: kits from input buffers

void SiteProcess::on_arrival(const Event& event, double now) {
  cached(Metric::kDelivered, "delivered").add(now, static_cast<double>(event.batch.units));
  if (spec_.role == Role::kDatacenter) {
    ready_.push_back({event.batch.units, event.batch.origin_day,
                      event.batch.cost_usd / static_cast<double>(event.batch.units)});
    ready_units_ += event.batch.units;
    try_install(now);
    return;
  }
  buffers_[event.batch.product].push_back({event.batch.units, event.batch.origin_day,
                                           event.batch.cost_usd / static_cast<double>(event.batch.units)});
  buffered_units_[event.batch.product] += event.batch.units;
  set_inventory(now);
  try_start(now);
}

bool SiteProcess::kit_available() {
  for (const auto& [product, per_unit] : spec_.inputs)
    if (static_cast<double>(buffered_units_[product]) < per_unit * static_cast<double>(spec_.batch_units)) return false;
  return true;
}

void SiteProcess::try_start(double now) {
  if (queue_ready_day_ < 0) {
    // The one-off wait for an allocation starts with the first full kit, or
    // when the site's capacity plan begins if that is later (waits add up,
    // as in the critical path).
    if (!kit_available()) return;
    const double opens = spec_.start_capacity_per_week.empty() ? now : spec_.start_capacity_per_week.next_positive(now);
    if (opens >= kNever) return;
    queue_ready_day_ = opens + models::sample(spec_.queue_days, stream_);
  }
  if (now < queue_ready_day_) {
    if (!try_start_pending_) {
      heap_.push(Event{queue_ready_day_, 0, EventType::kTryStart, 0, {}});
      try_start_pending_ = true;
    }
    return;
  }
  for (;;) {
    const auto batch_units = spec_.batch_units;
    if (!kit_available()) return;
    if (!spec_.start_capacity_per_week.empty()) {
      const double free = std::max(capacity_free_day_, spec_.start_capacity_per_week.next_positive(now));
      if (free > now) {
        if (!try_start_pending_ && free < kNever) {
          heap_.push(Event{free, 0, EventType::kTryStart, 0, {}});
          try_start_pending_ = true;
        }
        return;
      }
      const double rate = spec_.start_capacity_per_week.rate_at(now);
      const double busy = kWeek * static_cast<double>(batch_units) / rate;
      capacity_free_day_ = spec_.profile.empty() ? now + busy : spec_.profile.finish_time(now, busy);
    }
    // Consume the kit, oldest material first; the batch's origin is its oldest part's.
    Batch batch;
    batch.product = spec_.product;
    batch.units = batch_units;
    batch.entered_day = now;
    batch.origin_day = now;
    batch.lot_id = next_lot_id_++;
    for (const auto& [product, per_unit] : spec_.inputs) {
      auto need = static_cast<std::int64_t>(std::ceil(per_unit * static_cast<double>(batch_units)));
      buffered_units_[product] -= need;
      auto& queue = buffers_[product];
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
    if (spec_.cost_basis == CostBasis::kPerStartedUnit)
      batch.cost_usd += spec_.unit_cost_usd * static_cast<double>(batch.units);
    set_inventory(now);
    start_lot(batch, now);
  }
}

// ---------------------------------------------------------------------------
// Processing: a route of stations or a pure delay

void SiteProcess::start_lot(Batch batch, double now) {
  ++lots_in_process_;
  batch.entered_day = now;
  double done;
  if (route_) {
    done = route_->pass(0, now, stream_, spec_.profile, [&](double a, double b) { record_busy(now, a, b); });
  } else {
    const double work = models::sample(spec_.delay_days, stream_);
    done = spec_.profile.empty() ? now + work : spec_.profile.finish_time(now, work);
  }
  heap_.push(Event{done, 0, EventType::kSegmentDone, 0, batch});
}

void SiteProcess::on_segment_done(const Event& event, double now, Emitter& emitter) {
  if (route_ && event.index + 1 < route_->segments()) {
    const double done = route_->pass(event.index + 1, now, stream_, spec_.profile,
                                     [&](double a, double b) { record_busy(now, a, b); });
    heap_.push(Event{done, 0, EventType::kSegmentDone, event.index + 1, event.batch});
    return;
  }
  complete(event.batch, now, emitter);
}

std::int64_t SiteProcess::transform(const Batch& batch) {
  switch (spec_.transform) {
    case Transform::kDies:
      return foundry_->good_dies(batch.units, batch.entered_day - production_start_day_, stream_);
    case Transform::kStacks:
      return memory_->good_stacks(batch.units, batch.entered_day - production_start_day_, stream_);
    case Transform::kFraction:
      return stream_.binomial(batch.units, fraction_yield_);
    case Transform::kNone:
      break;
  }
  return batch.units;
}

void SiteProcess::complete(Batch batch, double now, Emitter& emitter) {
  --lots_in_process_;
  const double lead = now - batch.entered_day;
  lead_time_.add(lead);
  lot_days_ += lead;
  ++lots_done_;
  add_interval(cached(Metric::kWip, "wip"), batch.entered_day, now, static_cast<double>(batch.units));

  Batch out = batch;
  out.units = transform(batch);
  // Yield losses stay in the cost: the good units carry the whole batch's cost.
  if (spec_.cost_basis == CostBasis::kPerGoodOutput) out.cost_usd += spec_.unit_cost_usd * static_cast<double>(out.units);
  output_units_ += static_cast<double>(out.units);
  output_cost_usd_ += out.cost_usd;
  cached(Metric::kOutput, spec_.output_metric).add(now, static_cast<double>(out.units));
  if (spec_.release.policy == ReleaseSpec::Policy::kConwip) heap_.push(Event{now, 0, EventType::kRelease, 1, {}});
  if (out.units > 0) dispatch(out, now, emitter);
}

void SiteProcess::scrap_in_process(double fraction) {
  // Lots in process are those waiting for a segment to finish.
  for (auto& event : heap_.pending())
    if (event.type == EventType::kSegmentDone)
      event.batch.units -= stream_.binomial(event.batch.units, fraction);
}

// ---------------------------------------------------------------------------
// Shipping

void SiteProcess::dispatch(Batch batch, double now, Emitter& emitter) {
  if (spec_.lanes.empty()) return;
  // Whole batches go to the lane furthest below its share so far, so long-run
  // shares hold exactly without splitting lots.
  dispatched_units_ += static_cast<double>(batch.units);
  std::size_t best = 0;
  double best_gap = -kNever;
  for (std::size_t i = 0; i < spec_.lanes.size(); ++i) {
    const double gap = spec_.lanes[i].share * dispatched_units_ - lane_sent_units_[i];
    if (gap > best_gap + 1e-9) best_gap = gap, best = i;
  }
  lane_sent_units_[best] += static_cast<double>(batch.units);
  const auto& lane = spec_.lanes[best];
  if (lane.cadence_days > 0) {
    Batch& held = lane_buffer_[best];
    if (held.units == 0) {
      held = batch;
    } else {
      held.units += batch.units;
      held.cost_usd += batch.cost_usd;
      held.origin_day = std::min(held.origin_day, batch.origin_day);
    }
    if (!lane_tick_pending_[best]) {
      const double tick = std::ceil(now / lane.cadence_days) * lane.cadence_days;
      heap_.push(Event{tick, 0, EventType::kLaneTick, static_cast<int>(best), {}});
      lane_tick_pending_[best] = true;
    }
    set_inventory(now);
    return;
  }
  ship(static_cast<int>(best), batch, now, emitter);
}

void SiteProcess::ship(int index, Batch batch, double now, Emitter& emitter) {
  const auto& lane = spec_.lanes[static_cast<std::size_t>(index)];
  cached(Metric::kShipped, "shipped").add(now, static_cast<double>(batch.units));
  // Qualification gates acceptance at the destination: it starts with the first
  // stacks offered to that customer, and goods wait for it.
  double& gate = lane_gate_day_[static_cast<std::size_t>(index)];
  if (gate < 0) gate = now + lane_gate_duration_[static_cast<std::size_t>(index)];
  const double depart = std::max(now, gate);
  const double transit = models::sample(lane.transit_days, stream_);
  const double arrive = lane.profile.empty() ? depart + transit : lane.profile.finish_time(depart, transit);
  batch.entered_day = arrive;
  emitter.deliver(lane.to_site, Event{arrive, 0, EventType::kArrival, lane.lane_index, batch});
}

// ---------------------------------------------------------------------------
// Design: architecture start to production release

void SiteProcess::start_design(Emitter& emitter) {
  const auto timeline = models::Design(spec_.design.params).draw(stream_);
  const double day = timeline.production_release_day;
  flow("production_release").add(std::min(day, horizon_days_), 1.0);
  for (int site : spec_.design.gated_sites) emitter.deliver(site, Event{day, 0, EventType::kGateOpen, 0, {}});
}

}  // namespace scsim::engine
