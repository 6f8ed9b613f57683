// Events, one type per kind, and a site's pending-event heap.
//
// Simultaneous events are ordered by a canonical key: (time, kind priority,
// source site, source sequence). The source is the site that scheduled the
// event and its sequence counts the events that site has scheduled, so the
// order depends on neither the file's order of sites nor how actors
// interleave: results are the same whatever runs first.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>
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

// The bits of a time as an unsigned number that sorts as the times do (-0 as +0), and back.
inline std::uint64_t sortable_bits(double time) {
  const auto bits = std::bit_cast<std::uint64_t>(time + 0.0);
  return (bits >> 63) != 0 ? ~bits : bits | (std::uint64_t{1} << 63);
}
inline double time_of(std::uint64_t sortable) {
  return std::bit_cast<double>((sortable >> 63) != 0 ? sortable & ~(std::uint64_t{1} << 63) : ~sortable);
}

// A time and 64 tie-breaking bits as one unsigned number that sorts by the time, then the bits, compared
// without branches (the event heap's keys, the loop's tournament of sites).
__extension__ typedef unsigned __int128 TimeKey;
inline TimeKey time_key(double time, std::uint64_t ties) {
  return (static_cast<TimeKey>(sortable_bits(time)) << 64) | ties;
}
inline double time_of(TimeKey key) { return time_of(static_cast<std::uint64_t>(key >> 64)); }

// A site's pending events: a 4-ary heap of 16-byte keys over events that stay
// in place in a slot array, so that a push or pop moves keys, four children
// share a cache line, and the work in process can be visited (a disruption
// scraps part of it) without disturbing the order. A key is one 128-bit
// unsigned number, compared without branches: the time's bits (mapped so that
// they sort as the times do), the event kind's priority, the scheduling site,
// and the count of pushes into this heap. The count orders events that tie on
// time, kind and source exactly as their sequence numbers do, because a site
// numbers an event when it schedules or sends it and it is pushed at once, so
// one source's events reach a heap in their sequence order: the order is
// exactly Event::after's.
class EventHeap {
 public:
  EventHeap() { keys_.assign(kArity - 1, kSentinel); }
  // Tests start the push count close to its wrap, so that the renumbering runs.
  explicit EventHeap(std::uint32_t first_push) : EventHeap() { pushes_ = first_push; }

  // Adds an event; returns true when it became the earliest.
  bool push(Event&& event) {
    const std::uint32_t slot = take_slot();
    if (slot == events_.size()) {
      events_.push_back(std::move(event));
    } else {
      events_[slot] = std::move(event);
    }
    return place(slot);
  }
  // The same, built in place: a Batch-carrying event is ~100 bytes, and the copies of a temporary Event on its
  // way into the slot were a visible part of scheduling.
  template <class Body>
  bool emplace(double time, int source, std::uint64_t seq, Body&& body) {
    const std::uint32_t slot = take_slot();
    if (slot == events_.size()) {
      events_.push_back(
          Event{time, source, seq, EventBody(std::in_place_type<std::decay_t<Body>>, std::forward<Body>(body))});
    } else {
      Event& e = events_[slot];
      e.time = time;
      e.source = source;
      e.seq = seq;
      e.body.template emplace<std::decay_t<Body>>(std::forward<Body>(body));
    }
    return place(slot);
  }
  Event pop() {
    const std::uint32_t slot = slots_.front();
    const std::size_t n = slots_.size() - 1;  // keys after the pop
    const Key last = keys_[n];
    const std::uint32_t last_slot = slots_[n];
    keys_.pop_back();
    keys_[n] = kSentinel;
    slots_.pop_back();
    if (n > 0) {
      // Sift down: move the earliest child up into the hole until the last key fits. Every node's kArity
      // children can be read: the keys past the last are sentinels, later than any event.
      std::size_t hole = 0;
      for (;;) {
        const std::size_t first = hole * kArity + 1;
        if (first >= n) break;
        const Key* c = &keys_[first];
        // A tournament without branches: the earlier of each pair, then of the two winners. The winner's index
        // is picked with a mask: written as a conditional, GCC made it a branch, mispredicted about every
        // other step (a sixth of a replication's mispredictions).
        const bool b1 = c[1] < c[0], b3 = c[3] < c[2];
        const Key k01 = b1 ? c[1] : c[0], k23 = b3 ? c[3] : c[2];
        const std::size_t i01 = b1, i23 = 2 + static_cast<std::size_t>(b3);
        const bool right = k23 < k01;
        const Key best_key = right ? k23 : k01;
        const std::size_t right_mask = std::size_t{0} - static_cast<std::size_t>(right);
        const std::size_t best = first + ((i23 & right_mask) | (i01 & ~right_mask));
        if (!(best_key < last)) break;
        keys_[hole] = best_key;
        slots_[hole] = slots_[best];
        hole = best;
      }
      keys_[hole] = last;
      slots_[hole] = last_slot;
    }
    free_.push_back(slot);
    return std::move(events_[slot]);
  }
  bool empty() const { return slots_.empty(); }
  double next_time() const { return time_of(keys_.front()); }
  // The next event (the heap must not be empty).
  const Event& top() const { return events_[slots_.front()]; }
  // Every pending event, in no particular order; their bodies may be changed, not their times or kinds.
  std::vector<Event*> pending() {
    std::vector<Event*> out;
    out.reserve(slots_.size());
    for (std::uint32_t slot : slots_) out.push_back(&events_[slot]);
    return out;
  }

