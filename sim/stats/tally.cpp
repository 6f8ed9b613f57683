#include "sim/stats/tally.hpp"

#include <algorithm>
#include <cmath>

namespace scsim::stats {

namespace acc = boost::accumulators;

double quantile_sorted(const double* sorted, std::size_t n, double p) {
  if (n == 0) return 0.0;
  if (n == 1) return sorted[0];
  const double h = static_cast<double>(n - 1) * std::clamp(p, 0.0, 1.0);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= n) return sorted[n - 1];
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[lo + 1] - sorted[lo]);
}

Tally::Tally() : p50_(acc::quantile_probability = 0.5), p90_(acc::quantile_probability = 0.9) {}

void Tally::add(double value) {
  const std::int64_t n = count();
  if (n < static_cast<std::int64_t>(first_.size())) first_[static_cast<std::size_t>(n)] = value;
  p50_(value);
  p90_(value);
}

std::int64_t Tally::count() const {
  return static_cast<std::int64_t>(acc::count(p50_));
}

double Tally::mean() const {
  return count() == 0 ? 0.0 : acc::mean(p50_);
}

double Tally::small_quantile(double p) const {
  const std::size_t n = std::min(static_cast<std::size_t>(count()), first_.size());
  std::array<double, 5> sorted = first_;
  std::sort(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(n));
  return quantile_sorted(sorted.data(), n, p);
}

// With exactly five observations P² would answer its middle marker (the median) for every probability, so the
// exact answer is used up to and including five.
double Tally::p50() const {
  return count() <= static_cast<std::int64_t>(first_.size()) ? small_quantile(0.5) : acc::p_square_quantile(p50_);
}

double Tally::p90() const {
  return count() <= static_cast<std::int64_t>(first_.size()) ? small_quantile(0.9) : acc::p_square_quantile(p90_);
}

}  // namespace scsim::stats
