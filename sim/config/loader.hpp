// Loading a scenario: parse, override, default, validate — or explain why not.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/config/scenario.pb.h"

namespace scsim::config {

// Scenario files (and their bases) are read only up to this size.
constexpr std::size_t kMaxFileBytes = std::size_t{16} << 20;

// `text` with newlines, tabs and other control characters written as \n, \t,
// \xNN, so one problem stays one line and a file cannot drive the terminal.
std::string escape_text(const std::string& text);

// Bad input, found before anything is simulated. Holds one line per problem,
// each "FILE:LINE:COL: field.path: problem (got VALUE)", control characters escaped.
class ConfigError : public std::runtime_error {
public:
  explicit ConfigError(std::vector<std::string> lines);
  const std::vector<std::string>& lines() const { return lines_; }

private:
  std::vector<std::string> lines_;
};

// Reads a .textproto scenario from `path`, applies the `--set` overrides
// ("path=value", in order), fills in defaults and validates it: fields first,
// then the supply network. Throws ConfigError listing every problem found.
scsim::Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});

// The same from text in memory; `display_name` stands for the file in messages.
scsim::Scenario load_scenario_text(const std::string& text, const std::string& display_name,
                                   const std::vector<std::string>& overrides = {});

// The scenario as commented-free text format, e.g. for resolved.textproto.
std::string to_text(const scsim::Scenario& scenario);

}  // namespace scsim::config
