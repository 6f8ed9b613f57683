// Loading scenarios: every bad input is reported with its exact place and words.
#include <catch2/catch.hpp>
#include <google/protobuf/util/message_differencer.h>

#include <fstream>
#include <string>
#include <vector>

#include "sim/config/loader.hpp"

using scsim::config::ConfigError;
using scsim::config::load_scenario_text;

namespace {

// A small valid scenario; the line numbers below are relied on by the tests.
const std::string kBase = R"(name: "mini"
start_date: "2025-01-01"
products { name: "die" }
products { name: "pkg" bom { product: "die" quantity: 1 } }
sites {
  name: "fab" company: "F" product: "die"
  foundry {
    die_width_mm: 20 die_height_mm: 20
    d0_per_cm2 { fixed: 0.1 }
    wafer_starts_per_week { steps { from_date: "2025-01-01" rate: 100 } }
    cycle_time_days { triangular { min: 80 mode: 100 max: 120 } }
  }
}
sites {
  name: "pack" company: "P" product: "pkg"
  packaging {
    cycle_time_days { fixed: 30 }
    assembly_yield { fixed: 0.9 }
  }
}
sites {
  name: "dc" company: "C" product: "pkg"
  datacenter {
    buildings { name: "b1" construction_start_date: "2025-01-01" power_mw: 10 }
    kw_per_accelerator { fixed: 2 }
  }
}
lanes { from: "fab" to: "pack" product: "die" transit_days { fixed: 2 } }
lanes { from: "pack" to: "dc" product: "pkg" transit_days { fixed: 5 } }
demand { product: "pkg" target_units: 1000 }
)";

// kBase with the first occurrence of `from` replaced by `to` (which must exist).
std::string edit(const std::string& from, const std::string& to) {
  std::string text = kBase;
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  return text;
}

