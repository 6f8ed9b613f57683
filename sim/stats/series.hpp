// Time series the engine fills while it runs, binned by week (or any bin width) from day 0.
//
//   FlowSeries  — amounts that happen at an instant (wafers started, units shipped): summed per bin.
//   LevelSeries — a piecewise-constant level (WIP, inventory, busy servers): integrated over time and reported
//                 as the time average per bin.
//
// Bin w covers days [w * bin_days, (w + 1) * bin_days). Days count from Scenario.start_date (day 0).
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

namespace scsim::stats {

// The bin of width `bin_days` holding `day` (day 0 and anything before it in bin 0).
inline std::size_t bin_of(double day, double bin_days) {
  return day > 0 ? static_cast<std::size_t>(std::floor(day / bin_days)) : 0;
}

class FlowSeries {
 public:
  // `bin_days` > 0: width of one bin, days.
  explicit FlowSeries(double bin_days = 7.0);

  // Adds `amount` (in the flow's unit) to the bin containing `day` (days, >= 0; earlier days count in bin 0).
  // Bins grow as needed.
  void add(double day, double amount) { add_to_bin(bin_of(day), amount); }
  // Adds `amount` to bin `bin` (the engine's binning loops know the bin already).
  void add_to_bin(std::size_t bin, double amount) {
    if (bin >= values_.size()) grow(bin);
    values_[bin] += amount;
    total_ += amount;
  }
  // The bin holding `day` (day 0 and anything before it in bin 0).
  std::size_t bin_of(double day) const { return stats::bin_of(day, bin_days_); }
  // One total per bin, from bin 0 up to the last bin touched (or padded to).
  const std::vector<double>& values() const { return values_; }
  // Extends the series with empty bins to at least `bins` bins.
  void pad_to(std::size_t bins);
  // Sum of everything added.
  double total() const { return total_; }
  double bin_days() const { return bin_days_; }

 private:
  void grow(std::size_t bin);
  double bin_days_;
  std::vector<double> values_;
  double total_ = 0;
};

class LevelSeries {
 public:
  // `bin_days` > 0: width of one bin, days. The level starts at 0 on day 0.
  explicit LevelSeries(double bin_days = 7.0);

  // The level becomes `value` at `day` (days, non-decreasing across calls; an earlier day counts as the
  // latest day seen).
  void set(double day, double value) {
    integrate_to(day);
    level_ = value;
  }
  // The level changes by `delta` at `day` (same rule for days).
  void add(double day, double delta) {
    integrate_to(day);
    level_ += delta;
  }
  // The current level.
  double level() const { return level_; }

  // Closes the integration at `end_day` (days, not before the last change): the time average of every bin
  // ceil(end_day / bin_days) bins, the last one averaged over the part of it before end_day. May be called
  // again with a later end_day after further changes.
  void finish(double end_day);
  // Time average per bin, in the level's unit; valid after finish().
  const std::vector<double>& averages() const { return averages_; }
  // Time average over [0, end_day]; valid after finish(). The level itself when end_day is 0.
  double time_average() const { return time_average_; }
  double bin_days() const { return bin_days_; }

 private:
  // Adds level_ x time from last_day_ to `day` to the bins it spans. Inline for the usual change, within the bin
  // of the last one (a replication sets levels ~22,000 times; the out-of-line loop took 58 instructions a call);
  // the same arithmetic as the loop's single step.
  void integrate_to(double day) {
    if (!(day > last_day_)) return;
    if (last_bin_ < integral_.size() && day <= static_cast<double>(last_bin_ + 1) * bin_days_) {
      integral_[last_bin_] += level_ * (day - last_day_);
      last_day_ = day;
      last_bin_ = bin_of(day, bin_days_);
      return;
    }
    integrate_across(day);
  }
  void integrate_across(double day);

  double bin_days_;
  double level_ = 0;
  double last_day_ = 0;
  std::size_t last_bin_ = 0;      // the bin holding last_day_
  std::vector<double> integral_;  // level-days per bin
  std::vector<double> averages_;
  double time_average_ = 0;
};

}  // namespace scsim::stats
