// What a site spends in one replication, booked on the day it is incurred, by
// category: weekly (for the timeline) and by calendar year. A prepayment is
// spent when paid; the site's later purchases draw it down first. Plain C++.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"
#include "sim/stats/series.hpp"

namespace scsim::engine {

enum class Spend {
  kDesign,           // NRE and masks: tape-outs, respins, ports
  kWafers,           // logic wafers started
  kHbm,              // HBM stacks
  kSubstrates,       // substrates
  kPackaging,        // packages started
  kTakeOrPay,        // booked capacity not used
  kPrepayment,       // capacity prepaid on its booking date
  kDatacenterCapex,  // buildings, over their construction
  kPowerOpex,        // power drawn by installed accelerators
  kOther,            // any other priced unit (generic sites)
  kCount
};
const char* spend_name(Spend category);

// Calendar years of a scenario: the first day after each year (day offsets), the last ending at the horizon.
struct Years {
  std::vector<double> ends;         // day each year ends (exclusive), increasing; the last is the horizon
  std::vector<std::string> labels;  // "YYYY-12-31", or the horizon's date for the last
  static Years of(const scenario::Scenario& scenario);
  std::size_t index(double day) const;
};

class SpendBook {
 public:
  SpendBook(const Years* years, double horizon_days);

  // Spend `usd` on `day` (within the horizon; later days are outside the run).
  void add(double day, Spend category, double usd);
  // A purchase: drawn from the prepaid balance first, the rest spent.
  void purchase(double day, Spend category, double usd);
  void prepay(double day, double usd);
  // Spreads `usd` evenly over [from, to) (capex over construction).
  void spread(double from, double to, Spend category, double usd);

  bool any() const { return any_; }
  double total(Spend category) const { return totals_[static_cast<std::size_t>(category)]; }
  const stats::FlowSeries& weekly(Spend category) const { return weekly_[static_cast<std::size_t>(category)]; }
  const std::vector<double>& by_year() const { return by_year_; }

 private:
  const Years* years_;
  double horizon_;
  double prepaid_ = 0;
  bool any_ = false;
  std::array<double, static_cast<std::size_t>(Spend::kCount)> totals_{};
  std::array<stats::FlowSeries, static_cast<std::size_t>(Spend::kCount)> weekly_;
  std::vector<double> by_year_;
};

}  // namespace scsim::engine
