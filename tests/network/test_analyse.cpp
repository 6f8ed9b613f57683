// analyse(): topological order, first-unit critical path and capacity bound on hand-computed cases.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "network_test_support.hpp"
#include "sim/network/supply_network.hpp"

using scsim::network::analyse;
using scsim::network::Analysis;
using scsim::network::check_network;
using scsim::network::Stage;
using namespace scsim::network::testing;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

void require_path(const Analysis& analysis, const std::vector<Stage>& expected) {
  std::string got;
  for (const auto& s : analysis.critical_path)
    got += s.name + " (" + s.kind + ") " + std::to_string(s.start_day) + " .. " + std::to_string(s.end_day) + "\n";
  INFO(got);
  REQUIRE(analysis.critical_path.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CHECK(analysis.critical_path[i].name == expected[i].name);
    CHECK(analysis.critical_path[i].kind == expected[i].kind);
    CHECK(analysis.critical_path[i].start_day == Approx(expected[i].start_day));
    CHECK(analysis.critical_path[i].end_day == Approx(expected[i].end_day));
  }
}

const scsim::network::SiteCapacity& site(const Analysis& analysis, const std::string& name) {
  for (const auto& s : analysis.sites) {
    if (s.site == name) return s;
  }
  FAIL("no site " << name);
  throw std::logic_error("unreachable");
}

}  // namespace

// chain.textproto, by hand:
//   gross dies, 300 mm wafer, 10x10 mm die, no edge exclusion or scribe:
//     pi*300^2/(4*100) - pi*300/sqrt(200) = 706.858 - 66.643 = 640.2151
//   die yield, negative binomial alpha 3, D0 0.3/cm2 on 1 cm2: (1 + 0.3/3)^-3 = 0.7513148
//   fab: 4 wafers/week (last step) * 640.2151 * 0.7513148 = 1924.0123 dies/week
//   E(fab) = E(pkg) * assembly yield 0.9 / 1 die per package = 0.9 -> 1731.6111 accelerators/week
//   pkg: 100 interposer wafers * 30 packages * 0.9 = 2700/week; dc unlimited -> bound 1731.6111 at fab.
//   First unit: wafer starts from 2026-02-01 = day 31, + allocation 14 + cycle tri(80,100,120) mean 100 -> 145;
//   lane +5 -> 150; pkg queue 10 + cycle 20 -> 180; lane tri(3,5,10) mean 6 -> 186;
//   building b1 energized at max(2025-06-01 (day -214) + 300 = 86, 2026-05-01 (day 120) + 30 = 150) = 150 < 186;
//   install 7 -> 193.
TEST_CASE("network: three-site chain, hand-computed bound and first unit", "[network][analyse]") {
  auto scenario = load("chain.textproto");
  REQUIRE(check_network(scenario).empty());
  SECTION("foundry-limited") {
    const Analysis a = analyse(scenario);
    CHECK(a.topological_order == std::vector<std::string>{"fab", "pkg", "dc"});
    CHECK(site(a, "fab").product == "die");
    CHECK(site(a, "fab").output_per_week == Approx(1924.0123305));
    CHECK(site(a, "fab").accelerators_per_week == Approx(1731.6110975));
    CHECK(site(a, "pkg").output_per_week == Approx(2700));
    CHECK(site(a, "pkg").accelerators_per_week == Approx(2700));
    CHECK(std::isinf(site(a, "dc").output_per_week));
    CHECK(a.capacity_bound_per_week == Approx(1731.6110975));
    CHECK(a.bottleneck == "fab");
    CHECK(a.first_unit_day == Approx(193));
    require_path(a, {{"fab", "foundry", 31, 145},
                     {"fab->pkg", "lane", 145, 150},
                     {"pkg", "packaging", 150, 180},
                     {"pkg->dc", "lane", 180, 186},
                     {"dc", "datacenter", 186, 193}});
  }
  SECTION("packaging-limited: 50 interposer wafers * 30 * 0.9 = 1350 < 1731.6") {
    scenario.mutable_sites(1)->mutable_packaging()->mutable_interposer_wafers_per_week()->mutable_steps(0)->set_rate(
        50);
    const Analysis a = analyse(scenario);
    CHECK(a.capacity_bound_per_week == Approx(1350));
    CHECK(a.bottleneck == "pkg");
  }
}