// The problem lines loading `text` produces (empty when it loads).
std::vector<std::string> problems(const std::string& text, const std::vector<std::string>& overrides = {}) {
  try {
    load_scenario_text(text, "s.textproto", overrides);
  } catch (const ConfigError& error) {
    return error.lines();
  }
  return {};
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("config: the base scenario is valid") { CHECK(problems(kBase).empty()); }

// --- syntax and schema: from protobuf's parser, located ---------------------------

TEST_CASE("config: bad input 01, unknown field names the closest real one") {
  CHECK(problems(edit("d0_per_cm2 {", "d0_per_cm {")) ==
        Lines{"s.textproto:9:5: Foundry has no field 'd0_per_cm' (did you mean 'd0_per_cm2'?)"});
}

TEST_CASE("config: bad input 02, unterminated message") {
  CHECK(problems("name: \"x\"\nsites {\n  name: \"a\"\n") ==
        Lines{"s.textproto:4:1: Expected identifier, got: end of file"});
}

TEST_CASE("config: bad input 03, a string where a number belongs") {
  CHECK(problems(edit("start_date: \"2025-01-01\"\n", "start_date: \"2025-01-01\"\nhorizon_days: \"long\"\n")) ==
        Lines{"s.textproto:3:15: Expected double, got: \"long\""});
}

TEST_CASE("config: bad input 04, a field given twice") {
  CHECK(problems(edit("name: \"mini\"\n", "name: \"mini\"\nname: \"again\"\n")) ==
        Lines{"s.textproto:2:5: Non-repeated field \"name\" is specified multiple times."});
}

TEST_CASE("config: bad input 05, unknown enum value") {
  CHECK(problems(edit("transit_days { fixed: 2 }", "mode: BOAT")) ==
        Lines{"s.textproto:28:58: Unknown enumeration value of \"BOAT\" for field \"mode\"."});
}

TEST_CASE("config: bad input 06, missing file") {
  CHECK_THROWS_WITH(scsim::config::load_scenario("no/such/file.textproto"),
                    "no/such/file.textproto: cannot read: No such file or directory");
}

// --- field-level semantic problems --------------------------------------------------

TEST_CASE("config: bad input 07, negative duration") {
  CHECK(problems(edit("cycle_time_days { fixed: 30 }", "cycle_time_days { fixed: -5 }")) ==
        Lines{"s.textproto:17:5: sites[1].packaging.cycle_time_days: durations cannot be negative (got fixed(-5))"});
}

TEST_CASE("config: bad input 08, zero required duration") {
  CHECK(problems(edit("cycle_time_days { fixed: 30 }", "cycle_time_days { fixed: 0 }")) ==
        Lines{"s.textproto:17:5: sites[1].packaging.cycle_time_days: must be > 0 days (got fixed(0))"});
}

TEST_CASE("config: bad input 09, yield above 1") {
  CHECK(problems(edit("assembly_yield { fixed: 0.9 }", "assembly_yield { fixed: 1.2 }")) ==
        Lines{"s.textproto:18:5: sites[1].packaging.assembly_yield: must lie in (0, 1] (got fixed(1.2))"});
}

TEST_CASE("config: bad input 10, triangular min > mode") {
  CHECK(problems(edit("min: 80 mode: 100 max: 120", "min: 120 mode: 100 max: 80")) ==
        Lines{"s.textproto:11:23: sites[0].foundry.cycle_time_days.triangular: needs min <= mode <= max and "
              "min < max (got 120, 100, 80)"});
}

TEST_CASE("config: bad input 11, a month that does not exist") {
  CHECK(problems(edit("start_date: \"2025-01-01\"", "start_date: \"2025-13-01\"")) ==
        Lines{"s.textproto:2:1: start_date: is not a date YYYY-MM-DD (got '2025-13-01')"});
}

TEST_CASE("config: bad input 12, February 30 in a schedule") {
  CHECK(problems(edit("steps { from_date: \"2025-01-01\"", "steps { from_date: \"2025-02-30\"")) ==
        Lines{"s.textproto:10:37: sites[0].foundry.wafer_starts_per_week.steps[0].from_date: is not a date "
              "YYYY-MM-DD (got '2025-02-30')"});
}

TEST_CASE("config: bad input 13, lane to an unknown site") {
  CHECK(problems(edit("to: \"pack\"", "to: \"pak\"")) ==
        Lines{"s.textproto:28:21: lanes[0].to: unknown site 'pak'"});
}

TEST_CASE("config: bad input 14, lane with an unknown product") {
  CHECK(problems(edit("product: \"die\" transit", "product: \"dye\" transit")) ==
        Lines{"s.textproto:28:32: lanes[0].product: unknown product 'dye'"});
}

TEST_CASE("config: bad input 15, bom naming an unknown product") {
  CHECK(problems(edit("bom { product: \"die\"", "bom { product: \"chip\"")) ==
        Lines{"s.textproto:4:30: products[1].bom[0].product: unknown product 'chip'"});
}

TEST_CASE("config: bad input 16, duplicate site names") {
  CHECK(problems(edit("name: \"pack\" company", "name: \"fab\" company")) ==
        Lines{"s.textproto:15:3: sites[1].name: duplicate site name 'fab'",
              "s.textproto:28:21: lanes[0].to: unknown site 'pack'",
              "s.textproto:29:9: lanes[1].from: unknown site 'pack'"});
}

TEST_CASE("config: bad input 17, a site without a kind") {
  CHECK(problems(edit("  packaging {\n    cycle_time_days { fixed: 30 }\n    assembly_yield { fixed: 0.9 }\n  }\n",
                      "")) == Lines{"s.textproto:14:1: sites[1]: site 'pack' needs a kind: one of design, foundry, "
                                    "memory, substrate, packaging, test, datacenter, generic"});
}

TEST_CASE("config: bad input 18, a required distribution missing") {
  CHECK(problems(edit("    cycle_time_days { triangular { min: 80 mode: 100 max: 120 } }\n", "")) ==
        Lines{"s.textproto:7:3: sites[0].foundry.cycle_time_days: is required: set one of fixed, uniform, "
              "triangular, pert, normal, lognormal, exponential, empirical"});
}

TEST_CASE("config: bad input 19, die larger than the reticle") {
  CHECK(problems(edit("die_width_mm: 20 die_height_mm: 20", "die_width_mm: 30 die_height_mm: 30")) ==
        Lines{"s.textproto:8:5: sites[0].foundry.die_width_mm: die area 900 mm² exceeds the reticle limit 858 mm² "
              "(26 x 33 mm)"});
}

TEST_CASE("config: bad input 20, schedule steps out of date order") {
  CHECK(problems(edit("rate: 100 }", "rate: 100 } steps { from_date: \"2024-06-01\" rate: 5 }")) ==
        Lines{"s.textproto:10:81: sites[0].foundry.wafer_starts_per_week.steps[1].from_date: steps must be in "
              "increasing date order (got '2024-06-01' after '2025-01-01')"});
}

TEST_CASE("config: bad input 21, empirical weights do not match values") {
  CHECK(problems(edit("transit_days { fixed: 5 }", "transit_days { empirical { values: [1, 2] weights: [1] } }")) ==
        Lines{"s.textproto:29:88: lanes[1].transit_days.empirical.weights: needs one weight per value (2 values, "
              "got 1 weights)"});
}

TEST_CASE("config: bad input 22, packaging a product that has no bom") {
  CHECK(problems(edit("name: \"pkg\" bom { product: \"die\" quantity: 1 }", "name: \"pkg\"")) ==
        Lines{"s.textproto:15:29: sites[1].product: a packaging site assembles its product, but product 'pkg' has "
              "no bom"});
}

TEST_CASE("config: bad input 23, demand of zero units") {
  CHECK(problems(edit("target_units: 1000", "target_units: 0")) ==
        Lines{"s.textproto:30:25: demand.target_units: must be > 0 (got 0)"});
}

TEST_CASE("config: bad input 24, disruption aimed at an unknown site") {
  CHECK(problems(kBase + "disruptions { name: \"quake\" target: \"fabb\" start_date: \"2026-01-01\" "
                         "duration_days { fixed: 3 } }\n") ==
        Lines{"s.textproto:31:29: disruptions[0].target: unknown site or lane 'fabb'"});
}

TEST_CASE("config: bad input 25, probability outside [0, 1]") {
  CHECK(problems(kBase + "disruptions { name: \"quake\" target: \"fab\" start_date: \"2026-01-01\" "
                         "duration_days { fixed: 3 } scrap_fraction: 1.5 }\n") ==
        Lines{"s.textproto:31:95: disruptions[0].scrap_fraction: must be in [0, 1] (got 1.5)"});
}

TEST_CASE("config: bad input 26, every problem is reported at once, in order") {
  std::string text = edit("cycle_time_days { fixed: 30 }", "cycle_time_days { fixed: -1 }");
  text.replace(text.find("power_mw: 10"), 12, "power_mw: -10");
  text.replace(text.find("start_date: \"2025-01-01\""), 24, "start_date: \"someday\"");
  CHECK(problems(text) ==
        Lines{"s.textproto:2:1: start_date: is not a date YYYY-MM-DD (got 'someday')",
              "s.textproto:17:5: sites[1].packaging.cycle_time_days: durations cannot be negative (got fixed(-1))",
              "s.textproto:24:66: sites[2].datacenter.buildings[0].power_mw: must be > 0 (got -10)"});
}

// --- --set overrides -----------------------------------------------------------------

TEST_CASE("config: overrides set scalars, distributions by number or text, enums, by index or name") {
  const auto scenario = load_scenario_text(
      kBase, "s.textproto",
      {"horizon_days=100", "sites[name=fab].foundry.d0_per_cm2=0.2", "lanes[1].mode=AIR",
       "sites[1].packaging.cycle_time_days={triangular { min: 20 mode: 30 max: 40 }}", "seed=42"});
  CHECK(scenario.horizon_days() == 100);
  CHECK(scenario.sites(0).foundry().d0_per_cm2().fixed() == 0.2);
  CHECK(scenario.lanes(1).mode() == scsim::Lane::AIR);
  CHECK(scenario.sites(1).packaging().cycle_time_days().triangular().mode() == 30);
  CHECK(scenario.seed() == 42);
}

TEST_CASE("config: bad overrides are reported with the override and the reason") {
  CHECK(problems(kBase, {"horizon_days=soon"}) ==
        Lines{"--set horizon_days=soon: horizon_days: expected a number (got 'soon')"});
  CHECK(problems(kBase, {"sites[name=tsmc].foundry.d0_per_cm2=0.1"}) ==
        Lines{"--set sites[name=tsmc].foundry.d0_per_cm2=0.1: sites: no element with name 'tsmc' (got 'tsmc')"});
  CHECK(problems(kBase, {"sites[7].name=x"}) ==
        Lines{"--set sites[7].name=x: sites: index 7 is out of range (3 elements) (got 'x')"});
  CHECK(problems(kBase, {"horizon=5"}) ==
        Lines{"--set horizon=5: horizon: Scenario has no field 'horizon'; fields are: base, set, name, "
              "description, start_date, horizon_days, seed, replications, products, sites, lanes, disruptions, demand, program, money, budget (got "
              "'horizon')"});
  CHECK(problems(kBase, {"lanes[0].mode=BOAT"}) ==
        Lines{"--set lanes[0].mode=BOAT: lanes[0].mode: expected one of TRUCK, AIR, SEA, INTERNAL (got 'BOAT')"});
  CHECK(problems(kBase, {"replications=2.5"}) ==
        Lines{"--set replications=2.5: replications: expected a whole number (got '2.5')"});
  CHECK(problems(kBase, {"horizon_days"}) == Lines{"--set horizon_days: horizon_days: expected path=value"});
  CHECK(problems(kBase, {"sites.name=x"}) ==
        Lines{"--set sites.name=x: sites: is a list: select an element with [N] or [name=VALUE] (got 'x')"});
}

TEST_CASE("config: a value made invalid by an override is blamed on the override") {
  CHECK(problems(kBase, {"sites[name=fab].foundry.d0_per_cm2=-0.1"}) ==
        Lines{"--set sites[name=fab].foundry.d0_per_cm2=-0.1: sites[0].foundry.d0_per_cm2: must be > 0 (got "
              "fixed(-0.1))"});
}

// --- round trip -------------------------------------------------------------------------

TEST_CASE("config: a resolved scenario round-trips through text format unchanged") {
  const auto first = load_scenario_text(kBase, "s.textproto", {"sites[name=fab].foundry.d0_per_cm2=0.2"});
  const std::string text = scsim::config::to_text(first);
  const auto second = load_scenario_text(text, "resolved.textproto");
  CHECK(google::protobuf::util::MessageDifferencer::Equals(first, second));
  CHECK(scsim::config::to_text(second) == text);
  // Defaults are written out, so the resolved file says everything it means.
  CHECK(text.find("horizon_days: 1826") != std::string::npos);
  CHECK(text.find("lot_size_wafers: 25") != std::string::npos);
  CHECK(text.find("name: \"fab->pack\"") != std::string::npos);
}

// --- variants: a base file plus changes --------------------------------------------------

namespace {
std::vector<std::string> file_problems(const std::string& path) {
  try {
    scsim::config::load_scenario(path);
  } catch (const ConfigError& error) {
    return error.lines();
  }
  return {};
}
const std::string kData = SCSIM_TEST_DATA;
}  // namespace

TEST_CASE("config: a variant merges its base, appends lists and applies its set entries") {
  const auto scenario = scsim::config::load_scenario(kData + "/variant.textproto");
  CHECK(scenario.name() == "mini_quake");
  CHECK(scenario.start_date() == "2025-01-01");        // from the base
  CHECK(scenario.sites_size() == 3);                    // from the base
  REQUIRE(scenario.disruptions_size() == 1);            // appended by the variant
  CHECK(scenario.disruptions(0).target() == "fab");
  CHECK(scenario.sites(0).foundry().d0_per_cm2().fixed() == 0.2);  // by a set entry
  CHECK_FALSE(scenario.has_base());                     // the resolved scenario stands alone
  CHECK(scenario.set_size() == 0);
}

TEST_CASE("config: problems in a variant point at the file and line that caused them") {
  CHECK(file_problems(kData + "/variant_bad.textproto") ==
        Lines{kData + "/variant_bad.textproto:4:1: set \"sites[name=fab].foundry.d0_per_cm2=-1\": "
                      "sites[0].foundry.d0_per_cm2: must be > 0 (got fixed(-1))",
              kData + "/base_bad.textproto:24:66: sites[2].datacenter.buildings[0].power_mw: must be > 0 (got -10)",
              kData + "/variant_bad.textproto:9:17: disruptions[0].target: unknown site or lane 'fabb'",
              kData + "/variant_bad.textproto:4:1: set \"demand.target_units=0\": demand.target_units: must be > 0 "
                      "(got 0)"});
}

TEST_CASE("config: a missing base is reported where it is named") {
  CHECK(file_problems(kData + "/variant_no_base.textproto") ==
        Lines{kData + "/variant_no_base.textproto:2:1: base: cannot read '" + kData +
                      "/nowhere.textproto': No such file or directory"});
}

TEST_CASE("config: program fields are refused without a program, and checked with one") {
  // Without `program`, the fields only a program reads would be silently ignored: they are refused.
  CHECK(problems(edit("    cycle_time_days { triangular", "    capacity { booking_date: \"2025-01-01\" }\n"
                                                         "    cycle_time_days { triangular")) ==
        Lines{"s.textproto:11:5: sites[0].foundry.capacity: is read only under a program: add `program { }` to the "
              "scenario"});
  CHECK(problems(kBase, {"lanes[1].order_share=1"}) ==
        Lines{"--set lanes[1].order_share=1: lanes[1].order_share: is read only under a program: add `program { }` "
              "to the scenario"});
  // With one: its own fields, positive order delays, and a reservation that must fit its pool.
  const std::string program = kBase + "program { review_days: 0 }\n";
  CHECK(problems(program) == Lines{"s.textproto:31:11: program.review_days: must be > 0 (got 0)"});
  CHECK(problems(kBase + "program { }\n", {"lanes[0].order_days=0"}) ==
        Lines{"--set lanes[0].order_days=0: lanes[0].order_days: must be > 0 (got 0)"});
  // Any positive order delay: a loop's sites share one actor, so a short delay costs no extra steps.
  CHECK(problems(kBase + "program { order_days: 0.001 }\n").empty());
  const std::string pooled = edit("    cycle_time_days { triangular",
                                  "    capacity { pool { total_per_week { steps { from_date: \"2025-01-01\" rate: 60 } } } }\n"
                                  "    cycle_time_days { triangular") +
                             "program { }\n";
  CHECK(problems(pooled) ==
        Lines{"s.textproto:10:5: sites[0].foundry.wafer_starts_per_week: the reservation of 100 per week from "
              "2025-01-01 exceeds its pool's total_per_week of 60 then (sites[0].foundry.capacity.pool.total_per_week)"});
  CHECK(problems(kBase + "program { }\n", {"sites[name=fab].foundry.risk_start_after_silicon_days=10"}) ==
        Lines{"--set sites[name=fab].foundry.risk_start_after_silicon_days=10: "
              "sites[0].foundry.risk_start_after_silicon_days: needs design_site: risk starts follow its silicon"});
}

TEST_CASE("config: money and budget fields are checked") {
  CHECK(problems(kBase + "budget { total_usd: 1000 }\n") ==
        Lines{"s.textproto:31:1: budget: needs a program: the build plan's orders are what the cap limits"});
  CHECK(problems(kBase + "program { }\nbudget { rule: CUT }\n") ==
        Lines{"s.textproto:32:1: budget: set total_usd, per_year_usd or both"});
  CHECK(problems(kBase + "money { discount_rate_per_year: 1 }\n") ==
        Lines{"s.textproto:31:9: money.discount_rate_per_year: must be in [0, 1) (got 1)"});
}
