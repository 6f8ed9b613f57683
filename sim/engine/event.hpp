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

// A site's pending events: a 4-ary heap of 16-byte keys (time; kind and
// source; slot) over events that stay in place in a slot array, so that a push
// or pop moves keys, four children share a cache line, and the work in process
// can be visited (a disruption scraps part of it) without disturbing the
// order. Keys that tie on time, kind and source are ordered by the events'
// sequence numbers, so the order is exactly Event::after's.
class EventHeap {
 public:
  void push(Event event) {
    std::uint32_t slot;
    if (free_.empty()) {
      slot = static_cast<std::uint32_t>(events_.size());
      events_.push_back(std::move(event));
    } else {
      slot = free_.back();
      free_.pop_back();
      events_[slot] = std::move(event);
    }
    const Event& e = events_[slot];
    // Site indices are below 2^27: horizon weeks × sites is at most 2 million (validation).
    const Key key{e.time, (static_cast<std::uint32_t>(e.body.index()) << 27) |
                              (static_cast<std::uint32_t>(e.source) & 0x7ffffffu),
                  slot};
    keys_.push_back(key);
    // Sift up: move parents down into the hole until the key fits.
    std::size_t hole = keys_.size() - 1;
    while (hole > 0) {
      const std::size_t parent = (hole - 1) / kArity;
      if (!before(key, keys_[parent])) break;
      keys_[hole] = keys_[parent];
      hole = parent;
    }
    keys_[hole] = key;
  }
  Event pop() {
    const std::uint32_t slot = keys_.front().slot;
    const Key last = keys_.back();
    keys_.pop_back();
    const std::size_t n = keys_.size();
    if (n > 0) {
      // Sift down: move the earliest child up into the hole until the last key fits.
      std::size_t hole = 0;
      for (;;) {
        const std::size_t first = hole * kArity + 1;
        if (first >= n) break;
        std::size_t best = first;
        const std::size_t end = std::min(first + kArity, n);
        for (std::size_t c = first + 1; c < end; ++c)
          if (before(keys_[c], keys_[best])) best = c;
        if (!before(keys_[best], last)) break;
        keys_[hole] = keys_[best];
        hole = best;
      }
      keys_[hole] = last;
    }
    free_.push_back(slot);
    return std::move(events_[slot]);
  }
  bool empty() const { return keys_.empty(); }
  double next_time() const { return keys_.front().time; }
  // The next event (the heap must not be empty).
  const Event& top() const { return events_[keys_.front().slot]; }
  // Every pending event, in no particular order; their bodies may be changed, not their times.
  std::vector<Event*> pending() {
    std::vector<Event*> out;
    out.reserve(keys_.size());
    for (const auto& key : keys_) out.push_back(&events_[key.slot]);
    return out;
  }

 private:
  static constexpr std::size_t kArity = 4;
  struct Key {
    double time;
    std::uint32_t kind_source;  // the event kind's priority (high bits), then the scheduling site
    std::uint32_t slot;
  };
  // True when `a` comes before `b`: the order of Event::after.
  bool before(const Key& a, const Key& b) const {
    if (a.time != b.time) return a.time < b.time;
    if (a.kind_source != b.kind_source) return a.kind_source < b.kind_source;
    return events_[b.slot].after(events_[a.slot]);
  }
  std::vector<Key> keys_;
  std::vector<Event> events_;
  std::vector<std::uint32_t> free_;
};

}  // namespace scsim::engine