 private:
  static constexpr std::size_t kArity = 4;
  using Key = TimeKey;  // time's bits (high 64), kind and source (32), push count (low 32)
  static constexpr Key kSentinel = ~Key{0};     // no event's key: a time's bits are below 2^64 - 1

  // A free slot, or events_.size() when the event goes at the end.
  std::uint32_t take_slot() {
    if (free_.empty()) return static_cast<std::uint32_t>(events_.size());
    const std::uint32_t slot = free_.back();
    free_.pop_back();
    return slot;
  }
  // Keys the event in `slot` and sifts it up; true when it became the earliest.
  bool place(std::uint32_t slot) {
    if (pushes_ == std::numeric_limits<std::uint32_t>::max()) renumber();
    const Event& e = events_[slot];
    // Site indices are below 2^27: horizon weeks × sites is at most 2 million (validation).
    const std::uint64_t kind_source = (static_cast<std::uint64_t>(e.body.index()) << 27) |
                                      (static_cast<std::uint64_t>(e.source) & 0x7ffffffu);
    const Key key = time_key(e.time, (kind_source << 32) | pushes_++);
    keys_.push_back(kSentinel);  // keeps kArity - 1 sentinels after the last key
    slots_.push_back(slot);
    // Sift up: move parents down into the hole until the key fits.
    std::size_t hole = slots_.size() - 1;
    while (hole > 0) {
      const std::size_t parent = (hole - 1) / kArity;
      if (!(key < keys_[parent])) break;
      keys_[hole] = keys_[parent];
      slots_[hole] = slots_[parent];
      hole = parent;
    }
    keys_[hole] = key;
    slots_[hole] = slot;
    return hole == 0;
  }

  // The push count would wrap: number the pending keys again in their order (after 4 billion pushes).
  void renumber() {
    const std::size_t n = slots_.size();
    std::vector<std::size_t> order(n);
    for (std::size_t k = 0; k < n; ++k) order[k] = k;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return keys_[a] < keys_[b]; });
    const Key high = ~((Key{1} << 32) - 1);
    for (std::size_t k = 0; k < n; ++k) keys_[order[k]] = (keys_[order[k]] & high) | k;
    pushes_ = static_cast<std::uint32_t>(n);  // a renumbered heap keeps its shape: the order is unchanged
  }

  std::vector<Key> keys_;             // the heap's keys, then kArity - 1 sentinels
  std::vector<std::uint32_t> slots_;  // the event of keys_[k] is events_[slots_[k]]
  std::vector<Event> events_;
  std::vector<std::uint32_t> free_;
  std::uint32_t pushes_ = 0;  // pushes so far (low 32 bits of the keys)
};

}  // namespace scsim::engine
