// An assembler: waits for a full kit of its inputs (the bill of materials,
// per batch), then starts the batch when its capacity allows (interposer
// wafers per week, test slots…), after a one-off queue for an allocation.
// Completed batches order their inputs again from suppliers that make to order.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <vector>

#include "sim/engine/producing_process.hpp"

namespace scsim::engine {

struct AssemblySetup {
  std::int64_t batch_units = 1;                 // output units per batch
  scenario::Schedule start_capacity_per_week;   // units/week (empty = unlimited)
  models::Dist queue_days = models::Fixed{0};   // one-off wait after the first kit
};

class AssemblerProcess : public ProducingProcess {
public:
  AssemblerProcess(const scenario::Site& site, const ProcessContext& context, ProductionSetup production,
                   AssemblySetup assembly);

protected:
  void on_arrival(const ev::Arrival& arrival, double now, Outbox& out) override;
  void on_capacity_free(double now, Outbox& out) override;
  void completed(const Batch& batch, double now, Outbox& out) override;
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

  AssemblySetup assembly_;
  std::vector<std::deque<Held>> buffers_;      // per input (site_.inputs order)
  std::vector<std::int64_t> buffered_units_;
  std::map<int, std::size_t> input_of_product_;
  std::vector<std::vector<OrderLane>> order_lanes_;  // per input
  double queue_ready_day_ = -1;  // -1: no kit yet
  double capacity_free_day_ = 0;
  bool retry_pending_ = false;
};

}  // namespace scsim::engine
