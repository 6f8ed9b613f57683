// Program dynamics (docs/model.md, "The program"): the acceptance criteria of the shipped scenarios, and the
// planner, order book and capacity pool on their own.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <cmath>
#include <string>
#include <vector>

#include "models/capacity_pool.hpp"
#include "sim/config/loader.hpp"
#include "sim/engine/order_book.hpp"
#include "sim/engine/program_planner.hpp"
#include "sim/engine/runner.hpp"
#include "sim/network/supply_network.hpp"
#include "sim/results/results.pb.h"

using scsim::config::load_scenario;

namespace {

const std::string kRoot = SCSIM_SOURCE_DIR;
const std::string kTsmc = kRoot + "/configs/stargate_tsmc.textproto";
const std::string kSamsung = kRoot + "/configs/stargate_samsung.textproto";
const std::string kDual = kRoot + "/configs/stargate_dual.textproto";
constexpr double kMonth = 30.4;

std::vector<scsim::ReplicationResult> run(const std::string& path, int replications,
                                          const std::vector<std::string>& sets = {}) {
  const auto scenario = load_scenario(path, sets);
  scsim::engine::RunnerOptions options;
  options.jobs = 2;
  return scsim::engine::run_replications(scenario, scsim::network::analyse(scenario), replications, options);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double p10(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const double h = 0.1 * static_cast<double>(v.size() - 1);  // type 7, as summary.json
  const auto lo = static_cast<std::size_t>(std::floor(h));
  return v[lo] + (h - static_cast<double>(lo)) * (v[std::min(lo + 1, v.size() - 1)] - v[lo]);
}

double design_day(const scsim::ReplicationResult& r, const std::string& event) {
  for (const auto& e : r.design_events())
    if (e.event() == event) return e.day();
  FAIL("no design event " << event);
  return 0;
}

const scsim::StageStats& stage(const scsim::ReplicationResult& r, const std::string& name) {
  for (const auto& s : r.stages())
    if (s.stage() == name) return s;
  FAIL("no stage " << name);
  throw;
}

double installed_by_week(const scsim::ReplicationResult& r, std::size_t week) {
  for (const auto& s : r.series())
    if (s.site() == "ALL" && s.metric() == "installed_cum") return s.values(static_cast<int>(week));
  FAIL("no installed_cum");
  return 0;
}

}  // namespace

TEST_CASE("program: on the TSMC path, first silicon to first install takes 9 to 14 months at the median") {
  std::vector<double> months;
  for (const auto& r : run(kTsmc, 20)) {
    REQUIRE(r.first_install_day() > 0);
    months.push_back((r.first_install_day() - design_day(r, "first_silicon")) / kMonth);
  }
  const double m = median(months);
  INFO("median first silicon -> first install: " << m << " months");
  CHECK(m >= 9);
  CHECK(m <= 14);
}

TEST_CASE("program: the end-to-end lead time of every shipped scenario is under a year at the median") {
  for (const auto& path : {kTsmc, kSamsung, kDual}) {
    std::vector<double> days;
    for (const auto& r : run(path, 12)) days.push_back(stage(r, "us_campus (end to end)").p50_days());
    INFO(path << ": median end-to-end lead " << median(days) << " days");
    CHECK(median(days) < 365);
  }
}

TEST_CASE("program: with the horizon at the end of 2033, at least 90% of replications reach the target") {
  // 2024-07-01 + 3470 days = 2033-12-31.
  for (const auto& path : {kTsmc, kSamsung, kDual}) {
    const auto results = run(path, 20, {"horizon_days=3470"});
    int reached = 0;
    for (const auto& r : results) reached += r.milestone_days(3) >= 0 ? 1 : 0;
    INFO(path << ": " << reached << " of 20 reached the target");
    CHECK(reached >= 18);
  }
}

TEST_CASE("program: dual sourcing raises the p10 of installs by the horizon over TSMC alone") {
  // Common random numbers: the design and the TSMC path draw the same in both scenarios.
  std::vector<double> tsmc, dual;
  for (const auto& r : run(kTsmc, 20)) tsmc.push_back(r.installed_units());
  for (const auto& r : run(kDual, 20)) dual.push_back(r.installed_units());
  INFO("p10 installs: TSMC " << p10(tsmc) << ", dual " << p10(dual));
  CHECK(p10(dual) > p10(tsmc));
}

TEST_CASE("program: sharing CoWoS with other buyers installs fewer, and reports the weekly allocation") {
  const auto tsmc = run(kTsmc, 10);
  const auto shared = run(kRoot + "/configs/variants/cowos_shared_market.textproto", 10);
  // By the end of 2028 (week 234), before the target caps either.
  double base = 0, market = 0;
  for (std::size_t i = 0; i < tsmc.size(); ++i) {
    base += installed_by_week(tsmc[i], 234);
    market += installed_by_week(shared[i], 234);
  }
  CHECK(market < base);
  // The weekly allocation: below the 400 interposer wafers booked once the line runs (2028: weeks 183-234).
  for (const auto& r : shared) {
    const scsim::Series* allocated = nullptr;
    for (const auto& s : r.series())
      if (s.site() == "tsmc_cowos" && s.metric() == "allocated") allocated = &s;
    REQUIRE(allocated != nullptr);
    double sum = 0;
    for (int w = 183; w < 235; ++w) sum += allocated->values(w);
    CHECK(sum / 52 > 200);
    CHECK(sum / 52 < 400);
  }
}

TEST_CASE("program: the capacity pool allocates by its named rule") {
  using scsim::models::allocate;
  using scsim::models::PoolRule;
  // Everyone fits: everyone gets its demand.
  CHECK(allocate(100, {{30, 0, 0}, {50, 0, 0}}, PoolRule::kProportional) == std::vector<double>{30, 50});
  // Over-asked: in proportion to demand.
  const auto p = allocate(100, {{100, 0, 0}, {300, 0, 0}}, PoolRule::kProportional);
  CHECK(p[0] == Approx(25));
  CHECK(p[1] == Approx(75));
  // Contracted minimum first (40 for the first), the rest (60) split by unserved demand (60 : 300).
  const auto c = allocate(100, {{100, 40, 0}, {300, 0, 0}}, PoolRule::kContractedMinimum);
  CHECK(c[0] == Approx(40 + 60 * 60.0 / 360));
  CHECK(c[1] == Approx(60 * 300.0 / 360));
  // Priority: the lower number is served first.
  const auto q = allocate(100, {{80, 0, 1}, {300, 0, 0}}, PoolRule::kPriority);
  CHECK(q[0] == Approx(0));
  CHECK(q[1] == Approx(100));
}

TEST_CASE("program: the order book offsets, folds due orders and cancels latest first") {
  scsim::engine::OrderBook book;
  book.add(10, 5);
  book.add(20, 7);
  CHECK(book.due_by(15) == 5);
  CHECK(book.due_by_peek(25) == 12);
  CHECK(book.next_start() == 20);
  // Cancelling 9 with 4 already covered: only 8 can go, the later order first.
  CHECK(book.add(0, -9, 4) == -8);
  CHECK(book.total() == 4);
  CHECK(book.due_by(30) == 4);
}

TEST_CASE("program: the order book's peeks, extended from the last one, equal a sum from scratch to the bit") {
  // A copy has no peek cache, so it sums from the first order: the reference. Orders land before, at and
  // after the summed prefix, with cancellations, folds and a peek that goes back.
  scsim::engine::OrderBook book;
  std::uint64_t state = 12345;
  auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) * 0x1.0p-53;
  };
  double now = 0;
  for (int step = 0; step < 3000; ++step) {
    const double r = next();
    if (r < 0.5) {
      book.add(now + 200 * next() - 40, 0.1 + 37.3 * next());
    } else if (r < 0.55) {
      book.add(now, -5.7 * next(), 3);
    } else if (r < 0.6) {
      book.due_by(now - 20);
    }
    const double day = next() < 0.02 ? now - 10 : now + 7;
    scsim::engine::OrderBook fresh = book;
    CHECK(book.due_by_peek(day) == fresh.due_by_peek(day));
    now += 3 * next();
  }
}

