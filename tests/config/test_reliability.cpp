// Issue 12 (reliability): validation accepts only what a run can finish, and
// says where and why it refuses. Each case is a reproducer from the issue or
// from the mutation campaign; the messages are checked word for word.
#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "sim/config/loader.hpp"

using scsim::config::ConfigError;
using scsim::config::load_scenario_text;

namespace {

// A small valid scenario: a generic source line feeding a datacenter. The line
// numbers below are relied on by the tests.
const std::string kBase = R"(name: "mini"
start_date: "2025-01-01"
horizon_days: 1000
products { name: "job" }
sites {
  name: "line" company: "L" product: "job"
  generic {
    release { interarrival_days { exponential { mean: 1 } } }
    stations { servers: 2 process_time_days { fixed: 1 } }
  }
}
sites {
  name: "dc" company: "C" product: "job"
  datacenter {
    buildings { name: "b1" construction_start_date: "2025-01-01" power_mw: 10 }
    kw_per_accelerator { fixed: 2 }
  }
}
lanes { from: "line" to: "dc" product: "job" transit_days { fixed: 2 } }
)";

std::string edit(const std::string& from, const std::string& to) {
  std::string text = kBase;
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  return text;
}

using Lines = std::vector<std::string>;

Lines problems(const std::string& text, const std::vector<std::string>& overrides = {}) {
  try {
    load_scenario_text(text, "s.textproto", overrides);
  } catch (const ConfigError& error) {
    return error.lines();
  }
  return {};
}

Lines file_problems(const std::string& path) {
  try {
    scsim::config::load_scenario(path);
  } catch (const ConfigError& error) {
    return error.lines();
  }
  return {};
}

// A scratch directory for files the tests write, removed at the end.
struct Scratch {
  std::string dir;
  Scratch() {
    char name[] = "/tmp/scsim_reliability_XXXXXX";
    REQUIRE(::mkdtemp(name) != nullptr);
    dir = name;
  }
  ~Scratch() { std::system(("rm -rf '" + dir + "'").c_str()); }
  std::string write(const std::string& name, const std::string& text) const {
    const std::string path = dir + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
};

}  // namespace

TEST_CASE("reliability: the base scenario is valid") { CHECK(problems(kBase).empty()); }

// --- 1. runs that never ended: non-finite distribution parameters ------------------

TEST_CASE("reliability: NaN and infinite distribution parameters are refused, located on the --set") {
  CHECK(problems(kBase, {"lanes[0].transit_days={normal{mean:nan sd:1 min:0 max:10}}"}) ==
        Lines{"--set lanes[0].transit_days={normal{mean:nan sd:1 min:0 max:10}}: lanes[0].transit_days.normal.mean: "
              "must be a finite number (got nan)"});
  CHECK(problems(kBase, {"sites[1].datacenter.kw_per_accelerator={normal{mean:nan sd:1 min:0.5 max:10}}"}) ==
        Lines{"--set sites[1].datacenter.kw_per_accelerator={normal{mean:nan sd:1 min:0.5 max:10}}: "
              "sites[1].datacenter.kw_per_accelerator.normal.mean: must be a finite number (got nan)"});
  CHECK(problems(kBase, {"lanes[0].transit_days={lognormal{mean:inf sd:1}}"}) ==
        Lines{"--set lanes[0].transit_days={lognormal{mean:inf sd:1}}: lanes[0].transit_days.lognormal.mean: must be "
              "a finite number > 0 (got inf)"});
  CHECK(problems(kBase, {"lanes[0].transit_days={exponential{mean:inf}}"}) ==
        Lines{"--set lanes[0].transit_days={exponential{mean:inf}}: lanes[0].transit_days.exponential.mean: must be a "
              "finite number > 0 (got inf)"});
  CHECK(problems(kBase, {"lanes[0].transit_days={empirical{values:[1, inf]}}"}) ==
        Lines{"--set lanes[0].transit_days={empirical{values:[1, inf]}}: lanes[0].transit_days.empirical.values: "
              "must be finite numbers (got inf as value 2)"});
  CHECK(problems(kBase, {"lanes[0].transit_days={uniform{min:1 max:inf}}"}) ==
        Lines{"--set lanes[0].transit_days={uniform{min:1 max:inf}}: lanes[0].transit_days.uniform.max: must be a "
              "finite number (got inf)"});
  CHECK(problems(kBase, {"lanes[0].transit_days={triangular{min:nan mode:1 max:2}}"}) ==
        Lines{"--set lanes[0].transit_days={triangular{min:nan mode:1 max:2}}: lanes[0].transit_days.triangular.min: "
              "must be a finite number (got nan)"});
  CHECK(problems(kBase, {"lanes[0].transit_days={pert{min:1 mode:2 max:3 lambda:inf}}"}) ==
        Lines{"--set lanes[0].transit_days={pert{min:1 mode:2 max:3 lambda:inf}}: lanes[0].transit_days.pert.lambda: "
              "must be > 0 and at most 1,000 (got inf)"});
  CHECK(problems(kBase, {"lanes[0].transit_days={normal{mean:1 sd:1 min:0 max:nan}}"}) ==
        Lines{"--set lanes[0].transit_days={normal{mean:1 sd:1 min:0 max:nan}}: lanes[0].transit_days.normal.max: "
              "must be a number or inf (got nan)"});
  CHECK(problems(kBase, {"lanes[0].transit_days={empirical{values:[1, 2] weights:[1, inf]}}"}) ==
        Lines{"--set lanes[0].transit_days={empirical{values:[1, 2] weights:[1, inf]}}: "
              "lanes[0].transit_days.empirical.weights: must be >= 0 and at most 1e12 (got inf)"});
}

