// summarize(): statistics across replications, milestones, stages — hand-computed.
#include <catch2/catch.hpp>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "results_test_support.hpp"
#include "sim/results/results.hpp"

using scsim::results::kMilestoneFractions;
using scsim::results::stat_of;
using scsim::results::summarize;
using scsim::results::testing::tiny_scenario;

namespace {

// Ten replications; installed units 1..10 in a shuffled order (quantiles must not depend on the order).
// Milestone days: 0.25 at 101+i, 0.5 at 201+i, 0.9 only for the first five (301+i), 1.0 never.
std::vector<scsim::ReplicationResult> ten_replications() {
  const double installed[] = {3, 1, 4, 10, 5, 9, 2, 6, 8, 7};
  std::vector<scsim::ReplicationResult> reps;
  for (int i = 0; i < 10; ++i) {
    scsim::ReplicationResult r;
    r.set_replication(i);
    r.set_end_day(730);
    r.set_events(1000 + i);
    r.set_installed_units(installed[i]);
    r.add_milestone_days(101 + i);
    r.add_milestone_days(201 + i);
    r.add_milestone_days(i < 5 ? 301 + i : -1);
    r.add_milestone_days(-1);
    r.set_stranded_chip_days(10.0 * (i + 1));
    r.set_stranded_capacity_days(5.0);
    if (i < 8) r.set_first_install_day(i < 4 ? 50.0 + i : -1.0);  // 50..53 installed, the rest none or unset
    reps.push_back(r);
  }
  return reps;
}

}  // namespace

