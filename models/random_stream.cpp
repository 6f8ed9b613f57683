// xoshiro256** generator and exact, portable variate algorithms.
//
// Every algorithm here is spelled out (no std::*_distribution) so a seed gives
// the same draws with any compiler or standard library. References:
//   xoshiro256** and splitmix64: Blackman & Vigna, https://prng.di.unimi.it/
//   gamma: Marsaglia & Tsang (2000), ACM TOMS 26(3)
//   binomial BTRD: Hörmann (1993), J. Stat. Comput. Simul. 46
//   poisson PTRS: Hörmann (1993), Insurance: Math. and Econ. 12
#include "models/random_stream.hpp"

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

namespace scsim::models {
namespace {

constexpr std::uint64_t kGolden = 0x9e3779b97f4a7c15ULL;
constexpr double kInfinity = std::numeric_limits<double>::infinity();

// One splitmix64 step: advances `state` and returns the next output.
std::uint64_t splitmix64(std::uint64_t& state) {
  state += kGolden;
  std::uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// splitmix64 output for state x: a bijective 64-bit mixer.
std::uint64_t mix(std::uint64_t x) {
  return splitmix64(x);
}

// Stirling-series correction fc(k) = ln k! - [(k+1/2) ln(k+1) - (k+1) + ln(2 pi)/2].
// Tabulated below 10, where the series is not accurate enough (values from BTRD).
double stirling_correction(std::int64_t k) {
  static constexpr double kTable[10] = {
      0.08106146679532726, 0.04134069595540929, 0.02767792568499834, 0.02079067210376509,  0.01664469118982119,
      0.01387612882307075, 0.01189670994589177, 0.01041126526197209, 0.009255462182712733, 0.008330563433362871};
  if (k < 10) return kTable[k];
  const double r = 1.0 / static_cast<double>(k + 1);
  const double r2 = r * r;
  return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 * r2) * r2) * r;
}

// ln k! without std::lgamma (which is not thread-safe everywhere and varies by libm).
double log_factorial(std::int64_t k) {
  const double kp1 = static_cast<double>(k + 1);
  return (kp1 - 0.5) * std::log(kp1) - kp1 + 0.5 * std::log(2 * std::numbers::pi) + stirling_correction(k);
}

}  // namespace

std::uint64_t stable_hash(std::string_view text) {
  std::uint64_t h = 14695981039346656037ULL;  // FNV-1a 64 offset basis
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;  // FNV-1a 64 prime
  }
  return h;
}

// The key chains the three inputs through the splitmix64 mixer, so each input
// changes every bit of the key; the state is then seeded from the key exactly like
// RandomStream(key), i.e. RandomStream(s, r, n) == RandomStream(mix(mix(mix(s) ^ r) ^ stable_hash(n))).
RandomStream::RandomStream(std::uint64_t seed, std::uint64_t replication, std::string_view name)
    : RandomStream(mix(mix(mix(seed) ^ replication) ^ stable_hash(name))) {}

// Reference seeding: four consecutive splitmix64 outputs. They are distinct
// (splitmix64 is a bijection of its counter), so the state is never all zero.
RandomStream::RandomStream(std::uint64_t state_seed) : state_{} {
  for (auto& word : state_) word = splitmix64(state_seed);
}

// Midpoints of a 2^-52 grid: the largest value, 1 - 2^-53, is still below 1.
double RandomStream::uniform_open01() {
  return (static_cast<double>(next_u64() >> 12) + 0.5) * 0x1.0p-52;
}

// The polar method makes two normals per accepted pair; the second is dropped so
// the stream needs no extra state and every call consumes whole pairs.
double RandomStream::standard_normal() {
  for (;;) {
    const double u = 2.0 * uniform01() - 1.0;
    const double v = 2.0 * uniform01() - 1.0;
    const double s = u * u + v * v;
    if (s > 0.0 && s < 1.0) return u * std::sqrt(-2.0 * std::log(s) / s);
  }
}

