// libFuzzer target over scsim's whole input path (issue 12):
//   text parsing (protobuf text format, bases), --set overrides, defaults,
//   field validation, network checks and analysis, DOT and text output, and a
//   short simulation of what validates.
//
// Input: a scenario in text format. Lines starting with "#--set " (comments to
// the parser) are also applied as --set overrides, in order, so the fuzzer
// mutates overrides too.
//
// Simulation: SimGrid allows one engine per process, so every input that
// validates is simulated in a forked worker by engine::run_replications (as
// `scsim run -r 1` does), with a budget of kFuzzEvents events. The fuzzer
// aborts, recording the input, when that worker crashes or a sampler refuses a
// parameter that validation let through; the event budget stopping it is fine.
// Set SCSIM_FUZZ_NO_SIM=1 to skip the simulation (faster, no forks).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/config/loader.hpp"
#include "sim/engine/runner.hpp"
#include "sim/results/results.pb.h"
#include "sim/network/supply_network.hpp"

namespace {

constexpr std::int64_t kFuzzEvents = 200'000;

bool simulate() {
  static const bool on = std::getenv("SCSIM_FUZZ_NO_SIM") == nullptr;
  return on;
}

[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "fuzz_scenario: %s\n", what.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> overrides;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    if (text.compare(at, 7, "#--set ") == 0 && end - at > 7) overrides.push_back(text.substr(at + 7, end - at - 7));
    at = end + 1;
  }

  scsim::Scenario scenario;
  try {
    scenario = scsim::config::load_scenario_text(text, "fuzz.textproto", overrides);
  } catch (const scsim::config::ConfigError& error) {
    for (const auto& line : error.lines())
      for (const char c : line)
        if (static_cast<unsigned char>(c) < 0x20) finding("a control character in a problem line: " + line);
    return 0;
  }
  // Valid: everything downstream must work without throwing.
  const auto analysis = scsim::network::analyse(scenario);
  (void)scsim::network::to_dot(scenario);
  (void)scsim::config::load_scenario_text(scsim::config::to_text(scenario), "resolved.textproto");

  if (!simulate()) return 0;
  scsim::engine::RunnerOptions options;
  options.runtime.max_events = kFuzzEvents;
  try {
    (void)scsim::engine::run_replications(scenario, analysis, 1, options);
  } catch (const std::runtime_error& error) {
    const std::string what = error.what();
    if (what.find("(--max-events)") == std::string::npos) finding("a valid scenario failed to run: " + what);
  }
  return 0;
}
