// RandomStream: pinned generator outputs, stream keying, and exactness of the variate algorithms.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <set>
#include <vector>

#include "models/random_stream.hpp"

using scsim::models::RandomStream;
using scsim::models::stable_hash;

namespace {

// Independent oracle written from the published reference C code (prng.di.unimi.it),
// itself checked against published outputs below, so RandomStream is checked against
// the algorithm and not merely against itself.
std::uint64_t ref_splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

struct RefXoshiro {
  std::uint64_t s[4];
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s[1] * 5, 7) * 9;
    const std::uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
  }
};

RefXoshiro ref_seeded(std::uint64_t seed) {
  RefXoshiro g{};
  for (auto& w : g.s) w = ref_splitmix64(seed);
  return g;
}

struct Moments {
  double mean = 0, variance = 0;
};

template <class Draw>
Moments moments(int n, Draw draw) {
  // Welford's update: stable for large n.
  double m = 0, s = 0;
  for (int i = 1; i <= n; ++i) {
    const double x = static_cast<double>(draw());
    const double d = x - m;
    m += d / i;
    s += d * (x - m);
  }
  return {m, s / (n - 1)};
}

// Pearson chi-square of integer draws against an exact pmf. Values whose expected
// count is below 5 are pooled into a lower and an upper tail bin.
template <class Pmf, class Draw>
void check_chi_square(int draws, std::int64_t max_value, Pmf pmf, Draw draw) {
  std::vector<double> counts(static_cast<std::size_t>(max_value + 1), 0.0);
  for (int i = 0; i < draws; ++i) {
    const std::int64_t k = draw();
    REQUIRE(k >= 0);
    REQUIRE(k <= max_value);
    counts[static_cast<std::size_t>(k)] += 1;
  }
  double chi2 = 0, low_obs = 0, low_exp = 0, high_obs = 0, high_exp = 0;
  int bins = 0;
  for (std::int64_t k = 0; k <= max_value; ++k) {
    const double expected = draws * pmf(k);
    const double observed = counts[static_cast<std::size_t>(k)];
    if (expected >= 5) {
      chi2 += (observed - expected) * (observed - expected) / expected;
      ++bins;
    } else if (bins == 0) {
      low_obs += observed, low_exp += expected;
    } else {
      high_obs += observed, high_exp += expected;
    }
  }
  for (const auto& [obs, exp] : {std::pair{low_obs, low_exp}, std::pair{high_obs, high_exp}}) {
    if (exp > 0) {
      chi2 += (obs - exp) * (obs - exp) / exp;
      ++bins;
    } else {
      CHECK(obs == 0);
    }
  }
  // Mean df, sd sqrt(2 df): df + 5 sd is far beyond chance, yet a wrong pmf lands well above it.
  const double df = bins - 1;
  INFO("chi2 = " << chi2 << " with " << df << " degrees of freedom");
  CHECK(chi2 < df + 5 * std::sqrt(2 * df));
}

double binomial_pmf(std::int64_t n, double p, std::int64_t k) {
  const auto nd = static_cast<double>(n), kd = static_cast<double>(k);
  return std::exp(std::lgamma(nd + 1) - std::lgamma(kd + 1) - std::lgamma(nd - kd + 1) + kd * std::log(p) +
                  (nd - kd) * std::log1p(-p));
}

double poisson_pmf(double mean, std::int64_t k) {
  const auto kd = static_cast<double>(k);
  return std::exp(-mean + kd * std::log(mean) - std::lgamma(kd + 1));
}

}  // namespace

TEST_CASE("models: reference oracle reproduces published splitmix64 and xoshiro256** outputs") {
  std::uint64_t x = 1234567;
  CHECK(ref_splitmix64(x) == 6457827717110365317ULL);
  CHECK(ref_splitmix64(x) == 3203168211198807973ULL);
  CHECK(ref_splitmix64(x) == 9817491932198370423ULL);
  CHECK(ref_splitmix64(x) == 4593380528125082431ULL);
  CHECK(ref_splitmix64(x) == 16408922859458223821ULL);

  // State {1, 2, 3, 4}: the first output is rotl(2 * 5, 7) * 9 = 11520 by hand; the rest
  // match the reference-implementation vectors used by e.g. rand_xoshiro.
  RefXoshiro g{{1, 2, 3, 4}};
  const std::uint64_t expected[] = {11520ULL,
                                    0ULL,
                                    1509978240ULL,
                                    1215971899390074240ULL,
                                    1216172134540287360ULL,
                                    607988272756665600ULL,
                                    16172922978634559625ULL,
                                    8476171486693032832ULL,
                                    10595114339597558777ULL,
                                    2904607092377533576ULL};
  for (const std::uint64_t e : expected) CHECK(g.next() == e);
}

