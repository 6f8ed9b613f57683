#include "sim/stats/series.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace scsim::stats {

namespace {

double checked_bin_days(double bin_days) {
  if (!(bin_days > 0) || !std::isfinite(bin_days))
    throw std::invalid_argument(fmt::format("bin width must be positive, got {}", bin_days));
  return bin_days;
}

}  // namespace

FlowSeries::FlowSeries(double bin_days) : bin_days_(checked_bin_days(bin_days)) {}

void FlowSeries::grow(std::size_t bin) {
  values_.resize(bin + 1, 0.0);
}

void FlowSeries::pad_to(std::size_t bins) {
  if (bins > values_.size()) values_.resize(bins, 0.0);
}

LevelSeries::LevelSeries(double bin_days) : bin_days_(checked_bin_days(bin_days)) {}

void LevelSeries::integrate_across(double day) {
  if (!(day > last_day_)) return;
  std::size_t bin = last_bin_;
  double from = last_day_;
  while (from < day) {
    // The bin's upper edge is computed from its index, not accumulated, so long runs do not drift.
    const double edge = static_cast<double>(bin + 1) * bin_days_;
    const double to = std::min(edge, day);
    if (to > from) {
      if (bin >= integral_.size()) integral_.resize(bin + 1, 0.0);
      integral_[bin] += level_ * (to - from);
    }
    from = std::max(from, to);
    ++bin;
  }
  last_day_ = day;
  last_bin_ = bin_of(day, bin_days_);
}

void LevelSeries::finish(double end_day) {
  integrate_to(end_day);
  const double end = std::max(end_day, 0.0);
  const auto bins = static_cast<std::size_t>(std::ceil(end / bin_days_));
  averages_.assign(bins, 0.0);
  double total = 0;
  for (std::size_t w = 0; w < bins; ++w) {
    const double integral = w < integral_.size() ? integral_[w] : 0.0;
    const double begin = static_cast<double>(w) * bin_days_;
    const double covered = std::min(static_cast<double>(w + 1) * bin_days_, end) - begin;
    averages_[w] = covered > 0 ? integral / covered : level_;
    total += integral;
  }
  time_average_ = end > 0 ? total / end : level_;
}

}  // namespace scsim::stats
