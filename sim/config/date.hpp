// Calendar dates: ISO "YYYY-MM-DD" strings <-> day numbers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace scsim::config {

// Days since 1970-01-01 for a valid ISO date "YYYY-MM-DD", else nullopt
// (wrong shape, month 13, February 30…).
std::optional<long> parse_iso_date(std::string_view text);

// ISO date of a day number since 1970-01-01.
std::string format_iso_date(long days_since_epoch);

// Year of a day number since 1970-01-01 (proleptic Gregorian).
int year_of(long days_since_epoch);

// Day number of 1 January of `year`. With year_of, the way to step through
// calendar years without building date strings (years before 1000 or after
// 9999 have no four-digit ISO spelling).
long first_day_of_year(int year);

// ISO date `day` days after `start_date` (fractional days round down).
std::string date_after(const std::string& start_date, double day);

}  // namespace scsim::config
