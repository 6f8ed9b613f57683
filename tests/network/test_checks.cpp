// check_network: one test per check with its exact path and message, plus several problems at once.
#include <catch2/catch.hpp>

#include "network_test_support.hpp"
#include "sim/network/supply_network.hpp"

using scsim::config::Problem;
using scsim::config::Problems;
using scsim::network::check_network;
using namespace scsim::network::testing;

namespace {

// Exactly these problems, in this order.
void require_problems(const scsim::Scenario& scenario, const std::vector<Problem>& expected) {
  const Problems problems = check_network(scenario);
  INFO(listing(problems));
  REQUIRE(problems.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CHECK(problems[i].path == expected[i].path);
    CHECK(problems[i].message == expected[i].message);
  }
}

}  // namespace

TEST_CASE("network: the example scenarios have no graph problems", "[network][checks]") {
  for (const char* file : {"chain.textproto", "bom_merge.textproto", "dual_source.textproto"}) {
    INFO(file);
    const Problems problems = check_network(load(file));
    INFO(listing(problems));
    CHECK(problems.empty());
  }
}

TEST_CASE("network: a lane closing a cycle without lookahead is reported once, naming the sites",
          "[network][checks]") {
  auto scenario = load("bom_merge.textproto");
  add(scenario, R"(lanes { from: "pkg" to: "fab" product: "package" })");
  SECTION("no edge on the loop has a positive minimum delay") {
    scenario.mutable_lanes(0)->mutable_transit_days()->set_fixed(0);
    // The lane is also unusable at a foundry (check 3), reported after the cycle.
    require_problems(scenario,
                     {{"lanes[3]", "lane 'pkg->fab' closes a cycle 'fab' -> 'pkg' -> 'fab'"
                                   " with no positive minimum delay on it (a lane with a positive minimum transit or "
                                   "an order delay would give it lookahead)"},
                      {"lanes[3].product",
                       "lane 'pkg->fab' carries 'package' but site 'fab' makes 'die' from scratch and uses no inputs"}});
  }
  SECTION("a loop with a positive minimum delay (fab->pkg takes 2 days) is not a cycle problem") {
    require_problems(scenario, {{"lanes[3].product", "lane 'pkg->fab' carries 'package' but site 'fab' makes 'die' "
                                                     "from scratch and uses no inputs"}});
  }
}

TEST_CASE("network: a three-site cycle names all three sites", "[network][checks]") {
  const auto scenario = parse(R"(
    products { name: "a" bom { product: "c" } }
    products { name: "b" bom { product: "a" } }
    products { name: "c" bom { product: "b" } }
    sites { name: "x" product: "a" generic {} }
    sites { name: "y" product: "b" generic {} }
    sites { name: "z" product: "c" generic {} }
    sites { name: "dc" product: "a" datacenter {} }
    lanes { from: "x" to: "y" product: "a" }
    lanes { from: "y" to: "z" product: "b" }
    lanes { from: "z" to: "x" product: "c" }
    lanes { from: "x" to: "dc" product: "a" }
  )");
  require_problems(scenario, {{"lanes[2]", "lane 'z->x' closes a cycle 'x' -> 'y' -> 'z' -> 'x'"
                     " with no positive minimum delay on it (a lane with a positive minimum transit or an order delay would give it lookahead)"}});
}

TEST_CASE("network: a lane carrying what its source does not make", "[network][checks]") {
  auto scenario = load("bom_merge.textproto");
  SECTION("another product") {
    add(scenario, R"(lanes { from: "fab" to: "pkg" product: "hbm" name: "fab_hbm" })");
    require_problems(scenario, {{"lanes[3].product", "lane 'fab_hbm' carries 'hbm' but site 'fab' makes 'die'"}});
  }
  SECTION("a datacenter makes nothing") {
    add(scenario, R"(lanes { from: "dc" to: "pkg" product: "hbm" })");
    // pkg->dc takes 5 days: the loop has lookahead, so only the product is wrong.
    require_problems(scenario, {{"lanes[3].product",
                                 "lane 'dc->pkg' carries 'hbm' but site 'dc' is a datacenter site and makes "
                                 "nothing"}});
  }
}

