// Tally: count, mean, median and 90th percentile of an observed quantity (a lead time, a queue wait…).
//
// The median and 90th percentile are exact (type 7, as quantile_sorted) up to `exact_limit` observations (a
// million by default): the tally keeps them and selects the order statistics (quantiles_selected) when asked,
// in time linear in the count. A tally lives for one replication (one site's lots), so that is 8 bytes per
// lot, ~110 KB for a TSMC site. Past the limit memory stays bounded: the stored observations are replayed, in
// the order they came, into P² estimators (Jain & Chlamtac 1985, five markers per quantile,
// boost::accumulators::p_square_quantile's algorithm operation for operation), which take every later one.
// P² used to run from the first lot: updating two estimators per completed lot cost more than the rest of the
// lot's statistics together, and its answers were off by up to 0.3% of a lead time.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace scsim::stats {

// Quantile of sorted values by linear interpolation between order statistics (Hyndman & Fan type 7, R's
// default): h = (n - 1) p, x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]). `p` in [0, 1];
// `sorted` ascending and non-empty (0 when empty).
double quantile_sorted(const double* sorted, std::size_t n, double p);

// quantile_sorted of the values once sorted, for each probability of `ps` (ascending, each in [0, 1]), into
// `out` (as many as `ps`), without sorting them: the two order statistics each one reads are found by
// selection (a branch-free quickselect, tally.cpp), the highest probability's over all the values and each lower
// one's only below the last one found, so the three quantiles of a timeline band cost about two selections;
// values all the same need none. The same answers to the last bit as sorting; `values` is left reordered;
// zeros when it is empty.
void quantiles_selected(std::span<double> values, std::span<const double> ps, std::span<double> out);

class Tally {
 public:
  static constexpr std::size_t kExactLimit = std::size_t{1} << 20;

  // `exact_limit` (at least 5): how many observations are kept for exact quantiles.
  explicit Tally(std::size_t exact_limit = kExactLimit);

  // One observation, in the caller's unit (days for lead times).
  void add(double value) {
    ++count_;
    sum_ += value;
    if (!estimated_) {
      values_.push_back(value);
      if (values_.size() > exact_limit_) estimate_from_now_on();
    } else {
      p50_.add(value, count_);
      p90_.add(value, count_);
    }
  }

  // Observations so far.
  std::int64_t count() const { return static_cast<std::int64_t>(count_); }
  // Arithmetic mean of the observations; 0 when empty.
  double mean() const;
  // Median (type 7, or the P² estimate past the limit); 0 when empty.
  double p50() const { return p50_p90()[0]; }
  // 90th percentile (type 7, or the P² estimate past the limit); 0 when empty.
  double p90() const { return p50_p90()[1]; }
  // Both together (one selection less than asking for each).
  std::array<double, 2> p50_p90() const;
  // True once past the limit: p50 and p90 are P² estimates.
  bool estimated() const { return estimated_; }

 private:
  // One P² quantile estimate (boost::accumulators::impl::p_square_quantile_impl).
  struct P2 {
    explicit P2(double probability);
    // The `count`th observation (count >= 1).
    void add(double sample, std::size_t count);
    double p;
    std::array<double, 5> heights{}, actual_positions{}, desired_positions{}, positions_increments{};
  };

  // Replays the kept observations into the estimators and frees them. A quantile asked for earlier reordered
  // them (selection), which changes the replay's order: the engine asks only at the end of a replication.
  void estimate_from_now_on();

  std::size_t exact_limit_;
  std::size_t count_ = 0;
  double sum_ = 0;
  bool estimated_ = false;
  // Every observation while exact; quantile selection reorders them (which only the replay past the limit
  // would see: estimate_from_now_on).
  mutable std::vector<double> values_;
  P2 p50_{0.5}, p90_{0.9};
};

}  // namespace scsim::stats