TEST_CASE("reliability: in a file, a NaN distribution parameter is located at its line") {
  CHECK(problems(edit("transit_days { fixed: 2 }", "transit_days { empirical { values: [nan] } }")) ==
        Lines{"s.textproto:19:73: lanes[0].transit_days.empirical.values: must be finite numbers (got nan as value "
              "1)"});
}

TEST_CASE("reliability: a truncated normal whose mean lies far outside its bounds is valid (it samples the bound)") {
  CHECK(problems(kBase, {"lanes[0].transit_days={normal{mean:1e6 sd:1 min:0 max:1}}"}).empty());
}

// --- 2. runs that ate memory: bounds on durations, rates and counts -----------------

TEST_CASE("reliability: horizons beyond 1,000,000 days are refused with the reason") {
  CHECK(problems(kBase, {"horizon_days=inf"}) ==
        Lines{"--set horizon_days=inf: horizon_days: must be at most 1,000,000 (days; longer than 2,700 years is a "
              "typo) (got inf)"});
  CHECK(problems(kBase, {"horizon_days=1e9"}) ==
        Lines{"--set horizon_days=1e9: horizon_days: must be at most 1,000,000 (days; longer than 2,700 years is a "
              "typo) (got 1e+09)"});
  CHECK(problems(edit("horizon_days: 1000", "horizon_days: 1e308")) ==
        Lines{"s.textproto:3:1: horizon_days: must be at most 1,000,000 (days; longer than 2,700 years is a typo) "
              "(got 1e+308)"});
  // Long queueing validations stay legitimate.
  CHECK(problems(kBase, {"horizon_days=200000"}).empty());
}

TEST_CASE("reliability: durations are bounded like the horizon") {
  CHECK(problems(kBase, {"lanes[0].transit_days=1e12"}) ==
        Lines{"--set lanes[0].transit_days=1e12: lanes[0].transit_days: durations must stay within 1,000,000 days, "
              "longer than 2,700 years is a typo (got fixed(1e+12))"});
  CHECK(problems(kBase, {"lanes[0].transit_days={lognormal{mean:5 sd:1e7}}"}) ==
        Lines{"--set lanes[0].transit_days={lognormal{mean:5 sd:1e7}}: lanes[0].transit_days.lognormal.sd: must be "
              "at most 1,000 times the mean (got sd 1e+07, mean 5)"});
  CHECK(problems(kBase + "disruptions { name: \"d\" target: \"line\" start_date: \"2025-06-01\" "
                         "duration_days { fixed: 1e12 } }\n") ==
        Lines{"s.textproto:20:65: disruptions[0].duration_days: durations must stay within 1,000,000 days, longer "
              "than 2,700 years is a typo (got fixed(1e+12))"});
}

