#include "models/wafer.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace scsim::models {

double gross_dies_per_wafer(double usable_diameter_mm, double die_area_mm2) {
  const double d = usable_diameter_mm;
  const double s = die_area_mm2;
  const double dpw = std::numbers::pi * d * d / (4.0 * s) - std::numbers::pi * d / std::sqrt(2.0 * s);
  return std::max(0.0, dpw);
}

double gross_dies_per_wafer(const WaferGeometryParams& params) {
  const double usable = params.wafer_diameter_mm - 2.0 * params.edge_exclusion_mm;
  const double area = (params.die_width_mm + params.scribe_mm) * (params.die_height_mm + params.scribe_mm);
  return gross_dies_per_wafer(usable, area);
}

}  // namespace scsim::models
