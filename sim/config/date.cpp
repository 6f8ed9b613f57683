#include "sim/config/date.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <stdexcept>

namespace scsim::config {

namespace chr = std::chrono;

std::optional<long> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto digits = [&](std::size_t from, std::size_t count) -> std::optional<int> {
    int value = 0;
    for (std::size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const auto y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  if (!y || !m || !d) return std::nullopt;
  const chr::year_month_day ymd{chr::year{*y}, chr::month{static_cast<unsigned>(*m)},
                                chr::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<long>(chr::sys_days{ymd}.time_since_epoch().count());
}

std::string format_iso_date(long days_since_epoch) {
  const chr::year_month_day ymd{chr::sys_days{chr::days{days_since_epoch}}};
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

int year_of(long days_since_epoch) {
  return static_cast<int>(chr::year_month_day{chr::sys_days{chr::days{days_since_epoch}}}.year());
}

long first_day_of_year(int year) {
  return static_cast<long>(chr::sys_days{chr::year{year} / chr::January / 1}.time_since_epoch().count());
}

std::string date_after(const std::string& start_date, double day) {
  const auto start = parse_iso_date(start_date);
  if (!start) throw std::invalid_argument(fmt::format("not a date: '{}'", start_date));
  return format_iso_date(*start + static_cast<long>(std::floor(day)));
}

}  // namespace scsim::config
