// Dist: exact means, bounds, descriptions, and sample moments against exact values.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

#include "models/distribution.hpp"

using namespace scsim::models;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double phi(double x) {
  return std::isinf(x) ? 0.0 : std::exp(-0.5 * x * x) / std::sqrt(2 * std::numbers::pi);
}
double cdf(double x) {
  return 0.5 * std::erfc(-x / std::numbers::sqrt2);
}

// Exact variance of a truncated normal (textbook formula; unbounded ends give 0 terms).
double truncated_normal_variance(double mu, double sd, double lo, double hi) {
  const double a = (lo - mu) / sd, b = (hi - mu) / sd;
  const double z = cdf(b) - cdf(a);
  const double aphi = std::isinf(a) ? 0.0 : a * phi(a);
  const double bphi = std::isinf(b) ? 0.0 : b * phi(b);
  const double r = (phi(a) - phi(b)) / z;
  return sd * sd * (1 + (aphi - bphi) / z - r * r);
}

struct Stats {
  double mean = 0, variance = 0, min = kInf, max = -kInf;
};

// Draw n values with Welford's update, tracking the extremes.
Stats draw_stats(const Dist& dist, int n, std::uint64_t seed = 2718) {
  RandomStream stream(seed, 0, "dist");
  Stats st;
  double m = 0, s = 0;
  for (int i = 1; i <= n; ++i) {
    const double x = sample(dist, stream);
    const double d = x - m;
    m += d / i;
    s += d * (x - m);
    st.min = std::min(st.min, x);
    st.max = std::max(st.max, x);
  }
  st.mean = m;
  st.variance = s / (n - 1);
  return st;
}

// Sample mean within 5 standard errors and variance within `var_rel` of exact values,
// and every draw inside [lower_bound, upper_bound].
void check_moments(const Dist& dist, double exact_variance, double var_rel = 0.03) {
  const int n = 200000;
  const Stats st = draw_stats(dist, n);
  INFO(describe(dist));
  CHECK(st.mean == Approx(mean(dist)).margin(5 * std::sqrt(exact_variance / n)));
  CHECK(st.variance == Approx(exact_variance).epsilon(var_rel));
  CHECK(st.min >= lower_bound(dist));
  CHECK(st.max <= upper_bound(dist));
}

}  // namespace

TEST_CASE("models: mean() gives exact values") {
  CHECK(mean(Fixed{3}) == 3);
  CHECK(mean(Uniform{1, 2}) == 1.5);
  CHECK(mean(Triangular{85, 100, 120}) == Approx(101.6667).margin(1e-4));
  CHECK(mean(Pert{1, 2, 4}) == Approx(13.0 / 6.0).epsilon(1e-14));
  CHECK(mean(Pert{1, 2, 4, 2}) == Approx(9.0 / 4.0).epsilon(1e-14));
  CHECK(mean(Pert{5, 5, 5}) == 5);
  CHECK(mean(LogNormal{5, 1}) == 5);
  CHECK(mean(Exponential{2}) == 2);
  CHECK(mean(Empirical{{1, 2, 3}, {}}) == 2);
  CHECK(mean(Empirical{{1, 2, 3}, {1, 2, 7}}) == Approx(2.6).epsilon(1e-14));
  CHECK(mean(NormalTruncated{5, 1}) == Approx(5).epsilon(1e-14));
  CHECK(mean(NormalTruncated{0, 1, 0}) == Approx(std::sqrt(2 / std::numbers::pi)).epsilon(1e-12));
  CHECK(mean(NormalTruncated{0, 1, 0}) == Approx(0.797885).margin(1e-6));
  CHECK(mean(NormalTruncated{0, 1, -kInf, 0}) == Approx(-std::sqrt(2 / std::numbers::pi)).epsilon(1e-12));
  // Symmetric truncation leaves the mean unchanged.
  CHECK(mean(NormalTruncated{10, 3, 4, 16}) == Approx(10).epsilon(1e-12));
  // Far tail: the mean of Z | Z > 8 is phi(8)/Q(8) = 8.12137.
  CHECK(mean(NormalTruncated{0, 1, 8}) == Approx(8.121368).margin(1e-5));
  CHECK(mean(NormalTruncated{7, 0, 0, 5}) == 5);  // sd 0: clamped point mass
}