// The chain with a campus that installs 500 a week and a building energized late:
//   bound min(1731.6, 2700, 500) = 500 at dc;
//   building b1 from 2026-01-01 (day 0) + 250 days, no power date -> energized day 250 > chips at 186;
//   first unit 250 + install 7 = 257, the path is the building then the datacenter.
TEST_CASE("network: datacenter install rate and building energizing bind", "[network][analyse]") {
  auto scenario = load("chain.textproto");
  auto* dc = scenario.mutable_sites(2)->mutable_datacenter();
  dc->set_install_rate_per_week(500);
  auto* building = dc->mutable_buildings(0);
  building->set_construction_start_date("2026-01-01");
  building->mutable_construction_days()->set_fixed(250);
  building->clear_power_date();
  const Analysis a = analyse(scenario);
  CHECK(site(a, "dc").output_per_week == Approx(500));
  CHECK(a.capacity_bound_per_week == Approx(500));
  CHECK(a.bottleneck == "dc");
  CHECK(a.first_unit_day == Approx(257));
  require_path(a, {{"b1", "building", 0, 250}, {"dc", "datacenter", 250, 257}});
}

// bom_merge.textproto, by hand (package = 1 die + 8 stacks, assembly yield 0.9):
//   fab: 5 wafers * 60 gross dies * harvested yield; die yield (1 + 0.1*8/3)^-3 = 0.4920542,
//        harvested 0.4920542 + 0.5079458*0.1 = 0.5428488 -> 162.8546 dies/week; E = 0.9 -> 146.5692 accel/week
//   hbm_fab: 100 DRAM wafers * 96 dies / 8-high * stack yield 0.75 = 900 stacks/week; E = 0.9/8 -> 101.25
//   pkg: 20 interposer wafers * 15 * 0.9 = 270/week
//   -> memory-limited: bound 101.25 at hbm_fab.
//   First unit: design 300 + 20 + 80 + 0.5*(0.6*60 + 0.4*150) + 100 = 548; fab gated at 548, + cycle 100 = 648,
//   lane 2 -> 650; stacks ready at 200, and qualification starts with them: 200 + 400 + 0.5*300 = 750,
//   lane 10 -> 760; kit at max(650, 760) = 760, + 30 -> 790; lane 5 -> 795; building energized at 100;
//   install 10 -> 805.
TEST_CASE("network: bom merge 1 die + 8 stacks, memory-limited", "[network][analyse]") {
  const auto scenario = load("bom_merge.textproto");
  const Analysis a = analyse(scenario);
  CHECK(a.topological_order == std::vector<std::string>{"arm", "fab", "hbm_fab", "pkg", "dc"});
  CHECK(site(a, "arm").product.empty());
  CHECK(site(a, "fab").output_per_week == Approx(162.8546435));
  CHECK(site(a, "fab").accelerators_per_week == Approx(146.5691792));
  CHECK(site(a, "hbm_fab").output_per_week == Approx(900));
  CHECK(site(a, "hbm_fab").accelerators_per_week == Approx(101.25));
  CHECK(site(a, "pkg").output_per_week == Approx(270));
  CHECK(a.capacity_bound_per_week == Approx(101.25));
  CHECK(a.bottleneck == "hbm_fab");
  CHECK(a.first_unit_day == Approx(805));
  require_path(a, {{"hbm_fab", "memory", 0, 200},
                   {"hbm_fab at pkg", "qualification", 200, 750},
                   {"hbm_fab->pkg", "lane", 750, 760},
                   {"pkg", "packaging", 760, 790},
                   {"pkg->dc", "lane", 790, 795},
                   {"dc", "datacenter", 795, 805}});
}

