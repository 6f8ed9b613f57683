// EventHeap pops events in exactly Event::after's order (time, kind, source, sequence), ties included, also
// across the push count's wrap, when it numbers the pending keys again.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <vector>

#include "sim/engine/event.hpp"

using scsim::engine::Event;
using scsim::engine::EventHeap;
namespace ev = scsim::engine::ev;

namespace {

// Pushes `count` events with many ties (whole-day times, three kinds, four sources, each source numbering its
// events in push order as sites do), popping now and then, and returns the (source, seq) of each pop.
std::vector<std::pair<int, std::uint64_t>> run(EventHeap& heap, int count, std::vector<Event>& pushed) {
  std::mt19937 rng(7);
  std::uint64_t seq[4] = {0, 0, 0, 0};
  std::vector<std::pair<int, std::uint64_t>> popped;
  double now = 0;
  for (int i = 0; i < count; ++i) {
    const int source = static_cast<int>(rng() % 4);
    Event e;
    e.time = now + static_cast<double>(rng() % 5);
    e.source = source;
    e.seq = seq[source]++;
    switch (rng() % 3) {
      case 0: e.body = ev::Release{}; break;
      case 1: e.body = ev::Order{0, 1.0}; break;
      default: e.body = ev::CapacityTick{}; break;
    }
    pushed.push_back(e);
    heap.push(Event(e));
    if (rng() % 3 == 0) {
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
std::vector<std::pair<int, std::uint64_t>> reference(const std::vector<Event>& pushed, int count) {
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
    rng(); rng(); rng();
    pending.push_back(pushed[static_cast<std::size_t>(i)]);
    if (rng() % 3 == 0) pop();
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