TEST_CASE("models: RandomStream(12345) first outputs are pinned") {
  // Changing the generator or its seeding changes every simulation result: fail loudly.
  RandomStream s(12345);
  CHECK(s.next_u64() == 13720838825685603483ULL);
  CHECK(s.next_u64() == 2398916695208396998ULL);
  CHECK(s.next_u64() == 17770384849984869256ULL);
  CHECK(s.next_u64() == 891717726879801395ULL);
  CHECK(s.next_u64() == 10241316046318454344ULL);

  RandomStream u(12345);
  CHECK(u.uniform01() == 13720838825685603483ULL / 2048 * 0x1.0p-53);
  CHECK(u.uniform01() == Approx(0.13004553462783452).epsilon(1e-15));
}

TEST_CASE("models: RandomStream matches the reference xoshiro256** seeded by splitmix64") {
  for (const std::uint64_t seed : {0ULL, 1ULL, 1234567ULL, 0xffffffffffffffffULL}) {
    RandomStream s(seed);
    RefXoshiro ref = ref_seeded(seed);
    for (int i = 0; i < 1000; ++i) REQUIRE(s.next_u64() == ref.next());
  }
}

TEST_CASE("models: stable_hash is 64-bit FNV-1a") {
  CHECK(stable_hash("") == 14695981039346656037ULL);
  CHECK(stable_hash("a") == 12638187200555641996ULL);
  CHECK(stable_hash("foobar") == 0x85944171f73967e8ULL);
  CHECK(stable_hash("fab.a") != stable_hash("fab.b"));
}

TEST_CASE("models: named streams are keyed by seed, replication and name") {
  const auto first = [](RandomStream s) {
    std::vector<std::uint64_t> out;
    for (int i = 0; i < 8; ++i) out.push_back(s.next_u64());
    return out;
  };
  const auto base = first(RandomStream(7, 0, "fab.tsmc"));
  CHECK(base == first(RandomStream(7, 0, "fab.tsmc")));
  CHECK(base != first(RandomStream(7, 0, "fab.tsmd")));
  CHECK(base != first(RandomStream(7, 1, "fab.tsmc")));
  CHECK(base != first(RandomStream(8, 0, "fab.tsmc")));
  CHECK(base != first(RandomStream(7, 0, "")));

  // Documented key derivation, replayed with the oracle.
  const auto mix = [](std::uint64_t v) { return ref_splitmix64(v); };
  const std::uint64_t key = mix(mix(mix(7) ^ 0) ^ stable_hash("fab.tsmc"));
  RefXoshiro ref = ref_seeded(key);
  for (const std::uint64_t v : base) CHECK(v == ref.next());

  // Many (replication, name) pairs: all first outputs distinct.
  std::set<std::uint64_t> seen;
  for (std::uint64_t rep = 0; rep < 50; ++rep) {
    for (const char* name : {"a", "b", "fab", "osat", "dc"}) seen.insert(RandomStream(1, rep, name).next_u64());
  }
  CHECK(seen.size() == 250);
}

TEST_CASE("models: streams of neighbouring names are uncorrelated") {
  RandomStream a(3, 0, "site.1"), b(3, 0, "site.2");
  const int n = 200000;
  double sab = 0;
  for (int i = 0; i < n; ++i) sab += (a.uniform01() - 0.5) * (b.uniform01() - 0.5);
  // Correlation estimate has sd 1/sqrt(n) ~ 0.0022.
  CHECK(std::abs(sab / n * 12.0) < 0.012);
}

TEST_CASE("models: uniform01 lies in 0 <= u < 1 and uniform_open01 in 0 < u < 1") {
  RandomStream s(99);
  const int n = 200000;
  double lo = 1, hi = 0;
  const auto m = moments(n, [&] {
    const double u = s.uniform01();
    lo = std::min(lo, u), hi = std::max(hi, u);
    return u;
  });
  CHECK(lo >= 0.0);
  CHECK(hi < 1.0);
  CHECK(m.mean == Approx(0.5).margin(5 * std::sqrt(1.0 / 12 / n)));
  CHECK(m.variance == Approx(1.0 / 12).epsilon(0.01));
  for (int i = 0; i < n; ++i) {
    const double u = s.uniform_open01();
    REQUIRE(u > 0.0);
    REQUIRE(u < 1.0);
  }
}

TEST_CASE("models: standard_normal has mean 0, variance 1 and normal tails") {
  RandomStream s(2024);
  const int n = 200000;
  int beyond2 = 0;
  const auto m = moments(n, [&] {
    const double z = s.standard_normal();
    beyond2 += std::abs(z) > 2.0;
    return z;
  });
  CHECK(m.mean == Approx(0).margin(5 / std::sqrt(n)));
  CHECK(m.variance == Approx(1).epsilon(0.02));
  // P(|Z| > 2) = 0.0455003; binomial sd of the count ~ 93.
  CHECK(beyond2 == Approx(0.0455003 * n).margin(500));
}

