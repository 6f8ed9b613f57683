// Exact means and portable samplers for Dist; the variate algorithms live in RandomStream.
#include "models/distribution.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

namespace scsim::models {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// NormalTruncated's defaults are +-1e308; bounds at or beyond them mean "unbounded".
constexpr double kUnbounded = 1e308;

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
// Explicit guide: Clang before 17 lacks C++20 aggregate deduction.
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

// Standard normal density, lower-tail CDF Phi(x) and upper-tail Q(x) = Phi(-x).
// erfc keeps full relative precision in the tails, where 1 - erf would cancel.
double phi(double x) {
  return std::isinf(x) ? 0.0 : std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi);
}
double cdf(double x) {
  return 0.5 * std::erfc(-x / std::numbers::sqrt2);
}
double upper_cdf(double x) {
  return 0.5 * std::erfc(x / std::numbers::sqrt2);
}

// Standardised truncation limits of a truncated normal (+-inf when unbounded).
struct Limits {
  double lo, hi;
};
Limits standard_limits(const NormalTruncated& d) {
  return {d.min <= -kUnbounded ? -kInf : (d.min - d.mean) / d.sd, d.max >= kUnbounded ? kInf : (d.max - d.mean) / d.sd};
}

// Standard normal mass on [lo, hi], taken from whichever tail keeps precision.
double mass(Limits z) {
  if (z.lo >= 0.0) return upper_cdf(z.lo) - upper_cdf(z.hi);
  if (z.hi <= 0.0) return cdf(z.hi) - cdf(z.lo);
  return 1.0 - cdf(z.lo) - upper_cdf(z.hi);
}

// Below this acceptance rate, rejection is too slow and inversion takes over.
constexpr double kMinRejectionMass = 0.05;

// Inverse-CDF draw of a standard normal restricted to [lo, hi] by bisection.
// Works in the tail the interval lies in, so far-tail intervals keep precision.
double truncated_standard_inverse(Limits z, double u) {
  const bool upper = z.lo >= 0.0;
  // Mass beyond 40 sd is below 1e-300: a finite bracket loses nothing.
  const double lo = std::isinf(z.lo) ? std::min(z.hi, 0.0) - 40.0 : z.lo;
  const double hi = std::isinf(z.hi) ? std::max(z.lo, 0.0) + 40.0 : z.hi;
  // Fraction of the interval's mass below x, increasing in x.
  const auto fraction = [&](double x) {
    return upper ? (upper_cdf(lo) - upper_cdf(x)) / (upper_cdf(lo) - upper_cdf(hi))
                 : (cdf(x) - cdf(lo)) / (cdf(hi) - cdf(lo));
  };
  double a = lo, b = hi;
  for (int i = 0; i < 200 && a < b; ++i) {
    const double m = 0.5 * (a + b);
    if (m <= a || m >= b) break;  // interval no longer splits in double precision
    if (fraction(m) < u) {
      a = m;
    } else {
      b = m;
    }
  }
  return 0.5 * (a + b);
}

// Rejections before giving up on rejection sampling: with an acceptance rate of
// at least kMinRejectionMass, needing more happens with probability < 1e-22.
constexpr int kMaxRejections = 1000;

// Terminates for every parameter: NaN ones give NaN (validation refuses them).
double sample_truncated_normal(const NormalTruncated& d, RandomStream& stream) {
  if (std::isnan(d.mean) || std::isnan(d.sd) || std::isnan(d.min) || std::isnan(d.max))
    return std::numeric_limits<double>::quiet_NaN();
  if (d.sd <= 0.0 || d.min >= d.max) return std::clamp(d.mean, d.min, std::max(d.min, d.max));
  const Limits z = standard_limits(d);
  const double p = mass(z);
  // All mass beyond double range: the distribution collapses onto the nearer bound (as its mean does).
  if (!(p > 0.0)) return z.lo >= 0.0 ? d.min : d.max;
  if (p >= kMinRejectionMass)
    for (int i = 0; i < kMaxRejections; ++i) {
      const double x = d.mean + d.sd * stream.standard_normal();
      if (x >= d.min && x <= d.max) return x;
    }
  return std::clamp(d.mean + d.sd * truncated_standard_inverse(z, stream.uniform_open01()), d.min, d.max);
}

