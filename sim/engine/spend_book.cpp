#include "sim/engine/spend_book.hpp"

#include <algorithm>
#include <cmath>

#include "sim/config/date.hpp"

namespace scsim::engine {

const char* spend_name(Spend category) {
  static const char* const names[] = {"design",      "wafers",      "hbm",           "substrates",
                                      "packaging",   "take_or_pay", "prepayment",    "datacenter_capex",
                                      "power_opex",  "other"};
  return names[static_cast<std::size_t>(category)];
}

Years Years::of(const scenario::Scenario& scenario) {
  Years years;
  const auto start = config::parse_iso_date(scenario.start_date);
  if (!start) {
    years.ends.push_back(scenario.horizon_days);
    years.labels.push_back("");
    return years;
  }
  // Day numbers, not date strings: a start before year 1000 (which validation accepts as "0551-06-01") has no
  // four-digit spelling of the next new year's day, and parsing one threw mid-run (fuzz finding).
  for (int year = config::year_of(*start);; ++year) {
    const long new_year = config::first_day_of_year(year + 1);
    const double next = static_cast<double>(new_year - *start);
    if (next >= scenario.horizon_days) {
      years.ends.push_back(scenario.horizon_days);
      years.labels.push_back(scenario.date_of(scenario.horizon_days));
      break;
    }
    years.ends.push_back(next);
    years.labels.push_back(config::format_iso_date(new_year - 1));
  }
  return years;
}

std::size_t Years::index(double day) const {
  const auto it = std::upper_bound(ends.begin(), ends.end(), day);
  return std::min(static_cast<std::size_t>(it - ends.begin()), ends.size() - 1);
}

SpendBook::SpendBook(const Years* years, double horizon_days) : years_(years), horizon_(horizon_days) {
  for (auto& w : weekly_) w = stats::FlowSeries(scenario::kWeek);
  by_year_.assign(years_ ? years_->ends.size() : 1, 0.0);
}

void SpendBook::add(double day, Spend category, double usd) {
  if (!(usd != 0) || !(day < horizon_)) return;
  any_ = true;
  day = std::max(0.0, day);
  totals_[static_cast<std::size_t>(category)] += usd;
  weekly_[static_cast<std::size_t>(category)].add(day, usd);
  by_year_[years_ ? years_->index(day) : 0] += usd;
}

void SpendBook::purchase(double day, Spend category, double usd) {
  if (!(day < horizon_)) return;
  const double credit = std::min(prepaid_, usd);
  prepaid_ -= credit;
  add(day, category, usd - credit);
}

void SpendBook::prepay(double day, double usd) {
  if (!(day < horizon_)) return;
  prepaid_ += usd;
  add(day, Spend::kPrepayment, usd);
}

void SpendBook::spread(double from, double to, Spend category, double usd) {
  if (!(usd > 0)) return;
  if (!(to > from)) {
    add(from, category, usd);
    return;
  }
  // Week by week: each piece on the day its part of the interval starts.
  const double per_day = usd / (to - from);
  for (double day = from; day < to && day < horizon_;) {
    const double next = std::min(to, (std::floor(day / scenario::kWeek) + 1) * scenario::kWeek);
    add(day, category, per_day * (next - day));
    day = next;
  }
}

}  // namespace scsim::engine
