// A source under a program: starts lots to its customers' orders (MRP), each
// order started its planned lead time before it is needed, within the
// capacity the program holds (booked, ramping, or allocated from a pool),
// after its design's release, a port and the allocation wait (from the
// booking date when booked ahead). Risk starts may begin after first silicon;
// a respin scraps them. Yield shortfalls are made up with more starts: the
// plan uses mean yields, and what each lot really yields corrects it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/engine/capacity_plan.hpp"
#include "sim/engine/order_book.hpp"
#include "sim/engine/producing_process.hpp"

namespace scsim::engine {

struct OrderedSourceSetup {
  std::int64_t units_per_lot = 1;
  std::string release_metric = "released";
  CapacityPlan capacity;                                 // in lots per week
  models::Dist allocation_wait_days = models::Fixed{0};  // from the booking date, or from first need
  enum class PortFrom { kRelease, kTapeOut, kSilicon } port_from = PortFrom::kRelease;
  models::Dist port_days = models::Fixed{0};
  double planned_good_per_unit = 1;  // good units of product per started unit, at mean yields
  double lead_days = 0;              // planned start to output
  std::optional<double> risk_after_silicon_days;
  double risk_max_units = 0;        // 0: no limit
  double port_cost_usd = 0;          // booked when the port starts
  double capacity_unit_cost_usd = 0;  // per unit of capacity (wafer…): take-or-pay on unused capacity
};

class OrderedSourceProcess : public ProducingProcess {
 public:
  OrderedSourceProcess(const scenario::Site& site, const ProcessContext& context, ProductionSetup production,
                       OrderedSourceSetup setup);
  void finish(double end_day, scsim::ReplicationResult& result) override;

 protected:
  void on_start(double now, Outbox& out) override;
  void on_order(const ev::Order& order, double now, Outbox& out) override;
  void on_gate_open(const ev::GateOpen&, double now, Outbox& out) override;
  void on_tape_out(double now, Outbox& out) override;
  void on_silicon(const ev::Silicon& silicon, double now, Outbox& out) override;
  void on_releases_begin(double now, Outbox& out) override;
  void on_release(double now, Outbox& out) override;
  void on_capacity_tick(double now, Outbox& out) override;
  void completed(const Batch& batch, std::int64_t good, double now, Outbox& out) override;
  void ship(const Batch& good, double now, Outbox& out) override;

 private:
  void try_release(double now);
  void wake(double at);
  void begin_port(double now);
  bool booked() const { return plan_.capacity.terms().booking_day.has_value(); }

  OrderedSourceSetup plan_;
  OrderBook book_;                // good units of product, by planned start day
  double planned_good_ = 0;       // good units the started lots are expected to give (actual once done)
  bool design_released_ = false;  // goods may ship
  bool volume_open_ = false;      // volume starts may begin
  bool waiting_for_need_ = false; // not booked: the allocation wait starts with the first order
  int spin_ = -1;                 // the latest first-silicon spin seen
  double risk_open_day_ = scenario::kNever;
  double risk_started_ = 0;
  double next_free_ = 0;          // capacity: the next start may not begin before
  double wake_at_ = scenario::kNever;
  std::vector<Batch> held_;       // good risk output waiting for production release
};

}  // namespace scsim::engine
