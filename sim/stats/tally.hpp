// Tally: count, mean and exact quantiles of an observed quantity (a lead time, a queue wait…).
//
// The median and 90th percentile are exact (type 7, as quantile_sorted): the tally keeps every observation and
// selects the order statistics with std::nth_element when asked, in time linear in the count. A tally lives
// for one replication (one site's lots), so its memory is 8 bytes per observation, a few hundred kilobytes at
// most in the shipped scenarios. It used to keep P² estimates (Jain & Chlamtac 1985, five markers per
// quantile) in constant memory; updating two of them for every completed lot cost more than the rest of the
// lot's statistics together, and their answers were off by up to 0.2% of a lead time.
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
// selection (std::nth_element), the highest probability's over all the values and each lower one's only
// below the last one found, so the three quantiles of a timeline band cost about two selections. The same
// answers to the last bit as sorting; `values` is left reordered; zeros when it is empty.
void quantiles_selected(std::vector<double>& values, std::span<const double> ps, std::span<double> out);

class Tally {
 public:
  Tally() = default;

  // One observation, in the caller's unit (days for lead times).
  void add(double value) {
    values_.push_back(value);
    sum_ += value;
  }

  // Observations so far.
  std::int64_t count() const { return static_cast<std::int64_t>(values_.size()); }
  // Arithmetic mean of the observations; 0 when empty.
  double mean() const;
  // Median (type 7); 0 when empty.
  double p50() const { return quantile(0.5); }
  // 90th percentile (type 7); 0 when empty.
  double p90() const { return quantile(0.9); }
  // Any quantile, type 7; `p` in [0, 1]; 0 when empty.
  double quantile(double p) const;
  // The median and the 90th percentile together (one selection less than asking for each).
  std::array<double, 2> p50_p90() const;

 private:
  double sum_ = 0;
  // Every observation; quantile() reorders them (selection), which changes nothing a caller can see.
  mutable std::vector<double> values_;
};

}  // namespace scsim::stats
