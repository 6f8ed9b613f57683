// Material in motion: a lot of wafers, a batch of dies, stacks or packages.
#pragma once

#include <cstdint>

namespace scsim::engine {

// The two ints side by side: 64 bytes, so that an event and its heap slot take two cache lines (EventHeap).
struct Batch {
  int product = -1;         // index into Scenario.products
  int risk_spin = -1;       // program: the design spin a risk start was made for (-1: volume)
  std::int64_t units = 0;   // wafers, dies, stacks, packages, accelerators
  std::int64_t lots = 1;    // release lots it stands for (for WIP in lots)
  double entered_day = 0;   // when it entered the current site (arrival or release)
  double origin_day = 0;    // release of the earliest wafer lot behind it (end-to-end lead time)
  std::int64_t lot_id = 0;  // per-site sequence number, for traces
  double cost_usd = 0;      // material and processing cost embodied in the batch so far
  std::int64_t started_units = 0;  // units when its lot started here (program: yield shortfalls are re-made)
};

}  // namespace scsim::engine
