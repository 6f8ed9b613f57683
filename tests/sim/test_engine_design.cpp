// The engine's design guarantees: results do not depend on the order of the
// file, on how actors interleave, or on the window size; the SimGrid runtime
// (an actor per loop of sites, windows between loops) reproduces a plain
// one-event-at-a-time executor exactly; upstream orders close a loop whose
// throughput matches mean value analysis.
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>

#include "sim/config/resolve.hpp"
#include "sim/engine/replication_setup.hpp"
#include "sim_test_support.hpp"

using namespace scsim::simtest;

namespace {

std::string bytes(const scsim::ReplicationResult& result) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  result.SerializeToCodedStream(&coded);
  return out;
}

std::vector<std::string> bytes(const std::vector<scsim::ReplicationResult>& results) {
  std::vector<std::string> out;
  for (const auto& r : results) out.push_back(bytes(r));
  return out;
}

std::vector<scsim::ReplicationResult> run_with(const scsim::Scenario& scenario, int count, double window_days = 0,
                                               std::size_t sites_per_heap = 0) {
  scsim::engine::RunnerOptions options;
  options.jobs = 2;
  options.runtime.window_days = window_days;
  options.runtime.sites_per_heap = sites_per_heap;
  return scsim::engine::run_replications(scenario, scsim::network::analyse(scenario), count, options);
}

std::size_t site_index(const scsim::scenario::Scenario& scenario, const std::string& name) {
  for (std::size_t i = 0; i < scenario.sites.size(); ++i)
    if (scenario.sites[i].name == name) return i;
  FAIL("no site " << name);
  return 0;
}

// Throughput of a closed network of FCFS exponential stations (mean service times) and a pure delay.
double mva_throughput(int customers, const std::vector<double>& service_days, double delay_days) {
  std::vector<double> queue(service_days.size(), 0.0);
  double throughput = 0;
  for (int n = 1; n <= customers; ++n) {
    double cycle = delay_days;
    std::vector<double> residence(service_days.size());
    for (std::size_t k = 0; k < service_days.size(); ++k) cycle += residence[k] = service_days[k] * (1 + queue[k]);
    throughput = n / cycle;
    for (std::size_t k = 0; k < service_days.size(); ++k) queue[k] = throughput * residence[k];
  }
  return throughput;
}

}  // namespace

TEST_CASE("engine: reversing the order of sites and lanes changes no result", "[sim][design]") {
  for (const char* name : {"stargate_tsmc.textproto", "stargate_samsung.textproto", "stargate_dual.textproto"}) {
    INFO(name);
    const auto scenario = load_file(config_path(name));
    auto reversed = scenario;
    std::reverse(reversed.mutable_sites()->begin(), reversed.mutable_sites()->end());
    std::reverse(reversed.mutable_lanes()->begin(), reversed.mutable_lanes()->end());
    CHECK(bytes(run_with(scenario, 3)) == bytes(run_with(reversed, 3)));
  }
}

TEST_CASE("engine: the SimGrid runtime reproduces the one-event-at-a-time executor", "[sim][design]") {
  // run_sequential handles every site's events in one global order, in this process, without SimGrid.
  for (const auto& path : {config_path("stargate_tsmc.textproto"), fixture_path("kanban_loop.textproto"),
                           std::string(SCSIM_SOURCE_DIR) + "/tests/scenarios/tsmc_deterministic.textproto"}) {
    INFO(path);
    const auto message = load_file(path, {"horizon_days=2000"});
    const auto scenario = scsim::config::resolve(message);
    const auto sequential = scsim::engine::run_sequential(scenario, scsim::network::analyse(scenario), 1);
    const auto windowed = run_with(message, 2).at(1);
    CHECK(bytes(sequential) == bytes(windowed));
    // A loop's sites share one event heap; split into heaps of one and of two sites, the loop picks among
    // them by (time, rank) and must give the same results.
    CHECK(bytes(sequential) == bytes(run_with(message, 2, 0, 1).at(1)));
    CHECK(bytes(sequential) == bytes(run_with(message, 2, 0, 2).at(1)));
  }
}