double RandomStream::gamma(double shape) {
  // Outside (0, inf) the rejection loop below would never accept.
  if (!(shape > 0.0 && shape < kInfinity)) throw std::invalid_argument("gamma: shape must be finite and > 0");
  if (shape < 1.0) {
    // Gamma(a) = Gamma(a + 1) * U^(1/a) (Marsaglia–Tsang's boost for a < 1).
    const double boosted = gamma(shape + 1.0);
    return boosted * std::pow(uniform_open01(), 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    const double x = standard_normal();
    double v = 1.0 + c * x;
    if (v <= 0.0) continue;
    v = v * v * v;
    const double u = uniform_open01();
    const double x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2) return d * v;  // cheap squeeze, accepts ~98%
    if (std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v))) return d * v;
  }
}

double RandomStream::beta(double a, double b) {
  const double x = gamma(a);
  const double y = gamma(b);
  const double sum = x + y;
  // Both gammas can underflow for tiny shapes; the mass then sits at 0 and 1.
  if (sum <= 0.0) return uniform01() < a / (a + b) ? 1.0 : 0.0;
  return x / sum;
}

std::int64_t RandomStream::binomial(std::int64_t n, double p) {
  // A NaN p would pass every test below and leave BTRD rejecting forever.
  if (std::isnan(p)) throw std::invalid_argument("binomial: probability is NaN");
  if (n <= 0 || p <= 0.0) return 0;
  if (p >= 1.0) return n;
  if (p > 0.5) return n - binomial_below_half(n, 1.0 - p);  // keeps the algorithms in their p <= 1/2 range
  return binomial_below_half(n, p);
}

