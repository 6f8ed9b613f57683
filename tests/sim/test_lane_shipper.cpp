// The lane shipper on its own (no SimGrid, no processes): shares held without splitting batches, cadence
// departures, and qualification holding goods until it passes.
#include <catch2/catch.hpp>

#include "sim/engine/lane_shipper.hpp"

using scsim::engine::Batch;
using scsim::engine::LaneShipper;

TEST_CASE("lane shipper: whole batches follow the shares exactly in the long run", "[sim][shipper]") {
  LaneShipper shipper;
  shipper.add({0, 1, 0.7, scsim::models::Fixed{0}, 0, std::nullopt, {}});
  shipper.add({1, 2, 0.3, scsim::models::Fixed{0}, 0, std::nullopt, {}});
  std::vector<double> sent(2, 0);
  for (int i = 0; i < 1000; ++i) sent[shipper.choose(10)] += 10;
  CHECK(sent[0] == 7000);
  CHECK(sent[1] == 3000);
}

TEST_CASE("lane shipper: a cadence holds batches for the next departure", "[sim][shipper]") {
  LaneShipper shipper;
  shipper.add({0, 1, 1.0, scsim::models::Fixed{3}, 7, std::nullopt, {}});
  const Batch a{.product = 0, .units = 5, .lots = 1, .origin_day = 2.0, .cost_usd = 10.0},
      b{.product = 0, .units = 4, .lots = 1, .origin_day = 1.0, .cost_usd = 8.0};
  const auto tick = shipper.hold(0, a, 2.5);
  REQUIRE(tick);
  CHECK(*tick == 7.0);
  CHECK_FALSE(shipper.hold(0, b, 3.0));  // a departure is already pending
  CHECK(shipper.held_units() == 9);
  const Batch held = shipper.take_held(0);
  CHECK(held.units == 9);
  CHECK(held.origin_day == 1.0);
  CHECK(held.cost_usd == 18.0);
  scsim::models::RandomStream stream(1);
  const auto shipment = shipper.ship(0, held, 7.0, stream);
  CHECK(shipment.arrive == 10.0);
  CHECK(shipment.to == 1);
}

TEST_CASE("lane shipper: qualification starts with the first shipment and holds goods until it passes",
          "[sim][shipper]") {
  LaneShipper shipper;
  scsim::scenario::Qualification q{scsim::models::Fixed{30}, 0.0, scsim::models::Fixed{0}, std::nullopt};
  shipper.add({0, 1, 1.0, scsim::models::Fixed{2}, 0, q, {}});
  scsim::models::RandomStream stream(1);
  shipper.draw_qualifications(stream);
  CHECK(shipper.ship(0, Batch{.product = 0, .units = 1}, 100.0, stream).arrive == 132.0);  // qualified on day 130
  CHECK(shipper.ship(0, Batch{.product = 0, .units = 1}, 110.0, stream).arrive == 132.0);  // still waiting for it
  CHECK(shipper.ship(0, Batch{.product = 0, .units = 1}, 140.0, stream).arrive == 142.0);
}