double mean_truncated_normal(const NormalTruncated& d) {
  if (d.sd <= 0.0 || d.min >= d.max) return std::clamp(d.mean, d.min, std::max(d.min, d.max));
  const Limits z = standard_limits(d);
  const double p = mass(z);
  // All mass beyond double range: the distribution collapses onto the nearer bound.
  if (p <= 0.0) return z.lo >= 0.0 ? d.min : d.max;
  return d.mean + d.sd * (phi(z.lo) - phi(z.hi)) / p;
}

// Sum of Empirical weights, checking them; equal weights when none are given.
double total_weight(const Empirical& d) {
  if (d.weights.empty()) return static_cast<double>(d.values.size());
  if (d.weights.size() != d.values.size()) throw std::invalid_argument("empirical: weights and values differ in size");
  double total = 0;
  for (const double w : d.weights) {
    if (!(w >= 0.0)) throw std::invalid_argument("empirical: weights must be >= 0");
    total += w;
  }
  if (total <= 0.0) throw std::invalid_argument("empirical: weights sum to zero");
  return total;
}

double weight(const Empirical& d, std::size_t i) {
  return d.weights.empty() ? 1.0 : d.weights[i];
}

double bound_text_value(double x) {
  return std::abs(x) >= kUnbounded ? std::copysign(kInf, x) : x;
}

}  // namespace

double mean(const Dist& dist) {
  return std::visit(
      Overloaded{
          [](const Fixed& d) { return d.value; },
          [](const Uniform& d) { return 0.5 * (d.min + d.max); },
          [](const Triangular& d) { return (d.min + d.mode + d.max) / 3.0; },
          [](const Pert& d) { return d.max > d.min ? (d.min + d.lambda * d.mode + d.max) / (d.lambda + 2.0) : d.min; },
          [](const NormalTruncated& d) { return mean_truncated_normal(d); },
          [](const LogNormal& d) { return d.mean; },
          [](const Exponential& d) { return d.mean; },
          [](const Empirical& d) {
            if (d.values.empty()) return 0.0;
            const double total = total_weight(d);
            double sum = 0;
            for (std::size_t i = 0; i < d.values.size(); ++i) sum += weight(d, i) * d.values[i];
            return sum / total;
          },
      },
      dist);
}

double lower_bound(const Dist& dist) {
  return std::visit(Overloaded{
                        [](const Fixed& d) { return d.value; },
                        [](const Uniform& d) { return d.min; },
                        [](const Triangular& d) { return d.min; },
                        [](const Pert& d) { return d.min; },
                        [](const NormalTruncated& d) {
                          if (d.sd <= 0.0 || d.min >= d.max) return mean_truncated_normal(d);
                          return d.min <= -kUnbounded ? -kInf : d.min;
                        },
                        [](const LogNormal& d) { return d.sd > 0.0 ? 0.0 : d.mean; },
                        [](const Exponential&) { return 0.0; },
                        [](const Empirical& d) {
                          return d.values.empty() ? 0.0 : *std::min_element(d.values.begin(), d.values.end());
                        },
                    },
                    dist);
}

double upper_bound(const Dist& dist) {
  return std::visit(Overloaded{
                        [](const Fixed& d) { return d.value; },
                        [](const Uniform& d) { return d.max; },
                        [](const Triangular& d) { return d.max; },
                        [](const Pert& d) { return d.max > d.min ? d.max : d.min; },
                        [](const NormalTruncated& d) {
                          if (d.sd <= 0.0 || d.min >= d.max) return mean_truncated_normal(d);
                          return d.max >= kUnbounded ? kInf : d.max;
                        },
                        [](const LogNormal& d) { return d.sd > 0.0 ? kInf : d.mean; },
                        [](const Exponential& d) { return d.mean > 0.0 ? kInf : 0.0; },
                        [](const Empirical& d) {
                          return d.values.empty() ? 0.0 : *std::max_element(d.values.begin(), d.values.end());
                        },
                    },
                    dist);
}