TEST_CASE("reliability: releases that cannot be simulated are refused up front, naming the rate") {
  CHECK(problems(kBase, {"sites[0].generic.release.interarrival_days=1e-6"}) ==
        Lines{"--set sites[0].generic.release.interarrival_days=1e-6: sites[0].generic.release.interarrival_days: "
              "releases up to 1,000,000,000 lots over the 1000-day horizon; a replication simulates at most "
              "20,000,000 (lower the rate)"});
  CHECK(problems(kBase, {"sites[0].generic.release={lots_per_week{steps{from_date:\"2025-01-01\" rate:1e9}}}"}) ==
        Lines{"--set sites[0].generic.release={lots_per_week{steps{from_date:\"2025-01-01\" rate:1e9}}}: "
              "sites[0].generic.release.lots_per_week.steps[0].rate: releases up to 142,857,142,857 lots over the "
              "1000-day horizon; a replication simulates at most 20,000,000 (lower the rate)"});
  CHECK(problems(kBase, {"sites[0].generic.release={lots_per_week{steps{from_date:\"2025-01-01\" rate:inf}}}"}) ==
        Lines{"--set sites[0].generic.release={lots_per_week{steps{from_date:\"2025-01-01\" rate:inf}}}: "
              "sites[0].generic.release.lots_per_week.steps[0].rate: must be at most 1,000,000,000 (per week) (got "
              "inf)"});
}

TEST_CASE("reliability: a station whose queue would be busy far past the horizon is refused (campaign finding)") {
  // Busy periods are tracked week by week up to the last one: 1,000 lots of a
  // million days each made a 16 GB series and std::bad_alloc.
  CHECK(problems(kBase, {"sites[0].generic.stations[0].process_time_days=1e6"}) ==
        Lines{"--set sites[0].generic.stations[0].process_time_days=1e6: "
              "sites[0].generic.stations[0].process_time_days: keeps its servers busy for about 500,000,000 days "
              "(1,000 lots x 1e+06 days / 2 servers); at most 100,000,000 can be simulated (a queue's busy periods "
              "are tracked week by week)"});
  // CONWIP: all of the WIP starts at once.
  CHECK(problems(kBase, {"sites[0].generic.release={conwip_wip_lots:100000}",
                         "sites[0].generic.stations[0].process_time_days=1e4"}) ==
        Lines{"--set sites[0].generic.stations[0].process_time_days=1e4: "
              "sites[0].generic.stations[0].process_time_days: keeps its servers busy for about 500,001,000 days "
              "(100,000 lots x 10000 days / 2 servers); at most 100,000,000 can be simulated (a queue's busy periods "
              "are tracked week by week)"});
  CHECK(problems(kBase, {"sites[0].generic.stations[0].process_time_days=1e4"}).empty());
}

TEST_CASE("reliability: an overloaded station's queue is bounded by the horizon squared (campaign finding)") {
  // 7 lots a week (exponential mean 1 day) into 2 servers of 7 days each: 2 a week.
  CHECK(problems(kBase, {"sites[0].generic.stations[0].process_time_days=7", "horizon_days=100000"}) ==
        Lines{"--set sites[0].generic.stations[0].process_time_days=7: sites[0].generic.stations[0]."
              "process_time_days: is overloaded: about 7 lots a week "
              "arrive for a capacity of 2, so its queue holds about 3.6e+09 lot-days over the 100000-day horizon; at "
              "most 1e+09 can be simulated (add servers, shorten the horizon or slow the arrivals)"});
  CHECK(problems(kBase, {"sites[0].generic.stations[0].process_time_days=7", "horizon_days=10000"}).empty());
}

TEST_CASE("reliability: counts that would allocate without limit are bounded with the reason") {
  CHECK(problems(kBase, {"sites[0].generic.stations[0].servers=2147483647"}) ==
        Lines{"--set sites[0].generic.stations[0].servers=2147483647: sites[0].generic.stations[0].servers: must be "
              "at most 10,000 (parallel servers of one station; each lot looks at every one) (got 2147483647)"});
  CHECK(problems(kBase, {"sites[0].generic.release={conwip_wip_lots:2147483647}"}) ==
        Lines{"--set sites[0].generic.release={conwip_wip_lots:2147483647}: sites[0].generic.release.conwip_wip_lots: "
              "must be at most 100,000 (lots in the line at once; each is simulated on its own) (got 2147483647)"});
  CHECK(problems(kBase, {"replications=2147483647"}) ==
        Lines{"--set replications=2147483647: replications: must be at most 1,000,000 (as for -r) (got 2147483647)"});
}

