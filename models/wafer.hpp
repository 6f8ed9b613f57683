// Wafer geometry: how many whole dies fit on a wafer.
#pragma once

namespace scsim::models {

struct WaferGeometryParams {
  double wafer_diameter_mm = 300;  // > 0
  double edge_exclusion_mm = 0;    // >= 0, removed all around the edge
  double die_width_mm = 0;         // > 0, without scribe
  double die_height_mm = 0;        // > 0, without scribe
  double scribe_mm = 0;            // >= 0, added to die width and height
};

// Gross dies per wafer, DPW = pi*d^2/(4*S) - pi*d/sqrt(2*S), with d the usable
// diameter (diameter - 2*edge exclusion) and S the die area including scribe.
// 300 mm, 15x15 mm die, no exclusion or scribe -> 269.7. Never negative.
double gross_dies_per_wafer(const WaferGeometryParams& params);

// The same formula from a usable diameter and a die area (mm, mm^2).
double gross_dies_per_wafer(double usable_diameter_mm, double die_area_mm2);

// Reticle limit of current scanners: 26 x 33 mm.
inline constexpr double kReticleLimitMm2 = 26.0 * 33.0;

}  // namespace scsim::models
