// Site processes on their own: built by their kind, driven event by event by the test, with a recording
// outbox instead of the SimGrid runtime. No SimGrid engine, no worker process.
#include <catch2/catch.hpp>

#include <vector>

#include "sim/config/resolve.hpp"
#include "sim/engine/replication_setup.hpp"
#include "sim_test_support.hpp"

using namespace scsim::simtest;

namespace {

struct Recording final : scsim::engine::Outbox {
  std::vector<std::pair<int, scsim::engine::Event>> sent;
  void send(int site, scsim::engine::Event event) override { sent.emplace_back(site, std::move(event)); }
};

// Handles site `index`'s own events up to `until` (exclusive).
void drive(scsim::engine::SiteProcess& process, Recording& out, double until) {
  while (!process.heap().empty() && process.heap().next_time() < until) process.handle(process.heap().pop(), out);
}

const char* kLine = R"(
  name: "line" start_date: "2025-01-01" horizon_days: 100 seed: 1 replications: 1
  products { name: "part" }
  sites { name: "maker" product: "part" generic {
    release { lots_per_week { steps { from_date: "2025-01-08" rate: 3.5 } } max_lots: 5 }
    stations { process_time_days { fixed: 1.5 } } lot_size: 10 } }
  sites { name: "dc" product: "part" datacenter {
    buildings { name: "b" construction_start_date: "2025-01-01" power_mw: 1 } kw_per_accelerator { fixed: 1 } } }
  lanes { from: "maker" to: "dc" product: "part" transit_days { fixed: 3 } }
)";

}  // namespace

TEST_CASE("processes: a source releases on its plan and ships each lot down its lane", "[sim][process]") {
  const auto scenario = scsim::config::resolve(load_text(kLine));
  auto processes = scsim::engine::make_processes(scenario, scsim::network::analyse(scenario), 0);
  auto& maker = *processes[static_cast<std::size_t>(scenario.site_index("maker"))];
  Recording out;
  drive(maker, out, 100);
  // 3.5 lots a week from day 7: one every 2 days, five in all (max_lots); each takes 1.5 days, then 3 in
  // transit: arrivals on days 11.5, 13.5, 15.5, 17.5, 19.5 at 'dc', 10 units each.
  REQUIRE(out.sent.size() == 5);
  for (std::size_t i = 0; i < out.sent.size(); ++i) {
    const auto& [site, event] = out.sent[i];
    CHECK(site == scenario.site_index("dc"));
    CHECK(event.time == Approx(11.5 + 2.0 * static_cast<double>(i)));
    const auto& arrival = std::get<scsim::engine::ev::Arrival>(event.body);
    CHECK(arrival.batch.units == 10);
    CHECK(arrival.batch.origin_day == Approx(7 + 2.0 * static_cast<double>(i)));
    CHECK(event.source == scenario.site_index("maker"));
  }
  // The canonical key: the sending site's own sequence numbers increase with every event it schedules.
  for (std::size_t i = 1; i < out.sent.size(); ++i) CHECK(out.sent[i].second.seq > out.sent[i - 1].second.seq);
}

TEST_CASE("processes: a datacenter installs what arrives into powered slots and records it", "[sim][process]") {
  const auto scenario = scsim::config::resolve(load_text(kLine));
  auto processes = scsim::engine::make_processes(scenario, scsim::network::analyse(scenario), 0);
  auto& dc = *processes[static_cast<std::size_t>(scenario.site_index("dc"))];
  Recording out;
  scsim::engine::Batch batch;
  batch.product = 0;
  batch.units = 10;
  batch.origin_day = 2;
  dc.heap().push({5.0, 0, 0, scsim::engine::ev::Arrival{0, batch}});
  drive(dc, out, 100);
  // 1 MW at 1 kW each: 1,000 slots, energized on day 0; install time 0.
  REQUIRE(dc.installs().size() == 1);
  CHECK(dc.installs()[0].day == 5.0);
  CHECK(dc.installs()[0].units == 10);
  CHECK(out.sent.empty());
}

TEST_CASE("processes: an event a role never receives is a programming error, named", "[sim][process]") {
  const auto scenario = scsim::config::resolve(load_text(kLine));
  auto processes = scsim::engine::make_processes(scenario, scsim::network::analyse(scenario), 0);
  auto& maker = *processes[static_cast<std::size_t>(scenario.site_index("maker"))];
  Recording out;
  CHECK_THROWS_WITH(maker.handle({1.0, 0, 0, scsim::engine::ev::Energize{0}}, out),
                    "site 'maker' received an unexpected energize event");
}
