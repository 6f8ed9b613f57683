// Site processes on their own: built by their kind, driven event by event by the test, with a recording
// outbox instead of the SimGrid runtime. No SimGrid engine, no worker process.
#include <catch2/catch.hpp>

#include <thread>
#include <vector>

#include "sim/config/resolve.hpp"
#include "sim/engine/replication_setup.hpp"
#include "sim/kinds/kind.hpp"
#include "sim_test_support.hpp"

using namespace scsim::simtest;

namespace {

struct Recording final : scsim::engine::Outbox {
  std::vector<std::pair<int, scsim::engine::Event>> sent;
  void send(int site, scsim::engine::Event&& event) override { sent.emplace_back(site, std::move(event)); }
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

namespace {

// A program scenario small enough to follow by hand: a design gating a fab of 10 good dies per wafer (10-wafer
// lots, 10 days each), booked from day 0, risk starts right at each first silicon, 5 days to the campus.
const char* kRiskFab = R"(
  name: "risk" start_date: "2025-01-01" horizon_days: 400 seed: 1 replications: 1
  program { }
  demand { product: "die" target_units: 1000 }
  products { name: "die" }
  sites { name: "design" design { tapeout_days { fixed: 10 } mask_days { fixed: 0 } first_silicon_days { fixed: 10 }
          respin_probability: 0 production_release_days { fixed: 100 } } }
  sites { name: "fab" product: "die" foundry { design_site: "design" gross_dies_per_wafer: 10
          d0_per_cm2 { fixed: 0.1 } wafer_starts_per_week { steps { from_date: "2025-01-01" rate: 70 } }
          lot_size_wafers: 10 cycle_time_days { fixed: 10 } capacity { booking_date: "2025-01-01" }
          risk_start_after_silicon_days: 0 } }
  sites { name: "dc" product: "die" datacenter {
          buildings { name: "b" construction_start_date: "2025-01-01" power_mw: 1000 } kw_per_accelerator { fixed: 1 } } }
  lanes { from: "fab" to: "dc" product: "die" transit_days { fixed: 5 } }
)";

}  // namespace

TEST_CASE("processes: risk starts of a respun spin are scrapped, and good ones ship at release",
          "[sim][process][program]") {
  const auto scenario = scsim::config::resolve(load_text(kRiskFab));
  auto processes = scsim::engine::make_processes(scenario, scsim::network::analyse(scenario), 0);
  const int fab_index = scenario.site_index("fab");
  auto& fab = *processes[static_cast<std::size_t>(fab_index)];
  const int design = scenario.site_index("design"), lane = 0;
  auto push = [&](double time, scsim::engine::EventBody body) {
    static std::uint64_t seq = 0;
    fab.heap().push(scsim::engine::Event{time, design, seq++, std::move(body)});
  };
  namespace ev = scsim::engine::ev;
  // 100 dies needed at the campus on day 30: started by 30 - 5 - 10 = 15, so as soon as risk starts may.
  push(1, ev::Order{lane, 100, 30});
  push(20, ev::Silicon{0, false});  // first silicon: risk starts begin; this spin will be respun
  push(50, ev::Silicon{1, true});   // the respin's silicon: spin 0's risk output is scrapped, started again
  push(150, ev::GateOpen{});        // production release: the held dies ship
  Recording out;
  drive(fab, out, 400);
  // One lot on spin 0 (day 20, done 30, held, scrapped at 50), one on spin 1 (day 50, done 60, held to 150).
  REQUIRE(out.sent.size() == 1);
  const auto& [site, event] = out.sent[0];
  CHECK(site == scenario.site_index("dc"));
  CHECK(event.time == Approx(155));
  const auto& arrival = std::get<ev::Arrival>(event.body);
  CHECK(arrival.batch.units == 100);
  CHECK(arrival.batch.origin_day == Approx(50));
  CHECK(arrival.batch.risk_spin == 1);
}

TEST_CASE("processes: the campus orders its plan up the lane, due a lead time ahead", "[sim][process][program]") {
  const auto scenario = scsim::config::resolve(load_text(kRiskFab));
  auto processes = scsim::engine::make_processes(scenario, scsim::network::analyse(scenario), 0);
  auto& dc = *processes[static_cast<std::size_t>(scenario.site_index("dc"))];
  Recording out;
  drive(dc, out, 400);
  // Orders go to the fab one order-day later, each due one review and a lead (1 order day + 5 transit + 10
  // cycle) after it was placed; in all they come to the target.
  REQUIRE(!out.sent.empty());
  double units = 0;
  for (const auto& [site, event] : out.sent) {
    CHECK(site == scenario.site_index("fab"));
    const auto& order = std::get<scsim::engine::ev::Order>(event.body);
    const double placed = event.time - 1;
    CHECK(order.due_day == Approx(placed + 16 + 7));
    units += order.units;
  }
  CHECK(units == 1000);
}

TEST_CASE("processes: a foundry's planned good dies per wafer follow its defect density, resolved again or not",
          "[sim][process]") {
  // The mean over d0's distribution is kept between resolutions of the same inputs (20,000 yield evaluations):
  // a changed distribution must not get the old answer, and a kept answer must be the one computed afresh.
  const auto tsmc = load_file(config_path("stargate_tsmc.textproto"));
  auto planned = [](const scsim::Scenario& message) {
    const auto scenario = scsim::config::resolve(message);
    const auto& site = scenario.sites[static_cast<std::size_t>(scenario.site_index("tsmc_n3"))];
    return site.kind->planned_good_per_unit(site);
  };
  auto worse = tsmc;
  for (auto& site : *worse.mutable_sites())
    if (site.name() == "tsmc_n3") {
      auto* d0 = site.mutable_foundry()->mutable_d0_per_cm2();
      REQUIRE(d0->has_triangular());
      d0->mutable_triangular()->set_max(d0->triangular().max() * 2);
    }
  const double first = planned(tsmc), other = planned(worse), again = planned(tsmc);
  double fresh = 0;
  std::thread([&] { fresh = planned(tsmc); }).join();  // a thread of its own starts with nothing kept
  CHECK(other < first);
  CHECK(again == first);
  CHECK(fresh == first);
}
