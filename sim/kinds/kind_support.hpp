// Small pieces several kinds share: schema -> plain conversions (in .cpp files
// only, they see protobuf) and station-route arithmetic for the analysis.
#pragma once

#include <string>
#include <vector>

#include "models/distribution.hpp"
#include "sim/engine/producing_process.hpp"
#include "sim/engine/ordered_source_process.hpp"
#include "sim/engine/source_process.hpp"
#include "sim/kinds/kind.hpp"
#include "sim/engine/station_route.hpp"
#include "sim/scenario/scenario.hpp"

namespace scsim {
class Schedule;
class Station;
class CapacityTerms;
}  // namespace scsim
namespace scsim::config {
class FieldChecks;
}
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
// A yield that passes each unit with one probability, drawn per replication from `fraction` (clamped to
// [0, 1]); `fraction` must outlive the process (kind parameters do).
std::function<std::unique_ptr<engine::OutputYield>(models::RandomStream&)> fraction_yield(const models::Dist& fraction);

// A release plan of `units_per_week` (a schedule) started in lots of `lot_size` units.
engine::ReleasePlan scheduled_release(const scenario::Schedule& units_per_week, int lot_size, const char* metric);

// A CapacityTerms message as plain terms (schedules in the site's own unit).
scenario::CapacityTerms to_capacity_terms(const scsim::CapacityTerms& terms, const scenario::Scenario& scenario);
// Field checks of a site's `capacity` (at `path`), and that the site's own schedule (its reservation, at
// `own_path`) fits within its pool.
void check_capacity_terms(const std::string& path, const scsim::CapacityTerms& terms, const std::string& own_path,
                          const scsim::Schedule& own, config::FieldChecks& c);

// Refuses a field that only a program reads (`set`) when the scenario has none; true when it may be read.
bool program_only(const std::string& path, bool set, config::FieldChecks& c);

// A program's source: starts lots of `lot_size` to its customers' orders within `booked` (units of the site's
// own capacity per week) held on `terms`, at the kind's planned yield and lead time.
engine::OrderedSourceSetup ordered_source(const Kind& kind, const scenario::Site& site,
                                          const scenario::Schedule& booked, const scenario::CapacityTerms& terms,
                                          int lot_size, const char* metric, double capacity_unit_cost_usd);

// "path.field", for field paths in messages.
inline std::string join(const std::string& path, const char* field) {
  return path + "." + field;
}

// x × y where an unlimited x stays unlimited unless y is 0 (no output at all).
double times(double x, double y);

}  // namespace scsim::kinds
