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

stats::FlowSeries& SeriesRecorder::create(Slot slot, std::string_view metric) {
  // std::map never moves its elements, so the pointer stays valid.
  auto& pointer = cache_[static_cast<std::size_t>(slot)];
  pointer = &flow(std::string(metric));
  return *pointer;
}

void SeriesRecorder::add_interval(Slot slot, std::string_view metric, double from, double to, double weight) {
  auto& series = flow(slot, metric);
  // Time before day 0 is outside the run: a design started before start_date opens its gate, and lots are
  // released, on negative days. Counted in bin 0 it would raise bin 0's level above what it was (utilization
  // beyond 100%), and the whole-week path indexed bins by negative weeks (fuzz finding).
  double a = std::max(from, 0.0);
  const double end = std::min(to, horizon_days_);
  if (!(a < end)) return;
  // The week index is divided out once and then counted: after the first bin, `a` is a multiple of the week,
  // whose quotient is exact, so each step adds exactly what series.add(a, ...) did.
  double week = std::floor(a / scenario::kWeek);
  // Whole-number weights below 2^46: 7 x weight and any sum of them are exact, so the whole weeks can be
  // counted apart (a difference array) and added to the bins at the end.
  if (weight == std::floor(weight) && std::fabs(weight) < 7e13) {
    const double first_end = (week + 1) * scenario::kWeek;
    if (end <= first_end) {
      series.add_to_bin(week > 0 ? static_cast<std::size_t>(week) : 0, (end - a) * weight);
      return;
    }
    series.add_to_bin(week > 0 ? static_cast<std::size_t>(week) : 0, (first_end - a) * weight);
    const double last = std::floor(end / scenario::kWeek);  // the bin holding `end`, > week
    if (last > week + 1) {
      auto& pointer = whole_cache_[static_cast<std::size_t>(slot)];
      if (pointer == nullptr) pointer = &whole_weeks_[std::string(metric)];
      auto& diff = *pointer;
      const auto begin_bin = static_cast<std::size_t>(week + 1), end_bin = static_cast<std::size_t>(last);
      if (diff.size() <= end_bin) diff.resize(end_bin + 1, 0.0);
      diff[begin_bin] += scenario::kWeek * weight;
      diff[end_bin] -= scenario::kWeek * weight;
      series.add_to_bin(end_bin - 1, 0.0);  // the bins exist as if added one by one (pad_to does the rest)
    }
    const double last_start = last * scenario::kWeek;
    if (end > last_start) series.add_to_bin(static_cast<std::size_t>(last), (end - last_start) * weight);
    return;
  }
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
  // One allocation for the whole series (added one by one, the field grew by doubling: a page fault or more
  // per series and replication).
  series->mutable_values()->Add(values.begin(), values.end());
}

void SeriesRecorder::write(scsim::ReplicationResult& result) {
  for (auto& [metric, series] : flows_) {
    series.pad_to(weeks_);
    std::vector<double> values = series.values();
    if (const auto whole = whole_weeks_.find(metric); whole != whole_weeks_.end()) {
      double running = 0;
      for (std::size_t w = 0; w < values.size(); ++w) {
        running += w < whole->second.size() ? whole->second[w] : 0.0;
        values[w] += running;
      }
    }
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
