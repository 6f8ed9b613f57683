// The spend book's calendar years (Years::of): one bucket per calendar year from day 0 to the horizon, labelled by
// the year's last day, the last one by the horizon's date.
#include <catch2/catch.hpp>

#include "sim/engine/spend_book.hpp"

using scsim::engine::Years;

namespace {
scsim::scenario::Scenario calendar(const std::string& start_date, double horizon_days) {
  scsim::scenario::Scenario s;
  s.start_date = start_date;
  s.horizon_days = horizon_days;
  return s;
}
}  // namespace

TEST_CASE("spend years: calendar years from day 0 to the horizon") {
  const Years years = Years::of(calendar("2024-07-01", 600));
  CHECK(years.ends == std::vector<double>{184, 549, 600});
  CHECK(years.labels == std::vector<std::string>{"2024-12-31", "2025-12-31", "2026-02-21"});
  CHECK(years.index(0) == 0);
  CHECK(years.index(184) == 1);
  CHECK(years.index(599.5) == 2);
}

// Fuzz finding (fuzz/regressions/fuzz_start_before_year_1000.textproto): years were stepped by building
// "552-01-01" from "0551" and parsing it back, which threw "not a date" in every replication.
TEST_CASE("spend years: starts before year 1000 and horizons past 9999") {
  const Years early = Years::of(calendar("0551-06-01", 400));
  CHECK(early.ends == std::vector<double>{214, 400});
  CHECK(early.labels == std::vector<std::string>{"0551-12-31", "0552-07-05"});

  const Years late = Years::of(calendar("9999-06-01", 400));
  CHECK(late.ends == std::vector<double>{214, 400});
  CHECK(late.labels == std::vector<std::string>{"9999-12-31", "10000-07-05"});
}

TEST_CASE("spend years: without a calendar, one bucket") {
  const Years years = Years::of(calendar("", 100));
  CHECK(years.ends == std::vector<double>{100});
  CHECK(years.labels == std::vector<std::string>{""});
}
