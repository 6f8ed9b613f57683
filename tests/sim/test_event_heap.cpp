// EventHeap pops events in exactly Event::after's order (time, kind, source, sequence), ties included, also
// across the push count's wrap, when it numbers the pending keys again, and whatever the spread of the times
// over its quarter-day buckets, its ring of 256 days and its overflow list.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <set>
#include <tuple>
#include <vector>

#include "sim/engine/event.hpp"

using scsim::engine::Event;
using scsim::engine::EventBody;
using scsim::engine::EventHeap;
namespace ev = scsim::engine::ev;

namespace {

// How far ahead of the last pop an event is pushed, from a draw.
using Ahead = std::function<double(std::mt19937&)>;

// Whole days up to 4 ahead: many ties.
double few_days(std::mt19937& rng) { return static_cast<double>(rng() % 5); }

// Spread over two years, with ties: the same time as the last pop, quarter days (the buckets' bounds),
// thirds of days (inside buckets), up to 750 days (more than the ring's 256), and rarely beyond any horizon.
double spread(std::mt19937& rng) {
  const auto r = rng() % 128;
  if (r == 0) return 1e18;
  if (r == 1) return std::numeric_limits<double>::infinity();
  switch (r % 4) {
    case 0: return 0.0;
    case 1: return static_cast<double>(rng() % 3000) / 4.0;
    case 2: return static_cast<double>(rng() % 2000) / 3.0;
    default: return static_cast<double>(rng() % 100000) / 997.0;
  }
}

// Beyond any horizon: the same time as the last pop, 10^18 days or 2 × 10^18 later, or never.
double beyond(std::mt19937& rng) {
  switch (rng() % 4) {
    case 0: return 0.0;
    case 1: return 1e18;
    case 2: return 2e18;
    default: return std::numeric_limits<double>::infinity();
  }
}

// Pushes `count` events with many ties (three kinds, four sources, each source numbering its events in push
// order as sites do) at times `ahead` of the last pop, popping after a third of the pushes and whenever more
// than `most` are pending, and returns the (source, seq) of each pop.
std::vector<std::pair<int, std::uint64_t>> run(EventHeap& heap, int count, std::vector<Event>& pushed,
                                               const Ahead& ahead = few_days,
                                               std::size_t most = std::numeric_limits<std::size_t>::max()) {
  std::size_t pending = 0;
  std::mt19937 rng(7);
  std::uint64_t seq[4] = {0, 0, 0, 0};
  std::vector<std::pair<int, std::uint64_t>> popped;
  double now = 0;
  for (int i = 0; i < count; ++i) {
    const int source = static_cast<int>(rng() % 4);
    Event e;
    e.time = now + ahead(rng);
    e.source = source;
    e.seq = seq[source]++;
    switch (rng() % 3) {
      case 0: e.body = ev::Release{}; break;
      case 1: e.body = ev::Order{0, 1.0}; break;
      default: e.body = ev::CapacityTick{}; break;
    }
    pushed.push_back(e);
    heap.push(Event(e));
    ++pending;
    const bool draw = rng() % 3 == 0;
    if (draw || pending > most) {
      --pending;
      const Event out = heap.pop();
      now = out.time;
      popped.emplace_back(out.source, out.seq);
    }
  }
  while (!heap.empty()) {
    const Event out = heap.pop();
    popped.emplace_back(out.source, out.seq);
  }
  return popped;
}

// The same pushes and pops through a plain sorted list with Event::after.
std::vector<std::pair<int, std::uint64_t>> reference(const std::vector<Event>& pushed, int count,
                                                     const Ahead& ahead = few_days,
                                                     std::size_t most = std::numeric_limits<std::size_t>::max()) {
  std::mt19937 rng(7);
  std::vector<Event> pending;
  std::vector<std::pair<int, std::uint64_t>> popped;
  auto pop = [&] {
    auto first = std::min_element(pending.begin(), pending.end(),
                                  [](const Event& a, const Event& b) { return b.after(a); });
    popped.emplace_back(first->source, first->seq);
    pending.erase(first);
  };
  for (int i = 0; i < count; ++i) {
    // Replay the generator's draws so that the pops fall at the same places.
    rng();
    ahead(rng);
    rng();
    pending.push_back(pushed[static_cast<std::size_t>(i)]);
    const bool draw = rng() % 3 == 0;
    if (draw || pending.size() > most) pop();
  }
  while (!pending.empty()) pop();
  return popped;
}

}  // namespace

TEST_CASE("event heap: pops in Event::after's order, ties on time, kind and source by sequence", "[sim][heap]") {
  EventHeap heap;
  std::vector<Event> pushed;
  const auto popped = run(heap, 3000, pushed);
  REQUIRE(popped.size() == 3000);
  CHECK(popped == reference(pushed, 3000));
}

