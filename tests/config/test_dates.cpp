#include <catch2/catch.hpp>

#include "sim/config/date.hpp"
#include "sim/config/to_params.hpp"

using namespace scsim::config;

TEST_CASE("config: ISO dates parse strictly") {
  CHECK(parse_iso_date("1970-01-01") == 0L);
  CHECK(parse_iso_date("2024-02-29") == 19782L);  // leap day exists in 2024
  CHECK_FALSE(parse_iso_date("2025-02-29"));
  CHECK_FALSE(parse_iso_date("2025-13-01"));
  CHECK_FALSE(parse_iso_date("2025-1-01"));
  CHECK_FALSE(parse_iso_date("2025/01/01"));
  CHECK_FALSE(parse_iso_date(""));
}

TEST_CASE("config: day numbers and dates convert both ways") {
  CHECK(format_iso_date(19782) == "2024-02-29");
  CHECK(date_after("2024-07-01", 0) == "2024-07-01");
  CHECK(date_after("2024-07-01", 184.9) == "2025-01-01");
  CHECK(day_of("2025-01-01", "2024-07-01") == 184);
  CHECK(day_of("2024-01-01", "2024-07-01") == -182);
  CHECK_THROWS_WITH(day_of("tomorrow", "2024-07-01"), "not a date: 'tomorrow'");
}

// Fuzz finding: a start_date of "0551-06-01" validates, but the spend book stepped through years by building
// "552-01-01" and parsing it back, which threw mid-run. Years are stepped by day numbers now.
TEST_CASE("config: calendar years step by day numbers, also before 1000 and after 9999") {
  CHECK(first_day_of_year(1970) == 0L);
  CHECK(first_day_of_year(2025) == 20089L);
  CHECK(year_of(0) == 1970);
  CHECK(year_of(first_day_of_year(2025) - 1) == 2024);
  CHECK(year_of(*parse_iso_date("0551-06-01")) == 551);
  CHECK(format_iso_date(first_day_of_year(552) - 1) == "0551-12-31");
  CHECK(format_iso_date(first_day_of_year(10000)) == "10000-01-01");
  CHECK(format_iso_date(first_day_of_year(0)) == "0000-01-01");
}
