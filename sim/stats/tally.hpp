// Tally: count, mean and streaming quantile estimates of an observed quantity (a lead time, a queue wait…).
//
// Memory is constant whatever the number of observations: the median and 90th percentile are P² estimates
// (Jain & Chlamtac 1985, boost::accumulators::p_square_quantile), which keep five markers each. P² needs five
// observations to place its markers, so up to five values are kept and their quantiles computed exactly.
#pragma once

#include <array>
#include <boost/accumulators/accumulators.hpp>
#include <boost/accumulators/statistics/count.hpp>
#include <boost/accumulators/statistics/mean.hpp>
#include <boost/accumulators/statistics/p_square_quantile.hpp>
#include <boost/accumulators/statistics/stats.hpp>
#include <cstdint>

namespace scsim::stats {

// Quantile of sorted values by linear interpolation between order statistics (Hyndman & Fan type 7, R's
// default): h = (n - 1) p, x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]). `p` in [0, 1];
// `sorted` ascending and non-empty (0 when empty).
double quantile_sorted(const double* sorted, std::size_t n, double p);

class Tally {
 public:
  Tally();

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
  using P2Set = boost::accumulators::accumulator_set<
      double, boost::accumulators::stats<boost::accumulators::tag::count, boost::accumulators::tag::mean,
                                         boost::accumulators::tag::p_square_quantile>>;
  using P2Only =
      boost::accumulators::accumulator_set<double,
                                           boost::accumulators::stats<boost::accumulators::tag::p_square_quantile>>;

  double small_quantile(double p) const;

  // The median estimator also carries the count and the mean.
  P2Set p50_;
  P2Only p90_;
  // The first observations, until P² has its five markers.
  std::array<double, 5> first_{};
};

}  // namespace scsim::stats
