// Program orders a site holds, by the day work must start on them so that it
// is ready when the customer needs it (MRP offsetting), in units of the site's
// product. Plain C++. Queries move forward in time (a site's clock), so orders
// whose start day has come are folded into one running total.
#pragma once

#include <algorithm>
#include <iterator>
#include <map>

#include "sim/scenario/scenario.hpp"

namespace scsim::engine {

class OrderBook {
 public:
  // Adds `units` to start by `start_day`; a negative amount cancels, latest start first, never below `kept`
  // (what is already started or covered). Returns the units actually added (or cancelled, negative).
  double add(double start_day, double units, double kept = 0) {
    if (units >= 0) {
      if (start_day <= clock_)
        due_ += units;
      else
        later_[start_day] += units;
      total_ += units;
      return units;
    }
    double cancel = std::min(-units, std::max(0.0, total_ - kept));
    const double cancelled = cancel;
    total_ -= cancel;
    while (cancel > 1e-12 && !later_.empty()) {
      auto last = std::prev(later_.end());
      const double take = std::min(cancel, last->second);
      last->second -= take;
      cancel -= take;
      if (last->second <= 1e-12) later_.erase(last);
    }
    due_ -= cancel;
    return -cancelled;
  }
  // Units to start by `day` (cumulative); `day` never goes back.
  double due_by(double day) {
    clock_ = std::max(clock_, day);
    while (!later_.empty() && later_.begin()->first <= clock_) {
      due_ += later_.begin()->second;
      later_.erase(later_.begin());
    }
    return due_;
  }
  // Units to start by a later `day`, without moving the clock.
  double due_by_peek(double day) const {
    double sum = due_;
    for (auto it = later_.begin(); it != later_.end() && it->first <= day; ++it) sum += it->second;
    return sum;
  }
  double total() const { return total_; }
  // The first start day still ahead (kNever when none).
  double next_start() const { return later_.empty() ? scenario::kNever : later_.begin()->first; }

 private:
  std::map<double, double> later_;  // start day -> units, start days after clock_
  double due_ = 0, total_ = 0, clock_ = -scenario::kNever;
};

}  // namespace scsim::engine
