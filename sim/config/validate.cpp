#include "sim/config/validate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <set>

#include "models/wafer.hpp"
#include "sim/config/date.hpp"
#include "sim/config/field_checks.hpp"
#include "sim/config/resolve.hpp"
#include "sim/engine/station_route.hpp"
#include "sim/kinds/kind.hpp"
#include "sim/config/to_params.hpp"
#include "sim/network/supply_network.hpp"

namespace scsim::config {

namespace {

// Upper bounds beyond field_checks.hpp's (Range, kMaxDays, kMaxRatePerWeek, kMaxUsd).
// Weekly series hold one value per site, metric and week of the horizon.
constexpr double kMaxSiteWeeks = 2e6;
// Lots a source may release over the horizon: each costs about ten events, and
// a replication stops at --max-events (default 200,000,000).
constexpr double kMaxLots = 2e7;
// Server-days a station's lots keep it busy (its weekly utilization series and
// the loop filling it reach that far, past the horizon when a queue builds up).
constexpr double kMaxBusyDays = 1e8;
// Names become file names, host names and CSV cells.
constexpr std::size_t kMaxNameLength = 64;

bool is_identifier(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

class Validator final : public FieldChecks {
public:
  explicit Validator(const scsim::Scenario& scenario) : scenario_(scenario) {
    for (const auto& product : scenario.products()) products_[product.name()] = &product;
    for (const auto& site : scenario.sites()) sites_[site.name()] = &site;
    for (const auto& lane : scenario.lanes()) lanes_.insert(lane.name());
  }

  Problems run() {
    check_scenario();
    for (int i = 0; i < scenario_.products_size(); ++i) check_product(fmt::format("products[{}]", i), i);
    for (int i = 0; i < scenario_.sites_size(); ++i) check_site(fmt::format("sites[{}]", i), i);
    for (int i = 0; i < scenario_.lanes_size(); ++i) check_lane(fmt::format("lanes[{}]", i), i);
    for (int i = 0; i < scenario_.disruptions_size(); ++i)
      check_disruption(fmt::format("disruptions[{}]", i), scenario_.disruptions(i));
    if (scenario_.has_demand()) check_demand("demand", scenario_.demand());
    if (scenario_.has_program()) check_program("program", scenario_.program());
    if (scenario_.has_money()) {
      const double rate = scenario_.money().discount_rate_per_year();
      if (!(rate >= 0 && rate < 1))
        report("money.discount_rate_per_year", "must be in [0, 1) (got {:g})", rate);
    }
    if (scenario_.has_budget()) check_budget("budget", scenario_.budget());
    check_text(scenario_, "");
    if (problems_.empty()) check_work();
    return std::move(problems_);
  }

  // --- FieldChecks, for the kind modules ------------------------------------
  void problem(const std::string& path, const std::string& message) override { problems_.push_back({path, message}); }
  bool has_product(const std::string& product) const override { return products_.count(product) > 0; }
  bool has_program() const override { return scenario_.has_program(); }
  double horizon_days() const override { return scenario_.horizon_days(); }
  void check_lots(const std::string& path, double lots, const char* fix) override {
    if (!(lots <= kMaxLots)) too_many_lots(path, lots, fix);
  }

private:
  template <typename... Args>
  void report(const std::string& path, fmt::format_string<Args...> format, Args&&... args) {
    problems_.push_back({path, fmt::format(format, std::forward<Args>(args)...)});
  }

  static std::string join(const std::string& path, const char* field) { return path + "." + field; }

  // --- scalar checks ------------------------------------------------------

  // The bound checks take the upper limit and why it is there; NaN fails every check.
  bool at_most(const std::string& path, double value, double max, const char* why) {
    if (value <= max) return true;
    report(path, "must be at most {} ({}) (got {:g})", grouped(max), why, value);
    return false;
  }
  bool positive(const std::string& path, double value, double max, const char* why) override {
    if (!(value > 0)) {
      report(path, "must be > 0 (got {:g})", value);
      return false;
    }
    return at_most(path, value, max, why);
  }
  bool non_negative(const std::string& path, double value, double max, const char* why) override {
    if (!(value >= 0)) {
      report(path, "must be >= 0 (got {:g})", value);
      return false;
    }
    return at_most(path, value, max, why);
  }
  bool at_least_one(const std::string& path, long long value, long long max, const char* why) override {
    if (value < 1) {
      report(path, "must be >= 1 (got {})", value);
      return false;
    }
    if (value <= max) return true;
    report(path, "must be at most {} ({}) (got {})", grouped(static_cast<double>(max)), why, value);
    return false;
  }
  void days(const std::string& path, double value, bool strictly_positive) override {
    if (strictly_positive)
      positive(path, value, kMaxDays, "days; longer than 2,700 years is a typo");
    else
      non_negative(path, value, kMaxDays, "days; longer than 2,700 years is a typo");
  }
  // 1000000 -> "1,000,000"; 1e15 -> "1e+15".
  static std::string grouped(double value) {
    if (!(std::abs(value) < 1e13) || value != std::floor(value)) return fmt::format("{:g}", value);
    std::string digits = fmt::format("{:.0f}", std::abs(value)), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
      if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
      out += digits[i];
    }
    return (value < 0 ? "-" : "") + out;
  }
  void probability(const std::string& path, double value) override {
    if (!(value >= 0 && value <= 1)) report(path, "must be in [0, 1] (got {:g})", value);
  }
  void date(const std::string& path, const std::string& value) override {
    if (!parse_iso_date(value)) report(path, "is not a date YYYY-MM-DD (got '{}')", value);
  }
  void name(const std::string& path, bool has, const std::string& value, const char* what,
            std::set<std::string>& seen) override {
    if (!has || value.empty()) {
      report(path, "is required: every {} needs a name", what);
      return;
    }
    if (!is_identifier(value)) report(path, "must use only a-z, 0-9 and _ (got '{}')", value);
    else if (value.size() > kMaxNameLength)
      report(path, "must be at most {} characters: names become file and host names (got {})", kMaxNameLength,
             value.size());
    if (!seen.insert(value).second) report(path, "duplicate {} name '{}'", what, value);
  }
  void product_ref(const std::string& path, const std::string& value) {
    if (value.empty())
      report(path, "is required");
    else if (!products_.count(value))
      report(path, "unknown product '{}'", value);
  }
  const scsim::Site* site_ref(const std::string& path, const std::string& value) override {
    if (value.empty()) {
      report(path, "is required");
      return nullptr;
    }
    const auto found = sites_.find(value);
    if (found == sites_.end()) {
      report(path, "unknown site '{}'", value);
      return nullptr;
    }
    return found->second;
  }

  // --- distributions ------------------------------------------------------

  // Checks a Dist's own consistency, then that its values fit `range`.
  // True when it is present and fine (or absent and optional).
  bool dist(const std::string& path, bool has, const scsim::Dist& value, Range range, bool required) override {
    if (!has || value.kind_case() == scsim::Dist::KIND_NOT_SET) {
      if (required)
        report(path, "is required: set one of fixed, uniform, triangular, pert, normal, lognormal, exponential, "
                     "empirical");
      return !required;
    }
    if (!dist_shape_ok(path, value)) return false;
    const std::size_t before = problems_.size();
    const auto model = to_dist(value);
    const double lo = models::lower_bound(model), hi = models::upper_bound(model), mean = models::mean(model);
    const std::string shown = models::describe(model);
    // The typical size of a draw: its mean, its spread, and its largest value when that is finite.
    double size = std::abs(mean);
    if (value.kind_case() == scsim::Dist::kNormal) size = std::max(size, value.normal().sd());
    if (value.kind_case() == scsim::Dist::kLognormal) size = std::max(size, value.lognormal().sd());
    if (std::isfinite(hi)) size = std::max(size, std::abs(hi));
    if (std::isfinite(lo)) size = std::max(size, std::abs(lo));
    switch (range) {
      case Range::kDuration:
        if (lo < 0) report(path, "durations cannot be negative (got {})", shown);
        else if (required && !(mean > 0)) report(path, "must be > 0 days (got {})", shown);
        else if (!(size <= kMaxDays))
          report(path, "durations must stay within {} days, longer than 2,700 years is a typo (got {})",
                 grouped(kMaxDays), shown);
        break;
      case Range::kPositive:
        if (!(lo > 0) && !(value.kind_case() == scsim::Dist::kLognormal || value.kind_case() == scsim::Dist::kExponential))
          report(path, "must be > 0 (got {})", shown);
        else if (!(size <= 1e6)) report(path, "must stay within 1,000,000 (got {})", shown);
        break;
      case Range::kProbability:
        if (lo < 0 || hi > 1) report(path, "must lie in [0, 1] (got {})", shown);
        break;
      case Range::kYield:
        if (lo < 0 || hi > 1 || !(mean > 0)) report(path, "must lie in (0, 1] (got {})", shown);
        break;
    }
    return problems_.size() == before;
  }

  // Every parameter a number; only a normal's truncation bounds may be infinite (unbounded).
  void finite(const std::string& path, double value) {
    if (!std::isfinite(value)) report(path, "must be a finite number (got {:g})", value);
  }
  void finite_or_infinite(const std::string& path, double value) {
    if (std::isnan(value)) report(path, "must be a number or inf (got {:g})", value);
  }

  bool dist_shape_ok(const std::string& path, const scsim::Dist& value) {
    const std::size_t before = problems_.size();
    switch (value.kind_case()) {
      case scsim::Dist::kFixed:
        if (!std::isfinite(value.fixed())) report(path + ".fixed", "must be a finite number (got {:g})", value.fixed());
        break;
      case scsim::Dist::kUniform:
        finite(path + ".uniform.min", value.uniform().min());
        finite(path + ".uniform.max", value.uniform().max());
        if (problems_.size() == before && !(value.uniform().min() <= value.uniform().max()))
          report(path + ".uniform", "needs min <= max (got {:g}, {:g})", value.uniform().min(), value.uniform().max());
        break;
      case scsim::Dist::kTriangular: {
        const auto& t = value.triangular();
        finite(path + ".triangular.min", t.min());
        finite(path + ".triangular.mode", t.mode());
        finite(path + ".triangular.max", t.max());
        if (problems_.size() == before && !(t.min() <= t.mode() && t.mode() <= t.max() && t.min() < t.max()))
          report(path + ".triangular", "needs min <= mode <= max and min < max (got {:g}, {:g}, {:g})", t.min(),
                 t.mode(), t.max());
        break;
      }
      case scsim::Dist::kPert: {
        const auto& p = value.pert();
        finite(path + ".pert.min", p.min());
        finite(path + ".pert.mode", p.mode());
        finite(path + ".pert.max", p.max());
        if (problems_.size() == before && !(p.min() <= p.mode() && p.mode() <= p.max() && p.min() < p.max()))
          report(path + ".pert", "needs min <= mode <= max and min < max (got {:g}, {:g}, {:g})", p.min(), p.mode(),
                 p.max());
        if (!(p.lambda() > 0 && p.lambda() <= 1000))
          report(path + ".pert.lambda", "must be > 0 and at most 1,000 (got {:g})", p.lambda());
        break;
      }
      case scsim::Dist::kNormal: {
        const auto& n = value.normal();
        finite(path + ".normal.mean", n.mean());
        finite(path + ".normal.sd", n.sd());
        finite_or_infinite(path + ".normal.min", n.min());
        finite_or_infinite(path + ".normal.max", n.max());
        if (!(n.sd() >= 0)) report(path + ".normal.sd", "must be >= 0 (got {:g})", n.sd());
        if (!std::isnan(n.min()) && !std::isnan(n.max()) && !(n.min() < n.max()))
          report(path + ".normal", "needs min < max (got {:g}, {:g})", n.min(), n.max());
        break;
      }
      case scsim::Dist::kLognormal: {
        const auto& l = value.lognormal();
        if (!(l.mean() > 0 && std::isfinite(l.mean())))
          report(path + ".lognormal.mean", "must be a finite number > 0 (got {:g})", l.mean());
        if (!(l.sd() >= 0 && std::isfinite(l.sd())))
          report(path + ".lognormal.sd", "must be a finite number >= 0 (got {:g})", l.sd());
        else if (l.mean() > 0 && !(l.sd() <= 1000 * l.mean()))
          report(path + ".lognormal.sd", "must be at most 1,000 times the mean (got sd {:g}, mean {:g})", l.sd(),
                 l.mean());
        break;
      }
      case scsim::Dist::kExponential:
        if (!(value.exponential().mean() > 0 && std::isfinite(value.exponential().mean())))
          report(path + ".exponential.mean", "must be a finite number > 0 (got {:g})", value.exponential().mean());
        break;
      case scsim::Dist::kEmpirical: {
        const auto& e = value.empirical();
        if (e.values_size() == 0) {
          report(path + ".empirical.values", "needs at least one value");
          break;
        }
        if (e.weights_size() != 0 && e.weights_size() != e.values_size()) {
          report(path + ".empirical.weights", "needs one weight per value ({} values, got {} weights)",
                 e.values_size(), e.weights_size());
          break;
        }
        for (int i = 0; i < e.values_size(); ++i)
          if (!std::isfinite(e.values(i))) {
            report(path + ".empirical.values", "must be finite numbers (got {:g} as value {})", e.values(i), i + 1);
            break;
          }
        double sum = 0;
        for (double w : e.weights()) {
          if (!(w >= 0 && w <= 1e12)) {
            report(path + ".empirical.weights", "must be >= 0 and at most 1e12 (got {:g})", w);
            break;
          }
          sum += w;
        }
        if (e.weights_size() != 0 && problems_.size() == before && !(sum > 0))
          report(path + ".empirical.weights", "must not all be 0");
        break;
      }
      case scsim::Dist::KIND_NOT_SET:
        break;
    }
    return problems_.size() == before;
  }

  // --- schedules and stations ---------------------------------------------

  void schedule(const std::string& path, bool has, const scsim::Schedule& value) override {
    if (!has || value.steps_size() == 0) {
      report(path, "is required: give at least one step {{ from_date: \"YYYY-MM-DD\" rate: N }}");
      return;
    }
    std::optional<long> previous;
    for (int i = 0; i < value.steps_size(); ++i) {
      const auto& step = value.steps(i);
      const std::string step_path = fmt::format("{}.steps[{}]", path, i);
      const auto day = parse_iso_date(step.from_date());
      if (!day) {
        report(step_path + ".from_date", "is not a date YYYY-MM-DD (got '{}')", step.from_date());
      } else {
        if (previous && *day <= *previous)
          report(step_path + ".from_date", "steps must be in increasing date order (got '{}' after '{}')",
                 step.from_date(), value.steps(i - 1).from_date());
        previous = day;
      }
      if (!step.has_rate())
        report(step_path + ".rate", "is required");
      else
        non_negative(step_path + ".rate", step.rate(), kMaxRatePerWeek, "per week");
    }
  }

  void stations(const std::string& path, const google::protobuf::RepeatedPtrField<scsim::Station>& list) override {
    for (int i = 0; i < list.size(); ++i) {
      const std::string station_path = fmt::format("{}[{}]", path, i);
      at_least_one(station_path + ".servers", list[i].servers(), 10000,
                   "parallel servers of one station; each lot looks at every one");
      dist(station_path + ".process_time_days", list[i].has_process_time_days(), list[i].process_time_days(),
           Range::kDuration, true);
    }
  }

  // --- messages ------------------------------------------------------------

  void check_scenario() {
    if (!scenario_.has_name())
      report("name", "is required: a short identifier for outputs");
    else if (!is_identifier(scenario_.name()))
      report("name", "must use only a-z, 0-9 and _ (got '{}')", scenario_.name());
    else if (scenario_.name().size() > kMaxNameLength)
      report("name", "must be at most {} characters: it names the output folder (got {})", kMaxNameLength,
             scenario_.name().size());
    if (!scenario_.has_start_date())
      report("start_date", "is required: day 0 as YYYY-MM-DD");
    else
      date("start_date", scenario_.start_date());
    days("horizon_days", scenario_.horizon_days(), true);
    at_least_one("replications", scenario_.replications(), 1000000, "as for -r");
    if (scenario_.seed() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      report("seed", "must be at most 2^63-1 = 9223372036854775807, as for --seed (got {})", scenario_.seed());
    if (scenario_.products_size() == 0) report("products", "at least one product is required");
    if (scenario_.sites_size() == 0) report("sites", "at least one site is required");
  }

  void check_product(const std::string& path, int index) {
    const auto& product = scenario_.products(index);
    name(join(path, "name"), product.has_name(), product.name(), "product", product_names_);
    for (int i = 0; i < product.bom_size(); ++i) {
      const std::string line = fmt::format("{}.bom[{}]", path, i);
      product_ref(line + ".product", product.bom(i).product());
      if (product.bom(i).product() == product.name() && !product.name().empty())
        report(line + ".product", "a product cannot be an input of itself ('{}')", product.name());
      positive(line + ".quantity", product.bom(i).quantity(), 1e6, "units of the input per unit made");
    }
  }

  bool product_has_bom(const std::string& product) const override {
    const auto found = products_.find(product);
    return found != products_.end() && found->second->bom_size() > 0;
  }

  void check_site(const std::string& path, int index) {
    const auto& site = scenario_.sites(index);
    name(join(path, "name"), site.has_name(), site.name(), "site", site_names_);
    const auto [kind, message, kind_name] = kind_of(site);
    if (kind == nullptr) {
      std::string names;
      for (const auto* k : kinds::all_kinds()) names += (names.empty() ? "" : ", ") + std::string(k->name());
      report(path, "site '{}' needs a kind: one of {}", site.name(), names);
      return;
    }
    if (kind->role(false) == scenario::Role::kDesign) {
      if (site.has_product()) report(join(path, "product"), "a design site makes no product (got '{}')", site.product());
    } else if (!site.has_product()) {
      report(join(path, "product"), "is required for a {} site", kind_name);
    } else {
      product_ref(join(path, "product"), site.product());
    }
    if (products_.count(site.product())) {
      if (kind->bom() == kinds::Kind::Bom::kRequired && !product_has_bom(site.product()))
        report(join(path, "product"), "a {} site assembles its product, but product '{}' has no bom", kind_name,
               site.product());
      if (kind->bom() == kinds::Kind::Bom::kForbidden && product_has_bom(site.product()))
        report(join(path, "product"), "a {} site makes its product from {}, but product '{}' has a bom", kind_name,
               kind->raw_material(), site.product());
    }
    kind->check(*message, path + "." + kind_name, site.product(), *this);
  }

  void check_lane(const std::string& path, int index) {
    const auto& lane = scenario_.lanes(index);
    if (!lane_names_.insert(lane.name()).second) report(join(path, "name"), "duplicate lane name '{}'", lane.name());
    site_ref(join(path, "from"), lane.from());
    site_ref(join(path, "to"), lane.to());
    if (!lane.from().empty() && lane.from() == lane.to())
      report(join(path, "to"), "a lane cannot end where it starts ('{}')", lane.to());
    product_ref(join(path, "product"), lane.product());
    dist(join(path, "transit_days"), lane.has_transit_days(), lane.transit_days(), Range::kDuration, false);
    days(join(path, "cadence_days"), lane.cadence_days(), false);
    if (lane.has_share() && !(lane.share() > 0 && lane.share() <= 1))
      report(join(path, "share"), "must be in (0, 1] (got {:g})", lane.share());
    // Under a program orders travel up every lane, closing loops with it: they need a delay, and one the engine
    // can step by (it advances in windows no longer than the shortest delay on a loop).
    if (lane.has_order_days()) {
      days(join(path, "order_days"), lane.order_days(), scenario_.has_program());
    }
    if (lane.has_order_share()) {
      if (!scenario_.has_program())
        report(join(path, "order_share"), "is read only under a program: add `program {{ }}` to the scenario");
      else if (!(lane.order_share() >= 0 && lane.order_share() <= 1))
        report(join(path, "order_share"), "must be in [0, 1] (got {:g})", lane.order_share());
    }
  }

  void check_disruption(const std::string& path, const scsim::Disruption& disruption) {
    name(join(path, "name"), disruption.has_name(), disruption.name(), "disruption", disruption_names_);
    if (disruption.has_region()) {
      bool any = false;
      for (const auto& site : scenario_.sites()) any = any || site.region() == disruption.region();
      if (!any) report(join(path, "region"), "no site is in region '{}'", disruption.region());
      if (disruption.has_target())
        report(join(path, "target"), "give either target or region, not both (got '{}')", disruption.target());
    } else if (!disruption.has_target()) {
      report(join(path, "target"), "is required: a site or lane name (or set region)");
    } else if (!sites_.count(disruption.target()) && !lanes_.count(disruption.target())) {
      report(join(path, "target"), "unknown site or lane '{}'", disruption.target());
    }
    switch (disruption.when_case()) {
      case scsim::Disruption::kStartDate: date(join(path, "start_date"), disruption.start_date()); break;
      case scsim::Disruption::kRatePerYear:
        positive(join(path, "rate_per_year"), disruption.rate_per_year(), 1000,
                 "more often than about three a day is not a disruption");
        break;
      case scsim::Disruption::WHEN_NOT_SET:
        report(path, "needs start_date (scheduled) or rate_per_year (random)");
        break;
    }
    dist(join(path, "duration_days"), disruption.has_duration_days(), disruption.duration_days(), Range::kDuration,
         true);
    probability(join(path, "capacity_factor"), disruption.capacity_factor());
    probability(join(path, "scrap_fraction"), disruption.scrap_fraction());
  }

  // --- free text: no control characters ------------------------------------

  // Every text field (descriptions, companies, regions, lane and station names,
  // dates) is printed by validate and written to CSV: a newline would split a
  // row, an escape sequence would drive the terminal.
  void check_text(const google::protobuf::Message& message, const std::string& path) {
    const auto* descriptor = message.GetDescriptor();
    const auto* reflection = message.GetReflection();
    for (int f = 0; f < descriptor->field_count(); ++f) {
      const auto* field = descriptor->field(f);
      const std::string here = path.empty() ? field->name() : path + "." + field->name();
      using F = google::protobuf::FieldDescriptor;
      if (field->is_repeated()) {
        const int n = reflection->FieldSize(message, field);
        for (int i = 0; i < n; ++i) {
          const std::string element = fmt::format("{}[{}]", here, i);
          if (field->cpp_type() == F::CPPTYPE_MESSAGE)
            check_text(reflection->GetRepeatedMessage(message, field, i), element);
          else if (field->cpp_type() == F::CPPTYPE_STRING)
            text(element, reflection->GetRepeatedString(message, field, i));
        }
      } else if (reflection->HasField(message, field)) {
        if (field->cpp_type() == F::CPPTYPE_MESSAGE) check_text(reflection->GetMessage(message, field), here);
        else if (field->cpp_type() == F::CPPTYPE_STRING) text(here, reflection->GetString(message, field));
      }
    }
  }
  void text(const std::string& path, const std::string& value) {
    for (const char c : value)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
        for (const auto& problem : problems_)
          if (problem.path == path) return;  // already refused (a name that is not an identifier)
        report(path, "must not contain control characters or newlines (got '{}')", value);
        return;
      }
  }

  // --- work: what a replication must simulate, estimated up front ----------

  void check_work() {
    const double horizon = scenario_.horizon_days();
    const double site_weeks = std::ceil(horizon / 7.0) * static_cast<double>(scenario_.sites_size());
    if (site_weeks > kMaxSiteWeeks)
      report("horizon_days", "{:g} days x {} sites is {} site-weeks of weekly series; at most {} fit in memory and "
             "outputs (shorten the horizon)", horizon, scenario_.sites_size(), grouped(site_weeks),
             grouped(kMaxSiteWeeks));
    for (int i = 0; i < scenario_.sites_size(); ++i) {
      const auto [kind, message, kind_name] = kind_of(scenario_.sites(i));
      if (kind != nullptr) kind->check_work(*message, fmt::format("sites[{}].{}", i, kind_name), *this);
    }
  }

  // A schedule of starts per week released in lots of `lot_size`: at most its
  // highest rate for the whole horizon.
  // Returns the estimate.
  double schedule_lots(const std::string& path, const scsim::Schedule& schedule, int lot_size, const char* unit) override {
    int top = 0;
    for (int i = 1; i < schedule.steps_size(); ++i)
      if (schedule.steps(i).rate() > schedule.steps(top).rate()) top = i;
    if (schedule.steps_size() == 0) return 0;
    const double lots = schedule.steps(top).rate() / lot_size * scenario_.horizon_days() / 7.0;
    if (!(lots <= kMaxLots))
      too_many_lots(fmt::format("{}.steps[{}].rate", path, top), lots,
                    *unit ? "lower the rate or raise the lot size" : "lower the rate");
    return lots;
  }

  // A station's busy periods are tracked week by week, also past the horizon
  // when a queue has built up: their total length, about `lots` x the mean
  // process time / servers, bounds both the memory and the time that takes.
  void station_work(const std::string& path, const google::protobuf::RepeatedPtrField<scsim::Station>& stations,
                    double lots) override {
    if (!(lots <= kMaxLots)) return;  // already refused
    for (int i = 0; i < stations.size(); ++i) {
      const double mean = expected(stations[i].process_time_days());
      const double busy = lots * mean / stations[i].servers();
      if (!(busy <= kMaxBusyDays))
        report(fmt::format("{}[{}].process_time_days", path, i),
               "keeps its servers busy for about {} days ({} lots x {:g} days / {} servers); at most {} can be "
               "simulated (a queue's busy periods are tracked week by week)",
               grouped(std::round(busy)), grouped(std::round(lots)), mean, stations[i].servers(),
               grouped(kMaxBusyDays));
    }
  }

  void too_many_lots(const std::string& path, double lots, const char* fix) {
    report(path, "releases up to {} lots over the {:g}-day horizon; a replication simulates at most {} ({})",
           grouped(std::round(lots)), scenario_.horizon_days(), grouped(kMaxLots), fix);
  }

  void check_program(const std::string& path, const scsim::Program& program) {
    // The plan is made from the target: without one there is nothing to order.
    if (!scenario_.has_demand() || !scenario_.demand().has_target_units())
      report(path, "needs demand.target_units: the build plan orders towards the target");
    non_negative(join(path, "weeks_of_supply"), program.weeks_of_supply(), 1000, "weeks");
    days(join(path, "review_days"), program.review_days(), true);
    // Each review is an event: like releases, bounded up front rather than by --max-events mid-run.
    const double horizon = scenario_.horizon_days();
    if (program.review_days() > 0 && horizon > 0 && horizon <= kMaxDays) {
      const double reviews = horizon / program.review_days();
      if (!(reviews <= kMaxLots))
        report(join(path, "review_days"),
               "reviews the plan {} times over the {:g}-day horizon; a replication simulates at most {} (raise "
               "review_days)",
               grouped(std::round(reviews)), horizon, grouped(kMaxLots));
    }
    days(join(path, "late_grace_days"), program.late_grace_days(), false);
    days(join(path, "order_days"), program.order_days(), true);
  }

  void check_budget(const std::string& path, const scsim::Budget& budget) {
    // Only the program's orders can respect a cap.
    if (!scenario_.has_program()) report(path, "needs a program: the build plan's orders are what the cap limits");
    if (!budget.has_total_usd() && !budget.has_per_year_usd())
      report(path, "set total_usd, per_year_usd or both");
    if (budget.has_total_usd()) positive(join(path, "total_usd"), budget.total_usd(), kMaxUsd * 1e6, "USD");
    if (budget.has_per_year_usd()) positive(join(path, "per_year_usd"), budget.per_year_usd(), kMaxUsd * 1e6, "USD");
  }

  void check_demand(const std::string& path, const scsim::Demand& demand) {
    product_ref(join(path, "product"), demand.product());
    if (!demand.has_target_units())
      report(join(path, "target_units"), "is required");
    else if (demand.target_units() <= 0)
      report(join(path, "target_units"), "must be > 0 (got {})", demand.target_units());
    else if (demand.target_units() > 1000000000000LL)
      report(join(path, "target_units"), "must be at most 1,000,000,000,000 (a trillion accelerators) (got {})",
             demand.target_units());
    if (demand.has_due_date()) date(join(path, "due_date"), demand.due_date());
  }

  const scsim::Scenario& scenario_;
  std::map<std::string, const scsim::Product*> products_;
  std::map<std::string, const scsim::Site*> sites_;
  std::set<std::string> lanes_;
  std::set<std::string> product_names_, site_names_, lane_names_, disruption_names_;
  Problems problems_;
};

// Lot-days an overloaded station's queue may hold over the horizon: the engine
// integrates every lot's time in the system week by week, so this is also the
// time that takes (1e9 lot-days: a few seconds).
constexpr double kMaxQueueLotDays = 1e9;

}  // namespace

Problems validate_fields(const scsim::Scenario& scenario) { return Validator(scenario).run(); }

Problems check_queues(const scsim::Scenario& message, const network::Analysis& analysis) {
  // Each kind says which station route its lots queue for and how many lots a week reach it at most.
  const scenario::Scenario scenario = resolve(message);
  std::map<std::string, double> output;  // good units per week at steady state, by site
  for (const auto& site : analysis.sites) output[site.site] = site.output_per_week;
  std::vector<int> by_file(scenario.sites.size());
  for (std::size_t i = 0; i < scenario.sites.size(); ++i) by_file[i] = static_cast<int>(i);
  std::sort(by_file.begin(), by_file.end(), [&](int a, int b) {
    return scenario.sites[static_cast<std::size_t>(a)].file_index < scenario.sites[static_cast<std::size_t>(b)].file_index;
  });
  const double horizon = scenario.horizon_days;
  Problems problems;
  for (const int i : by_file) {
    const auto& site = scenario.sites[static_cast<std::size_t>(i)];
    std::vector<double> supply(scenario.products.size(), 0.0);  // units per week the lanes into the site bring
    for (const auto& lane : scenario.lanes)
      if (lane.to == i) {
        const auto found = output.find(scenario.sites[static_cast<std::size_t>(lane.from)].name);
        if (found != output.end()) supply[static_cast<std::size_t>(lane.product)] += lane.share * found->second;
      }
    const auto load = site.kind->route_load(site, supply);
    if (!load || load->stations->empty() || !(load->lots_per_week > 0) || std::isinf(load->lots_per_week)) continue;
    std::size_t slowest = 0;
    double capacity = std::numeric_limits<double>::infinity();  // lots per week of the slowest station
    for (std::size_t k = 0; k < load->stations->size(); ++k) {
      const auto& station = (*load->stations)[k];
      const double rate = station.servers * 7.0 / models::mean(station.process_time_days);
      if (rate < capacity) capacity = rate, slowest = k;
    }
    const double arriving = load->lots_per_week;
    // Past capacity the queue grows by (arriving - capacity) lots a week: its
    // lot-days over the horizon are that rate times horizon² / 2.
    const double lot_days = (arriving - capacity) / 7.0 * horizon * horizon / 2.0;
    if (lot_days > kMaxQueueLotDays)
      problems.push_back(
          {fmt::format("sites[{}].{}[{}].process_time_days", site.file_index, load->field, slowest),
           fmt::format("is overloaded: about {:.3g} lots a week arrive for a capacity of {:.3g}, so its queue holds "
                       "about {:.2g} lot-days over the {:g}-day horizon; at most {:g} can be simulated (add servers, "
                       "shorten the horizon or slow the arrivals)",
                       arriving, capacity, lot_days, horizon, kMaxQueueLotDays)});
  }
  return problems;
}

}  // namespace scsim::config
