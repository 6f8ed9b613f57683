#include "sim/engine/series_recorder.hpp"

#include <algorithm>
#include <cmath>

#include "sim/results/results.pb.h"
#include "sim/scenario/scenario.hpp"

namespace scsim::engine {

SeriesRecorder::SeriesRecorder(std::string site, double horizon_days)
    : site_(std::move(site)),
      horizon_days_(horizon_days),
      weeks_(static_cast<std::size_t>(std::ceil(horizon_days / scenario::kWeek))) {}

stats::FlowSeries& SeriesRecorder::flow(const std::string& metric) {
  return flows_.try_emplace(metric, scenario::kWeek).first->second;
}

stats::FlowSeries& SeriesRecorder::flow(Slot slot, const std::string& metric) {
  // std::map never moves its elements, so the pointer stays valid.
  auto& pointer = cache_[static_cast<std::size_t>(slot)];
  if (pointer == nullptr) pointer = &flow(metric);
  return *pointer;
}

void SeriesRecorder::add_interval(Slot slot, const std::string& metric, double from, double to, double weight) {
  auto& series = flow(slot, metric);
  double a = from;
  const double end = std::min(to, horizon_days_);
  if (!(a < end)) return;
  // The week index is divided out once and then counted: after the first bin, `a` is a multiple of the week,
  // whose quotient is exact, so each step adds exactly what series.add(a, ...) did (a test pins the outputs).
  double week = std::floor(a / scenario::kWeek);
  while (a < end) {
    const double bin_end = (week + 1) * scenario::kWeek;
    const double b = std::min(end, bin_end);
    series.add_to_bin(week > 0 ? static_cast<std::size_t>(week) : 0, (b - a) * weight);
    a = b;
    week += 1;
  }
}

void SeriesRecorder::append(const std::string& metric, std::vector<double> values,
                            scsim::ReplicationResult& result) const {
  values.resize(weeks_, 0.0);
  auto* series = result.add_series();
  series->set_site(site_);
  series->set_metric(metric);
  for (double v : values) series->add_values(v);
}

void SeriesRecorder::write(scsim::ReplicationResult& result) {
  for (auto& [metric, series] : flows_) {
    series.pad_to(weeks_);
    std::vector<double> values = series.values();
    if (metric == "wip" || metric == "utilization")
      for (double& v : values) v /= scenario::kWeek;
    append(metric, std::move(values), result);
  }
}

void SeriesRecorder::write_level(const std::string& metric, stats::LevelSeries& level, double end_day,
                                 scsim::ReplicationResult& result) const {
  level.finish(end_day);
  append(metric, level.averages(), result);
}

}  // namespace scsim::engine
