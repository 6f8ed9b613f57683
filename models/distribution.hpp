// Probability distributions for uncertain inputs, with portable sampling.
//
// The same seed gives the same draws on every platform and standard library:
// nothing here uses std::*_distribution, whose algorithms are unspecified.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "models/random_stream.hpp"

namespace scsim::models {

struct Fixed {
  double value = 0;
};
struct Uniform {
  double min = 0, max = 0;
};
struct Triangular {
  double min = 0, mode = 0, max = 0;
};
// Modified PERT: Beta on [min, max]; mean = (min + lambda*mode + max) / (lambda + 2).
struct Pert {
  double min = 0, mode = 0, max = 0, lambda = 4;
};
// Normal(mean, sd) truncated to [min, max]: by rejection, or by inversion when
// little mass lies inside (all of it beyond double range: the nearer bound).
struct NormalTruncated {
  double mean = 0, sd = 0, min = -1e308, max = 1e308;
};
// Lognormal given by the mean and standard deviation of the variable itself.
struct LogNormal {
  double mean = 1, sd = 0;
};
struct Exponential {
  double mean = 1;
};
// One of `values`, with probability proportional to `weights` (equal if empty).
struct Empirical {
  std::vector<double> values;
  std::vector<double> weights;
};

using Dist = std::variant<Fixed, Uniform, Triangular, Pert, NormalTruncated, LogNormal, Exponential, Empirical>;

// Expected value. For NormalTruncated, the mean of the truncated distribution.
double mean(const Dist& dist);

// Smallest and largest values a draw can take (may be +-infinity).
double lower_bound(const Dist& dist);
double upper_bound(const Dist& dist);

// One draw, consuming numbers from `stream`. Terminates for every parameter
// (NaN parameters give NaN or std::invalid_argument; validation refuses them).
double sample(const Dist& dist, RandomStream& stream);

// Short human-readable form, e.g. "tri(85, 100, 120)", for reports and DOT labels.
std::string describe(const Dist& dist);

}  // namespace scsim::models
