// A site's pending events, ordered by time and then by insertion, so runs are
// deterministic. A plain binary heap in a vector so in-process lots can be
// visited (a disruption scraps part of them) without disturbing the order.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/engine/batch.hpp"

namespace scsim::engine {

enum class EventType {
  kStart,         // the site's first event at day 0
  kRelease,       // a source releases its next lot
  kArrival,       // a batch arrives by lane (index = lane)
  kSegmentDone,   // a lot leaves route segment `index`
  kGateOpen,      // a design released: volume starts may begin
  kTryStart,      // capacity or an allocation became free: try to start work
  kLaneTick,      // a lane's scheduled departure (index = lane)
  kDisruption,    // a down window opens (index = window)
  kInstallReady,  // a batch in a powered slot finished its install (datacenter)
  kEnergize,      // a building's power is on (index = building)
};

struct Event {
  double time = 0;
  std::uint64_t seq = 0;
  EventType type = EventType::kStart;
  int index = 0;
  Batch batch;
};

class EventHeap {
public:
  void push(Event event) {
    event.seq = next_seq_++;
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
  // All pending events, in heap (not time) order; batches may be edited in place.
  std::vector<Event>& pending() { return events_; }

private:
  static bool later(const Event& a, const Event& b) { return a.time > b.time || (a.time == b.time && a.seq > b.seq); }
  std::vector<Event> events_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace scsim::engine
