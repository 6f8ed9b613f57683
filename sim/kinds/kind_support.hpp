// Small pieces several kinds share: schema -> plain conversions (in .cpp files
// only, they see protobuf) and station-route arithmetic for the analysis.
#pragma once

#include <string>
#include <vector>

#include "models/distribution.hpp"
#include "sim/engine/station_route.hpp"
#include "sim/scenario/scenario.hpp"

namespace scsim {
class Schedule;
class Station;
}  // namespace scsim
namespace google::protobuf {
template <typename T>
class RepeatedPtrField;
}

namespace scsim::kinds {

// A Schedule message as plain steps (day, rate / divisor).
scenario::Schedule to_schedule(const scsim::Schedule& schedule, const scenario::Scenario& scenario,
                               double divisor = 1.0);
std::vector<engine::StationParams> to_stations(const google::protobuf::RepeatedPtrField<scsim::Station>& stations);

// Sum of the mean process times of a route, days per lot.
double route_days(const std::vector<engine::StationParams>& stations);
// Units per week a route can process: its slowest station (infinity without stations).
double route_units_per_week(const std::vector<engine::StationParams>& stations, double lot_size);
// x × y where an unlimited x stays unlimited unless y is 0 (no output at all).
double times(double x, double y);

}  // namespace scsim::kinds
