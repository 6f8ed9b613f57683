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

void quantiles_selected(std::vector<double>& values, std::span<const double> ps, std::span<double> out) {
  const std::size_t n = values.size();
  // Every order statistic found so far sits at its place, with nothing smaller after it; `end` is the lowest
  // such place, `end_value` its value, and `after` the smallest value after it (the next order statistic).
  std::size_t end = n;
  double end_value = 0, after = 0;
  for (std::size_t k = ps.size(); k-- > 0;) {
    if (n <= 1) {
      out[k] = n == 0 ? 0.0 : values[0];
      continue;
    }
    const double h = static_cast<double>(n - 1) * std::clamp(ps[k], 0.0, 1.0);
    const auto lo = static_cast<std::size_t>(std::floor(h));
    if (lo < end) {
      const auto at = values.begin() + static_cast<std::ptrdiff_t>(lo);
      std::nth_element(values.begin(), at, values.begin() + static_cast<std::ptrdiff_t>(end));
      // The next order statistic: the smallest between lo and end (none of them is above end's value), or
      // end's value itself when nothing is between.
      if (lo + 1 < end)
        after = *std::min_element(at + 1, values.begin() + static_cast<std::ptrdiff_t>(end));
      else if (end < n)
        after = end_value;
      end = lo;
      end_value = *at;
    }
    // lo == end here (a lower lo was just selected, an equal one found before).
    out[k] = lo + 1 >= n ? end_value : end_value + (h - static_cast<double>(lo)) * (after - end_value);
  }
}

double Tally::quantile(double p) const {
  double answer = 0;
  quantiles_selected(values_, std::span<const double>(&p, 1), std::span<double>(&answer, 1));
  return answer;
}

std::array<double, 2> Tally::p50_p90() const {
  static constexpr double kProbabilities[] = {0.5, 0.9};
  std::array<double, 2> answers{};
  quantiles_selected(values_, kProbabilities, answers);
  return answers;
}

}  // namespace scsim::stats