TEST_CASE("program: the plan is the smallest of target, powered slots and rough-cut supply") {
  scsim::engine::PlanInputs in;
  in.target_units = 1000;
  in.first_arrival_day = 100;
  in.supply_per_week = 70;  // 10 a day
  in.slots = {{50, 300}, {200, 2000}};
  scsim::engine::ProgramPlanner planner(in);
  CHECK(planner.plan(90) == 0);     // nothing before the first expected delivery
  CHECK(planner.plan(130) == 300);  // 10/day x 30 days capped by the first building's slots
  CHECK(planner.plan(250) == 1000); // 1,500 supplied, 2,300 slots: the target caps it
  // Orders: one lane, lead 50, weekly reviews; the first review orders what is due by day 57.
  in.lanes.push_back({0, 1, 1.0, 50, 1, 100});
  scsim::engine::ProgramPlanner ordering(in);
  CHECK(ordering.review(0).empty());
  const auto orders = ordering.review(70);  // fence 70 + 50 + 7 = 127: 270 units
  REQUIRE(orders.size() == 1);
  CHECK(orders[0].units == 270);
  CHECK(orders[0].due_day == 127);
}

namespace {
double series_total(const scsim::ReplicationResult& r, const std::string& site, const std::string& metric,
                    std::size_t weeks = 100000) {
  for (const auto& s : r.series())
    if (s.site() == site && s.metric() == metric) {
      double sum = 0;
      for (int w = 0; w < s.values_size() && static_cast<std::size_t>(w) < weeks; ++w) sum += s.values(w);
      return sum;
    }
  return 0;
}
}  // namespace

