// `[+]` in an override adds an element to a list: how a variant adds a BOM line or a building to its base.
#include <catch2/catch.hpp>

#include "sim/config/loader.hpp"

using scsim::config::ConfigError;
using scsim::config::load_scenario_text;

namespace {

const std::string kBase = R"(name: "mini"
start_date: "2025-01-01"
products { name: "die" }
products { name: "lid" }
products { name: "pkg" bom { product: "die" quantity: 1 } }
sites { name: "fab" product: "die" foundry {
  gross_dies_per_wafer: 50 d0_per_cm2 { fixed: 0.1 } die_width_mm: 10 die_height_mm: 10
  wafer_starts_per_week { steps { from_date: "2025-01-01" rate: 100 } } cycle_time_days { fixed: 90 } } }
sites { name: "lids" product: "lid" substrate {
  substrates_per_week { steps { from_date: "2025-01-01" rate: 1000 } } cycle_time_days { fixed: 30 } } }
sites { name: "pack" product: "pkg" packaging { cycle_time_days { fixed: 30 } } }
sites { name: "dc" product: "pkg" datacenter {
  buildings { name: "b1" construction_start_date: "2025-01-01" power_mw: 10 } kw_per_accelerator { fixed: 2 } } }
lanes { from: "fab" to: "pack" product: "die" }
lanes { from: "lids" to: "pack" product: "lid" }
lanes { from: "pack" to: "dc" product: "pkg" }
)";

std::vector<std::string> problems(const std::vector<std::string>& overrides) {
  try {
    load_scenario_text(kBase, "s.textproto", overrides);
  } catch (const ConfigError& error) {
    return error.lines();
  }
  return {};
}

}  // namespace

TEST_CASE("config: [+] adds a list element, e.g. a BOM line a variant needs") {
  // Without the line the substrate site's lane carries what the package does not use.
  REQUIRE_FALSE(problems({}).empty());
  const auto scenario = load_scenario_text(kBase, "s.textproto", {"products[name=pkg].bom[+]={product:\"lid\" quantity:1}"});
  REQUIRE(scenario.products(2).bom_size() == 2);
  CHECK(scenario.products(2).bom(1).product() == "lid");
  CHECK(scenario.products(2).bom(1).quantity() == 1);
}

TEST_CASE("config: [+] must be the last step and take a whole element") {
  CHECK(problems({"products[+].name=x"}) ==
        std::vector<std::string>{"--set products[+].name=x: products: [+] adds an element: give it whole, as the last "
                                 "step, e.g. bom[+]={product:\"x\"} (got 'x')"});
}