std::int64_t RandomStream::binomial_below_half(std::int64_t n, double p) {
  if (n != setup_.n || p != setup_.p) {
    BinomialSetup& s = setup_;
    s.n = n;
    s.p = p;
    s.nd = static_cast<double>(n);
    s.q = 1.0 - p;
    s.r = p / s.q;
    s.nr = (s.nd + 1.0) * s.r;
    s.inversion = s.nd * p < 30.0;
    if (!s.inversion) {
      s.npq = s.nd * p * s.q;
      s.spq = std::sqrt(s.npq);
      s.m = static_cast<std::int64_t>(std::floor((s.nd + 1.0) * p));
      s.b = 1.15 + 2.53 * s.spq;
      s.a = -0.0873 + 0.0248 * s.b + 0.01 * p;
      s.c = s.nd * p + 0.5;
      s.alpha = (2.83 + 5.1 / s.b) * s.spq;
      s.vr = 0.92 - 4.2 / s.b;
      s.urvr = 0.86 * s.vr;
      s.md = static_cast<double>(s.m);
    }
  }
  const double nd = setup_.nd, r = setup_.r, nr = setup_.nr;

  if (setup_.inversion) {
    // Inversion from 0 with the pmf recurrence f(k) = f(k-1) * ((n+1)r/k - r):
    // about n*p + 1 steps. f(0) = q^n via log1p for accuracy at small p. The terms
    // are kept for the next draw with the same n and p (pmf_).
    if (n != pmf_n_ || p != pmf_p_) {
      pmf_n_ = n;
      pmf_p_ = p;
      pmf_.assign(1, std::exp(nd * std::log1p(-p)));
    }
    for (;;) {
      double u = uniform01();
      double f = pmf_[0];
      for (std::int64_t k = 0; k <= n; ++k) {
        if (u < f) return k;
        u -= f;
        const auto next = static_cast<std::size_t>(k + 1);
        if (next < pmf_.size()) {
          f = pmf_[next];
        } else {
          f *= nr / static_cast<double>(k + 1) - r;
          if (next < kPmfCached) pmf_.push_back(f);
        }
      }
      // u outlived the pmf by rounding (probability ~1e-16): draw again.
    }
  }

  // BTRD: transformed rejection with decomposition (Hörmann 1993), O(1) expected.
  const double npq = setup_.npq, b = setup_.b, a = setup_.a, c = setup_.c, alpha = setup_.alpha, vr = setup_.vr,
               urvr = setup_.urvr, md = setup_.md;
  const std::int64_t m = setup_.m;

  for (;;) {
    double v = uniform01();
    double u;
    if (v <= urvr) {
      // Inside the central box: accept immediately (about 86% of draws).
      u = v / vr - 0.43;
      return static_cast<std::int64_t>(std::floor((2.0 * a / (0.5 - std::abs(u)) + b) * u + c));
    }
    if (v >= vr) {
      u = uniform01() - 0.5;
    } else {
      u = v / vr - 0.93;
      u = (u < 0 ? -0.5 : 0.5) - u;
      v = uniform01() * vr;
    }
    const double us = 0.5 - std::abs(u);
    const double kd = std::floor((2.0 * a / us + b) * u + c);
    if (kd < 0.0 || kd > nd) continue;
    const auto k = static_cast<std::int64_t>(kd);
    v = v * alpha / (a / (us * us) + b);
    const std::int64_t km = k > m ? k - m : m - k;

    if (km <= 15) {
      // Near the mode: compare with f(k)/f(m) built by the pmf recurrence.
      double f = 1.0;
      if (m < k) {
        for (std::int64_t i = m + 1; i <= k; ++i) f *= nr / static_cast<double>(i) - r;
      } else if (m > k) {
        for (std::int64_t i = k + 1; i <= m; ++i) v *= nr / static_cast<double>(i) - r;
      }
      if (v <= f) return k;
      continue;
    }

    // Squeeze on ln f(k)/f(m), then the exact test with Stirling corrections.
    v = std::log(v);
    const double kmd = static_cast<double>(km);
    const double rho = (kmd / npq) * (((kmd / 3.0 + 0.625) * kmd + 1.0 / 6.0) / npq + 0.5);
    const double t = -kmd * kmd / (2.0 * npq);
    if (v < t - rho) return k;
    if (v > t + rho) continue;
    const double nm = nd - md + 1.0;
    const double h = (md + 0.5) * std::log((md + 1.0) / (r * nm)) + stirling_correction(m) + stirling_correction(n - m);
    const double nk = nd - kd + 1.0;
    if (v <= h + (nd + 1.0) * std::log(nm / nk) + (kd + 0.5) * std::log(nk * r / (kd + 1.0)) - stirling_correction(k) -
                 stirling_correction(n - k)) {
      return k;
    }
  }
}

std::int64_t RandomStream::poisson(double mean) {
  // NaN would reject forever; beyond 1e15 the result no longer fits the algorithm's arithmetic.
  if (!(mean <= 1e15)) throw std::invalid_argument("poisson: mean must be a number at most 1e15");
  if (mean <= 0.0) return 0;
  if (mean < 10.0) {
    // Inversion from 0: about mean + 1 steps.
    const double f0 = std::exp(-mean);
    for (;;) {
      double u = uniform01();
      double f = f0;
      for (std::int64_t k = 0; f > 0.0; ++k) {
        if (u < f) return k;
        u -= f;
        f *= mean / static_cast<double>(k + 1);
      }
      // u outlived the pmf by rounding (probability ~1e-16): draw again.
    }
  }

  // PTRS: transformed rejection with squeeze (Hörmann 1993), O(1) expected.
  const double slam = std::sqrt(mean);
  const double loglam = std::log(mean);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    const double u = uniform01() - 0.5;
    const double v = uniform01();
    const double us = 0.5 - std::abs(u);
    const double kd = std::floor((2.0 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::int64_t>(kd);
    if (kd < 0.0 || (us < 0.013 && v > us)) continue;
    const auto k = static_cast<std::int64_t>(kd);
    if (std::log(v * inv_alpha / (a / (us * us) + b)) <= -mean + kd * loglam - log_factorial(k)) return k;
  }
}

}  // namespace scsim::models
