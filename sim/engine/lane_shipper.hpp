// A site's outbound lanes: which lane a finished batch takes (long-run shares
// held exactly without splitting batches), batching for a shipping cadence,
// qualification at the customer, and transit under lane disruptions.
// Plain C++: the process that owns it sends the resulting arrivals.
#pragma once

#include <optional>
#include <vector>

#include "models/capacity_profile.hpp"
#include "models/distribution.hpp"
#include "models/random_stream.hpp"
#include "sim/engine/batch.hpp"
#include "sim/scenario/scenario.hpp"

namespace scsim::engine {

class LaneShipper {
 public:
  struct Lane {
    int lane = 0;  // scenario lane index
    int to = 0;    // destination site
    double share = 1;
    models::Dist transit_days = models::Fixed{0};
    double cadence_days = 0;
    std::optional<scenario::Qualification> qualification;
    models::CapacityProfile profile;
  };
  struct Shipment {
    int lane = 0;
    int to = 0;
    double arrive = 0;
    Batch batch;
  };

  void add(Lane lane);
  bool empty() const { return lanes_.empty(); }
  std::size_t size() const { return lanes_.size(); }
  const Lane& lane(std::size_t slot) const { return lanes_[slot].spec; }

  // Qualification durations, drawn once per replication in lane order.
  void draw_qualifications(models::RandomStream& stream);
  // The lane slot for the next `units`: the one furthest below its share so far.
  std::size_t choose(double units);
  // Holds `batch` for the slot's next departure; returns the departure day when
  // a tick must be scheduled (none is pending yet).
  std::optional<double> hold(std::size_t slot, const Batch& batch, double now);
  // The batch held for the slot's departure (empty when nothing is held); the tick is no longer pending.
  Batch take_held(std::size_t slot);
  // Sends `batch` down the slot now: qualification starts with the first
  // shipment to the customer and holds goods until it passes; then transit.
  Shipment ship(std::size_t slot, const Batch& batch, double now, models::RandomStream& stream);
  // Units waiting for a departure.
  double held_units() const;

 private:
  struct State {
    Lane spec;
    double qualification_days = 0;
    double qualified_day = 0;  // -1 until the first shipment starts qualification
    double sent_units = 0;
    Batch held;
    bool tick_pending = false;
  };
  std::vector<State> lanes_;
  double dispatched_units_ = 0;
};

}  // namespace scsim::engine
