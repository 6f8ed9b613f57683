// Events, one type per kind, and a site's pending-event heap.
//
// Simultaneous events are ordered by a canonical key: (time, kind priority,
// source site, source sequence). The source is the site that scheduled the
// event and its sequence counts the events that site has scheduled, so the
// order depends on neither the file's order of sites nor how actors
// interleave: results are the same whatever runs first.
#pragma once

#include <algorithm>
#include <cstdint>
#include <variant>
#include <vector>

#include "sim/engine/batch.hpp"

namespace scsim::engine {

namespace ev {
struct Start {};  // the site's first event, day 0
struct Energize {
  int building;
};                   // a datacenter building's power is on
struct GateOpen {};  // the gating design is released (port and allocation waits follow)
struct TapeOut {};   // program: the gating design taped out (a parallel port may start)
struct Silicon {
  int spin;
  bool works;
};  // program: first silicon of a spin of the gating design; a spin that does not work is respun
struct Scrap {
  double fraction;
};  // a disruption scraps part of the work in process
struct Arrival {
  int lane;
  Batch batch;
};  // material arrives by lane
struct Order {
  int lane;
  double units;          // negative: a cancellation
  double due_day = -1;   // program: when the customer needs it (arrival); -1: now (kanban)
};  // an order arrives from a customer, back up a lane
struct SegmentDone {
  int segment;
  Batch batch;
};  // a lot leaves a segment of the station route
struct InstallDone {
  Batch batch;
};                        // accelerators finished installing
struct ReleasesBegin {};  // the gate, port and allocation waits are over: volume starts may begin
struct Release {};        // a source releases its next lot on its plan
struct Refill {};         // CONWIP: a lot left, release the next
struct CapacityFree {};   // capacity (interposers, crews) or a one-off queue is free: try to start
struct CapacityTick {};   // program: a new week of capacity (pool allocation, ramp, the allocated series)
struct PlanReview {};     // program: the datacenter reviews its build plan and orders
struct LaneTick {
  int lane;
};  // a lane's scheduled departure
}  // namespace ev

// The order of the alternatives is the priority among simultaneous events.
using EventBody =
    std::variant<ev::Start, ev::Energize, ev::GateOpen, ev::TapeOut, ev::Silicon, ev::Scrap, ev::Arrival, ev::Order,
                 ev::SegmentDone, ev::InstallDone, ev::ReleasesBegin, ev::Release, ev::Refill, ev::CapacityFree,
                 ev::CapacityTick, ev::PlanReview, ev::LaneTick>;

struct Event {
  double time = 0;
  int source = 0;         // the scheduling site (canonical site index)
  std::uint64_t seq = 0;  // the scheduling site's count of events scheduled
  EventBody body;

  // True when this event comes after `other`.
  bool after(const Event& other) const {
    if (time != other.time) return time > other.time;
    if (body.index() != other.body.index()) return body.index() > other.body.index();
    if (source != other.source) return source > other.source;
    return seq > other.seq;
  }
};

// A binary heap in a vector, so that the work in process can be visited (a
// disruption scraps part of it) without disturbing the order.
class EventHeap {
 public:
  void push(Event event) {
    events_.push_back(std::move(event));
    std::push_heap(events_.begin(), events_.end(), later);
  }
  Event pop() {
    std::pop_heap(events_.begin(), events_.end(), later);
    Event event = std::move(events_.back());
    events_.pop_back();
    return event;
  }
  bool empty() const { return events_.empty(); }
  double next_time() const { return events_.front().time; }
  std::vector<Event>& pending() { return events_; }
  const std::vector<Event>& pending() const { return events_; }

 private:
  static bool later(const Event& a, const Event& b) { return a.after(b); }
  std::vector<Event> events_;
};

}  // namespace scsim::engine