TEST_CASE("program: SHIFT_LATE_ORDERS moves orders from the late Samsung path to TSMC and installs sooner") {
  const auto keep = run(kDual, 10, {"program.rebalance=KEEP_SHARES"});
  const auto shift = run(kDual, 10);
  double keep_kr = 0, shift_kr = 0, keep_2028 = 0, shift_2028 = 0;
  for (std::size_t i = 0; i < keep.size(); ++i) {
    keep_kr += series_total(keep[i], "kr_final_test", "orders");
    shift_kr += series_total(shift[i], "kr_final_test", "orders");
    keep_2028 += installed_by_week(keep[i], 234);
    shift_2028 += installed_by_week(shift[i], 234);
  }
  INFO("orders to the Samsung path: keep " << keep_kr << ", shift " << shift_kr << "; installs by 2028: keep "
                                          << keep_2028 << ", shift " << shift_2028);
  // Kept at 30%, the Samsung path gets 30% of the target; shifting takes late orders off it.
  CHECK(keep_kr == Approx(0.3 * 400000 * 10).epsilon(0.01));
  CHECK(shift_kr < 0.9 * keep_kr);
  CHECK(shift_2028 > keep_2028);
}

TEST_CASE("program: BUILD_AHEAD orders the plan weeks of supply earlier than PLAN_DRIVEN") {
  const auto plan = run(kTsmc, 4);
  const auto ahead = run(kTsmc, 4, {"program.policy=BUILD_AHEAD", "program.weeks_of_supply=8"});
  for (std::size_t i = 0; i < plan.size(); ++i) {
    // By the end of 2027 (week 182) the campus has ordered more when it builds ahead; both order the target.
    CHECK(series_total(ahead[i], "us_campus", "orders", 183) > series_total(plan[i], "us_campus", "orders", 183));
    CHECK(series_total(ahead[i], "us_campus", "orders") == Approx(series_total(plan[i], "us_campus", "orders")).epsilon(0.01));
  }
}

