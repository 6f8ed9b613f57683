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
