// Datacenter build-out: how many accelerators fit in the energized buildings.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace scsim::models {

// Accelerators a building can power: energized MW x 1000 / all-in kW per
// accelerator (chip + server + cooling, i.e. x PUE), whole units.
// 150 MW at 2.4 kW -> 62,500. power_mw >= 0, kw_per_accelerator > 0.
inline std::int64_t accelerator_slots(double power_mw, double kw_per_accelerator) {
  return static_cast<std::int64_t>(std::floor(power_mw * 1000.0 / kw_per_accelerator + 1e-9));
}

// A building is energized when it is built and its power has arrived.
// power_day < 0 means no separate power date (ready when built).
inline double energized_day(double construction_start_day, double construction_days, double power_day,
                            double power_delay_days) {
  const double built = construction_start_day + construction_days;
  return power_day < 0 ? built : std::max(built, power_day + power_delay_days);
}

}  // namespace scsim::models
