#include "sim/engine/datacenter_process.hpp"

#include <algorithm>
#include <cmath>

#include "models/datacenter.hpp"
#include "sim/results/results.pb.h"

namespace scsim::engine {

DatacenterProcess::DatacenterProcess(const scenario::Site& site, const ProcessContext& context, CampusSetup campus)
    : SiteProcess(site, context),
      campus_(std::move(campus)),
      stranded_chips_(scenario::kWeek),
      idle_slots_(scenario::kWeek),
      power_mw_(scenario::kWeek),
      slots_level_(scenario::kWeek) {
  if (context.plan) planner_.emplace(*context.plan);
}

void DatacenterProcess::on_start(double now, Outbox&) {
  kw_per_accelerator_ = models::sample(campus_.kw_per_accelerator, stream_);
  for (std::size_t i = 0; i < campus_.buildings.size(); ++i) {
    const auto& b = campus_.buildings[i];
    const double built = models::sample(b.construction_days, stream_);
    spend_.spread(b.construction_start_day, b.construction_start_day + built, Spend::kDatacenterCapex, b.capex_usd);
    const double energized = b.power_day ? models::energized_day(b.construction_start_day, built, *b.power_day,
                                                                 models::sample(b.power_delay_days, stream_))
                                         : models::energized_day(b.construction_start_day, built, -1, 0);
    schedule(std::max(now, energized), ev::Energize{static_cast<int>(i)});
  }
  stranded_chips_.set(now, 0);
  idle_slots_.set(now, 0);
  if (planner_) schedule(now, ev::PlanReview{});
}

void DatacenterProcess::on_plan_review(double now, Outbox& out) {
  for (const auto& order : planner_->review(now)) {
    const auto& lane = planner_->inputs().lanes[order.lane];
    series_.flow(Slot::kOrders, "orders").add(now, order.units);
    send(out, lane.supplier, now + lane.order_days, ev::Order{lane.lane, order.units, order.due_day});
  }
  const double next = now + planner_->inputs().program.review_days;
  if (next < context_.horizon_days) schedule(next, ev::PlanReview{});
}

void DatacenterProcess::on_energize(const ev::Energize& energize, double now, Outbox&) {
  const auto& building = campus_.buildings[static_cast<std::size_t>(energize.building)];
  slots_ += models::accelerator_slots(building.power_mw, kw_per_accelerator_);
  slots_level_.set(now, static_cast<double>(slots_));
  try_install(now);
}

void DatacenterProcess::on_arrival(const ev::Arrival& arrival, double now, Outbox&) {
  const Batch& batch = arrival.batch;
  series_.flow(Slot::kDelivered, "delivered").add(now, static_cast<double>(batch.units));
  ready_.push_back({batch.units, batch.origin_day, batch.cost_usd / static_cast<double>(batch.units)});
  ready_units_ += batch.units;
  if (planner_) planner_->delivered(arrival.lane, static_cast<double>(batch.units), now);
  try_install(now);
}

void DatacenterProcess::on_capacity_free(double now, Outbox&) {
  retry_pending_ = false;
  try_install(now);
}

void DatacenterProcess::try_install(double now) {
  // Delivered accelerators take a powered slot as soon as one is free; the
  // install time (rack integration, site install) runs from then.
  const double rate = campus_.install_rate_per_week;
  std::int64_t n = std::min(ready_units_, slots_ - installed_ - installing_);
  if (rate > 0 && n > 0) {
    if (install_free_day_ > now) {
      n = 0;  // crews busy: try again when they are free
    } else {
      // Crews take on at most a week's worth at once; the rest waits its turn.
      n = std::min<std::int64_t>(n, std::max<std::int64_t>(1, static_cast<std::int64_t>(std::floor(rate))));
      install_free_day_ = now + scenario::kWeek * static_cast<double>(n) / rate;
    }
  }
  if (n > 0) {
    Batch batch;
    batch.product = site_.product;
    batch.units = n;
    batch.origin_day = now;
    ready_units_ -= n;
    std::int64_t left = n;
    while (left > 0) {
      Held& front = ready_.front();
      const std::int64_t take = std::min(left, front.units);
      batch.cost_usd += static_cast<double>(take) * front.cost_per_unit_usd;
      batch.origin_day = std::min(batch.origin_day, front.origin_day);
      front.units -= take;
      left -= take;
      if (front.units == 0) ready_.pop_front();
    }
    installing_ += n;
    schedule(now + models::sample(campus_.install_days, stream_), ev::InstallDone{batch});
  }
  if (rate > 0 && ready_units_ > 0 && slots_ > installed_ + installing_ && !retry_pending_) {
    schedule(std::max(now, install_free_day_), ev::CapacityFree{});
    retry_pending_ = true;
  }
  update_levels(now);
}

void DatacenterProcess::update_levels(double now) {
  // Stranded chips: delivered, no powered slot. Idle slots: powered and free, no chips.
  const std::int64_t free_slots = slots_ - installed_ - installing_;
  const double chips = free_slots > 0 ? 0.0 : static_cast<double>(ready_units_);
  const double idle = ready_units_ > 0 ? 0.0 : static_cast<double>(free_slots);
  if (chips != stranded_chips_.level()) stranded_chips_.set(now, chips);
  if (idle != idle_slots_.level()) idle_slots_.set(now, idle);
  const double mw = static_cast<double>(installed_) * kw_per_accelerator_ / 1000.0;
  if (mw != power_mw_.level()) power_mw_.set(now, mw);
}

void DatacenterProcess::on_install_done(const ev::InstallDone& done, double now, Outbox&) {
  installing_ -= done.batch.units;
  installed_ += done.batch.units;
  lead_time_.add(now - done.batch.origin_day);
  series_.flow(Slot::kInstalled, "installed").add(now, static_cast<double>(done.batch.units));
  installs_.push_back({now, done.batch.units, done.batch.cost_usd});
  update_levels(now);
}

void DatacenterProcess::finish(double end_day, scsim::ReplicationResult& result) {
  SiteProcess::finish(end_day, result);
  series_.write_level("idle_slots", idle_slots_, end_day, result);
  series_.write_level("power_mw", power_mw_, end_day, result);
  series_.write_level("stranded_chips", stranded_chips_, end_day, result);
  // Power opex: the week's mean MW drawn, every day of the week (the last week up to the horizon).
  if (campus_.power_usd_per_mw_day > 0) {
    const auto& mw = power_mw_.averages();
    for (std::size_t w = 0; w < mw.size(); ++w) {
      const double days = std::min(scenario::kWeek, end_day - static_cast<double>(w) * scenario::kWeek);
      spend_.add(static_cast<double>(w) * scenario::kWeek, Spend::kPowerOpex, mw[w] * days * campus_.power_usd_per_mw_day);
    }
  }
  // Idle capex: the buildings' capex times the time-average share of powered slots left idle.
  double capex = 0;
  for (const auto& b : campus_.buildings) capex += b.capex_usd;
  slots_level_.finish(end_day);
  if (capex > 0 && slots_level_.time_average() > 0)
    result.set_idle_capex_usd(result.idle_capex_usd() + capex * idle_slots_.time_average() / slots_level_.time_average());
  auto* stage = result.add_stages();
  // A datacenter's lead time is end to end: the first wafer start behind a unit to its install.
  stage->set_stage(site_.name + " (end to end)");
  stage->set_count(lead_time_.count());
  stage->set_mean_days(lead_time_.mean());
  const auto [p50, p90] = lead_time_.p50_p90();
  stage->set_p50_days(p50);
  stage->set_p90_days(p90);
  result.set_stranded_chip_days(result.stranded_chip_days() + stranded_chips_.time_average() * end_day);
  if (planner_ && planner_->inputs().budget.any()) {
    const auto& effect = planner_->budget_effect();
    const double first = result.has_budget_bound_day() && result.budget_bound_day() >= 0 ? result.budget_bound_day() : -1;
    result.set_budget_bound_day(first < 0 ? effect.bound_day
                                          : effect.bound_day < 0 ? first : std::min(first, effect.bound_day));
    result.set_budget_deferred_units(result.budget_deferred_units() + effect.deferred_units);
    result.set_budget_cut_units(result.budget_cut_units() + effect.cut_units);
  }
  result.set_stranded_capacity_days(result.stranded_capacity_days() + idle_slots_.time_average() * end_day);
}

}  // namespace scsim::engine
