// Flow and level series: hand-computed weekly bins.
#include <catch2/catch.hpp>
#include <stdexcept>

#include "sim/stats/series.hpp"

using scsim::stats::FlowSeries;
using scsim::stats::LevelSeries;

TEST_CASE("stats: flow series sums amounts per week") {
  FlowSeries f;
  CHECK(f.values().empty());
  f.add(0.0, 3.0);
  f.add(6.999, 2.0);  // still week 0
  f.add(7.0, 1.0);    // first day of week 1
  f.add(22.5, 4.0);   // week 3; week 2 stays empty
  REQUIRE(f.values().size() == 4);
  CHECK(f.values()[0] == 5.0);
  CHECK(f.values()[1] == 1.0);
  CHECK(f.values()[2] == 0.0);
  CHECK(f.values()[3] == 4.0);
  CHECK(f.total() == 10.0);

  f.pad_to(6);
  REQUIRE(f.values().size() == 6);
  CHECK(f.values()[5] == 0.0);
  f.pad_to(2);  // never shrinks
  CHECK(f.values().size() == 6);
  CHECK(f.total() == 10.0);
}

TEST_CASE("stats: flow series with another bin width") {
  FlowSeries f(1.0);
  f.add(0.5, 1.0);
  f.add(2.0, 2.0);
  REQUIRE(f.values().size() == 3);
  CHECK(f.values()[0] == 1.0);
  CHECK(f.values()[1] == 0.0);
  CHECK(f.values()[2] == 2.0);
  CHECK_THROWS_AS(FlowSeries(0.0), std::invalid_argument);
}

TEST_CASE("stats: level series averages per week and overall") {
  // Level 2 on [0, 3), 5 on [3, 10); finished at day 10.
  LevelSeries l;
  l.set(0.0, 2.0);
  l.set(3.0, 5.0);
  CHECK(l.level() == 5.0);
  l.finish(10.0);
  REQUIRE(l.averages().size() == 2);
  CHECK(l.averages()[0] == Approx((2.0 * 3 + 5.0 * 4) / 7));
  CHECK(l.averages()[1] == Approx(5.0));  // over the covered part [7, 10)
  CHECK(l.time_average() == Approx((6.0 + 35.0) / 10));
}

TEST_CASE("stats: level series with deltas spanning several weeks") {
  // WIP: +3 at day 1, +1 at day 5, -2 at day 16, finished at day 21 (exactly three weeks).
  LevelSeries l;
  l.add(1.0, 3.0);
  l.add(5.0, 1.0);
  l.add(16.0, -2.0);
  CHECK(l.level() == 2.0);
  l.finish(21.0);
  REQUIRE(l.averages().size() == 3);
  CHECK(l.averages()[0] == Approx((3.0 * 4 + 4.0 * 2) / 7));  // 0 on [0,1), 3 on [1,5), 4 on [5,7)
  CHECK(l.averages()[1] == Approx(4.0));                      // 4 on [7,14)
  CHECK(l.averages()[2] == Approx((4.0 * 2 + 2.0 * 5) / 7));  // 4 on [14,16), 2 on [16,21)
  CHECK(l.time_average() == Approx((20.0 + 28.0 + 18.0) / 21));
}

TEST_CASE("stats: level series repeated changes on one day and quiet weeks") {
  LevelSeries l;
  l.set(2.0, 1.0);
  l.set(2.0, 7.0);  // same day: only the last value counts
  l.finish(30.0);   // weeks 0..3 full, week 4 covers [28, 30)
  REQUIRE(l.averages().size() == 5);
  CHECK(l.averages()[0] == Approx(7.0 * 5 / 7));
  CHECK(l.averages()[1] == Approx(7.0));
  CHECK(l.averages()[3] == Approx(7.0));
  CHECK(l.averages()[4] == Approx(7.0));
  CHECK(l.time_average() == Approx(7.0 * 28 / 30));
}

TEST_CASE("stats: level series finish can be extended") {
  LevelSeries l;
  l.set(0.0, 1.0);
  l.finish(7.0);
  REQUIRE(l.averages().size() == 1);
  CHECK(l.time_average() == Approx(1.0));
  l.set(7.0, 3.0);
  l.finish(14.0);
  REQUIRE(l.averages().size() == 2);
  CHECK(l.averages()[0] == Approx(1.0));
  CHECK(l.averages()[1] == Approx(3.0));
  CHECK(l.time_average() == Approx(2.0));
}

TEST_CASE("stats: level series finished at day 0") {
  LevelSeries l;
  l.set(0.0, 4.0);
  l.finish(0.0);
  CHECK(l.averages().empty());
  CHECK(l.time_average() == 4.0);
}