TEST_CASE("money: every spend category of a small program, priced by hand to the dollar") {
  // tests/scenarios/money_by_hand.textproto, days from 2025-01-01:
  //   design: tape-out on day 10 ($1,000,000), first silicon 20 needs a metal respin ($100,000), release 40.
  //   plan: first delivery expected on day 70 (the building), 100 dies a day from then; the review of day 49
  //     orders all 200 due on day 72; the fab starts a 10-wafer lot on day 57 and one on 58 (7 lots a week).
  //   wafers: $100 each until 2025-03-01 (day 59): $1,000 a lot; the prepaid $1,000 (day 0) pays the first lot,
  //     the second is spent: $1,000.
  //   take-or-pay: 70 wafers a week booked from day 0 to the horizon (20 weeks), 20 used in week 8; each week at
  //     its price (weeks 0-8 start before 2025-03-01: $100; weeks 9-19: $200): (9 x 70 - 20) x $100 x 0.5 +
  //     11 x 70 x $200 x 0.5 = $30,500 + $77,000 = $107,500.
  //   capex: $7,000 over the 70 days of construction. Power: installs of 100 on day 72 and 100 on 73 draw 0.1
  //     then 0.2 MW: week 10 averages 0.9/7 MW (x 7 days x $10 = $9), weeks 11-19 0.2 MW ($14 each): $135.
  //   accelerator-days: 100 x (140 - 72) + 100 x (140 - 73) = 13,500.
  const auto results = run(kRoot + "/tests/scenarios/money_by_hand.textproto", 1);
  const auto& r = results.front();
  std::map<std::string, double> by_category;
  for (const auto& c : r.spend_by_category()) by_category[c.category()] = c.value();
  CHECK(by_category.size() == 6);
  CHECK(by_category["design"] == 1100000);
  CHECK(by_category["wafers"] == 1000);
  CHECK(by_category["take_or_pay"] == 107500);
  CHECK(by_category["prepayment"] == 1000);
  CHECK(by_category["datacenter_capex"] == Approx(7000).margin(1e-9));
  CHECK(by_category["power_opex"] == Approx(135).margin(1e-9));
  CHECK(r.spend_usd() == Approx(1216635).margin(1e-6));
  REQUIRE(r.spend_by_year_size() == 1);
  CHECK(r.spend_by_year(0).year_end() == "2025-05-21");
  CHECK(r.spend_by_year(0).value() == Approx(1216635).margin(1e-6));
  CHECK(r.accelerator_days() == 13500);
  CHECK(r.take_or_pay_usd() == 107500);
  CHECK(r.inventory_usd() == 0);  // both lots installed
  double cumulative = 0;
  for (const auto& s : r.series())
    if (s.site() == "ALL" && s.metric() == "spend_usd_cum") cumulative = s.values(s.values_size() - 1);
  CHECK(cumulative == Approx(1216635).margin(1e-6));
}

TEST_CASE("money: a budget below the baseline's spend installs fewer, and says when it bound") {
  const auto base = run(kTsmc, 6);
  const auto capped = run(kRoot + "/configs/variants/tsmc_budget_cap.textproto", 6);
  for (std::size_t i = 0; i < base.size(); ++i) {
    INFO("replication " << i << ": spend " << base[i].spend_usd() << " -> " << capped[i].spend_usd());
    CHECK(base[i].spend_usd() > 15e9);  // the cap is below what the baseline spends
    CHECK(capped[i].installed_units() < base[i].installed_units());
    CHECK(capped[i].budget_bound_day() > 0);
    CHECK(capped[i].budget_cut_units() > 0);
    CHECK(!base[i].has_budget_bound_day());
  }
  double lost = 0;
  for (std::size_t i = 0; i < base.size(); ++i) lost += base[i].installed_units() - capped[i].installed_units();
  CHECK(lost / static_cast<double>(base.size()) > 50000);
}
