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
#include <memory>
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
constexpr std::uint64_t sortable_bits(double time) {
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

// A site's pending events, in the order of one 128-bit unsigned key per event
// (compared without branches): the time's bits (mapped so that they sort as
// the times do), the event kind's priority, the scheduling site, and the count
// of pushes into this heap. The count orders events that tie on time, kind and
// source exactly as their sequence numbers do, because a site numbers an event
// when it schedules or sends it and it is pushed at once, so one source's
// events reach a heap in their sequence order: the order is exactly
// Event::after's. The sites of a loop share one heap (share()): each event's
// key then holds its site's member number (rank order) after the time, so the
// heap pops in the loop's order, (time, rank), and each site's events in its
// own order.
//
// Events stay in place in a slot array; the structures below move keys and
// slot numbers. A busy site has hundreds of lots and shipments pending over
// the next months, and popping from one heap of them all took five levels of a
// 4-ary heap per event, a quarter of a replication. So the events are filed by
// time in buckets of a quarter day, finer when shared (a calendar queue): only
// the earliest bucket's events are in the heap, a few deep; the next 256 days
// wait unsorted in a ring of buckets, and later ones in one overflow list. The
// next bucket enters the heap when the heap runs dry. The order of pops is the
// keys' order whatever the buckets: every waiting event is later than every
// event in the heap, and a bucket enters the heap whole.
class EventHeap {
 public:
  EventHeap() { keys_.assign(kArity - 1, kSentinel); }
  // Tests start the push count close to its wrap, so that the renumbering runs.
  explicit EventHeap(std::uint32_t first_push) : EventHeap() { pushes_ = first_push; }

  // The key's low 64 bits, from the top: the member, the kind, the source, the push count.
  static constexpr unsigned kPushBits = 32, kKindBits = 5;
  // Site indices are below 2^27: validation bounds horizon weeks × sites by 2 million.
  static constexpr unsigned kMaxSourceBits = 64 - kPushBits - kKindBits;
  // A heap shared by several sites (members) keys each event's member above its kind and source: with sources
  // below 2^source_bits, up to max_members(source_bits) members.
  static constexpr std::size_t max_members(unsigned source_bits) {
    return std::size_t{1} << (kMaxSourceBits - source_bits);
  }
  // Makes this an empty heap shared by `members` sites whose sources are below 2^source_bits. Its buckets are
  // finer the more sites share it, so that a bucket holds about as many events as one site's would: on the
  // TSMC scenario's loop, 32 buckets a day ran 3.1% fewer instructions than 4, 16 a day 2.7%.
  void share(unsigned source_bits, std::size_t members) {
    source_bits_ = source_bits;
    const std::size_t sharing = std::bit_ceil(std::max<std::size_t>(members, 1));
    const auto finer = static_cast<double>(std::min(kMaxFiner, sharing));
    buckets_per_day_ = kBucketsPerDay * finer;
    days_per_bucket_ = 1.0 / buckets_per_day_;  // exact: a power of two
    buckets_ = static_cast<std::int64_t>(static_cast<double>(kBuckets) * finer);
    bucket_mask_ = static_cast<std::size_t>(buckets_ - 1);
    heap_end_ = start_of(1);
    ring_end_ = start_of(buckets_);
  }

  // Adds an event for `member` (the heap's own site: 0); returns true when it became the earliest. A shared
  // heap orders its events by (time, member, kind, source, push count): the members in rank order, each one's
  // events in its own key order.
  bool push(Event&& event, std::uint32_t member = 0) {
    const std::uint32_t slot = take_slot();
    event_at(slot) = std::move(event);
    return place(slot, member);
  }
  // The same, built in place: a Batch-carrying event is ~100 bytes, and the copies of a temporary Event on its
  // way into the slot were a visible part of scheduling.
  template <class Body>
  bool emplace(double time, int source, std::uint64_t seq, Body&& body, std::uint32_t member = 0) {
    const std::uint32_t slot = take_slot();
    Event& e = event_at(slot);
    e.time = time;
    e.source = source;
    e.seq = seq;
    e.body.template emplace<std::decay_t<Body>>(std::forward<Body>(body));
    return place(slot, member);
  }
  // The member whose event is the earliest (the heap must not be empty).
  std::uint32_t next_member() const { return member_of(keys_.front()); }
  // The earliest event, by value (the heap must not be empty).
  Event pop() {
    const std::uint32_t slot = take();
    Event event = std::move(event_at(slot));
    release(slot);
    return event;
  }
  // The earliest event leaves the order but stays in its slot, at(slot), until release(slot): the loop handles
  // it there. Copied out, its ~110 bytes were read back wider than they had been written a moment before, for
  // events due at once, which stalls the processor's store-to-load forwarding. Slots never move (they are
  // allocated in chunks), so events pushed meanwhile leave it in place.
  std::uint32_t take() {
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
    } else if (waiting_ > 0) {
      open_next_bucket();
    }
    return slot;
  }
  const Event& at(std::uint32_t slot) const { return event_at(slot); }
  void release(std::uint32_t slot) { free_.push_back(slot); }
  bool empty() const { return slots_.empty(); }
  double next_time() const { return time_of(keys_.front()); }
  // next_time()'s sortable bits (sortable_bits), as the key holds them: the loop compares these, not doubles.
  std::uint64_t next_sortable() const { return static_cast<std::uint64_t>(keys_.front() >> 64); }
  // The next event (the heap must not be empty).
  const Event& top() const { return event_at(slots_.front()); }
  // Every pending event of `member`, in no particular order; their bodies may be changed, not their times or kinds.
  std::vector<Event*> pending(std::uint32_t member = 0) {
    std::vector<Event*> out;
    for (std::size_t k = 0; k < slots_.size(); ++k)
      if (member_of(keys_[k]) == member) out.push_back(&event_at(slots_[k]));
    for_each_waiting([&](std::uint32_t slot) {
      if (member_of(link(slot).key) == member) out.push_back(&event_at(slot));
    });
    return out;
  }

 private:
  static constexpr std::size_t kArity = 4;
  using Key = TimeKey;  // time's bits (high 64), member, kind and source (32), push count (low 32)
  static constexpr Key kSentinel = ~Key{0};  // no event's key: a time's bits are below 2^64 - 1
  // Buckets of a quarter day for one site, exact in binary (time × 4 is exact). Measured on the TSMC scenario
  // (instructions per replication, a heap per site): quarter days 2% fewer than whole days, finer ones about
  // the same. The ring's 1,024 buckets reach 256 days ahead, more than a lot stays at any shipped site, so the
  // overflow list is rare. A shared heap has up to kMaxFiner times as many buckets, as many days ahead.
  static constexpr double kBucketsPerDay = 4.0;
  static constexpr std::int64_t kBuckets = 1024;  // a power of two
  static constexpr std::size_t kMaxFiner = 8;
  // Buckets from which on an event waits in the overflow list, whatever the ring: out of int64's way.
  static constexpr double kFarBucket = 4503599627370496.0;  // 2^52
  static constexpr double kFar = std::numeric_limits<double>::infinity();
  static constexpr std::uint32_t kNoSlot = std::numeric_limits<std::uint32_t>::max();
  // A slot: an event and, while it waits in a bucket, its key and list link, in front of it: walking a bucket
  // loads the event's first cache line too. 128 bytes on a cache line's start: two lines.
  struct alignas(64) Slot {
    Key key;
    std::uint32_t next;
    Event event;
  };
  static_assert(sizeof(Slot) == 128, "a slot is two cache lines: mind the Batch's layout");

  // The member bits of a key: above the push count, the kind and the source. In two shifts, as one of 64 bits
  // (no member bits: source_bits_ = kMaxSourceBits) would be undefined.
  std::uint32_t member_of(Key key) const {
    return static_cast<std::uint32_t>((static_cast<std::uint64_t>(key) >> 1) >>
                                      (kPushBits + kKindBits - 1 + source_bits_));
  }
  std::int64_t bucket_of(double time) const { return static_cast<std::int64_t>(time * buckets_per_day_); }
  double start_of(std::int64_t bucket) const { return static_cast<double>(bucket) * days_per_bucket_; }

  // A free slot, or a new one (a new chunk of slots when the last is full).
  std::uint32_t take_slot() {
    if (free_.empty()) {
      if (slot_count_ == chunks_.size() * kChunk) chunks_.push_back(std::make_unique<Slot[]>(kChunk));
      return slot_count_++;
    }
    const std::uint32_t slot = free_.back();
    free_.pop_back();
    return slot;
  }
  Event& event_at(std::uint32_t slot) { return chunks_[slot / kChunk][slot % kChunk].event; }
  const Event& event_at(std::uint32_t slot) const { return chunks_[slot / kChunk][slot % kChunk].event; }
  // A waiting event's key and the next event in its list (kNoSlot: none).
  Slot& link(std::uint32_t slot) { return chunks_[slot / kChunk][slot % kChunk]; }
  // Keys the event in `slot` and files it; true when it became the earliest.
  bool place(std::uint32_t slot, std::uint32_t member) {
    if (pushes_ == std::numeric_limits<std::uint32_t>::max()) renumber();
    const Event& e = event_at(slot);
    // Above the push count: the member, the kind, the source (source_bits_).
    static_assert(std::variant_size_v<EventBody> <= (1u << kKindBits));
    const std::uint64_t ties = (((static_cast<std::uint64_t>(member) << kKindBits | e.body.index()) << source_bits_ |
                                 (static_cast<std::uint64_t>(e.source) & ((std::uint64_t{1} << source_bits_) - 1)))
                                << kPushBits) |
                               pushes_++;
    const Key key = time_key(e.time, ties);
    if (e.time < heap_end_ || heap_end_ == kFar) return heap_push(key, slot);
    link(slot).key = key;
    file_waiting(e.time, slot);
    ++waiting_;
    if (!slots_.empty()) return false;  // later than every event in the heap
    open_next_bucket();                // the heap was empty, so was everything: this is the only event
    return true;
  }

  // Sift up: move parents down into the hole until the key fits; true when it became the earliest.
  bool heap_push(Key key, std::uint32_t slot) {
    keys_.push_back(kSentinel);  // keeps kArity - 1 sentinels after the last key
    slots_.push_back(slot);
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

  // A waiting event goes to its bucket in the ring, or to the overflow list when it is beyond the ring.
  void file_waiting(double time, std::uint32_t slot) {
    if (time < ring_end_) {
      if (ring_.empty()) {
        // On first use: a site's own heap often never needs one (its first events are in the heap at day 0,
        // and the runtime moves them into its loop's shared heap).
        ring_.assign(static_cast<std::size_t>(buckets_), kNoSlot);
        occupied_.assign(static_cast<std::size_t>(buckets_ / 64), 0);
      }
      file_in_ring(bucket_of(time), slot);
    } else {
      link(slot).next = overflow_;
      overflow_ = slot;
    }
  }
  // Every waiting event's slot: the ring's buckets, then the overflow list.
  template <class F>
  void for_each_waiting(F&& visit) {
    for (const std::uint32_t head : ring_)
      for (std::uint32_t slot = head; slot != kNoSlot; slot = link(slot).next) visit(slot);
    for (std::uint32_t slot = overflow_; slot != kNoSlot; slot = link(slot).next) visit(slot);
  }

  // Waiting events are kept in singly linked lists through their slots, so that filing one allocates nothing.
  void file_in_ring(std::int64_t bucket, std::uint32_t slot) {
    const auto index = static_cast<std::size_t>(bucket) & bucket_mask_;
    link(slot).next = ring_[index];
    ring_[index] = slot;
    occupied_[index / 64] |= std::uint64_t{1} << (index % 64);
    ++in_ring_;
  }

  // The heap ran dry and events wait: the earliest waiting bucket becomes the heap.
  void open_next_bucket() {
    if (in_ring_ == 0) reopen_overflow();
    if (heap_end_ == kFar) return;  // everything went into the heap
    // The first occupied bucket after the heap's: the ring holds buckets after heap_bucket_ and before
    // ring_end_'s, fewer than buckets_, each at its own index, so a circular scan meets them in time order.
    std::int64_t bucket = heap_bucket_ + 1;
    for (;;) {
      const auto index = static_cast<std::size_t>(bucket) & bucket_mask_;
      const std::uint64_t bits = occupied_[index / 64] >> (index % 64);
      if (bits != 0) {
        bucket += std::countr_zero(bits);
        break;
      }
      bucket += static_cast<std::int64_t>(64 - index % 64);
    }
    const auto index = static_cast<std::size_t>(bucket) & bucket_mask_;
    std::size_t moved = 0;
    for (std::uint32_t slot = ring_[index]; slot != kNoSlot; slot = link(slot).next, ++moved) {
      heap_push(link(slot).key, slot);
      // Its handler reads it soon, and it was written long ago: start loading it now.
      __builtin_prefetch(reinterpret_cast<const char*>(&link(slot)) + 64);  // the first line is here already
    }
    waiting_ -= moved;
    in_ring_ -= moved;
    ring_[index] = kNoSlot;
    occupied_[index / 64] &= ~(std::uint64_t{1} << (index % 64));
    heap_bucket_ = bucket;
    heap_end_ = start_of(bucket + 1);
    // With the overflow list empty the ring reaches further ahead; otherwise it waits for the list's turn, so
    // that no bucket opens while earlier events wait in the list.
    if (overflow_ == kNoSlot) ring_end_ = start_of(heap_bucket_ + buckets_);
  }

  // The ring is empty: the overflow list's earliest event starts it again.
  void reopen_overflow() {
    double first = kFar;
    for (std::uint32_t slot = overflow_; slot != kNoSlot; slot = link(slot).next)
      first = std::min(first, time_of(link(slot).key));
    std::uint32_t slot = overflow_;
    overflow_ = kNoSlot;
    if (!(first * buckets_per_day_ < kFarBucket)) {
      // Times beyond any horizon (or not numbers): the heap takes them all, and every later event.
      for (; slot != kNoSlot; slot = link(slot).next) heap_push(link(slot).key, slot);
      waiting_ = 0;
      heap_end_ = ring_end_ = kFar;
      return;
    }
    heap_bucket_ = bucket_of(first) - 1;
    ring_end_ = start_of(heap_bucket_ + buckets_);
    while (slot != kNoSlot) {
      const std::uint32_t next = link(slot).next;
      file_waiting(time_of(link(slot).key), slot);
      slot = next;
    }
  }

  // The push count would wrap: number the pending keys again in their order (after 4 billion pushes).
  void renumber() {
    std::vector<Key*> all;
    for (std::size_t k = 0; k < slots_.size(); ++k) all.push_back(&keys_[k]);
    for_each_waiting([&](std::uint32_t slot) { all.push_back(&link(slot).key); });
    std::sort(all.begin(), all.end(), [](const Key* a, const Key* b) { return *a < *b; });
    const Key high = ~((Key{1} << kPushBits) - 1);
    for (std::size_t k = 0; k < all.size(); ++k) *all[k] = (*all[k] & high) | k;
    // The order is unchanged, so the heap keeps its shape and every event its bucket.
    pushes_ = static_cast<std::uint32_t>(all.size());
  }

  unsigned source_bits_ = kMaxSourceBits;
  std::vector<Key> keys_;             // the heap's keys, then kArity - 1 sentinels
  std::vector<std::uint32_t> slots_;  // the event of keys_[k] is event_at(slots_[k])
  // Slots per chunk: 4.6 KB, so that the many small heaps of a 1,000-site network stay small.
  static constexpr std::uint32_t kChunk = 32;
  std::vector<std::unique_ptr<Slot[]>> chunks_;  // the slots, kChunk to a chunk
  std::uint32_t slot_count_ = 0;                  // slots so far
  std::vector<std::uint32_t> free_;
  std::uint32_t pushes_ = 0;  // pushes so far (low 32 bits of the keys)

  // Events before heap_end_ are in the heap (bucket heap_bucket_ and any earlier time); later ones before
  // ring_end_ (at most buckets_ - 1 buckets after heap_bucket_) wait in the ring, at index bucket % buckets_;
  // the rest in the overflow list. Bucket b holds the times t with floor(t × buckets_per_day_) = b.
  double buckets_per_day_ = kBucketsPerDay, days_per_bucket_ = 1.0 / kBucketsPerDay;
  std::int64_t buckets_ = kBuckets;  // a power of two
  std::size_t bucket_mask_ = kBuckets - 1;
  std::int64_t heap_bucket_ = 0;
  double heap_end_ = 1.0 / kBucketsPerDay, ring_end_ = static_cast<double>(kBuckets) / kBucketsPerDay;
  std::vector<std::uint32_t> ring_;      // each bucket's first event (allocated when first needed)
  std::vector<std::uint64_t> occupied_;  // the buckets that hold events
  std::uint32_t overflow_ = kNoSlot;       // the overflow list's first event
  std::size_t waiting_ = 0, in_ring_ = 0;  // events in the ring and the list; in the ring
};

}  // namespace scsim::engine
