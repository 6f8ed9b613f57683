#include "sim/scenario/scenario.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "sim/config/date.hpp"

namespace scsim::scenario {

double Schedule::rate_at(double day) const {
  return step_at(day).rate;
}

double Schedule::next_positive(double day) const {
  if (rate_at(day) > 0) return day;
  for (const auto& [from, value] : steps)
    if (from > day && value > 0) return from;
  return kNever;
}

double Schedule::first_positive_day() const {
  for (const auto& [from, value] : steps)
    if (value > 0) return std::max(0.0, from);
  return kNever;
}

bool Schedule::has_positive_step() const {
  return std::any_of(steps.begin(), steps.end(), [](const auto& step) { return step.second > 0; });
}

int Scenario::site_index(const std::string& site_name) const {
  for (std::size_t i = 0; i < sites.size(); ++i)
    if (sites[i].name == site_name) return static_cast<int>(i);
  return -1;
}

const std::string& Scenario::product_name(int product) const {
  static const std::string kNone;
  return product >= 0 && product < static_cast<int>(products.size()) ? products[static_cast<std::size_t>(product)].name
                                                                     : kNone;
}

double Scenario::input_quantity(int site, int product) const {
  for (const auto& input : sites[static_cast<std::size_t>(site)].inputs)
    if (input.product == product) return input.quantity;
  return 0.0;
}

double Scenario::day_of(const std::string& date) const {
  // An unset date, or a scenario without a calendar (a fragment that skipped validation), counts as day 0.
  if (date.empty() || start_date.empty()) return 0.0;
  const auto day = config::parse_iso_date(date);
  const auto start = config::parse_iso_date(start_date);
  if (!day) throw std::invalid_argument(fmt::format("not a date: '{}'", date));
  if (!start) throw std::invalid_argument(fmt::format("not a date: '{}'", start_date));
  return static_cast<double>(*day - *start);
}

std::string Scenario::date_of(double day) const {
  return config::date_after(start_date, day);
}

}  // namespace scsim::scenario
