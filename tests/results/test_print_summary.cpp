// print_summary: year-end lines from installed_cum, milestones, stages; deterministic and short.
#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "results_test_support.hpp"
#include "sim/results/results.hpp"

using scsim::results::print_summary;
using scsim::results::summarize;
using scsim::results::testing::series;
using scsim::results::testing::tiny_scenario;

namespace {

std::string printed(const scsim::Scenario& scenario, const scsim::Summary& summary,
                    const std::vector<scsim::ReplicationResult>& reps) {
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  print_summary(file, scenario, summary, reps);
  std::rewind(file);
  std::string text;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, n);
  std::fclose(file);
  return text;
}

std::string line_with(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  if (at == std::string::npos) return "";
  const auto begin = text.rfind('\n', at) == std::string::npos ? 0 : text.rfind('\n', at) + 1;
  return text.substr(begin, text.find('\n', at) - begin);
}

// Three replications; installed_cum at ALL is (r + 1) * 1000 * w in week w. Replication 2 stops after week 60
// (target reached), so its later year-end takes the last value.
std::vector<scsim::ReplicationResult> three_replications() {
  std::vector<scsim::ReplicationResult> reps(3);
  for (int r = 0; r < 3; ++r) {
    auto& rep = reps[static_cast<std::size_t>(r)];
    rep.set_replication(r);
    rep.set_events(1234567);
    const int weeks = r == 2 ? 61 : 105;
    std::vector<double> cum;
    for (int w = 0; w < weeks; ++w) cum.push_back((r + 1) * 1000.0 * w);
    rep.set_installed_units(cum.back());
    *rep.add_series() = series("fab", "wafer_starts", {25, 25});
    *rep.add_series() = series("ALL", "installed_cum", cum);
    for (double d : {100.0, 200.0, 300.0}) rep.add_milestone_days(d + r);
    rep.add_milestone_days(r == 2 ? 420 : -1);
    rep.set_first_install_day(35 + r);
    rep.set_stranded_chip_days(1500000);
    auto* stage = rep.add_stages();
    stage->set_stage("samsung_sf2");
    stage->set_mean_days(90 + r);  // mean 91, sd 1: 95% CI ±4.302653 / sqrt(3) = 2.5
    stage->set_p90_days(120);
    stage->set_time_avg_wip(12.5);
    stage->set_throughput_per_day(1.0);
    stage->set_utilization(0.85);
    auto* lane = rep.add_stages();
    lane->set_stage("kr_to_tw");
    lane->set_mean_days(3.5);
    lane->set_p90_days(5);
  }
  return reps;
}

}  // namespace

TEST_CASE("results: print_summary shows year-end installs from installed_cum") {
  auto scenario = tiny_scenario();
  scenario.mutable_demand()->set_target_units(180000);
  const auto reps = three_replications();
  const auto summary = summarize(scenario, 2500, "tsmc_cowos", 330, reps);
  const std::string text = printed(scenario, summary, reps);
  INFO(text);

  // 2025-12-31 is day 364, week 52: 52,000 / 104,000 / 156,000.
  const std::string y2025 = line_with(text, "by 2025-12-31");
  CHECK(y2025.find("104,000") != std::string::npos);  // mean and p50
  CHECK(y2025.find("62,400") != std::string::npos);   // p10: 52,000 + 0.2 * 52,000
  CHECK(y2025.find("145,600") != std::string::npos);  // p90: h = 1.8, 104,000 + 0.8 * 52,000
  // 2026-12-31 is day 729, week 104: 104,000 / 208,000 / 180,000 (replication 2 stopped at week 60).
  const std::string y2026 = line_with(text, "by 2026-12-31");
  CHECK(y2026.find("164,000") != std::string::npos);  // mean
  CHECK(line_with(text, "by 2027-01-01 (horizon)").find("164,000") != std::string::npos);

  CHECK(text.find("Scenario tiny: 3 replications, seed 7") != std::string::npos);
  CHECK(line_with(text, "25%").find("45,000") != std::string::npos);
  CHECK(line_with(text, "25%").find("2025-04-12") != std::string::npos);  // p50 day 101
  CHECK(line_with(text, "100%").find(" 1/3") != std::string::npos);
  CHECK(line_with(text, "Capacity bound").find("2,500 accelerators/week; bottleneck tsmc_cowos") != std::string::npos);
  CHECK(line_with(text, "First install").find("2025-02-06") != std::string::npos);  // mean day 36
  CHECK(line_with(text, "Stranded").find("1,500,000") != std::string::npos);
  CHECK(line_with(text, "samsung_sf2").find("85%") != std::string::npos);
  CHECK(line_with(text, "samsung_sf2").find(" 91.0     2.5 ") != std::string::npos);  // lead days and its CI
  CHECK(line_with(text, "Stage (means").find("±ci95") != std::string::npos);
  CHECK(line_with(text, "samsung_sf2").find("7.0") != std::string::npos);  // lots per week
  CHECK(line_with(text, "kr_to_tw").find("3.5") != std::string::npos);
}

