#include <catch2/catch.hpp>

#include "sim/config/loader.hpp"
#include "sim/config/uncertain_inputs.hpp"

TEST_CASE("config: uncertain inputs are the distributions with a finite range, named readably") {
  const auto scenario = scsim::config::load_scenario(std::string(SCSIM_TEST_DATA) + "/base.textproto",
                                                     {"lanes[1].transit_days={uniform { min: 3 max: 9 }}",
                                                      "lanes[0].transit_days={exponential { mean: 2 }}"});
  const auto inputs = scsim::config::uncertain_inputs(scenario);
  REQUIRE(inputs.size() == 2);
  CHECK(inputs[0].path == "sites[0].foundry.cycle_time_days");
  CHECK(inputs[0].label == "sites[name=fab].foundry.cycle_time_days");
  CHECK(inputs[0].low == 80);
  CHECK(inputs[0].high == 120);
  CHECK(inputs[0].shown == "tri(80, 100, 120)");
  // Lanes are named "FROM->TO" by default; an exponential has no upper end and is left out.
  CHECK(inputs[1].path == "lanes[1].transit_days");
  CHECK(inputs[1].label == "lanes[name=pack->dc].transit_days");
  CHECK(inputs[1].low == 3);
  CHECK(inputs[1].high == 9);
}
