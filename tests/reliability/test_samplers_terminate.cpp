// Issue 12: every sampler terminates for every parameter, including those that
// validation refuses (NaN, infinities, a mean far outside the truncation).
// Before the fix, a NaN mean spun in the truncated-normal rejection loop and a
// NaN probability in the binomial's BTRD loop, forever.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "models/distribution.hpp"
#include "models/random_stream.hpp"

using namespace scsim::models;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

TEST_CASE("samplers: a truncated normal with a NaN parameter returns NaN instead of spinning") {
  RandomStream stream(1, 0, "t");
  CHECK(std::isnan(sample(Dist{NormalTruncated{kNaN, 1, 0, 10}}, stream)));
  CHECK(std::isnan(sample(Dist{NormalTruncated{1, kNaN, 0, 10}}, stream)));
  CHECK(std::isnan(sample(Dist{NormalTruncated{1, 1, kNaN, 10}}, stream)));
}

TEST_CASE("samplers: a truncated normal whose mean is far outside [min, max] samples the nearer bound") {
  RandomStream stream(1, 0, "t");
  const Dist far_above{NormalTruncated{1e6, 1, 0, 1}};
  const Dist far_below{NormalTruncated{-1e6, 1, 0, 1}};
  for (int i = 0; i < 100; ++i) {
    CHECK(sample(far_above, stream) == 1.0);
    CHECK(sample(far_below, stream) == 0.0);
  }
  CHECK(mean(far_above) == 1.0);
  CHECK(mean(far_below) == 0.0);
  // 40 sd out: tiny but representable mass; inversion keeps draws inside.
  const Dist tail{NormalTruncated{0, 1, 40, 41}};
  for (int i = 0; i < 100; ++i) {
    const double x = sample(tail, stream);
    CHECK(x >= 40.0);
    CHECK(x <= 41.0);
  }
}

TEST_CASE("samplers: an infinite mean or sd terminates") {
  RandomStream stream(1, 0, "t");
  const double x = sample(Dist{NormalTruncated{kInf, 1, 0, 10}}, stream);
  CHECK((std::isnan(x) || (x >= 0 && x <= 10)));
  const double y = sample(Dist{NormalTruncated{1, kInf, 0, 10}}, stream);
  CHECK((std::isnan(y) || (y >= 0 && y <= 10)));
}

TEST_CASE("samplers: gamma, beta, binomial and poisson refuse parameters they cannot draw from") {
  RandomStream stream(1, 0, "t");
  CHECK_THROWS_WITH(stream.gamma(kNaN), "gamma: shape must be finite and > 0");
  CHECK_THROWS_WITH(stream.gamma(kInf), "gamma: shape must be finite and > 0");
  CHECK_THROWS_WITH(stream.gamma(0.0), "gamma: shape must be finite and > 0");
  CHECK_THROWS_WITH(stream.beta(kNaN, 1.0), "gamma: shape must be finite and > 0");
  CHECK_THROWS_WITH(stream.binomial(100, kNaN), "binomial: probability is NaN");
  CHECK_THROWS_WITH(stream.poisson(kNaN), "poisson: mean must be a number at most 1e15");
  CHECK_THROWS_WITH(stream.poisson(kInf), "poisson: mean must be a number at most 1e15");
  // PERT draws through beta: a NaN mode reaches gamma and stops there.
  CHECK_THROWS(sample(Dist{Pert{0, kNaN, 1, 4}}, stream));
}

TEST_CASE("samplers: ordinary truncated normals draw exactly as before (rejection, same stream)") {
  // The rejection path consumes standard normals until one lands inside: the
  // draws equal a hand-rolled loop over the same stream.
  RandomStream a(7, 3, "n"), b(7, 3, "n");
  const NormalTruncated d{10, 3, 5, 20};
  for (int i = 0; i < 1000; ++i) {
    double expected;
    do expected = d.mean + d.sd * b.standard_normal();
    while (!(expected >= d.min && expected <= d.max));
    REQUIRE(sample(Dist{d}, a) == expected);
  }
}
