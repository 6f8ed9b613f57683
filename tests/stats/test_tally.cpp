// Tally: exact (type 7) quantiles, small and long streams, against quantile_sorted of the sorted values.
#include <algorithm>
#include <bit>
#include <boost/accumulators/accumulators.hpp>
#include <boost/accumulators/statistics/p_square_quantile.hpp>
#include <boost/accumulators/statistics/stats.hpp>
#include <cmath>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <vector>

#include "sim/stats/tally.hpp"

using scsim::stats::quantile_sorted;
using scsim::stats::Tally;

namespace {

// A 64-bit LCG (Knuth's MMIX constants): the same uniform draws on every platform, no library involved.
class Lcg {
 public:
  explicit Lcg(std::uint64_t seed) : state_(seed) {}
  double uniform() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state_ >> 11) * 0x1.0p-53;  // top 53 bits -> [0, 1)
  }

 private:
  std::uint64_t state_;
};

// quantiles_selected of `values` is quantile_sorted of them sorted, to the bit, and leaves them only reordered.
void check_against_sorting(std::vector<double> values, const std::vector<double>& ps) {
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> got(ps.size());
  scsim::stats::quantiles_selected(values, ps, got);
  for (std::size_t k = 0; k < ps.size(); ++k) {
    INFO("p " << ps[k]);
    const double want = quantile_sorted(sorted.data(), sorted.size(), ps[k]);
    CHECK(std::bit_cast<std::uint64_t>(got[k]) == std::bit_cast<std::uint64_t>(want));
  }
  std::sort(values.begin(), values.end());
  CHECK(values == sorted);
}

}  // namespace

TEST_CASE("stats: tally is zero when empty") {
  const Tally t;
  CHECK(t.count() == 0);
  CHECK(t.mean() == 0.0);
  CHECK(t.p50() == 0.0);
  CHECK(t.p90() == 0.0);
}

TEST_CASE("stats: tally quantiles are exact for a few values") {
  Tally t;
  t.add(4.0);
  CHECK(t.count() == 1);
  CHECK(t.mean() == 4.0);
  CHECK(t.p50() == 4.0);
  CHECK(t.p90() == 4.0);

  t.add(2.0);
  // sorted {2, 4}: h = 0.5 -> 3; h = 0.9 -> 2 + 0.9 * 2
  CHECK(t.p50() == Approx(3.0));
  CHECK(t.p90() == Approx(3.8));

  t.add(10.0);
  t.add(6.0);
  // sorted {2, 4, 6, 10}: p50 h = 1.5 -> 5; p90 h = 2.7 -> 6 + 0.7 * 4 = 8.8
  CHECK(t.count() == 4);
  CHECK(t.mean() == Approx(5.5));
  CHECK(t.p50() == Approx(5.0));
  CHECK(t.p90() == Approx(8.8));

  t.add(8.0);
  // sorted {2, 4, 6, 8, 10}: p50 = 6; p90 h = 3.6 -> 8 + 0.6 * 2 = 9.2
  CHECK(t.count() == 5);
  CHECK(t.mean() == Approx(6.0));
  CHECK(t.p50() == Approx(6.0));
  CHECK(t.p90() == Approx(9.2));
}

TEST_CASE("stats: tally quantiles on 100k uniform draws are those of the sorted draws, to the last bit") {
  Lcg rng(12345);
  Tally t;
  std::vector<double> all;
  double sum = 0;
  for (int i = 0; i < 100000; ++i) {
    const double u = rng.uniform();
    sum += u;
    t.add(u);
    all.push_back(u);
  }
  std::sort(all.begin(), all.end());
  CHECK(t.count() == 100000);
  CHECK(t.mean() == Approx(sum / 100000.0).epsilon(1e-12));
  CHECK(t.mean() == Approx(0.5).margin(0.01));
  CHECK(t.p50() == quantile_sorted(all.data(), all.size(), 0.5));
  CHECK(t.p90() == quantile_sorted(all.data(), all.size(), 0.9));
  // Asking again (the values were reordered by the selection) and in another order gives the same answers.
  CHECK(t.p90() == quantile_sorted(all.data(), all.size(), 0.9));
  CHECK(t.p50() == quantile_sorted(all.data(), all.size(), 0.5));
  CHECK_FALSE(t.estimated());
  CHECK(t.p50() == Approx(0.5).margin(0.01));
  CHECK(t.p90() == Approx(0.9).margin(0.01));
}

TEST_CASE("stats: tally of 1..11 in a shuffled order has the exact median and 90th percentile") {
  Tally t;
  for (int i : {7, 3, 11, 1, 9, 5, 2, 10, 4, 8, 6}) t.add(static_cast<double>(i));
  CHECK(t.count() == 11);
  CHECK(t.mean() == Approx(6.0));
  CHECK(t.p50() == 6.0);   // h = 5 -> the 6th smallest
  CHECK(t.p90() == 10.0);  // h = 9 -> the 10th smallest
  t.add(6.0);              // a tie: sorted 1..5, 6, 6, 7..11; h = 5.5 -> 6 + 0.5 * 0
  CHECK(t.p50() == 6.0);
  CHECK(t.p90() == Approx(9.9));  // h = 9.9 -> 9 + 0.9 * 1
}

