// The scsim verbs. Each returns the process exit code:
// 0 success, 1 runtime failure, 2 bad usage or bad input.
#pragma once

#include <string>
#include <vector>

namespace scsim::cli {

struct ScenarioArgs {
  std::string config;
  std::vector<std::string> overrides;  // --set path=value, in order
};

int validate_command(const ScenarioArgs& args);
int graph_command(const ScenarioArgs& args);

}  // namespace scsim::cli
