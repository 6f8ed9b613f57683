// Named, reproducible random streams.
//
// Each model instance owns one stream derived from (scenario seed, replication,
// instance name). Keying by name means adding a site shifts no other site's
// draws, and compared scenarios share draws site by site (common random numbers).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace scsim::models {

// 64-bit FNV-1a of the bytes of `text`: stable across platforms and runs.
std::uint64_t stable_hash(std::string_view text);

class RandomStream {
public:
  // Stream for one model instance in one replication.
  RandomStream(std::uint64_t seed, std::uint64_t replication, std::string_view name);
  // Stream from a raw 64-bit state seed (tests, benchmarks).
  explicit RandomStream(std::uint64_t state_seed);

  // Next 64 uniformly distributed bits (xoshiro256**). Inline, with uniform01: every sampler draws through
  // them, ~480,000 calls a TSMC replication, and the call cost a third of their time.
  std::uint64_t next_u64() {
    const std::uint64_t result = std::rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = std::rotl(state_[3], 45);
    return result;
  }
  // Uniform on [0, 1) with 53 random bits.
  double uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform on (0, 1): never exactly 0 (safe for log).
  double uniform_open01();
  // Standard normal (Marsaglia polar method).
  double standard_normal();
  // Gamma(shape, 1) (Marsaglia–Tsang). shape > 0 and finite, else std::invalid_argument.
  double gamma(double shape);
  // Beta(a, b) from two gammas. a, b > 0.
  double beta(double a, double b);
  // Binomial(n, p): number of successes in n trials. n >= 0, p in [0, 1]; NaN p: std::invalid_argument.
  std::int64_t binomial(std::int64_t n, double p);
  // Poisson(mean). mean >= 0; NaN or above 1e15: std::invalid_argument.
  std::int64_t poisson(double mean);

private:
  std::uint64_t state_[4];  // xoshiro256** state
  // binomial's inversion: the pmf f(0), f(1)... of the last (n, p) it inverted, as far as draws have needed
  // it (at most kPmfCached terms). A site's yield thins every lot of the same size with the same fraction,
  // and recomputing q^n (exp, log1p) and the recurrence's divisions for each lot was most of binomial's time.
  // Each term is the one the recurrence computes, so draws are unchanged.
  static constexpr std::size_t kPmfCached = 128;
  std::int64_t pmf_n_ = -1;
  double pmf_p_ = -1;
  std::vector<double> pmf_;

  // binomial for p in (0, 1/2].
  std::int64_t binomial_below_half(std::int64_t n, double p);
  // The constants of the last (n, p) binomial_below_half drew for: a stack's yield draws every stack of a lot
  // with the same n and p, and BTRD's set-up (a square root, four divisions) was a fifth of its time. Each is
  // computed by the same expression as before, so draws are unchanged.
  struct BinomialSetup {
    std::int64_t n = -1;
    double p = -1;
    double nd = 0, q = 0, r = 0, nr = 0;
    bool inversion = false;  // n p < 30: inversion from 0, else BTRD
    double npq = 0, spq = 0, b = 0, a = 0, c = 0, alpha = 0, vr = 0, urvr = 0, md = 0;
    std::int64_t m = 0;
  } setup_;
};

}  // namespace scsim::models