// The same with 300 DRAM wafers of 12-high stacks from the formula: die yield 0.99, bond yield 0.995 (default):
//   0.99^12 * 0.995^11 = 0.8388344; 300 * 96 / 12 * 0.8388344 = 2013.2025 stacks/week -> 226.485 accel/week
//   -> foundry-limited: bound 146.5692 at fab.
//   Qualification certain to slip (probability 1, 500 days): 200 + 400 + 500 = 1100 binds; lane -> 1110;
//   pkg -> 1140; lane -> 1145; install -> 1155.
TEST_CASE("network: bom merge 1 die + 8 stacks, foundry-limited, qualification binds", "[network][analyse]") {
  auto scenario = load("bom_merge.textproto");
  auto* memory = scenario.mutable_sites(4)->mutable_memory();
  memory->clear_stack_yield();
  memory->mutable_die_yield()->set_fixed(0.99);
  memory->set_stack_height(12);
  memory->mutable_dram_wafer_starts_per_week()->mutable_steps(0)->set_rate(300);
  memory->mutable_qualifications(0)->set_slip_probability(1.0);
  memory->mutable_qualifications(0)->mutable_slip_days()->set_fixed(500);
  const Analysis a = analyse(scenario);
  CHECK(site(a, "hbm_fab").output_per_week == Approx(2013.2025188));
  CHECK(site(a, "hbm_fab").accelerators_per_week == Approx(226.4852834));
  CHECK(a.capacity_bound_per_week == Approx(146.5691792));
  CHECK(a.bottleneck == "fab");
  CHECK(a.first_unit_day == Approx(1155));
  require_path(a, {{"hbm_fab", "memory", 0, 200},
                   {"hbm_fab at pkg", "qualification", 200, 1100},
                   {"hbm_fab->pkg", "lane", 1100, 1110},
                   {"pkg", "packaging", 1110, 1140},
                   {"pkg->dc", "lane", 1140, 1145},
                   {"dc", "datacenter", 1145, 1155}});
}

// dual_source.textproto: fab_a 10 wafers * 100 dies, fab_b 5 * 100, yield 1 (no D0), packaging unlimited:
//   bound 1000 + 500 = 1500; both foundries are on the minimum cut, the tie goes to the most upstream in
//   topological order (fab_a, listed first).
//   First unit: design release 100; fab_a 100 + 50 = 150; fab_b 100 + port 60 + 50 = 210; the kit takes the
//   earliest die (150); pkg + 10 = 160; lanes and install take 0 days.
TEST_CASE("network: dual-source split sums the foundries unless packaging limits", "[network][analyse]") {
  auto scenario = load("dual_source.textproto");
  REQUIRE(check_network(scenario).empty());
  SECTION("packaging ample") {
    const Analysis a = analyse(scenario);
    CHECK(a.topological_order == std::vector<std::string>{"arm", "fab_a", "fab_b", "pkg", "dc"});
    CHECK(site(a, "fab_a").accelerators_per_week == Approx(1000));
    CHECK(site(a, "fab_b").accelerators_per_week == Approx(500));
    CHECK(std::isinf(site(a, "pkg").output_per_week));
    CHECK(a.capacity_bound_per_week == Approx(1500));
    CHECK(a.bottleneck == "fab_a");
    CHECK(a.first_unit_day == Approx(160));
    require_path(a, {{"arm", "design", 0, 100},
                     {"fab_a", "foundry", 100, 150},
                     {"fab_a->pkg", "lane", 150, 150},
                     {"pkg", "packaging", 150, 160},
                     {"pkg->dc", "lane", 160, 160},
                     {"dc", "datacenter", 160, 160}});
  }
  SECTION("packaging-limited: 10 interposer wafers * 80 packages = 800 < 1500") {
    auto* pkg = scenario.mutable_sites(3)->mutable_packaging();
    pkg->mutable_interposer_wafers_per_week()->add_steps()->set_rate(10);
    pkg->mutable_interposer_wafers_per_week()->mutable_steps(0)->set_from_date("2026-01-01");
    pkg->set_packages_per_interposer_wafer(80);
    const Analysis a = analyse(scenario);
    CHECK(a.capacity_bound_per_week == Approx(800));
    CHECK(a.bottleneck == "pkg");
  }
  SECTION("the second source's first die arrives first when the home foundry is slow") {
    // fab_a cycle 200 -> 300; fab_b 210 (incl. its 60-day port) -> the first kit uses fab_b's die.
    scenario.mutable_sites(1)->mutable_foundry()->mutable_cycle_time_days()->set_fixed(200);
    const Analysis a = analyse(scenario);
    CHECK(a.first_unit_day == Approx(220));
    require_path(a, {{"arm", "design", 0, 100},
                     {"fab_b", "foundry", 100, 210},
                     {"fab_b->pkg", "lane", 210, 210},
                     {"pkg", "packaging", 210, 220},
                     {"pkg->dc", "lane", 220, 220},
                     {"dc", "datacenter", 220, 220}});
  }
}