TEST_CASE("engine: results do not depend on the window size", "[sim][design]") {
  // Windows pace the actors of different loops; the kanban loop's sites share one actor.
  const auto loop = load_file(fixture_path("kanban_loop.textproto"), {"horizon_days=3000"});
  const auto reference = bytes(run_with(loop, 2, 1.0));
  CHECK(bytes(run_with(loop, 2, 0.25)) == reference);
  CHECK(bytes(run_with(loop, 2, 0.6)) == reference);
  CHECK(bytes(run_with(loop, 2, 30)) == reference);

  const auto tsmc = load_file(config_path("stargate_tsmc.textproto"));
  const auto by_default = bytes(run_with(tsmc, 2));  // 91-day windows
  CHECK(bytes(run_with(tsmc, 2, 1)) == by_default);
  CHECK(bytes(run_with(tsmc, 2, 7)) == by_default);
  CHECK(bytes(run_with(tsmc, 2, 30)) == by_default);
  CHECK(bytes(run_with(tsmc, 2, 1e6)) == by_default);  // the whole horizon as one window
}

TEST_CASE("engine: the sites of a loop run as one actor, senders of zero-delay edges first at equal times",
          "[sim][design]") {
  // Material down the lane, orders back up it: cards and assembly form a loop, the sink is on its own.
  const auto kanban = scsim::config::resolve(load_file(fixture_path("kanban_loop.textproto")));
  const auto plan = scsim::network::sync_plan(kanban);
  REQUIRE(plan.component.size() == 3);
  CHECK(plan.component[site_index(kanban, "cards")] == plan.component[site_index(kanban, "assembly")]);
  CHECK(plan.component[site_index(kanban, "sink")] != plan.component[site_index(kanban, "cards")]);

  // A loop of lanes entered at 'x' (the smallest name) and closed by a zero-delay lane z -> x: z must go
  // before x at equal times although x comes first in the resolved order.
  const auto ring = scsim::config::resolve(load_text(R"(
    name: "ring" start_date: "2025-01-01" horizon_days: 100 seed: 1 replications: 1
    products { name: "a" bom { product: "c" quantity: 1 } }
    products { name: "b" bom { product: "a" quantity: 1 } }
    products { name: "c" bom { product: "b" quantity: 1 } }
    sites { name: "x" product: "a" generic { stations { name: "s" process_time_days { fixed: 1 } } } }
    sites { name: "y" product: "b" generic { stations { name: "s" process_time_days { fixed: 1 } } } }
    sites { name: "z" product: "c" generic { stations { name: "s" process_time_days { fixed: 1 } } } }
    sites { name: "dc" product: "a" datacenter {
      buildings { name: "b1" construction_start_date: "2025-01-01" power_mw: 1 } kw_per_accelerator { fixed: 1 } } }
    lanes { from: "x" to: "y" product: "a" mode: INTERNAL transit_days { fixed: 1 } }
    lanes { from: "y" to: "z" product: "b" mode: INTERNAL transit_days { fixed: 1 } }
    lanes { from: "z" to: "x" product: "c" mode: INTERNAL transit_days { fixed: 0 } }
    lanes { from: "x" to: "dc" product: "a" mode: INTERNAL transit_days { fixed: 0 } }
  )"));
  const auto ring_plan = scsim::network::sync_plan(ring);
  const auto x = site_index(ring, "x"), y = site_index(ring, "y"), z = site_index(ring, "z"), dc = site_index(ring, "dc");
  CHECK(x < z);
  CHECK(ring_plan.rank[z] < ring_plan.rank[x]);
  CHECK(ring_plan.rank[x] < ring_plan.rank[dc]);
  CHECK(ring_plan.component[x] == ring_plan.component[y]);
  CHECK(ring_plan.component[x] == ring_plan.component[z]);
  CHECK(ring_plan.component[dc] != ring_plan.component[x]);

  // The loop's actor reproduces the one-event-at-a-time executor with a week-long order delay and with a
  // zero-delay lane inside the loop.
  for (const char* change : {"lanes[0].order_days=7", "lanes[0].transit_days=0"}) {
    INFO(change);
    const auto message = load_file(fixture_path("kanban_loop.textproto"), {"horizon_days=3000", change});
    const auto scenario = scsim::config::resolve(message);
    CHECK(bytes(scsim::engine::run_sequential(scenario, scsim::network::analyse(scenario), 1)) ==
          bytes(run_with(message, 2).at(1)));
  }
}

TEST_CASE("engine: orders back up a lane close a pull loop whose throughput matches MVA", "[sim][design]") {
  const auto scenario = load_file(fixture_path("kanban_loop.textproto"));
  const auto analysis = scsim::network::analyse(scenario);
  const auto results = run(scenario, scenario.replications());
  const double theory = mva_throughput(3, {1.0, 0.8}, 2.0);
  const auto measured = estimate(results, [](const auto& r) { return stage(r, "assembly").throughput_per_day(); });
  // Three lots in the loop at all times: time-average lots in the two stations plus those in transit is 3.
  const auto wip = estimate(
      results, [](const auto& r) { return stage(r, "cards").time_avg_wip() + stage(r, "assembly").time_avg_wip(); });
  std::printf("kanban loop: throughput %.4f/day (se %.4f), MVA %.4f; lots in stations %.3f\n", measured.mean,
              measured.se, theory, wip.mean);
  CHECK(theory == Approx(0.62983).margin(1e-5));  // by hand: X(1) = 1/3.8, X(2) = 2/4.231, X(3) = 3/4.763
  CHECK(measured.mean == Approx(theory).margin(4 * measured.se + 1e-3));
  // Little: lots in the delay = throughput x 2 days, so the stations hold 3 - 2X.
  CHECK(wip.mean == Approx(3 - 2 * theory).margin(0.02));
}

TEST_CASE("engine: first install and milestones come from install times, not processing order", "[sim][design]") {
  // One source feeding two campuses; the one listed first gets its lots later.
  const auto scenario = load_text(R"(
    name: "two_campuses" start_date: "2025-01-01" horizon_days: 200 seed: 3 replications: 1
    products { name: "chip" }
    demand { product: "chip" target_units: 40 }
    sites { name: "fab" product: "chip" generic {
      release { lots_per_week { steps { from_date: "2025-01-01" rate: 7 } } max_lots: 60 }
      stations { process_time_days { fixed: 1 } } } }
    sites { name: "far" product: "chip" datacenter {
      buildings { name: "b" construction_start_date: "2025-01-01" power_mw: 1000 } kw_per_accelerator { fixed: 1 } } }
    sites { name: "near" product: "chip" datacenter {
      buildings { name: "b" construction_start_date: "2025-01-01" power_mw: 1000 } kw_per_accelerator { fixed: 1 } } }
    lanes { from: "fab" to: "far" product: "chip" transit_days { fixed: 5.5 } share: 0.5 }
    lanes { from: "fab" to: "near" product: "chip" transit_days { fixed: 2 } share: 0.5 }
  )");
  const auto result = run(scenario, 1, 1).at(0);
  // 7 lots a week: one a day. The first lot is released on day 0, done on day 1; lots alternate between the
  // lanes by share, starting with the first lane in canonical order ("fab->far"): it reaches 'far' on day 6.5.
  // The second lot (released day 1, done day 2) reaches 'near' on day 4: the earlier install.
  CHECK(result.first_install_day() == 4.0);
  CHECK(series(result, "far", "installed").at(0) == 1);   // day 6.5, and nothing else in week 0 there
  CHECK(series(result, "near", "installed").at(0) == 2);  // days 4 and 6 (lot 6 arrives on day 8, week 1)
  REQUIRE(result.milestone_days_size() == 4);
  for (int m = 1; m < 4; ++m) CHECK(result.milestone_days(m) >= result.milestone_days(m - 1));
  CHECK(result.milestone_days(3) > 0);
}

TEST_CASE("engine: a BOM listing an input twice is the same as one line with the sum", "[sim][design]") {
  const std::string base = R"(
    name: "bom" start_date: "2025-01-01" horizon_days: 300 seed: 5 replications: 2
    products { name: "part" }
    sites { name: "maker" product: "part" generic {
      release { interarrival_days { exponential { mean: 0.5 } } } stations { process_time_days { fixed: 0.1 } } } }
    sites { name: "asm" product: "kit" generic { stations { process_time_days { exponential { mean: 0.9 } } } } }
    sites { name: "dc" product: "kit" datacenter {
      buildings { name: "b" construction_start_date: "2025-01-01" power_mw: 1000 } kw_per_accelerator { fixed: 1 } } }
    lanes { from: "maker" to: "asm" product: "part" }
    lanes { from: "asm" to: "dc" product: "kit" }
  )";
  const auto twice = load_text(base + R"(products { name: "kit" bom { product: "part" quantity: 1 }
                                                                bom { product: "part" quantity: 1 } })");
  const auto summed = load_text(base + R"(products { name: "kit" bom { product: "part" quantity: 2 } })");
  const auto a = run(twice, 2), b = run(summed, 2);
  CHECK(bytes(a) == bytes(b));
  for (const auto& r : a)
    for (double v : series(r, "asm", "inventory")) CHECK(v >= 0);
  CHECK(a.at(0).installed_units() > 0);
}