TEST_CASE("models: gamma has mean and variance equal to its shape") {
  for (const double shape : {0.5, 1.0, 7.5}) {
    RandomStream s(31, 0, "gamma");
    const int n = 200000;
    const auto m = moments(n, [&] { return s.gamma(shape); });
    INFO("shape " << shape);
    CHECK(m.mean == Approx(shape).margin(5 * std::sqrt(shape / n)));
    CHECK(m.variance == Approx(shape).epsilon(0.05));
  }
}

TEST_CASE("models: beta has the exact mean and variance") {
  RandomStream s(5);
  const double a = 2.0, b = 5.0;
  const int n = 200000;
  const auto m = moments(n, [&] { return s.beta(a, b); });
  const double var = a * b / ((a + b) * (a + b) * (a + b + 1));
  CHECK(m.mean == Approx(a / (a + b)).margin(5 * std::sqrt(var / n)));
  CHECK(m.variance == Approx(var).epsilon(0.03));
}

TEST_CASE("models: binomial edge cases") {
  RandomStream s(1);
  CHECK(s.binomial(0, 0.5) == 0);
  CHECK(s.binomial(100, 0.0) == 0);
  CHECK(s.binomial(100, 1.0) == 100);
  for (int i = 0; i < 1000; ++i) {
    const auto k = s.binomial(40, 0.97);  // symmetry branch with inversion
    REQUIRE(k >= 30);
    REQUIRE(k <= 40);
  }
  // Huge n is O(1) per draw with BTRD.
  const auto m = moments(20000, [&] { return s.binomial(1'000'000'000, 0.5); });
  CHECK(m.mean == Approx(5e8).margin(5 * std::sqrt(2.5e8 / 20000)));
}

TEST_CASE("models: binomial mean and variance are n p and n p (1 - p)") {
  struct Case {
    std::int64_t n;
    double p;
  };
  for (const auto c : {Case{10, 0.3}, Case{1600, 0.15}, Case{100000, 0.55}, Case{100000, 0.0001}}) {
    RandomStream s(77, 0, "binomial");
    const int draws = 200000;
    const auto nd = static_cast<double>(c.n);
    const double var = nd * c.p * (1 - c.p);
    const auto m = moments(draws, [&] {
      const auto k = s.binomial(c.n, c.p);
      REQUIRE(k >= 0);
      REQUIRE(k <= c.n);
      return k;
    });
    INFO("n " << c.n << " p " << c.p);
    CHECK(m.mean == Approx(nd * c.p).margin(5 * std::sqrt(var / draws)));
    CHECK(m.variance == Approx(var).epsilon(0.03));
  }
}

TEST_CASE("models: binomial matches the exact pmf (inversion and BTRD)") {
  RandomStream s(4242);
  SECTION("n = 5, p = 0.3: inversion") {
    check_chi_square(
        100000, 5, [](std::int64_t k) { return binomial_pmf(5, 0.3, k); }, [&] { return s.binomial(5, 0.3); });
  }
  SECTION("n = 5, p = 0.7: symmetry") {
    check_chi_square(
        100000, 5, [](std::int64_t k) { return binomial_pmf(5, 0.7, k); }, [&] { return s.binomial(5, 0.7); });
  }
  SECTION("n = 100, p = 0.4: BTRD near its threshold") {
    check_chi_square(
        400000, 100, [](std::int64_t k) { return binomial_pmf(100, 0.4, k); }, [&] { return s.binomial(100, 0.4); });
  }
  SECTION("n = 1600, p = 0.15: BTRD, dies per lot") {
    check_chi_square(
        400000, 1600, [](std::int64_t k) { return binomial_pmf(1600, 0.15, k); },
        [&] { return s.binomial(1600, 0.15); });
  }
}

TEST_CASE("models: poisson mean and variance equal the mean") {
  for (const double mean : {3.0, 500.0}) {
    RandomStream s(8, 0, "poisson");
    const int draws = 200000;
    const auto m = moments(draws, [&] { return s.poisson(mean); });
    INFO("mean " << mean);
    CHECK(m.mean == Approx(mean).margin(5 * std::sqrt(mean / draws)));
    CHECK(m.variance == Approx(mean).epsilon(0.03));
  }
  RandomStream s(8);
  CHECK(s.poisson(0.0) == 0);
}

TEST_CASE("models: poisson matches the exact pmf (inversion and PTRS)") {
  RandomStream s(555);
  for (const double mean : {3.0, 10.0, 45.0}) {
    INFO("mean " << mean);
    check_chi_square(
        300000, 400, [&](std::int64_t k) { return poisson_pmf(mean, k); }, [&] { return s.poisson(mean); });
  }
}