TEST_CASE("network: a lane carrying what its destination does not use", "[network][checks]") {
  auto scenario = load("bom_merge.textproto");
  SECTION("a datacenter installing another product") {
    add(scenario, R"(lanes { from: "hbm_fab" to: "dc" product: "hbm" })");
    require_problems(scenario,
                     {{"lanes[3].product", "lane 'hbm_fab->dc' carries 'hbm' but site 'dc' installs 'package'"}});
  }
  SECTION("a source site takes no inputs") {
    add(scenario, R"(lanes { from: "hbm_fab" to: "fab" product: "hbm" name: "hbm_to_fab" })");
    require_problems(scenario, {{"lanes[3].product",
                                 "lane 'hbm_to_fab' carries 'hbm' but site 'fab' makes 'die' from scratch and uses "
                                 "no inputs"}});
  }
  SECTION("an assembler whose product's bom lacks it") {
    add(scenario, R"(
      products { name: "lid" }
      sites { name: "lids" product: "lid" generic { release { conwip_wip_lots: 1 } } }
      lanes { from: "lids" to: "pkg" product: "lid" })");
    require_problems(scenario, {{"lanes[3].product",
                                 "lane 'lids->pkg' carries 'lid' but site 'pkg' makes 'package', which does not use "
                                 "'lid'"}});
  }
}

TEST_CASE("network: a bom input nobody supplies", "[network][checks]") {
  auto scenario = load("bom_merge.textproto");
  // Remove the memory site (last) and its lane: the package's 'hbm' input has no supplier.
  scenario.mutable_sites()->RemoveLast();
  scenario.mutable_lanes()->DeleteSubrange(1, 1);
  require_problems(scenario,
                   {{"sites[2].product", "site 'pkg' assembles 'package' but no lane brings its input 'hbm'"}});
}

TEST_CASE("network: a datacenter that no design reaches", "[network][checks]") {
  auto scenario = load("bom_merge.textproto");
  scenario.mutable_sites(1)->mutable_foundry()->clear_design_site();
  require_problems(scenario, {{"sites[3]", "datacenter 'dc' is not reachable from any design site"}});

  SECTION("not checked without any design site") {
    scenario.mutable_sites()->DeleteSubrange(0, 1);
    CHECK(check_network(scenario).empty());
  }
}

TEST_CASE("network: a source feeding the demand with zero capacity", "[network][checks]") {
  auto scenario = load("bom_merge.textproto");
  SECTION("foundry wafer starts all zero") {
    auto* starts = scenario.mutable_sites(1)->mutable_foundry()->mutable_wafer_starts_per_week();
    starts->mutable_steps(0)->set_rate(0);
    require_problems(scenario, {{"sites[1].foundry.wafer_starts_per_week",
                                 "site 'fab' feeds 'package' with zero capacity: wafer_starts_per_week has no step "
                                 "with rate > 0"}});
  }
  SECTION("memory without a schedule") {
    scenario.mutable_sites(4)->mutable_memory()->clear_dram_wafer_starts_per_week();
    require_problems(scenario, {{"sites[4].memory.dram_wafer_starts_per_week",
                                 "site 'hbm_fab' feeds 'package' with zero capacity: dram_wafer_starts_per_week has "
                                 "no step with rate > 0"}});
  }
  SECTION("generic source without a release") {
    const auto generic = parse(R"(
      products { name: "lid" }
      sites { name: "lids" product: "lid" generic {} }
      sites { name: "dc" product: "lid" datacenter {} }
      lanes { from: "lids" to: "dc" product: "lid" })");
    require_problems(generic, {{"sites[0].generic.release",
                                "site 'lids' feeds 'lid' with zero capacity: no release is set to make 'lid' from "
                                "scratch"}});
  }
  SECTION("a second, idle supplier of the same input") {
    add(scenario, R"(
      sites { name: "spare" product: "hbm" memory {} }
      lanes { from: "spare" to: "pkg" product: "hbm" })");
    require_problems(scenario, {{"sites[5].memory.dram_wafer_starts_per_week",
                                 "site 'spare' feeds 'package' with zero capacity: dram_wafer_starts_per_week has "
                                 "no step with rate > 0"}});
  }
  SECTION("not a problem for a source that feeds no demand") {
    const auto other = parse(R"(
      products { name: "die" }
      products { name: "hbm" }
      sites { name: "f" product: "die" foundry { wafer_starts_per_week { steps { from_date: "2026-01-01" rate: 1 } } } }
      sites { name: "dc" product: "die" datacenter {} }
      sites { name: "spare" product: "hbm" memory {} }
      sites { name: "other_dc" product: "hbm" datacenter {} }
      lanes { from: "f" to: "dc" product: "die" }
      lanes { from: "spare" to: "other_dc" product: "hbm" }
      demand { product: "die" })");
    const Problems problems = check_network(other);
    INFO(listing(problems));
    CHECK(problems.empty());
  }
}