TEST_CASE("models: lower_bound and upper_bound") {
  CHECK(lower_bound(Fixed{3}) == 3);
  CHECK(upper_bound(Fixed{3}) == 3);
  CHECK(lower_bound(Triangular{85, 100, 120}) == 85);
  CHECK(upper_bound(Triangular{85, 100, 120}) == 120);
  CHECK(lower_bound(NormalTruncated{5, 1}) == -kInf);
  CHECK(upper_bound(NormalTruncated{5, 1}) == kInf);
  CHECK(lower_bound(NormalTruncated{5, 1, 0}) == 0);
  CHECK(upper_bound(NormalTruncated{5, 1, 0, 9}) == 9);
  CHECK(lower_bound(LogNormal{5, 1}) == 0);
  CHECK(upper_bound(LogNormal{5, 1}) == kInf);
  CHECK(lower_bound(Exponential{2}) == 0);
  CHECK(upper_bound(Exponential{2}) == kInf);
  CHECK(lower_bound(Empirical{{4, -1, 9}, {}}) == -1);
  CHECK(upper_bound(Empirical{{4, -1, 9}, {}}) == 9);
}

TEST_CASE("models: describe() strings") {
  CHECK(describe(Fixed{3}) == "fixed(3)");
  CHECK(describe(Uniform{1, 2}) == "uni(1, 2)");
  CHECK(describe(Triangular{85, 100, 120}) == "tri(85, 100, 120)");
  CHECK(describe(Pert{1, 2, 4}) == "pert(1, 2, 4)");
  CHECK(describe(Pert{1, 2, 4, 3}) == "pert(1, 2, 4, lambda 3)");
  CHECK(describe(NormalTruncated{5, 1}) == "normal(5, 1)");
  CHECK(describe(NormalTruncated{5, 1, 0, 10}) == "normal(5, 1) [0, 10]");
  CHECK(describe(NormalTruncated{5, 1, 0}) == "normal(5, 1) [0, inf]");
  CHECK(describe(NormalTruncated{0.5, 0.25, -kInf, 2.5}) == "normal(0.5, 0.25) [-inf, 2.5]");
  CHECK(describe(LogNormal{5, 1}) == "lognormal(mean 5, sd 1)");
  CHECK(describe(Exponential{2}) == "exp(mean 2)");
  CHECK(describe(Empirical{{1, 2, 3}, {}}) == "empirical(3 values)");
  CHECK(describe(Empirical{{1}, {}}) == "empirical(1 value)");
  CHECK(describe(Fixed{1.5e-7}) == "fixed(1.5e-07)");
}

TEST_CASE("models: uniform, triangular and PERT sample moments") {
  check_moments(Uniform{1, 2}, 1.0 / 12);
  // Triangular variance (a^2 + b^2 + c^2 - ab - ac - bc) / 18.
  const double a = 85, c = 100, b = 120;
  check_moments(Triangular{a, c, b}, (a * a + b * b + c * c - a * b - a * c - b * c) / 18);
  check_moments(Triangular{0, 0, 1}, 1.0 / 18);  // mode at the edge
  check_moments(Triangular{0, 1, 1}, 1.0 / 18);
  // PERT(1, 2, 4): Beta(1 + 4/3, 1 + 8/3) scaled by 3.
  const double al = 1 + 4.0 / 3, be = 1 + 8.0 / 3;
  check_moments(Pert{1, 2, 4}, 9 * al * be / ((al + be) * (al + be) * (al + be + 1)));
}

TEST_CASE("models: normal, lognormal and exponential sample moments") {
  check_moments(NormalTruncated{5, 1}, 1);
  check_moments(NormalTruncated{5, 2, 4, 9}, truncated_normal_variance(5, 2, 4, 9));
  check_moments(NormalTruncated{0, 1, 0}, truncated_normal_variance(0, 1, 0, kInf));
  check_moments(LogNormal{5, 1}, 1, 0.04);
  check_moments(Exponential{2}, 4, 0.04);
}

