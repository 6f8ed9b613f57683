#include "sim/config/validate.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <set>

#include "models/wafer.hpp"
#include "sim/config/date.hpp"
#include "sim/config/to_params.hpp"
#include "sim/network/supply_network.hpp"

namespace scsim::config {

namespace {

// What a distribution's values must satisfy, by the meaning of its field.
enum class Range {
  kDuration,     // >= 0 (days)
  kPositive,     // > 0 everywhere
  kProbability,  // in [0, 1]
  kYield,        // in (0, 1]: a fraction that passes
};

// Upper bounds. Every number a run uses is finite and bounded, so that what
// validates can be simulated in bounded time and memory (README, Guarantees).
// Longer than 2,700 years: no supply-chain horizon or duration is longer, and
// queueing validations of a few hundred thousand days still fit.
constexpr double kMaxDays = 1e6;
// Weekly series hold one value per site, metric and week of the horizon.
constexpr double kMaxSiteWeeks = 2e6;
// Lots a source may release over the horizon: each costs about ten events, and
// a replication stops at --max-events (default 200,000,000).
constexpr double kMaxLots = 2e7;
// Server-days a station's lots keep it busy (its weekly utilization series and
// the loop filling it reach that far, past the horizon when a queue builds up).
constexpr double kMaxBusyDays = 1e8;
// Counts, rates and money: far beyond any real value, small enough that sums
// and products of them stay finite and exact enough.
constexpr double kMaxRatePerWeek = 1e9;
constexpr double kMaxUsd = 1e9;
// Names become file names, host names and CSV cells.
constexpr std::size_t kMaxNameLength = 64;

bool is_identifier(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

class Validator {
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
    check_text(scenario_, "");
    if (problems_.empty()) check_work();
    return std::move(problems_);
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
  bool positive(const std::string& path, double value, double max, const char* why) {
    if (!(value > 0)) {
      report(path, "must be > 0 (got {:g})", value);
      return false;
    }
    return at_most(path, value, max, why);
  }
  bool non_negative(const std::string& path, double value, double max, const char* why) {
    if (!(value >= 0)) {
      report(path, "must be >= 0 (got {:g})", value);
      return false;
    }
    return at_most(path, value, max, why);
  }
  bool at_least_one(const std::string& path, long long value, long long max, const char* why) {
    if (value < 1) {
      report(path, "must be >= 1 (got {})", value);
      return false;
    }
    if (value <= max) return true;
    report(path, "must be at most {} ({}) (got {})", grouped(static_cast<double>(max)), why, value);
    return false;
  }
  void days(const std::string& path, double value, bool strictly_positive) {
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
  void probability(const std::string& path, double value) {
    if (!(value >= 0 && value <= 1)) report(path, "must be in [0, 1] (got {:g})", value);
  }
  void date(const std::string& path, const std::string& value) {
    if (!parse_iso_date(value)) report(path, "is not a date YYYY-MM-DD (got '{}')", value);
  }
  void name(const std::string& path, bool has, const std::string& value, const char* what,
            std::set<std::string>& seen) {
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
  const scsim::Site* site_ref(const std::string& path, const std::string& value) {
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
  bool dist(const std::string& path, bool has, const scsim::Dist& value, Range range, bool required) {
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

  void schedule(const std::string& path, bool has, const scsim::Schedule& value) {
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

  void stations(const std::string& path, const google::protobuf::RepeatedPtrField<scsim::Station>& list) {
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

  bool product_has_bom(const std::string& product) const {
    const auto found = products_.find(product);
    return found != products_.end() && found->second->bom_size() > 0;
  }

  void check_site(const std::string& path, int index) {
    const auto& site = scenario_.sites(index);
    name(join(path, "name"), site.has_name(), site.name(), "site", site_names_);
    if (site.kind_case() == scsim::Site::KIND_NOT_SET) {
      report(path, "site '{}' needs a kind: one of design, foundry, memory, packaging, test, datacenter, generic",
             site.name());
      return;
    }
    const char* kind = site.GetDescriptor()->FindFieldByNumber(site.kind_case())->name().c_str();
    if (site.has_design()) {
      if (site.has_product()) report(join(path, "product"), "a design site makes no product (got '{}')", site.product());
    } else if (!site.has_product()) {
      report(join(path, "product"), "is required for a {} site", kind);
    } else {
      product_ref(join(path, "product"), site.product());
    }
    const bool needs_bom = site.has_packaging() || site.has_test();
    const bool no_bom = site.has_foundry() || site.has_memory();
    if (products_.count(site.product())) {
      if (needs_bom && !product_has_bom(site.product()))
        report(join(path, "product"), "a {} site assembles its product, but product '{}' has no bom", kind,
               site.product());
      if (no_bom && product_has_bom(site.product()))
        report(join(path, "product"), "a {} site makes its product from wafers, but product '{}' has a bom", kind,
               site.product());
    }
    switch (site.kind_case()) {
      case scsim::Site::kDesign: check_design(join(path, "design"), site.design()); break;
      case scsim::Site::kFoundry: check_foundry(join(path, "foundry"), site.foundry()); break;
      case scsim::Site::kMemory: check_memory(join(path, "memory"), site.memory()); break;
      case scsim::Site::kPackaging: check_packaging(join(path, "packaging"), site.packaging()); break;
      case scsim::Site::kTest: check_test(join(path, "test"), site.test()); break;
      case scsim::Site::kDatacenter: check_datacenter(join(path, "datacenter"), site.datacenter()); break;
      case scsim::Site::kGeneric: check_generic(join(path, "generic"), site.generic(), site.product()); break;
      case scsim::Site::KIND_NOT_SET: break;
    }
  }

  void check_design(const std::string& path, const scsim::Design& design) {
    if (design.has_start_date()) date(join(path, "start_date"), design.start_date());
    dist(join(path, "tapeout_days"), design.has_tapeout_days(), design.tapeout_days(), Range::kDuration, true);
    probability(join(path, "respin_probability"), design.respin_probability());
    probability(join(path, "metal_only_fraction"), design.metal_only_fraction());
    dist(join(path, "metal_respin_days"), design.has_metal_respin_days(), design.metal_respin_days(),
         Range::kDuration, false);
    dist(join(path, "base_respin_days"), design.has_base_respin_days(), design.base_respin_days(), Range::kDuration,
         false);
    dist(join(path, "mask_days"), design.has_mask_days(), design.mask_days(), Range::kDuration, false);
    dist(join(path, "first_silicon_days"), design.has_first_silicon_days(), design.first_silicon_days(),
         Range::kDuration, false);
    dist(join(path, "production_release_days"), design.has_production_release_days(),
         design.production_release_days(), Range::kDuration, false);
  }

  void check_foundry(const std::string& path, const scsim::Foundry& foundry) {
    if (foundry.has_design_site()) {
      const auto* design = site_ref(join(path, "design_site"), foundry.design_site());
      if (design != nullptr && !design->has_design())
        report(join(path, "design_site"), "site '{}' is not a design site", foundry.design_site());
    } else if (foundry.has_port_days()) {
      report(join(path, "port_days"), "needs design_site: a port is from a design");
    }
    dist(join(path, "port_days"), foundry.has_port_days(), foundry.port_days(), Range::kDuration, false);
    positive(join(path, "wafer_diameter_mm"), foundry.wafer_diameter_mm(), 1000, "mm; the largest wafers are 450 mm");
    non_negative(join(path, "edge_exclusion_mm"), foundry.edge_exclusion_mm(), 1000, "mm");
    if (foundry.edge_exclusion_mm() * 2 >= foundry.wafer_diameter_mm() && foundry.wafer_diameter_mm() > 0)
      report(join(path, "edge_exclusion_mm"), "leaves no usable wafer (got {:g} on a {:g} mm wafer)",
             foundry.edge_exclusion_mm(), foundry.wafer_diameter_mm());
    non_negative(join(path, "scribe_mm"), foundry.scribe_mm(), 1000, "mm");
    if (foundry.has_gross_dies_per_wafer()) {
      positive(join(path, "gross_dies_per_wafer"), foundry.gross_dies_per_wafer(), 1e6, "dies on one wafer");
    } else if (!foundry.has_die_width_mm() || !foundry.has_die_height_mm()) {
      report(path, "needs die_width_mm and die_height_mm (or gross_dies_per_wafer)");
    } else {
      positive(join(path, "die_width_mm"), foundry.die_width_mm(), 1000, "mm");
      positive(join(path, "die_height_mm"), foundry.die_height_mm(), 1000, "mm");
      const double area = foundry.die_width_mm() * foundry.die_height_mm();
      if (area > models::kReticleLimitMm2)
        report(join(path, "die_width_mm"), "die area {:g} mm² exceeds the reticle limit {:g} mm² (26 x 33 mm)", area,
               models::kReticleLimitMm2);
    }
    positive(join(path, "clustering_alpha"), foundry.clustering_alpha(), 1e6, "large alpha is already Poisson yield");
    const bool d0_ok =
        dist(join(path, "d0_per_cm2"), foundry.has_d0_per_cm2(), foundry.d0_per_cm2(), Range::kPositive, true);
    if (foundry.has_d0_initial_per_cm2() &&
        positive(join(path, "d0_initial_per_cm2"), foundry.d0_initial_per_cm2(), 1e6, "defects per cm²") && d0_ok &&
        foundry.d0_initial_per_cm2() < expected(foundry.d0_per_cm2()))
      report(join(path, "d0_initial_per_cm2"), "must be >= the mature d0_per_cm2 mean {:g} (got {:g})",
             expected(foundry.d0_per_cm2()), foundry.d0_initial_per_cm2());
    days(join(path, "learning_tau_days"), foundry.learning_tau_days(), true);
    probability(join(path, "harvest_fraction"), foundry.harvest_fraction());
    if (!(foundry.wafer_yield_correlation() >= 0 && foundry.wafer_yield_correlation() < 1))
      report(join(path, "wafer_yield_correlation"), "must be in [0, 1) (got {:g})", foundry.wafer_yield_correlation());
    schedule(join(path, "wafer_starts_per_week"), foundry.has_wafer_starts_per_week(), foundry.wafer_starts_per_week());
    dist(join(path, "allocation_wait_days"), foundry.has_allocation_wait_days(), foundry.allocation_wait_days(),
         Range::kDuration, false);
    at_least_one(join(path, "lot_size_wafers"), foundry.lot_size_wafers(), 10000, "wafers in one lot");
    if (foundry.stations_size() > 0)
      stations(join(path, "stations"), foundry.stations());
    else
      dist(join(path, "cycle_time_days"), foundry.has_cycle_time_days(), foundry.cycle_time_days(), Range::kDuration,
           true);
    non_negative(join(path, "wafer_cost_usd"), foundry.wafer_cost_usd(), kMaxUsd, "USD; costs are summed over every unit");
  }

  void check_memory(const std::string& path, const scsim::Memory& memory) {
    schedule(join(path, "dram_wafer_starts_per_week"), memory.has_dram_wafer_starts_per_week(),
             memory.dram_wafer_starts_per_week());
    if (!memory.has_dies_per_wafer())
      report(join(path, "dies_per_wafer"), "is required");
    else
      positive(join(path, "dies_per_wafer"), memory.dies_per_wafer(), 1e6, "dies on one wafer");
    at_least_one(join(path, "stack_height"), memory.stack_height(), 1024, "dies in one stack");
    if (memory.has_stack_yield()) {
      dist(join(path, "stack_yield"), true, memory.stack_yield(), Range::kYield, true);
    } else {
      dist(join(path, "die_yield"), memory.has_die_yield(), memory.die_yield(), Range::kYield, true);
      dist(join(path, "bond_yield"), memory.has_bond_yield(), memory.bond_yield(), Range::kYield, false);
    }
    at_least_one(join(path, "lot_size_wafers"), memory.lot_size_wafers(), 10000, "wafers in one lot");
    dist(join(path, "cycle_time_days"), memory.has_cycle_time_days(), memory.cycle_time_days(), Range::kDuration, true);
    std::set<std::string> customers;
    for (int i = 0; i < memory.qualifications_size(); ++i) {
      const auto& q = memory.qualifications(i);
      const std::string q_path = fmt::format("{}.qualifications[{}]", path, i);
      const auto* customer = site_ref(q_path + ".customer_site", q.customer_site());
      if (customer != nullptr && !customer->has_packaging())
        report(q_path + ".customer_site", "site '{}' is not a packaging site", q.customer_site());
      if (!customers.insert(q.customer_site()).second)
        report(q_path + ".customer_site", "duplicate qualification for '{}'", q.customer_site());
      dist(q_path + ".duration_days", q.has_duration_days(), q.duration_days(), Range::kDuration, true);
      probability(q_path + ".slip_probability", q.slip_probability());
      dist(q_path + ".slip_days", q.has_slip_days(), q.slip_days(), Range::kDuration, q.slip_probability() > 0);
    }
    non_negative(join(path, "stack_cost_usd"), memory.stack_cost_usd(), kMaxUsd, "USD; costs are summed over every unit");
    if (memory.has_stack_yield_initial() && !(memory.stack_yield_initial() > 0 && memory.stack_yield_initial() <= 1))
      report(join(path, "stack_yield_initial"), "must be in (0, 1] (got {:g})", memory.stack_yield_initial());
    days(join(path, "learning_tau_days"), memory.learning_tau_days(), true);
  }

  void check_packaging(const std::string& path, const scsim::Packaging& packaging) {
    if (packaging.has_interposer_wafers_per_week()) {
      schedule(join(path, "interposer_wafers_per_week"), true, packaging.interposer_wafers_per_week());
      if (!packaging.has_packages_per_interposer_wafer())
        report(join(path, "packages_per_interposer_wafer"), "is required with interposer_wafers_per_week");
    }
    if (packaging.has_packages_per_interposer_wafer())
      positive(join(path, "packages_per_interposer_wafer"), packaging.packages_per_interposer_wafer(), 1e6,
               "packages from one wafer");
    dist(join(path, "assembly_yield"), packaging.has_assembly_yield(), packaging.assembly_yield(), Range::kYield, false);
    dist(join(path, "queue_days"), packaging.has_queue_days(), packaging.queue_days(), Range::kDuration, false);
    dist(join(path, "cycle_time_days"), packaging.has_cycle_time_days(), packaging.cycle_time_days(),
         Range::kDuration, true);
    at_least_one(join(path, "batch_size"), packaging.batch_size(), 1000000000, "units");
    non_negative(join(path, "package_cost_usd"), packaging.package_cost_usd(), kMaxUsd,
                 "USD; costs are summed over every unit");
  }

  void check_test(const std::string& path, const scsim::Test& test) {
    dist(join(path, "yield"), test.has_yield(), test.yield(), Range::kYield, true);
    dist(join(path, "cycle_time_days"), test.has_cycle_time_days(), test.cycle_time_days(), Range::kDuration, true);
    non_negative(join(path, "capacity_units_per_week"), test.capacity_units_per_week(), kMaxRatePerWeek, "per week");
    at_least_one(join(path, "batch_size"), test.batch_size(), 1000000000, "units");
  }

  void check_datacenter(const std::string& path, const scsim::Datacenter& datacenter) {
    if (datacenter.buildings_size() == 0) report(join(path, "buildings"), "at least one building is required");
    std::set<std::string> names;
    for (int i = 0; i < datacenter.buildings_size(); ++i) {
      const auto& building = datacenter.buildings(i);
      const std::string b_path = fmt::format("{}.buildings[{}]", path, i);
      name(b_path + ".name", building.has_name(), building.name(), "building", names);
      if (!building.has_construction_start_date())
        report(b_path + ".construction_start_date", "is required");
      else
        date(b_path + ".construction_start_date", building.construction_start_date());
      dist(b_path + ".construction_days", building.has_construction_days(), building.construction_days(),
           Range::kDuration, false);
      if (!building.has_power_mw())
        report(b_path + ".power_mw", "is required");
      else
        positive(b_path + ".power_mw", building.power_mw(), 1e6, "MW; a terawatt is a third of the world's power");
      if (building.has_power_date()) date(b_path + ".power_date", building.power_date());
      dist(b_path + ".power_delay_days", building.has_power_delay_days(), building.power_delay_days(),
           Range::kDuration, false);
    }
    dist(join(path, "kw_per_accelerator"), datacenter.has_kw_per_accelerator(), datacenter.kw_per_accelerator(),
         Range::kPositive, true);
    non_negative(join(path, "install_rate_per_week"), datacenter.install_rate_per_week(), kMaxRatePerWeek, "per week");
    dist(join(path, "install_days"), datacenter.has_install_days(), datacenter.install_days(), Range::kDuration, false);
  }

  void check_generic(const std::string& path, const scsim::Generic& generic, const std::string& product) {
    if (generic.stations_size() == 0) report(join(path, "stations"), "at least one station is required");
    stations(join(path, "stations"), generic.stations());
    dist(join(path, "yield"), generic.has_yield(), generic.yield(), Range::kYield, false);
    at_least_one(join(path, "lot_size"), generic.lot_size(), 1000000000, "units");
    const bool is_source = products_.count(product) && !product_has_bom(product);
    if (!products_.count(product)) return;
    if (is_source && !generic.has_release()) {
      report(join(path, "release"), "is required: product '{}' has no bom, so this site is a source", product);
      return;
    }
    if (!is_source && generic.has_release()) {
      report(join(path, "release"), "an assembling site (product '{}' has a bom) takes no release", product);
      return;
    }
    if (!generic.has_release()) return;
    const auto& release = generic.release();
    const std::string r_path = join(path, "release");
    switch (release.policy_case()) {
      case scsim::Release::kLotsPerWeek: schedule(r_path + ".lots_per_week", true, release.lots_per_week()); break;
      case scsim::Release::kInterarrivalDays:
        dist(r_path + ".interarrival_days", true, release.interarrival_days(), Range::kDuration, true);
        break;
      case scsim::Release::kConwipWipLots:
        at_least_one(r_path + ".conwip_wip_lots", release.conwip_wip_lots(), 100000,
                     "lots in the line at once; each is simulated on its own");
        break;
      case scsim::Release::POLICY_NOT_SET:
        report(r_path, "needs a policy: one of lots_per_week, interarrival_days, conwip_wip_lots");
        break;
    }
    if (release.max_lots() < 0) report(r_path + ".max_lots", "must be >= 0 (got {})", release.max_lots());
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
      const auto& site = scenario_.sites(i);
      const std::string path = fmt::format("sites[{}]", i);
      if (site.has_foundry()) {
        const double lots = schedule_lots(path + ".foundry.wafer_starts_per_week", site.foundry().wafer_starts_per_week(),
                                          site.foundry().lot_size_wafers(), "wafers");
        station_work(path + ".foundry.stations", site.foundry().stations(), lots);
      }
      if (site.has_memory())
        schedule_lots(path + ".memory.dram_wafer_starts_per_week", site.memory().dram_wafer_starts_per_week(),
                      site.memory().lot_size_wafers(), "wafers");
      if (site.has_generic() && site.generic().has_release()) {
        const auto& release = site.generic().release();
        const auto& stations = site.generic().stations();
        double lots = 0;
        if (release.has_lots_per_week())
          lots = schedule_lots(path + ".generic.release.lots_per_week", release.lots_per_week(), 1, "");
        if (release.has_interarrival_days()) {
          lots = horizon / expected(release.interarrival_days());
          if (!(lots <= kMaxLots))
            too_many_lots(path + ".generic.release.interarrival_days", lots, "lower the rate");
        }
        if (release.has_conwip_wip_lots()) {
          // All of the WIP starts at once; then the line releases as fast as its slowest station.
          double rate = std::numeric_limits<double>::infinity();
          for (const auto& station : stations)
            rate = std::min(rate, station.servers() / expected(station.process_time_days()));
          lots = release.conwip_wip_lots() + horizon * rate;
        }
        station_work(path + ".generic.stations", stations, lots);
      }
    }
  }

  // A schedule of starts per week released in lots of `lot_size`: at most its
  // highest rate for the whole horizon.
  // Returns the estimate.
  double schedule_lots(const std::string& path, const scsim::Schedule& schedule, int lot_size, const char* unit) {
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
                    double lots) {
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

double max_rate(const scsim::Schedule& schedule) {
  double top = 0;
  for (const auto& step : schedule.steps()) top = std::max(top, step.rate());
  return top;
}

// Lots per week a route of stations can finish (its slowest station).
double route_lots_per_week(const google::protobuf::RepeatedPtrField<scsim::Station>& stations, int* slowest) {
  double rate = std::numeric_limits<double>::infinity();
  for (int k = 0; k < stations.size(); ++k) {
    const double r = stations[k].servers() * 7.0 / expected(stations[k].process_time_days());
    if (r < rate) rate = r, *slowest = k;
  }
  return rate;
}

}  // namespace

Problems validate_fields(const scsim::Scenario& scenario) { return Validator(scenario).run(); }

Problems check_queues(const scsim::Scenario& scenario, const network::Analysis& analysis) {
  Problems problems;
  std::map<std::string, double> output;  // good units per week at steady state, by site
  for (const auto& site : analysis.sites) output[site.site] = site.output_per_week;
  const double horizon = scenario.horizon_days();
  for (int i = 0; i < scenario.sites_size(); ++i) {
    const auto& site = scenario.sites(i);
    const google::protobuf::RepeatedPtrField<scsim::Station>* stations = nullptr;
    double arriving = 0;  // lots per week
    std::string path;
    if (site.has_foundry() && site.foundry().stations_size() > 0) {
      stations = &site.foundry().stations();
      arriving = max_rate(site.foundry().wafer_starts_per_week()) / site.foundry().lot_size_wafers();
      path = fmt::format("sites[{}].foundry.stations", i);
    } else if (site.has_generic()) {
      const auto& generic = site.generic();
      stations = &generic.stations();
      path = fmt::format("sites[{}].generic.stations", i);
      if (generic.has_release()) {
        if (generic.release().has_lots_per_week()) arriving = max_rate(generic.release().lots_per_week());
        if (generic.release().has_interarrival_days()) arriving = 7.0 / expected(generic.release().interarrival_days());
      } else {
        // An assembler: lots per week its suppliers can deliver inputs for.
        const auto* product = [&]() -> const scsim::Product* {
          for (const auto& p : scenario.products())
            if (p.name() == site.product()) return &p;
          return nullptr;
        }();
        if (product == nullptr || product->bom_size() == 0) continue;
        double kits = std::numeric_limits<double>::infinity();
        for (const auto& line : product->bom()) {
          double units = 0;
          for (const auto& lane : scenario.lanes()) {
            if (lane.to() != site.name() || lane.product() != line.product()) continue;
            int siblings = 0;
            for (const auto& other : scenario.lanes())
              siblings += other.from() == lane.from() && other.product() == lane.product() && !other.has_share();
            const double share = lane.has_share() ? lane.share() : 1.0 / std::max(1, siblings);
            const auto found = output.find(lane.from());
            if (found != output.end()) units += share * found->second;
          }
          // A lot takes ceil(quantity x lot size) units of each input (at least one).
          kits = std::min(kits, units / std::ceil(line.quantity() * generic.lot_size()));
        }
        arriving = kits;
      }
    }
    if (stations == nullptr || stations->empty() || !(arriving > 0) || std::isinf(arriving)) continue;
    int slowest = 0;
    const double capacity = route_lots_per_week(*stations, &slowest);
    // Past capacity the queue grows by (arriving - capacity) lots a week: its
    // lot-days over the horizon are that rate times horizon² / 2.
    const double lot_days = (arriving - capacity) / 7.0 * horizon * horizon / 2.0;
    if (lot_days > kMaxQueueLotDays)
      problems.push_back(
          {fmt::format("{}[{}].process_time_days", path, slowest),
           fmt::format("is overloaded: about {:.3g} lots a week arrive for a capacity of {:.3g}, so its queue holds "
                       "about {:.2g} lot-days over the {:g}-day horizon; at most {:g} can be simulated (add servers, "
                       "shorten the horizon or slow the arrivals)",
                       arriving, capacity, lot_days, horizon, kMaxQueueLotDays)});
  }
  return problems;
}

}  // namespace scsim::config