TEST_CASE("reliability: the weekly series of a long horizon times many sites are bounded") {
  std::string text = kBase;
  for (int i = 0; i < 20; ++i)
    text += "sites { name: \"dc" + std::to_string(i) + "\" company: \"C\" product: \"job\" datacenter { buildings { "
            "name: \"b\" construction_start_date: \"2025-01-01\" power_mw: 1 } kw_per_accelerator { fixed: 1 } } }\n";
  CHECK(problems(text, {"horizon_days=1000000"}) ==
        Lines{"--set horizon_days=1000000: horizon_days: 1e+06 days x 22 sites is 3,142,876 site-weeks of weekly "
              "series; at most 2,000,000 fit in memory and outputs (shorten the horizon)"});
}

TEST_CASE("reliability: seeds above 2^63-1 are refused as for --seed") {
  CHECK(problems(edit("horizon_days: 1000\n", "horizon_days: 1000\nseed: 9223372036854775808\n")) ==
        Lines{"s.textproto:4:1: seed: must be at most 2^63-1 = 9223372036854775807, as for --seed (got "
              "9223372036854775808)"});
  CHECK(problems(kBase, {"seed=9223372036854775807"}).empty());
}

// --- 8. messages ------------------------------------------------------------------

TEST_CASE("reliability: newlines and control characters in values are escaped, one problem per line") {
  CHECK(problems(edit("name: \"dc\"", "name: \"d\\nc\\x1b[31m\"")) ==
        Lines{"s.textproto:13:3: sites[1].name: must use only a-z, 0-9 and _ (got 'd\\nc\\x1b[31m')",
              "s.textproto:19:22: lanes[0].to: unknown site 'dc'"});
  CHECK(problems(kBase, {"name=a\tb"}) ==
        Lines{"--set name=a\\tb: name: must use only a-z, 0-9 and _ (got 'a\\tb')"});
}

TEST_CASE("reliability: control characters in free text (descriptions, companies, lane names) are refused") {
  CHECK(problems(kBase, {"description=two\nlines", "sites[0].company=\x1b]0;pwned\x07"}) ==
        Lines{"--set description=two\\nlines: description: must not contain control characters or newlines (got "
              "'two\\nlines')",
              "--set sites[0].company=\\x1b]0;pwned\\x07: sites[0].company: must not contain control characters or "
              "newlines (got '\\x1b]0;pwned\\x07')"});
  CHECK(problems(edit("lanes { from", "lanes { name: \"a\\tb\" from")) ==
        Lines{"s.textproto:19:9: lanes[0].name: must not contain control characters or newlines (got 'a\\tb')"});
}

TEST_CASE("reliability: names longer than 64 characters are refused at validation") {
  const std::string long_name(65, 'a');
  CHECK(problems(kBase, {"name=" + long_name}) ==
        Lines{"--set name=" + long_name + ": name: must be at most 64 characters: it names the output folder (got 65)"});
  CHECK(problems(kBase, {"sites[0].name=" + long_name, "lanes[0].from=" + long_name}) ==
        Lines{"--set sites[0].name=" + long_name + ": sites[0].name: must be at most 64 characters: names become file "
              "and host names (got 65)"});
}

TEST_CASE("reliability: an override of a part of a distribution is blamed on the --set") {
  CHECK(problems(kBase, {"lanes[0].transit_days.fixed=-1"}) ==
        Lines{"--set lanes[0].transit_days.fixed=-1: lanes[0].transit_days: durations cannot be negative (got "
              "fixed(-1))"});
  CHECK(problems(edit("transit_days { fixed: 2 }", "transit_days { uniform { min: 1 max: 3 } }"),
                 {"lanes[0].transit_days.uniform.min=5"}) ==
        Lines{"--set lanes[0].transit_days.uniform.min=5: lanes[0].transit_days.uniform: needs min <= max (got 5, 3)"});
}

TEST_CASE("reliability: --set base=... and --set set=... are refused, not ignored") {
  CHECK(problems(kBase, {"base=other.textproto"}) ==
        Lines{"--set base=other.textproto: base: cannot be overridden: bases are read first; write a variant file "
              "with base: (got 'other.textproto')"});
  CHECK(problems(kBase, {"set=x"}) ==
        Lines{"--set set=x: set: cannot be overridden: give each change as its own --set (got 'x')"});
}

