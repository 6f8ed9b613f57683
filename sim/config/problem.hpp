// A problem found in a scenario: where (a field path) and what.
#pragma once

#include <string>
#include <vector>

namespace scsim::config {

// `path` is a field path from the Scenario root in the form used by error
// messages and --set: "sites[2].foundry.d0_per_cm2", "lanes[0].to", or ""
// for the whole scenario. `message` is lowercase and names the offending
// value, e.g. "must be > 0 (got -0.1)".
struct Problem {
  std::string path;
  std::string message;
};

using Problems = std::vector<Problem>;

}  // namespace scsim::config
