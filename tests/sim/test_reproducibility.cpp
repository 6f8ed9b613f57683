// Reproducibility (docs/engine.md, docs/outputs.md): the same scenario and
// seed give byte-identical results, whatever the number of worker processes;
// adding an unrelated site changes no other site's random draws.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "sim_test_support.hpp"

using namespace scsim::simtest;

namespace {

std::string bytes(const scsim::ReplicationResult& result) {
  std::string out;
  REQUIRE(result.SerializeToString(&out));
  return out;
}

void require_identical(const std::vector<scsim::ReplicationResult>& a, const std::vector<scsim::ReplicationResult>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO("replication " << i);
    CHECK(a[i].replication() == static_cast<int>(i));
    CHECK(bytes(a[i]) == bytes(b[i]));
  }
}

// A chain with something random everywhere (releases, process times, yields,
// transits, a random disruption), short enough to run often.
scsim::Scenario random_chain(const std::string& extra = "") {
  std::string text = read_text(fixture_path("little_chain.textproto"));
  text += R"(
disruptions { name: "grind_outage" target: "cutting" rate_per_year: 6
              duration_days { triangular { min: 2 mode: 5 max: 15 } } capacity_factor: 0.3 }
disruptions { name: "road_closure" target: "assembly->burnin" rate_per_year: 3
              duration_days { exponential { mean: 4 } } }
)";
  return load_text(extra + text, {"horizon_days=3000"});
}

}  // namespace

TEST_CASE("sim: same scenario and seed give byte-identical results, for any number of jobs",
          "[sim][reproducibility]") {
  SECTION("a generic chain with disruptions") {
    const auto scenario = random_chain();
    const auto first = run(scenario, 4, 2);
    const auto second = run(scenario, 4, 2);
    const auto serial = run(scenario, 4, 1);
    const auto wide = run(scenario, 4, 3);
    require_identical(first, second);
    require_identical(first, serial);
    require_identical(first, wide);
    // ... and the replications do differ from each other.
    CHECK(bytes(first[0]) != bytes(first[1]));
    // Another seed gives other results.
    auto reseeded = scenario;
    reseeded.set_seed(scenario.seed() + 1);
    CHECK(bytes(run(reseeded, 1, 1).at(0)) != bytes(first[0]));
  }
  SECTION("the TSMC scenario") {
    const auto scenario = load_file(config_path("stargate_tsmc.textproto"));
    const auto serial = run(scenario, 4, 1);
    const auto parallel = run(scenario, 4, 2);
    require_identical(serial, parallel);
    require_identical(serial, run(scenario, 4, 2));
  }
}

TEST_CASE("sim: adding an unrelated site does not change any other site's results", "[sim][reproducibility]") {
  // A separate chain into its own sink, listed BEFORE the existing sites,
  // products, lanes and disruptions, so every index of the original shifts.
  const std::string unrelated = R"(
products { name: "widget" unit: "widget" }
sites {
  name: "widget_shop"
  product: "widget"
  generic {
    release { interarrival_days { exponential { mean: 0.7 } } }
    yield { fixed: 0.8 }
    stations { name: "lathe" process_time_days { exponential { mean: 0.5 } } }
  }
}
sites {
  name: "widget_sink"
  product: "widget"
  datacenter {
    buildings { name: "w1" construction_start_date: "2025-01-01" power_mw: 1000000 }
    kw_per_accelerator { fixed: 1 }
    install_days { uniform { min: 1 max: 3 } }
  }
}
lanes { from: "widget_shop" to: "widget_sink" product: "widget" transit_days { exponential { mean: 2 } } }
disruptions { name: "widget_strike" target: "widget_shop" rate_per_year: 5
              duration_days { exponential { mean: 10 } } }
)";
  const auto base = random_chain();
  const auto extended = random_chain(unrelated);
  REQUIRE(extended.sites_size() == base.sites_size() + 2);
  REQUIRE(extended.sites(0).name() == "widget_shop");

  const auto a = run(base, 3, 2);
  const auto b = run(extended, 3, 2);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    int compared = 0;
    for (const auto& s : a[i].series()) {
      if (s.site() == "ALL") continue;  // totals over all datacenters include the new one
      INFO("replication " << i << ", " << s.site() << "/" << s.metric());
      REQUIRE(has_series(b[i], s.site(), s.metric()));
      CHECK(series(b[i], s.site(), s.metric()) == std::vector<double>(s.values().begin(), s.values().end()));
      ++compared;
    }
    CHECK(compared > 10);
    for (const auto& s : a[i].stages()) {
      INFO("replication " << i << ", stage " << s.stage());
      std::string x, y;
      REQUIRE(s.SerializeToString(&x));
      REQUIRE(stage(b[i], s.stage()).SerializeToString(&y));
      CHECK(x == y);
    }
    // The new chain did run.
    CHECK(stage(b[i], "widget_shop").count() > 1000);
  }
}
