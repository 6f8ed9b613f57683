// SiteProcess, statistics part: weekly series, busy time, inventory, and the site's results.
#include "sim/engine/site_process.hpp"

#include <algorithm>
#include <cmath>

namespace scsim::engine {

// ---------------------------------------------------------------------------
// Statistics

stats::FlowSeries& SiteProcess::flow(const std::string& metric) {
  return flows_.try_emplace(metric, kWeek).first->second;
}

const stats::FlowSeries& SiteProcess::flow(const std::string& metric) const {
  static const stats::FlowSeries empty(kWeek);
  const auto found = flows_.find(metric);
  return found == flows_.end() ? empty : found->second;
}

stats::FlowSeries& SiteProcess::cached(Metric slot, const char* metric) {
  return cached(slot, std::string(metric));
}

stats::FlowSeries& SiteProcess::cached(Metric slot, const std::string& metric) {
  // Series are created on first use (a site that never ships has no "shipped"
  // rows); the hot path then skips the lookup by name. std::map never moves them.
  auto& pointer = cache_[static_cast<std::size_t>(slot)];
  if (pointer == nullptr) pointer = &flow(metric);
  return *pointer;
}

void SiteProcess::add_interval(stats::FlowSeries& series, double from, double to, double weight) {
  // Spread weight x time over the weekly bins the interval covers (unit-days).
  double a = from;
  while (a < to) {
    const double bin_end = (std::floor(a / kWeek) + 1) * kWeek;
    const double b = std::min(to, bin_end);
    series.add(a, (b - a) * weight);
    a = b;
  }
}

void SiteProcess::record_busy(double now, double from, double to) {
  // Service times are known when a lot enters the route, so busy intervals can
  // lie in the future; those still open are kept to clip them at the end.
  busy_server_days_ += to - from;
  add_interval(cached(Metric::kUtilization, "utilization"), from, to, 1.0 / route_->total_servers());
  while (!open_busy_.empty() && open_busy_.top().second <= now) open_busy_.pop();
  open_busy_.push({from, to});
}

void SiteProcess::set_inventory(double now) {
  double units = 0;
  for (const auto& [product, count] : buffered_units_) units += static_cast<double>(count);
  for (const auto& held : lane_buffer_) units += static_cast<double>(held.units);
  inventory_.set(now, units);
}

void SiteProcess::finish(double end_day, scsim::ReplicationResult& result) {
  const auto weeks = static_cast<std::size_t>(std::ceil(horizon_days_ / kWeek));
  auto add_series = [&](const std::string& metric, std::vector<double> values) {
    values.resize(weeks, 0.0);
    auto* series = result.add_series();
    series->set_site(spec_.name);
    series->set_metric(metric);
    for (double v : values) series->add_values(v);
  };
  // Flows as weekly totals; WIP and utilization were integrated as unit-days
  // per week, so dividing by 7 gives the weekly time average.
  for (auto& [metric, series] : flows_) {
    series.pad_to(weeks);
    std::vector<double> values = series.values();
    if (metric == "wip" || metric == "utilization")
      for (double& v : values) v /= kWeek;
    add_series(metric, values);
  }
  if (spec_.role == Role::kAssembler || !spec_.lanes.empty()) {
    inventory_.finish(end_day);
    add_series("inventory", inventory_.averages());
  }

  if (spec_.role != Role::kDesign) {
    auto* stage = result.add_stages();
    // A datacenter's lead time is end to end: the first wafer start behind a unit to its install.
    stage->set_stage(spec_.role == Role::kDatacenter ? spec_.name + " (end to end)" : spec_.name);
    stage->set_count(lead_time_.count());
    stage->set_mean_days(lead_time_.mean());
    stage->set_p50_days(lead_time_.p50());
    stage->set_p90_days(lead_time_.p90());
    if (spec_.role != Role::kDatacenter && end_day > 0) {
      // Lots still in process at the end count for the time they spent inside.
      double open_lot_days = 0;
      for (const auto& event : heap_.pending())
        if (event.type == EventType::kSegmentDone) open_lot_days += end_day - event.batch.entered_day;
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
  if (spec_.role == Role::kDatacenter) {
    stranded_chips_.finish(end_day);
    stranded_slots_.finish(end_day);
    result.set_stranded_chip_days(result.stranded_chip_days() + stranded_chips_.time_average() * end_day);
    result.set_stranded_capacity_days(result.stranded_capacity_days() + stranded_slots_.time_average() * end_day);
  }
}

}  // namespace scsim::engine
