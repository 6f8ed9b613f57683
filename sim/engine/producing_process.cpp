#include "sim/engine/producing_process.hpp"

#include <algorithm>

#include "sim/results/results.pb.h"

namespace scsim::engine {

ProducingProcess::ProducingProcess(const scenario::Site& site, const ProcessContext& context, ProductionSetup setup)
    : SiteProcess(site, context), setup_(std::move(setup)) {
  // Replication-level draws, in a fixed order: the yield's levels, then qualifications.
  yield_ = setup_.make_yield ? setup_.make_yield(stream_) : std::make_unique<AllGood>();
  shipper_.draw_qualifications(stream_);
  if (!setup_.stations.empty()) route_ = std::make_unique<StationRoute>(setup_.stations);
}

void ProducingProcess::start_lot(Batch batch, double now) {
  ++lots_in_process_;
  batch.entered_day = now;
  batch.started_units = batch.units;
  double done;
  if (route_) {
    done = route_->pass(0, now, stream_, context_.profile, [&](double a, double b) { record_busy(now, a, b); });
  } else {
    const double work = models::sample(setup_.delay_days, stream_);
    done = context_.profile.empty() ? now + work : context_.profile.finish_time(now, work);
  }
  schedule(done, ev::SegmentDone{0, batch});
}

void ProducingProcess::on_segment_done(const ev::SegmentDone& done, double now, Outbox& out) {
  if (route_ && done.segment + 1 < route_->segments()) {
    const double next = route_->pass(done.segment + 1, now, stream_, context_.profile,
                                     [&](double a, double b) { record_busy(now, a, b); });
    schedule(next, ev::SegmentDone{done.segment + 1, done.batch});
    return;
  }
  complete(done.batch, now, out);
}

void ProducingProcess::complete(const Batch& batch, double now, Outbox& out) {
  --lots_in_process_;
  const double lead = now - batch.entered_day;
  lead_time_.add(lead);
  lot_days_ += lead;
  ++lots_done_;
  series_.add_interval(Slot::kWip, "wip", batch.entered_day, now, static_cast<double>(batch.units));

  Batch good = batch;
  good.units = yield_->good(batch.units, batch.entered_day - production_start_day_, stream_);
  // Yield losses stay in the cost: the good units carry the whole batch's cost.
  if (setup_.cost_basis == CostBasis::kPerGoodOutput) {
    const double usd = unit_cost_at(now) * static_cast<double>(good.units);
    good.cost_usd += usd;
    book_purchase(now, usd);
  }
  output_units_ += static_cast<double>(good.units);
  output_cost_usd_ += good.cost_usd;
  series_.flow(Slot::kOutput, setup_.output_metric).add(now, static_cast<double>(good.units));
  completed(batch, good.units, now, out);
  if (good.units > 0) ship(good, now, out);
}

void ProducingProcess::record_busy(double now, double from, double to) {
  // Service times are known when a lot enters the route, so busy intervals can
  // lie in the future; those still open are kept to clip them at the end.
  busy_server_days_ += to - from;
  // Weekly bins only up to the horizon: a slow station's queue can book busy time far beyond it.
  series_.add_interval(Slot::kUtilization, "utilization", from, std::min(to, context_.horizon_days),
               1.0 / route_->total_servers());
  while (!open_busy_.empty() && open_busy_.top().second <= now) open_busy_.pop();
  open_busy_.push({from, to});
}

void ProducingProcess::record_capacity_use(double from, double to) {
  if (route_) return;  // servers measure utilization where a route is modelled
  capacity_limited_ = true;
  series_.add_interval(Slot::kUtilization, "utilization", from, std::min(to, context_.horizon_days), 1.0);
}

double ProducingProcess::start_day(const ev::Order& order, double now, double lead_days) const {
  if (order.due_day < 0) return now;
  return order.due_day - models::mean(scenario_.lanes[static_cast<std::size_t>(order.lane)].transit_days) - lead_days;
}

void ProducingProcess::open_capacity(CapacityPlan& capacity, double now) {
  capacity.draw(stream_);
  const auto& terms = capacity.terms();
  if (terms.prepayment_usd > 0) spend_.prepay(terms.booking_day.value_or(now), terms.prepayment_usd);
  schedule(now, ev::CapacityTick{});
}

void ProducingProcess::next_capacity_tick(double now) {
  if (now + scenario::kWeek < context_.horizon_days) schedule(now + scenario::kWeek, ev::CapacityTick{});
}

void ProducingProcess::bill_capacity(CapacityPlan& capacity, double unit_cost_usd, double end_day,
                                     scsim::ReplicationResult& result) {
  series_.write_level("allocated", capacity.allocated_series(), end_day, result);
  const bool dated = setup_.cost_basis == CostBasis::kPerReleasedUnit && !setup_.unit_cost_changes.empty();
  const double fraction = capacity.terms().take_or_pay_fraction;
  const auto unused = capacity.unused_by_week(end_day);
  double billed = 0;
  for (std::size_t w = 0; w < unused.size(); ++w) {
    const double day = static_cast<double>(w) * scenario::kWeek;
    const double usd = fraction * (dated ? unit_cost_at(day) : unit_cost_usd) * unused[w];
    billed += usd;
    spend_.add(day, Spend::kTakeOrPay, usd);
  }
  result.set_take_or_pay_usd(result.take_or_pay_usd() + billed);  // measured, even when 0
}

void ProducingProcess::finish(double end_day, scsim::ReplicationResult& result) {
  // Lots still in process at the end count in the WIP for the time they spent inside.
  double open_lot_days = 0;
  for (const Event* event : lots_in_process()) {
    const auto& batch = std::get<ev::SegmentDone>(event->body).batch;
    open_lot_days += end_day - batch.entered_day;
    if (batch.entered_day < end_day)
      series_.add_interval(Slot::kWip, "wip", batch.entered_day, end_day, static_cast<double>(batch.units));
  }
  SiteProcess::finish(end_day, result);

  auto* stage = result.add_stages();
  stage->set_stage(site_.name);
  stage->set_count(lead_time_.count());
  stage->set_mean_days(lead_time_.mean());
  const auto [p50, p90] = lead_time_.p50_p90();
  stage->set_p50_days(p50);
  stage->set_p90_days(p90);
  if (end_day > 0) {
    stage->set_time_avg_wip((lot_days_ + open_lot_days) / end_day);
    stage->set_throughput_per_day(static_cast<double>(lots_done_) / end_day);
    if (route_) {
      double busy = busy_server_days_;
      for (auto open = open_busy_; !open.empty(); open.pop())
        busy -= std::max(0.0, open.top().second - std::max(open.top().first, end_day));
      stage->set_utilization(busy / (route_->total_servers() * end_day));
    }
    if (output_units_ > 0 && output_cost_usd_ > 0) stage->set_cost_per_unit_usd(output_cost_usd_ / output_units_);
  }
}

}  // namespace scsim::engine
