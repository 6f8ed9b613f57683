// A site's behaviour in one replication, event by event: the base every
// per-role process derives from (source, assembler, datacenter, design).
//
// Plain C++: the SimGrid actor that owns it (runtime.cpp), or a unit test,
// pops events from heap() when their time comes and calls handle(). Each event
// type has its own handler; a process overrides the ones its role receives.
// Shared parts are members: the outbound lanes (LaneShipper), the weekly
// series (SeriesRecorder), and, for sites that make things, the station route.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "models/random_stream.hpp"
#include "sim/engine/event.hpp"
#include "sim/engine/lane_shipper.hpp"
#include "sim/engine/process_context.hpp"
#include "sim/engine/series_recorder.hpp"
#include "sim/engine/spend_book.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/stats/series.hpp"

namespace scsim {
class ReplicationResult;
}

namespace scsim::engine {

// Where a process sends events for other sites; implemented by the runtime.
class Outbox {
 public:
  virtual ~Outbox() = default;
  // Schedules `event` (event.time >= now + the edge's minimum delay) at site `site`.
  virtual void send(int site, Event&& event) = 0;
};

// Accelerators that finished installing (datacenters), kept with their times
// so that first-install and milestone days are computed after the run, in time order.
struct Install {
  double day = 0;
  std::int64_t units = 0;
  double cost_usd = 0;
};

class SiteProcess {
 public:
  SiteProcess(const scenario::Site& site, const ProcessContext& context);
  virtual ~SiteProcess() = default;
  SiteProcess(const SiteProcess&) = delete;
  SiteProcess& operator=(const SiteProcess&) = delete;

  const scenario::Site& site() const { return site_; }
  // The heap holding this site's pending events: its own, or one it shares with the other sites of its loop
  // (share_heap), in which its events carry its member number.
  EventHeap& heap() { return *heap_; }
  std::uint32_t member() const { return member_; }
  // Moves this site's pending events into `shared`, as `member`, and schedules there from now on.
  void share_heap(EventHeap& shared, std::uint32_t member);
  std::int64_t events_handled() const { return events_; }
  const std::vector<Install>& installs() const { return installs_; }
  const SpendBook& spend() const { return spend_; }

  void handle(const Event& event, Outbox& out);
  // Closes integrations at `end_day` and appends this site's series and stage statistics.
  virtual void finish(double end_day, scsim::ReplicationResult& result);

 protected:
  virtual void on_start(double now, Outbox& out);
  virtual void on_energize(const ev::Energize&, double now, Outbox& out);
  virtual void on_gate_open(const ev::GateOpen&, double now, Outbox& out);
  // Design milestones reach gated sites only under a program; sites that do not use them ignore them.
  virtual void on_tape_out(double, Outbox&) {}
  virtual void on_silicon(const ev::Silicon&, double, Outbox&) {}
  virtual void on_capacity_tick(double now, Outbox& out);
  virtual void on_plan_review(double now, Outbox& out);
  virtual void on_arrival(const ev::Arrival&, double now, Outbox& out);
  virtual void on_order(const ev::Order&, double now, Outbox& out);
  virtual void on_segment_done(const ev::SegmentDone&, double now, Outbox& out);
  virtual void on_install_done(const ev::InstallDone&, double now, Outbox& out);
  virtual void on_releases_begin(double now, Outbox& out);
  virtual void on_release(double now, Outbox& out);
  virtual void on_refill(double now, Outbox& out);
  virtual void on_capacity_free(double now, Outbox& out);
  // Shared: scrap part of the lots in process; ship what waited for a departure.
  void on_scrap(const ev::Scrap& scrap);
  // The events of lots still in a route segment, in canonical key order.
  std::vector<Event*> lots_in_process();
  void on_lane_tick(const ev::LaneTick& tick, double now, Outbox& out);

  // Own events and events for other sites, with this site's canonical key. Templates on the event type, so that
  // the body is built in place: an own event in its heap slot, one for another site in the Event handed (by
  // reference) to the outbox. An EventBody parameter cost one more copy of the whole event (a Batch is 72 bytes)
  // per scheduled event, a visible part of schedule's time.
  template <class Body>
  void schedule(double time, Body body) {
    heap_->emplace(time, context_.site, next_seq_++, std::move(body), member_);
  }
  template <class Body>
  void send(Outbox& out, int site, double time, Body body) {
    out.send(site, Event{time, context_.site, next_seq_++, EventBody(std::in_place_type<Body>, std::move(body))});
  }

  // Finished good units leave by lane (or wait for the lane's next departure).
  void dispatch(const Batch& batch, double now, Outbox& out);
  // Units held in input buffers (assemblers override) plus those waiting for a departure.
  virtual double inventory_units() const { return shipper_.held_units(); }
  void update_inventory(double now) { inventory_.set(now, inventory_units()); }
  bool records_inventory() const;

  using Slot = SeriesRecorder::Slot;

  const scenario::Scenario& scenario_;
  const scenario::Site& site_;
  ProcessContext context_;
  models::RandomStream stream_;
  LaneShipper shipper_;
  SeriesRecorder series_;
  stats::LevelSeries inventory_;
  std::vector<Install> installs_;
  SpendBook spend_;

 private:
  EventHeap own_heap_;
  EventHeap* heap_ = &own_heap_;
  std::uint32_t member_ = 0;
  std::uint64_t next_seq_ = 0;
  std::int64_t events_ = 0;
};

}  // namespace scsim::engine
