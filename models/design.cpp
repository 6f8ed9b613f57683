#include "models/design.hpp"

namespace scsim::models {

DesignTimeline Design::draw(RandomStream& stream) const {
  DesignTimeline t;
  t.tapeout_day = params_.start_day + sample(params_.tapeout_days, stream);
  double day = t.tapeout_day + sample(params_.mask_days, stream) + sample(params_.first_silicon_days, stream);
  t.initial_silicon_day = day;
  if (stream.uniform01() < params_.respin_probability) {
    // Most first silicon needs a second spin; a metal-only fix is quicker than a base-layer one.
    t.respin = stream.uniform01() < params_.metal_only_fraction ? Respin::kMetalOnly : Respin::kBaseLayer;
    day += sample(t.respin == Respin::kMetalOnly ? params_.metal_respin_days : params_.base_respin_days, stream);
  }
  t.first_silicon_day = day;
  t.production_release_day = day + sample(params_.production_release_days, stream);
  return t;
}

double Design::expected_release_day() const {
  const double respin = params_.respin_probability * (params_.metal_only_fraction * mean(params_.metal_respin_days) +
                                                      (1 - params_.metal_only_fraction) * mean(params_.base_respin_days));
  return params_.start_day + mean(params_.tapeout_days) + mean(params_.mask_days) + mean(params_.first_silicon_days) +
         respin + mean(params_.production_release_days);
}

}  // namespace scsim::models
