// Reading installs back from a replication's series: shared by the run summary and compare.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/config/date.hpp"
#include "sim/results/results.hpp"
#include "sim/results/series_codec.hpp"

namespace scsim::results {

// installed_cum at site ALL in the week holding `day`; the last week when the run stopped earlier (the total
// cannot change after the run ends), 0 without the series.
double installed_by(const scsim::ReplicationResult& r, double day) { return installed_by_days(r, {day}).front(); }

std::vector<double> installed_by_days(const scsim::ReplicationResult& r, const std::vector<double>& days) {
  const auto cumulative = find_series_values(r, "ALL", "installed_cum").value_or(std::vector<double>{});
  std::vector<double> out;
  out.reserve(days.size());
  for (double day : days) {
    const auto week = static_cast<std::size_t>(std::max(0.0, std::floor(day / 7.0)));
    out.push_back(cumulative.empty() ? 0.0 : cumulative[std::min(week, cumulative.size() - 1)]);
  }
  return out;
}

// Every Dec 31 within [day 0, horizon).
std::vector<YearEnd> year_ends(const std::string& start_date, double horizon_days) {
  std::vector<YearEnd> out;
  const auto start = config::parse_iso_date(start_date);
  if (!start) return out;
  for (int year = config::year_of(*start);; ++year) {
    const long dec31 = config::first_day_of_year(year + 1) - 1;
    const auto day = static_cast<double>(dec31 - *start);
    if (day >= horizon_days) break;
    if (day >= 0) out.push_back({config::format_iso_date(dec31), day});
  }
  return out;
}

std::string grouped(double value, int decimals) {
  if (std::isnan(value)) return "-";
  if (std::isinf(value)) return value > 0 ? "unlimited" : "-unlimited";
  const std::string digits = fmt::format("{:.{}f}", std::abs(value), decimals);
  const std::size_t point = digits.find('.');
  const std::string whole = digits.substr(0, point);
  std::string out;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += ',';
    out += whole[i];
  }
  if (point != std::string::npos) out += digits.substr(point);
  const bool zero = digits.find_first_not_of("0.") == std::string::npos;
  return (value < 0 && !zero ? "-" : "") + out;
}

}  // namespace scsim::results
