// Tally: count, mean and streaming quantile estimates of an observed quantity (a lead time, a queue wait…).
//
// Memory is constant whatever the number of observations: the median and 90th percentile are P² estimates
// (Jain & Chlamtac 1985), which keep five markers each: boost::accumulators::p_square_quantile's algorithm,
// operation for operation (so the same estimates to the last bit), without the accumulator set around it
// (one lot's lead time is tallied per completed lot, and the set was a noticeable part of a replication). P² needs five
// observations to place its markers, so up to five values are kept and their quantiles computed exactly.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace scsim::stats {

// Quantile of sorted values by linear interpolation between order statistics (Hyndman & Fan type 7, R's
// default): h = (n - 1) p, x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]). `p` in [0, 1];
// `sorted` ascending and non-empty (0 when empty).
double quantile_sorted(const double* sorted, std::size_t n, double p);

class Tally {
 public:
  Tally() = default;

  // One observation, in the caller's unit (days for lead times).
  void add(double value);

  // Observations so far.
  std::int64_t count() const;
  // Arithmetic mean of the observations; 0 when empty.
  double mean() const;
  // Median: exact (type 7) for up to 5 observations, then the P² estimate; 0 when empty.
  double p50() const;
  // 90th percentile: exact (type 7) for up to 5 observations, then the P² estimate; 0 when empty.
  double p90() const;

 private:
  // One P² quantile estimate (boost::accumulators::impl::p_square_quantile_impl).
  struct P2 {
    explicit P2(double probability);
    // The `count`th observation (count >= 1).
    void add(double sample, std::size_t count);
    double p;
    std::array<double, 5> heights{}, actual_positions{}, desired_positions{}, positions_increments{};
  };

  double small_quantile(double p) const;

  std::size_t count_ = 0;
  double sum_ = 0;
  P2 p50_{0.5}, p90_{0.9};
  // The first observations, until P² has its five markers.
  std::array<double, 5> first_{};
};

}  // namespace scsim::stats
