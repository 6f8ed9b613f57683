// A site's weekly series for one replication: flows (totals per week) and
// time-integrated quantities (WIP, utilization, as unit-days per week), keyed by
// metric name and created on first use, so a site that never ships has no
// "shipped" rows. Plain C++; a member of every site process.
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/stats/series.hpp"

namespace scsim {
class ReplicationResult;
}

namespace scsim::engine {

class SeriesRecorder {
public:
  // Metrics on the hot path, looked up by name once.
  enum class Slot { kRelease, kDelivered, kWip, kOutput, kShipped, kInstalled, kUtilization, kOrders, kCount };

  SeriesRecorder(std::string site, double horizon_days);

  stats::FlowSeries& flow(const std::string& metric);
  // The metric of a slot (always the same name for a slot): after the first call, one pointer load. The name
  // is a view so that a literal makes no std::string per event; it is copied only when the metric is created.
  stats::FlowSeries& flow(Slot slot, std::string_view metric) {
    auto* pointer = cache_[static_cast<std::size_t>(slot)];
    return pointer != nullptr ? *pointer : create(slot, metric);
  }
  // Spreads weight × time over the weekly bins [from, to) covers (unit-days), up to the horizon. O(1) for a
  // whole-number weight (units in process): the whole weeks in between go to a difference array, summed
  // exactly and added to the bins when written.
  void add_interval(Slot slot, std::string_view metric, double from, double to, double weight);
  std::size_t weeks() const { return weeks_; }

  // Appends every flow as a weekly series (WIP and utilization divided by 7: weekly time averages).
  void write(scsim::ReplicationResult& result);
  // Appends a level's weekly time averages (the level closed at `end_day`).
  void write_level(const std::string& metric, stats::LevelSeries& level, double end_day,
                   scsim::ReplicationResult& result) const;

private:
  stats::FlowSeries& create(Slot slot, std::string_view metric);
  void append(const std::string& metric, std::vector<double> values, scsim::ReplicationResult& result) const;

  std::string site_;
  double horizon_days_;
  std::size_t weeks_;
  std::map<std::string, stats::FlowSeries> flows_;
  std::array<stats::FlowSeries*, static_cast<std::size_t>(Slot::kCount)> cache_{};
  // Per metric: whole weeks of whole-number weights, as differences (+7w where they start, -7w after them).
  std::map<std::string, std::vector<double>> whole_weeks_;
  std::array<std::vector<double>*, static_cast<std::size_t>(Slot::kCount)> whole_cache_{};
};

}  // namespace scsim::engine
