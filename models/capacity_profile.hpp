// Capacity over time under disruptions: windows during which a site or lane
// works at a fraction of its normal speed (0 = stopped).
#pragma once

#include <vector>

namespace scsim::models {

struct DownWindow {
  double start_day = 0;
  double end_day = 0;          // > start_day
  double capacity_factor = 0;  // in [0, 1)
};

class CapacityProfile {
public:
  CapacityProfile() = default;
  // Windows in any order; where windows overlap the smaller factor applies.
  explicit CapacityProfile(std::vector<DownWindow> windows);

  bool empty() const { return windows_.empty(); }
  // Capacity factor in force at `day` (1 outside every window).
  double factor_at(double day) const;
  // When `work_days` of work started at `start_day` completes: work advances at
  // the capacity factor, so a full stop pauses it. Infinity if it never can.
  double finish_time(double start_day, double work_days) const;
  // Capacity lost over [from_day, to_day): the integral of (1 - factor), days.
  // Divided by the span, the long-run "fraction of time down" for factor 0.
  double lost_days(double from_day, double to_day) const;
  const std::vector<DownWindow>& windows() const { return windows_; }

private:
  std::vector<DownWindow> windows_;  // sorted, non-overlapping
};

}  // namespace scsim::models