// One foundry shipping 75% / 25% to two packaging sites with assembly yields 0.8 and 1:
//   E(fab) = 0.75*0.8 + 0.25*1 = 0.85; 10 wafers * 100 dies = 1000 dies -> 850 accelerators/week at fab.
TEST_CASE("network: lane shares weight the end-product equivalents", "[network][analyse]") {
  const auto scenario = parse(R"(
    start_date: "2026-01-01"
    products { name: "die" }
    products { name: "package" bom { product: "die" } }
    sites { name: "fab" product: "die" foundry {
      gross_dies_per_wafer: 100 wafer_starts_per_week { steps { from_date: "2026-01-01" rate: 10 } } } }
    sites { name: "pkg1" product: "package" packaging { assembly_yield { fixed: 0.8 } } }
    sites { name: "pkg2" product: "package" packaging { assembly_yield { fixed: 1 } } }
    sites { name: "dc" product: "package" datacenter {} }
    lanes { from: "fab" to: "pkg1" product: "die" share: 0.75 }
    lanes { from: "fab" to: "pkg2" product: "die" share: 0.25 }
    lanes { from: "pkg1" to: "dc" product: "package" }
    lanes { from: "pkg2" to: "dc" product: "package" }
  )");
  REQUIRE(check_network(scenario).empty());
  const Analysis a = analyse(scenario);
  CHECK(site(a, "fab").accelerators_per_week == Approx(850));
  CHECK(a.capacity_bound_per_week == Approx(850));
  CHECK(a.bottleneck == "fab");
}

TEST_CASE("network: topological order is canonical, ties broken by name whatever the file order", "[network][analyse]") {
  // Listed backwards: dc pkg hbm fab arm; arm gates fab. Ready at the start: hbm and arm; arm first (by name),
  // which frees fab (before hbm by name), then hbm, pkg, dc.
  const auto scenario = parse(R"(
    start_date: "2026-01-01"
    products { name: "die" }
    products { name: "hbm" }
    products { name: "package" bom { product: "die" } bom { product: "hbm" quantity: 8 } }
    sites { name: "dc" product: "package" datacenter {} }
    sites { name: "pkg" product: "package" packaging {} }
    sites { name: "hbm" product: "hbm" memory {
      dram_wafer_starts_per_week { steps { from_date: "2026-01-01" rate: 1 } } } }
    sites { name: "fab" product: "die" foundry { design_site: "arm"
      wafer_starts_per_week { steps { from_date: "2026-01-01" rate: 1 } } } }
    sites { name: "arm" design {} }
    lanes { from: "pkg" to: "dc" product: "package" }
    lanes { from: "hbm" to: "pkg" product: "hbm" }
    lanes { from: "fab" to: "pkg" product: "die" }
  )");
  REQUIRE(check_network(scenario).empty());
  const Analysis a = analyse(scenario);
  CHECK(a.topological_order == std::vector<std::string>{"arm", "fab", "hbm", "pkg", "dc"});
  REQUIRE(a.sites.size() == 5);
  CHECK(a.sites[0].site == "arm");
  CHECK(a.sites[4].site == "dc");

  SECTION("the same in any file order") {
    auto reversed = scenario;
    std::reverse(reversed.mutable_sites()->begin(), reversed.mutable_sites()->end());
    std::reverse(reversed.mutable_lanes()->begin(), reversed.mutable_lanes()->end());
    CHECK(analyse(reversed).topological_order == a.topological_order);
  }
  SECTION("a cycle without lookahead is refused by the checks") {
    auto cyclic = scenario;
    add(cyclic, R"(lanes { from: "pkg" to: "fab" product: "package" })");
    CHECK_FALSE(check_network(cyclic).empty());
  }
}