TEST_CASE("models: truncated normal with tiny mass falls back to inversion") {
  // Mass of N(0,1) on [5, 6] is 2.9e-7: rejection would need millions of tries per draw.
  for (const NormalTruncated d : {NormalTruncated{0, 1, 5, 6}, NormalTruncated{0, 1, -kInf, -4},
                                  NormalTruncated{100, 10, 160}, NormalTruncated{0, 1, -0.01, 0.02}}) {
    const Stats st = draw_stats(d, 50000);
    INFO(describe(d));
    CHECK(st.min >= lower_bound(d));
    CHECK(st.max <= upper_bound(d));
    const double var = truncated_normal_variance(d.mean, d.sd, d.min, d.max);
    CHECK(st.mean == Approx(mean(d)).margin(5 * std::sqrt(var / 50000)));
    CHECK(st.variance == Approx(var).epsilon(0.05));
  }
}

TEST_CASE("models: empirical frequencies follow the weights") {
  RandomStream s(10, 0, "empirical");
  const Empirical d{{10, 20, 30}, {1, 2, 7}};
  const int n = 200000;
  int counts[3] = {0, 0, 0};
  for (int i = 0; i < n; ++i) {
    const double x = sample(d, s);
    REQUIRE((x == 10 || x == 20 || x == 30));
    ++counts[static_cast<int>(x) / 10 - 1];
  }
  const double p[3] = {0.1, 0.2, 0.7};
  for (int i = 0; i < 3; ++i) CHECK(counts[i] == Approx(n * p[i]).margin(5 * std::sqrt(n * p[i] * (1 - p[i]))));

  // Zero weights are never drawn; no weights means equal weights.
  const Empirical zero{{1, 2, 3}, {0, 1, 0}};
  for (int i = 0; i < 1000; ++i) REQUIRE(sample(zero, s) == 2);
  check_moments(Empirical{{1, 2, 3, 4}, {}}, 1.25);
}

TEST_CASE("models: invalid parameters throw instead of producing NaN") {
  RandomStream s(1);
  CHECK_THROWS_AS(sample(Empirical{{1, 2}, {1}}, s), std::invalid_argument);
  CHECK_THROWS_AS(sample(Empirical{{1, 2}, {1, -1}}, s), std::invalid_argument);
  CHECK_THROWS_AS(mean(Empirical{{1, 2}, {0, 0}}), std::invalid_argument);
  CHECK_THROWS_AS(sample(LogNormal{0, 1}, s), std::invalid_argument);
  CHECK_THROWS_AS(sample(LogNormal{-2, 1}, s), std::invalid_argument);
}

TEST_CASE("models: degenerate distributions return their single value") {
  RandomStream s(3);
  CHECK(sample(Fixed{4.5}, s) == 4.5);
  CHECK(sample(Uniform{2, 2}, s) == 2);
  CHECK(sample(Triangular{7, 7, 7}, s) == 7);
  CHECK(sample(Pert{7, 7, 7}, s) == 7);
  CHECK(sample(LogNormal{3, 0}, s) == 3);
  CHECK(sample(NormalTruncated{3, 0}, s) == 3);
  CHECK(sample(NormalTruncated{3, 0, 4, 6}, s) == 4);
  CHECK(sample(Exponential{0}, s) == 0);
}

TEST_CASE("models: samples are reproducible and pinned") {
  const Dist d = Triangular{85, 100, 120};
  RandomStream a(12345), b(12345);
  for (int i = 0; i < 100; ++i) REQUIRE(sample(d, a) == sample(d, b));
  // First draw from RandomStream(12345): u = 0.7438081631565894 > F(mode) = 3/7,
  // so x = 120 - sqrt((1 - u) * 35 * 20).
  RandomStream c(12345);
  CHECK(sample(d, c) == Approx(120 - std::sqrt((1 - 0.7438081631565894) * 700)).epsilon(1e-14));
}
