// The one place where scenario messages become model parameters.
#pragma once

#include "models/distribution.hpp"
#include "sim/config/scenario.pb.h"

namespace scsim::config {

// A Dist message as a model distribution. An unset Dist (no kind) becomes
// Fixed{fallback}: optional durations default to 0 days.
models::Dist to_dist(const scsim::Dist& dist, double fallback = 0.0);

// Expected value of a Dist message (fallback when unset).
double expected(const scsim::Dist& dist, double fallback = 0.0);

// Day number of an ISO date relative to `start_date` (both "YYYY-MM-DD").
// Throws std::invalid_argument for a malformed date.
double day_of(const std::string& date, const std::string& start_date);

}  // namespace scsim::config
