#include "sim/stats/tally.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
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

namespace {

// std::nth_element's contract (the k-th smallest of [first, last) at nth, none larger before it, none smaller
// after it) for values that are not NaN, partitioning without branches: std::nth_element's partition
// mispredicted about every other comparison, and the lead-time quantiles at the end of a replication took 4% of
// it. Quickselect around the median of three: a branch-free Lomuto pass puts the values below the pivot first;
// when nth is not among them, a second pass gathers those equal to it (ties end the search), and the search goes
// on among the rest. Short ranges, and unlucky pivots beyond a depth limit, go to std::nth_element.
void select_nth(double* first, double* nth, double* last) {
  int depth = 2 * static_cast<int>(std::bit_width(static_cast<std::size_t>(last - first))) + 4;
  while (last - first > 16 && depth-- > 0) {
    const double a = first[0], b = first[(last - first) / 2], c = last[-1];
    const double pivot = std::max(std::min(a, b), std::min(std::max(a, b), c));
    double* below = first;  // [first, below) < pivot <= [below, i)
    for (double* i = first; i < last; ++i) {
      const double v = *i;
      *i = *below;
      *below = v;
      below += v < pivot;
    }
    if (nth < below) {
      last = below;
      continue;
    }
    double* equal = below;  // [below, equal) == pivot < [equal, i)
    for (double* i = below; i < last; ++i) {
      const double v = *i;
      *i = *equal;
      *equal = v;
      equal += v <= pivot;
    }
    if (nth < equal) return;  // the pivot, with the smaller values before it and the larger after
    first = equal;
  }
  std::nth_element(first, nth, last);
}

}  // namespace

void quantiles_selected(std::span<double> values, std::span<const double> ps, std::span<double> out) {
  const std::size_t n = values.size();
  // All the same value (to the bit), as in most weeks of a timeline band (two thirds of a TSMC run's rows: nothing
  // installed yet in any replication, a constant booking...): every quantile is that value, without selecting.
  bool nan = false;
  if (n > 1) {
    const auto first = std::bit_cast<std::uint64_t>(values[0]);
    std::uint64_t differ = 0;
    for (const double v : values) {
      differ |= std::bit_cast<std::uint64_t>(v) ^ first;
      nan |= v != v;
    }
    if (differ == 0) {
      for (std::size_t k = 0; k < ps.size(); ++k) out[k] = values[0];
      return;
    }
  }
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
      if (nan)  // NaN compares false with everything: select_nth's pivot could leave nothing below or equal
        std::nth_element(values.begin(), at, values.begin() + static_cast<std::ptrdiff_t>(end));
      else
        select_nth(values.data(), values.data() + lo, values.data() + end);
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

Tally::Tally(std::size_t exact_limit) : exact_limit_(std::max<std::size_t>(exact_limit, 5)) {}

double Tally::mean() const {
  return count_ == 0 ? 0.0 : sum_ / static_cast<double>(count_);
}

std::array<double, 2> Tally::p50_p90() const {
  if (estimated_) return {p50_.heights[2], p90_.heights[2]};
  static constexpr double kProbabilities[] = {0.5, 0.9};
  std::array<double, 2> answers{};
  quantiles_selected(values_, kProbabilities, answers);
  return answers;
}

void Tally::estimate_from_now_on() {
  for (std::size_t i = 0; i < values_.size(); ++i) {
    p50_.add(values_[i], i + 1);
    p90_.add(values_[i], i + 1);
  }
  estimated_ = true;
  std::vector<double>().swap(values_);
}

Tally::P2::P2(double probability) : p(probability) {
  for (std::size_t i = 0; i < 5; ++i) actual_positions[i] = static_cast<double>(i) + 1.;
  desired_positions[0] = 1.;
  desired_positions[1] = 1. + 2. * p;
  desired_positions[2] = 1. + 4. * p;
  desired_positions[3] = 3. + 2. * p;
  desired_positions[4] = 5.;
  positions_increments[0] = 0.;
  positions_increments[1] = p / 2.;
  positions_increments[2] = p;
  positions_increments[3] = (1. + p) / 2.;
  positions_increments[4] = 1.;
}

void Tally::P2::add(double sample, std::size_t cnt) {
  if (cnt <= 5) {
    heights[cnt - 1] = sample;
    if (cnt == 5) std::sort(heights.begin(), heights.end());
    return;
  }
  std::size_t sample_cell = 1;  // k
  if (sample < heights[0]) {
    heights[0] = sample;
    sample_cell = 1;
  } else if (heights[4] <= sample) {
    heights[4] = sample;
    sample_cell = 4;
  } else {
    sample_cell = static_cast<std::size_t>(std::upper_bound(heights.begin(), heights.end(), sample) - heights.begin());
  }
  for (std::size_t i = sample_cell; i < 5; ++i) ++actual_positions[i];
  // Only the middle markers' desired positions are read (the end markers' are 1 and n, and not used): unlike
  // boost, the ends are not advanced.
  for (std::size_t i = 1; i <= 3; ++i) desired_positions[i] += positions_increments[i];
  for (std::size_t i = 1; i <= 3; ++i) {
    const double d = desired_positions[i] - actual_positions[i];
    const double dp = actual_positions[i + 1] - actual_positions[i];
    const double dm = actual_positions[i - 1] - actual_positions[i];
    if ((d >= 1. && dp > 1.) || (d <= -1. && dm < -1.)) {
      // Only here, unlike boost (the same values where they are used): most steps move no marker.
      const double hp = (heights[i + 1] - heights[i]) / dp;
      const double hm = (heights[i - 1] - heights[i]) / dm;
      const auto sign_d = static_cast<short>(d / std::abs(d));
      const double h = heights[i] + sign_d / (dp - dm) * ((sign_d - dm) * hp + (dp - sign_d) * hm);
      if (heights[i - 1] < h && h < heights[i + 1]) {
        heights[i] = h;
      } else {
        if (d > 0) heights[i] += hp;
        if (d < 0) heights[i] -= hm;
      }
      actual_positions[i] += sign_d;
    }
  }
}

}  // namespace scsim::stats
