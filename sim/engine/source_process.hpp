// A source: makes its product from scratch, releasing lots on a plan (a rate
// schedule, an interarrival time, CONWIP, or to orders from its customers),
// after its design's release, a port and an allocation wait when gated.
#pragma once

#include <cstdint>
#include <string>

#include "sim/engine/producing_process.hpp"

namespace scsim::engine {

struct ReleasePlan {
  enum class Policy { kNone, kSchedule, kInterarrival, kConwip, kOrders } policy = Policy::kNone;
  scenario::Schedule lots_per_week;
  models::Dist interarrival_days = models::Fixed{0};
  int conwip_lots = 0;
  int initial_lots = 0;                                  // kOrders: lots released at the start, before any order
  std::int64_t max_lots = 0;                             // 0 = no limit
  std::int64_t units_per_lot = 1;                        // wafers (foundry, memory) or units
  models::Dist port_days = models::Fixed{0};             // after the gating design's release
  models::Dist allocation_wait_days = models::Fixed{0};  // before the first start
  std::string release_metric = "released";
  double port_cost_usd = 0;                              // booked when the port starts
};

class SourceProcess : public ProducingProcess {
 public:
  SourceProcess(const scenario::Site& site, const ProcessContext& context, ProductionSetup production,
                ReleasePlan plan);

 protected:
  void on_start(double now, Outbox& out) override;
  void on_gate_open(const ev::GateOpen&, double now, Outbox& out) override;
  void on_releases_begin(double now, Outbox& out) override;
  void on_release(double now, Outbox& out) override;
  void on_refill(double now, Outbox& out) override;
  void on_order(const ev::Order& order, double now, Outbox& out) override;
  void completed(const Batch& batch, std::int64_t good, double now, Outbox& out) override;

 private:
  void begin_releasing(double now);
  // Releases one lot now unless the plan is exhausted; false when it is.
  bool release_lot(double now);
  void schedule_next_release(double after);
  bool demand_covered() const;

  ReleasePlan plan_;
  bool releasing_ = false;
  std::int64_t lots_released_ = 0, units_released_ = 0;
  double ordered_units_ = 0;  // kOrders: units ordered and not yet released
};

}  // namespace scsim::engine
