#include "sim/stats/tally.hpp"

#include <algorithm>
#include <cmath>

namespace scsim::stats {

double quantile_sorted(const double* sorted, std::size_t n, double p) {
  if (n == 0) return 0.0;
  if (n == 1) return sorted[0];
  const double h = static_cast<double>(n - 1) * std::clamp(p, 0.0, 1.0);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= n) return sorted[n - 1];
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[lo + 1] - sorted[lo]);
}

double Tally::mean() const {
  return values_.empty() ? 0.0 : sum_ / static_cast<double>(values_.size());
}

double Tally::quantile(double p) const {
  // quantile_sorted's formula on the two order statistics it reads, found by selection instead of a sort: the
  // same answer to the last bit.
  const std::size_t n = values_.size();
  if (n == 0) return 0.0;
  if (n == 1) return values_[0];
  const double h = static_cast<double>(n - 1) * std::clamp(p, 0.0, 1.0);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const auto at = values_.begin() + static_cast<std::ptrdiff_t>(lo);
  std::nth_element(values_.begin(), at, values_.end());
  if (lo + 1 >= n) return *at;
  const double next = *std::min_element(at + 1, values_.end());  // after nth_element, none of them is below *at
  return *at + (h - static_cast<double>(lo)) * (next - *at);
}

}  // namespace scsim::stats
