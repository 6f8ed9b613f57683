// Output files: timeline CSV verbatim, JSON field names, atomic writing, byte-identical repeats.
#include <fmt/format.h>
#include <unistd.h>

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
using scsim::results::RunInfo;
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

}  // namespace

TEST_CASE("results: timeline csv verbatim") {
  std::ostringstream out;
  write_timeline_csv(out, tiny_scenario(), two_replications());
  CHECK(out.str() ==
        "scenario,replication,day,date,site,metric,value\n"
        "tiny,0,0,2025-01-01,fab,wafer_starts,25\n"
        "tiny,0,7,2025-01-08,fab,wafer_starts,50.5\n"
        "tiny,0,0,2025-01-01,ALL,installed_cum,0\n"
        "tiny,0,7,2025-01-08,ALL,installed_cum,0.30000000000000004\n"
        "tiny,1,0,2025-01-01,fab,wafer_starts,1e-07\n"
        "tiny,1,7,2025-01-08,fab,wafer_starts,3e+20\n"
        "tiny,1,14,2025-01-15,fab,wafer_starts,7\n");
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

TEST_CASE("results: summary json uses the proto field names and prints every field") {
  const auto summary = summarize(tiny_scenario(), 12.5, "fab", 100, two_replications());
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
  CHECK(parsed["milestones"][2]["reached_share"] == 0);  // printed although zero
  CHECK(parsed["installed_units"]["mean"] == 500.5);
}

TEST_CASE("results: write_run_outputs writes the four files and nothing else") {
  const Scratch scratch_ok("ok");
  const fs::path dir = scratch_ok.dir() / "nested" / "out";  // parents created as needed
  const auto scenario = tiny_scenario();
  const auto reps = two_replications();
  const auto summary = summarize(scenario, 12.5, "fab", 100, reps);
  write_run_outputs(dir.string(), scenario, summary, reps, RunInfo{1.25, 3, "scsim run tiny.textproto"});

  CHECK(entries(dir) ==
        std::vector<std::string>{"resolved.textproto", "run_info.json", "summary.json", "timeline.csv"});
  CHECK(read_file(dir / "summary.json") == summary_json(summary));
  CHECK(read_file(dir / "resolved.textproto") == scsim::config::to_text(scenario));
  std::ostringstream csv;
  write_timeline_csv(csv, scenario, reps);
  CHECK(read_file(dir / "timeline.csv") == csv.str());
  const auto info = nlohmann::json::parse(read_file(dir / "run_info.json"));
  CHECK(info["wall_seconds"] == 1.25);
  CHECK(info["jobs"] == 3);
  CHECK(info["scsim_version"] == "0.1.0");
  CHECK(info["command"] == "scsim run tiny.textproto");
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
  for (const char* name : {"summary.json", "timeline.csv", "resolved.textproto"}) {
    INFO(name);
    CHECK(read_file(base / "a" / name) == read_file(base / "b" / name));
  }
  CHECK(read_file(base / "a" / "run_info.json") != read_file(base / "b" / "run_info.json"));

  // Writing again over existing outputs replaces them.
  write_run_outputs((base / "a").string(), scenario, summarize(scenario, 99, "pkg", 100, reps), reps,
                    RunInfo{1.0, 1, "a"});
  CHECK(read_file(base / "a" / "summary.json").find("\"pkg\"") != std::string::npos);
  CHECK(entries(base / "a").size() == 4);
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

TEST_CASE("results: write_run_outputs leaves nothing behind when a file cannot be written") {
  const Scratch scratch_midway("midway");
  const fs::path dir = scratch_midway.dir();
  // A directory where the timeline's temporary would go: summary.json's temporary is written first, then
  // opening the timeline's fails.
  const std::string blocker = fmt::format(".timeline.csv.tmp-{}", static_cast<long>(::getpid()));
  fs::create_directory(dir / blocker);
  const auto scenario = tiny_scenario();
  const auto reps = two_replications();
  const auto summary = summarize(scenario, 1, "", 0, reps);
  const std::string message = message_of([&] { write_run_outputs(dir.string(), scenario, summary, reps, RunInfo{}); });
  CHECK(message == "cannot write " + (dir / "timeline.csv").string() + ": Is a directory");
  CHECK(entries(dir) == std::vector<std::string>{blocker});
}

TEST_CASE("results: write_run_outputs renames nothing when a target is in the way") {
  const Scratch scratch_target("target");
  const fs::path dir = scratch_target.dir();
  fs::create_directory(dir / "run_info.json");
  const auto scenario = tiny_scenario();
  const auto reps = two_replications();
  const auto summary = summarize(scenario, 1, "", 0, reps);
  const std::string message = message_of([&] { write_run_outputs(dir.string(), scenario, summary, reps, RunInfo{}); });
  CHECK(message == "cannot write " + (dir / "run_info.json").string() + ": Is a directory");
  CHECK(entries(dir) == std::vector<std::string>{"run_info.json"});
}
