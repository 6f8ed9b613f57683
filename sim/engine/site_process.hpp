// What one site does, event by event: release, assemble, process, transform,
// ship, install. Plain C++ driven by the SimGrid actor that owns it (or by a
// test), which pops events from heap() when their time comes and calls handle().
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include "models/foundry.hpp"
#include "models/memory.hpp"
#include "models/random_stream.hpp"
#include "sim/engine/event.hpp"
#include "sim/engine/site_spec.hpp"
#include "sim/engine/station_route.hpp"
#include "sim/results/results.pb.h"
#include "sim/stats/series.hpp"
#include "sim/stats/tally.hpp"

namespace scsim::engine {

// How a site reaches the others; implemented by the runtime.
class Emitter {
public:
  virtual ~Emitter() = default;
  // Schedules `event` (time >= now) in another site's heap.
  virtual void deliver(int site, Event event) = 0;
  // A datacenter installed `units` accelerators at `day` (the runtime counts
  // them against the demand target and ends the run when it is met).
  virtual void installed(double day, std::int64_t units, double cost_usd) = 0;
};

class SiteProcess {
public:
  SiteProcess(const SiteSpec& spec, std::uint64_t seed, int replication, double horizon_days);

  EventHeap& heap() { return heap_; }
  const SiteSpec& spec() const { return spec_; }
  void handle(const Event& event, double now, Emitter& emitter);
  std::int64_t events_handled() const { return events_; }

  // Closes integrations at end_day and appends this site's series and stage
  // statistics to `result`; datacenters add their stranded chip and slot days.
  void finish(double end_day, scsim::ReplicationResult& result);

private:
  struct Held {  // units waiting in an input buffer, oldest first
    std::int64_t units;
    double origin_day;
    double cost_per_unit_usd;
  };

  // sources
  void begin_releasing(double now);
  void on_release(const Event& event, double now);
  void schedule_next_release(double after);
  bool demand_covered() const;
  double expected_good_per_release_unit() const;
  // assemblers
  void on_arrival(const Event& event, double now);
  void try_start(double now);
  bool kit_available();
  // processing
  void start_lot(Batch batch, double now);
  void on_segment_done(const Event& event, double now, Emitter& emitter);
  void complete(Batch batch, double now, Emitter& emitter);
  std::int64_t transform(const Batch& batch);
  // shipping
  void dispatch(Batch batch, double now, Emitter& emitter);
  void ship(int lane, Batch batch, double now, Emitter& emitter);
  // design and datacenter
  void start_design(Emitter& emitter);
  void start_datacenter(double now);
  void try_install(double now);
  void finish_install(const Batch& batch, double now, Emitter& emitter);
  void scrap_in_process(double fraction);

  stats::FlowSeries& flow(const std::string& metric);
  const stats::FlowSeries& flow(const std::string& metric) const;
  enum class Metric { kRelease, kDelivered, kWip, kOutput, kShipped, kInstalled, kUtilization, kCount };
  stats::FlowSeries& cached(Metric slot, const char* metric);
  stats::FlowSeries& cached(Metric slot, const std::string& metric);
  static void add_interval(stats::FlowSeries& series, double from, double to, double weight);
  void set_inventory(double now);
  void record_busy(double now, double from, double to);

  SiteSpec spec_;
  double horizon_days_;
  models::RandomStream stream_;
  EventHeap heap_;
  std::int64_t events_ = 0;
  std::int64_t next_lot_id_ = 0;

  // replication-level draws
  std::unique_ptr<models::Foundry> foundry_;
  std::unique_ptr<models::Memory> memory_;
  double fraction_yield_ = 1;
  std::vector<double> lane_gate_day_;       // -1 until the first shipment starts qualification
  std::vector<double> lane_gate_duration_;

  // source state
  bool releasing_ = false;
  double production_start_day_ = -1;
  std::int64_t lots_released_ = 0, units_released_ = 0;
  int lots_in_process_ = 0;

  // assembler state
  std::map<int, std::deque<Held>> buffers_;
  std::map<int, std::int64_t> buffered_units_;
  double queue_ready_day_ = -1;  // -1: no kit yet
  double capacity_free_day_ = 0;
  bool try_start_pending_ = false;

  std::unique_ptr<StationRoute> route_;
  // lanes
  std::vector<double> lane_sent_units_;
  double dispatched_units_ = 0;
  std::vector<Batch> lane_buffer_;
  std::vector<bool> lane_tick_pending_;

  // datacenter state
  double kw_per_accelerator_ = 1;
  std::int64_t slots_ = 0, installed_ = 0, installing_ = 0, ready_units_ = 0;
  std::deque<Held> ready_;
  double install_free_day_ = 0;

  // statistics
  std::map<std::string, stats::FlowSeries> flows_;
  std::array<stats::FlowSeries*, static_cast<std::size_t>(Metric::kCount)> cache_{};
  stats::LevelSeries inventory_;
  stats::LevelSeries stranded_chips_, stranded_slots_;
  stats::Tally lead_time_;
  double lot_days_ = 0;  // integral of lots in process, for time-average WIP
  std::int64_t lots_done_ = 0;
  double busy_server_days_ = 0;
  // Busy intervals [from, to) that may end in the future, earliest end first.
  struct EndsLater {
    bool operator()(const std::pair<double, double>& a, const std::pair<double, double>& b) const {
      return a.second > b.second;
    }
  };
  std::priority_queue<std::pair<double, double>, std::vector<std::pair<double, double>>, EndsLater> open_busy_;
  double output_units_ = 0, output_cost_usd_ = 0;  // for cost per good unit
};

}  // namespace scsim::engine