TEST_CASE("results: print_summary is deterministic and short") {
  const auto scenario = tiny_scenario();
  const auto reps = three_replications();
  const auto summary = summarize(scenario, 2500, "tsmc_cowos", 330, reps);
  const std::string a = printed(scenario, summary, reps);
  const std::string b = printed(scenario, summary, reps);
  CHECK(a == b);
  CHECK(std::count(a.begin(), a.end(), '\n') <= 40);
}

TEST_CASE("results: print_summary with nothing reached and an unlimited bound") {
  auto scenario = tiny_scenario();
  std::vector<scsim::ReplicationResult> reps(2);
  for (auto& r : reps) {
    for (int i = 0; i < 4; ++i) r.add_milestone_days(-1);
    r.set_first_install_day(-1);
  }
  const auto summary =
      summarize(scenario, std::numeric_limits<double>::infinity(), "", std::numeric_limits<double>::infinity(), reps);
  const std::string text = printed(scenario, summary, reps);
  INFO(text);
  CHECK(line_with(text, "Capacity bound").find("unlimited") != std::string::npos);
  CHECK(line_with(text, "First install").find("none within the horizon") != std::string::npos);
  CHECK(line_with(text, "First install").find("never") != std::string::npos);
  CHECK(line_with(text, "50%").find(" 0/2") != std::string::npos);
  CHECK(line_with(text, "by 2025-12-31").find(" 0") != std::string::npos);
}

TEST_CASE("results: print_summary shows design milestones when the scenario has a design site") {
  const auto scenario = tiny_scenario();
  auto reps = three_replications();
  CHECK(printed(scenario, summarize(scenario, 2500, "", 330, reps), reps).find("Design milestone") ==
        std::string::npos);
  for (std::size_t r = 0; r < reps.size(); ++r) {
    for (const auto& [event, day] : {std::pair{"tape_out", 100.0}, std::pair{"first_silicon", 130.0},
                                     std::pair{"production_release", 180.0 + 3.0 * static_cast<double>(r)}}) {
      auto* e = reps[r].add_design_events();
      e->set_site("arm_design");
      e->set_event(event);
      e->set_day(day);
    }
  }
  const std::string text = printed(scenario, summarize(scenario, 2500, "", 330, reps), reps);
  INFO(text);
  CHECK(line_with(text, "Design milestone").find("mean date") != std::string::npos);
  CHECK(line_with(text, "arm_design tape-out").find("100  2025-04-11") != std::string::npos);
  CHECK(line_with(text, "arm_design first silicon").find("2025-05-11") != std::string::npos);
  // Days 180, 183, 186: mean 183 (2025-07-03), p10 180.6, p90 185.4.
  const std::string release = line_with(text, "arm_design production release");
  CHECK(release.find("183  2025-07-03  2025-06-30  2025-07-03  2025-07-05") != std::string::npos);
}