TEST_CASE("stats: past its limit a tally estimates with P², from every observation in order, in bounded memory") {
  Lcg rng(12345);
  Tally limited(1000), exact;
  std::vector<double> all;
  for (int i = 0; i < 100000; ++i) {
    const double u = rng.uniform();
    limited.add(u);
    exact.add(u);
    all.push_back(u);
  }
  CHECK(limited.estimated());
  CHECK_FALSE(exact.estimated());
  CHECK(limited.count() == 100000);
  CHECK(limited.mean() == exact.mean());
  // P²'s estimates: close to the exact quantiles, not equal to them.
  CHECK(limited.p50() == Approx(exact.p50()).margin(0.01));
  CHECK(limited.p90() == Approx(exact.p90()).margin(0.01));
  CHECK(limited.p50() != exact.p50());
}

TEST_CASE("stats: a tally's P² estimates are boost's p_square_quantile's to the bit, however late it switches") {
  // Short streams, so that a replay in the wrong order or with the wrong counts cannot be forgotten by the
  // time the estimators are read.
  Lcg rng(99);
  std::vector<double> draws;
  for (int i = 0; i < 40; ++i) draws.push_back(rng.uniform() * 10.0);
  namespace acc = boost::accumulators;
  acc::accumulator_set<double, acc::stats<acc::tag::p_square_quantile>> median(acc::quantile_probability = 0.5),
      ninetieth(acc::quantile_probability = 0.9);
  for (double d : draws) {
    median(d);
    ninetieth(d);
  }
  for (std::size_t limit : {5, 6, 17, 39}) {
    Tally t(limit);
    for (double d : draws) t.add(d);
    INFO("limit " << limit);
    REQUIRE(t.estimated());
    CHECK(t.p50() == acc::p_square_quantile(median));
    CHECK(t.p90() == acc::p_square_quantile(ninetieth));
  }
}

TEST_CASE("stats: tally copies are independent") {
  Tally a;
  for (int i = 0; i < 10; ++i) a.add(1.0);
  Tally b = a;
  b.add(100.0);
  CHECK(a.count() == 10);
  CHECK(b.count() == 11);
  CHECK(a.mean() == Approx(1.0));
}

TEST_CASE("stats: type 7 quantile of sorted values") {
  const double x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  CHECK(quantile_sorted(x, 10, 0.1) == Approx(1.9));
  CHECK(quantile_sorted(x, 10, 0.5) == Approx(5.5));
  CHECK(quantile_sorted(x, 10, 0.9) == Approx(9.1));
  CHECK(quantile_sorted(x, 10, 0.0) == 1.0);
  CHECK(quantile_sorted(x, 10, 1.0) == 10.0);
  CHECK(quantile_sorted(x, 1, 0.9) == 1.0);
  CHECK(quantile_sorted(x, 0, 0.5) == 0.0);
}

TEST_CASE("stats: quantiles_selected answers what quantile_sorted answers on the sorted values, to the last bit") {
  Lcg rng(2026);
  const std::vector<std::vector<double>> probability_sets{
      {0.1, 0.5, 0.9}, {0.5, 0.9}, {0.0, 1.0}, {0.5, 0.5}, {0.9}, {0.0, 0.1, 0.2, 0.25, 0.95, 0.99, 1.0}};
  for (std::size_t n = 0; n <= 40; ++n)
    for (const bool ties : {false, true})
      for (const auto& ps : probability_sets) {
        std::vector<double> values;
        for (std::size_t i = 0; i < n; ++i)
          values.push_back(ties ? std::floor(rng.uniform() * 4.0) : rng.uniform() * 100.0 - 50.0);
        std::vector<double> sorted = values;
        std::sort(sorted.begin(), sorted.end());
        std::vector<double> got(ps.size(), -1.0);
        scsim::stats::quantiles_selected(values, ps, got);
        for (std::size_t k = 0; k < ps.size(); ++k) {
          INFO("n " << n << ", ties " << ties << ", p " << ps[k]);
          CHECK(got[k] == quantile_sorted(sorted.data(), sorted.size(), ps[k]));
        }
      }
}

TEST_CASE("stats: quantiles_selected matches sorting on long inputs: random, few distinct values, sorted, reversed") {
  // Long enough for the branch-free quickselect (ranges above 16), in the orders that trouble quickselects.
  Lcg rng(11);
  const std::vector<double> ps{0.1, 0.5, 0.9};
  for (const std::size_t n : {17u, 100u, 1001u, 20000u})
    for (int shape = 0; shape < 5; ++shape) {
      std::vector<double> values(n);
      for (std::size_t i = 0; i < n; ++i) {
        const double u = rng.uniform();
        values[i] = shape == 0   ? u * 1000.0 - 300.0
                    : shape == 1 ? std::floor(u * 3.0)  // three distinct values
                    : shape == 2 ? static_cast<double>(i)
                    : shape == 3 ? static_cast<double>(n - i)
                                 : static_cast<double>(std::min(i, n - i));  // organ pipe
      }
      INFO("n " << n << ", shape " << shape);
      check_against_sorting(values, ps);
    }
}

