// Chip design: architecture start to production release (docs/model.md, "The chain").
#pragma once

#include "models/distribution.hpp"
#include "models/random_stream.hpp"

namespace scsim::models {

struct DesignParams {
  double start_day = 0;               // architecture start, days from day 0
  Dist tapeout_days = Fixed{0};       // architecture start -> tape-out
  Dist mask_days = Fixed{0};          // mask set lead time
  Dist first_silicon_days = Fixed{0}; // tape-out -> first packaged silicon
  double respin_probability = 0;      // [0, 1]: first silicon needs a respin
  double metal_only_fraction = 0;     // [0, 1]: share of respins that are metal-only
  Dist metal_respin_days = Fixed{0};  // duration of a metal-only respin
  Dist base_respin_days = Fixed{0};   // duration of a base-layer respin
  Dist production_release_days = Fixed{0};  // first silicon -> production release
};

enum class Respin { kNone, kMetalOnly, kBaseLayer };

// One draw of a design program's milestones, days from day 0.
struct DesignTimeline {
  double tapeout_day = 0;
  double initial_silicon_day = 0;  // of the first spin (the same day when no respin is needed)
  double first_silicon_day = 0;  // of the silicon that works (after any respin)
  Respin respin = Respin::kNone;
  double production_release_day = 0;
};

class Design {
public:
  explicit Design(DesignParams params) : params_(std::move(params)) {}
  // Draws tape-out, masks, first silicon, a possible respin and the release.
  DesignTimeline draw(RandomStream& stream) const;
  // Expected production release day: the means, with the respin weighted by
  // its probability.
  double expected_release_day() const;

private:
  DesignParams params_;
};

}  // namespace scsim::models
