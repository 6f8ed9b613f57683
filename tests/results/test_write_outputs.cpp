// Output files: timelines, replications.csv and metrics.csv verbatim, JSON with nulls and numbers, the output
// set replaced as a whole (failures, interrupts, stale temporaries), byte-identical repeats.
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <csignal>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "results_test_support.hpp"
#include "sim/config/loader.hpp"
#include "sim/results/results.hpp"

namespace fs = std::filesystem;
using scsim::results::OutputSet;
using scsim::results::RunInfo;
using scsim::results::TimelineMode;
using scsim::results::summarize;
using scsim::results::summary_json;
using scsim::results::write_run_outputs;
using scsim::results::write_timeline_csv;
using scsim::results::testing::series;
using scsim::results::testing::tiny_scenario;

namespace {

std::vector<scsim::ReplicationResult> two_replications() {
  std::vector<scsim::ReplicationResult> reps(2);
  for (int i = 0; i < 2; ++i) {
    auto& r = reps[static_cast<std::size_t>(i)];
    r.set_replication(i);
    r.set_end_day(730);
    r.set_events(100);
    r.set_installed_units(500.0 + i);
    for (double d : {60.0, 120.0, -1.0, -1.0}) r.add_milestone_days(d < 0 ? d : d + i);
    r.set_first_install_day(30);
    auto* stage = r.add_stages();
    stage->set_stage("fab");
    stage->set_mean_days(90);
    stage->set_utilization(0.5);
  }
  *reps[0].add_series() = series("fab", "wafer_starts", {25, 50.5});
  *reps[0].add_series() = series("ALL", "installed_cum", {0, 0.1 + 0.2});
  *reps[1].add_series() = series("fab", "wafer_starts", {1e-7, 3e20, 7});
  return reps;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A fresh, empty scratch directory for one test, removed (with its per-process parent) when the test ends.
class Scratch {
 public:
  explicit Scratch(const std::string& name)
      : root_(fs::temp_directory_path() / fmt::format("scsim_test_results_{}", static_cast<long>(::getpid()))),
        dir_(root_ / name) {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  ~Scratch() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  const fs::path& dir() const { return dir_; }

 private:
  fs::path root_;
  fs::path dir_;
};

std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string message_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no exception)";
}

std::string gunzip(const fs::path& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  REQUIRE(f != nullptr);
  std::string text;
  char buffer[4096];
  int n = 0;
  while ((n = gzread(f, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<std::size_t>(n));
  gzclose(f);
  return text;
}

// The pid of a process that has exited (for stale temporaries).
long dead_pid() {
  const pid_t child = ::fork();
  if (child == 0) _exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return static_cast<long>(child);
}

const std::vector<std::string> kRunFiles{"metrics.csv",        "replications.csv", "resolved.textproto",
                                         "run_info.json",      "summary.json",     "timeline.csv"};

}  // namespace

TEST_CASE("results: full timeline csv verbatim, cumulative values dated at the week's end") {
  std::ostringstream out;
  write_timeline_csv(out, tiny_scenario(), two_replications());
  CHECK(out.str() ==
        "scenario,replication,day,date,site,metric,value\n"
        "tiny,0,0,2025-01-01,fab,wafer_starts,25\n"
        "tiny,0,7,2025-01-08,fab,wafer_starts,50.5\n"
        "tiny,0,7,2025-01-08,ALL,installed_cum,0\n"
        "tiny,0,14,2025-01-15,ALL,installed_cum,0.30000000000000004\n"
        "tiny,1,0,2025-01-01,fab,wafer_starts,1e-07\n"
        "tiny,1,7,2025-01-08,fab,wafer_starts,3e+20\n"
        "tiny,1,14,2025-01-15,fab,wafer_starts,7\n");
}

TEST_CASE("results: a cumulative value in a partial last week is dated at the horizon") {
  CHECK(scsim::results::series_day("installed_cum", 104, 730) == 730);  // week 104 covers days 728-734
  CHECK(scsim::results::series_day("installed_cum", 103, 730) == 728);
  CHECK(scsim::results::series_day("installed", 104, 730) == 728);
}

TEST_CASE("results: timeline csv of no replications is the header alone") {
  std::ostringstream out;
  write_timeline_csv(out, tiny_scenario(), {});
  CHECK(out.str() == "scenario,replication,day,date,site,metric,value\n");
}

TEST_CASE("results: timeline csv quotes awkward fields") {
  auto reps = two_replications();
  reps.resize(1);
  reps[0].clear_series();
  *reps[0].add_series() = series("a,b", "say \"hi\"", {1});
  std::ostringstream out;
  write_timeline_csv(out, tiny_scenario(), reps);
  CHECK(out.str() ==
        "scenario,replication,day,date,site,metric,value\n"
        "tiny,0,0,2025-01-01,\"a,b\",\"say \"\"hi\"\"\",1\n");
}

TEST_CASE("results: timeline bands are the mean and quantiles across replications, with their count") {
  std::ostringstream out;
  scsim::results::write_timeline_bands_csv(out, tiny_scenario(), two_replications());
  // wafer_starts week 0: 25 and 1e-7; week 2 only replication 1 has it (n = 1).
  CHECK(out.str() ==
        "scenario,day,date,site,metric,mean,p10,p50,p90,n\n"
        "tiny,0,2025-01-01,fab,wafer_starts,12.5,2.5,12.5,22.5,2\n"
        "tiny,7,2025-01-08,fab,wafer_starts,1.5e+20,3e+19,1.5e+20,2.7e+20,2\n"
        "tiny,14,2025-01-15,fab,wafer_starts,7,7,7,7,1\n"
        "tiny,7,2025-01-08,ALL,installed_cum,0,0,0,0,1\n"
        "tiny,14,2025-01-15,ALL,installed_cum,0.3,0.3,0.3,0.3,1\n");
}

TEST_CASE("results: timeline bands list the series in first-seen order when replications hold them in other orders") {
  // Most runs' replications hold the same series in the same order (series_keys' shortcut); these do not: a
  // series missing from the first, two swapped, two only in the last.
  std::vector<scsim::ReplicationResult> reps(3);
  *reps[0].add_series() = series("fab", "a", {1});
  *reps[0].add_series() = series("fab", "b", {2});
  *reps[1].add_series() = series("fab", "b", {4});
  *reps[1].add_series() = series("dc", "c", {5});
  *reps[1].add_series() = series("fab", "a", {3});
  *reps[2].add_series() = series("fab", "a", {5});
  *reps[2].add_series() = series("fab", "e", {9});  // where the others hold fab/b: same site, new metric
  *reps[2].add_series() = series("dc", "c", {7});
  *reps[2].add_series() = series("dc", "d", {8});
  *reps[2].add_series() = series("fab", "b", {6});
  std::ostringstream out;
  scsim::results::write_timeline_bands_csv(out, tiny_scenario(), reps);
  CHECK(out.str() ==
        "scenario,day,date,site,metric,mean,p10,p50,p90,n\n"
        "tiny,0,2025-01-01,fab,a,3,1.4,3,4.6,3\n"
        "tiny,0,2025-01-01,fab,b,4,2.4,4,5.6,3\n"
        "tiny,0,2025-01-01,dc,c,6,5.2,6,6.8,2\n"
        "tiny,0,2025-01-01,fab,e,9,9,9,9,1\n"
        "tiny,0,2025-01-01,dc,d,8,8,8,8,1\n");
}

TEST_CASE("results: replications.csv has a row per replication and empty cells for what was not reached") {
  std::ostringstream out;
  auto reps = two_replications();
  reps[1].set_first_install_day(-1);
  reps[0].set_installed_cost_usd(1000);
  reps[0].set_stranded_chip_days(12);
  scsim::results::write_replications_csv(out, tiny_scenario(), reps);
  CHECK(out.str() ==
        "scenario,replication,installed_units,first_install_day,first_install_date,milestone_25_day,"
        "milestone_25_date,milestone_50_day,milestone_50_date,milestone_90_day,milestone_90_date,milestone_100_day,"
        "milestone_100_date,stranded_chip_days,stranded_capacity_days,installed_cost_usd,cost_per_accelerator_usd,"
        "events,take_or_pay_usd\n"
        "tiny,0,500,30,2025-01-31,60,2025-03-02,120,2025-05-01,,,,,12,,1000,2,100,\n"
        "tiny,1,501,,,61,2025-03-03,121,2025-05-02,,,,,,,,,100,\n");
}

TEST_CASE("results: metrics.csv names unit, kind and accelerator equivalents from the BOM") {
  auto scenario = tiny_scenario();
  auto* stack = scenario.add_products();
  stack->set_name("hbm");
  stack->set_unit("stack");
  auto* package = scenario.add_products();
  package->set_name("pkg");
  package->set_unit("package");
  auto* line = package->add_bom();
  line->set_product("hbm");
  line->set_quantity(8);
  auto* accel = scenario.add_products();
  accel->set_name("accel");
  accel->add_bom()->set_product("pkg");
  auto* mem = scenario.add_sites();
  mem->set_name("mem");
  mem->set_product("hbm");
  mem->mutable_memory();
  auto* dc = scenario.add_sites();
  dc->set_name("dc");
  dc->set_product("accel");
  dc->mutable_datacenter();
  std::vector<scsim::ReplicationResult> reps(1);
  *reps[0].add_series() = series("mem", "hbm_stacks", {1});
  *reps[0].add_series() = series("mem", "wafer_starts", {1});
  *reps[0].add_series() = series("dc", "utilization", {0.5});
  *reps[0].add_series() = series("dc", "power_mw", {3});
  *reps[0].add_series() = series("dc", "mystery", {3});
  *reps[0].add_series() = series("ALL", "installed_cum", {1});
  CHECK(scsim::results::units_per_accelerator(scenario, "hbm") == 8);
  std::ostringstream out;
  scsim::results::write_metrics_csv(out, scenario, reps);
  const std::string text = out.str();
  INFO(text);
  CHECK(text.rfind("site,metric,unit,kind,description,product,accelerator_equivalent\n"
                   "mem,hbm_stacks,stacks,flow,good HBM stacks finished in the week,hbm,0.125\n"
                   "mem,wafer_starts,wafers,flow,wafers started in the week,,\n"
                   "dc,utilization,fraction,level,\"capacity used / capacity available in the week, [0, 1]\",,\n"
                   "dc,power_mw,MW,level,power drawn by installed accelerators (time average),,\n"
                   "dc,mystery,,,(not documented),,\n"
                   "ALL,installed_cum,accelerators,cumulative,\"accelerators installed since day 0, all "
                   "datacenters, at the week's end\",accel,1\n",
                   0) == 0);
  CHECK(text.find("\n,milestone_50_day,day,scalar,") != std::string::npos);
  CHECK(text.find("\n,installed_units,accelerators,scalar,accelerators installed by the horizon,accel,1\n") !=
        std::string::npos);
}

TEST_CASE("results: summary json has every field, null where nothing was measured, numbers as numbers") {
  auto reps = two_replications();
  reps[1].mutable_stages(0)->clear_utilization();
  reps[0].mutable_stages(0)->clear_utilization();
  const auto summary = summarize(tiny_scenario(), 12.5, "fab", 100, reps);
  const std::string json = summary_json(summary);
  for (const char* key :
       {"\"scenario\"", "\"replications\"", "\"seed\"", "\"horizon_days\"", "\"target_units\"", "\"installed_units\"",
        "\"capacity_bound_per_week\"", "\"bottleneck\"", "\"milestones\"", "\"reached_share\"", "\"date_p50\"",
        "\"stranded_chip_days\"", "\"stages\"", "\"mean_days\"", "\"events\"", "\"p10\"", "\"ci95\""}) {
    INFO(key);
    CHECK(json.find(key) != std::string::npos);
  }
  CHECK(json.back() == '\n');
  const auto parsed = nlohmann::json::parse(json);
  CHECK(parsed["scenario"] == "tiny");
  CHECK(parsed["capacity_bound_per_week"] == 12.5);
  CHECK(parsed["milestones"].size() == 4);
  // int64 and uint64 fields are JSON numbers, not strings.
  CHECK(parsed["seed"].is_number_unsigned());
  CHECK(parsed["seed"] == 7);
  CHECK(parsed["target_units"] == 1000);
  CHECK(parsed["events"] == 200);
  // The 90% milestone: reached by none -> share 0 (measured), no day statistics, no dates.
  CHECK(parsed["milestones"][2]["reached_share"] == 0);
  CHECK(parsed["milestones"][2]["day"]["n"] == 0);
  CHECK(parsed["milestones"][2]["day"]["mean"].is_null());
  CHECK(parsed["milestones"][2]["date_p50"].is_null());
  CHECK(parsed["milestones"][1]["day"]["n"] == 2);
  CHECK(parsed["installed_units"]["mean"] == 500.5);
  // Not measured: utilization of a stage nobody reported, the cost when nothing carried one.
  CHECK(parsed["stages"][0]["utilization"].is_null());
  CHECK(parsed["cost_per_accelerator_usd"]["mean"].is_null());
  CHECK(parsed["cost_per_accelerator_usd"]["n"] == 0);
  CHECK(parsed["stages"][0]["lead_time_days"]["mean"] == 90);
}

TEST_CASE("results: summary json writes an unlimited bound as null") {
  const auto summary =
      summarize(tiny_scenario(), std::numeric_limits<double>::infinity(), "", 0, two_replications());
  const auto parsed = nlohmann::json::parse(summary_json(summary));
  CHECK(parsed["capacity_bound_per_week"].is_null());
}

TEST_CASE("results: write_run_outputs writes the run's files and nothing else") {
  const Scratch scratch_ok("ok");
  const fs::path dir = scratch_ok.dir() / "nested" / "out";  // parents created as needed
  const auto scenario = tiny_scenario();
  const auto reps = two_replications();
  const auto summary = summarize(scenario, 12.5, "fab", 100, reps);
  write_run_outputs(dir.string(), scenario, summary, reps, RunInfo{1.25, 3, "scsim run tiny.textproto"});

  CHECK(entries(dir) == kRunFiles);
  CHECK(entries(dir.parent_path()) == std::vector<std::string>{"out"});  // no temporary left beside it
  CHECK(read_file(dir / "summary.json") == summary_json(summary));
  CHECK(read_file(dir / "resolved.textproto") == scsim::config::to_text(scenario));
  std::ostringstream csv;
  scsim::results::write_timeline_bands_csv(csv, scenario, reps);
  CHECK(read_file(dir / "timeline.csv") == csv.str());
  const auto info = nlohmann::json::parse(read_file(dir / "run_info.json"));
  CHECK(info["wall_seconds"] == 1.25);
  CHECK(info["jobs"] == 3);
  CHECK(info["scsim_version"] == "0.1.0");
  CHECK(info["command"] == "scsim run tiny.textproto");
}

TEST_CASE("results: --timeline full writes every replication's rows gzip-compressed, none writes no timeline") {
  const Scratch scratch("full");
  const auto scenario = tiny_scenario();
  const auto reps = two_replications();
  const auto summary = summarize(scenario, 12.5, "fab", 100, reps);
  write_run_outputs((scratch.dir() / "full").string(), scenario, summary, reps, RunInfo{}, TimelineMode::kFull);
  std::ostringstream csv;
  write_timeline_csv(csv, scenario, reps);
  CHECK(gunzip(scratch.dir() / "full" / "timeline.csv.gz") == csv.str());
  CHECK(!fs::exists(scratch.dir() / "full" / "timeline.csv"));
  write_run_outputs((scratch.dir() / "none").string(), scenario, summary, reps, RunInfo{}, TimelineMode::kNone);
  CHECK(entries(scratch.dir() / "none") == std::vector<std::string>{"metrics.csv", "replications.csv",
                                                                    "resolved.textproto", "run_info.json",
                                                                    "summary.json"});
}

TEST_CASE("results: two writes of the same run are byte-identical except run_info") {
  const Scratch scratch_repeat("repeat");
  const fs::path base = scratch_repeat.dir();
  const auto scenario = tiny_scenario();
  const auto reps = two_replications();
  write_run_outputs((base / "a").string(), scenario, summarize(scenario, 12.5, "fab", 100, reps), reps,
                    RunInfo{1.0, 1, "a"});
  write_run_outputs((base / "b").string(), scenario, summarize(scenario, 12.5, "fab", 100, reps), reps,
                    RunInfo{9.0, 8, "b"});
  for (const auto& name : kRunFiles) {
    if (name == "run_info.json") continue;
    INFO(name);
    CHECK(read_file(base / "a" / name) == read_file(base / "b" / name));
  }
  CHECK(read_file(base / "a" / "run_info.json") != read_file(base / "b" / "run_info.json"));

  // Writing again replaces the whole set: a file of the old set that the new one lacks is gone.
  { std::ofstream(base / "a" / "timeline.csv.gz") << "old"; }
  write_run_outputs((base / "a").string(), scenario, summarize(scenario, 99, "pkg", 100, reps), reps,
                    RunInfo{1.0, 1, "a"});
  CHECK(read_file(base / "a" / "summary.json").find("\"pkg\"") != std::string::npos);
  CHECK(entries(base / "a") == kRunFiles);
  CHECK(entries(base) == std::vector<std::string>{"a", "b"});
}

TEST_CASE("results: write_run_outputs fails cleanly when the directory cannot be made") {
  const Scratch scratch_blocked("blocked");
  const fs::path base = scratch_blocked.dir();
  { std::ofstream(base / "file") << "not a directory"; }
  const std::string dir = (base / "file" / "out").string();
  const auto scenario = tiny_scenario();
  const auto reps = two_replications();
  const auto summary = summarize(scenario, 1, "", 0, reps);
  const std::string message = message_of([&] { write_run_outputs(dir, scenario, summary, reps, RunInfo{}); });
  CHECK(message == "cannot write " + dir + ": Not a directory");
  CHECK(entries(base) == std::vector<std::string>{"file"});
}

TEST_CASE("results: a failed write keeps the previous set and leaves no temporary") {
  const Scratch scratch("failed");
  const fs::path dir = scratch.dir() / "out";
  const auto scenario = tiny_scenario();
  const auto reps = two_replications();
  write_run_outputs(dir.string(), scenario, summarize(scenario, 1, "old", 0, reps), reps, RunInfo{});
  const std::string before = read_file(dir / "summary.json");
  const std::string message = message_of([&] {
    OutputSet set(dir.string());
    set.write("a.csv", [](std::ostream& out) { out << "complete\n"; });
    // A write that fails half-way, like a full disk: the stream goes bad.
    set.write("b.csv", [](std::ostream& out) {
      out << "half";
      out.setstate(std::ios::badbit);
    });
    set.commit();
  });
  CHECK(message == "cannot write " + dir.string() + "/b.csv: write failed");
  CHECK(read_file(dir / "summary.json") == before);
  CHECK(entries(dir) == kRunFiles);
  CHECK(entries(scratch.dir()) == std::vector<std::string>{"out"});
}

TEST_CASE("results: an interrupt while writing keeps the previous set and Interrupted says so") {
  const Scratch scratch("interrupted");
  const fs::path dir = scratch.dir() / "out";
  const auto scenario = tiny_scenario();
  const auto reps = two_replications();
  write_run_outputs(dir.string(), scenario, summarize(scenario, 1, "old", 0, reps), reps, RunInfo{});
  const std::string before = read_file(dir / "summary.json");
  std::string message;
  try {
    OutputSet set(dir.string());
    set.write("summary.json", [](std::ostream& out) {
      out << "{";
      scsim::results::raise_interrupt_flag(SIGTERM);  // arrives in the middle of a file
      out << "}";
    });
    set.commit();
  } catch (const scsim::results::Interrupted& e) {
    message = e.what();
  }
  scsim::results::reset_interrupt();
  CHECK(message == fmt::format("interrupted (signal {}); {} left as it was", SIGTERM, dir.string()));
  CHECK(read_file(dir / "summary.json") == before);
  CHECK(entries(scratch.dir()) == std::vector<std::string>{"out"});

  // A real signal under the guard is recorded, not fatal, and stops the next write.
  {
    const scsim::results::InterruptGuard guard;
    std::raise(SIGHUP);
    CHECK(scsim::results::interrupt_signal() == SIGHUP);
    CHECK_THROWS_AS(write_run_outputs(dir.string(), scenario, summarize(scenario, 1, "new", 0, reps), reps, RunInfo{}),
                    scsim::results::Interrupted);
    scsim::results::reset_interrupt();
  }
  CHECK(read_file(dir / "summary.json") == before);
  CHECK(entries(scratch.dir()) == std::vector<std::string>{"out"});
}

TEST_CASE("results: stale temporaries of killed runs are removed and an interrupted swap is undone") {
  const Scratch scratch("stale");
  const fs::path dir = scratch.dir() / "out";
  const long dead = dead_pid();
  fs::create_directories(scratch.dir() / fmt::format("out.tmp-{}", dead));
  { std::ofstream(scratch.dir() / fmt::format("out.tmp-{}", dead) / "summary.json") << "half"; }
  // Killed between its two renames: the old set is aside and DIR is missing.
  fs::create_directories(scratch.dir() / fmt::format("out.old-{}", dead));
  { std::ofstream(scratch.dir() / fmt::format("out.old-{}", dead) / "summary.json") << "previous"; }
  fs::create_directories(scratch.dir() / "out.tmp-notapid");  // not ours: left alone
  {
    OutputSet set(dir.string());
    CHECK(read_file(dir / "summary.json") == "previous");  // put back before anything else
  }                                                        // destroyed without commit: its temporary goes
  CHECK(entries(scratch.dir()) == std::vector<std::string>{"out", "out.tmp-notapid"});
}

TEST_CASE("results: a folder that holds no scsim results is never replaced") {
  const Scratch scratch("foreign");
  const fs::path dir = scratch.dir() / "mine";
  fs::create_directories(dir);
  { std::ofstream(dir / "thesis.tex") << "precious"; }
  const auto scenario = tiny_scenario();
  const auto reps = two_replications();
  const std::string message = message_of(
      [&] { write_run_outputs(dir.string(), scenario, summarize(scenario, 1, "", 0, reps), reps, RunInfo{}); });
  CHECK(message == "cannot write " + dir.string() +
                       ": it exists and holds no scsim results (the whole folder would be replaced); choose another "
                       "-o DIR");
  CHECK(entries(dir) == std::vector<std::string>{"thesis.tex"});
}