TEST_CASE("stats: quantiles_selected with a NaN among the values returns (std::nth_element takes them)") {
  std::vector<double> values(1000);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>((i * 7919) % 1000);
  values[500] = std::nan("");
  const double ps[] = {0.5};
  double got[1] = {0};
  scsim::stats::quantiles_selected(values, ps, got);
  CHECK(values.size() == 1000);
}

TEST_CASE("stats: quantiles_selected of values all the same (a band's quiet weeks) is that value, to the bit") {
  // Up to 5,000 values (counted, not selected, from 1,024), infinities among them: inf - inf is NaN, so the
  // interpolation would not give them back.
  for (const double value : {0.0, -0.0, 1.0, -2.5, 1e300, 400000.0, std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity()})
    for (const std::size_t n : {1u, 2u, 3u, 200u, 1024u, 5000u}) {
      std::vector<double> values(n, value);
      const double ps[] = {0.1, 0.5, 0.9};
      double got[3] = {7, 7, 7};
      scsim::stats::quantiles_selected(values, ps, got);
      for (const double g : got) {
        INFO("value " << value << ", n " << n);
        CHECK(std::bit_cast<std::uint64_t>(g) == std::bit_cast<std::uint64_t>(value));
      }
    }
  // One value apart at either end: the selection, not the shortcut.
  std::vector<double> values(200, 3.0);
  values.front() = 1.0;
  values.back() = 5.0;
  const double ps[] = {0.0, 0.5, 1.0};
  double got[3];
  scsim::stats::quantiles_selected(values, ps, got);
  CHECK(got[0] == 1.0);
  CHECK(got[1] == 3.0);
  CHECK(got[2] == 5.0);
}

TEST_CASE("stats: tally p50_p90 is p50 and p90 asked one by one") {
  Lcg rng(7);
  Tally t;
  for (int i = 0; i < 1001; ++i) t.add(std::floor(rng.uniform() * 50.0));  // many ties
  const double p50 = t.p50(), p90 = t.p90();
  const auto [both50, both90] = t.p50_p90();
  CHECK(both50 == p50);
  CHECK(both90 == p90);
}

TEST_CASE("stats: quantiles_selected on long inputs (counted, not selected) matches sorting to the bit") {
  // From 1,024 values the order statistics are found by counting keys in slices of their range: lead times
  // clustered in a few days, values spanning signs and exponents, infinities, heavy ties, one slice holding
  // nearly everything, and probabilities at both ends.
  Lcg rng(20261201);
  const std::vector<double> ps{0.0, 0.1, 0.5, 0.9, 0.999, 1.0};
  for (const std::size_t n : {1023u, 1024u, 1025u, 4400u, 70000u})
    for (int shape = 0; shape < 7; ++shape) {
      std::vector<double> values(n);
      for (std::size_t i = 0; i < n; ++i) {
        const double u = rng.uniform();
        values[i] = shape == 0   ? 100.0 + 50.0 * u                                // lead times, one binade
                    : shape == 1 ? (u - 0.5) * std::pow(10.0, std::floor(u * 600.0) - 300.0)  // every scale
                    : shape == 2 ? std::floor(u * 5.0) - 2.0                         // five values, +0 among them
                    : shape == 3 ? (i % 97 == 0 ? 1e300 : 1.0 + u * 1e-12)            // one outlier stretches the range
                    : shape == 4 ? (i % 3 == 0 ? std::numeric_limits<double>::infinity()
                                               : i % 3 == 1 ? -std::numeric_limits<double>::infinity() : u)
                    : shape == 5 ? static_cast<double>(n - i)                        // reversed
                                 : std::nextafter(1.0, 2.0 * static_cast<double>(i % 2));  // two neighbours
      }
      INFO("n " << n << ", shape " << shape);
      check_against_sorting(values, ps);
    }
}

TEST_CASE("stats: quantiles_selected on a long input with -0 and NaN takes the selection path and still answers") {
  std::vector<double> values(3000);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>(i % 7) - 3.0;
  values[10] = -0.0;
  const std::vector<double> ps{0.5, 0.9};
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> got(2);
  scsim::stats::quantiles_selected(values, ps, got);
  CHECK(got[0] == quantile_sorted(sorted.data(), sorted.size(), 0.5));
  CHECK(got[1] == quantile_sorted(sorted.data(), sorted.size(), 0.9));
  values[20] = std::nan("");
  scsim::stats::quantiles_selected(values, ps, got);  // returns (what NaN does to the order is unspecified)
  CHECK(values.size() == 3000);
}