TEST_CASE("network: a chain without any limit has an unlimited bound and no bottleneck", "[network][analyse]") {
  const auto scenario = parse(R"(
    start_date: "2026-01-01"
    products { name: "widget" }
    sites { name: "maker" product: "widget" generic { release { conwip_wip_lots: 2 } } }
    sites { name: "dc" product: "widget" datacenter {} }
    lanes { from: "maker" to: "dc" product: "widget" }
  )");
  REQUIRE(check_network(scenario).empty());
  const Analysis a = analyse(scenario);
  CHECK(a.capacity_bound_per_week == kInf);
  CHECK(a.bottleneck.empty());
  CHECK(a.first_unit_day == Approx(0));
}

// A generic source: 2 lots of 5 per week, one station with 2 servers of 3-day lots (2 * 5 * 7 / 3 = 23.3/week),
// yield 0.5 -> min(10, 23.3) * 0.5 = 5 units/week.
TEST_CASE("network: generic source capacity is the release rate or its slowest station", "[network][analyse]") {
  const auto scenario = parse(R"(
    start_date: "2026-01-01"
    products { name: "widget" }
    sites { name: "maker" product: "widget" generic {
      lot_size: 5
      yield { fixed: 0.5 }
      stations { name: "s1" servers: 2 process_time_days { fixed: 3 } }
      stations { name: "s2" servers: 1 process_time_days { fixed: 1 } }
      release { lots_per_week { steps { from_date: "2026-01-08" rate: 2 } } } } }
    sites { name: "dc" product: "widget" datacenter { install_days { fixed: 1 } } }
    lanes { from: "maker" to: "dc" product: "widget" transit_days { fixed: 2 } }
  )");
  REQUIRE(check_network(scenario).empty());
  const Analysis a = analyse(scenario);
  CHECK(site(a, "maker").output_per_week == Approx(5));
  CHECK(a.capacity_bound_per_week == Approx(5));
  CHECK(a.bottleneck == "maker");
  // First release on day 7, stations 3 + 1 days -> 11, lane 2 -> 13, install 1 -> 14.
  CHECK(a.first_unit_day == Approx(14));
  require_path(a, {{"maker", "generic", 7, 11}, {"maker->dc", "lane", 11, 13}, {"dc", "datacenter", 13, 14}});
}

// Two independent branches: fab_a (1000) -> pkg_a (3 * 100 = 300) and fab_b (2 * 100 = 200) -> pkg_b (unlimited).
// Bound 300 + 200 = 500; the minimum cut runs through pkg_a and fab_b. pkg_a comes first in the topological order
// (it is listed first), but fab_b is fewer lane hops from a source, so fab_b is named.
TEST_CASE("network: the bottleneck is the most upstream site on the minimum cut", "[network][analyse]") {
  const auto scenario = parse(R"(
    start_date: "2026-01-01"
    products { name: "die" }
    products { name: "package" bom { product: "die" } }
    sites { name: "pkg_a" product: "package" packaging {
      interposer_wafers_per_week { steps { from_date: "2026-01-01" rate: 3 } } packages_per_interposer_wafer: 100 } }
    sites { name: "fab_a" product: "die" foundry {
      gross_dies_per_wafer: 100 wafer_starts_per_week { steps { from_date: "2026-01-01" rate: 10 } } } }
    sites { name: "fab_b" product: "die" foundry {
      gross_dies_per_wafer: 100 wafer_starts_per_week { steps { from_date: "2026-01-01" rate: 2 } } } }
    sites { name: "pkg_b" product: "package" packaging {} }
    sites { name: "dc" product: "package" datacenter {} }
    lanes { from: "fab_a" to: "pkg_a" product: "die" }
    lanes { from: "fab_b" to: "pkg_b" product: "die" }
    lanes { from: "pkg_a" to: "dc" product: "package" }
    lanes { from: "pkg_b" to: "dc" product: "package" }
  )");
  REQUIRE(check_network(scenario).empty());
  const Analysis a = analyse(scenario);
  CHECK(a.topological_order == std::vector<std::string>{"fab_a", "fab_b", "pkg_a", "pkg_b", "dc"});
  CHECK(a.capacity_bound_per_week == Approx(500));
  CHECK(a.bottleneck == "fab_b");
}
