// An assembler: waits for a full kit of its inputs (the bill of materials,
// per batch), then starts the batch when its capacity allows (interposer
// wafers per week, test slots…), after a one-off queue for an allocation.
// Completed batches order their inputs again from suppliers that make to order.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <vector>

#include "sim/engine/capacity_plan.hpp"
#include "sim/engine/order_book.hpp"
#include "sim/engine/producing_process.hpp"

namespace scsim::engine {

struct AssemblySetup {
  std::int64_t batch_units = 1;                // output units per batch
  scenario::Schedule start_capacity_per_week;  // units/week (empty = unlimited)
  models::Dist queue_days = models::Fixed{0};  // one-off wait after the first kit
  // Program: the capacity held (replaces start_capacity_per_week when set), in units per week; the queue runs
  // from its booking date when booked.
  std::optional<CapacityPlan> capacity;
  double planned_yield = 1;            // mean yield: inputs ordered per unit of output ordered
  double lead_days = 0;                // planned start to output
  double capacity_unit_cost_usd = 0;   // per unit of capacity (interposer wafer…): take-or-pay
};

class AssemblerProcess : public ProducingProcess {
 public:
  AssemblerProcess(const scenario::Site& site, const ProcessContext& context, ProductionSetup production,
                   AssemblySetup assembly);

 protected:
  void on_arrival(const ev::Arrival& arrival, double now, Outbox& out) override;
  void on_capacity_free(double now, Outbox& out) override;
  void on_start(double now, Outbox& out) override;
  void on_order(const ev::Order& order, double now, Outbox& out) override;
  void on_capacity_tick(double now, Outbox& out) override;
  void finish(double end_day, scsim::ReplicationResult& result) override;
  void completed(const Batch& batch, std::int64_t good, double now, Outbox& out) override;
  double inventory_units() const override;

 private:
  struct Held {  // units waiting in an input buffer, oldest first
    std::int64_t units;
    double origin_day;
    double cost_per_unit_usd;
  };
  struct OrderLane {
    int lane;
    int supplier;
    double fraction;  // of this input's orders
  };

  void try_start(double now);
  bool kit_available() const;
  double rate_at(double now) const;
  double next_positive(double now) const;
  bool capacity_limited() const { return assembly_.capacity || !assembly_.start_capacity_per_week.empty(); }
  // Program: orders `units` of output's inputs from their suppliers, needed here by `due_day`.
  void order_inputs(double units, double due_day, double now, Outbox& out);

  AssemblySetup assembly_;
  std::vector<std::deque<Held>> buffers_;  // per input (site_.inputs order)
  std::vector<std::int64_t> buffered_units_;
  std::map<int, std::size_t> input_of_product_;
  std::vector<std::vector<OrderLane>> order_lanes_;  // per input
  double queue_ready_day_ = -1;                      // -1: no kit yet
  double capacity_free_day_ = 0;
  bool retry_pending_ = false;
  bool program_ = false;
  OrderBook book_;          // program: output units ordered, by planned start day
  double started_units_ = 0;
  double yield_debt_ = 0;   // program: good output the started batches fell short of the plan by
};

}  // namespace scsim::engine