TEST_CASE("results: stat_of uses type 7 quantiles and a Student t interval") {
  const auto s = stat_of({1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  CHECK(s.mean() == Approx(5.5));
  CHECK(s.p10() == Approx(1.9));
  CHECK(s.p50() == Approx(5.5));
  CHECK(s.p90() == Approx(9.1));
  const double sd = std::sqrt(82.5 / 9.0);  // sum of squared deviations of 1..10 is 82.5
  CHECK(s.ci95() == Approx(2.262157 * sd / std::sqrt(10.0)).epsilon(1e-6));

  const auto one = stat_of({4.0});
  CHECK(one.mean() == 4.0);
  CHECK(one.p10() == 4.0);
  CHECK(one.p90() == 4.0);
  CHECK(one.n() == 1);
  CHECK_FALSE(one.has_ci95());  // no interval from one value

  const auto two = stat_of({1.0, 3.0});
  CHECK(two.p10() == Approx(1.2));
  CHECK(two.ci95() == Approx(12.706205 * std::sqrt(2.0) / std::sqrt(2.0)).epsilon(1e-6));

  CHECK(two.n() == 2);

  const auto none = stat_of({});  // nothing measured: the count and nothing else
  CHECK(none.n() == 0);
  CHECK_FALSE(none.has_mean());
  CHECK_FALSE(none.has_p50());
  CHECK_FALSE(none.has_ci95());
}

TEST_CASE("results: summarize copies the scenario facts and the network numbers") {
  const auto summary = summarize(tiny_scenario(), 123.5, "tsmc_cowos", 400.25, ten_replications());
  CHECK(summary.scenario() == "tiny");
  CHECK(summary.replications() == 10);
  CHECK(summary.seed() == 7);
  CHECK(summary.horizon_days() == 730);
  CHECK(summary.start_date() == "2025-01-01");
  CHECK(summary.target_units() == 1000);
  CHECK(summary.capacity_bound_per_week() == 123.5);
  CHECK(summary.bottleneck() == "tsmc_cowos");
  CHECK(summary.critical_path_first_unit_day() == 400.25);
  CHECK(summary.events() == 10 * 1000 + 45);
}

TEST_CASE("results: summarize installed units across replications") {
  const auto summary = summarize(tiny_scenario(), 1, "", 0, ten_replications());
  const auto& s = summary.installed_units();
  CHECK(s.mean() == Approx(5.5));
  CHECK(s.p10() == Approx(1.9));
  CHECK(s.p50() == Approx(5.5));
  CHECK(s.p90() == Approx(9.1));
  CHECK(s.ci95() == Approx(2.262157 * std::sqrt(82.5 / 9.0) / std::sqrt(10.0)).epsilon(1e-6));

  CHECK(summary.stranded_chip_days().mean() == Approx(55.0));
  CHECK(summary.stranded_chip_days().p90() == Approx(91.0));
  CHECK(summary.stranded_capacity_days().mean() == Approx(5.0));
  CHECK(summary.stranded_capacity_days().ci95() == Approx(0.0).margin(1e-12));
}

TEST_CASE("results: summarize milestones over the replications that reached them") {
  const auto summary = summarize(tiny_scenario(), 1, "", 0, ten_replications());
  REQUIRE(summary.milestones_size() == static_cast<int>(kMilestoneFractions.size()));
  for (std::size_t i = 0; i < kMilestoneFractions.size(); ++i)
    CHECK(summary.milestones(static_cast<int>(i)).fraction() == kMilestoneFractions[i]);

  const auto& quarter = summary.milestones(0);  // days 101..110
  CHECK(quarter.reached_share() == 1.0);
  CHECK(quarter.day().mean() == Approx(105.5));
  CHECK(quarter.day().p10() == Approx(101.9));
  CHECK(quarter.day().p90() == Approx(109.1));
  CHECK(quarter.date_mean() == "2025-04-16");  // day 105 (fractions round down); day 90 is April 1
  CHECK(quarter.date_p10() == "2025-04-12");   // day 101
  CHECK(quarter.date_p90() == "2025-04-20");   // day 109

  const auto& ninety = summary.milestones(2);  // days 301..305, five of ten
  CHECK(ninety.reached_share() == Approx(0.5));
  CHECK(ninety.day().mean() == Approx(303.0));
  CHECK(ninety.day().p10() == Approx(301.4));
  CHECK(ninety.day().p50() == Approx(303.0));
  CHECK(ninety.day().p90() == Approx(304.6));
  CHECK(ninety.day().ci95() == Approx(2.776445 * std::sqrt(2.5) / std::sqrt(5.0)).epsilon(1e-6));
  CHECK(ninety.date_p50() == "2025-10-31");  // day 303; day 273 is October 1
  CHECK(ninety.date_p10() == "2025-10-29");

  const auto& all = summary.milestones(3);  // never reached
  CHECK(all.reached_share() == 0.0);
  CHECK(all.day().n() == 0);
  CHECK_FALSE(all.day().has_mean());
  CHECK_FALSE(all.day().has_p50());
  CHECK_FALSE(all.has_date_p50());
}

TEST_CASE("results: summarize counts missing milestone entries as not reached") {
  std::vector<scsim::ReplicationResult> reps(4);
  reps[0].add_milestone_days(10);
  reps[1].add_milestone_days(20);
  reps[1].add_milestone_days(30);
  // reps[2] and reps[3] have no milestone days at all.
  const auto summary = summarize(tiny_scenario(), 1, "", 0, reps);
  CHECK(summary.milestones(0).reached_share() == Approx(0.5));
  CHECK(summary.milestones(0).day().mean() == Approx(15.0));
  CHECK(summary.milestones(1).reached_share() == Approx(0.25));
  CHECK(summary.milestones(1).day().mean() == Approx(30.0));
  CHECK(summary.milestones(1).day().n() == 1);
  CHECK_FALSE(summary.milestones(1).day().has_ci95());
}

TEST_CASE("results: summarize first install over replications with an install") {
  const auto summary = summarize(tiny_scenario(), 1, "", 0, ten_replications());
  // 50..53 installed; -1 and unset are "none".
  CHECK(summary.first_install_day().mean() == Approx(51.5));
  CHECK(summary.first_install_day().p10() == Approx(50.3));

  std::vector<scsim::ReplicationResult> none(2);
  none[0].set_first_install_day(-1);
  const auto empty = summarize(tiny_scenario(), 1, "", 0, none);
  CHECK(empty.first_install_day().n() == 0);
  CHECK_FALSE(empty.first_install_day().has_mean());
}

TEST_CASE("results: summarize stage means matched by name in first-seen order") {
  std::vector<scsim::ReplicationResult> reps(2);
  auto stage = [](scsim::ReplicationResult& r, const std::string& name, double mean_days, double wip,
                  std::optional<double> utilization) {
    auto* s = r.add_stages();
    s->set_stage(name);
    s->set_count(10);
    s->set_mean_days(mean_days);
    s->set_p50_days(mean_days - 1);
    s->set_p90_days(mean_days + 1);
    s->set_time_avg_wip(wip);
    s->set_throughput_per_day(wip / mean_days);
    if (utilization) s->set_utilization(*utilization);
  };
  stage(reps[0], "fab", 10, 20, 0.5);
  stage(reps[0], "lane", 4, 2, std::nullopt);
  stage(reps[1], "pkg", 6, 3, 0.25);
  stage(reps[1], "fab", 20, 40, 0.7);
  const auto summary = summarize(tiny_scenario(), 1, "", 0, reps);
  REQUIRE(summary.stages_size() == 3);
  CHECK(summary.stages(0).stage() == "fab");
  CHECK(summary.stages(1).stage() == "lane");
  CHECK(summary.stages(2).stage() == "pkg");

  const auto& fab = summary.stages(0);
  CHECK(fab.mean_days() == Approx(15.0));
  CHECK(fab.p50_days() == Approx(14.0));
  CHECK(fab.p90_days() == Approx(16.0));
  CHECK(fab.time_avg_wip() == Approx(30.0));
  CHECK(fab.throughput_per_day() == Approx(2.0));
  CHECK(fab.utilization() == Approx(0.6));
  CHECK(summary.stages(1).mean_days() == Approx(4.0));  // only replication 0 has it
  CHECK_FALSE(summary.stages(1).has_utilization());
  CHECK(summary.stages(2).utilization() == Approx(0.25));

  // The same across replications with spread, CI and count.
  CHECK(fab.replications() == 2);
  CHECK(fab.lead_time_days().n() == 2);
  CHECK(fab.lead_time_days().mean() == Approx(15.0));
  CHECK(fab.lead_time_days().ci95() == Approx(12.706205 * std::sqrt(50.0) / std::sqrt(2.0)).epsilon(1e-6));
  CHECK(fab.wip_lots().mean() == Approx(30.0));
  CHECK(fab.throughput_lots_per_day().mean() == Approx(2.0));
  CHECK(fab.utilization_stat().p50() == Approx(0.6));
  CHECK(summary.stages(1).lead_time_days().n() == 1);
  CHECK_FALSE(summary.stages(1).lead_time_days().has_ci95());
  CHECK_FALSE(summary.stages(1).has_utilization_stat());
}

TEST_CASE("results: summarize with no replications") {
  const auto summary = summarize(tiny_scenario(), 1, "", 0, {});
  CHECK(summary.replications() == 0);
  CHECK(summary.installed_units().mean() == 0.0);
  CHECK(summary.milestones(0).reached_share() == 0.0);
  CHECK(summary.stages_size() == 0);
}

TEST_CASE("results: summarize gives each design site's milestones, mean day and date, in site and event order") {
  // Two design sites; "b" tapes out at 100 + i, first silicon 130 + i, release 180 + 2i (i = 0..9): means 104.5,
  // 134.5 and 189. Site "a" has a tape-out beyond the 730-day horizon: drawn days count all the same.
  auto reps = ten_replications();
  for (int i = 0; i < 10; ++i) {
    auto& r = reps[static_cast<std::size_t>(i)];
    const auto add = [&r](const char* site, const char* event, double day) {
      auto* e = r.add_design_events();
      e->set_site(site);
      e->set_event(event);
      e->set_day(day);
    };
    add("b", "tape_out", 100 + i);
    add("b", "first_silicon", 130 + i);
    add("b", "production_release", 180 + 2 * i);
    add("a", "tape_out", 1000);
    add("a", "first_silicon", 1000.75);
    add("a", "production_release", 1001);
  }
  const auto summary = summarize(tiny_scenario(), 1, "", 1, reps);
  REQUIRE(summary.design_milestones_size() == 6);
  const auto& tape_out = summary.design_milestones(0);
  CHECK(tape_out.site() == "b");
  CHECK(tape_out.event() == "tape_out");
  CHECK(tape_out.mean_day() == Approx(104.5));
  CHECK(tape_out.date() == "2025-04-15");  // 2025-01-01 + 104 days
  CHECK(tape_out.day().n() == 10);
  CHECK(tape_out.day().p10() == Approx(100.9));
  CHECK(tape_out.day().p50() == Approx(104.5));
  CHECK(tape_out.day().p90() == Approx(108.1));
  CHECK(tape_out.date_p10() == "2025-04-11");
  CHECK(tape_out.date_p90() == "2025-04-19");
  CHECK(summary.design_milestones(1).event() == "first_silicon");
  CHECK(summary.design_milestones(1).mean_day() == Approx(134.5));
  CHECK(summary.design_milestones(2).event() == "production_release");
  CHECK(summary.design_milestones(2).mean_day() == Approx(189));
  CHECK(summary.design_milestones(2).date() == "2025-07-09");
  CHECK(summary.design_milestones(3).site() == "a");
  CHECK(summary.design_milestones(3).mean_day() == 1000);
  CHECK(summary.design_milestones(3).date() == "2027-09-28");
  CHECK(summary.design_milestones(4).date() == "2027-09-28");  // day 1000.75 floors to day 1000
  CHECK(summary.design_milestones(3).day().has_ci95());  // ten equal values: a zero-width CI
  CHECK(summary.design_milestones(3).day().ci95() == 0);

  // No design site, no design milestones.
  CHECK(summarize(tiny_scenario(), 1, "", 1, ten_replications()).design_milestones_size() == 0);
}
