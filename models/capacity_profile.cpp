#include "models/capacity_profile.hpp"

#include <algorithm>
#include <limits>
#include <map>

namespace scsim::models {

CapacityProfile::CapacityProfile(std::vector<DownWindow> windows) {
  // Flatten overlaps: cut the time line at every window edge and keep the
  // minimum factor on each piece, merging neighbours with equal factors.
  std::vector<double> cuts;
  for (const auto& w : windows) {
    if (!(w.end_day > w.start_day)) continue;
    cuts.push_back(w.start_day);
    cuts.push_back(w.end_day);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    const double a = cuts[i], b = cuts[i + 1];
    double factor = 1.0;
    for (const auto& w : windows)
      if (w.start_day <= a && w.end_day >= b) factor = std::min(factor, w.capacity_factor);
    if (factor >= 1.0) continue;
    if (!windows_.empty() && windows_.back().end_day == a && windows_.back().capacity_factor == factor)
      windows_.back().end_day = b;
    else
      windows_.push_back({a, b, factor});
  }
}

double CapacityProfile::factor_at(double day) const {
  for (const auto& w : windows_) {
    if (day < w.start_day) break;
    if (day < w.end_day) return w.capacity_factor;
  }
  return 1.0;
}

double CapacityProfile::finish_time(double start_day, double work_days) const {
  double t = start_day;
  double left = work_days;
  for (const auto& w : windows_) {
    if (w.end_day <= t) continue;
    if (w.start_day > t) {  // full speed until the window opens
      if (t + left <= w.start_day) return t + left;
      left -= w.start_day - t;
      t = w.start_day;
    }
    const double span = w.end_day - t;  // inside the window at reduced speed
    if (w.capacity_factor > 0 && left <= span * w.capacity_factor) return t + left / w.capacity_factor;
    left -= span * w.capacity_factor;
    t = w.end_day;
  }
  return t + left;
}

double CapacityProfile::lost_days(double from_day, double to_day) const {
  double lost = 0;
  for (const auto& w : windows_) {
    const double a = std::max(from_day, w.start_day), b = std::min(to_day, w.end_day);
    if (b > a) lost += (b - a) * (1.0 - w.capacity_factor);
  }
  return lost;
}

}  // namespace scsim::models