TEST_CASE("event heap: the same order across the push count's wrap", "[sim][heap]") {
  EventHeap heap(0xffffffffu - 100);  // renumbers after 100 pushes, with events pending
  std::vector<Event> pushed;
  const auto popped = run(heap, 3000, pushed);
  REQUIRE(popped.size() == 3000);
  CHECK(popped == reference(pushed, 3000));
}

TEST_CASE("event heap: the same order with times spread over buckets, the ring and the overflow list",
          "[sim][heap]") {
  EventHeap heap;
  std::vector<Event> pushed;
  // At most 600 pending, as at a busy site: time moves on through many rings' worth of days.
  const auto popped = run(heap, 20000, pushed, spread, 600);
  REQUIRE(popped.size() == 20000);
  CHECK(pushed.back().time > 5000);
  CHECK(popped == reference(pushed, 20000, spread, 600));
}

TEST_CASE("event heap: the same order with spread times across the push count's wrap", "[sim][heap]") {
  EventHeap heap(0xffffffffu - 3000);  // renumbers with events in the heap, the ring and the overflow list
  std::vector<Event> pushed;
  const auto popped = run(heap, 20000, pushed, spread, 600);
  REQUIRE(popped.size() == 20000);
  CHECK(popped == reference(pushed, 20000, spread, 600));
}

TEST_CASE("event heap: the same order for times beyond any horizon, ties at infinity included", "[sim][heap]") {
  EventHeap heap;
  std::vector<Event> pushed;
  const auto popped = run(heap, 3000, pushed, beyond);
  REQUIRE(popped.size() == 3000);
  CHECK(popped == reference(pushed, 3000, beyond));
}

TEST_CASE("event heap: pending() visits every event once, wherever it waits", "[sim][heap]") {
  EventHeap heap;
  // Day 0.1 (the heap), day 3 and day 200 (the ring), day 900 and infinity (the overflow list).
  const double times[] = {0.1, 3.0, 200.0, 900.0, std::numeric_limits<double>::infinity()};
  std::uint64_t seq = 0;
  for (const double time : times) heap.emplace(time, 0, seq++, ev::Release{});
  std::set<std::uint64_t> seen;
  for (const Event* e : heap.pending()) seen.insert(e->seq);
  CHECK(heap.pending().size() == 5);
  CHECK(seen == std::set<std::uint64_t>{0, 1, 2, 3, 4});
  for (const double time : times) {
    REQUIRE(!heap.empty());
    CHECK(heap.next_time() == time);
    CHECK(heap.pop().time == time);
  }
  CHECK(heap.empty());
}

TEST_CASE("event heap: a shared heap pops by time, then member, then each member's own order", "[sim][heap]") {
  // Three sites share the heap (as the sites of a loop do, members in rank order); sources below 2^3. Its
  // buckets are finer (a sixteenth of a day for up to four members): times on and inside their bounds.
  EventHeap heap;
  heap.share(3, 3);
  std::mt19937 rng(11);
  struct Pushed {
    Event event;
    std::uint32_t member;
  };
  std::vector<Pushed> pending;
  std::vector<std::tuple<std::uint32_t, int, std::uint64_t>> popped, expected;
  std::uint64_t seq[8] = {};
  double now = 0;
  const auto pop_both = [&] {
    const std::uint32_t member = heap.next_member();
    const Event out = heap.pop();
    now = out.time;
    popped.emplace_back(member, out.source, out.seq);
    const auto first = std::min_element(pending.begin(), pending.end(), [](const Pushed& a, const Pushed& b) {
      if (a.event.time != b.event.time) return a.event.time < b.event.time;
      if (a.member != b.member) return a.member < b.member;
      return b.event.after(a.event);
    });
    expected.emplace_back(first->member, first->event.source, first->event.seq);
    pending.erase(first);
  };
  for (int i = 0; i < 4000; ++i) {
    Event e;
    e.source = static_cast<int>(rng() % 8);
    e.seq = seq[e.source]++;
    e.time = now + (rng() % 2 == 0 ? static_cast<double>(rng() % 40) / 16.0 : static_cast<double>(rng() % 5000) / 7.0);
    e.body = rng() % 2 == 0 ? EventBody(ev::Release{}) : EventBody(ev::CapacityTick{});
    const auto member = static_cast<std::uint32_t>(rng() % 3);
    pending.push_back({e, member});
    heap.push(Event(e), member);
    if (rng() % 3 == 0) pop_both();
  }
  // Each member's pending events, and only its own.
  for (std::uint32_t member = 0; member < 3; ++member) {
    std::set<std::pair<int, std::uint64_t>> mine, listed;
    for (const auto& p : pending)
      if (p.member == member) mine.emplace(p.event.source, p.event.seq);
    for (const Event* e : heap.pending(member)) listed.emplace(e->source, e->seq);
    CHECK(listed == mine);
  }
  while (!heap.empty()) pop_both();
  REQUIRE(popped.size() == 4000);
  CHECK(popped == expected);
}