double sample(const Dist& dist, RandomStream& stream) {
  return std::visit(Overloaded{
                        [](const Fixed& d) { return d.value; },  // consumes no numbers
                        [&](const Uniform& d) { return d.min + (d.max - d.min) * stream.uniform01(); },
                        [&](const Triangular& d) {
                          const double range = d.max - d.min;
                          if (range <= 0.0) return d.min;
                          // Inverse CDF: the mode splits [0,1) at F(mode) = (mode - min) / range.
                          const double u = stream.uniform01();
                          if (u * range < d.mode - d.min) return d.min + std::sqrt(u * range * (d.mode - d.min));
                          return d.max - std::sqrt((1.0 - u) * range * (d.max - d.mode));
                        },
                        [&](const Pert& d) {
                          const double range = d.max - d.min;
                          if (range <= 0.0) return d.min;
                          const double a = 1.0 + d.lambda * (d.mode - d.min) / range;
                          const double b = 1.0 + d.lambda * (d.max - d.mode) / range;
                          return d.min + range * stream.beta(a, b);
                        },
                        [&](const NormalTruncated& d) { return sample_truncated_normal(d, stream); },
                        [&](const LogNormal& d) {
                          if (d.sd <= 0.0) return d.mean;
                          // Without this a non-positive mean would turn every later result into NaN.
                          if (d.mean <= 0.0) throw std::invalid_argument("lognormal: mean must be > 0");
                          const double ratio = d.sd / d.mean;
                          const double sigma2 = std::log1p(ratio * ratio);
                          const double mu = std::log(d.mean) - 0.5 * sigma2;
                          return std::exp(mu + std::sqrt(sigma2) * stream.standard_normal());
                        },
                        [&](const Exponential& d) { return -d.mean * std::log(stream.uniform_open01()); },
                        [&](const Empirical& d) {
                          if (d.values.empty()) return 0.0;
                          // Linear scan of the cumulative weights: tables are short, and no allocation.
                          const double target = stream.uniform01() * total_weight(d);
                          double cumulative = 0;
                          for (std::size_t i = 0; i < d.values.size(); ++i) {
                            cumulative += weight(d, i);
                            if (target < cumulative) return d.values[i];
                          }
                          // Rounding left target at the total: the last value with positive weight.
                          for (std::size_t i = d.values.size(); i-- > 0;) {
                            if (weight(d, i) > 0.0) return d.values[i];
                          }
                          return d.values.back();
                        },
                    },
                    dist);
}

std::string describe(const Dist& dist) {
  return std::visit(Overloaded{
                        [](const Fixed& d) { return fmt::format("fixed({:g})", d.value); },
                        [](const Uniform& d) { return fmt::format("uni({:g}, {:g})", d.min, d.max); },
                        [](const Triangular& d) { return fmt::format("tri({:g}, {:g}, {:g})", d.min, d.mode, d.max); },
                        [](const Pert& d) {
                          if (d.lambda == 4.0) return fmt::format("pert({:g}, {:g}, {:g})", d.min, d.mode, d.max);
                          return fmt::format("pert({:g}, {:g}, {:g}, lambda {:g})", d.min, d.mode, d.max, d.lambda);
                        },
                        [](const NormalTruncated& d) {
                          std::string text = fmt::format("normal({:g}, {:g})", d.mean, d.sd);
                          if (d.min > -kUnbounded || d.max < kUnbounded) {
                            text += fmt::format(" [{:g}, {:g}]", bound_text_value(d.min), bound_text_value(d.max));
                          }
                          return text;
                        },
                        [](const LogNormal& d) { return fmt::format("lognormal(mean {:g}, sd {:g})", d.mean, d.sd); },
                        [](const Exponential& d) { return fmt::format("exp(mean {:g})", d.mean); },
                        [](const Empirical& d) {
                          return fmt::format("empirical({} value{})", d.values.size(), d.values.size() == 1 ? "" : "s");
                        },
                    },
                    dist);
}

}  // namespace scsim::models
