#include "sim/stats/tally.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cmath>
#include <span>
#include <vector>

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

// From this many values on, quantiles_selected counts instead of selecting (quantiles_by_counting).
constexpr std::size_t kCountingFrom = 1024;

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

// Long inputs: the order statistics that quantiles read, found by counting. Each value becomes a 64-bit key
// that sorts as the value does; one pass counts the keys in up to 4,096 equal slices of their range, the slices
// that hold the wanted ranks are gathered in a second pass, and each rank is selected within its slice. A
// lead-time tally of 4,400 lots took ~70 instructions per value by selection (two quickselects and their
// scans for the next order statistic), a twentieth of a replication; counting takes about half of that.
// The answers are the order statistics themselves, so they are the same to the last bit; values all the same
// are answered as quantiles_selected answers them. Returns false, having written nothing, when a value is NaN
// or negative zero (-0 == 0: which of the two a selection returns depends on the order it met them in, and the
// caller's selection decides that).
bool quantiles_by_counting(std::span<const double> values, std::span<const double> ps, std::span<double> out) {
  const std::size_t n = values.size();
  constexpr std::uint64_t kSign = std::uint64_t{1} << 63;
  std::vector<std::uint64_t> keys(n);
  std::uint64_t low = ~std::uint64_t{0}, high = 0, awkward = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto bits = std::bit_cast<std::uint64_t>(values[i]);
    awkward += (bits == kSign) | ((bits & ~kSign) > 0x7ff0000000000000ULL);  // -0, NaN
    const std::uint64_t key = bits ^ (static_cast<std::uint64_t>(static_cast<std::int64_t>(bits) >> 63) | kSign);
    keys[i] = key;
    low = std::min(low, key);
    high = std::max(high, key);
  }
  if (awkward > 0) return false;
  if (low == high) {  // all the same, to the bit (as the caller's shortcut answers them)
    for (std::size_t k = 0; k < ps.size(); ++k) out[k] = values[0];
    return true;
  }
  // Eight to sixteen keys a slice when they spread evenly: few slices to add up, few keys to select among.
  const int wanted_bits = std::clamp(static_cast<int>(std::bit_width(n)) - 4, 1, 12);
  const int shift = std::max(0, static_cast<int>(std::bit_width(high - low)) - wanted_bits);
  const std::size_t slices = static_cast<std::size_t>((high - low) >> shift) + 1;
  std::vector<std::uint32_t> before(slices + 1, 0);  // counts, then how many keys lie in earlier slices
  for (const std::uint64_t key : keys) ++before[static_cast<std::size_t>((key - low) >> shift) + 1];
  for (std::size_t b = 1; b <= slices; ++b) before[b] += before[b - 1];
  // The ranks each quantile reads (its floor and the next one) and the slices they fall in, each gathered once.
  std::vector<std::size_t> ranks;
  for (const double p : ps) {
    const auto lo = static_cast<std::size_t>(std::floor(static_cast<double>(n - 1) * std::clamp(p, 0.0, 1.0)));
    ranks.push_back(lo);
    if (lo + 1 < n) ranks.push_back(lo + 1);
  }
  std::vector<std::int32_t> gathered_in(slices, -1);  // per slice: its index in `gathered`, or -1
  std::vector<std::size_t> gathered_slice;
  for (const std::size_t rank : ranks) {
    const auto b =
        static_cast<std::size_t>(std::upper_bound(before.begin(), before.end(), rank) - before.begin()) - 1;
    if (gathered_in[b] < 0) {
      gathered_in[b] = static_cast<std::int32_t>(gathered_slice.size());
      gathered_slice.push_back(b);
    }
  }
  std::vector<std::vector<std::uint64_t>> gathered(gathered_slice.size());
  for (std::size_t g = 0; g < gathered.size(); ++g)
    gathered[g].reserve(before[gathered_slice[g] + 1] - before[gathered_slice[g]]);
  for (const std::uint64_t key : keys)
    if (const int g = gathered_in[static_cast<std::size_t>((key - low) >> shift)]; g >= 0)
      gathered[static_cast<std::size_t>(g)].push_back(key);
  auto value_at = [&](std::size_t rank) {
    const auto b =
        static_cast<std::size_t>(std::upper_bound(before.begin(), before.end(), rank) - before.begin()) - 1;
    auto& slice = gathered[static_cast<std::size_t>(gathered_in[b])];
    const auto nth = slice.begin() + static_cast<std::ptrdiff_t>(rank - before[b]);
    std::nth_element(slice.begin(), nth, slice.end());
    const std::uint64_t key = *nth;
    return std::bit_cast<double>((key & kSign) ? key & ~kSign : ~key);
  };
  for (std::size_t k = 0; k < ps.size(); ++k) {
    const double h = static_cast<double>(n - 1) * std::clamp(ps[k], 0.0, 1.0);
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const double at = value_at(lo);
    out[k] = lo + 1 >= n ? at : at + (h - static_cast<double>(lo)) * (value_at(lo + 1) - at);
  }
  return true;
}

}  // namespace

void quantiles_selected(std::span<double> values, std::span<const double> ps, std::span<double> out) {
  const std::size_t n = values.size();
  if (n >= kCountingFrom && quantiles_by_counting(values, ps, out)) return;
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