TEST_CASE("reliability: an empty --set value for a distribution says what it expects") {
  CHECK(problems(kBase, {"lanes[0].transit_days="}) ==
        Lines{"--set lanes[0].transit_days=: lanes[0].transit_days: expected a number or a { ... } text-format body "
              "(got '')"});
}

TEST_CASE("reliability: a problem with no place in any file is located at the file's start") {
  CHECK(problems("name: \"x\"\n") ==
        Lines{"s.textproto:1:1: start_date: is required: day 0 as YYYY-MM-DD",
              "s.textproto:1:1: products: at least one product is required",
              "s.textproto:1:1: sites: at least one site is required"});
}

TEST_CASE("reliability: a UTF-8 byte-order mark is accepted") {
  const auto scenario = load_scenario_text("\xEF\xBB\xBF" + kBase, "s.textproto");
  CHECK(scenario.name() == "mini");
}

// --- files: bounded, regular, and why they cannot be read -------------------------

TEST_CASE("reliability: devices, FIFOs and directories are refused without reading them") {
  CHECK(file_problems("/dev/zero") ==
        Lines{"/dev/zero: cannot read: is not a regular file (a device, FIFO or socket); scenarios are read from "
              "files"});
  Scratch scratch;
  const std::string fifo = scratch.dir + "/fifo.textproto";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK(file_problems(fifo) ==
        Lines{fifo + ": cannot read: is not a regular file (a device, FIFO or socket); scenarios are read from files"});
  CHECK(file_problems(scratch.dir) == Lines{scratch.dir + ": cannot read: is a directory, not a scenario file"});
}

TEST_CASE("reliability: an unreadable file says why") {
  Scratch scratch;
  const std::string file = scratch.write("plain.textproto", kBase);
  CHECK(file_problems(file + "/inside.textproto") ==
        Lines{file + "/inside.textproto: cannot read: Not a directory"});
}

TEST_CASE("reliability: files over 16 MiB are refused before they are parsed") {
  Scratch scratch;
  const std::string big = scratch.write("big.textproto", std::string((16u << 20) + 1, '#'));
  CHECK(file_problems(big) ==
        Lines{big + ": cannot read: is larger than 16 MiB; scenario files are limited to that size"});
}

TEST_CASE("reliability: base \".\" and bases that are not scenarios are refused without echoing them") {
  Scratch scratch;
  const std::string dot = scratch.write("dot.textproto", "base: \".\"\nname: \"v\"\n");
  CHECK(file_problems(dot) ==
        Lines{dot + ":1:1: base: cannot read '" + scratch.dir + "/.': is a directory, not a scenario file"});
  scratch.write("secret.txt", "# notes\n\nroot:x:0:0:root:/root:/bin/bash\n");
  const std::string not_scenario = scratch.write("v.textproto", "base: \"secret.txt\"\nname: \"v\"\n");
  CHECK(file_problems(not_scenario) ==
        Lines{not_scenario + ":1:1: base: '" + scratch.dir + "/secret.txt' is not a scenario file (it does not parse "
                             "as one)"});
  const std::string dev = scratch.write("dev.textproto", "base: \"/dev/zero\"\nname: \"v\"\n");
  CHECK(file_problems(dev) == Lines{dev + ":1:1: base: cannot read '/dev/zero': is not a regular file (a device, "
                                          "FIFO or socket); scenarios are read from files"});
  const std::string empty = scratch.write("empty.textproto", "base: \"\"\nname: \"v\"\n");
  CHECK(file_problems(empty) == Lines{empty + ":1:1: base: is empty; name a scenario file"});
}

TEST_CASE("reliability: a base with a BOM is accepted, and errors deeper in a base are still shown in full") {
  Scratch scratch;
  scratch.write("base.textproto", "\xEF\xBB\xBF" + kBase);
  const std::string variant = scratch.write("v.textproto", "base: \"base.textproto\"\nname: \"v\"\n");
  CHECK(file_problems(variant).empty());
  scratch.write("typo.textproto", edit("power_mw: 10", "power_mv: 10"));
  const std::string typo = scratch.write("t.textproto", "base: \"typo.textproto\"\n");
  CHECK(file_problems(typo) == Lines{scratch.dir + "/typo.textproto:15:66: Building has no field 'power_mv' (did "
                                                   "you mean 'power_mw'?)"});
}