TEST_CASE("network: lane shares from one site for one product must sum to 1", "[network][checks]") {
  auto scenario = load("bom_merge.textproto");
  add(scenario, R"(
    sites { name: "dc2" product: "package" datacenter {} }
    lanes { from: "pkg" to: "dc2" product: "package" })");
  SECTION("all set, sum 0.9") {
    scenario.mutable_lanes(2)->set_share(0.6);
    scenario.mutable_lanes(3)->set_share(0.3);
    require_problems(scenario, {{"lanes[2].share",
                                 "shares of lanes from 'pkg' carrying 'package' sum to 0.9, not 1 ('pkg->dc' 0.6, "
                                 "'pkg->dc2' 0.3)"}});
  }
  SECTION("set on some lanes only") {
    scenario.mutable_lanes(2)->set_share(1.0);
    require_problems(scenario, {{"lanes[3].share",
                                 "share is set on some lanes from 'pkg' carrying 'package' but not on 'pkg->dc2'"}});
  }
  SECTION("sum 1 within 1e-6, or all unset: fine") {
    scenario.mutable_lanes(2)->set_share(0.7);
    scenario.mutable_lanes(3)->set_share(0.3000004);
    CHECK(check_network(scenario).empty());
    scenario.mutable_lanes(2)->clear_share();
    scenario.mutable_lanes(3)->clear_share();
    CHECK(check_network(scenario).empty());
  }
}

TEST_CASE("network: a site whose output nobody receives", "[network][checks]") {
  auto scenario = load("bom_merge.textproto");
  add(scenario, R"(sites { name: "hbm2" product: "hbm" memory {} })");
  require_problems(scenario, {{"sites[5]", "site 'hbm2' makes 'hbm' but no lane ships it anywhere"}});
}

TEST_CASE("network: no datacenter, or none installing the demand product", "[network][checks]") {
  auto scenario = load("bom_merge.textproto");
  SECTION("no datacenter at all") {
    scenario.mutable_sites()->DeleteSubrange(3, 1);
    scenario.mutable_lanes()->DeleteSubrange(2, 1);
    require_problems(scenario, {{"sites[2]", "site 'pkg' makes 'package' but no lane ships it anywhere"},
                                {"sites", "no datacenter site: nothing can be installed"}});
  }
  SECTION("demand product installed nowhere") {
    scenario.mutable_demand()->set_product("hbm");
    require_problems(scenario, {{"demand.product", "no datacenter installs the demand product 'hbm'"}});
  }
}

TEST_CASE("network: several problems are reported together, grouped by check", "[network][checks]") {
  auto scenario = load("bom_merge.textproto");
  scenario.mutable_lanes(0)->set_product("hbm");  // fab -> pkg now claims to carry stacks
  scenario.mutable_demand()->set_product("die");
  require_problems(scenario,
                   {
                       {"lanes[0].product", "lane 'fab->pkg' carries 'hbm' but site 'fab' makes 'die'"},
                       {"sites[2].product", "site 'pkg' assembles 'package' but no lane brings its input 'die'"},
                       {"sites[1]", "site 'fab' makes 'die' but no lane ships it anywhere"},
                       {"demand.product", "no datacenter installs the demand product 'die'"},
                   });
}
